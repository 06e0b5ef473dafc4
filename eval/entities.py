"""Entity merging scored on the hand-labelled dev sample (prints numbers).

    .venv/bin/python eval/entities.py [--show N]

`eval/data/entities-dev.tsv` lists, for every article of 23 stories of SaudiNewsNet 2015-08-01, each
distinct name form with a gold entity id (global across stories). The articles are read from the day
zip and run through marsad (cleaning, mentions, `pipeline.story_entities` per story, then
`aliases.adopt_ids` against the entities of the stories scored before, as the store does). Each gold
(article, form) item is matched to the marsad entity that lists that form (its match-form words) and
names that article; then:

- coverage: the share of gold items marsad lists at all (what the model and gazetteer find);
- BCubed precision / recall / F1 of marsad's entities against the gold ones, over the covered items,
  within each story and across all of them (one entity id for one person in every story);
- the same over all items, an uncovered item counting as an entity of its own;
- form-pair precision / recall: pairs of different forms in one story that gold calls one entity, and
  that marsad merges (the variant merging alone, covered items only);
- how many of marsad's entities in these stories match no gold item (false or unlabelled names).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from marsad import pipeline
from marsad.errors import InputError
from marsad.extract.aliases import adopt_ids
from marsad.extract.gazetteer import name_tokens
from marsad.ingest import read_path
from marsad.settings import load

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "entities-dev.tsv"
DAY = HERE.parents[0].parent / "shared" / "data" / "saudinewsnet" / "2015-08-01.zip"


def bcubed(pred: dict, gold: dict) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering `pred` (item -> cluster) against `gold`."""
    by_p, by_g = defaultdict(set), defaultdict(set)
    for item in gold:
        by_p[pred[item]].add(item)
        by_g[gold[item]].add(item)
    p = sum(len(by_p[pred[i]] & by_g[gold[i]]) / len(by_p[pred[i]]) for i in gold) / len(gold)
    r = sum(len(by_p[pred[i]] & by_g[gold[i]]) / len(by_g[gold[i]]) for i in gold) / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=0, metavar="N", help="print N wrong merges and splits")
    args = ap.parse_args()
    settings = load()
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8"), delimiter="\t"))
    stories: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["article_id"] not in stories[r["story"]]:
            stories[r["story"]].append(r["article_id"])
    wanted = {r["article_id"] for r in rows}
    t0 = time.time()
    prepared = {}
    for a in read_path(DAY, settings):
        if not isinstance(a, InputError) and a.id in wanted:
            prepared[a.id] = pipeline.prepare(a, settings)
    missing = wanted - set(prepared)
    if missing:
        print(f"eval: error: {len(missing)} labelled articles not in {DAY.name}", file=sys.stderr)
        return 1

    known: dict[str, set[tuple[str, str]]] = defaultdict(set)
    ours_by_story = {}
    for story in sorted(stories):
        members = [prepared[i] for i in stories[story]]
        arts = [p.article for p in members]
        ents = pipeline.story_entities(
            arts, {p.article.id: p.sentences for p in members}, {p.article.id: p.mentions for p in members},
            settings,
        )
        ents = adopt_ids(ents, lambda forms: {f: known[f] for f in forms if f in known})
        for e in ents:
            for a in e.aliases:
                known[" ".join(name_tokens(a))].add((e.id, e.type))
        ours_by_story[story] = ents
    elapsed = time.time() - t0

    gold_of, pred_of, pred_all = {}, {}, {}
    type_right: dict[tuple[str, str], bool] = {}  # (story, gold entity) -> marsad's type is gold's
    used = set()
    for i, r in enumerate(rows):
        item = (r["story"], r["article_id"], " ".join(name_tokens(r["form"])), i)
        gold_of[item] = r["entity"]
        toks = name_tokens(r["form"])
        hits = [e for e in ours_by_story[r["story"]]
                if r["article_id"] in e.articles and any(name_tokens(a) == toks for a in e.aliases)]
        if hits:
            best = max(hits, key=lambda e: sum(n for _, n in e.mentions))
            pred_of[item] = best.id
            used.add((r["story"], best.id))
            type_right.setdefault((r["story"], r["entity"]), best.type == r["type"])
        pred_all[item] = pred_of.get(item, f"unmatched-{i}")
    covered = {k: v for k, v in gold_of.items() if k in pred_of}

    def per_story(mapping: dict) -> dict:
        return {k: (k[0], v) for k, v in mapping.items()}

    print(f"gold: {len(rows)} items, {len(set(gold_of.values()))} entities, {len(stories)} stories, "
          f"{len(prepared)} articles; marsad ran in {elapsed:.1f} s")
    print(f"coverage (gold items marsad lists): {len(covered) / len(gold_of):.3f}")
    for scope, conv in (("within stories", per_story), ("across stories", lambda m: m)):
        g = conv({k: gold_of[k] for k in covered})
        p = conv({k: pred_of[k] for k in covered})
        bp, br, bf = bcubed(p, g)
        print(f"BCubed, covered items, {scope:14}: P {bp:.3f} R {br:.3f} F1 {bf:.3f}")
        bp, br, bf = bcubed(conv(pred_all), conv(gold_of))
        print(f"BCubed, all items,     {scope:14}: P {bp:.3f} R {br:.3f} F1 {bf:.3f}")

    # form pairs within a story (covered items): does marsad merge the forms gold merges?
    forms: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for (story, _aid, form, _i), g in covered.items():
        forms[story][form] = (g, pred_of[(story, _aid, form, _i)])
    tp = fp = fn = 0
    wrong: list[str] = []
    for story, fs in forms.items():
        names = sorted(fs)
        for x in range(len(names)):
            for y in range(x + 1, len(names)):
                (gx, px), (gy, py) = fs[names[x]], fs[names[y]]
                same_g, same_p = gx == gy, px == py
                tp += same_g and same_p
                fp += same_p and not same_g
                fn += same_g and not same_p
                if same_g != same_p and len(wrong) < args.show:
                    kind = "merged, gold apart" if same_p else "apart, gold merged"
                    wrong.append(f"  {story}: {names[x]} | {names[y]}: {kind}")
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    print(f"form pairs within stories: P {prec:.3f} R {rec:.3f} ({tp} merged right, {fp} wrongly, "
          f"{fn} missed)")
    n_ours = sum(len(v) for v in ours_by_story.values())
    right = sum(type_right.values())
    print(f"type right (marsad's entity of a gold entity's first listed form, per story): "
          f"{right}/{len(type_right)} = {right / max(1, len(type_right)):.3f}")
    print(f"marsad entities in these stories: {n_ours}, matching no gold item: {n_ours - len(used)} "
          f"({(n_ours - len(used)) / max(1, n_ours):.3f})")
    for line in wrong:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
