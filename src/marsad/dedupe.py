"""Wire copies: passages that several articles carry verbatim or nearly, and whole-article duplicates.

Sentences are fingerprinted with MinHash over 3-shingles of clitic-stripped match-form words, so that
`وتأسس التحالف في العام 2014` and `وتأسس التحالف عام 2014` still meet in the LSH index. Each candidate
pair is then aligned word by word, and only the stretch the two really share (at least `min_words`
words, small gaps allowed) becomes evidence; a sentence that merely quotes part of a statement that
another outlet also quotes shares just that part. Sentence matches are grouped across articles and
runs of consecutive shared sentences are joined into passages. Nothing is deleted: this module only
annotates.
"""

from __future__ import annotations

import functools
import hashlib
import struct
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from datasketch import MinHash, MinHashLSH

from marsad.model import Article, Evidence, Passage, Sentence, Span, publication_key
from marsad.settings import Settings
from marsad.text.tokens import STOPWORDS, stem, word_offsets, words

# Stories with up to this many fingerprinted sentences find candidate copies exactly (inverted index
# of shingles); bigger ones use MinHash LSH. Chosen for speed: the exact path costs O(shared postings),
# which stays small below ~2,000 sentences of news text.
_EXACT_MAX_UNITS = 2000
# Stories with up to this many articles compare every pair for whole-article duplicates (exact
# Jaccard, ~1 ms for 40 articles); bigger ones ask MinHash LSH for candidates.
_EXACT_MAX_ARTICLES = 40
# Two matching word runs separated by at most this many words in both texts are one near-copy run
# (absorbs an inserted or changed word: "بكوفيد-19" vs "بوباء كوفيد-19 الناجم").
_MAX_GAP = 3


def _hash(b: bytes) -> int:
    return struct.unpack("<I", hashlib.blake2b(b, digest_size=4).digest())[0]


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence prepared for matching: the stems of its words and their 3-shingles."""

    article_id: str
    index: int
    stems: tuple[str, ...]
    shingles: frozenset[str]
    sentence: Span

    def word_span(self, text: str, lo: int, hi: int) -> Span:
        """Character span of words `lo`..`hi-1` of this sentence (whole sentence at its edges)."""
        offs = word_offsets(self.sentence.of(text))
        if len(offs) != len(self.stems):  # normalisation split or joined a word: cite the sentence
            return self.sentence
        base = self.sentence.start
        start = self.sentence.start if lo == 0 else base + offs[lo][0]
        end = self.sentence.end if hi == len(self.stems) else base + offs[hi - 1][1]
        return Span(start, end)


def _units(article: Article, sentences: Sequence[Sentence]) -> list[_Unit]:
    out = []
    for s in sentences:
        stems = tuple(stem(w) for w in words(s.norm))
        sh = frozenset(" ".join(stems[i : i + 3]) for i in range(max(0, len(stems) - 2)))
        out.append(_Unit(article.id, s.index, stems, sh, s.span))
    return out


def _story_units(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]
) -> dict[str, list[_Unit]]:
    return {a.id: _units(a, sentences.get(a.id, ())) for a in articles}


@functools.lru_cache(maxsize=16)
def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """LSH bands and rows for a threshold: datasketch integrates for them, so compute each once."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def _lsh(threshold: float, num_perm: int) -> MinHashLSH:
    return MinHashLSH(num_perm=num_perm, params=_lsh_params(threshold, num_perm))


def _candidate_pairs(units: Sequence[_Unit], cfg) -> list[tuple[int, int]]:
    """Pairs of sentences from different articles that share enough 3-shingles to be worth aligning.

    Small stories count shared shingles exactly through an inverted index (cheaper than hashing and
    misses nothing); above `_EXACT_MAX_UNITS` sentences, MinHash LSH proposes the candidates.
    """
    min_shared = max(1, cfg.min_words // 2)
    if len(units) <= _EXACT_MAX_UNITS:
        postings: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(units):
            for sh in u.shingles:
                postings[sh].append(i)
        shared: Counter[tuple[int, int]] = Counter()
        for ids in postings.values():
            if len(ids) > 1:
                shared.update(
                    (x, y) for k, x in enumerate(ids) for y in ids[k + 1 :]
                    if units[x].article_id != units[y].article_id
                )
        return sorted(pair for pair, n in shared.items() if n >= min_shared)
    lsh = _lsh(cfg.candidate_threshold, cfg.num_perm)
    hashes = _minhashes(units, cfg.num_perm)
    for i, mh in enumerate(hashes):
        lsh.insert(i, mh)
    pairs = []
    for i, mh in enumerate(hashes):
        for j in lsh.query(mh):
            if (
                j > i
                and units[j].article_id != units[i].article_id
                and len(units[i].shingles & units[j].shingles) >= min_shared
            ):
                pairs.append((i, j))
    return sorted(pairs)


def _minhashes(units: Sequence[_Unit], num_perm: int) -> list[MinHash]:
    return MinHash.bulk(
        [[x.encode("utf-8") for x in u.shingles] for u in units], num_perm=num_perm, hashfunc=_hash
    )


def _shared_runs(a: _Unit, b: _Unit, min_words: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Word ranges `(a_start, a_end), (b_start, b_end)` that the two sentences share nearly verbatim."""
    blocks = [
        m for m in SequenceMatcher(None, a.stems, b.stems, autojunk=False).get_matching_blocks() if m.size
    ]
    runs: list[list[int]] = []
    for m in blocks:
        if runs and m.a - runs[-1][1] <= _MAX_GAP and 0 <= m.b - runs[-1][3] <= _MAX_GAP:
            runs[-1][1], runs[-1][3] = m.a + m.size, m.b + m.size
            runs[-1][4] += m.size
        else:
            runs.append([m.a, m.a + m.size, m.b, m.b + m.size, m.size])
    out = []
    for a0, a1, b0, b1, matched in runs:
        content = sum(1 for w in a.stems[a0:a1] if w not in STOPWORDS)
        if matched >= min_words and content >= min_words // 2:
            out.append(((a0, a1), (b0, b1)))
    return out


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(self, x: tuple[str, int]) -> tuple[str, int]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, int], b: tuple[str, int]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_copies(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
    _units_by_article: Mapping[str, list[_Unit]] | None = None,
) -> tuple[Passage, ...]:
    """Passages that two or more of `articles` share, each with every place it appears.

    Passages are ordered by where they appear in their earliest carrier; their display text comes
    from the earliest-published carrier (ties broken by article id).
    """
    cfg = settings.dedupe
    if len(articles) < 2:
        return ()
    by_id = {a.id: a for a in articles}
    per = _units_by_article if _units_by_article is not None else _story_units(articles, sentences)
    units = [u for a in articles for u in per[a.id] if len(u.stems) >= cfg.min_words]
    if len({u.article_id for u in units}) < 2:
        return ()
    uf = _UnionFind()
    # (article, sentence index) -> word ranges of that sentence found in another article
    ranges: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for i, j in _candidate_pairs(units, cfg):
        a, b = units[i], units[j]
        for ra, rb in _shared_runs(a, b, cfg.min_words):
            ka, kb = (a.article_id, a.index), (b.article_id, b.index)
            uf.union(ka, kb)
            ranges[ka].append(ra)
            ranges[kb].append(rb)
    if not ranges:
        return ()

    unit_of = {(u.article_id, u.index): u for u in units}
    groups: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for key in ranges:
        groups[uf.find(key)].append(key)

    # One evidence span per sentence: from the first to the last shared word; a run that reaches a
    # sentence edge takes the sentence's own edge (closing quotes, full stop).
    def evidence(key: tuple[str, int]) -> Evidence:
        u = unit_of[key]
        lo = min(r[0] for r in ranges[key])
        hi = max(r[1] for r in ranges[key])
        return Evidence(u.article_id, u.word_span(by_id[u.article_id].text, lo, hi))

    order = {a.id: n for n, a in enumerate(sorted(articles, key=publication_key))}
    raw_groups = []
    for members in groups.values():
        per_article: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for key in sorted(members):
            per_article[key[0]].append(key)
        raw_groups.append({aid: [evidence(k) for k in keys] for aid, keys in per_article.items()})

    passages = _join_consecutive(raw_groups, by_id, order)
    return tuple(passages)


def _adjacent(
    prev: Mapping[str, list[Evidence]], g: Mapping[str, list[Evidence]], by_id: Mapping[str, Article]
) -> bool:
    """True when `g` follows `prev` directly (only spaces or punctuation between) in every article."""
    if set(prev) != set(g) or any(len(v) != 1 for v in (*prev.values(), *g.values())):
        return False
    return all(
        prev[aid][0].span.end <= g[aid][0].span.start
        and by_id[aid].text[prev[aid][0].span.end : g[aid][0].span.start].strip(" \n\t.،,؛") == ""
        for aid in g
    )


def _join_consecutive(
    groups: list[dict[str, list[Evidence]]], by_id: Mapping[str, Article], order: Mapping[str, int]
) -> list[Passage]:
    """Join sentence groups carried by the same articles in consecutive positions into one passage."""

    def first_carrier(g: dict[str, list[Evidence]]) -> str:
        return min(g, key=lambda aid: order[aid])

    groups.sort(key=lambda g: (order[first_carrier(g)], g[first_carrier(g)][0].span.start))
    joined: list[dict[str, list[Evidence]]] = []
    for g in groups:
        prev = joined[-1] if joined else None
        if prev is not None and _adjacent(prev, g, by_id):
            for aid in g:
                p = prev[aid][-1]
                prev[aid][-1] = Evidence(aid, Span(p.span.start, g[aid][0].span.end))
            continue
        joined.append({aid: list(v) for aid, v in g.items()})

    out = []
    for g in joined:
        first = first_carrier(g)
        text = max(g[first], key=lambda e: len(e.span)).span.of(by_id[first].text)
        ev = tuple(e for aid in sorted(g, key=lambda a: order[a]) for e in g[aid])
        out.append(Passage(text=text, evidence=ev))
    return out


def find_duplicates(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
    _units_by_article: Mapping[str, list[_Unit]] | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Groups of articles that are the same article ingested more than once (ids sorted by date)."""
    cfg = settings.dedupe
    if len(articles) < 2:
        return ()
    per = _units_by_article if _units_by_article is not None else _story_units(articles, sentences)
    shingles = {}
    for a in articles:
        sh: set[str] = set()
        for u in per[a.id]:
            sh |= u.shingles
        shingles[a.id] = frozenset(sh)
    ids = [a.id for a in articles if shingles[a.id]]
    if len(ids) < 2:
        return ()
    if len(ids) <= _EXACT_MAX_ARTICLES:
        pairs = [(i, j) for k, i in enumerate(ids) for j in ids[k + 1 :]]
    else:
        lsh = _lsh(cfg.article_threshold, cfg.num_perm)
        hashes = MinHash.bulk(
            [[x.encode("utf-8") for x in shingles[i]] for i in ids], num_perm=cfg.num_perm, hashfunc=_hash
        )
        for i, mh in zip(ids, hashes, strict=True):
            lsh.insert(i, mh)
        pairs = [(i, j) for i, mh in zip(ids, hashes, strict=True) for j in lsh.query(mh) if j != i]
    uf = _UnionFind()
    for i, j in pairs:
        a, b = shingles[i], shingles[j]
        if len(a & b) / len(a | b) >= cfg.article_threshold:
            uf.union((i, 0), (j, 0))
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for i in ids:
        if (i, 0) in uf.parent:
            groups[uf.find((i, 0))].append(i)
    order = {a.id: publication_key(a) for a in articles}
    return tuple(sorted(tuple(sorted(g, key=order.__getitem__)) for g in groups.values() if len(g) > 1))


def find_copies_and_duplicates(
    articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]], settings: Settings
) -> tuple[tuple[Passage, ...], tuple[tuple[str, ...], ...]]:
    """`find_copies` and `find_duplicates` of one story, fingerprinting each sentence once."""
    if len(articles) < 2:
        return (), ()
    per = _story_units(articles, sentences)
    return (
        find_copies(articles, sentences, settings, per),
        find_duplicates(articles, sentences, settings, per),
    )
