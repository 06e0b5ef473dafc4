"""Named-entity mentions (PER, ORG, LOC, MISC) with character spans, from marsad's own models.

The shipped tagger is the BiLSTM-CRF of `extract.lstm` (`tagger()`); this module holds what both
models share (tokens, trigger words, the gazetteer's names, mentions from tags, scores) and the feature
CRF it replaced, kept to compare with (`crf_tagger()`, `eval/ner.py --model crf`).

No offline Arabic NER model comes in a package, so `scripts/train_ner.py` trains a linear-chain CRF
(python-crfsuite) on the ANERcorp train split and ships it as `resources/ner.crfsuite` (sha256 in
MANIFEST.json, checked on load). `token_features` is the one definition of what the model sees, used by
the training script and by the tagger alike: the word and its match form, its clitic-stripped form
(و ف ب ل ك ال), prefixes and suffixes, its shape, title and trigger words (الرئيس، وزير، مدينة، وزارة …)
around it, its word clusters (learned from news; also those of the word without its clitic), the same
for two words either side, and whether it and its neighbours lie in a name of the shipped gazetteer
(`extract.gazetteer`: B-LOC, I-ORG …). A change to the gazetteer changes the features: retrain then.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise, repeat
from typing import TYPE_CHECKING, Any

from marsad.extract.gazetteer import unclitic
from marsad.model import Article, Mention, Sentence, Span
from marsad.text.normalize import normalize, normalize_word
from marsad.text.tokens import STOPWORDS, stem

if TYPE_CHECKING:
    from marsad.extract.lstm import LstmTagger

__all__ = [
    "LABELS", "NerTagger", "crf_tagger", "entity_keys", "entity_keys_many", "find_mentions",
    "find_mentions_many", "spans_of", "tagger", "token_features", "tokenize_ner", "warm",
]

LABELS = ("PER", "ORG", "LOC", "MISC")
MODEL = "ner.crfsuite"
CLUSTERS = "ner_clusters.tsv.gz"
# Granularities of the word clusters (scripts/train_ner.py): coarse to fine.
CLUSTER_SIZES = (64, 256, 1024)
# ANERcorp writes PERS; marsad says PER (as the export and the rest of the code do).
_TAG_NAMES = {"PERS": "PER"}

# Words that announce a person's name after them (titles, ranks, roles) ...
_PER_BEFORE = """السيد السيدة الرئيس رئيس الملك الأمير الأميرة الشيخ الوزير وزير وزيرة الدكتور الدكتورة
المهندس الأستاذ اللواء العميد العقيد الفريق المشير الجنرال النائب السفير المستشار القاضي الإمام
سمو جلالة فخامة سعادة معالي سماحة ولي العهد المتحدث الناطق المدرب اللاعب الفنان الفنانة الكاتب
الشاعر البابا المطران الحاخام الزعيم القائد الجنرال المبعوث المندوب نائب مساعد الأمين العام مدير
محافظ أمير قال قالت أكد أكدت أضاف أضافت ابن بن بنت أبو أبي أم"""
# ... an organisation ...
_ORG_WORDS = """وزارة هيئة شركة مؤسسة جمعية منظمة اتحاد مجلس جامعة حزب حركة جبهة بنك مصرف وكالة صحيفة
قناة إذاعة نادي منتخب محكمة لجنة مركز معهد أكاديمية مجموعة تنظيم جماعة قوات جيش مديرية إدارة
رابطة نقابة الأمم الاتحاد حلف البنك الصندوق المجلس المنظمة الهيئة الجامعة الشركة الوزارة اللجنة"""
# ... or a place.
_LOC_WORDS = """مدينة محافظة منطقة ولاية إقليم قرية بلدة حي شارع جزيرة نهر جبل بحر خليج مضيق دولة
جمهورية مملكة إمارة عاصمة مطار ميناء ميدان ساحة العاصمة المدينة المنطقة المحافظة شمال جنوب شرق غرب
شمالي جنوبي شرقي غربي وسط"""

PER_BEFORE = frozenset(normalize(w) for w in _PER_BEFORE.split())
ORG_WORDS = frozenset(normalize(w) for w in _ORG_WORDS.split())
LOC_WORDS = frozenset(normalize(w) for w in _LOC_WORDS.split())

# Words and punctuation as separate tokens (ANERcorp's tokenization): a run of letters, digits and the
# marks inside words, else one non-space character.
_TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+|[^\w\s]", re.UNICODE)


_SPAN = re.Match.span


def tokenize_ner(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens the model reads: words, and each punctuation mark alone."""
    return list(map(_SPAN, _TOKEN.finditer(text)))


_LATIN = re.compile(r"[A-Za-z]+")
_PUNCT = re.compile(r"[^\w\s]")


def _shape(w: str) -> str:
    if w.isalpha():  # letters only: no digit, no punctuation
        return "latin" if _LATIN.fullmatch(w) else "arabic"
    if w.isdigit():
        return "digit"
    if _LATIN.fullmatch(w):
        return "latin"
    if _PUNCT.fullmatch(w):
        return "punct"
    if any(c.isdigit() for c in w):
        return "mixed"
    return "arabic"


@functools.lru_cache(maxsize=1)
def clusters() -> dict[str, tuple[str, ...]]:
    """Word (match form) -> its cluster numbers, coarse to fine; empty before the clusters are built."""
    import gzip

    from marsad.resources import load_artifact, manifest

    if CLUSTERS not in manifest():
        return {}
    out = {}
    for line in gzip.decompress(load_artifact(CLUSTERS)).decode("utf-8").splitlines():
        w, *ids = line.split("\t")
        out[w] = tuple(ids)
    return out


# Offsets of the neighbours whose features a word sees, and the features of a word its neighbours do not
# see (by name prefix: the word, stem, affixes, length, finest and coarsest clusters, clitic-free clusters).
_NEIGHBOURS = ("-2", "-1", "1", "2")
_OWN_ONLY = ("w=", "s=", "p", "x", "len", "c64", "c1024", "uc")


@functools.lru_cache(maxsize=1 << 17)
def _word_features(w: str) -> tuple:
    """Everything `token_features` needs of one word alone, cached (news repeats its words): its own
    features, what it shows its neighbours at -2, -1, +1 and +2 (features already prefixed with the
    offset), and its match form."""
    own, shown, n = _word_base(w)
    return own, tuple(tuple(d + x for x in shown) for d in _NEIGHBOURS), n


def word_clues(n: str, s: str) -> tuple[str | None, tuple[str, ...], str | None]:
    """What a word's match form `n` (stem `s`) shows of its role, for both taggers: its article and
    clitic ("al", "clitic+al", "clitic?" or None), the trigger lists it is in ("perw", "orgw", "locw":
    titles, organisation and place words), and its nisba ending ("nisba_f", "nisba" or None)."""
    if n.startswith("ال"):
        article: str | None = "al"
    elif n[:1] in "وفبلك" and n[1:3] == "ال":
        article = "clitic+al"
    elif n[:1] in "وفبلك":
        article = "clitic?"
    else:
        article = None
    triggers = tuple(name for name, words in (("perw", PER_BEFORE), ("orgw", ORG_WORDS), ("locw", LOC_WORDS))
                     if n in words or s in words or (n[:1] in "وفبل" and n[1:] in words))
    nisba = "nisba_f" if n.endswith(("ية", "يه")) else "nisba" if n.endswith("ي") else None
    return article, triggers, nisba


def _word_base(w: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """A word's own features, the features it shows its neighbours (before the offset prefix), and its
    match form."""
    n = normalize(w)
    s = stem(n)
    f = [f"w={n}", f"s={s}", f"shape={_shape(w)}", f"len={min(len(n), 8)}"]
    for k in (1, 2, 3):
        if len(n) > k:
            f.append(f"p{k}={n[:k]}")
            f.append(f"x{k}={n[-k:]}")
    article, triggers, nisba = word_clues(n, s)
    if article:
        f.append(article)
    f.extend(triggers)
    table = clusters()
    ids = table.get(n) or table.get(s)
    if ids:
        f.extend(f"c{k}={c}" for k, c in zip(CLUSTER_SIZES, ids, strict=True))
    for bare in unclitic(n)[1:]:  # a word with a clitic: the clusters of the word without it
        ids = table.get(bare)
        if ids:
            f.extend(f"uc{k}={c}" for k, c in zip(CLUSTER_SIZES, ids, strict=True))
            break
    if nisba:
        f.append(nisba)
    shown = (f"w={n}", f"s={s}", *[x for x in f if not x.startswith(_OWN_ONLY)])
    return tuple(f), shown, n


# What a word sees where a neighbour would be beyond the sentence's edge.
_EDGE = tuple((f"{d}edge",) for d in _NEIGHBOURS)
# Tokens a gazetteer name may run across (quotes around part of a name, a hyphen in بان كي - مون), as
# `find_mentions` skips them; its own constant, so the model's features never change behind its back.
_GAZ_SKIP = frozenset('"\'«»“”„‟‘’-–')


def token_features(words: Sequence[str]) -> list[list[str]]:
    """The CRF's features for each word of one sentence (the same for training and tagging): the word's
    own (`_word_features`), those of the words at -2, -1, +1 and +2 (or an edge mark), the word bigrams
    with either neighbour, and the gazetteer's names over the sentence (the word's tag in one, B-LOC,
    I-ORG …, and its neighbours' at ±1)."""
    info = [_word_features(w) for w in words]
    n = len(info)
    seen = [_EDGE, _EDGE, *(x[1] for x in info), _EDGE, _EDGE]
    pairs = [f"{info[k][2]}|{info[k + 1][2]}" for k in range(n - 1)]
    out = []
    for i in range(n):
        f = [*info[i][0], *seen[i][0], *seen[i + 1][1], *seen[i + 3][2], *seen[i + 4][3]]
        if i > 0:
            f.append("-1w|w=" + pairs[i - 1])
        if i + 1 < n:
            f.append("w|+1w=" + pairs[i])
        out.append(f)
    gaz = _gazetteer_tags(n, known_names(words, [x[2] for x in info]))
    for i, f in enumerate(out):
        if gaz[i]:
            f.append(gaz[i][0])
        if i > 0 and gaz[i - 1]:
            f.append(gaz[i - 1][1])
        if i + 1 < n and gaz[i + 1]:
            f.append(gaz[i + 1][2])
    return out


@functools.cache
def _gaz_features(tag: str) -> tuple[str, str, str]:
    """A gazetteer tag (B-LOC …) -> the features it gives the word it is on, the next word, the one before."""
    return f"gaz={tag}", f"-1gaz={tag}", f"+1gaz={tag}"


def known_names(words: Sequence[str], norms: Sequence[str]) -> tuple[Sequence[int], list[str], list[tuple]]:
    """The gazetteer's names in a sentence (`gazetteer().find` over the words' match forms `norms`,
    `_GAZ_SKIP` tokens left out): (the word index of each position of the stream searched, the stream,
    the hits as (first, last + 1, entry) positions in the stream). What the features and
    `find_mentions` both read, so it is found once."""
    from marsad.extract.gazetteer import gazetteer

    if any(w in _GAZ_SKIP for w in words):
        keep: Sequence[int] = [k for k, w in enumerate(words) if w not in _GAZ_SKIP]
        stream = [norms[k] for k in keep]
    else:
        keep = range(len(words))
        stream = list(norms)
    return keep, stream, list(gazetteer().find(stream))


def nonempty(
    sentences: Sequence[Sequence[str]], known: Sequence[tuple] | None, match_forms: Callable
) -> tuple[list[int], list[Sequence[str]], list[tuple]]:
    """What a tagger's `tag_many` tags: the indexes of the sentences with words, those sentences, and
    their `known_names` (the caller's, or found with the tagger's `match_forms`)."""
    live = [i for i, s in enumerate(sentences) if len(s)]
    sents = [sentences[i] for i in live]
    if known is None:
        return live, sents, [known_names(s, match_forms(s)) for s in sents]
    return live, sents, [known[i] for i in live]


def _gazetteer_tags(n: int, known: tuple) -> list[tuple[str, str, str] | None]:
    """For each of a sentence's `n` words in one of its `known_names`, the features of its tag (B-LOC,
    I-ORG …) for itself, the next word and the word before (`_gaz_features`); None for the others."""
    keep, _, hits = known
    tags: list[tuple[str, str, str] | None] = [None] * n
    for a, b, entry in hits:
        if entry.type == "MISC":
            continue  # both taggers were trained without MISC names (diseases): no features of them
        first, last = keep[a], keep[b - 1]
        tags[first] = _gaz_features(f"B-{entry.type}")
        inside = _gaz_features(f"I-{entry.type}")
        for k in range(first + 1, last + 1):
            tags[k] = inside
    return tags


def spans_of(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans (first token, last token + 1, label) from BIO tags; an I- without a B- opens one."""
    out: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, t in enumerate([*tags, "O"]):
        kind, _, lab = t.partition("-")
        if start is not None and (kind != "I" or lab != label):
            out.append((start, i, label))
            start, label = None, None
        if kind == "B" or (kind == "I" and start is None):
            start, label = i, lab
    return out


class WordCache:
    """Per-word scores a tagger computes once and reuses (news repeats its words): `score_words` gives
    each word's match form and row of scores; `_rows` maps a word to (its row in `_table`, its match
    form). Cleared when `_WORD_CACHE` words are held. `entities.warm` fills it before a batch is forked
    over workers, so each inherits the rows instead of computing them again."""

    _WORD_CACHE = 1 << 17
    _rows: dict[str, tuple[int, str]]
    _table: Any

    def score_words(self, words: Sequence[str]) -> tuple[list[str], Any]:
        raise NotImplementedError

    def adopt(self, words: Sequence[str], forms: Sequence[str], table) -> None:
        """Cache the scores of `words` (`score_words`, maybe computed in another process); a full cache
        is cleared first."""
        import numpy as np

        rows = self._rows
        if len(rows) + len(words) > self._WORD_CACHE:
            rows.clear()
        first = len(rows)
        if first + len(words) > len(self._table):
            size = len(self._table)
            while size < first + len(words):
                size *= 2
            grown = np.zeros((size, *self._table.shape[1:]), dtype=self._table.dtype)
            grown[:first] = self._table[:first]
            self._table = grown
        self._table[first : first + len(words)] = table
        rows.update(zip(words, zip(range(first, first + len(words)), forms, strict=True), strict=True))

    def new_words(self, words: Iterable[str]) -> list[str]:
        """The distinct words of `words` not cached yet, in order."""
        rows = self._rows
        new = [w for w in words if w not in rows]
        return list(dict.fromkeys(new)) if new else new

    def _fill(self, words: Iterable[str]) -> None:
        """Cache the scores of every word of `words` not cached yet; all of them are cached afterwards
        (a full cache is cleared first), so the callers' row numbers stay valid for the call."""
        words = words if isinstance(words, list | tuple) else list(words)
        new = self.new_words(words)
        if not new:
            return
        if len(self._rows) + len(new) > self._WORD_CACHE:
            self._rows.clear()
            new = list(dict.fromkeys(words))
        self.adopt(new, *self.score_words(new))

    def _row(self, w: str) -> tuple[int, str]:
        got = self._rows.get(w)
        if got is None:
            self._fill((w,))
            got = self._rows[w]
        return got

    def match_forms(self, words: Sequence[str]) -> list[str]:
        """The words' match forms (cached with their scores)."""
        self._fill(words)
        cached = self._rows
        return [cached[w][1] for w in words]


class NerTagger(WordCache):
    """The shipped CRF, loaded once (its sha256 checked against the manifest), decoded here in numpy.

    crfsuite's own tagger builds every feature string of every word and looks each up, which made NER
    the costliest stage of ingest. Almost all of the model's features belong to one word (its own, and
    what it shows the words up to two places away), so their weights are summed once per distinct word
    (`_row`, cached) and a sentence's emission scores are a few vector sums, plus the word-pair
    and gazetteer features looked up per word. Viterbi then runs over all the sentences of a call at
    once. Same features, same weights (as crfsuite's dump prints them, to 6 decimals) and same tie rule
    as crfsuite; `tag_reference` runs crfsuite itself, for tests and `eval/ner.py --model crf`.
    """

    def __init__(self, crf: object, data: bytes) -> None:
        import numpy as np

        self._tagger = crf
        self._data = data  # crfsuite reads the model in place: the bytes must live as long as the tagger
        info = crf.info()  # type: ignore[attr-defined]
        order = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
        self.labels = tuple(t if t == "O" else t[:2] + _TAG_NAMES.get(t[2:], t[2:]) for t in order)
        index = {lab: k for k, lab in enumerate(order)}
        k = len(order)
        self._trans = np.zeros((k, k))
        for (a, b), w in info.transitions.items():
            self._trans[index[a], index[b]] = w
        # row 0 of the weight matrix is zeros: every sum in `_row` starts there, so none is empty
        self._attr_row: dict[str, int] = {}
        for attr, _ in info.state_features:
            self._attr_row.setdefault(attr, len(self._attr_row) + 1)
        self._weights = np.zeros((len(self._attr_row) + 1, k))
        for (attr, lab), w in info.state_features.items():
            self._weights[self._attr_row[attr], index[lab]] = w
        self._attrs = {attr: self._weights[r] for attr, r in self._attr_row.items()}
        # what a word shows its neighbours, by offset, looked up without building the prefixed strings
        self._shown_row = [
            {a[len(d):]: r for a, r in self._attr_row.items() if a.startswith(d)} for d in _NEIGHBOURS
        ]
        # the word-pair features by pair ("a|b"): a word's with the next word, and with the one before
        self._opens = {a[6:]: r for a, r in self._attr_row.items() if a.startswith("w|+1w=")}
        self._closes = {a[6:]: r for a, r in self._attr_row.items() if a.startswith("-1w|w=")}
        self._edge = np.array([self._attrs.get(e[0], self._weights[0]) for e in _EDGE])
        # per distinct word: its row in `_table` ([own, to -2, to -1, to +1, to +2] label scores) and
        # its match form; cleared when full (news repeats its words, so few misses once warm)
        self._rows: dict[str, tuple[int, str]] = {}
        self._table = np.zeros((1024, 5, k))

    @classmethod
    def load(cls, data: bytes | None = None) -> NerTagger:
        import pycrfsuite

        from marsad.resources import load_artifact

        data = data if data is not None else load_artifact(MODEL)
        t = pycrfsuite.Tagger()
        t.open_inmemory(data)
        return cls(t, data)

    # Words scored per numpy gather in `score_words`: bounds the transient (rows x labels floats).
    _FILL_BLOCK = 2048

    def score_words(self, words: Sequence[str]):
        """Each word's label scores ([own, to -2, to -1, to +1, to +2] x labels) and match form, not
        cached: a block of words per numpy gather and sum (one reduceat per word cost more than its
        features). Each sum adds the same weights in the same order as one word alone would."""
        import numpy as np

        gets = [self._attr_row.get] + [t.get for t in self._shown_row]
        k = len(self.labels)
        table = np.zeros((len(words), 5, k))
        forms: list[str] = []
        for b in range(0, len(words), self._FILL_BLOCK):
            block = words[b : b + self._FILL_BLOCK]
            idx: list[int] = []
            starts: list[int] = []
            for w in block:
                own, shown, n = _word_base(w)
                forms.append(n)
                for get, feats in zip(gets, (own, shown, shown, shown, shown), strict=True):
                    # each sum starts at row 0 (zeros), so none is empty; known features have rows >= 1
                    starts.append(len(idx))
                    idx.append(0)
                    idx.extend(filter(None, map(get, feats)))
            table[b : b + len(block)] = np.add.reduceat(self._weights[idx], starts, axis=0).reshape(-1, 5, k)
        return forms, table

    def _emissions(self, sentences: Sequence[Sequence[str]], known: Sequence[tuple]):
        """Each word's score for each label (rows: the words of all sentences in order; columns:
        `self.labels`): the sum of the weights of its `token_features`."""
        import numpy as np

        flat = [w for words in sentences for w in words]
        self._fill(flat)
        got = list(map(self._rows.__getitem__, flat))  # (row, match form) of each word
        ids = np.array([r for r, _ in got], dtype=np.intp)
        lens = np.fromiter(map(len, sentences), dtype=np.intp, count=len(sentences))
        first = np.repeat(np.cumsum(lens) - lens, lens)  # index of each word's sentence start
        pos = np.arange(len(ids)) - first
        size = np.repeat(lens, lens)
        w = self._table[ids]
        out = w[:, 0].copy()
        for part, shift in ((1, -2), (2, -1), (3, 1), (4, 2)):
            src = pos + shift
            inside = (src >= 0) & (src < size)
            take = np.where(inside, np.arange(len(ids)) + shift, 0)
            out += np.where(inside[:, None], w[take, part], self._edge[part - 1])
        # word-pair features, added as the word loop below used to add them one by one: to each word,
        # first the pair it closes, then the pair it opens (row 0, zeros, where there is none)
        forms = [f for _, f in got]
        if len(forms) > 1:
            keys = [f"{a}|{b}" for a, b in pairwise(forms)]
            ends = np.cumsum(lens)
            closes = np.zeros(len(forms), dtype=np.intp)
            closes[1:] = np.fromiter(map(self._closes.get, keys, repeat(0)), dtype=np.intp, count=len(keys))
            closes[ends[:-1]] = 0  # no pair across a sentence's end
            opens = np.zeros(len(forms), dtype=np.intp)
            opens[:-1] = np.fromiter(map(self._opens.get, keys, repeat(0)), dtype=np.intp, count=len(keys))
            opens[ends - 1] = 0
            out += self._weights[closes]
            out += self._weights[opens]
        get = self._attrs.get
        base = 0
        for sent, kn in zip(sentences, known, strict=True):
            n = len(sent)
            if kn[2]:
                for i, g in enumerate(_gazetteer_tags(n, kn)):
                    if g is None:
                        continue
                    for j, f in ((i, g[0]), (i + 1, g[1]), (i - 1, g[2])):
                        if 0 <= j < n:
                            v = get(f)
                            if v is not None:
                                out[base + j] += v
            base += n
        return out

    def tag_many(
        self, sentences: Sequence[Sequence[str]], known: Sequence[tuple] | None = None
    ) -> list[list[str]]:
        """BIO tags (PER/ORG/LOC/MISC) of each sentence's words: Viterbi over all of them at once.
        `known`: each sentence's `known_names`, where the caller has them already."""
        import numpy as np

        out: list[list[str]] = [[] for _ in sentences]
        live, sents, kn = nonempty(sentences, known, self.match_forms)
        if not live:
            return out
        em_flat = self._emissions(sents, kn)
        lens = np.fromiter(map(len, sents), dtype=np.intp, count=len(sents))
        k = len(self.labels)
        longest = int(lens.max())
        count = len(sents)
        # sentences longest first, so the ones still running at step t are the first alive[t]
        order = np.argsort(-lens, kind="stable")
        rank = np.empty(count, dtype=np.intp)
        rank[order] = np.arange(count)
        alive = (count - np.cumsum(np.bincount(lens, minlength=longest + 1))).tolist()
        em = np.zeros((longest, count, k))
        em[np.arange(len(em_flat)) - np.repeat(np.cumsum(lens) - lens, lens), np.repeat(rank, lens)] = em_flat
        score = em[0].copy()
        back = np.zeros((longest, count, k), dtype=np.intp)
        trans = self._trans[None, :, :]
        for t in range(1, longest):
            m = alive[t]
            cand = score[:m, :, None] + trans  # [sentence, from, to]
            back[t, :m] = cand.argmax(axis=1)
            # a sentence already ended keeps its final scores
            np.add(cand.max(axis=1), em[t, :m], out=score[:m])
        best = score.argmax(axis=1)
        path = np.zeros((longest, count), dtype=np.intp)
        cols = np.arange(count)
        for t in range(longest - 1, -1, -1):
            m, going = alive[t], (alive[t + 1] if t + 1 < longest else 0)  # ending at t: going..m
            if going:
                path[t, :going] = back[t + 1, cols[:going], path[t + 1, :going]]
            path[t, going:m] = best[going:m]
        names = self.labels
        paths = path.T.tolist()
        for b, i in enumerate(live):
            r = int(rank[b])
            out[i] = [names[j] for j in paths[r][: len(sents[b])]]
        return out

    def tag(self, words: Sequence[str]) -> list[str]:
        """BIO tags (PER/ORG/LOC/MISC) of one sentence's words."""
        return self.tag_many([words])[0]

    def tag_reference(self, words: Sequence[str]) -> list[str]:
        """`tag` by crfsuite itself (slow): what the fast decoder must agree with."""
        if not words:
            return []
        tags = self._tagger.tag(token_features(words))  # type: ignore[attr-defined]
        return [t if t == "O" else t[:2] + _TAG_NAMES.get(t[2:], t[2:]) for t in tags]


@functools.lru_cache(maxsize=1)
def tagger() -> NerTagger | LstmTagger:
    """The shipped model marsad tags with (one per process): the BiLSTM-CRF (`extract.lstm`), which
    finds more of the names ANERcorp never showed it than the feature CRF does (eval/README.md)."""
    from marsad.extract.lstm import LstmTagger

    return LstmTagger.load()


_shipped = tagger


def word_rank(word: str) -> int | None:
    """How common a match-form word is in unlabelled news (`LstmTagger.rank`; None = rare or unknown)."""
    t = tagger()
    return t.rank(word) if hasattr(t, "rank") else None


@functools.lru_cache(maxsize=1)
def crf_tagger() -> NerTagger:
    """The feature CRF (one per process): kept to compare with (`eval/ner.py --model crf`)."""
    return NerTagger.load()


def warm(
    texts: Iterable[str], pmap: Callable | None = None, tagger: NerTagger | LstmTagger | None = None
) -> int:
    """Score the words of `texts` now (the tagger's word cache), in this process. Called before a batch
    is split over forked workers, so each inherits the scores instead of computing the same ones again.
    `pmap(fn, jobs)`, if given, maps `score_words` over chunks of the new words (in worker processes:
    the cache is filled in parallel). `tagger`: another than the shipped one (in this process only).
    Returns how many words were new."""
    t = tagger or _shipped()
    new = sorted({w for text in texts for w in _TOKEN.findall(text)} - t._rows.keys())
    if pmap is None:
        t._fill(new)
        return len(new)
    chunks = [new[i : i + _WARM_CHUNK] for i in range(0, len(new), _WARM_CHUNK)]
    score = _score_words if tagger is None else t.score_words
    for words, (forms, table) in zip(chunks, pmap(score, chunks), strict=True):
        t.adopt(words, forms, table)
    return len(new)


# New words per `warm` job in a worker process.
_WARM_CHUNK = 4096


def _score_words(words: Sequence[str]) -> tuple:
    return tagger().score_words(words)


# Tokens a known name may run across (quotes around part of a name, a hyphen in كوفيد-19).
_SOFT = frozenset('"\'«»“”„‟‘’-–')
# Heads of "X against Y" organisation names (التحالف الدولي ضد داعش): a known organisation preceded by
# these and `aliases.AGAINST` words is named by the whole phrase.
_AGAINST_HEADS = frozenset(normalize(w) for w in ("التحالف", "تحالف", "الائتلاف"))


def _against_start(words: Sequence[str], i: int) -> int | None:
    """Where an "X against Y" name that ends with the known organisation starting at word `i` begins."""
    from marsad.extract.aliases import AGAINST
    from marsad.extract.gazetteer import unclitic

    j = i - 1
    while j >= 0 and j >= i - 5:
        w = words[j]
        if any(v in _AGAINST_HEADS for v in unclitic(w)):
            return j if j < i - 1 else None
        bare = w[1:] if w[:1] in "لب" else w
        if w not in AGAINST and bare not in AGAINST and bare not in ("تنظيم", "لتنظيم"):
            return None
        j -= 1
    return None


# Institutions news names by a head noun and the definite words after it (وزارة الدفاع, حرس الحدود, مستشفى
# الملك فهد, لجنة الحج المركزية), which the model, trained on other news, often misses.
_HEADS_TEXT = """وزارة هيئة مستشفى جامعة شرطة مديرية مجلس لجنة وكالة شركة بنك مصرف نادي جمعية مؤسسة صندوق
قوات حرس ديوان محكمة أمانة بلدية غرفة منظمة حزب جبهة كلية معهد القوات الديوان المحكمة الحرس طيران
سفارة السفارة قنصلية القنصلية برلمان البرلمان"""
# Heads that name an institution only with one particular next word (إدارة النادي, قيادة المدرب are not
# names; الإدارة العامة للمرور, القيادة العامة لطيران الأمن, الدفاع المدني are).
_FIXED_HEADS = {normalize(h): frozenset(normalize(w) for w in nexts.split()) for h, nexts in (
    ("إدارة", "العامة"), ("الإدارة", "العامة"), ("قيادة", "العامة"), ("القيادة", "العامة"),
    ("الرئاسة", "العامة"), ("رئاسة", "العامة"), ("المديرية", "العامة"), ("الدفاع", "المدني"),
    ("الأمن", "العام"), ("المؤسسة", "العامة"), ("الهيئة", "العامة العليا العالمية الوطنية الملكية"),
    ("قوة", "المجاهدين النخبة الطوارئ التدخل الردع الواجب"),
    ("الشؤون", "الصحية الإسلامية البلدية الاجتماعية"), ("شؤون", "الصحية الإسلامية البلدية الاجتماعية"))}
# Words after which "for X" is part of the name (الإدارة العامة للمرور, اللجنة الدائمة للبحوث), not what the
# body does (القوات البرية للتعامل).
_BEFORE_FOR_TEXT = "العامة العام العليا الوطنية الوطني الدائمة الملكية الدولية الدولي"
_BEFORE_FOR = frozenset(normalize(w) for w in _BEFORE_FOR_TEXT.split())
# Heads of a local branch named by its place (شرطة بارق, صحة جازان, إمارة منطقة مكة المكرمة, مرور الرياض):
# with a place found by the model or the gazetteer right after them (or after their definite words),
# the place is part of the institution's name. The last six name nothing without a place (إمارة جازان is
# the governor's office; إمارة alone is a word).
_PLACE_HEADS_TEXT = "شرطة إمارة أمانة بلدية محكمة جامعة مستشفى مديرية صحة مرور جوازات تعليم دفاع"
_PLACE_ONLY_TEXT = "صحة مرور جوازات تعليم دفاع إمارة"
# Heads of a regional directorate named with the place it serves after the preposition ب (الشؤون الصحية
# بمحافظة الأحساء, مديرية الشؤون الصحية بمنطقة عسير); other bodies are only located there (مستشفى الملك
# فهد بالهفوف is مستشفى الملك فهد).
_BRANCH_HEADS = frozenset(normalize(w) for w in ("الشؤون", "شؤون", "مديرية"))
# Definite words that end the name rather than continue it: days, times, ranks before a person's name,
# and words that point back to something named before (النادي, الوزارة).
_STOP_TEXT = """الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الماضي الماضية الحالي الحالية
المقبل المقبلة الجاري الجارية اليوم الأمس الذي التي الذين اللذين اللتين الآن الأول الأولى الثاني الثانية
الأخير الأخيرة المختصة المعنية المذكورة الكثير العديد الجميع الكل النادي الجمعية الفريق المدرب المملكة
الدولة المدينة المحافظة المنطقة الإدارة الشركة الهيئة الوزارة اللجنة الحركة الجديد الجديدة اللواء
العميد العقيد المقدم الرائد النقيب الدكتور الأستاذ المهندس السيد الرئيس الوزير"""
_INSTITUTION_HEADS = frozenset(normalize(w) for w in _HEADS_TEXT.split())
_PLACE_HEADS = frozenset(normalize(w) for w in _PLACE_HEADS_TEXT.split())
_PLACE_ONLY = frozenset(normalize(w) for w in _PLACE_ONLY_TEXT.split())
_INSTITUTION_STOP = frozenset(normalize(w) for w in _STOP_TEXT.split())
# Titles after which a name belongs to the institution (مستشفى الملك فهد, مستشفى الأمير سعود بن جلوي).
_NAME_TITLES = frozenset(normalize(w) for w in ("الملك", "الأمير", "الشيخ", "الإمام"))
_NAME_LINKS = frozenset(normalize(w) for w in ("بن", "ابن", "آل", "عبد"))
_CLITICS = ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")
# At most this many words after the head: definite words, or a title and the name chain after it.
_INSTITUTION_WORDS = 3
_INSTITUTION_NAME_WORDS = 5


def _continues(norms: Sequence[str], j: int, head: int) -> bool:
    """Whether word `j` goes on an institution's name that starts at `head`: a definite word (not a day, a
    rank or a word of the sentence), one with the preposition ل on it after the first (القيادة العامة
    للمجاهدين), or a name after الملك / الأمير (مستشفى الملك فهد, مستشفى الأمير سعود بن جلوي)."""
    n = norms[j]
    if n in STOPWORDS:
        return False
    if n.startswith("ال") and len(n) >= 4:
        return n not in _INSTITUTION_STOP
    if j > head + 1 and n.startswith("لل") and len(n) >= 5 and norms[j - 1] in _BEFORE_FOR:
        return n[1:] not in _INSTITUTION_STOP
    if (j > head + 1 and n[:1] == "ل" and n[1:] in _INSTITUTION_HEADS and j + 1 < len(norms)
            and norms[j + 1].startswith("ال")):
        return True  # another head on it: القيادة العامة لطيران الأمن
    if j <= head + 1 or not n.isalpha():
        return False
    return _in_name(norms, j, head)


# A "for X" chain may run across these (لأطباء عبر القارات).
_CHAIN_LINKS = frozenset(normalize(w) for w in ("عبر", "بلا"))
# Words of an institution's "for X" chain after its first: a longer one reads as what the body does
# (مجلس الدفاع الوطني لاستعراض خطة تأمين الاحتفالات), found on two SaudiNewsNet days.
_FOR_CHAIN_WORDS = 2


def _for_chain(norms: Sequence[str], j: int) -> int | None:
    """The end of a "for X" chain starting with word `j` (ل and an indefinite noun): an indefinite noun
    or a `_CHAIN_LINKS` word, then a definite word (مراقبة نقل الحجاج); None if it reaches none, or
    meets another ل (مستشفى الرس العام لإخضاعه لفحوصات الطب)."""
    if len(norms[j]) < 4 or not norms[j].isalpha():
        return None
    for k in range(j + 1, min(len(norms), j + 1 + _FOR_CHAIN_WORDS)):
        n = norms[k]
        if n.startswith("ال") and len(n) >= 4:
            return k + 1 if n not in _INSTITUTION_STOP and n not in STOPWORDS else None
        if not n.isalpha() or n[:1] == "ل" or (n in STOPWORDS and n not in _CHAIN_LINKS):
            return None
    return None


def _in_name(norms: Sequence[str], j: int, head: int) -> bool:
    """Whether word `j` is a title's name or goes on its chain (الأمير سعود بن جلوي)."""
    n, before = norms[j], norms[j - 1]
    if before in _NAME_TITLES:
        return True
    k = j - 1
    while k > head and norms[k] not in _NAME_TITLES:
        if norms[k] in STOPWORDS or not norms[k].isalpha():
            return False
        k -= 1
    return k > head and (n in _NAME_LINKS or before in _NAME_LINKS)


def _with_clitics(heads: frozenset[str]) -> dict[str, int]:
    """Each word of `heads`, bare and after each clitic -> the clitic's characters (one dict lookup
    per word of a sentence instead of one per clitic)."""
    out = dict.fromkeys(heads, 0)
    for c in _CLITICS:  # the first clitic that leaves a head wins, as when they are tried in turn
        for h in heads:
            out.setdefault(c + h, len(c))
    return out


_UNCLITIC: dict[frozenset[str], dict[str, int]] = {}


def _unclitic_head(norm: str, heads: frozenset[str]) -> int | None:
    """Characters of the clitic before a word of `heads` (0 for the bare word), or None."""
    forms = _UNCLITIC.get(heads)
    if forms is None:
        forms = _UNCLITIC[heads] = _with_clitics(heads)
    return forms.get(norm)


_ANY_HEAD = _INSTITUTION_HEADS | frozenset(_FIXED_HEADS) | _PLACE_ONLY


def _head(norm: str) -> tuple[int, str] | None:
    """(clitic characters, the head) when `norm` is an institution's head noun, bare or after a clitic."""
    skip = _unclitic_head(norm, _ANY_HEAD)
    return None if skip is None else (skip, norm[skip:])


def institution_spans(
    words: Sequence[str], places: Mapping[int, int] | None = None
) -> list[tuple[int, int, int]]:
    """(first word, end word, characters of a clitic to skip on the first word) of each institution
    named by a head noun (`_INSTITUTION_HEADS`, after a clitic و ف ب ل) and 1-3 words after it, or by a
    local branch's head and the place after it: `places` maps the first word of each place found in
    the sentence to its end."""
    places = places or {}
    norms = [normalize_word(w) for w in words]
    out = []
    i = 0
    while i < len(norms):
        found = _head(norms[i])
        if found is None:
            i += 1
            continue
        skip, head = found
        j = i + 1
        if head in _FIXED_HEADS:
            if j < len(norms) and norms[j] in _FIXED_HEADS[head]:
                j += 1
            else:
                i += 1
                continue
        if head not in _PLACE_ONLY:
            while (j < len(norms) and j - i <= _INSTITUTION_NAME_WORDS and _continues(norms, j, i)
                   and (j - i <= _INSTITUTION_WORDS or _in_name(norms, j, i))):
                j += 1
            while j > i + 2 and norms[j - 1] in _NAME_LINKS:  # a chain cut short: مستشفى الأمير سعود بن
                j -= 1
        if head in _PLACE_HEADS and j == i + 1 and j < len(norms):
            # the place right after the head, or after a trigger word (شرطة محافظة بارق)
            k = j + 1 if norms[j] in PLACE_TRIGGERS and j + 1 in places else j
            if k in places and places[k] - i <= _INSTITUTION_WORDS + 2:
                j = places[k]
        elif head in _BRANCH_HEADS and j < len(norms) and norms[j][:1] == "ب":
            # ب and the place, with or without a trigger word (بالأحساء, بمحافظة الأحساء)
            k = j + 1 if norms[j][1:] in _BRANCH_TRIGGERS and j + 1 in places else j
            if k in places and places[k] - i <= _INSTITUTION_WORDS + 3:
                j = places[k]
        if (j < len(norms) and norms[j - 1] in _BEFORE_FOR and norms[j][:1] == "ل"
                and not norms[j].startswith("لل")):
            # its "for X" is its name when X runs on to a definite word (الهيئة العليا لمراقبة نقل
            # الحجاج, الهيئة العالمية لأطباء عبر القارات); else it is cut before it: not its name
            end = _for_chain(norms, j)
            j = end if end is not None else i + 1
        if head in _PLACE_ONLY and j == i + 1:
            j = i + 1
        if j > i + 1:
            out.append((i, j, skip))
            i = j
        else:
            i += 1
    return out


# Words before a place's name (مركز المسيال, بقطاع ظهران الجنوب, قرية الحبيل), bare or after a clitic. Not
# منطقة: regions are known, and منطقة الجزاء is the penalty area.
_TRIGGERS_TEXT = "مركز قطاع قرية بلدة هجرة حي محافظة مدينة ناحية"
PLACE_TRIGGERS = frozenset(normalize(w) for w in _TRIGGERS_TEXT.split())
# After a directorate's ب, منطقة too (مديرية الشؤون الصحية بمنطقة عسير).
_BRANCH_TRIGGERS = PLACE_TRIGGERS | {normalize("منطقة")}
# Ports named by the place or the person after them, with their rank (مطار الأحساء الإقليمي, مطار الملك
# خالد الدولي): the whole phrase is the place.
_PORTS = frozenset(normalize(w) for w in ("مطار", "ميناء"))
_PORT_RANKS = frozenset(normalize(w) for w in ("الدولي", "الإقليمي", "المحلي"))
_ARABIC_WORD = re.compile("[\u0621-\u064a]+")
# A direction word that is the second word of a place's name (ظهران الجنوب).
_DIRECTIONS_TEXT = "الجنوب الشمال الشرق الغرب الجنوبية الشمالية الشرقية الغربية"
_DIRECTIONS = frozenset(normalize(w) for w in _DIRECTIONS_TEXT.split())


@functools.lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Names of small places mined from unlabelled news: words found mostly after a place trigger
    (`scripts/build_place_words.py`)."""
    import gzip

    from marsad.resources import load_artifact

    rows = gzip.decompress(load_artifact("place_words.tsv.gz")).decode("utf-8").splitlines()
    return frozenset(r.split("\t", 1)[0] for r in rows if r)


def after_place_trigger(norm: str) -> bool:
    """Whether a match-form word is a place trigger, bare or after a clitic (بقطاع)."""
    return _unclitic_head(norm, PLACE_TRIGGERS) is not None


def place_spans(norms: Sequence[str], spans: Mapping[tuple[int, int], str]) -> list[tuple[int, int, int]]:
    """(first word, end word, clitic characters to skip) of places named after a trigger word or a port
    that the model and gazetteer missed or cut short: a mined place word (`place_words`) after مركز / قطاع
    / قرية … (the trigger left out), with a direction word after it (ظهران الجنوب); and a port with the
    place or person after it and its rank (مطار الأحساء الإقليمي). A span found there already is replaced
    by the longer one."""
    taken = {k for a, b in spans for k in range(a, b)}
    ends = {a: b for a, b in spans}
    out = []
    for i, w in enumerate(norms[:-1]):
        k = i + 1
        if after_place_trigger(w) and norms[k] in place_words():
            if k in taken and ends.get(k) != k + 1:
                continue
            end = k + 1
            free = end not in taken or ends.get(end) == end + 1
            if end < len(norms) and norms[end] in _DIRECTIONS and free:
                end += 1
            if end > k + 1 or k not in taken:
                out.append((k, end, 0))
            continue
        skip = _unclitic_head(w, _PORTS)
        if skip is None or i in taken:
            continue
        if k in ends and _ARABIC_WORD.fullmatch(norms[k]):
            end = ends[k]
        elif norms[k] in _NAME_TITLES and k + 1 < len(norms) and _ARABIC_WORD.fullmatch(norms[k + 1]):
            end = k + 2
        elif norms[k] in place_words() and k not in taken and _ARABIC_WORD.fullmatch(norms[k]):
            end = k + 1
        else:
            continue
        if end < len(norms) and norms[end] in _PORT_RANKS:
            end += 1
        out.append((i, end, skip))
    return out


_FAMILY = normalize("آل")


def family_ends(norms: Sequence[str], spans: Mapping[tuple[int, int], str]) -> dict[tuple[int, int], int]:
    """Person spans followed by a family name the model left out (الملك سلمان بن عبدالعزيز + آل سعود): the
    span -> its new end."""
    out = {}
    starts = {a for a, _ in spans}
    for (i, j), label in spans.items():
        if (label == "PER" and j + 1 < len(norms) and norms[j] == _FAMILY and norms[j + 1].isalpha()
                and norms[j + 1] not in STOPWORDS and j not in starts):
            out[(i, j)] = j + 2
    return out


def find_mentions(article: Article, sentences: Sequence[Sentence]) -> tuple[Mention, ...]:
    """Entity mentions of an article, sentence by sentence, with spans into `article.text`: what the
    model finds, and the gazetteer's known names it missed (`extract.gazetteer`). A model span that cuts
    through a known name gives way to it; one inside a known name is kept only if it is a known name
    itself (داعش inside التحالف الدولي ضد داعش); a person around a known disease (MISC) gives way to it."""
    return find_mentions_many([(article, sentences)])[0]


def find_mentions_many(
    items: Sequence[tuple[Article, Sequence[Sentence]]],
) -> list[tuple[Mention, ...]]:
    """`find_mentions` of several articles, their sentences tagged in one call (the tagger advances
    all of them together: much faster than an article at a time); the same mentions."""
    t = tagger()
    split = []
    for article, sentences in items:
        for sent in sentences:
            text = article.text[sent.span.start : sent.span.end]
            offs = tokenize_ner(text)
            split.append((offs, [text[a:b] for a, b in offs]))
    t.match_forms([w for _, words in split for w in words])  # new words scored in one block
    tokens = [(offs, words, known_names(words, t.match_forms(words))) for offs, words in split]
    tags = t.tag_many([words for _, words, _ in tokens], [kn for _, _, kn in tokens])
    out = []
    k = 0
    for article, sentences in items:
        n = len(sentences)
        out.append(_mentions(article, sentences, tokens[k : k + n], tags[k : k + n]))
        k += n
    return out


def _mentions(article: Article, sentences: Sequence[Sentence], tokens: Sequence[tuple],
              tags: Sequence[Sequence[str]]) -> tuple[Mention, ...]:
    from marsad.extract.aliases import drop_letters

    out = []
    for sent, (offs, words, (keep, stream, hits)), sent_tags in zip(sentences, tokens, tags, strict=True):
        model = {(i, j): label for i, j, label in spans_of(sent_tags)}
        known: dict[tuple[int, int], str] = {}
        for a, b, entry in hits:
            known[(keep[a], keep[b - 1] + 1)] = entry.type
            if entry.type == "ORG":
                start = _against_start(stream, a)
                if start is not None:
                    known[(keep[start], keep[b - 1] + 1)] = "ORG"
        spans = dict(known)
        for (i, j), label in model.items():
            if (i, j) in known:
                continue
            crosses = any(i < b and a < j and not (a <= i and j <= b) and not (i <= a and b <= j)
                          for a, b in known)
            inside = any(a <= i and j <= b for a, b in known)
            # a person around a known disease is the model misreading it (بوباء كوفيد)
            holds_misc = label == "PER" and any(
                i <= a and b <= j and t == "MISC" for (a, b), t in known.items())
            if not crosses and not inside and not holds_misc:
                spans[(i, j)] = label
        norms = [normalize_word(w) for w in words]
        for (i, j), end in family_ends(norms, spans).items():
            for span in [s for s in spans if i <= s[0] < end and s != (i, j)]:
                del spans[span]
            spans[(i, end)] = spans.pop((i, j))
        clitic: dict[tuple[int, int], int] = {}
        for i, j, skip in place_spans(norms, spans):
            inner = [(a, b) for a, b in spans if i < b and a < j]
            if all(i <= a and b <= j for a, b in inner):
                for span in inner:
                    del spans[span]
                spans[(i, j)] = "LOC"
                clitic[(i, j)] = len(words[i]) - len(drop_letters(words[i], skip)) if skip else 0
        places = {a: b for (a, b), label in spans.items() if label == "LOC"}
        for i, j, skip in institution_spans(words, places):
            inner = [(a, b) for a, b in spans if i < b and a < j]
            # a name the model ran across the end of a titled institution's name is misread (مستشفى الملك
            # فهد بالهفوف: not a person فهد بالهفوف)
            across = [(a, b) for a, b in inner if not (i <= a and b <= j)]
            titled = any(norms[k] in _NAME_TITLES for k in range(i + 1, j))
            if across and titled and not any(span in known for span in across):
                for span in across:
                    del spans[span]
                inner = [span for span in inner if span not in across]
            # a name the model or the gazetteer found inside it is part of it (شرطة بارق, مستشفى الأمير
            # سعود بن جلوي, القوات الجوية السعودية); one that runs across its bounds is kept instead, and
            # so is a known organisation (مجلس الأمن: what follows it is not its name)
            if (all(i <= a and b <= j for a, b in inner) and (i, j) not in spans
                    and not any(known.get(span) == "ORG" for span in inner)):
                for span in inner:
                    del spans[span]
                spans[(i, j)] = "ORG"
                # the clitic's characters in the text as written (a diacritic may sit on it)
                clitic[(i, j)] = len(words[i]) - len(drop_letters(words[i], skip)) if skip else 0
        for (i, j), label in sorted(spans.items()):
            start, end = sent.span.start + offs[i][0], sent.span.start + offs[j - 1][1]
            start += clitic.get((i, j), 0)
            out.append(Mention(article.id, Span(start, end), label, normalize(article.text[start:end])))
    return tuple(out)


def entity_keys(text: str) -> frozenset[str]:
    """What a short text (an article's title and lead) names, as keys two articles about the same
    event share: the gazetteer's key for a known name (so المملكة المغربية and المغرب agree), a person's
    last name (so بلينكن meets أنتوني بلينكن), else the name's match-form words. Tagged as one piece, so
    the keys depend on the text alone."""
    return entity_keys_many([text])[0]


def entity_keys_many(texts: Sequence[str]) -> list[frozenset[str]]:
    """`entity_keys` of each text, tagged in one call (the tagger advances all of them together, much
    faster than one at a time); each text is still one piece, so its keys depend on it alone."""
    t = tagger()
    split = [[text[a:b] for a, b in tokenize_ner(text)] for text in texts]
    t.match_forms([w for words in split for w in words])  # new words scored in one block
    pieces = [(words, known_names(words, t.match_forms(words))) for words in split]
    tags = t.tag_many([w for w, _ in pieces], [kn for _, kn in pieces])
    return [_keys(words, kn, sent_tags) for (words, kn), sent_tags in zip(pieces, tags, strict=True)]


# Gazetteer keys of social networks and news agencies: organisations, but where a statement was posted or
# whom an article credits, not what two articles about one event share.
_NO_EVENT_KEYS = frozenset({"twitter", "facebook", "youtube", "instagram", "snapchat", "whatsapp", "afp",
                            "anadolu", "ap", "aps", "bloomberg", "bna", "dpa", "ina", "irna", "kuna", "map",
                            "mena", "ona", "petra", "qna", "reuters", "ria-novosti", "saba", "sana", "spa",
                            "tap", "tass", "wam", "xinhua"})


def _keys(words: Sequence[str], kn: tuple, tags: Sequence[str]) -> frozenset[str]:
    from marsad.extract.aliases import NOT_ENTITIES, PARTICLES, TITLE_ONLY, TITLES
    from marsad.extract.gazetteer import gazetteer, name_tokens, unclitic

    gaz = gazetteer()
    keep, _, hits = kn
    keys = set()
    covered = set()
    for a, b, entry in hits:
        covered.update(range(keep[a], keep[b - 1] + 1))
        # a disease names no event (every article of a pandemic would share it), nor does the network a
        # statement was posted on (16 to 26 leads of each tuning day name تويتر) or a credited agency
        if entry.type != "MISC" and entry.key not in _NO_EVENT_KEYS:
            keys.add("k:" + entry.key)
    for i, j, label in spans_of(tags):
        if covered & set(range(i, j)):
            continue
        toks = list(name_tokens(" ".join(words[i:j])))
        while len(toks) > 1 and toks[0] in PER_BEFORE:
            toks = toks[1:]
        if (not toks or tuple(toks) in NOT_ENTITIES or tuple(toks) in TITLE_ONLY
                or all(t in TITLES or t in PER_BEFORE for t in toks)):
            continue  # a formula, or a title with no name (الشيخ)
        if len(toks) == 1:
            known = [gaz.names.get((v,)) for v in unclitic(toks[0])]
            hit = next((e for e in known if e is not None), None)
            if hit is not None:
                keys.add("k:" + hit.key)
                continue
        if label == "PER" and len(toks) > 2 and toks[-2] in PARTICLES:
            keys.add(" ".join(toks[-2:]))  # a surname of two words: آل الشيخ, بن لادن
        else:
            keys.add(toks[-1] if label == "PER" else " ".join(toks))
    return frozenset(keys)


# --- CoNLL files: what the training script, `marsad tag --format conll` and eval/ner.py read -------------


def read_conll(path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a CoNLL file as (words, tags): one `token [TAG]` per line, a blank line between
    sentences; a line without a tag gets "O". Raises ValueError naming the line for a malformed one."""
    sents: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                if words:
                    sents.append((words, tags))
                    words, tags = [], []
                continue
            if len(parts) > 2:
                raise ValueError(f"line {lineno}: expected 'token' or 'token TAG', got {len(parts)} fields")
            words.append(parts[0])
            tags.append(parts[1] if len(parts) == 2 else "O")
    if words:
        sents.append((words, tags))
    return sents


def entity_scores(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Entity-level precision/recall/F1 (exact span and type, conlleval style) per label and "micro";
    "macro" holds the mean F1 of the labels. Tags may say PERS or PER."""
    from collections import Counter

    tp: Counter[str] = Counter()
    ng: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs = {(a, b, _TAG_NAMES.get(lab, lab)) for a, b, lab in spans_of(g)}
        ps = {(a, b, _TAG_NAMES.get(lab, lab)) for a, b, lab in spans_of(p)}
        for *_, lab in gs:
            ng[lab] += 1
        for *_, lab in ps:
            npred[lab] += 1
        for *_, lab in gs & ps:
            tp[lab] += 1

    def prf(t: int, np_: int, ng_: int) -> dict[str, float]:
        pr = t / np_ if np_ else 0.0
        rc = t / ng_ if ng_ else 0.0
        return {"p": pr, "r": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0, "n": ng_}

    out = {lab: prf(tp[lab], npred[lab], ng[lab]) for lab in sorted(set(ng) | set(npred))}
    out["micro"] = prf(sum(tp.values()), sum(npred.values()), sum(ng.values()))
    labs = [lab for lab in out if lab != "micro"]
    out["macro"] = {"f1": sum(out[lab]["f1"] for lab in labs) / len(labs) if labs else 0.0}
    return out
