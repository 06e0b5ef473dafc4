"""Story grouping at scale: every SaudiNewsNet day ingested end to end into one store, as a stream.

    .venv/bin/python bench/cluster.py [DATA_DIR] [--db FILE] [--singles 20] [--workers 0]

Ingests the day zips of DATA_DIR (default ../shared/data/saudinewsnet, 17 days, ~29k articles) one day
per batch, in date order, into a fresh database, as `marsad ingest` of the folder does
(`engine.ingest_batches`: a day is cleaned and featurized in the worker processes while the day before is
grouped and stored), and prints for each batch its size, its articles/s (the time since the batch
before was stored) and the store's size. When the store first reaches 3k and 10k articles a copy of it is
taken; after the stream, in each copy and in the full store, `--singles` articles held back from the last
day are ingested one at a time (each its own `engine.ingest` call, the way a live feed adds them) and the
latency of each is reported (p50, p95, max), so the cost of adding an article can be seen not to grow
with the store: the ingest (stored, grouped, searchable) apart from the refresh of a big story it
joined, which follows it (`engine.refresh`; a `marsad ingest` runs both). Ends with overall articles/s,
the CPU time per article (steadier than wall time on a shared machine), peak RSS (this process and,
separately, its worker processes), and the time to rebuild every story left stale (grown by less than
`engine.rebuild_growth` since it was built; a reader's `engine.freshen` would build it).
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from marsad import engine
from marsad.settings import load
from marsad.store import Store

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet"
CHECKPOINTS = (3_000, 10_000)


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _single_files(last_day: Path, n: int, out: Path) -> tuple[Path, list[Path]]:
    """Split the last day: its first records as one batch file, its last `n` as one file each."""
    with zipfile.ZipFile(last_day) as z:
        records = json.loads(z.read(z.namelist()[0]))
    body, held = records[:-n] if n else records, records[-n:] if n else []
    batch = out / f"{last_day.stem}-batch.json"
    batch.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    singles = []
    for i, rec in enumerate(held):
        p = out / f"{last_day.stem}-single-{i:03d}.json"
        p.write_text(json.dumps([rec], ensure_ascii=False), encoding="utf-8")
        singles.append(p)
    return batch, singles


def _stats(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max {times[-1]:.0f} ms"


def _latency(store: Store, files: list[Path], settings, label: str) -> None:
    """Add each file alone: the ingest (stored, grouped, searchable; small stories rebuilt) is timed
    apart from the refresh of a big story it joined (`engine.refresh`), which follows it."""
    added, refreshed, total = [], [], []
    for p in files:
        t0 = time.perf_counter()
        rep = engine.ingest(store, [p], settings, refresh_stories=False)
        t1 = time.perf_counter()
        if rep.deferred:
            engine.refresh(store, settings)
            refreshed.append((time.perf_counter() - t1) * 1000)
        added.append((t1 - t0) * 1000)
        total.append((time.perf_counter() - t0) * 1000)
    if not added:
        return
    print(f"  add one article at {label}: {_stats(added)} (n={len(added)}); with the refresh that follows: "
          f"{_stats(total)}", flush=True)
    if refreshed:
        print(f"    {len(refreshed)} joined a big story; its refresh took {_stats(refreshed)}", flush=True)


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process and of its worker processes that have ended."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT))
    ap.add_argument("--db", default=None, help="database file (default: a fresh temporary one)")
    ap.add_argument("--singles", type=int, default=20, help="articles added one at a time per checkpoint")
    ap.add_argument("--workers", type=int, default=0, help="worker processes (0 = one per core)")
    ap.add_argument("--days", type=int, default=0, help="only the first N days (0 = all)")
    ap.add_argument("--settings", default=None, help="TOML file overriding some of the shipped settings")
    args = ap.parse_args()
    days = sorted(Path(args.data).glob("*.zip"))
    if args.days:
        days = days[: args.days]
    if not days:
        print(f"bench: error: {args.data}: no SaudiNewsNet day zips here", file=sys.stderr)
        return 1
    settings = load(args.settings).with_overrides({"engine": {"workers": args.workers}})
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    db = Path(args.db) if args.db else tmp / "bench.db"
    if db.exists():
        print(f"bench: error: {db}: exists; give a new file", file=sys.stderr)
        return 1
    checkpoints_per_set = max(1, args.singles)
    last_batch, singles = _single_files(days[-1], checkpoints_per_set * (len(CHECKPOINTS) + 1), tmp)
    sets = [singles[i::len(CHECKPOINTS) + 1] for i in range(len(CHECKPOINTS) + 1)]
    inputs = [*days[:-1], last_batch]
    print(f"{len(days)} days -> {db}; {len(singles)} articles of {days[-1].stem} held back for latency")
    done = 0
    next_cp = 0
    t_all = time.perf_counter()
    t_batches = 0.0
    snapshots: list[tuple[Path, int]] = []
    cpu0 = _cpu_s()
    with Store(db) as store:
        t0 = time.perf_counter()
        reports = engine.ingest_batches(store, [[p] for p in inputs], settings)
        for path, rep in zip(inputs, reports, strict=True):
            dt = time.perf_counter() - t0
            t_batches += dt
            done += len(rep.added)
            n_stories = store.counts().get("stories", 0)
            rate = len(rep.added) / dt
            rss = _rss_mb(resource.RUSAGE_SELF)
            print(
                f"{path.stem:22s} {len(rep.added):5d} articles in {dt:6.1f} s = {rate:6.0f}/s; "
                f"store {done:6d} articles, {n_stories:6d} stories ({len(store.stale_stories())} stale); "
                f"RSS {rss:.0f} MB",
                flush=True,
            )
            t0 = time.perf_counter()  # a copy below counts in the next day's time
            while next_cp < len(CHECKPOINTS) and done >= CHECKPOINTS[next_cp]:
                # a copy of the store as it is now, for the latency probes after the stream (run here, they
                # would share the cores with the next day, which is being prepared meanwhile)
                snap = tmp / f"at-{done}.db"
                dst = sqlite3.connect(snap)
                store._conn.backup(dst)
                dst.close()
                snapshots.append((snap, done))
                next_cp += 1
        cpu = _cpu_s() - cpu0  # the worker processes are gone once the stream ends: their time is counted
        for k, (snap, at) in enumerate(snapshots):
            with Store(snap) as copy:
                _latency(copy, sets[k], settings, f"{at:,} stored")
        _latency(store, sets[-1], settings, f"{done:,} stored (end)")
        t0 = time.perf_counter()
        stale = engine.refresh(store, settings, everything=True)
        t_fresh = time.perf_counter() - t0
        counts = store.counts()
    total = time.perf_counter() - t_all
    print(
        f"end to end: {done} articles in batches in {t_batches:.0f} s = {done / t_batches:.0f} articles/s "
        f"(wall {total:.0f} s with the latency probes); {counts}"
    )
    # CPU time moves less than wall time when other tenants share the machine: compare runs by it
    print(f"CPU: {cpu:.0f} s in all processes, {1000 * cpu / max(done, 1):.1f} ms per article")
    # stories that grew by less than `engine.rebuild_growth` since they were built are rebuilt when read;
    # building all of them at the end is the work the stream still owed
    print(
        f"then every story left stale rebuilt: {len(stale)} stories in {t_fresh:.1f} s; counting that, "
        f"{done / (t_batches + t_fresh):.0f} articles/s"
    )
    print(
        f"peak RSS: this process {_rss_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"largest worker {_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )
    shutil.rmtree(tmp)  # the held-back files, and the database unless --db put it elsewhere
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
