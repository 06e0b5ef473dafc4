"""The ordered stages from an ingested article to stories, in memory.

`prepare` runs the per-article stages (clean, sentences, derived title, entity mentions, and the facts:
time expressions, figures and quotes); `build_story` runs the
per-story stages (copies, duplicates, title, summary); `run` does both for a batch, collecting each
failing article's `InputError` and carrying on. Nothing here opens files or touches the store: see
`marsad.engine` for the store-backed, incremental version used by the CLI and the web.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from marsad import clean as clean_mod
from marsad import dedupe, summarize
from marsad.claims import find_claims
from marsad.cluster import article_terms, cluster, story_id_for
from marsad.errors import InputError
from marsad.extract import aliases
from marsad.extract.entities import find_mentions, find_mentions_many
from marsad.extract.numbers import find_quantities
from marsad.extract.quotes import find_quotes
from marsad.extract.time import date_undated, find_times
from marsad.model import Article, Facts, Mention, Sentence, Story
from marsad.settings import Settings
from marsad.text.sentences import split_sentences
from marsad.timeline import build_timeline

# A derived title keeps at most this many words of the first sentence.
_TITLE_WORDS = 14


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article after the per-article stages, with its sentences."""

    article: Article
    sentences: tuple[Sentence, ...]
    terms: Counter[str] = field(default_factory=Counter)
    """Clustering features (`cluster.article_terms`), computed here so workers share the cost."""
    mentions: tuple[Mention, ...] = ()
    """Named-entity mentions (`extract.entities`), spans into the cleaned text."""
    facts: Facts | None = None
    """Time expressions, figures and quotes (`extract_facts`)."""
    search_row: tuple[str, str, str] | None = None
    """Its full-text index row (`store.search.Indexer.row`) when made ahead of the write (`engine`
    makes it in the worker process that prepared the article, off the serial write)."""


def _check(stage: str, value: object, kind: type) -> None:
    if not isinstance(value, kind):
        raise TypeError(f"stage {stage} returned {type(value).__name__}, expected {kind.__name__}")


def derive_title(article: Article, sentences: Sequence[Sentence]) -> Article:
    """Give an untitled article a title made from its first sentence, marked as derived."""
    if article.title.strip() or not sentences:
        return article
    first = sentences[0].span.of(article.text).strip()
    parts = first.split()
    title = " ".join(parts[:_TITLE_WORDS]).rstrip("،,.؛:") + ("…" if len(parts) > _TITLE_WORDS else "")
    return replace(article, title=title, title_derived=True)


def prepare(article: Article, settings: Settings) -> Prepared:
    """Clean the article, split it into sentences and derive a title if it has none.

    Raises `InputError` when nothing of the article is left after cleaning.
    """
    (out,) = prepare_many([article], settings)
    if isinstance(out, InputError):
        raise out
    return out


def prepare_many(articles: Sequence[Article], settings: Settings) -> list[Prepared | InputError]:
    """`prepare` of several articles, each one's `InputError` in its place; the entity tagger reads all
    their sentences in one call (much faster than an article at a time, same mentions)."""
    split: list[tuple[Article, tuple[Sentence, ...]] | InputError] = []
    for article in articles:
        try:
            cleaned = clean_mod.clean(article, settings)
            _check("clean", cleaned, Article)
            sentences = split_sentences(cleaned, settings)
            _check("sentences", sentences, tuple)
        except InputError as err:
            split.append(err)
            continue
        titled = derive_title(cleaned, sentences)
        if titled is not cleaned:
            sentences = tuple(replace(s, article_id=titled.id) for s in sentences)
        split.append((titled, sentences))
    ok = [x for x in split if not isinstance(x, InputError)]
    found = iter(find_mentions_many(ok))
    out: list[Prepared | InputError] = []
    for x in split:
        if isinstance(x, InputError):
            out.append(x)
            continue
        titled, sentences = x
        mentions = next(found)
        try:
            facts = extract_facts(titled, mentions)
        except InputError as err:
            out.append(err)
            continue
        terms = article_terms(titled, settings.cluster.title_weight)
        out.append(Prepared(titled, sentences, terms, mentions, facts))
    return out


def extract_facts(article: Article, mentions: Sequence[Mention] = ()) -> Facts:
    """The time expressions (`extract.time`), figures (`extract.numbers`) and quotes of a cleaned
    article; `mentions` are its entity mentions (quotes take their speakers from them)."""
    return Facts(article.id, find_times(article), find_quantities(article), find_quotes(article, mentions))


def story_entities(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    mentions: Mapping[str, Sequence[Mention]] | None,
    settings: Settings,
) -> tuple:
    """The entities of a group of articles: their mentions (found again for an article stored without
    them) merged across the group by `extract.aliases.resolve`, and what the headlines name of them
    counted (`aliases.count_titles`)."""
    found: list[Mention] = []
    pairs = []
    for a in articles:
        ms = (mentions or {}).get(a.id)
        if ms is None:
            ms = find_mentions(a, sentences.get(a.id, ()))
        found.extend(ms)
        pairs.extend(aliases.parenthetical_mentions(a, ms))
    found = aliases.complete(articles, sentences, found, settings)
    entities, _ = aliases.resolve(found, {a.id: a.text for a in articles}, settings, pairs)
    return aliases.count_titles(entities, articles)


def build_story(
    story_id: str,
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
    method: str | None = None,
    mentions: Mapping[str, Sequence[Mention]] | None = None,
    facts: Mapping[str, Facts] | None = None,
) -> Story:
    """Assemble one story from its member articles: copies, duplicates, entities, claims, timeline,
    title and summary. `mentions` and `facts` are the articles' entity mentions and facts where already known
    (found again for the others)."""
    copies, duplicates = dedupe.find_copies_and_duplicates(articles, sentences, settings)
    known = dict(facts or {})
    for a in articles:
        if a.id not in known:
            ms = (mentions or {}).get(a.id)
            if ms is None:
                ms = find_mentions(a, sentences.get(a.id, ()))
            known[a.id] = extract_facts(a, ms)
    story = Story(
        id=story_id,
        title="",  # set by summarize from the most representative article
        article_ids=tuple(a.id for a in articles),
        copies=copies,
        duplicates=duplicates,
        entities=story_entities(articles, sentences, mentions, settings),
        claims=find_claims(articles, known, sentences, settings),
        timeline=build_timeline(articles, known, sentences, settings),
    )
    story = summarize.summarize(story, {a.id: a for a in articles}, sentences, settings, method)
    _check("summarize", story, Story)
    return story


@dataclass
class RunResult:
    """What `run` made of a batch."""

    articles: dict[str, Article] = field(default_factory=dict)
    sentences: dict[str, tuple[Sentence, ...]] = field(default_factory=dict)
    mentions: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    facts: dict[str, Facts] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)


def run(items: Iterable[Article | InputError], settings: Settings, method: str | None = None) -> RunResult:
    """Run every stage over a batch of ingested articles (or ingest errors, passed through)."""
    result = RunResult()
    batch: dict[str, Article] = {}
    for item in items:
        if isinstance(item, InputError):
            result.failures.append(item)
        else:
            batch.setdefault(item.id, item)
    # as `engine.ingest` does: an undated article that names its day is dated from the batch
    dated = date_undated(list(batch.values()), int(settings.ingest.infer_date_max_days))
    for p in prepare_many(dated, settings):
        if isinstance(p, InputError):
            result.failures.append(p)
            continue
        result.articles[p.article.id] = p.article
        result.sentences[p.article.id] = p.sentences
        result.mentions[p.article.id] = p.mentions
        if p.facts is not None:
            result.facts[p.article.id] = p.facts
    for ids in cluster(list(result.articles.values()), settings):
        members = [result.articles[i] for i in ids]
        result.stories.append(build_story(
            story_id_for(ids[0]), members, result.sentences, settings, method, result.mentions, result.facts
        ))
    return result
