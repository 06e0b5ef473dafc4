"""Candidate pairs for hand-labelling a SaudiNewsNet day into stories; prints and writes to a scratch dir.

    .venv/bin/python eval/label_candidates.py DAY --sources okaz alwatan --out /tmp/label-DAY
    .venv/bin/python eval/label_candidates.py DAY --show ID [ID ...]

Writes, outside the project (the text is research-only and must never be committed):
  articles.tsv  n, id, source, date_extracted, title, lead (first 300 characters of the cleaned text)
  pairs.tsv     a permissive candidate list: for every article its 10 nearest others by character 3-5-gram
                TF-IDF cosine (normalized text) and by stem TF-IDF cosine, kept when either is >= 0.10;
                columns: char cosine, stem cosine, n_a, n_b, id_a, id_b, titles
A labeller reviews every pair, then searches each confirmed story for members the list missed
(`grep` on articles.tsv, `--show` for full texts). Labels go to eval/data/DAY.tsv as `id<TAB>story`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from marsad import pipeline
from marsad.errors import InputError
from marsad.ingest import read_path
from marsad.model import Article
from marsad.settings import Settings, load
from marsad.text.normalize import normalize
from marsad.text.tokens import content_stems

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet"


def load_day(
    day: str, keep: Callable[[Article], bool] | None = None, settings: Settings | None = None
) -> list:
    """The day's cleaned articles that `keep` accepts (all by default), in file order."""
    path = DATA / f"{day}.zip"
    if not path.exists():
        raise SystemExit(f"eval: error: {path}: no such file (SaudiNewsNet day zip expected)")
    settings = settings or load()
    out = []
    for a in read_path(path, settings):
        if isinstance(a, InputError) or (keep is not None and not keep(a)):
            continue
        try:
            out.append(pipeline.prepare(a, settings).article)
        except InputError:
            continue
    return out


def _neighbours(matrix, k: int, floor: float) -> dict[tuple[int, int], float]:
    sims = (matrix @ matrix.T).toarray()
    np.fill_diagonal(sims, 0.0)
    found: dict[tuple[int, int], float] = {}
    for i in range(sims.shape[0]):
        for j in np.argsort(-sims[i])[:k]:
            if sims[i, j] >= floor:
                found[(min(i, int(j)), max(i, int(j)))] = float(sims[i, j])
    return found, sims


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("day", help="YYYY-MM-DD")
    ap.add_argument("--sources", nargs="*", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--show", nargs="*", default=None, help="print the full cleaned text of these ids")
    args = ap.parse_args()
    arts = load_day(args.day, (lambda a: a.source in args.sources) if args.sources else None)
    if args.show:
        by_id = {a.id: a for a in arts}
        for aid in args.show:
            a = by_id.get(aid)
            if a is None:
                print(f"{aid}: not in this day/sources", file=sys.stderr)
                continue
            print(f"=== {a.id} [{a.source}] {a.published}\n# {a.title}\n{a.text}\n")
        return 0
    out = Path(args.out or f"/tmp/label-{args.day}")
    out.mkdir(parents=True, exist_ok=True)
    docs = [normalize(a.title + "\n" + a.text) for a in arts]
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
    char = char.fit_transform(docs)
    stems = TfidfVectorizer(analyzer=lambda d: content_stems(d), sublinear_tf=True).fit_transform(docs)
    cpairs, csims = _neighbours(char, 10, 0.10)
    spairs, ssims = _neighbours(stems, 10, 0.10)
    pairs = sorted(set(cpairs) | set(spairs), key=lambda p: -max(csims[p], ssims[p]))
    with open(out / "articles.tsv", "w", encoding="utf-8") as f:
        f.write("n\tid\tsource\tdate\ttitle\tlead\n")
        for n, a in enumerate(arts):
            lead = a.text[:300].replace("\n", " ").replace("\t", " ")
            f.write(f"{n}\t{a.id}\t{a.source}\t{a.published}\t{a.title}\t{lead}\n")
    with open(out / "pairs.tsv", "w", encoding="utf-8") as f:
        f.write("char\tstem\tn_a\tn_b\tid_a\tid_b\ttitle_a\ttitle_b\n")
        for i, j in pairs:
            f.write(
                f"{csims[i, j]:.3f}\t{ssims[i, j]:.3f}\t{i}\t{j}\t{arts[i].id}\t{arts[j].id}\t"
                f"{arts[i].title}\t{arts[j].title}\n"
            )
    print(f"{len(arts)} articles, {len(pairs)} candidate pairs -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
