"""Stories: articles that report the same event, grouped incrementally.

First version: each article is a TF-IDF vector of clitic-stripped match-form word stems (title words
weighted up). A new article is compared with the stored articles that share its rarest terms (an
inverted index, so it never meets the whole stream); a story's score is the mean of its best
`link_members` member similarities, which resists the drift of one broad centroid. The article joins the
best story above `cluster.threshold` whose dates are within `cluster.window_days`, or starts a story.
When it scores above `cluster.merge_threshold` with two stories, it bridges them and they merge (the
larger story keeps its id). Document frequencies come from a shipped background table (29k SaudiNewsNet
articles, counts only, built by `scripts/build_idf.py`) plus everything the clusterer has seen, including
the batch being placed (`prime`), so even five articles are weighed against ordinary news
vocabulary. A later issue replaces the similarity and measures it on a labelled day.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from marsad.model import Article, publication_key
from marsad.resources import load_artifact
from marsad.settings import Settings
from marsad.text.normalize import normalize
from marsad.text.tokens import content_stems

# An article's vector keeps its this-many heaviest terms (the tail adds cost, not signal).
_VECTOR_TERMS = 150
# Candidates are the articles sharing any of the new article's this-many heaviest terms ...
_QUERY_TERMS = 20
# ... of which only the ones sharing most of those terms are scored.
_MAX_CANDIDATES = 60


@dataclass(frozen=True)
class BackgroundDF:
    """Document frequencies of stems over a background corpus (`scripts/build_idf.py`)."""

    n_docs: int
    df: Mapping[str, int]


@functools.lru_cache(maxsize=1)
def background_df() -> BackgroundDF:
    """The shipped background table (read once per process; immutable)."""
    data = json.loads(gzip.decompress(load_artifact("idf.json.gz")))
    return BackgroundDF(int(data["n_docs"]), MappingProxyType(data["df"]))


def story_id_for(first_article_id: str) -> str:
    """A story's id: stable, derived from the article that started it."""
    return "s" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


def day_of(value: date | datetime | None) -> date | None:
    """The calendar day of a date or datetime (None stays None)."""
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def article_terms(article: Article, title_weight: float) -> Counter[str]:
    """Term counts of an article: body stems plus title stems weighted by `title_weight`."""
    tf: Counter[str] = Counter(content_stems(normalize(article.text)))
    if article.title and not article.title_derived:
        for t in content_stems(normalize(article.title)):
            tf[t] += title_weight
    return tf


@dataclass
class _StoryState:
    id: str
    members: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None

    def add(self, article_id: str, day: date | None) -> None:
        self.members.append(article_id)
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)


class Clusterer:
    """Incremental story grouping: `add(article)` joins a story or starts one and returns its id."""

    def __init__(self, settings: Settings, background: BackgroundDF | None = None) -> None:
        self.cfg = settings.cluster
        self.background = background if background is not None else background_df()
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self._seen_df: set[str] = set()
        self._tf: dict[str, Counter[str]] = {}
        self.vectors: dict[str, dict[str, float]] = {}
        self.stories: dict[str, _StoryState] = {}
        self.story_of: dict[str, str] = {}
        self.index: dict[str, set[str]] = defaultdict(set)
        self.merged: dict[str, str] = {}
        """Story ids merged away during this session -> the id they merged into."""

    # -- weights -------------------------------------------------------------------------------
    def _terms(self, article: Article) -> Counter[str]:
        tf = self._tf.get(article.id)
        if tf is None:
            tf = self._tf[article.id] = article_terms(article, self.cfg.title_weight)
        return tf

    def give_terms(self, terms: Mapping[str, Counter[str]]) -> None:
        """Hand over term counts already computed elsewhere (`article_terms`, e.g. in a worker)."""
        for aid, tf in terms.items():
            self._tf.setdefault(aid, tf)

    def prime(self, articles: Iterable[Article]) -> None:
        """Count the document frequencies of articles about to be added (better weights for a batch)."""
        for a in articles:
            if a.id not in self._seen_df:
                self._seen_df.add(a.id)
                self.n_docs += 1
                self.df.update(self._terms(a).keys())

    def _vector(self, tf: Mapping[str, float]) -> dict[str, float]:
        n = self.n_docs + self.background.n_docs
        bg = self.background.df
        w = {
            t: (1 + math.log(v)) * (math.log((1 + n) / (1 + self.df[t] + bg.get(t, 0))) + 1.0)
            for t, v in tf.items()
            if v > 0
        }
        top = sorted(w.items(), key=lambda kv: kv[1], reverse=True)[:_VECTOR_TERMS]
        norm = math.sqrt(sum(x * x for _, x in top)) or 1.0
        return {t: x / norm for t, x in top}

    @staticmethod
    def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
        # fsum: exact whatever the (hash-seed dependent) order of the set intersection
        return math.fsum(a[t] * b[t] for t in a.keys() & b.keys())

    def _in_window(self, day: date | None, story: _StoryState) -> bool:
        if day is None or story.first is None or story.last is None:
            return True
        w = self.cfg.window_days
        return (story.first - day).days <= w and (day - story.last).days <= w

    # -- updates -------------------------------------------------------------------------------
    def _file(self, article: Article, vec: dict[str, float], story_id: str) -> None:
        self.vectors[article.id] = vec
        self.stories[story_id].add(article.id, day_of(article.published))
        self.story_of[article.id] = story_id
        for t in vec:
            self.index[t].add(article.id)

    def seed(self, story_id: str, articles: Sequence[Article]) -> None:
        """Load an existing story (from the store) without re-deciding its membership."""
        self.prime(articles)
        self.stories.setdefault(story_id, _StoryState(story_id))
        for a in articles:
            self._file(a, self._vector(self._terms(a)), story_id)

    def scores(self, article: Article) -> list[tuple[float, str]]:
        """(score, story id) for the candidate stories of `article`, best first."""
        self.prime([article])
        vec = self._vector(self._terms(article))
        return self._scores(vec, day_of(article.published))

    def _scores(self, vec: Mapping[str, float], day: date | None) -> list[tuple[float, str]]:
        hits: Counter[str] = Counter()
        for t in list(vec)[:_QUERY_TERMS]:
            hits.update(self.index.get(t, ()))
        per_story: dict[str, list[float]] = defaultdict(list)
        # ties broken by id: set order varies between processes, results must not
        for aid, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_CANDIDATES]:
            sid = self.story_of[aid]
            if self._in_window(day, self.stories[sid]):
                per_story[sid].append(self._cosine(vec, self.vectors[aid]))
        k = self.cfg.link_members
        out = []
        for sid, sims in per_story.items():
            best = sorted(sims, reverse=True)[: min(k, len(self.stories[sid].members))]
            out.append((math.fsum(best) / len(best), sid))
        return sorted(out, reverse=True)

    def add(self, article: Article) -> str:
        """Place one article: join the best story above threshold, or start a new one."""
        if article.id in self.story_of:
            return self.story_of[article.id]
        self.prime([article])
        vec = self._vector(self._terms(article))
        scored = self._scores(vec, day_of(article.published))
        if scored and scored[0][0] >= self.cfg.threshold:
            target = scored[0][1]
            for score, other in scored[1:]:
                if score >= self.cfg.merge_threshold and scored[0][0] >= self.cfg.merge_threshold:
                    target = self._merge(target, other)
        else:
            target = story_id_for(article.id)
            self.stories[target] = _StoryState(target)
        self._file(article, vec, target)
        return target

    def _merge(self, a: str, b: str) -> str:
        """Merge two stories; the one with more members (then the smaller id) keeps its id."""
        sa, sb = self.stories[a], self.stories[b]
        keep, gone = (sa, sb) if (len(sa.members), sb.id) >= (len(sb.members), sa.id) else (sb, sa)
        for aid in gone.members:
            self.story_of[aid] = keep.id
            keep.add(aid, None)
        for d in (gone.first, gone.last):
            if d is not None:
                keep.first = d if keep.first is None else min(keep.first, d)
                keep.last = d if keep.last is None else max(keep.last, d)
        del self.stories[gone.id]
        self.merged[gone.id] = keep.id
        for k, v in self.merged.items():
            if v == gone.id:
                self.merged[k] = keep.id
        return keep.id

    def groups(self) -> dict[str, list[str]]:
        """Story id -> member article ids, in the order they joined."""
        return {sid: list(st.members) for sid, st in self.stories.items()}


def arrival_order(articles: Sequence[Article]) -> list[Article]:
    """The order in which a batch is fed to the clusterer (`model.publication_key`), so that the same
    input gives the same stories whatever order the files were listed in."""
    return sorted(articles, key=publication_key)


def cluster(articles: Sequence[Article], settings: Settings) -> list[list[str]]:
    """Group a batch of articles into stories (lists of article ids) from scratch."""
    c = Clusterer(settings)
    ordered = arrival_order(articles)
    c.prime(ordered)
    for a in ordered:
        c.add(a)
    return list(c.groups().values())
