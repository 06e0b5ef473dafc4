"""Known names: countries, cities, organisations and a few multi-name entities, with their Arabic spellings.

Two shipped tables, both `key<TAB>type<TAB>form`: `resources/gazetteer.tsv` (built by
`scripts/build_gazetteer.py` from Babel's CLDR data plus `resources/gazetteer_hand.tsv`) and
`resources/aliases_hand.tsv` (different names of one entity that no spelling rule joins: داعش / تنظيم
الدولة, حلف شمال الأطلسي / الناتو, قوات سوريا الديمقراطية / قسد). Forms are matched in their match form
(`text.normalize`), token by token, so hamza, alef and ta marbuta variants need no entries of their own.
They serve `extract.entities` (mentions the model missed) and `extract.aliases` (forms of one key are one
entity).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from marsad.text.normalize import normalize

__all__ = ["Gazetteer", "gazetteer", "name_tokens", "unclitic"]

FILES = ("gazetteer.tsv", "aliases_hand.tsv")
# Words whose `Gazetteer._opens` one gazetteer keeps (cleared when full).
_OPEN_CACHE = 1 << 18
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


@functools.lru_cache(maxsize=1 << 16)
def name_tokens(form: str) -> tuple[str, ...]:
    """The match-form words of a name (quotes, brackets and other punctuation dropped; عبد الله and
    عبد العزيز written as one word, as many outlets write them)."""
    return join_compounds(_WORD.findall(normalize(form)))[0]


# First halves of compound names, written apart or together: عبد الله / عبدالله, أبو بكر / أبوبكر.
_COMPOUND_HEADS = frozenset(normalize(w) for w in ("عبد", "وعبد", "بعبد", "لعبد"))


def join_compounds(words: Sequence[str]) -> tuple[tuple[str, ...], list[int]]:
    """The words with each عبد joined to the word after it (عبد العزيز → عبدالعزيز), and for each joined
    word the index of its first original word."""
    if _COMPOUND_HEADS.isdisjoint(words):  # the common case, without the loop
        return tuple(words), list(range(len(words)))
    out: list[str] = []
    starts: list[int] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _COMPOUND_HEADS and i + 1 < len(words) and words[i + 1][:1].isalpha():
            out.append(w + words[i + 1])
            starts.append(i)
            i += 2
        else:
            out.append(w)
            starts.append(i)
            i += 1
    return tuple(out), starts


@dataclass(frozen=True)
class Entry:
    key: str
    type: str


class Gazetteer:
    """Name (match-form words) -> the entity key and type it names."""

    def __init__(self, rows: Sequence[tuple[str, str, str]]) -> None:
        self.names: dict[tuple[str, ...], Entry] = {}
        self.forms: dict[str, list[str]] = {}
        for key, typ, form in rows:
            toks = name_tokens(form)
            if not toks or toks in self.names:
                continue  # the first table wins a name two keys claim
            self.names[toks] = Entry(key, typ)
            self.forms.setdefault(key, []).append(form)
        self.longest = max((len(t) for t in self.names), default=0)
        self.lengths: dict[str, tuple[int, ...]] = {}
        """First word of a name -> the lengths of the names it starts, longest first."""
        by_first: dict[str, set[int]] = {}
        for toks in self.names:
            by_first.setdefault(toks[0], set()).add(len(toks))
        self.lengths = {w: tuple(sorted(ls, reverse=True)) for w, ls in by_first.items()}
        self._open_cache: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {}

    def get(self, form: str) -> Entry | None:
        """The entry a name (as written or in match form) belongs to, if any."""
        return self.names.get(name_tokens(form))

    def find(self, tokens: Sequence[str]) -> Iterator[tuple[int, int, Entry]]:
        """Longest known names in a sequence of match-form words: (first, last + 1, entry), left to right,
        never overlapping. A word may carry one leading clitic (و ف ب ل ك; لل for ال)."""
        joined, starts = join_compounds(tokens)
        ends = [*starts[1:], len(tokens)]
        cached, opens_of = self._open_cache.get, self._opens
        opens = [o if (o := cached(w)) is not None else opens_of(w) for w in joined]  # most words: cached
        i, n = 0, len(joined)
        while i < n:
            hit = self._longest_at(joined, i, opens[i]) if opens[i] else None
            if hit is None:
                i += 1
                continue
            end, entry = hit
            # a longer form of the same name that starts inside this one runs on: الأمير محمد بن سلمان and
            # محمد بن سلمان بن عبدالعزيز are one name in الأمير محمد بن سلمان بن عبدالعزيز
            j = i + 1
            while j < end:
                inner = self._longest_at(joined, j, opens[j]) if opens[j] else None
                if inner is not None and inner[0] > end and inner[1].key == entry.key:
                    end = inner[0]
                j += 1
            yield starts[i], ends[end - 1], entry
            i = end

    def _opens(self, word: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """The readings of `word` (`unclitic`) that begin a name, with those names' lengths, longest
        first; cached per word, since most words begin none and a sentence's words are looked up each
        time it is searched."""
        got = self._open_cache.get(word)
        if got is None:
            if len(self._open_cache) >= _OPEN_CACHE:
                self._open_cache.clear()
            got = self._open_cache[word] = tuple(
                (first, self.lengths[first]) for first in unclitic(word) if first in self.lengths)
        return got

    def _longest_at(
        self, joined: Sequence[str], i: int, opens: tuple[tuple[str, tuple[int, ...]], ...]
    ) -> tuple[int, Entry] | None:
        """(end, entry) of the longest known name starting at joined word `i`, whose `_opens` are `opens`."""
        hit = None
        names = self.names
        room = len(joined) - i
        for first, lengths in opens:
            for k in lengths:
                if k <= room:
                    entry = names.get((first, *joined[i + 1 : i + k]))
                    if entry is not None and (hit is None or i + k > hit[0]):
                        hit = (i + k, entry)
                        break
        return hit


@functools.lru_cache(maxsize=1 << 17)
def unclitic(word: str) -> tuple[str, ...]:
    """The word and its readings without one leading clitic (و ف then ب ل ك; لل → ال). Memoised: every
    word of every sentence is looked up this way."""
    out = [word]
    w = word
    if w[:1] in ("و", "ف") and len(w) > 3:
        w = w[1:]
        out.append(w)
    if w.startswith("لل") and len(w) > 3:
        out.append("ال" + w[2:])
    elif w[:1] in ("ب", "ل", "ك") and len(w) > 3:
        out.append(w[1:])
    return tuple(out)


def _rows(name: str) -> list[tuple[str, str, str]]:
    from marsad.resources import load_artifact, manifest

    if name not in manifest():
        return []
    rows = []
    for line in load_artifact(name).decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, typ, form = line.split("\t")[:3]
        rows.append((key.strip(), typ.strip(), form.strip()))
    return rows


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped tables (read once per process): the alias list first, so its keys win."""
    return Gazetteer([r for name in reversed(FILES) for r in _rows(name)])
