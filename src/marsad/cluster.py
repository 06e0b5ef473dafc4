"""Stories: articles that report the same event, grouped incrementally.

First version: each article is a TF-IDF vector of clitic-stripped match-form word stems (title words
weighted up); an article joins the story whose centroid it is most similar to, if that similarity
passes `cluster.threshold` and the story's dates are within `cluster.window_days`; otherwise it starts
a story. Candidate stories come from an inverted index of each story's terms, so an article is never
compared with every story. When an article is close to two stories that are close to each other, the
two merge (the older id is kept). Document frequencies grow with every article seen, so the weights
adapt to the stream. A later issue replaces the similarity and measures it on a labelled day.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from marsad.model import Article
from marsad.settings import Settings
from marsad.text.normalize import normalize
from marsad.text.tokens import content_stems

# Only this many of an article's highest-weighted terms are used to look up candidate stories.
_QUERY_TERMS = 30
# ... and only the stories sharing most of those terms are scored.
_MAX_CANDIDATES = 25


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
    centroid: Counter[str] = field(default_factory=Counter)
    first: date | None = None
    last: date | None = None

    def add(self, article_id: str, tf: Mapping[str, float], day: date | None) -> None:
        self.members.append(article_id)
        norm = math.sqrt(sum(v * v for v in tf.values())) or 1.0
        for t, v in tf.items():
            self.centroid[t] += v / norm
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)


class Clusterer:
    """Incremental story grouping: `add(article)` joins a story or starts one and returns its id."""

    def __init__(self, settings: Settings) -> None:
        self.cfg = settings.cluster
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.stories: dict[str, _StoryState] = {}
        self.story_of: dict[str, str] = {}
        self.index: dict[str, set[str]] = defaultdict(set)
        self.merged: dict[str, str] = {}
        """Story ids merged away during this session -> the id they merged into."""

    # -- weights -------------------------------------------------------------------------------
    def _idf(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df[term])) + 1.0

    def _weighted(self, tf: Mapping[str, float]) -> dict[str, float]:
        w = {t: v * self._idf(t) for t, v in tf.items()}
        n = math.sqrt(sum(x * x for x in w.values())) or 1.0
        return {t: x / n for t, x in w.items()}

    def similarity(self, tf: Mapping[str, float], story: _StoryState) -> float:
        """Cosine between an article's and a story centroid's TF-IDF vectors."""
        a = self._weighted(tf)
        b = self._weighted(story.centroid)
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(t, 0.0) for t, v in a.items())

    def _in_window(self, day: date | None, story: _StoryState) -> bool:
        if day is None or story.first is None or story.last is None:
            return True
        w = self.cfg.window_days
        return (story.first - day).days <= w and (day - story.last).days <= w

    # -- updates -------------------------------------------------------------------------------
    def _observe(self, tf: Mapping[str, float]) -> None:
        self.n_docs += 1
        self.df.update(tf.keys())

    def seed(self, story_id: str, articles: Iterable[Article]) -> None:
        """Load an existing story (from the store) without re-deciding its membership."""
        st = self.stories.setdefault(story_id, _StoryState(story_id))
        for a in articles:
            tf = article_terms(a, self.cfg.title_weight)
            self._observe(tf)
            st.add(a.id, tf, day_of(a.published))
            self.story_of[a.id] = story_id
            for t in tf:
                self.index[t].add(story_id)

    def add(self, article: Article) -> str:
        """Place one article: join the most similar story above threshold, or start a new one."""
        if article.id in self.story_of:
            return self.story_of[article.id]
        tf = article_terms(article, self.cfg.title_weight)
        self._observe(tf)
        day = day_of(article.published)
        weighted = self._weighted(tf)
        query = sorted(weighted, key=weighted.__getitem__, reverse=True)[:_QUERY_TERMS]
        hits: Counter[str] = Counter()
        for t in query:
            hits.update(self.index.get(t, ()))
        candidates = [sid for sid, _ in hits.most_common(_MAX_CANDIDATES)]
        scored = sorted(
            (
                (self.similarity(tf, self.stories[sid]), sid)
                for sid in candidates
                if self._in_window(day, self.stories[sid])
            ),
            reverse=True,
        )
        above = [sid for score, sid in scored if score >= self.cfg.threshold]
        if above:
            target = above[0]
            for other in above[1:]:
                if self._stories_similar(target, other):
                    target = self._merge(target, other)
        else:
            target = story_id_for(article.id)
            self.stories[target] = _StoryState(target)
        self.stories[target].add(article.id, tf, day)
        self.story_of[article.id] = target
        for t in tf:
            self.index[t].add(target)
        return target

    def _stories_similar(self, a: str, b: str) -> bool:
        sa, sb = self.stories[a], self.stories[b]
        return self.similarity(sb.centroid, sa) >= self.cfg.threshold

    def _merge(self, a: str, b: str) -> str:
        """Merge two stories; the one with more members (then the smaller id) keeps its id."""
        sa, sb = self.stories[a], self.stories[b]
        keep, gone = (sa, sb) if (len(sa.members), sb.id) >= (len(sb.members), sa.id) else (sb, sa)
        keep.members.extend(gone.members)
        keep.centroid.update(gone.centroid)
        for d in (gone.first, gone.last):
            if d is not None:
                keep.first = d if keep.first is None else min(keep.first, d)
                keep.last = d if keep.last is None else max(keep.last, d)
        for aid in gone.members:
            self.story_of[aid] = keep.id
        for t in gone.centroid:
            self.index[t].discard(gone.id)
            self.index[t].add(keep.id)
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
    """The order in which a batch is fed to the clusterer: by publication date (undated last), then id,
    so that the same input gives the same stories whatever order the files were listed in."""
    return sorted(
        articles, key=lambda a: (day_of(a.published) is None, day_of(a.published) or date.min, a.id)
    )


def cluster(articles: Sequence[Article], settings: Settings) -> list[list[str]]:
    """Group a batch of articles into stories (lists of article ids) from scratch."""
    c = Clusterer(settings)
    for a in arrival_order(articles):
        c.add(a)
    return list(c.groups().values())
