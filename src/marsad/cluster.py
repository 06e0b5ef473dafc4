"""Stories: articles that report the same event, grouped incrementally.

Each article is compared (`similarity.compare`) only with candidates: the articles of stories active
within `cluster.window_days` that share one of its rarest terms (an inverted index over each article's
heaviest `INDEX_TERMS` terms; the store keeps the same index on disk, so adding an article never scans
the stream). A story's link score is the weakest of its best `link_members` member scores (each joiner
must be close to two members). The article joins the best story with a link score of at least
`cluster.threshold`; failing that, the story whose centroid of candidate members it is close to (a big
story's reactions and follow-ups share its core more than any one member); else it starts a new one.
Stories merge when the new article bridges them: it scores at least `cluster.merge_threshold` with both,
or it links to both and their centroids agree (`cluster.centroid_merge_*`); the larger keeps its id and
the other is recorded in `merged`. While placing, centroids are taken over the candidates only, so a
store-backed run that loads just the candidates decides exactly as an in-memory one. After a batch,
`consolidate` joins pieces (stories smaller than `cluster.consolidate_piece`) to the big story (at least
`cluster.consolidate_big`) of the same days they belong to as a whole: they name one of its core names,
their centroid embedding agrees with its, and they carry its signature (`similarity.signature`: the terms
most of its members hold), all over the members the clusterer holds (in a store-backed run, those loaded
as candidates and the new ones); then pairs of pieces of the same days join, best first, when their mean
link over all pairs of members reaches `cluster.piece_mean` (average linkage: one article that reports
two events is not enough). A story is never split here: a changed threshold is applied to the whole store
by `engine.recluster`, which reports every split.

Results do not depend on the order a batch is listed in (it is fed in `arrival_order`); how much they
depend on a truly different arrival order is measured by `eval/cluster.py --shuffle`.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from marsad.model import Article, day_of, publication_key
from marsad.settings import Settings
from marsad.similarity import (
    Centroid,
    Features,
    article_terms,
    background_df,
    centroid,
    centroid_cosines,
    compare_many,
    core_names,
    featurize,
    signature,
    signature_cover,
)

__all__ = [
    "Clusterer", "arrival_order", "article_terms", "background_df", "cluster", "day_of", "index_terms",
    "story_id_for",
]

# An article is filed in the index under its this-many heaviest terms ...
INDEX_TERMS = 30
# ... and looks for candidates under its this-many heaviest terms ...
QUERY_TERMS = 20
# ... of which only the ones sharing most of those terms are scored.
MAX_CANDIDATES = 60
# `consolidate` repeats while a round merges something, at most this many rounds: a second round finds the
# pieces that fit a big story only once another piece has joined it. Only a story that began within the
# batch's days is judged again so (session 19): a story of an earlier day that took one piece of the new
# day took the next on its strength, one event of a topic after another (the Yemen war's story of
# 2015-08-02 took 15 pieces of 08-03, 8 in the later rounds). See `eval/README.md`, session 19.
CONSOLIDATE_ROUNDS = 3
# `_agree` looks at each story's most recently joined this-many members (a bound on its cost: a merge of
# two big stories would otherwise compare every member with every member).
AGREE_MEMBERS = 30


def story_id_for(first_article_id: str) -> str:
    """A story's id: stable, derived from the article that started it."""
    return "s" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


def index_terms(f: Features, n: int = INDEX_TERMS) -> list[str]:
    """The heaviest `n` terms of an article's vector (they are stored heaviest first)."""
    return list(f.terms)[:n]


@dataclass(frozen=True)
class _Whole:
    """A story as `consolidate` compares it (over the members the clusterer holds): their centroid,
    signature (`similarity.signature`) and core names (`similarity.core_names`)."""

    centroid: Centroid
    signature: dict[str, float]
    names: frozenset[str]


@dataclass
class _StoryState:
    id: str
    size: int = 0
    first: date | None = None
    last: date | None = None
    members: list[str] = field(default_factory=list)
    """The members this clusterer has seen (a story seeded from the store may have more)."""

    def widen(self, day: date | None) -> None:
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)


class Clusterer:
    """Incremental story grouping: `add(features)` joins a story or starts one and returns its id."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cfg = settings.cluster
        self.features: dict[str, Features] = {}
        self.stories: dict[str, _StoryState] = {}
        self.story_of: dict[str, str] = {}
        self.index: dict[str, set[str]] = defaultdict(set)
        self.merged: dict[str, str] = {}
        """Story ids merged away during this session -> the id they merged into."""
        self.batch_first: date | None = None
        """The earliest day of the articles added since the last `consolidate`."""
        self.links: dict[str, set[str]] = defaultdict(set)
        """Article id -> the articles it scored at least `cluster.piece_mean` with while being placed
        (where `consolidate` looks for pieces to join by their mean link)."""

    def _in_window(self, day: date | None, story: _StoryState) -> bool:
        """Whether an article of `day` may join: within `window_days` of the story's first AND last
        day, so a story spans at most the window (an event, not a topic that runs for weeks)."""
        if day is None or story.first is None or story.last is None:
            return True
        w = self.cfg.window_days
        return abs((day - story.first).days) <= w and abs((day - story.last).days) <= w

    def _may_merge(self, a: str, b: str, span: int | None = None) -> bool:
        """Whether two stories may become one: together they still span at most `window_days` (each
        may lie within the window of the article that links them and yet the two span twice that), or
        `span` days when given."""
        sa, sb = self.stories[a], self.stories[b]
        days = [d for d in (sa.first, sa.last, sb.first, sb.last) if d is not None]
        limit = self.cfg.window_days if span is None else span
        return not days or (max(days) - min(days)).days <= limit

    def _agree(self, a: str, b: str) -> bool:
        """Whether two stories an article bridges are about the same thing: the median, over the (held)
        members of the smaller, of each one's best link into the other reaches `merge_agreement`. One
        article can speak of two events of a day (a plane that carries the vice-president lands in Aden;
        relief planes land there too) and link strongly to both; their members do not link to each
        other."""
        ma, mb = self.stories[a].members[-AGREE_MEMBERS:], self.stories[b].members[-AGREE_MEMBERS:]
        small, big = (ma, mb) if len(ma) <= len(mb) else (mb, ma)
        if not small or not big:
            return True
        others = [self.features[x] for x in big]
        best = sorted(max(p.score for p in compare_many(self.features[x], others, self.settings))
                      for x in small)
        return best[len(best) // 2] >= self.cfg.merge_agreement

    def _close(self, day: date | None, story: _StoryState, days: int | None = None) -> bool:
        """Whether all of a story lies within `centroid_days` (or `days`) of `day` (centroids gather an
        event's coverage of a day or two; over longer spans they gather a topic)."""
        if day is None or story.first is None or story.last is None:
            return True
        d = self.cfg.centroid_days if days is None else days
        return abs((day - story.first).days) <= d and abs((day - story.last).days) <= d

    def _file(self, f: Features, story_id: str) -> None:
        self.features[f.article_id] = f
        st = self.stories[story_id]
        st.members.append(f.article_id)
        st.widen(f.day)
        self.story_of[f.article_id] = story_id
        for t in index_terms(f):
            self.index[t].add(f.article_id)

    def seed(
        self,
        story_id: str,
        members: Iterable[Features],
        size: int | None = None,
        first: date | None = None,
        last: date | None = None,
    ) -> None:
        """Load (some of) a stored story's members without re-deciding them; `size`, `first` and `last`
        describe the whole story when only some members are loaded."""
        st = self.stories.setdefault(story_id, _StoryState(story_id))
        for f in members:
            if f.article_id not in self.story_of:
                self._file(f, story_id)
        st.size = max(st.size, size or 0, len(st.members))
        st.widen(first)
        st.widen(last)

    def candidates(self, f: Features) -> list[str]:
        """Article ids worth scoring against `f`: most shared query terms first (ties by id)."""
        hits: Counter[str] = Counter()
        for t in index_terms(f, QUERY_TERMS):
            hits.update(self.index.get(t, ()))
        hits.pop(f.article_id, None)
        # ties broken by id: set order varies between processes, results must not
        return [aid for aid, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]]

    def _local(self, f: Features) -> dict[str, list[Features]]:
        """Story id -> its members among the candidates of `f` (stories in its window only)."""
        per_story: dict[str, list[Features]] = defaultdict(list)
        for aid in self.candidates(f):
            sid = self.story_of[aid]
            if self._in_window(f.day, self.stories[sid]):
                per_story[sid].append(self.features[aid])
        return per_story

    def scores(self, f: Features, local: dict[str, list[Features]] | None = None) -> list[tuple[float, str]]:
        """(link score, story id) for the candidate stories of `f`, best first."""
        local = self._local(f) if local is None else local
        k = self.cfg.link_members
        out = []
        flat = [m for members in local.values() for m in members]
        all_sims = iter([p.score for p in compare_many(f, flat, self.settings)])
        floor = self.cfg.piece_mean
        for sid, members in local.items():
            sims = [next(all_sims) for _ in members]
            for m, v in zip(members, sims, strict=True):
                if v >= floor:
                    self.links[f.article_id].add(m.article_id)
                    self.links[m.article_id].add(f.article_id)
            best = sorted(sims, reverse=True)[: max(1, min(k, self.stories[sid].size))]
            # the k-th best link, or the mean of the best k (see settings cluster.link_aggregate)
            out.append((best[-1] if self.cfg.link_aggregate == "min" else sum(best) / len(best), sid))
        return sorted(out, key=lambda x: (-x[0], x[1]))

    def _centroid_join(
        self, f: Features, local: dict[str, list[Features]], cents: dict[str, Centroid] | None = None
    ) -> str | None:
        """The story whose centroid (of its candidate members, at least `centroid_min_members`) `f` is
        closest to, if it passes both centroid gates: a big story's reactions and follow-ups each share
        its core (place, event, victims) more than they share words with any one other member."""
        cfg = self.cfg
        cents = {} if cents is None else cents
        mine = centroid([f])
        best: tuple[float, str] | None = None
        for sid in sorted(local):
            if len(local[sid]) < cfg.centroid_min_members or not self._close(f.day, self.stories[sid]):
                continue
            t, e = centroid_cosines(mine, _local_centroid(cents, sid, local))
            passes = t >= cfg.centroid_terms and e is not None and e >= cfg.centroid_semantic
            if passes and (best is None or t + e > best[0]):
                best = (t + e, sid)
        return None if best is None else best[1]

    def _centroid_merges(
        self,
        f: Features,
        target: str,
        local: dict[str, list[Features]],
        links: dict[str, float],
        cents: dict[str, Centroid] | None = None,
    ) -> str:
        """Merge into `target` (which `f` is joining) each other candidate story whose centroid is as
        close to target's as the `centroid_merge_*` gates ask: pieces of one story that formed apart
        before the article that shows they belong together arrived."""
        cfg = self.cfg
        mine = [f] + [m for sid, ms in local.items() if self.merged.get(sid, sid) == target for m in ms]
        if len(mine) < cfg.centroid_min_members:
            return target
        here = centroid(mine)
        for sid in sorted(local):
            other = self.merged.get(sid, sid)
            if other == target or other not in self.stories or links.get(sid, 0.0) < cfg.centroid_merge_link:
                continue
            days = cfg.centroid_merge_days
            if not all(self._close(f.day, self.stories[s], days) for s in (other, target)):
                continue
            t, e = centroid_cosines(here, _local_centroid({} if cents is None else cents, sid, local))
            if t >= cfg.centroid_merge_terms and e is not None and e >= cfg.centroid_merge_semantic:
                target = self._merge(target, other)
        return target

    def add(self, f: Features) -> str:
        """Place one article: join the best story (by links, else by centroid), or start a new one."""
        if f.article_id in self.story_of:
            return self.story_of[f.article_id]
        local = self._local(f)
        scored = self.scores(f, local)
        cents: dict[str, Centroid] = {}  # centroids of the candidate stories' members, made once
        target = scored[0][1] if scored and scored[0][0] >= self.cfg.threshold else None
        if target is None:
            target = self._centroid_join(f, local, cents)
        if target is not None:
            if scored and scored[0][0] >= self.cfg.merge_threshold:
                for score, other in scored[1:]:
                    other = self.merged.get(other, other)
                    if score < self.cfg.merge_threshold or other == target:
                        continue
                    if self._may_merge(target, other) and self._agree(target, other):
                        target = self._merge(target, other)
            target = self._centroid_merges(f, target, local, {sid: v for v, sid in scored}, cents)
        else:
            target = story_id_for(f.article_id)
            self.stories[target] = _StoryState(target)
        self._file(f, target)
        self.stories[target].size += 1
        if f.day is not None and (self.batch_first is None or f.day < self.batch_first):
            self.batch_first = f.day
        return target

    def consolidate(self, story_ids: Iterable[str] | None = None) -> None:
        """After a batch: join each piece (a story of fewer than `consolidate_piece` articles) to the big
        story (at least `consolidate_big`) of the same days it belongs to as a whole (`_belongs`), looking
        at each piece the batch touched (`story_ids`; default all) against every big story, and at every
        piece against each big story the batch touched (which may now gather it). A big event's reactions,
        funerals, sermons and columns often link to no one member, even to no centroid of the few members
        that were candidates; against the whole story, seen once the batch is in, they do. Repeated while a
        round merges something, for the big stories that began within the batch's days only
        (`CONSOLIDATE_ROUNDS`). Big stories never merge here (only by links, in `add`)."""
        cfg = self.cfg
        wanted = None if story_ids is None else {self.merged.get(s, s) for s in story_ids}
        since, self.batch_first = self.batch_first, None
        for rnd in range(CONSOLIDATE_ROUNDS):
            # a big story is judged on the members held, so it needs a few (in a store-backed run, only the
            # candidates of the batch are loaded); after the first round, only the batch's own
            bigs = sorted(sid for sid, st in self.stories.items()
                          if st.size >= cfg.consolidate_big and len(st.members) >= cfg.centroid_min_members
                          and (rnd == 0 or since is None or st.first is None or st.first >= since))
            if not bigs:
                break
            grown = [b for b in bigs if wanted is None or b in wanted]
            # each big story as it stood when the round began (merges only append members), made when first
            # needed: a batch of one article looks at a few of the window's big stories, not all of them
            held = {sid: len(self.stories[sid].members) for sid in bigs}
            cores: dict[str, frozenset[str]] = {}
            wholes: dict[str, _Whole] = {}

            def core(b: str, cores: dict = cores, held: dict = held) -> frozenset[str]:
                if b not in cores:
                    cores[b] = self._core(b, held[b])
                return cores[b]

            def whole(b: str, wholes: dict = wholes, held: dict = held) -> _Whole:
                if b not in wholes:
                    wholes[b] = self._whole(b, held[b], core(b))
                return wholes[b]

            merged = False
            for sid in sorted(self.stories):
                st = self.stories.get(sid)
                if st is None or not st.members or st.size >= self._piece_limit:
                    continue
                targets = bigs if wanted is None or sid in wanted else grown
                if not targets:
                    continue
                members = [self.features[a] for a in st.members]
                names = frozenset().union(*(f.names for f in members))
                # the cheap tests first: same days, a core name named
                near = [b for b in targets if b in self.stories and self._close(st.first, self.stories[b])
                        and core(b) & names and self._may_merge(b, sid)]
                if not near:
                    continue
                here = centroid(members)
                best: tuple[float, str] | None = None
                for big in near:
                    fit = self._belongs(members, here, whole(big))
                    if fit is not None and (best is None or fit > best[0]):
                        best = (fit, big)
                if best is not None:
                    self._merge(best[1], sid)
                    merged = True
                    if wanted is not None:  # it grew: the next round looks at every piece against it
                        wanted.add(best[1])
            if not merged:
                break
        self._join_pieces(wanted)

    def _join_pieces(self, wanted: set[str] | None) -> None:
        """Join pairs of pieces (stories of fewer than `consolidate_piece` articles, of the same days) whose
        mean link, over every pair of their held members, reaches `cluster.piece_mean`: best pair first,
        as average-linkage clustering does. Placing one article at a time misses them: a piece of two
        takes a joiner only if it links to both, and of two pieces of one event, the one that formed later
        may have met the other's members only as weak candidates. The mean over all pairs (not the best
        link) keeps one bridging article from joining two events. Only pairs that some article linked
        across at `piece_mean` or more while being placed are looked at, one of them touched by the
        batch."""
        cfg = self.cfg
        if cfg.piece_mean > 1.0:
            return

        def small(sid: str) -> bool:
            st = self.stories.get(sid)
            return st is not None and 0 < st.size < self._piece_limit

        span = min(cfg.centroid_days, cfg.window_days)

        def neighbours(sid: str) -> set[str]:
            out = set()
            for aid in self.stories[sid].members:
                for other in self.links.get(aid, ()):
                    o = self.story_of.get(other)
                    if o is not None and o != sid and small(o) and self._may_merge(sid, o, span):
                        out.add(o)
            return out

        def mean_link(a: str, b: str) -> float:
            ma, mb = self.stories[a].members, self.stories[b].members
            if len(ma) > len(mb):
                ma, mb = mb, ma
            others = [self.features[x] for x in mb]
            total = sum(p.score for x in ma for p in compare_many(self.features[x], others, self.settings))
            return total / (len(ma) * len(mb))

        start = sorted(s for s in self.stories if small(s) and (wanted is None or s in wanted))
        floor = cfg.piece_mean
        # best pair first; a story's pairs go stale when it changes (its version moves on): skipped
        heap: list[tuple[float, str, str, int, int]] = []
        version: Counter[str] = Counter()

        def push(a: str, b: str) -> None:
            a, b = min(a, b), max(a, b)
            v = mean_link(a, b)
            if v >= floor:
                heapq.heappush(heap, (-v, a, b, version[a], version[b]))

        seen: set[tuple[str, str]] = set()
        for sid in start:
            for o in sorted(neighbours(sid)):
                key = (min(sid, o), max(sid, o))
                if key not in seen:
                    seen.add(key)
                    push(*key)
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            # (a pair is pushed only when its stories lie within `span`, and is stale once either changes)
            if a not in self.stories or b not in self.stories or (va, vb) != (version[a], version[b]):
                continue
            keep = self._merge(a, b)
            version[keep] += 1
            if small(keep):
                for o in sorted(neighbours(keep)):
                    push(keep, o)

    @property
    def _piece_limit(self) -> int:
        """Stories of fewer articles are pieces (`consolidate_piece`; a big story is never one)."""
        return min(self.cfg.consolidate_piece, self.cfg.consolidate_big)

    def _core(self, story_id: str, n: int) -> frozenset[str]:
        """A story's core names, over the first `n` members this clusterer holds."""
        members = [self.features[a] for a in self.stories[story_id].members[:n]]
        return core_names(members, self.cfg.consolidate_name_share, self.cfg.consolidate_name_weight)

    def _whole(self, story_id: str, n: int, names: frozenset[str]) -> _Whole:
        """What a story is about, over the first `n` members this clusterer holds (`names`: their core
        names, `_core`)."""
        members = [self.features[a] for a in self.stories[story_id].members[:n]]
        return _Whole(centroid(members), signature(members, self.cfg.consolidate_signature), names)

    def _belongs(self, members: list[Features], here: Centroid, big: _Whole) -> float | None:
        """How well a piece (its members and their centroid) fits a big story as a whole (the sum of the
        two measures below), or None if it does not. It must name one of the story's core names (the
        same where and who: the same kind of event elsewhere is another story); the embedding of its
        centroid must agree with the story's (`consolidate_semantic`: the same kind of text about the same
        thing); it must carry at least `consolidate_cover` of the story's signature (the same what); and
        the two measures together must reach `consolidate_fit` (a piece at both floors is too weak a
        case)."""
        cfg = self.cfg
        if not any(big.names & f.names for f in members):
            return None
        _, e = centroid_cosines(here, big.centroid)
        if e is None or e < cfg.consolidate_semantic:
            return None
        cover = signature_cover(big.signature, members)
        fit = cover + e
        return fit if cover >= cfg.consolidate_cover and fit >= cfg.consolidate_fit else None

    def _merge(self, a: str, b: str) -> str:
        """Merge two stories; the one with more members (then the smaller id) keeps its id."""
        sa, sb = self.stories[a], self.stories[b]
        keep, gone = (sa, sb) if (sa.size, sb.id) >= (sb.size, sa.id) else (sb, sa)
        for aid in gone.members:
            self.story_of[aid] = keep.id
            keep.members.append(aid)
        keep.size += gone.size
        keep.widen(gone.first)
        keep.widen(gone.last)
        del self.stories[gone.id]
        self.merged[gone.id] = keep.id
        for k, v in self.merged.items():
            if v == gone.id:
                self.merged[k] = keep.id
        return keep.id

    def groups(self) -> dict[str, list[str]]:
        """Story id -> the member article ids this clusterer has seen, in the order they joined."""
        return {sid: list(st.members) for sid, st in self.stories.items()}


def _local_centroid(cache: dict[str, Centroid], sid: str, local: dict[str, list[Features]]) -> Centroid:
    """The centroid of story `sid`'s candidate members (`local[sid]`, which `add` never changes), made
    once per `add`."""
    got = cache.get(sid)
    if got is None:
        got = cache[sid] = centroid(local[sid])
    return got


def arrival_order(articles: Sequence[Article]) -> list[Article]:
    """The order in which a batch is fed to the clusterer (`model.publication_key`), so that the same
    input gives the same stories whatever order the files were listed in."""
    return sorted(articles, key=publication_key)


def cluster(
    articles: Sequence[Article], settings: Settings, features: Sequence[Features] | None = None
) -> list[list[str]]:
    """Group a batch of articles into stories (lists of article ids) from scratch."""
    ordered = arrival_order(articles)
    by_id = {f.article_id: f for f in features or featurize(ordered, settings)}
    c = Clusterer(settings)
    for a in ordered:
        c.add(by_id[a.id])
    c.consolidate()
    return list(c.groups().values())
