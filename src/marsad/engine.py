"""Incremental ingest into a store: the library call behind `marsad ingest` and the web upload form.

New articles are prepared (`pipeline.prepare`), placed into the stories already in the store
(`cluster.Clusterer` seeded with the stored stories of the same time window), every story that gained
an article is rebuilt (`pipeline.build_story`), and the whole batch (new articles, their sentences,
the rebuilt stories, stories merged away) is written in one transaction.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import signal
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from marsad import pipeline
from marsad.cluster import (
    MAX_CANDIDATES,
    QUERY_TERMS,
    Clusterer,
    arrival_order,
    day_of,
    index_terms,
    story_id_for,
)
from marsad.errors import InputError
from marsad.extract.aliases import adopt_ids
from marsad.extract.entities import tagger, warm
from marsad.extract.time import date_undated
from marsad.ingest import read_paths
from marsad.model import Article, Facts, Mention, Sentence, Story
from marsad.settings import Settings
from marsad.similarity import Features, featurize, load_models
from marsad.store import Store
from marsad.store.search import Indexer

T = TypeVar("T")
R = TypeVar("R")


# Articles per prepare job: the entity tagger reads a job's sentences in one call.
_PREPARE_CHUNK = 16


def _prepare_chunk(args: tuple[list[Article], Settings]) -> list[pipeline.Prepared | InputError]:
    articles, settings = args
    indexer = Indexer()
    return [p if isinstance(p, InputError)
            else replace(p, search_row=indexer.row(p.article.title, p.article.text))
            for p in pipeline.prepare_many(articles, settings)]


# What one story build needs: its id, its members, and their sentences, mentions and facts by article id.
BuildJob = tuple[
    str, list[Article], dict[str, tuple[Sentence, ...]], dict[str, tuple[Mention, ...]], dict[str, Facts]
]


def _build_one(args: tuple[str, list[Article], dict, dict, dict, Settings]) -> Story:
    sid, members, sentences, mentions, facts, settings = args
    return pipeline.build_story(sid, members, sentences, settings, mentions=mentions, facts=facts)


# The batch a forked worker reads its jobs from. Set only while a pool is running, so workers inherit
# the jobs through fork() instead of having every article pickled to them.
_FORKED: tuple[Callable, Sequence] | None = None


def _run_forked(i: int):
    assert _FORKED is not None
    fn, jobs = _FORKED
    return fn(jobs[i])


def _worker_init(parent: int) -> None:
    """Each worker runs numpy's BLAS on one thread: the workers already fill the cores, and the NER
    tagger's and the sentence encoder's many small matrix products slow down several-fold when every
    worker's BLAS also starts a thread per core (a day of news took 195 s instead of 42). It leaves
    Ctrl-C to its parent, and dies with it: a killed ingest must not leave workers waiting for jobs
    forever (holding memory, and the pipes of whoever ran it)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    # a Ctrl-C reaches every process of the terminal's group: the parent handles it (stops the pool, says
    # "interrupted"); a worker would print a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        # where prctl is missing, the worker may outlive a killed parent
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the call above
            os._exit(1)


_PR_SET_PDEATHSIG = 1


def _by_articles(settings: Settings, articles: int) -> Settings:
    """The settings for a batch of `articles` split into chunked jobs: the parallel switch
    (`engine.parallel_min_articles`) counts the articles, not the chunks."""
    if articles >= settings.engine.parallel_min_articles:
        return settings
    return settings.with_overrides({"engine": {"workers": 1}})


def _workers(settings: Settings) -> int:
    return settings.engine.workers or os.cpu_count() or 1


def _pmap(
    fn: Callable[[T], R], jobs: Sequence[T], settings: Settings, min_jobs: int | None = None
) -> Iterator[R]:
    """`map(fn, jobs)` in order, spread over forked worker processes when the batch is large (at least
    `min_jobs` jobs, by default `engine.parallel_min_articles`)."""
    global _FORKED
    cfg = settings.engine
    workers = _workers(settings)
    floor = cfg.parallel_min_articles if min_jobs is None else min_jobs
    if workers < 2 or len(jobs) < max(2, floor) or "fork" not in mp.get_all_start_methods():
        yield from map(fn, jobs)
        return
    _FORKED = (fn, jobs)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"),
                                 initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            yield from pool.map(_run_forked, range(len(jobs)), chunksize=max(1, len(jobs) // (workers * 8)))
    finally:
        _FORKED = None


def prepare_many(articles: Sequence[Article], settings: Settings) -> Iterator[pipeline.Prepared | InputError]:
    """`pipeline.prepare` over a batch (in worker processes when it is large), errors returned in place.
    Before the batch is split over workers the NER word cache is filled here (`entities.warm`, its
    words scored in worker processes too), once, for all of them."""
    if len(articles) >= settings.engine.parallel_min_articles and _workers(settings) > 1:
        warm([a.text for a in articles], lambda fn, jobs: _pmap(fn, jobs, settings, min_jobs=1))
    step = _PREPARE_CHUNK
    jobs = [(list(articles[i : i + step]), settings) for i in range(0, len(articles), step)]
    return (p for chunk in _pmap(_prepare_chunk, jobs, _by_articles(settings, len(articles)), min_jobs=1)
            for p in chunk)


def build_many(
    jobs: Sequence[BuildJob],
    settings: Settings,
) -> list[Story]:
    """`pipeline.build_story` for each (story id, members, sentences, mentions), in worker processes
    when they hold many articles (a few big stories are as much work as many small ones)."""
    members = sum(len(job[1]) for job in jobs)
    return list(
        _pmap(_build_one, [(*job, settings) for job in jobs], _by_articles(settings, members), min_jobs=2)
    )


# Articles per featurize job: the sentence encoder is much faster on a list than one text at a time.
_FEATURE_CHUNK = 64


def _featurize_chunk(args: tuple[list[Article], dict[str, Counter[str]], Settings]) -> list[Features]:
    articles, terms, settings = args
    return featurize(articles, settings, terms)


def featurize_many(
    articles: Sequence[Article], terms: Mapping[str, Counter[str]], settings: Settings
) -> list[Features]:
    """`similarity.featurize` over a batch, in chunks, in worker processes when it is large."""
    jobs = [
        (list(articles[i : i + _FEATURE_CHUNK]), {a.id: terms[a.id] for a in articles[i : i + _FEATURE_CHUNK]
                                                  if a.id in terms}, settings)
        for i in range(0, len(articles), _FEATURE_CHUNK)
    ]
    cfg = _by_articles(settings, len(articles))
    if len(articles) >= settings.engine.parallel_min_articles and _workers(settings) > 1:
        load_models()  # once here, inherited by every worker
    return [f for chunk in _pmap(_featurize_chunk, jobs, cfg, min_jobs=1) for f in chunk]


@dataclass
class IngestReport:
    """What one ingest batch did."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Ids of articles already in the store (or twice in the batch) with the same text: stored once.
    A different article under an id already taken is an error, never a silent skip."""
    errors: list[InputError] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    """Stories created or changed by this batch."""
    deferred: list[str] = field(default_factory=list)
    """Big stories that gained members in this batch; rebuilt by `refresh` (see `ingest`)."""
    refreshed: list[str] = field(default_factory=list)
    """Stories `refresh` rebuilt after the batch was stored."""

    def add(self, other: IngestReport) -> None:
        """Take in the report of a later batch (`ingest_batches`)."""
        self.added += other.added
        self.skipped += other.skipped
        self.errors += other.errors
        self.stories = sorted({*self.stories, *other.stories})
        self.deferred = sorted({*self.deferred, *other.deferred} - set(other.refreshed))
        self.refreshed = sorted({*self.refreshed, *other.refreshed})


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Callable[[Article | InputError], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    refresh_stories: bool = True,
) -> IngestReport:
    """Read, prepare, group and store the articles under `paths`; one transaction for the batch.

    `progress` sees every item as it is read; `on_stage` hears when a later stage starts. A big story
    that gains articles (`engine.defer_rebuild_min`) gets them in that transaction but is rebuilt after
    it, by `refresh`, unless `refresh_stories` is False (then the caller runs `refresh` when it likes;
    until then the story lists its new members with the copies, entities and summary it had).
    """
    report = IngestReport()

    def stage(what: str) -> None:
        if on_stage is not None:
            on_stage(what)

    fresh = _read_batch(store, paths, settings, report, progress)
    prepared: dict[str, pipeline.Prepared] = {}
    stage(f"cleaning {len(fresh)} articles")
    for result in prepare_many(list(fresh.values()), settings):
        if isinstance(result, InputError):
            report.errors.append(result)
        else:
            prepared[result.article.id] = result
    if not prepared:
        return report
    stage(f"comparing features of {len(prepared)} articles")
    features = featurize_many(
        [p.article for p in prepared.values()], {k: p.terms for k, p in prepared.items()}, settings
    )
    _store_batch(store, prepared, features, settings, report, stage)
    if refresh_stories and report.added:
        report.refreshed = refresh(store, settings, on_stage)
    return report


def _read_batch(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    report: IngestReport,
    progress: Callable[[Article | InputError], None] | None,
) -> dict[str, Article]:
    """The batch's articles by id: read errors, ids stored already (or twice in the batch) with the same
    text (skipped) and ids taken by a different article (errors) go to `report`."""
    fresh: dict[str, Article] = {}
    for item in read_paths(paths, settings):
        if progress is not None:
            progress(item)
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        twin = fresh.get(item.id) or (store.get_article(item.id) if store.has_article(item.id) else None)
        if twin is None:
            fresh[item.id] = item
        else:
            _met_again(item, twin, report)
    if any(a.published is None for a in fresh.values()):
        max_days = int(settings.ingest.infer_date_max_days)
        fresh = {a.id: a for a in date_undated(list(fresh.values()), max_days, store.latest_day())}
    return fresh


def _met_again(item: Article, twin: Article, report: IngestReport) -> None:
    """An article whose id `twin` (stored, or earlier in the batch) has: the same article is skipped, a
    different one is an error, never a silent skip."""
    if twin.raw == item.raw and twin.source == item.source:
        report.skipped.append(item.id)
    else:
        report.errors.append(InputError(
            item.path,
            f"article id {item.id!r} already belongs to a different article ({twin.path}); "
            "rename the file or give the record its own id",
        ))


def _store_batch(
    store: Store,
    prepared: dict[str, pipeline.Prepared],
    features: Sequence[Features],
    settings: Settings,
    report: IngestReport,
    stage: Callable[[str], None],
) -> None:
    """Group the prepared articles into the stored stories and write them, in one transaction."""
    with store.writer():
        # another process (or the batch before, in `ingest_batches`) may have stored some of these since
        # they were read: the same article is skipped, a different one under its id is an error
        for aid in [k for k in prepared if store.has_article(k)]:
            _met_again(prepared.pop(aid).article, store.get_article(aid), report)
        if not prepared:
            return
        new_articles = [p.article for p in prepared.values()]
        new_sentences = {k: p.sentences for k, p in prepared.items()}
        new_mentions = {k: p.mentions for k, p in prepared.items()}
        new_facts = {k: p.facts for k, p in prepared.items() if p.facts is not None}
        new_features = {f.article_id: f for f in features if f.article_id in prepared}
        stage(f"grouping {len(new_articles)} articles into stories")
        stories, dropped, extend = _place(
            store, new_articles, new_sentences, new_mentions, new_facts, new_features, settings
        )
        stage(f"storing {len(new_articles)} articles and {len(stories)} stories")
        added = store.write_batch(
            new_articles, new_sentences, stories, drop_stories=dropped, features=list(new_features.values()),
            mentions=new_mentions, extend=extend, facts=new_facts,
            search_rows={k: p.search_row for k, p in prepared.items() if p.search_row is not None},
        )
    report.added = added
    report.stories = sorted([s.id for s in stories] + list(extend))
    report.deferred = sorted(extend)


# Articles per job of `ingest_batches`: each job is prepared and featurized in one worker.
_PIPELINE_CHUNK = 32
# Batches `ingest_batches` queues for the workers beyond the one being stored. 2 was no faster (days
# 07-27 to 08-03 after the six before: 120.4 s against 119.6 s): the cores are busy already.
_AHEAD = 1


def _prepare_features(args: tuple[list[Article], Settings]) -> list[tuple[pipeline.Prepared | InputError,
                                                                         Features | None]]:
    """`_prepare_chunk` and `similarity.featurize` of a few articles, in one worker process."""
    articles, settings = args
    prepared = _prepare_chunk((articles, settings))
    ok = [p for p in prepared if not isinstance(p, InputError)]
    feats = iter(featurize([p.article for p in ok], settings, {p.article.id: p.terms for p in ok}))
    return [(p, None if isinstance(p, InputError) else next(feats)) for p in prepared]


def ingest_batches(
    store: Store,
    batches: Iterable[Sequence[str | Path]],
    settings: Settings,
    progress: Callable[[Article | InputError], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
    refresh_stories: bool = True,
) -> Iterator[IngestReport]:
    """`ingest` of each batch of paths in turn, one transaction each, yielding each batch's report as it
    is stored. While one batch is grouped and stored (serial work, in this process), the next is read,
    cleaned and featurized in the worker processes, so a backlog keeps every core busy. A crash keeps
    every batch whose report was yielded; the next run skips those articles and goes on.

    With one worker (or a platform without fork) the batches simply run one after the other."""
    queue = iter(batches)
    first = list(itertools.islice(queue, 2))
    if len(first) < 2 or _workers(settings) < 2 or "fork" not in mp.get_all_start_methods():
        for paths in itertools.chain(first, queue):
            yield ingest(store, paths, settings, progress, on_stage, refresh_stories)
        return
    queue = itertools.chain(first, queue)

    def stage(what: str) -> None:
        if on_stage is not None:
            on_stage(what)

    pool: ProcessPoolExecutor | None = None

    def submit(paths: Sequence[str | Path]) -> tuple[IngestReport, list]:
        nonlocal pool
        report = IngestReport()
        fresh = list(_read_batch(store, paths, settings, report, progress).values())
        if pool is None:
            # the models are loaded here once and inherited by the workers, which keep their own word
            # caches (warming the first batch's words here first, as `prepare_many` does, was slower)
            load_models()
            tagger()
            pool = ProcessPoolExecutor(max_workers=_workers(settings), mp_context=mp.get_context("fork"),
                                       initializer=_worker_init, initargs=(os.getpid(),))
        step = _PIPELINE_CHUNK
        return report, [pool.submit(_prepare_features, (fresh[i : i + step], settings))
                        for i in range(0, len(fresh), step)]

    try:
        ahead: deque[tuple[IngestReport, list]] = deque()
        while True:
            # the next batches are queued behind this one's jobs, and run while this one is stored
            while len(ahead) <= _AHEAD and (paths := next(queue, None)) is not None:
                ahead.append(submit(paths))
            if not ahead:
                break
            report, jobs = ahead.popleft()
            stage("cleaning and comparing articles")
            prepared: dict[str, pipeline.Prepared] = {}
            features: list[Features] = []
            for job in jobs:
                for p, f in job.result():
                    if isinstance(p, InputError):
                        report.errors.append(p)
                    else:
                        prepared[p.article.id] = p
                        features.append(f)
            if prepared:
                _store_batch(store, prepared, features, settings, report, stage)
            if refresh_stories and report.added:
                report.refreshed = refresh(store, settings, on_stage)
            yield report
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _stored_job(store: Store, sid: str, members: Sequence[str]) -> BuildJob:
    """What `build_story` needs to build story `sid` from stored articles."""
    return (sid, arrival_order(store.get_articles(members)), {a: store.sentences(a) for a in members},
            store.mentions(members), store.facts(members))


def refresh(
    store: Store,
    settings: Settings,
    on_stage: Callable[[str], None] | None = None,
    everything: bool = False,
) -> list[str]:
    """Rebuild the stale stories (those that gained members without a rebuild, see `ingest`) that are
    due (`engine.rebuild_small`, `engine.rebuild_growth`), or `everything` stale, from all their
    members, in one transaction; return their ids. A crash before it ends leaves them stale, and the
    next `refresh` (every ingest runs one) finishes the job."""
    cfg = settings.engine
    with store.writer():
        due = (None, 0) if everything else (cfg.rebuild_growth, cfg.rebuild_small)
        ids = store.stale_stories(*due)
        return _rebuild(store, settings, ids, on_stage)


def freshen(store: Store, settings: Settings, story_ids: Iterable[str] | None = None) -> list[str]:
    """Rebuild those of `story_ids` (every story when None) that are stale, due or not, so that what is
    read next is built from all their members; return their ids. What `show`, `export`, `entities` and
    the web's story pages call before they read."""
    wanted = None if story_ids is None else set(story_ids)
    # a plain read first: a reader of a story that is not stale (nearly every page view) neither waits for
    # an ingest's writer lock nor needs to write the lock file
    if not any(wanted is None or sid in wanted for sid in store.stale_stories()):
        return []
    if wanted is None:
        return refresh(store, settings, everything=True)
    with store.writer():
        return _rebuild(store, settings, [sid for sid in store.stale_stories() if sid in wanted])


def _rebuild(
    store: Store, settings: Settings, ids: Sequence[str], on_stage: Callable[[str], None] | None = None
) -> list[str]:
    if not ids:
        return []
    if on_stage is not None:
        on_stage(f"rebuilding {len(ids)} stories that grew")
    jobs = [_stored_job(store, sid, store.story_members(sid)) for sid in ids]
    store.write_batch([], {}, adopt_stored_ids(store, build_many(jobs, settings)))
    return list(ids)


def _place(
    store: Store,
    new_articles: list[Article],
    new_sentences: dict[str, tuple[Sentence, ...]],
    new_mentions: dict[str, tuple[Mention, ...]],
    new_facts: dict[str, Facts],
    new_features: dict[str, Features],
    settings: Settings,
) -> tuple[list[Story], list[str], dict[str, list[str]]]:
    """Cluster the new articles into the stored stories; rebuild the stories they touch, but for big
    stored stories that gained articles or absorbed other stored stories: those are returned as story
    id -> new members (the absorbed stories' members first), to be extended and rebuilt later
    (`refresh`).

    Only candidates are loaded: for each new article, the stored articles of its time window that share
    its heaviest terms (the store's term index), with their stories' sizes and date spans.
    """
    window = timedelta(days=settings.cluster.window_days)
    latest = store.latest_day()
    clusterer = Clusterer(settings)
    ordered = arrival_order(new_articles)
    found: set[str] = set()
    stored_size: dict[str, int] = {}
    for a in ordered:
        day = day_of(a.published) or latest
        since = day - window if day else None
        found.update(store.candidates(index_terms(new_features[a.id], QUERY_TERMS), since, MAX_CANDIDATES))
    found -= set(new_features)
    if found:
        feats = store.features(found)
        missing = sorted(found - set(feats))
        if missing:  # stored before features were kept: computed again, not stored here
            feats.update({f.article_id: f for f in featurize_many(store.get_articles(missing), {}, settings)})
        owner = store.stories_of(found)
        spans = store.story_spans(set(owner.values()))
        stored_size.update({sid: size for sid, (size, _, _) in spans.items()})
        by_story: dict[str, list[Features]] = {}
        for aid in sorted(found):
            if aid in owner:
                by_story.setdefault(owner[aid], []).append(feats[aid])
        for sid in sorted(by_story):
            size, first, last = spans.get(sid, (0, None, None))
            clusterer.seed(sid, by_story[sid], size=size, first=first, last=last)
    seeded = set(clusterer.stories)
    assigned = {a.id: clusterer.add(new_features[a.id]) for a in ordered}
    clusterer.consolidate(set(assigned.values()))
    final = {aid: clusterer.merged.get(sid, sid) for aid, sid in assigned.items()}
    dropped = sorted(s for s in clusterer.merged if s in seeded)
    touched = sorted(set(final.values()))

    # whole memberships: stored members of each touched story and of the stories merged into it
    absorbed: dict[str, list[str]] = {}
    for gone, keep in clusterer.merged.items():
        absorbed.setdefault(keep, []).append(gone)
    new_by_id = {a.id: a for a in new_articles}
    joined: dict[str, list[str]] = {}
    for aid, sid in final.items():
        joined.setdefault(sid, []).append(aid)
    jobs = []
    extend: dict[str, list[str]] = {}
    cfg = settings.engine
    # a large batch rebuilds the stories it touches that are due in its worker processes anyway;
    # deferring those pays where a few articles would otherwise wait for a big story's rebuild
    small_batch = len(new_articles) < cfg.parallel_min_articles
    built = store.built_sizes(s for s in touched if s in seeded)
    for sid in touched:
        parts = sorted(absorbed.get(sid, []))
        big = stored_size.get(sid, 0) >= cfg.defer_rebuild_min
        size = stored_size.get(sid, 0) + sum(stored_size.get(p, 0) for p in parts) + len(joined[sid])
        at = built.get(sid)
        due = at is None or at < cfg.rebuild_small or size >= at * (1 + cfg.rebuild_growth)
        if sid in seeded and (not due or (small_batch and big)):
            # a merge is deferred too: the kept story takes the stored members of the stories it
            # absorbed (dropped in the same transaction) and the new ones, and is rebuilt by `refresh`
            moved = [m for part in parts if part in seeded for m in store.story_members(part)]
            extend[sid] = moved + [a.id for a in arrival_order([new_by_id[aid] for aid in joined[sid]])]
            continue
        old_ids: list[str] = []
        for part in [sid, *parts]:
            if part in seeded:
                old_ids.extend(store.story_members(part))
        members = {a.id: a for a in store.get_articles(old_ids)}
        members.update({aid: new_by_id[aid] for aid in joined[sid]})
        sentences = {i: store.sentences(i) for i in old_ids}
        sentences.update({i: new_sentences[i] for i in members if i in new_sentences})
        mentions = store.mentions(old_ids)
        mentions.update({i: new_mentions[i] for i in members if i in new_mentions})
        facts = store.facts(old_ids)
        facts.update({i: new_facts[i] for i in members if i in new_facts})
        jobs.append((sid, arrival_order(list(members.values())), sentences, mentions, facts))
    stories = adopt_stored_ids(store, build_many(jobs, settings))
    return stories, dropped, extend


def adopt_stored_ids(store: Store, stories: Sequence[Story]) -> list[Story]:
    """Each story's entities under the ids the store already knows them by (`aliases.adopt_ids`)."""
    return [replace(s, entities=adopt_ids(s.entities, store.entity_ids_by_form)) for s in stories]


@dataclass
class ReclusterReport:
    """What `recluster` changed."""

    articles: int = 0
    before: int = 0
    """Stories before."""
    after: int = 0
    unchanged: int = 0
    rebuilt: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    split: dict[str, int] = field(default_factory=dict)
    """Old story id -> into how many stories its members went (only stories that split)."""
    merged: dict[str, int] = field(default_factory=dict)
    """New story id -> how many old stories it took members from (only stories that merged)."""
    features_computed: int = 0


def recluster(
    store: Store, settings: Settings, on_stage: Callable[[str], None] | None = None, dry_run: bool = False
) -> ReclusterReport:
    """Group every stored article again with `settings` (after a settings change), in one transaction.

    Articles are fed in publication order to a fresh `Clusterer`. A new story whose members are exactly
    an old story's keeps it untouched; otherwise it takes the id of the old story it holds most
    members of (if still free) and is rebuilt; old stories left without an id are dropped. Every split
    and merge is reported, never silent. Features missing from the store (articles stored before they
    were kept) are computed and stored.
    """
    def stage(what: str) -> None:
        if on_stage is not None:
            on_stage(what)

    rep = ReclusterReport()
    with store.writer():
        ids = store.ordered_ids()
        rep.articles = len(ids)
        feats = store.features(ids)
        missing = [i for i in ids if i not in feats]
        computed: list[Features] = []
        if missing:
            stage(f"computing features of {len(missing)} articles")
            for i in range(0, len(missing), 2000):
                arts = store.get_articles(missing[i : i + 2000])
                computed.extend(featurize_many(arts, {}, settings))
            feats.update({f.article_id: f for f in computed})
            rep.features_computed = len(computed)
        stage(f"grouping {len(ids)} articles")
        clusterer = Clusterer(settings)
        for aid in ids:
            clusterer.add(feats[aid])
        clusterer.consolidate()
        groups = list(clusterer.groups().values())
        old_of = store.stories_of(ids)
        old_members: dict[str, set[str]] = {}
        for aid, sid in old_of.items():
            old_members.setdefault(sid, set()).add(aid)
        rep.before = len(old_members)
        rep.after = len(groups)
        taken: set[str] = set()
        unchanged: set[str] = set()
        plan: list[tuple[str, list[str]]] = []
        # exact matches first, so they keep their ids whatever order the groups come in
        for members in groups:
            sids = {old_of.get(a) for a in members}
            if len(sids) == 1 and None not in sids:
                sid = sids.pop()
                if old_members[sid] == set(members):
                    unchanged.add(sid)
                    taken.add(sid)
        for members in sorted(groups, key=lambda m: (-len(m), m[0])):
            counts = Counter(old_of[a] for a in members if a in old_of)
            if len(counts) == 1 and next(iter(counts)) in unchanged:
                continue
            free = [s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if s not in taken]
            sid = free[0] if free else story_id_for(members[0])
            while sid in taken:  # a new story whose first article started an old one still in use
                sid = story_id_for(sid + members[0])
            taken.add(sid)
            plan.append((sid, members))
            if len(counts) > 1:
                rep.merged[sid] = len(counts)
        for sid, mem in old_members.items():
            parts = {clusterer.story_of[a] for a in mem}
            if len(parts) > 1:
                rep.split[sid] = len(parts)
        rep.unchanged = len(unchanged)
        rep.dropped = sorted(set(old_members) - taken)
        rep.rebuilt = [sid for sid, _ in plan]
        if dry_run:
            return rep
        stage(f"rebuilding {len(plan)} stories")
        jobs = [_stored_job(store, sid, members) for sid, members in plan]
        stories = adopt_stored_ids(store, build_many(jobs, settings)) if jobs else []
        stage(f"storing {len(stories)} stories")
        store.write_batch([], {}, stories, drop_stories=rep.dropped, features=computed)
    return rep
