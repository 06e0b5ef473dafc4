"""Full-text search over the match form of articles, with snippets cut from the original text.

The FTS5 table `article_fts` indexes, per article, the match form (`marsad.text.normalize`) of the
title and of the text, and a third column of clitic-stripped stems (`marsad.text.tokens.stem`). A query
is normalized the same way, so `اسرائيل` finds `إسرائيل`, `القاهره` finds `القاهرة`, `مراكش` finds `مرّاكش`;
each query word is matched as a quoted FTS string (no FTS syntax gets through) either as a word of the
title/text or through its stem (`المغرب` finds `بالمغرب`). A run of words that names a known entity also
matches every other name of it (`Store.search` looks them up among the stored entities' forms). Words
are ANDed; results are ranked by bm25 with exact words weighing more than stems.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime

from marsad.model import Span
from marsad.text.normalize import normalize, normalize_map
from marsad.text.tokens import stem, tokenize, word_offsets, words

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

    def pieces(self) -> list[tuple[str, bool]]:
        """The snippet cut at its highlights: (text, whether it is a matching word), in order."""
        out, pos = [], 0
        for sp in sorted(self.highlights, key=lambda sp: sp.start):
            if sp.start < pos:
                continue
            if pos < sp.start:
                out.append((self.snippet[pos : sp.start], False))
            out.append((self.snippet[sp.start : sp.end], True))
            pos = sp.end
        if pos < len(self.snippet):
            out.append((self.snippet[pos:], False))
        return out


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
    """A parsed query: its normalized words (and the words of every alias it was expanded to), their
    stems, and the FTS5 MATCH expression."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    expression: str
    phrases: tuple[tuple[str, ...], ...] = ()
    """Names of two or more words the query matches (its own and the aliases it was expanded to)."""


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# A name in a query is looked up as at most this many consecutive words.
MAX_NAME_WORDS = 6
# A name matches at most this many other spellings.
MAX_VARIANTS = 24


def parse_query(
    text: str, expand: Callable[[tuple[str, ...]], list[tuple[str, ...]]] | None = None
) -> Query | None:
    """Normalize and split a user query; None when it has no word to look for.

    `expand` maps a run of query words to the other names of the entity it names (as word tuples);
    such a run matches any of them (`بلينكين` also finds `بلينكن`, `داعش` also finds `تنظيم الدولة`).
    """
    words = tuple(dict.fromkeys(t.norm for t in tokenize(normalize(text))))
    if not words:
        return None
    parts: list[str] = []
    extra: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        alts: list[tuple[str, ...]] = []
        n = 0
        if expand is not None:
            for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
                alts = [a for a in expand(words[i : i + n]) if a and a != words[i : i + n]]
                if alts:
                    # a name that stands for dozens of others is a merge gone wide (a common word taken
                    # for everyone's short name): keep the closest spellings, the shortest first
                    alts = sorted(alts, key=lambda a: (len(a), a))[:MAX_VARIANTS]
                    break
        if not alts:
            w = words[i]
            parts.append(f"({{title body}} : {_quote(w)} OR stems : {_quote(stem(w))})")
            i += 1
            continue
        options = [words[i : i + n], *alts]
        ors = []
        for opt in options:
            ors.append(f"{{title body}} : {_quote(' '.join(opt))}")
            if len(opt) == 1:
                ors.append(f"stems : {_quote(stem(opt[0]))}")
        parts.append("(" + " OR ".join(ors) + ")")
        extra.extend(options)
        i += n
    # single words are highlighted word by word; longer names only where the whole name stands
    singles = [w for w in words if not any(w in opt and len(opt) > 1 for opt in extra)]
    singles += [opt[0] for opt in extra if len(opt) == 1]
    every = tuple(dict.fromkeys(singles))
    phrases = tuple(dict.fromkeys(opt for opt in extra if len(opt) > 1))
    return Query(every, tuple(stem(w) for w in every), " AND ".join(parts), phrases)


def _hits(
    text: str, words: Collection[str], stems: Collection[str], phrases: Collection[tuple[str, ...]] = ()
) -> list[Span]:
    """Spans of the original `text` whose words match the query, or where one of its names of several
    words stands whole (found in the match form, mapped back)."""
    nm = normalize_map(text)
    toks = word_offsets(nm.text)
    out = []
    for start, end, norm in toks:
        if norm in words or stem(norm) in stems:
            out.append(nm.to_original(Span(start, end)))
    norms = [t[2] for t in toks]
    starts: dict[str, list[int]] = {}
    if phrases:
        for i, norm in enumerate(norms):
            starts.setdefault(norm, []).append(i)
    for phrase in phrases:
        k = len(phrase)
        for i in starts.get(phrase[0], ()):
            if tuple(norms[i : i + k]) == phrase:
                out.extend(nm.to_original(Span(s, e)) for s, e, _ in toks[i : i + k])
    return sorted(set(out), key=lambda sp: (sp.start, sp.end))


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
    source, hits = text, _hits(text, words, stems, query.phrases)
    if not hits:
        title_hits = _hits(title, words, stems, query.phrases)
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
