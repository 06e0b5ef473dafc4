"""Extractive multi-document summaries where every sentence names the articles that carry it.

Summarisers are chosen by name from `METHODS` (sumy's registry habit): `lead` takes the opening of
the article with the story's most representative headline; `centrality` scores every sentence of every
article by how much of the story it speaks to (its terms weighted by how many articles use them) and
how many other articles say nearly the same thing, then picks greedily without redundancy within a
word budget. Either way a chosen sentence is attributed to every article that carries it or a
near-copy of it (by word overlap or by a shared wire passage from `dedupe`); a sentence without a
source is never produced.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from marsad.model import Article, Evidence, Sentence, Story, SummarySentence, publication_key
from marsad.settings import Settings
from marsad.text.normalize import normalize
from marsad.text.tokens import content_stems, words

# Position weight of an article's n-th sentence: 1 / (1 + _LEAD_DECAY * n), never below _MIN_LEAD.
# Chosen on the seed cluster so that article leads (which state the event) outrank the background
# paragraphs further down; issue 7 measures it on EASC.
_LEAD_DECAY = 0.25
_MIN_LEAD = 0.3
# Only an article's first this-many sentences are summary candidates.
_CANDIDATE_SENTENCES = 12
# Candidates longer than this many words are run-ons or whole paragraphs: not summary material.
_MAX_SENTENCE_WORDS = 60
_ENDINGS = (".", "!", "?", "؟", "…")
# A short sentence opening with one of these only says where something came from ("وفق ما ذكرته وكالة
# المغرب العربي للأنباء."): an attribution tail split off its sentence, not a fact to summarise.
_ATTRIBUTION = re.compile(r"^\W*(?:و|ف)?(?:وفق|وفقا|بحسب|حسب|نقلا عن|طبقا ل|كما ذكرت|وذلك حسب)\b")
_ATTRIBUTION_MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class _Cand:
    article_id: str
    sentence: Sentence
    stems: frozenset[str]
    n_words: int
    position: float
    """0 for an article's first sentence, towards 1 for its last."""
    complete: bool
    """Ends like a sentence (not a heading, a cut-off line or a bare attribution)."""


def _candidates(articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]) -> list[_Cand]:
    out = []
    for a in articles:
        sents = sentences.get(a.id, ())
        n = max(len(sents), 1)
        for s in sents:
            stems = frozenset(content_stems(s.norm))
            n_words = len(words(s.norm))
            complete = s.norm.rstrip().rstrip("\"')»”“").endswith(_ENDINGS) and not (
                n_words <= _ATTRIBUTION_MAX_WORDS and _ATTRIBUTION.match(s.norm)
            )
            out.append(_Cand(a.id, s, stems, n_words, s.index / n, complete))
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set found in the other (catches a sentence contained in a longer one)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


# Scores sum floats over sets, whose order changes with PYTHONHASHSEED: math.fsum keeps them exact so
# that ties (and so the chosen sentences) do not depend on the process.


def _cosine(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _support(
    chosen: _Cand,
    cands: Sequence[_Cand],
    story: Story,
    settings: Settings,
) -> tuple[Evidence, ...]:
    """Every place that carries `chosen` or a near-copy of it, its own place first."""
    ev: dict[str, Evidence] = {chosen.article_id: Evidence(chosen.article_id, chosen.sentence.span)}
    for c in cands:
        if c.article_id in ev:
            continue
        if _jaccard(chosen.stems, c.stems) >= settings.summary.support:
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


def _story_weights(cands: Sequence[_Cand]) -> dict[str, float]:
    """Term weight: in how many articles of the story a stem appears (log-scaled)."""
    per_article: dict[str, set[str]] = {}
    for c in cands:
        per_article.setdefault(c.article_id, set()).update(c.stems)
    df = Counter(t for terms in per_article.values() for t in terms)
    return {t: math.log1p(n) for t, n in df.items() if n > 1}


def _centrality_scores(cands: Sequence[_Cand]) -> list[float]:
    """Score = (story relevance + cross-outlet coverage) x lead position.

    Relevance is the mean story weight of the sentence's stems (long sentences gain no advantage);
    coverage is the mean, over the other articles, of its best cosine with one of their sentences;
    news puts the event in the lead, so early sentences count more.
    """
    weights = _story_weights(cands)
    top = max(weights.values(), default=1.0)
    by_article: dict[str, list[_Cand]] = {}
    for c in cands:
        by_article.setdefault(c.article_id, []).append(c)
    n_others = max(len(by_article) - 1, 1)
    scores = []
    for c in cands:
        rel = math.fsum(weights.get(t, 0.0) for t in c.stems) / (len(c.stems) * top) if c.stems else 0.0
        coverage = (
            math.fsum(
                max((_cosine(c.stems, o.stems) for o in others), default=0.0)
                for aid, others in by_article.items()
                if aid != c.article_id
            )
            / n_others
        )
        lead = max(_MIN_LEAD, 1.0 / (1.0 + _LEAD_DECAY * c.sentence.index))
        scores.append((rel + coverage) * lead)
    return scores


def _select(cands: Sequence[_Cand], scores: Sequence[float], settings: Settings) -> list[_Cand]:
    cfg = settings.summary
    ranked = sorted(
        range(len(cands)), key=lambda i: (-scores[i], cands[i].article_id, cands[i].sentence.index)
    )
    chosen: list[_Cand] = []
    used = 0
    for i in ranked:
        c = cands[i]
        if c.n_words < cfg.min_words or c.n_words > _MAX_SENTENCE_WORDS:
            continue
        if not c.complete or any(_overlap(c.stems, d.stems) > cfg.redundancy for d in chosen):
            continue
        if chosen and used + c.n_words > cfg.max_words:
            continue
        chosen.append(c)
        used += c.n_words
        if used >= cfg.max_words:
            break
    if not chosen and ranked:
        # nothing passes the filters (prose without full stops, run-on paragraphs): a story still
        # gets one summary sentence, its best-scored one, rather than none
        best = next((i for i in ranked if cands[i].n_words >= cfg.min_words), ranked[0])
        chosen.append(cands[best])
    return chosen


def _headline_article(articles: Sequence[Article], cands: Sequence[_Cand]) -> Article:
    """The article with the most representative real headline: the title whose words the story's
    articles share most (mean story weight of its stems), so `اجتماع وزاري للتحالف الدولي...` beats an
    angle such as `كورونا يُغيب بلينكن...`; derived titles only when no article has a real one."""
    weights = _story_weights(cands)

    def score(a: Article) -> tuple:
        terms = set(content_stems(normalize(a.title)))
        mean = math.fsum(weights.get(t, 0.0) for t in terms) / len(terms) if terms else 0.0
        return (not a.title_derived and bool(a.title.strip()), mean, a.id)

    return max(articles, key=score)


def _lead(articles: Sequence[Article], cands: Sequence[_Cand], settings: Settings) -> list[_Cand]:
    rep = _headline_article(articles, cands)
    own = [c for c in cands if c.article_id == rep.id]
    return _select(own, [1.0 - c.position for c in own], settings)


def _centrality(articles: Sequence[Article], cands: Sequence[_Cand], settings: Settings) -> list[_Cand]:
    return _select(cands, _centrality_scores(cands), settings)


METHODS: dict[str, Callable[[Sequence[Article], Sequence[_Cand], Settings], list[_Cand]]] = {
    "lead": _lead,
    "centrality": _centrality,
}


def summarize(
    story: Story,
    articles: Mapping[str, Article],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
    method: str | None = None,
) -> Story:
    """The story with its summary set, by the named method (default `settings.summary.method`)."""
    name = method or settings.summary.method
    if name not in METHODS:
        raise ValueError(f"unknown summariser {name!r}; choose one of {', '.join(METHODS)}")
    everyone = [articles[i] for i in story.article_ids if i in articles]
    all_cands = _candidates(everyone, sentences)
    # a duplicate article adds no information: summarise over one copy of each, and only over the
    # opening sentences of each article (where news states its event; keeps big stories cheap)
    dupes = {i for group in story.duplicates for i in group[1:]}
    members = [a for a in everyone if a.id not in dupes]
    cap = settings.summary.max_articles
    if len(members) > cap:  # a big story: its first and latest reports (centrality is quadratic)
        by_time = sorted(members, key=publication_key)
        members = by_time[: cap - cap // 2] + by_time[len(by_time) - cap // 2 :]
    kept = {a.id for a in members}
    cands = [c for c in all_cands if c.article_id in kept and c.sentence.index < _CANDIDATE_SENTENCES]
    chosen = METHODS[name](members, cands, settings)
    order = {a.id: publication_key(a) for a in members}
    chosen.sort(key=lambda c: (round(c.position, 1), order[c.article_id], c.sentence.index))
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
