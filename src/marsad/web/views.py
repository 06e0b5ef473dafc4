"""What each web page and API route shows, read from the store and shaped for templates and JSON.

Every function here takes a `Store` and plain arguments and returns plain data: no request, no HTML.
Spans come from the store as they were written at ingest; nothing is re-extracted per request.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from marsad import report
from marsad.model import Article, Facts, Mention, Span, Story, day_of
from marsad.settings import Settings
from marsad.store import Store, StoryRow
from marsad.web import charts

PER_PAGE = 20
"""Stories on one front page."""
SEARCH_LIMIT = 100
MAX_QUERY_WORDS, MAX_QUERY_CHARS = 12, 300
"""A search reads at most this much of what was typed (the rest cannot narrow a news search)."""
"""Articles a search reads before grouping them by story."""
INLINE_ARTICLES = 25
"""A story page shows the text of its first (earliest) articles in full, up to this many."""
ENTITY_STORIES = 200
"""Stories an entity page lists (most recent first)."""
ENTITY_QUOTE_STORIES = 30
"""Of those, the most recent whose quotes an entity page gathers."""


def story_url(story_id: str) -> str:
    return "/stories/" + quote(story_id, safe="")


def article_url(article_id: str, span: Span | None = None) -> str:
    """An article page; with a span, the page highlights it and opens at it (`#passage`)."""
    url = "/articles/" + quote(article_id, safe="")
    return f"{url}?hl={span.start}-{span.end}#passage" if span is not None else url


def entity_url(entity_id: str) -> str:
    return "/entities/" + quote(entity_id, safe="")


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class StoryFilters:
    """The front page's filters, as the query string gives them."""

    since: date | None = None
    until: date | None = None
    source: str | None = None
    entity: str | None = None
    min_articles: int = 1

    def kwargs(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "sources": [self.source] if self.source else [],
                "entity": self.entity, "min_articles": self.min_articles}


def row_dict(row: StoryRow, top: Sequence[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """A listed story as JSON-ready data: `id`, `title`, `n_articles`, `n_outlets`, `outlets`,
    `first_published`, `last_published`, `entities` (its top ones: `id`, `name`, `type`)."""
    return {
        "id": row.id,
        "title": row.title,
        "n_articles": row.n_articles,
        "n_outlets": row.n_sources,
        "outlets": list(row.sources),
        "first_published": _iso(row.first_published),
        "last_published": _iso(row.last_published),
        "entities": [{"id": eid, "name": name, "type": typ} for eid, name, typ in top],
    }


def story_list(
    store: Store, filters: StoryFilters, page: int = 1, per_page: int = PER_PAGE, order: str = "day"
) -> dict[str, Any]:
    """One page of stories in `order` (a `STORY_ORDERS` key; default: the latest day first, and within
    a day the most outlets first), with their top entities."""
    total = store.count_stories(**filters.kwargs())
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    rows = store.list_stories(**filters.kwargs(), order=order, limit=per_page, offset=(page - 1) * per_page)
    top = store.top_entities([r.id for r in rows])
    return {
        "stories": [row_dict(r, top.get(r.id, ())) for r in rows],
        "total": total,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "order": order,
    }


def story_page(store: Store, story_id: str) -> tuple[Story, dict[str, Article], dict[str, Facts]]:
    """The story, its articles by id and their stored facts (NotFoundError for an unknown id)."""
    story = store.get_story(story_id)
    articles = {a.id: a for a in store.get_articles(story.article_ids)}
    return story, articles, store.facts(articles)


def story_html(store: Store, story_id: str, env: Any, **ctx: Any) -> str:
    """The story page: the report's HTML view, its sources linked to the passages on article pages,
    its entities to their pages, and two pictures. `ctx` goes to the template as is."""
    story, articles, facts = story_page(store, story_id)
    view = report.story_view(story, articles, facts, article_url)
    for i, a in enumerate(view["articles"]):
        a["page"] = article_url(a["id"])
        if i >= INLINE_ARTICLES:  # a big story lists the rest; each reads in full on its own page
            a.update(collapsed=True, paragraphs=[], removed=[])
    for items in view["entities"].values():
        for e in items:
            e["href"] = entity_url(e["id"])
    pictures = [charts.timeline_svg(story.timeline), charts.outlets_svg(story, articles)]
    return env.get_template("story_page.html.j2").render(v=view, pictures=[p for p in pictures if p], **ctx)


# --- article page ----------------------------------------------------------------------------------


_SPAN = re.compile(r"([0-9]{1,9})-([0-9]{1,9})")


def _parse_span(hl: str | None, length: int) -> Span | None:
    """`start-end` from the query string, clipped to the text; None if absent or malformed."""
    m = _SPAN.fullmatch(hl or "")
    if m is None:
        return None
    s, e = min(int(m.group(1)), length), min(int(m.group(2)), length)
    return Span(s, e) if s < e else None


def _pieces(
    text: str, spans: Sequence[tuple[int, int, str, dict[str, str]]]
) -> list[list[dict[str, Any]]]:
    """Paragraphs of `text`, each a list of pieces `{text, classes, href, title, id}`: the text cut at
    every span boundary, each piece carrying the classes of every span over it (and the first link and
    title among them)."""
    out = []
    for pstart, pend in report.paragraph_spans(text):
        cuts = {pstart, pend}
        for s, e, _cls, _attrs in spans:
            if s < pend and e > pstart:
                cuts.update((max(s, pstart), min(e, pend)))
        bounds = sorted(cuts)
        pieces = []
        for a, b in itertools.pairwise(bounds):
            over = [(cls, attrs) for s, e, cls, attrs in spans if s <= a and b <= e]
            attrs: dict[str, str] = {}
            for _cls, at in over:
                for k, v in at.items():
                    attrs.setdefault(k, v)
            classes = " ".join(sorted({c for c, _ in over}))
            pieces.append({"text": text[a:b], "classes": classes, "href": attrs.get("href", ""),
                           "title": attrs.get("title", ""), "id": ""})
        out.append(pieces)
    return out


def _mention_entities(mentions: Sequence[Mention], story: Story | None, text: str) -> dict[int, Any]:
    """Mention index -> the story's entity it names (by spelling), for the ones that resolve."""
    if story is None:
        return {}
    out = {}
    index = report.entity_index(story)
    for i, m in enumerate(mentions):
        e = report.entity_of(m.span.of(text), story, (m.label,), index)
        if e is not None:
            out[i] = e
    return out


def article_view(store: Store, article_id: str, hl: str | None = None) -> dict[str, Any]:
    """The article page: its text with entity, date, figure and quote highlights (stored spans), the
    passage `hl` (`start-end`) marked, what cleaning removed, and its story."""
    a = store.get_article(article_id)
    story_id = store.story_of(a.id)
    story = store.get_story(story_id) if story_id else None
    mentions = store.mentions([a.id]).get(a.id, ())
    facts = store.facts([a.id]).get(a.id) or Facts(a.id)
    entities = _mention_entities(mentions, story, a.text)
    spans: list[tuple[int, int, str, dict[str, str]]] = []
    for q in facts.quotes:
        who = q.speaker or "متكلم غير محدد"
        spans.append((q.span.start, q.span.end, "quote", {"title": f"اقتباس: {who}"}))
    for i, m in enumerate(mentions):
        attrs = {"title": m.label}
        if i in entities:
            attrs = {"title": f"{entities[i].name} ({m.label})", "href": entity_url(entities[i].id)}
        spans.append((m.span.start, m.span.end, f"ent ent-{m.label}", attrs))
    for t in facts.times:
        spans.append((t.span.start, t.span.end, "time", {"title": t.value or "؟"}))
    for q in facts.quantities:
        spans.append((q.span.start, q.span.end, "qty", {"title": report.quantity_value(q)}))
    passage = _parse_span(hl, len(a.text))
    if passage is not None:
        spans.append((passage.start, passage.end, "passage", {}))
    paragraphs = _pieces(a.text, spans)
    if passage is not None:  # the first piece of the passage is where the page opens
        for para in paragraphs:
            first = next((p for p in para if "passage" in p["classes"].split()), None)
            if first is not None:
                first["id"] = "passage"
                break
    return {
        "id": a.id,
        "title": a.title or "(بلا عنوان)",
        "outlet": report.outlet_label(a.source),
        "date": report.article_date(a),
        "date_iso": _iso(a.published) or "",
        "url": a.url,
        "url_is_link": bool(a.url and a.url.lower().startswith(("http://", "https://"))),
        "story": {"id": story.id, "title": story.title, "href": story_url(story.id)} if story else None,
        "paragraphs": paragraphs,
        "removed": report.removed_pieces(a),
        "counts": {"entities": len(mentions), "times": len(facts.times), "figures": len(facts.quantities),
                   "quotes": len(facts.quotes)},
    }


def article_dict(store: Store, article_id: str) -> dict[str, Any]:
    """An article as JSON-ready data: the export's article keys, its story, facts, mentions and what
    cleaning removed."""
    a = store.get_article(article_id)
    mentions = store.mentions([a.id]).get(a.id, ())
    return {
        **report.article_fields(a),
        "story": store.story_of(a.id),
        **report.facts_dict(store.facts([a.id]).get(a.id)),
        "mentions": [{"start": m.span.start, "end": m.span.end, "text": m.span.of(a.text), "type": m.label}
                     for m in mentions],
        "removed": report.removed_pieces(a),
    }


# --- search ----------------------------------------------------------------------------------------


def search(store: Store, query: str, settings: Settings) -> dict[str, Any]:
    """Articles matching `query` (every spelling of a name), grouped by story, best story first."""
    query = " ".join(query.split()[:MAX_QUERY_WORDS])[:MAX_QUERY_CHARS]
    hits = store.search(query, limit=SEARCH_LIMIT, settings=settings) if query.strip() else []
    groups: dict[str | None, list] = {}
    for h in hits:
        groups.setdefault(h.story_id, []).append(h)
    heads = store.story_heads([sid for sid in groups if sid is not None])
    stories = []
    for sid, items in groups.items():
        title, n_articles, n_outlets = heads.get(sid or "", (items[0].title, 1, 1))
        stories.append({
            "id": sid,
            "title": title,
            "n_articles": n_articles,
            "n_outlets": n_outlets,
            "hits": [
                {
                    "article": h.article_id,
                    "title": h.title,
                    "source": h.source,
                    "published": _iso(h.published),
                    "snippet": h.snippet,
                    "highlights": [[s.start, s.end] for s in h.highlights],
                    "pieces": h.pieces(),
                }
                for h in items
            ],
        })
    return {"query": query, "n_articles": len(hits), "stories": stories}


# --- entities --------------------------------------------------------------------------------------


def entity_list(
    store: Store, story_id: str | None = None, offset: int = 0, limit: int = 100
) -> dict[str, Any]:
    """Entities (of one story, or of the store: most stories first), a page of them."""
    rows = store.entities(story_id)
    return {
        "total": len(rows),
        "entities": [{**report.entity_dict(r.entity), "stories": list(r.stories)}
                     for r in rows[offset: offset + limit]],
    }


def entity_view(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity: every spelling, the stories naming it over time, and its quotes in the recent ones."""
    row = store.entity(entity_id)
    stories = store.list_stories(entity=entity_id, limit=ENTITY_STORIES)
    forms = {report.name_form(a) for a in row.entity.aliases}
    mentioned = set(row.entity.articles)
    quotes = []
    for r in stories[:ENTITY_QUOTE_STORIES] if row.entity.type in ("PER", "ORG") else ():
        ids = [aid for aid in store.story_members(r.id) if aid in mentioned]
        facts = store.facts(ids)
        for aid in ids:
            for q in facts[aid].quotes if aid in facts else ():
                if q.speaker is not None and report.name_form(q.speaker) in forms:
                    quotes.append({**report.quote_dict(q, row.entity.name), "article": aid, "story": r.id,
                                   "href": article_url(aid, q.span)})
    n = len(row.stories)
    common = [f for f, k in row.form_stories if k >= 2 or n < 3 or f == row.entity.name]
    per_day: dict = {}
    for r in stories:
        if r.first_published is not None:
            d = day_of(r.first_published)
            per_day[d] = per_day.get(d, 0) + 1
    return {
        **report.entity_dict(row.entity),
        "spellings": [{"form": f, "stories": k} for f, k in row.form_stories],
        "common_spellings": common,
        "rare_spellings": [f for f, _ in row.form_stories if f not in common],
        "n_stories": n,
        "picture": charts.days_svg(per_day, "القصص في كل يوم (stories a day)"),
        "stories": [row_dict(r) for r in stories],
        "quotes": quotes,
    }
