"""Full-text search over the match form of articles, with snippets cut from the original text.

The FTS5 table `article_fts` indexes, per article, the match form (`marsad.text.normalize`) of the
title and of the text, and a third column of clitic-stripped stems (`marsad.text.tokens.stem`). A query
is normalized the same way, so `اسرائيل` finds `إسرائيل`, `القاهره` finds `القاهرة`, `مراكش` finds `مرّاكش`;
each query word is matched as a quoted FTS string (no FTS syntax gets through) either as a word of the
title/text or through its stem (`المغرب` finds `بالمغرب`). Words are ANDed; results are ranked by bm25
with exact words weighing more than stems.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from marsad.model import Span
from marsad.text.normalize import normalize, normalize_map
from marsad.text.tokens import stem, tokenize, words

# bm25 column weights (title, body, stems): a word in the title counts most, a stem-only match least.
WEIGHTS = (4.0, 1.0, 0.5)
SNIPPET_CHARS = 200
"""Target snippet length; the window is widened to whole words."""
_BEFORE = 60
"""How much context the snippet keeps before the first hit."""
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a query."""

    article_id: str
    story_id: str | None
    title: str
    source: str
    published: date | datetime | None
    snippet: str
    """About `SNIPPET_CHARS` characters of the original text (or of the title when only it matches)
    around the first hit, with `…` where it was cut."""
    highlights: tuple[Span, ...]
    """Where the matching words are in `snippet`."""


class Indexer:
    """Builds `article_fts` rows; caches stems per word for the life of one batch."""

    def __init__(self) -> None:
        self._stems: dict[str, str] = {}

    def stems(self, norm_text: str) -> str:
        """Space-separated stems of the words of a normalized text."""
        cache = self._stems
        out = []
        for w in words(norm_text):
            s = cache.get(w)
            if s is None:
                s = cache[w] = stem(w)
            out.append(s)
        return " ".join(out)

    def row(self, title: str, text: str) -> tuple[str, str, str]:
        """(title, body, stems) column values for an article."""
        nt, nb = normalize(title), normalize(text)
        return nt, nb, self.stems(nt + "\n" + nb)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its normalized words, their stems, and the FTS5 MATCH expression."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    expression: str


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def parse_query(text: str) -> Query | None:
    """Normalize and split a user query; None when it has no word to look for."""
    words = tuple(dict.fromkeys(t.norm for t in tokenize(normalize(text))))
    if not words:
        return None
    stems = tuple(stem(w) for w in words)
    parts = [
        f"({{title body}} : {_quote(w)} OR stems : {_quote(s)})" for w, s in zip(words, stems, strict=True)
    ]
    return Query(words, stems, " AND ".join(parts))


def _hits(text: str, words: Collection[str], stems: Collection[str]) -> list[Span]:
    """Spans of the original `text` whose words match the query (found in the match form, mapped back)."""
    nm = normalize_map(text)
    out = []
    for tok in tokenize(nm.text):
        if tok.norm in words or stem(tok.norm) in stems:
            out.append(nm.to_original(tok.span))
    return out


def _window(text: str, first: Span) -> tuple[int, int]:
    """A window of about SNIPPET_CHARS around `first`, widened to word boundaries."""
    n = len(text)
    if n <= SNIPPET_CHARS:
        return 0, n
    start = max(0, first.start - _BEFORE)
    end = min(n, max(start + SNIPPET_CHARS, first.end))
    if end == n:
        start = max(0, min(start, n - SNIPPET_CHARS))
    while start > 0 and not text[start - 1].isspace() and first.start - start < _BEFORE + 30:
        start -= 1
    while end < n and not text[end].isspace() and end - first.end < SNIPPET_CHARS:
        end += 1
    return start, end


def snippet(text: str, title: str, query: Query) -> tuple[str, tuple[Span, ...]]:
    """The snippet and its highlight spans for an article that matched `query`."""
    words, stems = set(query.words), set(query.stems)
    source, hits = text, _hits(text, words, stems)
    if not hits:
        title_hits = _hits(title, words, stems)
        if title_hits:
            source, hits = title, title_hits
    if not hits:  # matched in a way the word scan cannot see: show the opening
        start, end = _window(text, Span(0, 0))
        return _cut(text, start, end, [])
    start, end = _window(source, hits[0])
    return _cut(source, start, end, [h for h in hits if h.start >= start and h.end <= end])


def _cut(text: str, start: int, end: int, hits: list[Span]) -> tuple[str, tuple[Span, ...]]:
    body = text[start:end]
    lead = len(body) - len(body.lstrip())
    body = body.strip()
    start += lead
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if start + len(body) < len(text.rstrip()) else ""
    shift = len(prefix) - start
    return prefix + body + suffix, tuple(Span(h.start + shift, h.end + shift) for h in hits)
