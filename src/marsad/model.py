"""The records that flow through marsad's pipeline.

Every record is frozen. The original (cleaned) article text is kept as it was written, and every
annotation is a `Span` of character offsets into `Article.text`; normalized forms are derived from it,
never stored in its place. This module imports no other marsad module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range `[start, end)` of character offsets into a text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        """The slice of `text` this span covers."""
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where something comes from: a span of one article's text."""

    article_id: str
    span: Span


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the raw text that `clean` dropped, and why (for audit and display on request)."""

    span: Span
    """Offsets into `Article.raw`."""
    reason: str
    """A short label such as `icon-caption`, `app-appeal`, `related-block`, `repeated-title`."""


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as ingested, and after cleaning."""

    id: str
    """Stable id: the record's own id, else the file stem, else a content hash."""
    source: str
    """The outlet (`unknown` when nothing says)."""
    path: str
    """The input file (with `:record` for multi-record files); used in every error message."""
    title: str
    text: str
    """The cleaned original text: what users see and what spans point into."""
    url: str | None = None
    published: date | datetime | None = None
    """Publication date or datetime; None when neither metadata nor the text supports one."""
    raw: str = ""
    """The text as ingested, before cleaning (`removed` spans point into it)."""
    removed: tuple[Removal, ...] = ()
    title_derived: bool = False
    """True when the input had no title and one was made from the first sentence."""
    published_note: str = ""
    """Where `published` came from (`metadata`, `text:<line>`), or why it is unknown."""
    meta: tuple[tuple[str, str], ...] = field(default=())
    """Other metadata from the input (author, site name, ...) as sorted key/value pairs."""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("article id must not be empty")
        for r in self.removed:
            if r.span.end > len(self.raw):
                raise ValueError(f"removal {r.span} outside raw text of {self.id}")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article."""

    article_id: str
    index: int
    span: Span
    """Offsets into `Article.text`."""
    norm: str
    """Match form of the sentence text (`marsad.text.normalize`)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity's mention in an article (`extract.entities`)."""

    article_id: str
    span: Span
    """Offsets into `Article.text`."""
    label: str
    """PER | ORG | LOC | MISC."""
    norm: str
    """Match form of the mention text."""
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """One real person, organisation or place, under every spelling it was seen with
    (`extract.aliases`)."""

    id: str
    name: str
    """Display name: the most frequent full form."""
    type: str
    """PER | ORG | LOC | MISC."""
    aliases: tuple[str, ...]
    """Every surface form seen (clitics and titles stripped), most frequent first."""
    mentions: tuple[tuple[str, int], ...]
    """(article id, number of mentions in it, its headline included), in story order."""

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(a for a, _ in self.mentions)


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One date, time or period an article names, with its value resolved against the publication date
    (`extract.time`)."""

    article_id: str
    span: Span
    """Offsets into `Article.text`."""
    text: str
    """`Article.text[span.start:span.end]`, as written."""
    value: str | None
    """ISO `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[zone]`, or an interval `A/B`; None when
    unresolved."""
    granularity: str
    """day | month | year | time | week | range | vague."""
    reason: str = ""
    """Why `value` is None, or what was odd about it (a weekday that does not match the date)."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure of an article (`extract.numbers`)."""

    article_id: str
    span: Span
    """Offsets into `Article.text`: qualifier, figure and unit or counted word."""
    text: str
    low: float | None
    high: float | None
    qualifier: str
    """exact | approx | more_than | less_than | at_least | at_most | range."""
    unit: str | None
    counted: str | None
    """The word for what is counted, as written (عضوا، دولة), when there is no unit."""


@dataclass(frozen=True, slots=True)
class Quote:
    """One quote or piece of reported speech in an article (`extract.quotes`)."""

    article_id: str
    span: Span
    """The content (inside the quotation marks, or after the complementiser), offsets into the text."""
    text: str
    """The content as written."""
    cue: str
    """What marks it as speech, as written without a leading و/ف: the verb (`قال`, `مشيراً`), the
    attribution (`بحسب`, `وفق`), or the opening quotation mark of a quote that continues another."""
    direct: bool
    """True for text inside quotation marks."""
    speaker: str | None
    """Who said it, as written (a name, an organisation, or a description such as `مصدر عسكري`),
    whitespace collapsed; None when nothing says or it is ambiguous."""
    speaker_span: Span | None
    """Where that speaker is named (for a bare verb, the earlier mention it refers to)."""
    entity_id: str | None = None
    """The speaker's entity, when a linked mention (`extract.aliases.resolve`) names it."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What the extractors found in one article: its time expressions, figures and quotes, in text order."""

    article_id: str
    times: tuple[TimeExpression, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimValue:
    """One side of a claim: a value as the first article that gives it writes it, and every article
    that gives the same value (`evidence`: where each states it)."""

    quantity: Quantity
    evidence: tuple[Evidence, ...]

    @property
    def text(self) -> str:
        return self.quantity.text

    @property
    def low(self) -> float | None:
        return self.quantity.low

    @property
    def high(self) -> float | None:
        return self.quantity.high

    @property
    def qualifier(self) -> str:
        return self.quantity.qualifier

    @property
    def unit(self) -> str | None:
        return self.quantity.unit

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.article_id for e in self.evidence))


@dataclass(frozen=True, slots=True)
class Claim:
    """What a story's articles say about one figure (`claims`): a short subject, the verdict (agree,
    compatible, conflict, single) and each value stated, with its articles."""

    subject: str
    verdict: str
    values: tuple[ClaimValue, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for v in self.values for a in v.article_ids))


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One dated event of a story (`timeline`): its date (ISO `YYYY[-MM[-DD]]`), a short sentence that
    states it, where each article states it, whether it is background (before the story's own days),
    and a note when the date is not the text's own (an undated article, a publication date)."""

    date: str
    text: str
    evidence: tuple[Evidence, ...]
    background: bool = False
    note: str = ""

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.article_id for e in self.evidence))


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage that several articles carry verbatim or nearly (a wire copy)."""

    text: str
    """Display text, from the earliest carrier."""
    evidence: tuple[Evidence, ...]
    """Every place the passage appears, one or more per article."""

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.article_id for e in self.evidence))


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One summary sentence with every article that carries it or a near-copy of it."""

    text: str
    evidence: tuple[Evidence, ...]

    def __post_init__(self) -> None:
        if not self.evidence:
            raise ValueError("a summary sentence needs at least one source")

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.article_id for e in self.evidence))


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that report the same real-world event, and what marsad says about them."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    copies: tuple[Passage, ...] = ()
    """Passages that two or more of the story's articles share (wire copies)."""
    summary: tuple[SummarySentence, ...] = ()
    duplicates: tuple[tuple[str, ...], ...] = ()
    """Groups of article ids that are the same article ingested more than once."""
    entities: tuple[Entity, ...] = ()
    """Who and where: the people, organisations and places its articles name, most mentioned first."""
    claims: tuple[Claim, ...] = ()
    """The figures its articles give, grouped by what they count, with a verdict (`claims`)."""
    timeline: tuple[TimelineEvent, ...] = ()
    """Its dated events, its own first, then the background (`timeline`)."""


def day_of(value: date | datetime | None) -> date | None:
    """The calendar day of a date or datetime (None stays None)."""
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def publication_key(article: Article) -> tuple:
    """Sort key: publication time (aware times in UTC, a bare date at its midnight), undated last,
    then id. The one order in which marsad reads a batch, names a passage's first carrier, and lists
    a story's articles."""
    p = article.published
    if p is None:
        return (1, date.max, 0.0, article.id)
    if isinstance(p, datetime):
        if p.tzinfo is not None:
            p = p.astimezone(UTC).replace(tzinfo=None)
        return (0, p.date(), p.hour * 3600 + p.minute * 60 + p.second + p.microsecond / 1e6, article.id)
    return (0, p, 0.0, article.id)
