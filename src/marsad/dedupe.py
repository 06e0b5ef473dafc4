"""Wire copies: passages that several articles carry verbatim or nearly, and whole-article duplicates.

Sentences are fingerprinted with MinHash over 3-shingles of clitic-stripped match-form words, so that
`وتأسس التحالف في العام 2014` and `وتأسس التحالف عام 2014` still meet in the LSH index. Each candidate
pair is then aligned word by word, and only the stretch the two really share (at least `min_words`
words, small gaps allowed) becomes evidence; a sentence that merely quotes part of a statement that
another outlet also quotes shares just that part. Sentence matches are grouped across articles and
runs of consecutive shared sentences are joined into passages. Nothing is deleted: this module only
annotates.

`provenance` reads a story's passages and duplicates in publication order: which outlet carried each
passage first (or which news agency it credits), how much of each article is its own, and which
articles republish an earlier one whole.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import struct
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from datasketch import MinHash, MinHashLSH
from rapidfuzz.distance import LCSseq

from marsad.model import Article, Evidence, Passage, Sentence, Span, Story, publication_key
from marsad.settings import Settings
from marsad.text.normalize import normalize
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
    if a.stems == b.stems:  # the same sentence word for word (wire copy): one block, without the matcher
        blocks = [(0, 0, len(a.stems))] if a.stems else []
    else:  # the runs of a longest common subsequence of the two word lists
        blocks = [(m.a, m.b, m.size) for m in LCSseq.opcodes(a.stems, b.stems).as_matching_blocks() if m.size]
    runs: list[list[int]] = []
    for ma, mb, size in blocks:
        if runs and ma - runs[-1][1] <= _MAX_GAP and 0 <= mb - runs[-1][3] <= _MAX_GAP:
            runs[-1][1], runs[-1][3] = ma + size, mb + size
            runs[-1][4] += size
        else:
            runs.append([ma, ma + size, mb, mb + size, size])
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


# --- provenance --------------------------------------------------------------------------------------

# An article whose text is at least this share shared with ONE earlier article is flagged as a
# republication of it. The value is the one the provenance issue names; not tuned on data yet.
REPUBLISH_SHARE = 0.8
# How much of the start and the end of the earliest carrier's text is searched for an agency credit
# (datelines such as `الرياض (واس) -` and sign-offs such as `المصدر: وكالات` sit there).
_CREDIT_WINDOW = 200
# Pieces `clean` removed that can hold the credit the outlet gave (`مراكش "وكالات": `).
_CREDIT_REMOVALS = frozenset({"outlet-prefix", "trailing-credit", "source-line", "byline"})

# (display name, forms recognised anywhere as words, short forms recognised only where they read as a
# credit: inside brackets or quotes, after a dash or colon, or after `وكالة`). Short forms such as
# `قنا` (a city) or `بنا` (a word) are too common to take alone.
_AGENCIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("واس", ("وكالة الأنباء السعودية",), ("واس", "spa")),
    ("فرانس برس", ("فرانس برس", "فرانس بريس", "وكالة الصحافة الفرنسية", "أ ف ب", "afp"), ()),
    ("رويترز", ("رويترز", "reuters"), ()),
    ("د ب أ", ("د ب أ", "وكالة الأنباء الألمانية", "dpa"), ()),
    ("الأناضول", ("وكالة الأناضول", "anadolu"), ("الأناضول", "aa")),
    (
        "أسوشيتد برس",
        ("أسوشيتد برس", "أسوشييتد برس", "أسوشيتيد برس", "اسوشيتدبرس", "associated press"),
        ("أ ب", "ap"),
    ),
    ("شينخوا", ("شينخوا", "شينهوا", "xinhua"), ()),
    ("وام", ("وكالة أنباء الإمارات",), ("وام", "wam")),
    ("قنا", ("وكالة الأنباء القطرية",), ("قنا", "qna")),
    ("كونا", ("وكالة الأنباء الكويتية",), ("كونا", "kuna")),
    ("بنا", ("وكالة أنباء البحرين",), ("بنا", "bna")),
    ("العمانية", ("وكالة الأنباء العمانية",), ("العمانية", "ona")),
    ("سانا", ("الوكالة العربية السورية للأنباء",), ("سانا", "sana")),
    ("وفا", ("وكالة الأنباء الفلسطينية", "وكالة الأنباء والمعلومات الفلسطينية"), ("وفا", "wafa")),
    ("بترا", ("وكالة الأنباء الأردنية",), ("بترا", "petra")),
    ("أ ش أ", ("أ ش أ", "وكالة أنباء الشرق الأوسط"), ("mena",)),
    ("واع", ("وكالة الأنباء العراقية",), ("واع", "ina")),
    ("و م ع", ("و م ع", "وكالة المغرب العربي للأنباء"), ("lap", "map")),
    ("واج", ("وكالة الأنباء الجزائرية",), ("واج", "aps")),
    ("سبأ", ("وكالة الأنباء اليمنية",), ("سبأ",)),
    ("إرنا", ("وكالة الجمهورية الإسلامية للأنباء",), ("إرنا", "irna")),
    ("وكالات", (), ("وكالات", "وكالات الأنباء")),
)

_OPEN = r"(\[{\"'\-–—:/|"
_CLOSE = r")\]}\"'\-–—:/|,.،؛"


def _name_pattern(name: str) -> str:
    """Regex for an agency name in match form: single letters (`أ ف ب`) may be dotted or spaced."""
    parts = normalize(name).split()
    if all(len(p) == 1 for p in parts):
        return r"\s*\.?\s*".join(re.escape(p) for p in parts)
    return r"\s+".join(re.escape(p) for p in parts)


def _agency_regex(loose: Sequence[str], strict: Sequence[str]) -> re.Pattern[str]:
    alts = []
    if loose:
        names = "|".join(_name_pattern(n) for n in loose)
        alts.append(rf"(?<!\w)(?:[وفبل]?ل?)(?:{names})(?!\w)")
    if strict:
        names = "|".join(_name_pattern(n) for n in strict)
        alts.append(rf"(?<!\w)وكاله\s+(?:{names})(?!\w)")
        alts.append(rf"(?:^|(?<=[{_OPEN}]))[ \t]*(?:{names})(?=[ \t]*(?:[{_CLOSE}]|$))")
    return re.compile("|".join(alts), re.M)


_AGENCY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (display, _agency_regex(loose, strict)) for display, loose, strict in _AGENCIES
)


def find_credit(text: str) -> str | None:
    """The news agency `text` credits (`(واس)`, `فرانس برس`, `"وكالات"`, ...), the first one named.

    Matched on the match form, so hamza and ta marbuta spellings do not matter; short forms count
    only where they read as a credit. None when no agency is named.
    """
    norm = normalize(text)
    best: tuple[int, int, str] | None = None
    for rank, (display, pattern) in enumerate(_AGENCY_PATTERNS):
        m = pattern.search(norm)
        if m is not None and (best is None or (m.start(), rank) < best[:2]):
            best = (m.start(), rank, display)
    return best[2] if best else None


@dataclass(frozen=True, slots=True)
class Carrier:
    """One article that carries a shared passage."""

    article_id: str
    source: str | None
    """The outlet; None when the article was not given."""
    published: date | datetime | None


@dataclass(frozen=True, slots=True)
class PassageOrigin:
    """Where a shared passage comes from."""

    passage: Passage
    carriers: tuple[Carrier, ...]
    """Every article that carries the passage, in publication order (undated last, ties by id)."""
    credit: str | None
    """The news agency the passage or its earliest carrier credits, if one is named."""

    @property
    def first(self) -> str | None:
        """The id of the earliest carrier: the probable origin (or the first to run the credited copy)."""
        return self.carriers[0].article_id if self.carriers else None


@dataclass(frozen=True, slots=True)
class ArticleShare:
    """How much of one article is its own, and how much it shares with earlier articles."""

    article_id: str
    original_share: float
    """Share of the text's letters and digits not in a passage that an earlier article also carries."""
    shared_share: float
    """`1 - original_share`."""
    republishes: str | None
    """The earlier article this one is a whole-article copy of, else None."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """A story's shared passages with their origins, and each article's own and shared shares."""

    passages: tuple[PassageOrigin, ...]
    """One per `Story.copies`, in the same order."""
    articles: tuple[ArticleShare, ...]
    """One per `Story.article_ids`, in the same order."""

    def share(self, article_id: str) -> ArticleShare:
        """The share record of one article; KeyError if it is not in the story."""
        for a in self.articles:
            if a.article_id == article_id:
                return a
        raise KeyError(article_id)


def _alnum_counts(text: str) -> list[int]:
    """`counts[i]` = letters and digits of `text[:i]` (so any span's count is one subtraction)."""
    return list(itertools.accumulate(map(str.isalnum, text), initial=0))


def _letters(counts: Sequence[int], spans: Sequence[tuple[int, int]]) -> int:
    """Letters and digits inside the union of `spans`, from the text's `_alnum_counts`."""
    total, pos, n = 0, 0, len(counts) - 1
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, n)
        if start < end:
            total += counts[end] - counts[start]
            pos = end
    return total


def _article_credit(article: Article) -> str | None:
    """The agency an article credits at its start or end, or in the credit lines clean removed."""
    text = article.text
    for r in article.removed:
        if r.reason in _CREDIT_REMOVALS and r.span.end <= len(article.raw):
            credit = find_credit(r.span.of(article.raw))
            if credit is not None:
                return credit
    for part in (text[:_CREDIT_WINDOW], text[-_CREDIT_WINDOW:]):
        credit = find_credit(part)
        if credit is not None:
            return credit
    return None


def _carrier(article_id: str, article: Article | None) -> Carrier:
    if article is None:
        return Carrier(article_id, None, None)
    return Carrier(article_id, article.source, article.published)


def provenance(
    story: Story, articles: Mapping[str, Article], republish_share: float = REPUBLISH_SHARE
) -> Provenance:
    """Who carried each shared passage first, and how much of each article is its own.

    Articles are ordered by `publication_key` (undated last, ties by id). For each passage in
    `story.copies`, its carriers in that order and the agency it credits (looked for in the passage,
    then in the earliest carrier's credit lines and first and last `_CREDIT_WINDOW` characters). For
    each article, the share of its letters and digits not covered by passages it shares with an
    earlier article (the earliest carrier keeps a passage as its own), and the earlier article it
    republishes: the first of its `story.duplicates` group, or the one earlier article whose passages
    cover at least `republish_share` of it. ValueError if a story article is not in `articles`;
    carriers outside the story without an article are listed undated with no outlet.
    """
    missing = [aid for aid in story.article_ids if aid not in articles]
    if missing:
        raise ValueError(f"story {story.id}: article(s) not given: {', '.join(missing)}")

    def key(aid: str) -> tuple:
        a = articles.get(aid)
        return publication_key(a) if a is not None else (1, date.max, 0.0, aid)

    credits: dict[str, str | None] = {}
    origins = []
    # article -> (earlier article, span of the article shared with it)
    shared_with: dict[str, list[tuple[str, tuple[int, int]]]] = defaultdict(list)
    for p in story.copies:
        order = sorted(p.article_ids, key=key)
        rank = {aid: n for n, aid in enumerate(order)}
        for e in p.evidence:
            for earlier in order[: rank[e.article_id]]:
                shared_with[e.article_id].append((earlier, (e.span.start, e.span.end)))
        first = articles.get(order[0]) if order else None
        credit = find_credit(p.text)
        if credit is None and first is not None:
            if first.id not in credits:
                credits[first.id] = _article_credit(first)
            credit = credits[first.id]
        origins.append(PassageOrigin(p, tuple(_carrier(aid, articles.get(aid)) for aid in order), credit))

    duplicate_of: dict[str, str] = {}
    for group in story.duplicates:
        ordered = sorted(group, key=key)
        for aid in ordered[1:]:
            duplicate_of.setdefault(aid, ordered[0])

    shares = []
    for aid in story.article_ids:
        counts = _alnum_counts(articles[aid].text)
        total = counts[-1]
        pairs = shared_with.get(aid, [])
        shared = _letters(counts, [span for _, span in pairs]) / total if total else 0.0
        republishes = duplicate_of.get(aid)
        if republishes is None and total and shared >= republish_share:
            by_earlier: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for earlier, span in pairs:
                by_earlier[earlier].append(span)
            best = max(sorted(by_earlier, key=key), key=lambda e: _letters(counts, by_earlier[e]))
            if _letters(counts, by_earlier[best]) / total >= republish_share:
                republishes = best
        shares.append(ArticleShare(aid, 1.0 - shared, shared, republishes))
    return Provenance(tuple(origins), tuple(shares))
