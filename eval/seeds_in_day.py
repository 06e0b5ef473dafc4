"""Sanity check of story grouping on a real day: prints numbers, asserts nothing.

    .venv/bin/python eval/seeds_in_day.py [DAY_ZIP] [--threshold T ...]

Mixes the bundled seed articles into one SaudiNewsNet day (default 2015-08-06) and groups them from
scratch: prints how many stories there are, the sizes of the largest, and whether the five seeds form
exactly one story that no other article joins. Not a quality measure (there are no labels yet: issue 4
builds them); it is how `cluster.threshold` was first chosen.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from marsad import pipeline
from marsad.cluster import cluster
from marsad.errors import InputError
from marsad.ingest import read_path, read_paths
from marsad.settings import load

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "2015-08-06.zip"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("day", nargs="?", default=str(DEFAULT))
    ap.add_argument("--threshold", type=float, nargs="*", default=None, help="cluster.threshold values")
    args = ap.parse_args()
    day = Path(args.day)
    if not day.exists():
        print(f"eval: error: {day}: no such file (SaudiNewsNet day zip expected)", file=sys.stderr)
        return 1
    settings = load()
    sample = Path(str(resources.files("marsad").joinpath("resources/sample")))
    seeds = [a for a in read_paths(sorted(sample.glob("*.txt")), settings) if not isinstance(a, InputError)]
    raw = [a for a in read_path(day, settings) if not isinstance(a, InputError)] + seeds
    arts = []
    for a in raw:
        try:
            arts.append(pipeline.prepare(a, settings).article)
        except InputError:
            continue
    seed_ids = {a.id for a in seeds}
    for t in args.threshold or [settings.cluster.threshold]:
        s = settings.with_overrides({"cluster": {"threshold": t}})
        groups = sorted(cluster(arts, s), key=len, reverse=True)
        with_seeds = [g for g in groups if seed_ids & set(g)]
        ok = len(with_seeds) == 1 and set(with_seeds[0]) == seed_ids
        print(
            f"threshold {t:.2f}: {len(arts)} articles, {len(groups)} stories, "
            f"{sum(len(g) > 1 for g in groups)} with 2+ articles, largest {[len(g) for g in groups[:8]]}; "
            f"seeds: {[(len(g), len(seed_ids & set(g))) for g in with_seeds]} "
            f"({'one story, nothing else joined' if ok else 'NOT one clean story'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
