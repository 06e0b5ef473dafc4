"""Incremental ingest into a store: the library call behind `marsad ingest` and the web upload form.

New articles are prepared (`pipeline.prepare`), placed into the stories already in the store
(`cluster.Clusterer` seeded with the stored stories of the same time window), every story that gained
an article is rebuilt (`pipeline.build_story`), and the whole batch (new articles, their sentences,
the rebuilt stories, stories merged away) is written in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from marsad import pipeline
from marsad.cluster import Clusterer, arrival_order, day_of
from marsad.errors import InputError
from marsad.ingest import read_paths
from marsad.model import Article, Sentence, Story
from marsad.settings import Settings
from marsad.store import Store


@dataclass
class IngestReport:
    """What one ingest batch did."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Ids already in the store (or twice in the batch): stored once, not again."""
    errors: list[InputError] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    """Stories created or changed by this batch."""


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Callable[[Article | InputError], None] | None = None,
) -> IngestReport:
    """Read, prepare, group and store the articles under `paths`; one transaction for the batch."""
    report = IngestReport()
    prepared: dict[str, pipeline.Prepared] = {}
    for item in read_paths(paths, settings):
        if progress is not None:
            progress(item)
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        if item.id in prepared or store.has_article(item.id):
            report.skipped.append(item.id)
            continue
        try:
            prepared[item.id] = pipeline.prepare(item, settings)
        except InputError as err:
            report.errors.append(err)
    if not prepared:
        return report

    new_articles = [p.article for p in prepared.values()]
    stories, dropped = _place(store, new_articles, {k: p.sentences for k, p in prepared.items()}, settings)
    added = store.write_batch(
        new_articles, {k: p.sentences for k, p in prepared.items()}, stories, drop_stories=dropped
    )
    report.added = added
    report.stories = [s.id for s in stories]
    return report


def _place(
    store: Store,
    new_articles: list[Article],
    new_sentences: dict[str, tuple[Sentence, ...]],
    settings: Settings,
) -> tuple[list[Story], list[str]]:
    """Cluster the new articles into the stored stories; rebuild the stories they touch."""
    days = [d for d in (day_of(a.published) for a in new_articles) if d is not None]
    since = min(days) - timedelta(days=settings.cluster.window_days) if days else None
    existing: dict[str, list[Article]] = defaultdict(list)
    for a in store.iter_articles(since=since):
        sid = store.story_of(a.id)
        if sid is not None:
            existing[sid].append(a)
    clusterer = Clusterer(settings)
    for sid, members in existing.items():
        clusterer.seed(sid, members)
    ordered = arrival_order(new_articles)
    clusterer.prime(ordered)
    touched = {clusterer.add(a) for a in ordered}
    touched = {clusterer.merged.get(s, s) for s in touched}
    dropped = [s for s in clusterer.merged if s in existing]

    groups = clusterer.groups()
    stories = []
    for sid in sorted(touched):
        ids = groups[sid]
        old_ids = [i for i in ids if i not in new_sentences]
        members = {a.id: a for a in store.get_articles(old_ids)}
        members.update({a.id: a for a in new_articles if a.id in set(ids)})
        sentences = {i: store.sentences(i) for i in old_ids}
        sentences.update({i: new_sentences[i] for i in ids if i in new_sentences})
        ordered = arrival_order(list(members.values()))
        stories.append(pipeline.build_story(sid, ordered, sentences, settings))
    return stories, dropped
