"""Render a `Story` and its articles as a dict, plain text, Markdown, JSON or one HTML page.

Shared by the CLI and the web app. This module only presents what it is given: it reads no store
and computes no new facts (the date range and outlet list are read off the articles as they are).

`story_dict` is the JSON contract: the keys `id`, `title`, `articles` (`id`, `source`, `title`,
`published`, `published_note`, `path`, `url`, `text`), `copies` (`text`, `articles`) and `summary` (`text`,
`articles`) keep their names; new keys may be added, none renamed. Provenance (`dedupe.provenance`,
a pure reading of the copies, duplicates and dates it is given) adds `first`, `credit` and `carriers`
to each copy and `original_share`, `shared_share` and `republishes` to each article. Given the articles'
`Facts`, each article gains `times`, `quantities` and `quotes` (`facts_dict`) and the story `quotes`
(each with its `article` and the speaker's display name: the story's entity for the name, if any).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TextIO

import jinja2
import markupsafe
from rapidfuzz.distance import Indel

from marsad.dedupe import Provenance, provenance
from marsad.extract.aliases import person_titles, surface, title_holder
from marsad.extract.entities import ORG_WORDS
from marsad.extract.gazetteer import name_tokens
from marsad.extract.quotes import statement_issuers
from marsad.model import (
    Article,
    Claim,
    Entity,
    Evidence,
    Facts,
    Quantity,
    Quote,
    Span,
    Story,
    TimeExpression,
)
from marsad.text.normalize import normalize
from marsad.text.tokens import words

FORMATS = ("text", "md", "json", "html")
"""Formats `render` accepts for one story."""
EXPORT_FORMATS = ("json", "jsonl", "csv", "md")
"""Formats `export` accepts for many stories."""
CSV_COLUMNS = ("story_id", "story_title", "article_id", "source", "published", "title", "url", "path")
"""Header row of the CSV export: one row per (story, article)."""

_UNTITLED = "(بلا عنوان)"
_SHORT_PASSAGE = 110  # characters of a shared passage quoted in the provenance section
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_NOT_ANCHOR_SAFE = re.compile(r"[^\w.-]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+=-])", re.M)


# --- public API ------------------------------------------------------------------------------------


def article_anchor(article_id: str) -> str:
    """The HTML/Markdown element id of an article's section: `article-<id>`."""
    return "article-" + _NOT_ANCHOR_SAFE.sub("-", article_id)


def _number(x: float | None) -> float | int | None:
    return int(x) if x is not None and float(x).is_integer() else x


def time_dict(t: TimeExpression) -> dict[str, Any]:
    """A time expression as JSON-ready data: `start`, `end`, `text`, `value`, `granularity`, `reason`."""
    return {"start": t.span.start, "end": t.span.end, "text": t.text, "value": t.value,
            "granularity": t.granularity, "reason": t.reason}


def quantity_dict(q: Quantity) -> dict[str, Any]:
    """A figure as JSON-ready data: `start`, `end`, `text`, `low`, `high`, `qualifier`, `unit`, `counted`."""
    return {"start": q.span.start, "end": q.span.end, "text": q.text, "low": _number(q.low),
            "high": _number(q.high), "qualifier": q.qualifier, "unit": q.unit, "counted": q.counted}


def quote_dict(q: Quote, speaker: str | None = None) -> dict[str, Any]:
    """A quote as JSON-ready data: `start`, `end`, `text`, `speaker` (`speaker` if given, else as written),
    `cue`, `direct`, and where the speaker is named (`speaker_start`, `speaker_end`, or null)."""
    return {"start": q.span.start, "end": q.span.end, "text": q.text,
            "speaker": speaker if speaker is not None else q.speaker, "cue": q.cue, "direct": q.direct,
            "speaker_start": q.speaker_span.start if q.speaker_span else None,
            "speaker_end": q.speaker_span.end if q.speaker_span else None}


def facts_dict(f: Facts | None) -> dict[str, list[dict[str, Any]]]:
    """An article's facts as JSON-ready lists: `times`, `quantities`, `quotes` (empty when None)."""
    if f is None:
        return {"times": [], "quantities": [], "quotes": []}
    return {"times": [time_dict(t) for t in f.times], "quantities": [quantity_dict(q) for q in f.quantities],
            "quotes": [quote_dict(q) for q in f.quotes]}


ALL_TYPES = ("PER", "ORG", "LOC", "MISC")


def name_form(name: str) -> str:
    """A name as entities are matched: clitics and titles stripped, in match form."""
    return normalize(surface(name))


EntityIndex = Mapping[tuple[str, str], tuple[int, Entity]]
"""(type, spelling in match form) -> (place in the story's entities, the first entity with it)."""


def entity_index(story: Story) -> EntityIndex:
    """The story's entities by type and spelling (the most mentioned first), built once per story for
    `entity_of`."""
    index: dict[tuple[str, str], tuple[int, Entity]] = {}
    for pos, e in enumerate(story.entities):
        for a in e.aliases:
            index.setdefault((e.type, name_form(a)), (pos, e))
            index.setdefault((e.type, " ".join(name_tokens(a))), (pos, e))
    return index


def named_in(
    phrase: str, story: Story, types: Sequence[str], index: EntityIndex | None = None
) -> Entity | None:
    """The one entity of the first of `types` that has a spelling inside `phrase` (words in a row, the
    longest at each place), or None when none or several do: the speaker of `واستعرض بوريطة تجربة المغرب
    ... مشيراً` is بوريطة."""
    index = entity_index(story) if index is None else index
    words = name_tokens(phrase)
    for typ in types:
        found: dict[str, Entity] = {}
        for i in range(len(words)):
            for j in range(min(len(words), i + 6), i, -1):
                hit = index.get((typ, " ".join(words[i:j])))
                if hit is not None:
                    found[hit[1].id] = hit[1]
                    break
        if found:
            return next(iter(found.values())) if len(found) == 1 else None
    return None


def entity_of(
    name: str,
    story: Story,
    types: Sequence[str] = ALL_TYPES,
    index: EntityIndex | None = None,
) -> Entity | None:
    """The story's entity (of one of `types`) that has `name` among its spellings (clitics and titles
    stripped, compared in match form), or None. `index` is `entity_index(story)`, when the caller
    looks up many names."""
    index = entity_index(story) if index is None else index
    form = name_form(name)
    found = [index[(t, form)] for t in types if (t, form) in index]
    return min(found, key=lambda pe: pe[0])[1] if found else None


# Bodies a quote names by their head noun alone (وقالت الوزارة في بيان …), as match forms.
_BODY_HEADS = frozenset(normalize(w) for w in [
    "وزارة", "هيئة", "شركة", "جمعية", "منظمة", "حركة", "جامعة", "لجنة", "وكالة", "مؤسسة", "رئاسة", "مديرية",
    "إدارة", "شرطة", "سفارة", "بلدية", "أمانة", "محكمة", "نيابة", "قيادة",
])


def _body_by_head(q: Quote, story: Story) -> Entity | None:
    """The one organisation of the quote's article whose name opens with the head noun the speaker is
    (الوزارة: وزارة الخارجية المغربية, where the article names no other ministry), or None."""
    words = name_tokens(q.speaker or "")
    if len(words) != 1 or not words[0].startswith("ال") or words[0][2:] not in _BODY_HEADS:
        return None
    found = [e for e in story.entities
             if e.type == "ORG" and name_tokens(e.name)[:1] == (words[0][2:],)
             and any(aid == q.article_id for aid, _ in e.mentions)]
    return found[0] if len(found) == 1 else None


_STATEMENT_NOUNS = frozenset(normalize(w) for w in ("بيان", "بلاغ"))
_ISSUED_BY = frozenset(normalize(w) for w in ("صادر", "صادرة", "الصادر", "الصادرة"))


def _statement_body(speaker: str, story: Story, index: EntityIndex | None) -> str | None:
    """The body a statement speaks for, when the speaker is the statement and its body (بيان للأمم
    المتحدة, بيان وزارة الداخلية, بيان صادر عن الحركة): the words after it, a ل glued to the first one
    dropped when what is left is a known name, an organisation word or definite (للأمم → الأمم; لجنة
    stays). None for any other speaker, and where a ل cannot be told from the name's own letter."""
    parts = speaker.split()
    if len(parts) < 2 or normalize(parts[0]) not in _STATEMENT_NOUNS:
        return None
    rest = parts[1:]
    if len(rest) > 2 and normalize(rest[0]) in _ISSUED_BY and normalize(rest[1]) in ("عن", "من"):
        rest = rest[2:]
    first = normalize(rest[0])
    if first.startswith("لل") and len(first) > 3:
        rest = ["ال" + rest[0][2:], *rest[1:]]
    elif first.startswith("ل") and first not in ORG_WORDS:
        bare = [rest[0][1:], *rest[1:]]
        if not (first[1:] in ORG_WORDS or first[1:3] == "ال"
                or entity_of(" ".join(bare), story, ("PER", "ORG"), index) is not None):
            return None  # لقوة …: a clitic or the name's own letter, not told apart here
        rest = bare
    return " ".join(rest)


def speaker_name(
    q: Quote, story: Story, index: EntityIndex | None = None, titles: Mapping[str, Any] | None = None
) -> str | None:
    """Who said it, by the story's entity for that name (its display name) when one has the name among
    its spellings, or else the one person whose name the speaker's words hold (`named_in`), or else the
    one person the story's articles give that post beside the name (`aliases.title_holder` over
    `titles`, `aliases.person_titles`: وزير الشؤون الخارجية والتعاون الإفريقي … is ناصر بوريطة), or the
    one body of its article a head noun stands for (`_body_by_head`: الوزارة), else as written."""
    if q.speaker is None:
        return None
    body = _statement_body(q.speaker, story, index)
    if body is not None:
        q = dataclasses.replace(q, speaker=body)
    e = entity_of(q.speaker, story, ("PER", "ORG"), index) or named_in(q.speaker, story, ("PER",), index)
    if e is None and titles:
        held = title_holder(q.speaker, titles)
        e = next((x for x in story.entities if x.id == held), None)
    e = e or _body_by_head(q, story)
    return e.name if e is not None else q.speaker


def story_titles(story: Story, articles: Iterable[Article]) -> dict[str, list]:
    """`aliases.person_titles` of the story's people over its articles: read by `speaker_name`."""
    return person_titles(story.entities, {a.id: a.text for a in articles})


# A speaker that is an honour with its pronoun (سموه "his highness", معاليه "his excellency") and the words
# that give a person that honour within `_HONOUR_REACH` characters before the name or in it.
_HONOURED = {
    normalize("سموه"): tuple(normalize(w) for w in ("سمو", "الأمير", "أمير", "ولي العهد")),
    normalize("معاليه"): tuple(normalize(w) for w in ("معالي", "وزير", "رئيس", "أمين", "مدير", "السفير")),
}
_HONOUR_REACH = 60


def _speakers(
    story: Story, articles: Iterable[Article] = (), facts: Mapping[str, Facts] | None = None
) -> Callable[[Quote], str | None]:
    """`speaker_name` for the quotes of one story; the people's posts (`story_titles`, a read of every
    article) are gathered only when a speaker is not named otherwise, once. A statement quoted by its
    definite noun alone (البيان) is named by the body that issued it, when the statements its article
    introduced before (`quotes.statement_issuers`: وقالت الوزارة في بيان) are all that body's; سموه and
    معاليه are the last named speaker before them, when the text gives that person the honour."""
    index = entity_index(story)
    by_id = {a.id: a for a in articles}
    found: dict[str, Any] = {}
    issued: dict[str, tuple[list[Quote], dict[int, list[int]]]] = {}

    def before(q: Quote) -> tuple[list[Quote], int | None, dict[int, list[int]]] | None:
        """The quotes of q's article in text order, q's place among them, and `statement_issuers`."""
        if not facts or q.article_id not in facts or q.article_id not in by_id:
            return None
        if q.article_id not in issued:
            quotes = sorted(facts[q.article_id].quotes, key=lambda x: x.span.start)
            issued[q.article_id] = quotes, statement_issuers(by_id[q.article_id].text, quotes)
        quotes, back = issued[q.article_id]
        k = next((i for i, x in enumerate(quotes) if x.span == q.span and x.speaker == q.speaker), None)
        return quotes, k, back

    def issuer(q: Quote) -> str | None:
        got = before(q)
        if got is None:
            return None
        quotes, k, back = got
        names = {name(quotes[i]) for i in back.get(k, ())}
        return names.pop() if len(names) == 1 else None

    def honoured(q: Quote) -> str | None:
        """سموه / معاليه: the person the last named speaker before it is, given that honour (سمو الأمير
        خالد الفيصل … وأبان سموه; معالي الدكتور عبدالرحمن السديس … وبين معاليه)."""
        marks = _HONOURED.get(normalize((q.speaker or "").strip()))
        got = None if marks is None else before(q)
        if got is None or got[1] is None:
            return None
        quotes, k, _ = got
        text = by_id[q.article_id].text
        for p in reversed(quotes[:k]):
            if p.speaker is None or p.speaker_span is None or normalize(p.speaker.strip()) in _HONOURED:
                continue
            who = name(p)
            person = any(e.name == who and e.type == "PER" for e in story.entities)
            near = normalize(text[max(0, p.speaker_span.start - _HONOUR_REACH) : p.speaker_span.end])
            return who if person and any(m in near for m in marks) else None
        return None

    def name(q: Quote) -> str | None:
        plain = speaker_name(q, story, index)
        if plain != q.speaker or q.speaker is None:
            return plain
        if by_id:
            if "titles" not in found:
                found["titles"] = story_titles(story, by_id.values())
            plain = speaker_name(q, story, index, found["titles"])
            if plain != q.speaker:
                return plain
        return issuer(q) or honoured(q) or plain

    return name


def story_quotes(
    story: Story, facts: Mapping[str, Facts], articles: Iterable[Article] = ()
) -> list[dict[str, Any]]:
    """Every quote of the story's articles, in article order: `quote_dict` plus its `article`
    (`articles`: the story's, to name a speaker given by post alone)."""
    speaker = _speakers(story, articles, facts)
    return [
        {**quote_dict(q, speaker(q)), "article": aid}
        for aid in story.article_ids
        if aid in facts
        for q in facts[aid].quotes
    ]


def story_dict(
    story: Story,
    articles: Mapping[str, Article],
    prov: Provenance | None = None,
    facts: Mapping[str, Facts] | None = None,
) -> dict[str, Any]:
    """The story as plain JSON-ready data (the export contract; see the module docstring).

    `prov` is the story's `dedupe.provenance`, computed here when not given; `facts` are its articles'
    facts (`pipeline.extract_facts`, stored by the engine): an article without them lists none.
    """
    arts = _story_articles(story, articles)
    prov = prov if prov is not None else provenance(story, articles)
    facts = facts or {}
    dates = [a.published for a in arts if a.published is not None]
    first, last = (min(dates, key=_date_key), max(dates, key=_date_key)) if dates else (None, None)
    return {
        "id": story.id,
        "title": story.title,
        "outlets": _outlets(arts),
        "first_published": _iso(first),
        "last_published": _iso(last),
        "articles": [
            {
                **article_fields(a),
                "original_share": round(share.original_share, 3),
                "shared_share": round(share.shared_share, 3),
                "republishes": share.republishes,
                **facts_dict(facts.get(a.id)),
            }
            for a, share in zip(arts, prov.articles, strict=True)
        ],
        "copies": [
            {
                "text": p.text,
                "articles": list(p.article_ids),
                "evidence": _evidence(p.evidence),
                "first": origin.first,
                "credit": origin.credit,
                "carriers": [
                    {"article": c.article_id, "source": c.source, "published": _iso(c.published)}
                    for c in origin.carriers
                ],
            }
            for p, origin in zip(story.copies, prov.passages, strict=True)
        ],
        "summary": [
            {"text": s.text, "articles": list(s.article_ids), "evidence": _evidence(s.evidence)}
            for s in story.summary
        ],
        "duplicates": [list(group) for group in story.duplicates],
        "entities": [entity_dict(e) for e in story.entities],
        "quotes": story_quotes(story, facts, arts),
        "claims": [claim_dict(c) for c in story.claims],
        "timeline": [
            {"date": ev.date, "text": ev.text, "articles": list(ev.article_ids), "background": ev.background,
             "note": ev.note, "evidence": _evidence(ev.evidence)}
            for ev in story.timeline
        ],
    }


def article_fields(a: Article) -> dict[str, Any]:
    """An article's own keys of the export contract: `id`, `source`, `title`, `title_derived`,
    `published`, `published_note` (where the date came from; `inferred: …` when marsad inferred it),
    `path`, `url`, `text`."""
    return {"id": a.id, "source": a.source, "title": a.title, "title_derived": a.title_derived,
            "published": _iso(a.published), "published_note": a.published_note, "path": a.path,
            "url": a.url, "text": a.text}


def claim_dict(claim: Claim) -> dict[str, Any]:
    """A claim as JSON-ready data: `subject`, `verdict` (agree, compatible, conflict, single) and
    `values`, each `value` as written, `low`, `high`, `qualifier`, `unit`, `articles` and `evidence`."""
    return {
        "subject": claim.subject,
        "verdict": claim.verdict,
        "values": [
            {"value": v.text, "low": _number(v.low), "high": _number(v.high), "qualifier": v.qualifier,
             "unit": v.unit, "articles": list(v.article_ids), "evidence": _evidence(v.evidence)}
            for v in claim.values
        ],
    }


def entity_dict(entity: Entity) -> dict[str, Any]:
    """An entity as JSON-ready data: `id`, `name`, `type`, `aliases`, `articles`, and `mentions` (how
    many times each article names it)."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "articles": list(entity.articles),
        "mentions": {aid: n for aid, n in entity.mentions},
    }


def render(
    story: Story,
    articles: Mapping[str, Article],
    fmt: str = "text",
    facts: Mapping[str, Facts] | None = None,
    href: Href | None = None,
) -> str:
    """Render one story in `fmt`, one of `FORMATS`; ValueError for any other. `facts` as for
    `story_dict`; `href` as for `story_view` (HTML only)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(story_dict(story, articles, facts=facts), ensure_ascii=False, indent=2) + "\n"
    view = story_view(story, articles, facts or {}, href)
    if fmt == "text":
        return _text(view)
    if fmt == "md":
        return _markdown(view)
    import marsad  # here, not at the top: marsad/__init__ may one day import this module

    return _env().get_template("story.html.j2").render(v=view, version=marsad.__version__)


def export(stories: Iterable[tuple], fmt: str, out: TextIO) -> None:
    """Write many stories to `out` in `fmt`, one of `EXPORT_FORMATS`, one story at a time. Each item is
    (story, articles by id) or (story, articles by id, their facts by id).

    json: `{"stories": [...]}`; jsonl: one story dict a line; csv: one row per (story, article)
    under `CSV_COLUMNS`; md: each story's Markdown, separated by a rule. Text is written as-is
    (UTF-8 is up to `out`).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    items = ((s, a, rest[0] if rest else None) for s, a, *rest in stories)
    if fmt == "json":
        out.write('{"stories": [')
        for i, (story, arts, facts) in enumerate(items):
            body = json.dumps(story_dict(story, arts, facts=facts), ensure_ascii=False, indent=2)
            out.write(("," if i else "") + "\n" + _indent(body, "  "))
        out.write("\n]}\n")
    elif fmt == "jsonl":
        for story, arts, facts in items:
            out.write(json.dumps(story_dict(story, arts, facts=facts), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for story, arts, _ in items:
            for a in _story_articles(story, arts):
                writer.writerow(
                    [
                        story.id,
                        story.title,
                        a.id,
                        a.source,
                        _iso(a.published) or "",
                        a.title,
                        a.url or "",
                        a.path,
                    ]
                )
    else:
        for i, (story, arts, facts) in enumerate(items):
            out.write(("\n---\n\n" if i else "") + render(story, arts, "md", facts))


# --- shared helpers --------------------------------------------------------------------------------


def _story_articles(story: Story, articles: Mapping[str, Article]) -> list[Article]:
    missing = [aid for aid in story.article_ids if aid not in articles]
    if missing:
        raise ValueError(f"story {story.id}: article(s) not given: {', '.join(missing)}")
    return [articles[aid] for aid in story.article_ids]


UNKNOWN_OUTLET = "unknown"
"""`Article.source` when nothing names the outlet (ingest)."""


def outlet_label(source: str) -> str:
    """An outlet's name as pages show it: the unknown outlet said in words, not as the stored key."""
    return "منفذ غير معروف" if source == UNKNOWN_OUTLET else source


def _outlets(arts: Iterable[Article]) -> list[str]:
    return list(dict.fromkeys(a.source for a in arts))


def _evidence(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [{"article": e.article_id, "start": e.span.start, "end": e.span.end} for e in evidence]


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _date_key(value: date | datetime) -> tuple[date, str]:
    # A date and a datetime (or a naive and an aware datetime) do not compare; the day plus the
    # ISO string orders them well enough for a display range.
    day = value.date() if isinstance(value, datetime) else value
    return day, value.isoformat()


def display_date(value: date | datetime | None) -> str:
    """A date or datetime as pages show it (`2022-05-10 22:45`; empty when unknown)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


INFERRED = "inferred:"
"""How `Article.published_note` starts when the date was inferred (`extract.time.date_undated`)."""


def article_date(a: Article) -> str:
    """An article's date as pages show it, marked when marsad inferred it from the text."""
    shown = display_date(a.published)
    if shown and a.published_note.startswith(INFERRED):
        return f"{shown} (مستنتج من النص — inferred)"
    return shown


def _short_id(article_id: str) -> str:
    return article_id if len(article_id) <= 10 else article_id[:8] + "…"


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """`[start, end)` of each paragraph (split on blank lines, outer whitespace trimmed)."""
    raw, pos = [], 0
    for m in _BLANK_LINE.finditer(text):
        raw.append((pos, m.start()))
        pos = m.end()
    raw.append((pos, len(text)))
    spans = []
    for start, end in raw:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _marks(article: Article, story: Story) -> list[tuple[int, int, tuple[int, ...]]]:
    """Merged spans of `article` that appear in the story's copies, with the copy numbers (1-based)."""
    spans = sorted(
        (max(0, e.span.start), min(e.span.end, len(article.text)), n)
        for n, passage in enumerate(story.copies, 1)
        for e in passage.evidence
        if e.article_id == article.id and e.span.start < len(article.text) and len(e.span)
    )
    merged: list[tuple[int, int, tuple[int, ...]]] = []
    for start, end, n in spans:
        if merged and start <= merged[-1][1]:
            s, e, ns = merged[-1]
            merged[-1] = (s, max(e, end), ns if n in ns else (*ns, n))
        else:
            merged.append((start, end, (n,)))
    return merged


def _segments(
    text: str, marks: Sequence[tuple[int, int, tuple[int, ...]]]
) -> list[list[tuple[str, tuple[int, ...]]]]:
    """Paragraphs of `text`, each a list of `(piece, copy numbers)`; an empty tuple is unmarked."""
    paragraphs = []
    for pstart, pend in paragraph_spans(text):
        pieces: list[tuple[str, tuple[int, ...]]] = []
        pos = pstart
        for mstart, mend, copies in marks:
            mstart, mend = max(mstart, pstart), min(mend, pend)
            if mstart >= mend:
                continue
            if pos < mstart:
                pieces.append((text[pos:mstart], ()))
            pieces.append((text[mstart:mend], copies))
            pos = mend
        if pos < pend:
            pieces.append((text[pos:pend], ()))
        paragraphs.append(pieces)
    return paragraphs


def _pct(share: float) -> str:
    """A share as a whole percentage that never reads 0% or 100% when it is not."""
    n = round(share * 100)
    if n == 0 and share > 0:
        return "<1%"
    if n == 100 and share < 1:
        return ">99%"
    return f"{n}%"


def _shorten(text: str, limit: int = _SHORT_PASSAGE) -> str:
    """`text` on one line, cut at a word boundary to about `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(" ،,؛.") + "…"


def quantity_value(q: Quantity) -> str:
    """A figure's resolved value in a few characters: 84, 80–90, >80, ≈10000, with its unit."""
    def num(x: float | None) -> str:
        return "" if x is None else f"{_number(x):,}"

    marks = {"approx": "≈", "more_than": ">", "less_than": "<", "at_least": "≥", "at_most": "≤"}
    if q.low is not None and q.high is not None and q.low != q.high:
        value = f"{num(q.low)}–{num(q.high)}"
    else:
        value = marks.get(q.qualifier, "") + num(q.low if q.low is not None else q.high)
    return f"{value} {q.unit}" if q.unit else value


# Two quotes of one speaker are the same words (carried by several outlets) at this similarity of their
# match-form words (`rapidfuzz` Indel, 0-1). Set by reading, not tuned: on a 17-article story of a stored
# SaudiNewsNet day (a royal order appointing judges), one official's 36 quotes pair at 0.4-0.5 when they
# say different things and at 0.8-1.0 when outlets carry the same statement (typos, word order, an
# inserted prayer).
_SAME_QUOTE = 0.75


def _quote_groups(
    story: Story, facts: Mapping[str, Facts], source, articles: Iterable[Article] = ()
) -> list[dict[str, Any]]:
    """The story's quotes grouped by speaker (most quoted first; quotes with no speaker last). Within a
    speaker, the same words carried by several outlets are one entry that cites them all (`sources`,
    in article order; `source` is the first), written as the first article has them."""
    groups: dict[str | None, list[dict[str, Any]]] = {}
    forms: dict[str | None, list[str]] = {}
    speaker = _speakers(story, articles, facts)
    for aid in story.article_ids:
        for q in facts[aid].quotes if aid in facts else ():
            who = speaker(q)
            form = " ".join(words(normalize(q.text)))
            entries, seen = groups.setdefault(who, []), forms.setdefault(who, [])
            same = next(
                (k for k, f in enumerate(seen) if Indel.normalized_similarity(f, form) >= _SAME_QUOTE), None)
            if same is not None:
                entries[same]["sources"].append(source(aid, q.span))
                continue
            first = source(aid, q.span)
            entries.append(
                {"text": q.text, "direct": q.direct, "cue": q.cue, "source": first, "sources": [first]})
            seen.append(form)

    def cited(k: str | None) -> int:
        return sum(len(e["sources"]) for e in groups[k])

    order = sorted(groups, key=lambda k: (k is None, -cited(k), k or ""))
    return [{"speaker": k or "(متكلم غير محدد)", "known": k is not None, "quotes": groups[k]} for k in order]


Href = Callable[[str, "Span | None"], str]
"""Where a source link points: (article id, the passage in it or None) -> URL."""


def _first_spans(evidence: Iterable[Evidence]) -> dict[str, Span]:
    """Each article's first evidence span, in evidence order."""
    out: dict[str, Span] = {}
    for e in evidence:
        out.setdefault(e.article_id, e.span)
    return out


def removed_pieces(article: Article) -> list[dict[str, Any]]:
    """What cleaning dropped from the article, in raw-text order: `reason` and `text` of each piece."""
    return [
        {"reason": r.reason, "text": r.span.of(article.raw).strip()}
        for r in sorted(article.removed, key=lambda r: r.span.start)
        if r.span.of(article.raw).strip()
    ]


def story_view(
    story: Story,
    articles: Mapping[str, Article],
    facts: Mapping[str, Facts] | None = None,
    href: Href | None = None,
) -> dict[str, Any]:
    """Everything the text, Markdown and HTML renderers show, already looked up and formatted.

    `href` says where a source points (default: the article's section of this page); a source given
    with its passage (summary, timeline, figures, quotes) passes that span to it."""
    facts = facts or {}
    arts = _story_articles(story, articles)
    prov = provenance(story, articles)
    shares = {s.article_id: s for s in prov.articles}
    known = {a.id for a in arts}
    per_outlet = Counter(a.source for a in arts)
    published = {a.id: a.published for a in arts if a.published is not None}

    def first_reported(aids: Iterable[str]) -> str:
        """When the earliest of these articles was published: a toll that rose is read in time."""
        got = [published[aid] for aid in aids if aid in published]
        return display_date(min(got, key=_date_key)) if got else ""

    dates = list(published.values())
    earliest, latest = (min(dates, key=_date_key), max(dates, key=_date_key)) if dates else (None, None)
    first, last = display_date(earliest), display_date(latest)
    duplicate_of = {aid: group[0] for group in story.duplicates for aid in group[1:]}

    def source(aid: str, span: Span | None = None) -> dict[str, Any]:
        a = articles.get(aid)
        if a is None:  # evidence from outside the story: show the id, link nowhere
            return {
                "id": aid,
                "short": _short_id(aid),
                "outlet": aid,
                "label": _short_id(aid),
                "ambiguous": False,
                "anchor": None,
                "href": None,
            }
        # Name the outlet; add the short id only when the outlet has several articles in the story.
        name = outlet_label(a.source)
        label = name if per_outlet[a.source] == 1 else f"{name} {_short_id(aid)}"
        return {
            "id": aid,
            "short": _short_id(aid),
            "outlet": name,
            "label": label,
            "ambiguous": per_outlet[a.source] > 1,
            "title": a.title,
            "anchor": article_anchor(aid) if aid in known else None,
            "href": (href(aid, span) if href else "#" + article_anchor(aid)) if aid in known else None,
        }

    return {
        "id": story.id,
        "title": story.title or (arts[0].title if arts else "") or _UNTITLED,
        "first": first,
        "last": last,
        "first_iso": _iso(earliest) or "",
        "last_iso": _iso(latest) or "",
        "outlets": [outlet_label(o) for o in _outlets(arts)],
        "n_articles": len(arts),
        "summary": [
            {"text": s.text, "sources": [source(aid, sp) for aid, sp in _first_spans(s.evidence).items()]}
            for s in story.summary
        ],
        "copies": [
            {"n": n, "text": p.text, "sources": [source(aid) for aid in p.article_ids]}
            for n, p in enumerate(story.copies, 1)
        ],
        "duplicates": [[source(aid) for aid in group] for group in story.duplicates],
        "entity_headings": _ENTITY_HEADINGS,
        "entities": {
            label: [
                {
                    "id": e.id,
                    "href": None,
                    "name": e.name,
                    "others": [a for a in e.aliases if a != e.name],
                    "n_articles": len(e.mentions),
                    "n_mentions": sum(n for _, n in e.mentions),
                }
                for e in story.entities
                if e.type == label
            ]
            for label in ENTITY_LABELS
        },
        "quotes": _quote_groups(story, facts, source, arts),
        "claims": [
            {
                "subject": c.subject,
                "verdict": c.verdict,
                "verdict_label": _VERDICTS[c.verdict],
                "values": [
                    {"text": v.text, "value": quantity_value(v.quantity),
                     "first": first_reported(v.article_ids),
                     "sources": [source(aid, sp) for aid, sp in _first_spans(v.evidence).items()]}
                    for v in c.values
                ],
            }
            for c in story.claims
            if c.verdict != "single"
        ],
        "single_claims": sum(c.verdict == "single" for c in story.claims),
        "timeline": [
            {"date": ev.date, "text": ev.text, "note": ev.note, "background": ev.background,
             "sources": [source(aid, sp) for aid, sp in _first_spans(ev.evidence).items()]}
            for ev in story.timeline
        ],
        "provenance": {
            "show": bool(story.copies or story.duplicates),
            "passages": [
                {
                    "n": n,
                    "short": _shorten(origin.passage.text),
                    "credit": origin.credit,
                    "carriers": [
                        {
                            **source(c.article_id),
                            "date": article_date(articles[c.article_id]) if c.article_id in articles
                            else display_date(c.published),
                            "date_iso": _iso(c.published) or "",
                        }
                        for c in origin.carriers
                    ],
                }
                for n, origin in enumerate(prov.passages, 1)
            ],
            "articles": [
                {
                    **source(a.id),
                    "original": _pct(shares[a.id].original_share),
                    "shared": _pct(shares[a.id].shared_share) if shares[a.id].shared_share > 0 else "",
                    "republishes": (
                        source(shares[a.id].republishes) if shares[a.id].republishes else None
                    ),
                }
                for a in arts
            ],
        },
        "articles": [
            {
                "id": a.id,
                "short": _short_id(a.id),
                "anchor": article_anchor(a.id),
                "outlet": outlet_label(a.source),
                "date": article_date(a),
                "date_iso": _iso(a.published) or "",
                "title": a.title or _UNTITLED,
                "title_derived": a.title_derived,
                "url": a.url,
                "url_is_link": bool(a.url and re.match(r"https?://", a.url, re.I)),
                "path": a.path,
                "duplicate_of": source(duplicate_of[a.id]) if a.id in duplicate_of else None,
                "original": _pct(shares[a.id].original_share),
                "republishes": source(shares[a.id].republishes) if shares[a.id].republishes else None,
                "text": a.text,
                "page": None,
                "collapsed": False,
                "removed": removed_pieces(a),
                "paragraphs": _segments(a.text, _marks(a, story)),
                "times": [
                    {"text": t.text, "value": t.value or "؟", "granularity": t.granularity}
                    for t in (facts[a.id].times if a.id in facts else ())
                ],
                "figures": [
                    {"text": q.text, "value": quantity_value(q), "counted": q.counted or ""}
                    for q in (facts[a.id].quantities if a.id in facts else ())
                ],
            }
            for a in arts
        ],
    }


# Claim verdicts as the reports name them.
_VERDICTS = {
    "agree": "متفق (agree)", "compatible": "متوافق (compatible)", "conflict": "متعارض (conflict)",
    "single": "مصدر واحد (single)",
}

# Entity types in the order the reports list them, with their headings.
ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
_ENTITY_HEADINGS = {
    "PER": "أشخاص (people)", "ORG": "منظمات (organisations)", "LOC": "أماكن (places)", "MISC": "أخرى (other)",
}


def _entity_line(e: Mapping[str, Any]) -> str:
    others = f" — {' / '.join(e['others'])}" if e["others"] else ""
    arts = "مقال واحد" if e["n_articles"] == 1 else f"{e['n_articles']} مقالات"
    times = "إشارة واحدة" if e["n_mentions"] == 1 else f"{e['n_mentions']} إشارات"
    return f"{e['name']}{others} ({arts}، {times})"


def _date_range(view: Mapping[str, Any]) -> str:
    if not view["first"]:
        return "غير معروف (unknown)"
    return view["first"] if view["first"] == view["last"] else f"{view['first']} → {view['last']}"


# --- text ------------------------------------------------------------------------------------------


def _text(v: Mapping[str, Any]) -> str:
    def sources(items: Iterable[Mapping[str, Any]]) -> str:
        return (
            "[" + ", ".join(f"{s['outlet']} {s['short']}" if s["anchor"] else s["short"] for s in items) + "]"
        )

    def heading(title: str) -> list[str]:
        return ["", title, "-" * len(title)]

    lines = [v["title"], "=" * min(len(v["title"]), 72)]
    lines.append(f"التاريخ (dates): {_date_range(v)}")
    lines.append(f"المنافذ (outlets): {len(v['outlets'])} — {'، '.join(v['outlets'])}")
    lines.append(f"المقالات (articles): {v['n_articles']}    القصة (story): {v['id']}")

    if v["summary"]:
        lines += heading("الملخص (summary)")
        for i, s in enumerate(v["summary"], 1):
            lines.append(f"{i}. {s['text']}")
            lines.append(f"   {sources(s['sources'])}")

    if v["timeline"]:
        lines += heading("التسلسل الزمني (timeline)")
        own = [e for e in v["timeline"] if not e["background"]]
        past = [e for e in v["timeline"] if e["background"]]
        for e in own:
            note = f" ({e['note']})" if e["note"] else ""
            lines.append(f"- {e['date']}: {e['text']} {sources(e['sources'])}{note}")
        if past:
            lines.append("خلفية (background):")
            lines.extend(f"- {e['date']}: {e['text']} {sources(e['sources'])}" for e in past)

    if v["claims"]:
        lines += heading("الأرقام بين المنافذ (figures across outlets)")
        for c in v["claims"]:
            lines.append(f"- {c['subject']}: {c['verdict_label']}")
            for x in c["values"]:
                since = f" — أول نشر {x['first']}" if x["first"] else ""
                lines.append(f"    {x['text']} ({x['value']}) {sources(x['sources'])}{since}")
        if v["single_claims"]:
            more = v["single_claims"]
            lines.append(f"  و{more} أرقام أخرى يذكرها منفذ واحد ({more} more figures from one outlet each)")

    if v["quotes"]:
        lines += heading("الاقتباسات (quotes, by speaker)")
        for g in v["quotes"]:
            lines.append(f"{g['speaker']}:")
            for q in g["quotes"]:
                text = f"«{q['text']}»" if q["direct"] else q["text"]
                lines.append(f"- {q['cue']}: {_indent(text, '  ').lstrip()}  {sources(q['sources'])}")

    if any(v["entities"].values()):
        lines += heading("الكيانات (entities)")
        for label in ENTITY_LABELS:
            if v["entities"][label]:
                lines.append(f"{_ENTITY_HEADINGS[label]}:")
                lines.extend(f"- {_entity_line(e)}" for e in v["entities"][label])

    if v["copies"]:
        lines += heading("نصوص مشتركة (shared passages)")
        for c in v["copies"]:
            body = _indent(c["text"].strip(), "   ").lstrip()
            lines.append(f"{c['n']}. «{body}»")
            lines.append(f"   ترد في (carried by): {sources(c['sources'])}")

    prov = v["provenance"]
    if prov["show"]:
        lines += heading("المصدر والنسخ (provenance)")
        for p in prov["passages"]:
            lines.append(f"{p['n']}. «{p['short']}»")
            for i, c in enumerate(p["carriers"], 1):
                who = f"{c['outlet']} {c['short']}" if c["anchor"] else c["short"]
                when = c["date"] or "بلا تاريخ (no date)"
                lines.append(f"   {i}) {who} · {when}{' — ' + _origin_note(p) if i == 1 else ''}")
        lines.append("")
        lines.append("حصة النص الأصلي (original share):")
        for a in prov["articles"]:
            lines.append(f"- {a['outlet']} {a['short']}: {_share_note(a)}")

    lines += heading("المقالات (articles)")
    for i, a in enumerate(v["articles"], 1):
        meta = " · ".join(x for x in (a["outlet"], a["date"] or "بلا تاريخ (no date)", a["short"]) if x)
        lines.append(f"{i}. {meta}")
        derived = "  [عنوان مشتق (derived title)]" if a["title_derived"] else ""
        lines.append(f"   {a['title']}{derived}")
        if a["url"]:
            lines.append(f"   {a['url']}")
        if a["duplicate_of"]:
            lines.append(f"   نسخة مكررة من (duplicate of) {a['duplicate_of']['short']}")
        elif a["republishes"]:
            lines.append(f"   إعادة نشر لـ (republishes) {a['republishes']['short']}")
        if a["times"]:
            lines.append("   تواريخ (dates): " + "؛ ".join(f"{t['text']} → {t['value']}" for t in a["times"]))
        if a["figures"]:
            figures = "؛ ".join(f"{q['text']} → {q['value']}" for q in a["figures"])
            lines.append(f"   أرقام (figures): {figures}")
    return "\n".join(lines) + "\n"


def _origin_note(p: Mapping[str, Any]) -> str:
    if p["credit"]:
        return f"الأسبق، منسوب إلى {p['credit']} (first; credited to {p['credit']})"
    return "الأصل المرجّح (probable origin)"


def _share_note(a: Mapping[str, Any], link: str | None = None) -> str:
    note = f"{a['original']} أصلي (original)"
    if a["shared"]:
        note += f" · {a['shared']} مشترك مع مقالات أسبق (shared with earlier articles)"
    if a["republishes"]:
        target = link if link is not None else a["republishes"]["short"]
        note += f" · إعادة نشر لـ (republishes) {target}"
    return note


# --- Markdown --------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Escape Markdown syntax (and raw HTML) in display text; keep hard line breaks."""
    text = _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text))
    return text.replace("\n", "  \n")


def _markdown(v: Mapping[str, Any]) -> str:
    def links(items: Iterable[Mapping[str, Any]]) -> str:
        return "، ".join(
            f"[{_md(s['outlet'])}{' ' + s['short'] if s['ambiguous'] else ''}](#{s['anchor']})"
            if s["anchor"]
            else f"`{s['id']}`"
            for s in items
        )

    out = [f"# {_md(v['title'])}", ""]
    out.append(
        f"**التاريخ (dates):** {_date_range(v)} · "
        f"**المنافذ (outlets):** {len(v['outlets'])} ({_md('، '.join(v['outlets']))}) · "
        f"**المقالات (articles):** {v['n_articles']} · **القصة (story):** `{v['id']}`"
    )
    if v["summary"]:
        out += ["", "## الملخص (summary)", ""]
        out += [f"{i}. {_md(s['text'])} — {links(s['sources'])}" for i, s in enumerate(v["summary"], 1)]
    if v["timeline"]:
        out += ["", "## التسلسل الزمني (timeline)", ""]
        for e in (e for e in v["timeline"] if not e["background"]):
            note = f" *({_md(e['note'])})*" if e["note"] else ""
            out.append(f"- **{e['date']}**: {_md(e['text'])} — {links(e['sources'])}{note}")
        past = [e for e in v["timeline"] if e["background"]]
        if past:
            out += ["", "**خلفية (background):**", ""]
            out += [f"- {e['date']}: {_md(e['text'])} — {links(e['sources'])}" for e in past]
    if v["claims"]:
        out += ["", "## الأرقام بين المنافذ (figures across outlets)", "",
                "| الموضوع (subject) | الحكم (verdict) | القيم (values) |", "|---|---|---|"]
        for c in v["claims"]:
            values = "<br>".join(f"{_md(x['text'])} — {links(x['sources'])}"
                                 + (f" (أول نشر {x['first']})" if x["first"] else "") for x in c["values"])
            out.append(f"| {_md(c['subject'])} | {c['verdict_label']} | {values} |")
    if v["quotes"]:
        out += ["", "## الاقتباسات (quotes, by speaker)"]
        for g in v["quotes"]:
            out += ["", f"**{_md(g['speaker'])}:**", ""]
            for q in g["quotes"]:
                text = f"«{_md(q['text'])}»" if q["direct"] else _md(q["text"])
                out.append(f"- {_md(q['cue'])}: {text} — {links(q['sources'])}")
    if any(v["entities"].values()):
        out += ["", "## الكيانات (entities)"]
        for label in ENTITY_LABELS:
            if v["entities"][label]:
                out += ["", f"**{_ENTITY_HEADINGS[label]}:**", ""]
                out += [f"- {_md(_entity_line(e))}" for e in v["entities"][label]]
    if v["copies"]:
        out += ["", "## نصوص مشتركة (shared passages)", ""]
        for c in v["copies"]:
            out.append(f"{c['n']}. ترد في (carried by): {links(c['sources'])}")
            out.append("")
            out.append(_indent(_md(c["text"].strip()), "   > "))
            out.append("")
    prov = v["provenance"]
    if prov["show"]:
        out += ["", "## المصدر والنسخ (provenance)", ""]
        for p in prov["passages"]:
            out.append(f"{p['n']}. «{_md(p['short'])}»")
            for i, c in enumerate(p["carriers"], 1):
                when = c["date"] or "بلا تاريخ (no date)"
                note = f" — **{_origin_note(p)}**" if i == 1 else ""
                out.append(f"   {i}. {links([c])} · {when}{note}")
        out += ["", "**حصة النص الأصلي (original share):**", ""]
        for a in prov["articles"]:
            target = links([a["republishes"]]) if a["republishes"] else None
            out.append(f"- {links([a])}: {_share_note(a, target)}")
    out += ["", "## المقالات (articles)"]
    for a in v["articles"]:
        derived = " *(عنوان مشتق — derived title)*" if a["title_derived"] else ""
        out += ["", f'### <a id="{a["anchor"]}"></a>{_md(a["title"])}{derived}', ""]
        out.append(f"- **المنفذ (outlet):** {_md(a['outlet'])}")
        out.append(f"- **التاريخ (date):** {a['date'] or 'غير معروف (unknown)'}")
        out.append(f"- **المعرّف (id):** `{a['id']}`")
        if a["url"]:
            out.append(
                f"- **الرابط (url):** <{a['url']}>"
                if a["url_is_link"]
                else f"- **الرابط (url):** `{a['url']}`"
            )
        if a["duplicate_of"]:
            out.append(f"- **نسخة مكررة من (duplicate of):** {links([a['duplicate_of']])}")
        out.append(f"- **النص الأصلي (original share):** {a['original']}")
        if a["republishes"] and not a["duplicate_of"]:
            out.append(f"- **إعادة نشر لـ (republishes):** {links([a['republishes']])}")
        if a["times"]:
            dates = "؛ ".join(f"{_md(t['text'])} → `{t['value']}`" for t in a["times"])
            out.append(f"- **تواريخ (dates):** {dates}")
        if a["figures"]:
            figures = "؛ ".join(f"{_md(q['text'])} → `{q['value']}`" for q in a["figures"])
            out.append(f"- **أرقام (figures):** {figures}")
        for start, end in paragraph_spans(a["text"]):
            out += ["", _md(a["text"][start:end])]
    return "\n".join(out) + "\n"


# --- HTML ------------------------------------------------------------------------------------------


# Bidi embeddings, overrides and isolates: in untrusted text they can reorder what a reader sees
# (a title that displays as something else), so the HTML never carries them; <bdi> isolates instead.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def inert(value: Any) -> Any:
    """`value` for HTML output: strings lose bidi override/embedding/isolate controls (escaping is
    Jinja's autoescape)."""
    if isinstance(value, markupsafe.Markup):  # already-safe HTML (a macro's output): keep it safe
        return markupsafe.Markup(_BIDI_CONTROLS.sub("", value))
    return _BIDI_CONTROLS.sub("", value) if isinstance(value, str) else value


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("marsad", "templates"),
        autoescape=True,
        finalize=inert,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
