"""Story grouping measured against the hand-labelled days in eval/data/ (prints numbers).

    .venv/bin/python eval/cluster.py                      # both days, seeds check, floors check
    .venv/bin/python eval/cluster.py --fit                # fit similarity weights on the tuning day
    .venv/bin/python eval/cluster.py --sweep 0.3 0.4 0.5  # cluster.threshold values on the tuning day
    .venv/bin/python eval/cluster.py --shuffle 5          # how many pairs change with arrival order
    .venv/bin/python eval/cluster.py --update-baseline [--allow-lower]
    .venv/bin/python eval/cluster.py --stream 2015-07-21 2015-07-22 2015-07-23 2015-07-24 [--by-day]
    .venv/bin/python eval/cluster.py --after              # + each labelled day fed after the day before
    .venv/bin/python eval/cluster.py --agreement          # two labellers of one subset, and marsad, compared

For each labelled day (eval/data/DAY.tsv: every article of that day), the articles
are grouped from scratch with the shipped settings and compared with the labels: pairwise precision,
recall and F1 over same-story pairs, and BCubed precision, recall and F1 (per article, averaged),
beside the all-singletons floor. The tuning days (eval/data/README.md) are the ones thresholds and weights
are set on; the held-out day is only reported. The one-story day (2015-08-07: only its 217-article Asir
bombing story is labelled) is tuning data too: it shows whether a big story is cut into pieces. The
seeds check mixes the bundled seed articles into a full SaudiNewsNet day (2015-08-06) and requires
them to form exactly one story that nothing joins.
`--after` also feeds each labelled day (and the Asir day) after the SaudiNewsNet day before it, one batch
per day into one clusterer, as a store gets them, and scores the labelled day's articles: the stories of
the day before must not gather several of the new day's events (floors `DAY-after.*`, checked only with
`--after`). `--stream DAY ...` groups several unlabelled days as one batch and prints the largest
stories: a check that a week of news does not chain into topic-sized stories; with `--by-day`, each day
is one batch (consolidated after it, as `marsad ingest` of one day at a time does). `eval/baseline.json`
pins floors: a run below one fails (exit 1), and `--update-baseline` refuses to lower a floor unless
`--allow-lower` is given.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
import time
from collections import defaultdict
from importlib import resources
from pathlib import Path

import label_candidates  # eval/label_candidates.py, beside this script
import numpy as np

from marsad import pipeline
from marsad.cluster import Clusterer, arrival_order, cluster
from marsad.errors import InputError
from marsad.ingest import read_paths
from marsad.settings import Settings, load
from marsad.similarity import compare, featurize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet"
LABELS = ROOT / "eval" / "data"
BASELINE = ROOT / "eval" / "baseline.json"
TUNE_DAY, HELD_OUT_DAY = "2015-08-01", "2015-08-09"
# A second tuning day (labelled in session 7, all outlets): a change chosen on TUNE_DAY is checked here
# before the held-out day is looked at.
TUNE_DAY_2 = "2015-08-03"
# A day where only one big story is labelled (every article `STORY` or `other`): a dev check that a story
# of hundreds of articles is not cut into pieces. Tuning data, like TUNE_DAY.
ONE_STORY_DAY, ONE_STORY = "2015-08-07", "asir-bombing"
SEED_DAY = "2015-08-06"
# A second, independent labelling of part of a tuning day (eval/data/README.md): how far two labellers
# agree, against which the figures above are read.
RELABEL_DAY, RELABEL = "2015-08-03", "2015-08-03-relabel-abc"


def fail(msg: str) -> None:
    print(f"eval: error: {msg}", file=sys.stderr)
    raise SystemExit(1)


def read_labels(day: str) -> dict[str, str]:
    """The labels of `eval/data/DAY.tsv` (`day` may name another labels file there)."""
    path = LABELS / f"{day}.tsv"
    if not path.exists():
        fail(f"{path}: no labels for {day}")
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return {aid: story for aid, story in rows}


def load_day(day: str, ids: set[str] | None, settings: Settings) -> list:
    """The day's cleaned articles (only those with these ids, if given), in file order."""
    return label_candidates.load_day(day, (lambda a: a.id in ids) if ids is not None else None, settings)


# --- measures ------------------------------------------------------------------------------------


def _pairs(groups: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def scores(predicted: list[list[str]], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise and BCubed precision/recall/F1 of `predicted` groups against gold labels."""
    pred_of = {aid: i for i, g in enumerate(predicted) for aid in g}
    gold_groups: dict[str, set[str]] = defaultdict(set)
    for aid, s in gold.items():
        gold_groups[s].add(aid)
    pred_groups: dict[int, set[str]] = defaultdict(set)
    for aid in gold:
        pred_groups[pred_of[aid]].add(aid)
    gp, pp = _pairs(gold_groups), _pairs({str(k): v for k, v in pred_groups.items()})
    tp = len(gp & pp)
    p = tp / len(pp) if pp else 1.0
    r = tp / len(gp) if gp else 1.0
    bp = br = 0.0
    for aid in gold:
        g, c = gold_groups[gold[aid]], pred_groups[pred_of[aid]]
        inter = len(g & c)
        bp += inter / len(c)
        br += inter / len(g)
    bp, br = bp / len(gold), br / len(gold)
    return {
        "pair_p": p, "pair_r": r, "pair_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "b3_p": bp, "b3_r": br, "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
        "stories": len(pred_groups), "gold_stories": len(gold_groups),
    }


def show(name: str, s: dict[str, float]) -> None:
    print(
        f"{name:34s} pairwise P {s['pair_p']:.3f} R {s['pair_r']:.3f} F1 {s['pair_f1']:.3f} | "
        f"BCubed P {s['b3_p']:.3f} R {s['b3_r']:.3f} F1 {s['b3_f1']:.3f} | "
        f"{s['stories']} stories (gold {s['gold_stories']})"
    )


# --- runs ----------------------------------------------------------------------------------------


def evaluate_day(day: str, settings: Settings, cache: dict) -> dict[str, dict[str, float]]:
    gold = read_labels(day)
    if day not in cache:
        arts = load_day(day, set(gold), settings)
        missing = set(gold) - {a.id for a in arts}
        if missing:
            fail(f"{day}: {len(missing)} labelled ids not in the day's articles (e.g. {sorted(missing)[0]})")
        cache[day] = (arts, featurize(arts, settings))
    arts, feats = cache[day]
    predicted = cluster(arts, settings, feats)
    return {"marsad": scores(predicted, gold), "singletons": scores([[a.id] for a in arts], gold)}


def _feed(c: Clusterer, arts: list, feats: list) -> None:
    """One day as one batch, as `marsad ingest` of a day does: its articles placed, then consolidated."""
    by_id = {f.article_id: f for f in feats}
    c.consolidate({c.add(by_id[a.id]) for a in arrival_order(arts)})


def _pieces(members: set[str], groups: list[list[str]]) -> tuple[list[int], float]:
    """How many of `members` each group holds (largest first), and the share of their pairs kept together."""
    pieces = sorted((len(members & set(g)) for g in groups if members & set(g)), reverse=True)
    n = len(members)
    return pieces, sum(k * (k - 1) // 2 for k in pieces) / (n * (n - 1) // 2)


def one_story_check(settings: Settings, cache: dict) -> dict[str, float]:
    """How ONE_STORY of ONE_STORY_DAY is grouped: its pieces, and pairwise precision/recall over the pairs
    that involve one of its members (pairs of two `other` articles are not judged: they are unlabelled)."""
    labels = read_labels(f"{ONE_STORY_DAY}-{ONE_STORY.split('-')[0]}")
    key = ONE_STORY_DAY
    if key not in cache:
        arts = load_day(ONE_STORY_DAY, set(labels), settings)
        cache[key] = (arts, featurize(arts, settings))
    arts, feats = cache[key]
    members = {a for a, s in labels.items() if s == ONE_STORY}
    predicted = cluster(arts, settings, feats)
    pieces, r = _pieces(members, predicted)
    together = sum(k * (k - 1) // 2 for k in pieces)
    judged = sum(len(g) * (len(g) - 1) // 2 - (len(g) - k) * (len(g) - k - 1) // 2
                 for g in predicted if (k := len(members & set(g))))
    n = len(members)
    p = together / judged if judged else 1.0
    return {"pair_p": p, "pair_r": r, "pair_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "members": n, "pieces": len(pieces), "largest": pieces[:6],
            "intruders": sum(len(g) for g in predicted if members & set(g)) - n}


def _day_before(day: str) -> str | None:
    """The SaudiNewsNet day file just before `day` (the days have gaps)."""
    days = sorted(p.stem for p in DATA.glob("*.zip"))
    i = days.index(day) if day in days else -1
    return days[i - 1] if i > 0 else None


def after_check(day: str, settings: Settings, cache: dict, members_of: str | None = None) -> dict:
    """A labelled day fed after the day before it, one batch per day into one clusterer, as a store gets
    them: the day before's stories may take the labelled day's articles, and must not gather several of
    its events. Scored on the labelled day's articles only (their pairs, or with `members_of` one
    story's members, as `one_story_check` does); the day before is unlabelled, so whether an article
    rightly joins a story of the day before is not measured."""
    prev = _day_before(day)
    label_file = f"{day}-{members_of.split('-')[0]}" if members_of else day
    gold = read_labels(label_file)
    c = Clusterer(settings)
    for d, ids in ((prev, None), (day, set(gold))):
        # the labelled day is cached as `evaluate_day` and `one_story_check` keep it
        key = ("all", d) if ids is None else d
        if key not in cache:
            arts = load_day(d, ids, settings)
            cache[key] = (arts, featurize(arts, settings))
        _feed(c, *cache[key])
    groups = [[a for a in g if a in gold] for g in c.groups().values()]
    groups = [g for g in groups if g]
    if members_of is None:
        return {**scores(groups, gold), "before": prev}
    pieces, r = _pieces({a for a, s in gold.items() if s == members_of}, groups)
    return {"pair_r": r, "pieces": len(pieces), "largest": pieces[:6], "before": prev}


def agreement_check(settings: Settings, cache: dict) -> None:
    """Two labellings of the same articles scored against each other (each as the other's gold: pairwise
    precision and recall swap), and marsad's grouping of the whole day scored on those articles against
    each labelling."""
    first, second = read_labels(RELABEL_DAY), read_labels(RELABEL)
    missing = set(second) - set(first)
    if missing:
        fail(f"{RELABEL}: {len(missing)} ids not labelled in {RELABEL_DAY} (e.g. {sorted(missing)[0]})")
    first = {aid: first[aid] for aid in second}

    def groups(labels: dict[str, str]) -> list[list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for aid, story in labels.items():
            out[story].append(aid)
        return list(out.values())

    show(f"{RELABEL} vs {RELABEL_DAY}", scores(groups(second), first))
    evaluate_day(RELABEL_DAY, settings, cache)
    arts, feats = cache[RELABEL_DAY]
    predicted = [[a for a in g if a in second] for g in cluster(arts, settings, feats)]
    predicted = [g for g in predicted if g]
    show(f"marsad vs {RELABEL_DAY} ({len(second)})", scores(predicted, first))
    show(f"marsad vs {RELABEL}", scores(predicted, second))


def seeds_check(settings: Settings) -> tuple[bool, str]:
    sample = Path(str(resources.files("marsad").joinpath("resources/sample")))
    seeds = [pipeline.prepare(a, settings).article
             for a in read_paths(sorted(sample.glob("*.txt")), settings) if not isinstance(a, InputError)]
    arts = load_day(SEED_DAY, None, settings) + seeds
    groups = cluster(arts, settings)
    ids = {a.id for a in seeds}
    with_seeds = [g for g in groups if ids & set(g)]
    ok = len(with_seeds) == 1 and set(with_seeds[0]) == ids
    return ok, f"{len(arts)} articles, {len(groups)} stories; seed stories {[len(g) for g in with_seeds]}"


def fit(settings: Settings, cache: dict) -> None:
    """Fit the logistic weights of similarity.compare on the tuning day's candidate pairs."""
    from scipy.optimize import minimize

    gold = read_labels(TUNE_DAY)
    evaluate_day(TUNE_DAY, settings, cache)
    _, feats = cache[TUNE_DAY]
    c = Clusterer(settings)
    X, y = [], []
    seen = set()
    for f in feats:  # every pair the candidate index proposes, as the clusterer would meet it
        for other in c.candidates(f):
            key = tuple(sorted((f.article_id, other)))
            if key in seen:
                continue
            seen.add(key)
            p = compare(f, c.features[other], settings)
            cfg = settings.similarity
            X.append([p.terms, p.chars, cfg.semantic_missing if p.semantic is None else p.semantic,
                      cfg.names_missing if p.names is None else p.names,
                      cfg.title_missing if p.title is None else p.title])
            y.append(int(gold[f.article_id] == gold[other]))
        c.seed("s" + f.article_id, [f])
    X, y = np.array(X), np.array(y)
    positives = sum(len(list(itertools.combinations(range(n), 2)))
                    for n in np.unique(list(gold.values()), return_counts=True)[1])
    print(f"{len(y)} candidate pairs, {y.sum()} same-story ({positives} same-story pairs in the labels)")
    # logistic loss with a light L2 penalty; the part weights are kept >= 0 (a part that agrees more
    # must never lower the score: a negative weight would only mirror the parts' correlation)
    def loss(theta):
        z = theta[0] + X @ theta[1:]
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-12
        return -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + 1e-4 * np.sum(theta[1:] ** 2)

    res = minimize(loss, np.array([-5.0, 1.0, 1.0, 1.0, 1.0, 1.0]), method="L-BFGS-B",
                   bounds=[(None, None)] + [(0.0, None)] * 5)
    names = ("bias", "w_terms", "w_chars", "w_semantic", "w_names", "w_title")
    print("fitted: " + ", ".join(f"{k} = {v:.3f}" for k, v in zip(names, res.x, strict=True)))
    for name, cols in (("terms only", [0]), ("chars only", [1]), ("semantic only", [2]), ("title", [4]),
                       ("terms+semantic", [0, 2]), ("all", [0, 1, 2, 3, 4])):
        from sklearn.metrics import roc_auc_score

        z = X[:, cols] @ res.x[1:][cols]
        print(f"  ranking AUC of candidate pairs, {name:15s}: {roc_auc_score(y, z):.4f}")


def order_check(day: str, settings: Settings, cache: dict, runs: int) -> None:
    """Feed the day in random orders (not publication order) and count the pairs that change."""
    arts, feats = cache[day]
    base = arrival_order(arts)
    by_id = {f.article_id: f for f in feats}

    def run(order):
        c = Clusterer(settings)
        for a in order:
            c.add(by_id[a.id])
        c.consolidate()
        return {tuple(sorted(p)) for g in c.groups().values() for p in itertools.combinations(g, 2)}

    ref = run(base)
    rng = random.Random(13)
    for i in range(runs):
        order = list(base)
        rng.shuffle(order)
        got = run(order)
        print(f"{day} shuffle {i + 1}: {len(ref ^ got)} of {len(ref | got)} same-story pairs differ "
              f"({len(ref)} in publication order)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--sweep", type=float, nargs="*", default=None, help="cluster.threshold values")
    ap.add_argument("--set", nargs="*", default=[], metavar="SECTION.KEY=VALUE", help="override settings")
    ap.add_argument("--shuffle", type=int, default=0, metavar="N")
    ap.add_argument("--no-seeds", action="store_true", help="skip the seeds-in-a-full-day check")
    ap.add_argument("--stream", nargs="*", default=None, metavar="DAY", help="chaining check on these days")
    ap.add_argument("--by-day", action="store_true", help="--stream: one batch per day")
    ap.add_argument("--after", action="store_true",
                    help="also each labelled day fed after the day before it (`after_check`)")
    ap.add_argument("--agreement", action="store_true",
                    help="only the two labellers' agreement on the relabelled subset, and marsad's on it")
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--allow-lower", action="store_true")
    args = ap.parse_args()
    overrides: dict = {}
    for item in args.set:
        key, _, value = item.partition("=")
        sec, _, name = key.partition(".")
        overrides.setdefault(sec, {})[name] = type(getattr(getattr(load(), sec), name))(value)
    settings = load().with_overrides(overrides) if overrides else load()
    cache: dict = {}
    if args.stream:
        days = [load_day(day, None, settings) for day in args.stream]
        arts = [a for batch in days for a in batch]
        if args.by_day:
            c = Clusterer(settings)
            for batch in days:
                _feed(c, batch, featurize(batch, settings))
            groups = sorted(c.groups().values(), key=len, reverse=True)
        else:
            groups = sorted(cluster(arts, settings), key=len, reverse=True)
        print(f"{len(arts)} articles of {len(args.stream)} days: {len(groups)} stories, "
              f"largest {[len(g) for g in groups[:8]]}")
        by_id = {a.id: a for a in arts}
        for g in groups[:3]:
            days = sorted({str(by_id[i].published)[:10] for i in g})
            print(f"  {len(g)} articles, {len({by_id[i].source for i in g})} outlets, {days[0]}..{days[-1]}")
        return 0
    if args.agreement:
        agreement_check(settings, cache)
        return 0
    if args.fit:
        fit(settings, cache)
        return 0
    if args.sweep:
        for t in args.sweep:
            s = settings.with_overrides({"cluster": {"threshold": t, "merge_threshold": max(
                t, settings.cluster.merge_threshold)}})
            show(f"{TUNE_DAY} threshold {t:.2f}", evaluate_day(TUNE_DAY, s, cache)["marsad"])
            big = one_story_check(s, cache)
            print(f"{'':34s} {ONE_STORY}: pairwise P {big['pair_p']:.3f} R {big['pair_r']:.3f} "
                  f"F1 {big['pair_f1']:.3f}, {big['pieces']} pieces")
        return 0
    t0 = time.perf_counter()
    results = {}
    for day, role in ((TUNE_DAY, "tuning"), (TUNE_DAY_2, "tuning 2"), (HELD_OUT_DAY, "held-out")):
        r = evaluate_day(day, settings, cache)
        results[day] = r["marsad"]
        show(f"{day} ({role})", r["marsad"])
        show(f"{day} all singletons", r["singletons"])
        if args.shuffle:
            order_check(day, settings, cache, args.shuffle)
    big = one_story_check(settings, cache)
    results[f"{ONE_STORY_DAY}-{ONE_STORY}"] = big
    print(f"{ONE_STORY_DAY} one story ({ONE_STORY}, {big['members']} articles): "
          f"pairwise P {big['pair_p']:.3f} R {big['pair_r']:.3f} F1 {big['pair_f1']:.3f} | "
          f"in {big['pieces']} pieces, largest "
          f"{big['largest']}, {big['intruders']} other articles joined")
    if args.after:
        for day, role in ((TUNE_DAY, "tuning"), (TUNE_DAY_2, "tuning 2"), (HELD_OUT_DAY, "held-out")):
            r = after_check(day, settings, cache)
            results[f"{day}-after"] = {k: v for k, v in r.items() if k != "before"}
            show(f"{day} after {r['before']} ({role})", r)
        r = after_check(ONE_STORY_DAY, settings, cache, ONE_STORY)
        results[f"{ONE_STORY_DAY}-{ONE_STORY}-after"] = {"pair_r": r["pair_r"]}
        print(f"{ONE_STORY_DAY} one story after {r['before']}: pairwise R {r['pair_r']:.3f} | in "
              f"{r['pieces']} pieces, largest {r['largest']}")
    if not args.no_seeds:
        ok, what = seeds_check(settings)
        verdict = "one story, nothing else joined" if ok else "NOT one clean story"
        print(f"seeds in {SEED_DAY}: {verdict} ({what})")
        if not ok:
            return 1
    print(f"({time.perf_counter() - t0:.1f} s)")
    measures = ("_p", "_r", "_f1")
    figures = {f"{day}.{k}": v for day, r in results.items() for k, v in r.items() if k.endswith(measures)}
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if not args.after:  # the stream-context floors are checked (and kept) only when they are measured
        baseline_kept = {k: v for k, v in baseline.items() if "-after." in k}
        baseline = {k: v for k, v in baseline.items() if "-after." not in k}
    else:
        baseline_kept = {}
    if args.update_baseline:
        # a floor is the figure rounded down to 2 decimals: room for the last bits of float arithmetic to
        # differ between machines, none for a real regression
        floors = {**baseline_kept, **{k: math.floor(v * 100) / 100 for k, v in figures.items()}}
        lower = {k: (baseline[k], v) for k, v in floors.items() if v < baseline.get(k, 0.0)}
        if lower and not args.allow_lower:
            fail(f"would lower floors (old, new) {lower}; pass --allow-lower to accept")
        BASELINE.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n")
        print(f"wrote {BASELINE}")
        return 0
    below = {k: (v, figures.get(k)) for k, v in baseline.items() if figures.get(k, 0.0) < v - 1e-9}
    if below:
        print(f"eval: below the floors of {BASELINE.name}: {below}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
