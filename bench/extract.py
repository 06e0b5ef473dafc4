"""Cost of the fact extractors (time expressions, figures, quotes) beside the clustering stage, on one
SaudiNewsNet day, in one process: prints tokens/s and ms per article. Never asserts.

    .venv/bin/python bench/extract.py [DAY_ZIP] [--limit N] [--repeat 3]

The day's articles are cleaned, split and tagged first (untimed). Then, one after the other over the same
articles: `extract.time.find_times`, `extract.numbers.find_quantities`, `extract.quotes.find_quotes` (with
the articles' entity mentions, as `pipeline.extract_facts` runs it) and all three through
`pipeline.extract_facts`; and the clustering stage (`similarity.featurize`: term, char-gram and sentence
-encoder features and the names of title and lead; then `cluster.Clusterer` over the batch). Each is the
best of `--repeat` runs. The issue's requirement: the three extractors together cost less than
clustering.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from marsad import pipeline
from marsad.cluster import Clusterer, arrival_order
from marsad.errors import InputError
from marsad.extract.numbers import find_quantities
from marsad.extract.time import find_times
from marsad.ingest import read_path
from marsad.settings import load
from marsad.similarity import featurize

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "2015-08-06.zip"


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("day", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (0 = all)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    day = Path(args.day)
    if not day.exists():
        print(f"bench: error: {day}: no such file (SaudiNewsNet day zip expected)", file=sys.stderr)
        return 1
    settings = load()
    prepared = []
    for item in read_path(day, settings):
        if isinstance(item, InputError):
            continue
        try:
            prepared.append(pipeline.prepare(item, settings))
        except InputError:
            continue
        if args.limit and len(prepared) >= args.limit:
            break
    arts = [p.article for p in prepared]
    n = len(arts)
    tokens = sum(len(a.text.split()) for a in arts)
    print(f"{day.name}: {n} articles, {tokens:,} tokens ({tokens / max(n, 1):.0f} per article)")

    rows: list[tuple[str, float]] = [
        ("times (extract.time)", _best(lambda: [find_times(a) for a in arts], args.repeat)),
        ("quantities (extract.numbers)", _best(lambda: [find_quantities(a) for a in arts], args.repeat)),
    ]
    try:
        from marsad.extract.quotes import find_quotes
    except ImportError:
        print("quotes: no extractor yet")
    else:
        rows.append(("quotes (extract.quotes)",
                     _best(lambda: [find_quotes(p.article, p.mentions) for p in prepared], args.repeat)))
    def facts() -> None:
        for p in prepared:
            pipeline.extract_facts(p.article, p.mentions)

    rows.append(("all three (pipeline.extract_facts)", _best(facts, args.repeat)))

    def clustering() -> None:
        feats = featurize(arts, settings, {p.article.id: p.terms for p in prepared})
        by_id = {f.article_id: f for f in feats}
        c = Clusterer(settings)
        for a in arrival_order(arts):
            c.add(by_id[a.id])
        c.consolidate()

    t_cluster = _best(clustering, args.repeat)
    rows.append(("clustering (featurize + Clusterer)", t_cluster))
    for name, secs in rows:
        print(f"  {name:38s} {tokens / secs:>11,.0f} tokens/s  {1000 * secs / n:7.2f} ms/article")
    extract = next(secs for name, secs in rows if name.startswith("all three"))
    print(f"extraction costs {extract / t_cluster:.2f}x the clustering stage")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
