"""Extractive summaries where every sentence names the articles that carry it.

Summarisers are chosen by name from `METHODS` (sumy's registry habit). All of them pick whole sentences
within a word budget, never a fragment, a heading, a run-on, a date stamp, an attribution tail or
background (a sentence all of whose dates lie well before the story, or that speaks of "then"):

- `lead`: the opening of the article with the story's most representative headline (a single
  article: its opening);
- `lexrank`: LexRank (Erkan & Radev 2004), PageRank over the graph of sentences whose TF-IDF cosine
  passes a threshold, best first, without repeats;
- `marsad` (also `centrality`), marsad's own. In a story: the facts several outlets report, once each.
  Every sentence covers concepts (its content stems, weighted by how many of the story's articles use
  them, and the figures `claims` grouped, weighted by how many articles give them); sentences are
  picked greedily by the weight of the concepts they add that the summary does not hold yet, per word,
  favouring article openings, so the first is the main event and each fact comes once, from the
  sentence that states it most compactly. In a single article: position (news and encyclopaedia text
  state their subject first) plus closeness to the article's keywords.

`summarize` writes a story's summary (most important first) and attributes every chosen sentence to
every article that carries it or a near-copy of it (stem overlap, containment, or a shared wire passage
from `dedupe`); a sentence without a source is never produced. `summarize_article` summarises one
article on its own and returns its sentences in text order. Hard-wrapped text (lines cut mid-sentence)
is read as the sentences it holds.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy import sparse

from marsad.extract.time import find_times, read_date_line
from marsad.model import (
    Article,
    Claim,
    Entity,
    Evidence,
    Sentence,
    Span,
    Story,
    SummarySentence,
    day_of,
    publication_key,
)
from marsad.settings import Settings
from marsad.text.normalize import normalize
from marsad.text.tokens import STOPWORDS, content_stems, stem, words

# Only an article's first this-many sentences are summary candidates in a story (news states its event
# in the opening; keeps big stories cheap). A single article offers all its sentences.
_CANDIDATE_SENTENCES = 16
# Candidates longer than this many words are run-ons or whole paragraphs: not summary material.
_MAX_SENTENCE_WORDS = 60
_ENDINGS = (".", "!", "?", "؟", "…")
# A short sentence opening with one of these only says where something came from ("وفق ما ذكرته وكالة
# المغرب العربي للأنباء."): an attribution tail split off its sentence, not a fact to summarise.
_ATTRIBUTION = re.compile(r"^\W*(?:و|ف)?(?:وفق|وفقا|بحسب|حسب|نقلا عن|طبقا ل|كما ذكرت|وذلك حسب)\b")
_ATTRIBUTION_MAX_WORDS = 12
# Longer lines are never date stamps (`extract.time.read_date_line` gives up on them too).
_DATE_LINE_CHARS = 120
# Words that place a sentence at a past moment another sentence named ("وأجرى المشاركون في الاجتماع
# حينها"): the sentence continues a background paragraph (match form, with or without و/ف).
_THEN = frozenset(
    p + w for w in ("حينها", "حينذاك", "انذاك", "يومها", "وقتذاك", "انئذ", "حينئذ") for p in ("", "و", "ف")
)
# Time expressions that date what a sentence reports (not durations, intervals or vague times).
_DATED = ("day", "month", "year", "time")


@dataclass(frozen=True, slots=True)
class _Cand:
    article_id: str
    sentence: Sentence
    terms: tuple[str, ...]
    """Content stems in order, with repeats (TF-IDF vectors)."""
    stems: frozenset[str]
    n_words: int
    position: float
    """Where the sentence starts in its article's text: 0 at the top, towards 1 at the end."""
    complete: bool
    """Ends like a sentence (not a heading, a cut-off line, a date stamp or a bare attribution)."""


def _unwrap(article: Article, sentences: Sequence[Sentence]) -> Sequence[Sentence]:
    """The article's sentences with hard-wrapped lines joined back.

    Sentences end at every line break; in a text wrapped at a fixed width (most lines ending without a
    full stop) each sentence is cut into lines. There a sentence runs on through the lines that do not
    end like one; an article whose lines mostly end like sentences keeps its sentences (a heading stays
    apart from the paragraph under it).
    """
    open_ends = [not _ends(s.norm) for s in sentences]
    if len(sentences) < 3 or sum(open_ends) * 2 < len(sentences):
        return sentences
    out: list[Sentence] = []
    start: Sentence | None = None
    for s, open_end in zip(sentences, open_ends, strict=True):
        first = start or s
        if open_end and s is not sentences[-1]:
            start = first
            continue
        span = Span(first.span.start, s.span.end)
        out.append(Sentence(article.id, len(out), span, normalize(span.of(article.text))))
        start = None
    return out


def _ends(norm: str) -> bool:
    return norm.rstrip().rstrip("\"')»”“").endswith(_ENDINGS)


@functools.lru_cache(maxsize=1 << 16)
def _words(norm: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """(words, content stems in order, whether it is complete) of a sentence's match form: complete
    when it ends like a sentence and is not a bare attribution or a date stamp. Memoised, as a story
    is summarised again each time it grows."""
    ws = tuple(words(norm))
    terms = tuple(stem(w) for w in ws if w not in STOPWORDS and (len(w) > 1 or w.isdigit()))
    complete = (
        _ends(norm)
        and not (len(ws) <= _ATTRIBUTION_MAX_WORDS and _ATTRIBUTION.match(norm))
        and not (len(norm) <= _DATE_LINE_CHARS and read_date_line(norm))
    )
    return ws, terms, bool(complete)


def _candidates(articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]) -> list[_Cand]:
    out = []
    for a in articles:
        size = max(len(a.text), 1)
        for s in _unwrap(a, sentences.get(a.id, ())):
            ws, terms, complete = _words(s.norm)
            out.append(_Cand(a.id, s, terms, frozenset(terms), len(ws), s.span.start / size, complete))
    return out


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other (catches a sentence contained in a longer one)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _tfidf(cands: Sequence[_Cand]) -> sparse.csr_matrix:
    """Row-normalised TF-IDF vectors of the candidates (documents = candidate sentences), columns in
    sorted stem order so that sums do not depend on set order."""
    vocab = {t: j for j, t in enumerate(sorted({t for c in cands for t in c.stems}))}
    cols = [vocab[t] for c in cands for t in c.terms]
    rows = [i for i, c in enumerate(cands) for _ in c.terms]
    x = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(cands), max(len(vocab), 1)))
    x.sum_duplicates()
    x.sort_indices()
    df = np.bincount(x.indices, minlength=x.shape[1])
    x = x @ sparse.diags(np.log((1 + len(cands)) / (1 + df)) + 1.0)  # smoothed IDF, as scikit-learn's
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ x


def _lexrank_scores(articles: Sequence[Article], cands: Sequence[_Cand], settings: Settings) -> list[float]:
    """LexRank as Erkan & Radev (2004) define it: the stationary distribution of a random walk over
    the graph linking sentences whose TF-IDF cosine passes `summary.lexrank_threshold` (each sentence
    linked to itself too), each step following a link with probability `summary.lexrank_damping` and
    jumping anywhere otherwise."""
    n = len(cands)
    if n == 0:
        return []
    cfg = settings.summary
    x = _tfidf(cands)
    adj = ((x @ x.T).toarray() > cfg.lexrank_threshold).astype(float)
    np.fill_diagonal(adj, 1.0)
    walk = adj / adj.sum(axis=1, keepdims=True)
    d = cfg.lexrank_damping
    p = np.full(n, 1.0 / n)
    for _ in range(200):
        nxt = (1.0 - d) / n + d * (walk.T @ p)
        done = np.abs(nxt - p).sum() < 1e-10
        p = nxt
        if done:
            break
    return [float(v) for v in p]


def _unit_weights(cands: Sequence[_Cand], by: Callable[[_Cand], object]) -> dict[str, float]:
    """Term weight: in how many units (articles of a story, or sentences of one article) a stem appears,
    log-scaled; a stem of one unit only weighs nothing."""
    per_unit: dict[object, set[str]] = {}
    for c in cands:
        per_unit.setdefault(by(c), set()).update(c.stems)
    df = Counter(t for terms in per_unit.values() for t in terms)
    return {t: math.log1p(n) for t, n in df.items() if n > 1}


def _story_weights(cands: Sequence[_Cand]) -> dict[str, float]:
    return _unit_weights(cands, lambda c: c.article_id)


def _relevance(cands: Sequence[_Cand], weights: Mapping[str, float]) -> np.ndarray:
    """Mean weight of each sentence's stems, over the top weight (long sentences gain no advantage)."""
    top = max(weights.values(), default=1.0)
    return np.array(
        [math.fsum(weights.get(t, 0.0) for t in sorted(c.stems)) / (len(c.stems) * top) if c.stems else 0.0
         for c in cands]
    )


def _echo(cands: Sequence[_Cand]) -> np.ndarray:
    """For each candidate, the sum over the other articles of its best TF-IDF cosine with one of their
    sentences: how many outlets report it (a near-copy in another article adds almost 1)."""
    n = len(cands)
    ids = sorted({c.article_id for c in cands})
    if n == 0 or len(ids) < 2:
        return np.zeros(n)
    x = _tfidf(cands)
    sim = (x @ x.T).toarray()
    own = np.array([ids.index(c.article_id) for c in cands])
    best = np.stack([sim[:, own == k].max(axis=1) for k in range(len(ids))], axis=1)
    best[np.arange(n), own] = 0.0
    return best.sum(axis=1)


def _lead_weights(cands: Sequence[_Cand], settings: Settings) -> np.ndarray:
    floor, decay = settings.summary.min_lead, settings.summary.lead_decay
    return np.array([max(floor, 1.0 / (1.0 + decay * c.sentence.index)) for c in cands])


def _central_scores(cands: Sequence[_Cand], settings: Settings, echo: np.ndarray) -> np.ndarray:
    """How central each sentence of a story is: (relevance + coverage) x lead weight.

    Relevance is the mean story weight of the sentence's stems (long sentences gain no advantage);
    coverage the mean, over the other articles, of its best TF-IDF cosine with one of their sentences
    (`_echo`: what every outlet reports); news states its event first, so early sentences count more.
    """
    n_articles = len({c.article_id for c in cands})
    rel = _relevance(cands, _story_weights(cands))
    return (rel + echo / max(n_articles - 1, 1)) * _lead_weights(cands, settings)


def _single_scores(cands: Sequence[_Cand], settings: Settings) -> list[float]:
    """marsad's score for the sentences of one article: how early it starts (1 - its position), plus
    weighted relevance (mean weight of its stems, each weighted by how many sentences use it) and
    coverage (TF-IDF cosine with the article as a whole, its keywords)."""
    cfg = settings.summary
    if not cands:
        return []
    x = _tfidf(cands)
    rel = _relevance(cands, _unit_weights(cands, lambda c: c.sentence.index))
    centroid = np.asarray(x.sum(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    coverage = x @ (centroid / norm) if norm > 0 else np.zeros(len(cands))
    early = np.array([1.0 - c.position for c in cands])
    return [float(v) for v in early + cfg.single_relevance * rel + cfg.single_coverage * coverage]


def _headline_article(articles: Sequence[Article], cands: Sequence[_Cand]) -> Article:
    """The article with the most representative real headline: the title whose words the story's
    articles share most (mean story weight of its stems), so `اجتماع وزاري للتحالف الدولي...` beats an
    angle such as `كورونا يُغيب بلينكن...`; derived titles only when no article has a real one."""
    weights = _story_weights(cands)

    def score(a: Article) -> tuple:
        terms = sorted(set(content_stems(normalize(a.title))))
        mean = math.fsum(weights.get(t, 0.0) for t in terms) / len(terms) if terms else 0.0
        return (not a.title_derived and bool(a.title.strip()), mean, a.id)

    return max(articles, key=score)


def _lead_scores(articles: Sequence[Article], cands: Sequence[_Cand], settings: Settings) -> list[float]:
    rep = _headline_article(articles, cands).id if len(articles) > 1 else None
    return [1.0 - c.position if rep is None or c.article_id == rep else -math.inf for c in cands]


class _Background:
    """Whether a sentence is background: it speaks of "then" (حينها), or every date it names lies more
    than `summary.background_days` before the story's first day. Found lazily, per sentence considered,
    so that a big story does not pay for time extraction over every sentence."""

    def __init__(self, articles: Mapping[str, Article], anchor: date | None, settings: Settings) -> None:
        self.articles = articles
        self.anchor = anchor
        self.cut = anchor - timedelta(days=settings.summary.background_days) if anchor else None

    def __call__(self, c: _Cand) -> bool:
        if _THEN.intersection(_words(c.sentence.norm)[0]):
            return True
        if self.cut is None:
            return False
        a = self.articles[c.article_id]
        text = c.sentence.span.of(a.text)
        probe = replace(a, text=text, published=a.published or self.anchor, removed=())
        old = recent = False
        for t in find_times(probe):
            if t.value is None or t.granularity not in _DATED or "/" in t.value:
                continue
            if a.published is None and not any(ch.isdigit() for ch in normalize(t.text)):
                recent = True  # counted from a day the article does not give: not evidence of age
                continue
            if _last_day(t.value) < self.cut:
                old = True
            else:
                recent = True
        return old and not recent


def _last_day(iso: str) -> date:
    """The last day of an ISO date, month or year (a period counts as old only when all of it is)."""
    parts = [int(p) for p in iso[:10].split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return date(parts[0], parts[1], parts[2])


def _select(cands: Sequence[_Cand], scores: Sequence[float], job: _Job) -> list[_Cand]:
    """The best-scored candidates, most important first, within the budget and without repeats."""
    cfg = job.settings.summary
    ranked = [
        i
        for i in sorted(
            range(len(cands)), key=lambda i: (-scores[i], cands[i].article_id, cands[i].sentence.index)
        )
        if scores[i] > -math.inf
    ]
    chosen: list[_Cand] = []
    used = 0
    for i in ranked:
        c = cands[i]
        if not _eligible(c, cfg) or (chosen and used + c.n_words > job.budget):
            continue
        if any(_overlap(c.stems, d.stems) > cfg.redundancy for d in chosen) or job.background(c):
            continue
        chosen.append(c)
        used += c.n_words
        if used >= job.budget - cfg.min_words:
            break
    if not chosen and ranked:
        # nothing passes the filters (prose without full stops, run-on paragraphs): a text still
        # gets one summary sentence, its best-scored one, rather than none
        best = next((i for i in ranked if cands[i].n_words >= cfg.min_words), ranked[0])
        chosen.append(cands[best])
    return chosen


def _support(chosen: _Cand, cands: Sequence[_Cand], story: Story, settings: Settings) -> tuple[Evidence, ...]:
    """Every place that carries `chosen` or a near-copy of it, its own place first.

    Another article carries the sentence when one of its sentences is a near-copy (stem Jaccard) or
    contains nearly all of it (`summary.contained` of its stems), or when a shared wire passage covers it.
    """
    support, contained = settings.summary.support, settings.summary.contained
    ev: dict[str, Evidence] = {chosen.article_id: Evidence(chosen.article_id, chosen.sentence.span)}
    mine = chosen.stems
    for c in cands if mine else ():
        if c.article_id in ev or not c.stems:
            continue
        shared = len(mine & c.stems)
        if shared and (
            shared / (len(mine) + len(c.stems) - shared) >= support or shared / len(mine) >= contained
        ):
            ev[c.article_id] = Evidence(c.article_id, c.sentence.span)
    span = chosen.sentence.span
    for passage in story.copies:
        here = [
            e
            for e in passage.evidence
            if e.article_id == chosen.article_id and e.span.start < span.end and span.start < e.span.end
        ]
        # the passage must cover most of the sentence to count as carrying it
        if here and sum(len(e.span) for e in here) >= 0.6 * len(span):
            for e in passage.evidence:
                ev.setdefault(e.article_id, e)
    return tuple(ev.values())


@dataclass(frozen=True, slots=True)
class _Job:
    """What a summariser works on: the candidates of the articles kept, the budget, and the story's
    figures (claims) for telling facts apart."""

    articles: Sequence[Article]
    cands: Sequence[_Cand]
    budget: int
    settings: Settings
    background: Callable[[_Cand], bool]
    claims: Sequence[Claim] = ()
    entities: Sequence[Entity] = ()


def _lead(job: _Job) -> list[_Cand]:
    return _select(job.cands, _lead_scores(job.articles, job.cands, job.settings), job)


def _lexrank(job: _Job) -> list[_Cand]:
    return _select(job.cands, _lexrank_scores(job.articles, job.cands, job.settings), job)


def _marsad(job: _Job) -> list[_Cand]:
    if len({c.article_id for c in job.cands}) < 2:
        return _select(job.cands, _single_scores(job.cands, job.settings), job)
    return _cover(job)


class _NameFinder:
    """Finds names (word sequences in match form) in a sentence's words, a name's first word also with
    a leading clitic (و ف ب ل ك, and بال وال فال كال لل for ال): one dictionary look-up per word."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def add(self, form: str, key: str) -> None:
        ws = tuple(words(form))
        if not ws:
            return
        first = ws[0]
        forms = {first, *(p + first for p in "وفبلك")}
        if first.startswith("ال"):
            forms.update(p + first[2:] for p in ("بال", "وال", "فال", "كال", "لل"))
        for f in forms:
            self.by_first.setdefault(f, []).append((ws[1:], key))

    def find(self, ws: Sequence[str]) -> set[str]:
        found = set()
        for i, w in enumerate(ws):
            for rest, key in self.by_first.get(w, ()):
                if tuple(ws[i + 1 : i + 1 + len(rest)]) == rest:
                    found.add(key)
        return found


def _concepts(job: _Job) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The facts each candidate can state, as concepts: who and where (the story's entities it names,
    `summary.entity_weight` x log(1 + n) for an entity n articles name), how many (the claims whose
    figures it states, `summary.claim_weight` x log(1 + n) for a figure n articles give), and what
    (its stems that two or more articles use, log(1 + n), plus `summary.title_weight` for each headline
    that uses it: what the outlets chose to put first, Edmundson's title method).

    Returns the candidates x concepts incidence matrix, each concept's weight, and which concepts are
    figures (stated once, never again).
    """
    cfg = job.settings.summary
    weights: dict[str, float] = dict(_story_weights(job.cands))
    titles = Counter(
        t for a in job.articles if not a.title_derived for t in set(content_stems(normalize(a.title)))
    )
    for t, n in titles.items():
        weights[t] = weights.get(t, 0.0) + cfg.title_weight * n
    held: list[set[str]] = [{t for t in c.stems if weights.get(t, 0.0) > 0} for c in job.cands]
    starts: dict[str, list[tuple[int, int]]] = {}  # article -> sorted (sentence start, candidate)
    for i, c in enumerate(job.cands):
        starts.setdefault(c.article_id, []).append((c.sentence.span.start, i))
    for k, claim in enumerate(job.claims):
        key = f"#claim:{k}"
        weights[key] = cfg.claim_weight * math.log1p(len(claim.article_ids))
        for e in (e for v in claim.values for e in v.evidence):
            at = starts.get(e.article_id, [])
            j = bisect.bisect_right(at, (e.span.start, len(job.cands))) - 1
            if j >= 0 and e.span.start < job.cands[at[j][1]].sentence.span.end:
                held[at[j][1]].add(key)
    names = _NameFinder()
    for e in job.entities:
        weights[f"#entity:{e.id}"] = cfg.entity_weight * math.log1p(len(e.mentions))
        for form in e.aliases:
            names.add(normalize(form), f"#entity:{e.id}")
    if names:
        for keys, c in zip(held, job.cands, strict=True):
            keys.update(names.find(_words(c.sentence.norm)[0]))
    index = {k: j for j, k in enumerate(sorted(set().union(*held)))}
    cols = [index[k] for keys in held for k in keys]
    rows = [i for i, keys in enumerate(held) for _ in keys]
    matrix = sparse.csr_matrix(
        (np.ones(len(cols)), (rows, cols)), shape=(len(job.cands), max(len(index), 1))
    )
    matrix.sort_indices()  # sums in concept order, whatever the order of the sets
    w = np.zeros(max(len(index), 1))
    once = np.zeros(max(len(index), 1), dtype=bool)
    for k, j in index.items():
        w[j] = weights[k]
        once[j] = k.startswith("#claim:")
    return matrix, w, once


def _cover(job: _Job) -> list[_Cand]:
    """Greedy budgeted coverage (Lin & Bilmes style): the main event first (`_central_scores`), then
    repeatedly the sentence whose concepts add the most weight per word (to the power
    `summary.length_power`), times its lead weight, until the budget is spent. A concept the summary
    already states n times adds sqrt(n + 1) - sqrt(n) of its weight (a name again, with a new fact
    around it, adds a little); a sentence restating a figure the summary gives is left out."""
    cfg = job.settings.summary
    cands = job.cands
    matrix, weight, once = _concepts(job)
    echo = _echo(cands)
    lead = _lead_weights(cands, job.settings)
    prior = lead * (1.0 + cfg.echo_weight * echo)
    size = np.array([c.n_words for c in cands], dtype=float)
    cost = np.maximum(size, 1.0) ** cfg.length_power
    open_ = np.array([_eligible(c, cfg) for c in cands], dtype=bool)
    seen = np.zeros(len(weight))
    chosen: list[_Cand] = []
    used = 0

    def take(i: int) -> None:
        nonlocal used
        chosen.append(cands[i])
        seen[matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]] += 1
        used += cands[i].n_words

    # the opening sentence states the main event: the most central one (what every outlet reports)
    central = _central_scores(cands, job.settings, echo)
    for i in sorted(np.flatnonzero(open_), key=lambda i: (-central[i], cands[i].article_id, i)):
        open_[i] = False
        if cands[i].n_words <= job.budget and not job.background(cands[i]):
            take(i)
            break
    while open_.any():
        fits = open_ & (size <= job.budget - used)
        if not fits.any():
            break
        factor = np.sqrt(seen + 1.0) - np.sqrt(seen)
        value = np.where(fits, (matrix @ (weight * factor)) * prior / cost, -1.0)
        best = int(np.argmax(value))
        if value[best] <= 0:
            break
        open_[best] = False
        c = cands[best]
        held = matrix.indices[matrix.indptr[best] : matrix.indptr[best + 1]]
        if (
            np.any(once[held] & (seen[held] > 0))  # restates a figure: each fact once
            or any(_overlap(c.stems, d.stems) > cfg.redundancy for d in chosen)
            or job.background(c)
        ):
            continue
        take(best)
        if used >= job.budget - cfg.min_words:
            break
    return chosen or _select(cands, list(lead), job)


METHODS: dict[str, Callable[[_Job], list[_Cand]]] = {
    "lead": _lead,
    "lexrank": _lexrank,
    "marsad": _marsad,
    "centrality": _marsad,
}
"""Summarisers by name (`centrality` is marsad's own under its former name)."""


def _eligible(c: _Cand, cfg: Any) -> bool:
    """A whole sentence of a reasonable length (not a fragment, heading, run-on or attribution tail)."""
    return cfg.min_words <= c.n_words <= _MAX_SENTENCE_WORDS and c.complete


def _method(name: str | None, settings: Settings) -> Callable[[_Job], list[_Cand]]:
    name = name or settings.summary.method
    if name not in METHODS:
        raise ValueError(f"unknown summariser {name!r}; choose one of {', '.join(METHODS)}")
    return METHODS[name]


def summarize(
    story: Story,
    articles: Mapping[str, Article],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
    method: str | None = None,
) -> Story:
    """The story with its summary set, by the named method (default `settings.summary.method`), most
    important sentence first, and its title (the most representative real headline) when it has none."""
    run = _method(method, settings)
    everyone = [articles[i] for i in story.article_ids if i in articles]
    all_cands = _candidates(everyone, sentences)
    # a duplicate article adds no information: summarise over one copy of each, and only over the
    # opening sentences of each article
    dupes = {i for group in story.duplicates for i in group[1:]}
    members = [a for a in everyone if a.id not in dupes]
    cap = settings.summary.max_articles
    if len(members) > cap:  # a big story: its first and latest reports (centrality is quadratic)
        by_time = sorted(members, key=publication_key)
        members = by_time[: cap - cap // 2] + by_time[len(by_time) - cap // 2 :]
    kept = {a.id for a in members}
    cands = [c for c in all_cands if c.article_id in kept and c.sentence.index < _CANDIDATE_SENTENCES]
    days = [d for d in (day_of(a.published) for a in everyone) if d is not None]
    background = _Background(articles, min(days) if days else None, settings)
    job = _Job(
        members, cands, settings.summary.max_words, settings, background, story.claims, story.entities
    )
    chosen = run(job)
    if not story.title and members:
        story = replace(story, title=_headline_article(members, cands).title)
    summary = tuple(
        SummarySentence(
            text=c.sentence.span.of(articles[c.article_id].text),
            evidence=_support(c, all_cands, story, settings),
        )
        for c in chosen
    )
    return replace(story, summary=summary)


def summarize_article(
    article: Article,
    sentences: Sequence[Sentence],
    settings: Settings,
    words: int | None = None,
    method: str | None = None,
) -> tuple[Sentence, ...]:
    """One article summarised on its own: the chosen sentences within `words` words (default
    `settings.summary.max_words`), in text order (a hard-wrapped sentence spans its lines)."""
    run = _method(method, settings)
    cands = _candidates([article], {article.id: sentences})
    budget = settings.summary.max_words if words is None else words
    background = _Background({article.id: article}, day_of(article.published), settings)
    chosen = run(_Job([article], cands, budget, settings, background))
    return tuple(sorted((c.sentence for c in chosen), key=lambda s: s.index))
