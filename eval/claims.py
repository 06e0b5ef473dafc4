"""Claims groups measured on a labelled SaudiNewsNet day (prints numbers).

    .venv/bin/python eval/claims.py                          # counts over the day's multi-outlet stories
    .venv/bin/python eval/claims.py --sample 50 --seed 1     # + a random sample of multi-article claims
    .venv/bin/python eval/claims.py --sample 50 --seed 3 --show /tmp/claims-sample.txt   # the labelled sample
    .venv/bin/python eval/claims.py --sample 50 --seed 1 --labels eval/data/claims-sample-seed1.tsv

Stories are the GOLD stories of `eval/data/DAY.tsv` (clustering errors do not count); those with
articles from at least two outlets are kept and `claims.find_claims` runs on each with the shipped
settings. A multi-article claim is one whose values cite two or more articles: the groups whose
precision matters. `--sample N --seed S` draws N of them reproducibly; `--show FILE` writes each
figure of the sample with its article id, offsets, text and ~15 words either side, for hand checking
(outside the project: the text is research-only). When `eval/data/claims-sample.tsv` holds labels for
the sample (see `eval/data/claims-sample.md`), prints precision (share of sampled groups whose members
all count the same thing) and, of those, the share whose verdict is right, each with a 95% Wilson
interval. Prepared articles are cached as a pickle under /tmp (`--no-cache` to redo).
"""

from __future__ import annotations

import argparse
import math
import pickle
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from marsad import pipeline
from marsad.claims import TOLL_SUBJECTS, find_claims
from marsad.errors import InputError
from marsad.ingest import read_path
from marsad.settings import load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet"
LABELS = ROOT / "eval" / "data"
SAMPLE_LABELS = LABELS / "claims-sample.tsv"
CONTEXT_WORDS = 15


def read_labels(day: str) -> dict[str, str]:
    rows = (LABELS / f"{day}.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return dict(line.split("\t") for line in rows if line.strip())


def prepare_stories(day: str, labels: dict[str, str], settings, cache: Path | None) -> dict[str, list]:
    """Gold story -> its prepared articles (file order), for stories with 2+ outlets."""
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    raw = [a for a in read_path(DATA / f"{day}.zip", settings) if not isinstance(a, InputError)]
    outlets: dict[str, set[str]] = defaultdict(set)
    for a in raw:
        if a.id in labels:
            outlets[labels[a.id]].add(a.source)
    keep = {s for s, o in outlets.items() if len(o) >= 2}
    stories: dict[str, list] = defaultdict(list)
    for a in raw:
        if labels.get(a.id) in keep:
            try:
                stories[labels[a.id]].append(pipeline.prepare(a, settings))
            except InputError:
                continue
    stories = {s: ps for s, ps in sorted(stories.items()) if len({p.article.source for p in ps}) >= 2}
    if cache is not None:
        cache.write_bytes(pickle.dumps(stories))
    return stories


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return mid - half, mid + half


def context(text: str, start: int, end: int, n: int = CONTEXT_WORDS) -> str:
    """The figure in [brackets] with about n words either side."""
    before = text[:start].split()[-n:]
    after = text[end:].split()[:n]
    return " ".join([*before, "[" + text[start:end] + "]", *after])


def figure_rows(claim) -> list[tuple[str, int, int, str]]:
    """(article id, start, end, value as read) for every figure of a claim, in value order."""
    return [(e.article_id, e.span.start, e.span.end, f"{v.qualifier} {v.low}-{v.high} {v.unit or ''}")
            for v in claim.values for e in v.evidence]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--day", default="2015-08-01")
    ap.add_argument("--sample", type=int, default=0, help="draw this many multi-article claims")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=Path, help="write the sample with contexts here (outside the repo)")
    ap.add_argument("--labels", type=Path, default=SAMPLE_LABELS,
                    help="hand labels of the sample (default eval/data/claims-sample.tsv)")
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()

    settings = load()
    cache = None if args.no_cache else Path(f"/tmp/marsad-claims-{args.day}.pickle")
    stories = prepare_stories(args.day, read_labels(args.day), settings, cache)
    texts = {p.article.id: p.article.text for ps in stories.values() for p in ps}

    claims = []  # (story, claim)
    for story, ps in stories.items():
        found = find_claims(
            [p.article for p in ps],
            {p.article.id: p.facts for p in ps if p.facts is not None},
            {p.article.id: p.sentences for p in ps},
            settings,
        )
        claims.extend((story, c) for c in found)
    multi = [(s, c) for s, c in claims if len(c.article_ids) >= 2]
    verdicts = Counter(c.verdict for _, c in multi)
    print(f"day {args.day}: {len(stories)} multi-outlet stories, "
          f"{sum(len(ps) for ps in stories.values())} articles")
    print(f"claims: {len(claims)}; multi-article claims: {len(multi)} "
          f"(in {len({s for s, _ in multi})} stories)")
    print("verdicts of multi-article claims: "
          + ", ".join(f"{v} {verdicts[v]}" for v in ("agree", "compatible", "conflict", "single")))
    print("verdicts of all claims: "
          + ", ".join(f"{v} {n}" for v, n in Counter(c.verdict for _, c in claims).most_common()))
    tolls = [c for _, c in multi if c.subject in TOLL_SUBJECTS.values()]
    print(f"toll claims (the dead, the wounded or both, however worded): {len(tolls)} multi-article; "
          + ", ".join(f"{v} {n}" for v, n in Counter(c.verdict for c in tolls).most_common()))
    rlm = sum(any("\u200f" in texts[a][s:e] for a, s, e, _ in figure_rows(c)) for _, c in multi
              if c.verdict == "conflict")
    print(f"multi-article conflicts with a figure written with U+200F (a.<RLM>b decimals): {rlm}")
    if not args.sample:
        return

    sample = random.Random(args.seed).sample(multi, min(args.sample, len(multi)))
    lines = []
    for no, (story, c) in enumerate(sample, 1):
        lines.append(f"## claim {no}  story={story}  verdict={c.verdict}  subject={c.subject}")
        for aid, start, end, value in figure_rows(c):
            lines.append(f"  {aid} {start}-{end} read={value}")
            lines.append(f"      {context(texts[aid], start, end)}")
        lines.append("")
    if args.show:
        args.show.write_text("\n".join(lines), encoding="utf-8")
        print(f"sample of {len(sample)} written to {args.show}")
    else:
        print("\n".join(lines))

    labels_file = args.labels
    if not labels_file.exists():
        return
    rows = [r.split("\t") for r in labels_file.read_text(encoding="utf-8").splitlines()[1:] if r.strip()]
    by_no: dict[int, list[list[str]]] = defaultdict(list)
    for r in rows:
        by_no[int(r[0])].append(r)
    labels = []  # (marsad verdict, same_thing, real_figure, verdict_ok, category)
    for no, (_, c) in enumerate(sample, 1):
        got = sorted((a, str(s), str(e)) for a, s, e, _ in figure_rows(c))
        want = sorted((r[2], r[3], r[4]) for r in by_no.get(no, []))
        if got != want:
            sys.exit(f"eval: error: {labels_file.name}: claim {no} does not match the sample "
                     "(extractor or claims changed since labelling: relabel)")
        r = by_no[no][0]
        labels.append((c.verdict, r[6] == "1", r[7] == "1", r[8] == "1", r[9]))
    n = len(labels)

    def share(name: str, k: int, m: int) -> None:
        lo, hi = wilson(k, m)
        print(f"{name}: {k}/{m} = {k / max(m, 1):.2f} [95% Wilson {lo:.2f}-{hi:.2f}]")

    same = [x for x in labels if x[1]]
    print(f"hand labels of the {n} sampled groups ({labels_file.name}):")
    share("precision (all members count the same thing)", len(same), n)
    share("strict precision (same thing, and a real quantity)", sum(x[2] for x in same), n)
    share("verdict right, of the same-thing groups", sum(x[3] for x in same), len(same))
    for v in ("agree", "compatible", "conflict"):
        of_v = [x for x in labels if x[0] == v]
        if of_v:
            right = sum(x[1] and x[3] for x in of_v)
            print(f"  {v}: {len(of_v)} sampled, {right} same thing with the right verdict")
    conflicts = [x for x in labels if x[0] == "conflict"]
    print(f"conflicts: {len(conflicts)} sampled, {sum(x[1] and x[3] for x in conflicts)} real "
          "(same thing, and the values cannot all be true)")
    wrong = Counter(x[4] for x in labels if not x[1])
    print("wrongly grouped: " + ", ".join(f"{k} {m}" for k, m in wrong.items()))
    print(f"same thing but not a quantity (idiom, name, identifier, ordinal): {sum(not x[2] for x in same)}")

if __name__ == "__main__":
    main()
