"""Ingest throughput on one SaudiNewsNet day: prints articles/s per stage and peak RSS. Never asserts.

    .venv/bin/python bench/ingest.py [DAY_ZIP] [--db FILE]

Default day: ../shared/data/saudinewsnet/2015-08-06.zip (3,218 articles). The stages are timed one by
one over the same batch (read, prepare = clean + normalize + sentences, cluster + story building with
copies and summaries, store write), then the whole `marsad ingest` path end to end on a fresh database.
Prepare and story building use the engine's worker processes (settings `[engine]`), as `marsad ingest`
does; `--workers 1` measures a single process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from marsad import engine
from marsad.cluster import cluster, story_id_for
from marsad.errors import InputError
from marsad.ingest import read_path
from marsad.settings import load
from marsad.store import Store
from marsad.text.normalize import normalize

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "2015-08-06.zip"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("day", nargs="?", default=str(DEFAULT))
    ap.add_argument("--workers", type=int, default=0, help="worker processes (0 = one per core)")
    args = ap.parse_args()
    day = Path(args.day)
    if not day.exists():
        print(f"bench: error: {day}: no such file (SaudiNewsNet day zip expected)", file=sys.stderr)
        return 1
    settings = load().with_overrides({"engine": {"workers": args.workers}})

    t0 = time.perf_counter()
    items = list(read_path(day, settings))
    t_read = time.perf_counter() - t0
    articles = [a for a in items if not isinstance(a, InputError)]
    n = len(articles)

    t0 = time.perf_counter()
    prepared = [p for p in engine.prepare_many(articles, settings) if not isinstance(p, InputError)]
    t_prep = time.perf_counter() - t0
    arts = [p.article for p in prepared]
    sents = {p.article.id: p.sentences for p in prepared}

    t0 = time.perf_counter()
    for p in prepared:
        normalize(p.article.text)
    t_norm = time.perf_counter() - t0  # shown for reference: already inside prepare and store

    t0 = time.perf_counter()
    groups = cluster(arts, settings)
    t_cluster = time.perf_counter() - t0
    by_id = {a.id: a for a in arts}
    t0 = time.perf_counter()
    stories = engine.build_many(
        [(story_id_for(g[0]), [by_id[i] for i in g], {i: sents[i] for i in g}) for g in groups], settings
    )
    t_story = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with Store(Path(tmp) / "bench.db") as store:
            store.write_batch(arts, sents, stories)
        t_store = time.perf_counter() - t0

        t0 = time.perf_counter()
        with Store(Path(tmp) / "e2e.db") as store:
            rep = engine.ingest(store, [day], settings)
        t_e2e = time.perf_counter() - t0

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    multi = sum(1 for g in groups if len(g) > 1)
    print(f"workers: {args.workers or os.cpu_count()}")
    print(f"day: {day.name}  articles read: {n}  rejected: {len(items) - n}  prepared: {len(prepared)}")
    print(f"read (json + ids + dates)    {t_read:7.2f} s  {n / t_read:8.0f} articles/s")
    print(f"prepare (clean + sentences)  {t_prep:7.2f} s  {n / t_prep:8.0f} articles/s")
    print(f"  of which normalize alone   {t_norm:7.2f} s  {n / t_norm:8.0f} articles/s")
    print(
        f"cluster                      {t_cluster:7.2f} s  {n / t_cluster:8.0f} articles/s  "
        f"({len(groups)} stories, {multi} with 2+ articles)"
    )
    print(f"stories (copies + summary)   {t_story:7.2f} s  {n / t_story:8.0f} articles/s")
    print(f"store (one transaction)      {t_store:7.2f} s  {n / t_store:8.0f} articles/s")
    staged = t_read + t_prep + t_story + t_store
    print(f"ingest→clean→normalize→copies→store (stages, no clustering): {n / staged:.0f} articles/s")
    print(f"end to end `marsad ingest` on a fresh db: {t_e2e:.2f} s  {len(rep.added) / t_e2e:.0f} articles/s")
    print(f"peak RSS: {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
