"""Incremental ingest into a store: the library call behind `marsad ingest` and the web upload form.

New articles are prepared (`pipeline.prepare`), placed into the stories already in the store
(`cluster.Clusterer` seeded with the stored stories of the same time window), every story that gained
an article is rebuilt (`pipeline.build_story`), and the whole batch (new articles, their sentences,
the rebuilt stories, stories merged away) is written in one transaction.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from marsad import pipeline
from marsad.cluster import Clusterer, arrival_order, day_of
from marsad.errors import InputError
from marsad.ingest import read_paths
from marsad.model import Article, Sentence, Story
from marsad.settings import Settings
from marsad.store import Store

T = TypeVar("T")
R = TypeVar("R")


def _prepare_one(args: tuple[Article, Settings]) -> pipeline.Prepared | InputError:
    article, settings = args
    try:
        return pipeline.prepare(article, settings)
    except InputError as err:
        return err


def _build_one(args: tuple[str, list[Article], dict[str, tuple[Sentence, ...]], Settings]) -> Story:
    sid, members, sentences, settings = args
    return pipeline.build_story(sid, members, sentences, settings)


# The batch a forked worker reads its jobs from. Set only while a pool is running, so workers inherit
# the jobs through fork() instead of having every article pickled to them.
_FORKED: tuple[Callable, Sequence] | None = None


def _run_forked(i: int):
    assert _FORKED is not None
    fn, jobs = _FORKED
    return fn(jobs[i])


def _pmap(fn: Callable[[T], R], jobs: Sequence[T], settings: Settings) -> Iterator[R]:
    """`map(fn, jobs)` in order, spread over forked worker processes when the batch is large."""
    global _FORKED
    cfg = settings.engine
    workers = cfg.workers or os.cpu_count() or 1
    if workers < 2 or len(jobs) < cfg.parallel_min_articles or "fork" not in mp.get_all_start_methods():
        yield from map(fn, jobs)
        return
    _FORKED = (fn, jobs)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            yield from pool.map(_run_forked, range(len(jobs)), chunksize=max(1, len(jobs) // (workers * 8)))
    finally:
        _FORKED = None


def prepare_many(articles: Sequence[Article], settings: Settings) -> Iterator[pipeline.Prepared | InputError]:
    """`pipeline.prepare` over a batch (in worker processes when it is large), errors returned in place."""
    return _pmap(_prepare_one, [(a, settings) for a in articles], settings)


def build_many(
    jobs: Sequence[tuple[str, list[Article], dict[str, tuple[Sentence, ...]]]], settings: Settings
) -> list[Story]:
    """`pipeline.build_story` for each (story id, members, sentences), in worker processes when many."""
    return list(_pmap(_build_one, [(*job, settings) for job in jobs], settings))


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


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Callable[[Article | InputError], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read, prepare, group and store the articles under `paths`; one transaction for the batch.

    `progress` sees every item as it is read; `on_stage` hears when a later stage starts.
    """
    report = IngestReport()

    def stage(what: str) -> None:
        if on_stage is not None:
            on_stage(what)

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
        elif twin.raw == item.raw and twin.source == item.source:
            report.skipped.append(item.id)
        else:
            report.errors.append(
                InputError(
                    item.path,
                    f"article id {item.id!r} already belongs to a different article ({twin.path}); "
                    "rename the file or give the record its own id",
                )
            )
    prepared: dict[str, pipeline.Prepared] = {}
    stage(f"cleaning {len(fresh)} articles")
    for result in prepare_many(list(fresh.values()), settings):
        if isinstance(result, InputError):
            report.errors.append(result)
        else:
            prepared[result.article.id] = result
    if not prepared:
        return report

    with store.writer():
        # another process may have stored some of these while we prepared them
        for aid in [k for k in prepared if store.has_article(k)]:
            del prepared[aid]
            report.skipped.append(aid)
        if not prepared:
            return report
        new_articles = [p.article for p in prepared.values()]
        new_sentences = {k: p.sentences for k, p in prepared.items()}
        stage(f"grouping {len(new_articles)} articles into stories")
        stories, dropped = _place(
            store,
            new_articles,
            new_sentences,
            settings,
            {k: p.terms for k, p in prepared.items()},
        )
        stage(f"storing {len(new_articles)} articles and {len(stories)} stories")
        added = store.write_batch(
            new_articles, new_sentences, stories, drop_stories=dropped
        )
    report.added = added
    report.stories = [s.id for s in stories]
    return report


def _place(
    store: Store,
    new_articles: list[Article],
    new_sentences: dict[str, tuple[Sentence, ...]],
    settings: Settings,
    new_terms: dict[str, Counter[str]] | None = None,
) -> tuple[list[Story], list[str]]:
    """Cluster the new articles into the stored stories; rebuild the stories they touch."""
    # the stories a batch can join: those active within the window before its oldest article (for an
    # undated batch, before the newest stored day: undated news is taken to be recent, not timeless)
    days = [d for d in (day_of(a.published) for a in new_articles) if d is not None]
    start = min(days) if days else store.latest_day()
    since = start - timedelta(days=settings.cluster.window_days) if start else None
    # every story with a member in the time window, with ALL its members (a story rebuilt from a
    # partial membership would lose its older articles)
    in_window: dict[str, Article] = {a.id: a for a in store.iter_articles(since=since)}
    story_ids = sorted({sid for aid in in_window if (sid := store.story_of(aid)) is not None})
    existing: dict[str, list[Article]] = {}
    for sid in story_ids:
        ids = store.story_members(sid)
        missing = [i for i in ids if i not in in_window]
        loaded = {a.id: a for a in store.get_articles(missing)} if missing else {}
        existing[sid] = [in_window.get(i) or loaded[i] for i in ids]
    clusterer = Clusterer(settings)
    clusterer.give_terms(new_terms or {})
    for sid, members in existing.items():
        clusterer.seed(sid, members)
    ordered = arrival_order(new_articles)
    clusterer.prime(ordered)
    touched = {clusterer.add(a) for a in ordered}
    touched = {clusterer.merged.get(s, s) for s in touched}
    dropped = [s for s in clusterer.merged if s in existing]

    groups = clusterer.groups()
    new_by_id = {a.id: a for a in new_articles}
    jobs = []
    for sid in sorted(touched):
        ids = groups[sid]
        old_ids = [i for i in ids if i not in new_sentences]
        members = {a.id: a for a in store.get_articles(old_ids)}
        members.update({i: new_by_id[i] for i in ids if i in new_by_id})
        sentences = {i: store.sentences(i) for i in old_ids}
        sentences.update({i: new_sentences[i] for i in ids if i in new_sentences})
        jobs.append((sid, arrival_order(list(members.values())), sentences))
    stories = build_many(jobs, settings)
    return stories, dropped
