"""The shipped NER model scored on the ANERcorp test file (prints numbers).

    .venv/bin/python eval/ner.py [TEST_FILE]

Entity-level precision, recall and F1 (exact span and type, conlleval style), micro and per type, and
the macro-F1 of the types; the model's size, its training time (from MANIFEST.json, written by
`scripts/train_ner.py`) and its tagging speed in tokens/s on one core (features and CRF together).
The test file is only ever scored here: nothing is tuned on it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from marsad.extract.entities import CLUSTERS, MODEL, entity_scores, read_conll, tagger
from marsad.resources import manifest

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/anercorp/ANERCorp_CamelLab_test.txt"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    try:
        sents = read_conll(path)
    except (OSError, ValueError) as exc:
        print(f"eval: error: {path}: {exc}", file=sys.stderr)
        return 1
    t = tagger()
    t.tag(["تجربة"])  # load the tables before timing
    # tagged as find_mentions tags an article: its sentences in one call (here 25 at a time). The first
    # pass meets every word for the first time (the tagger's word cache is empty); the second is what a
    # stream of news costs once its common words are cached.
    words = [w for w, _ in sents]
    timed = []
    for _ in range(2):
        t0 = time.perf_counter()
        pred = [tags for i in range(0, len(words), 25) for tags in t.tag_many(words[i : i + 25])]
        timed.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    reference = [t.tag_reference(w) for w in words]
    ref_secs = time.perf_counter() - t0
    differ = sum(a != b for p, r in zip(pred, reference, strict=True) for a, b in zip(p, r, strict=True))
    s = entity_scores([tags for _, tags in sents], pred)
    tokens = sum(len(w) for w, _ in sents)
    print(f"{path.name}: {len(sents)} sentences, {tokens} tokens")
    for lab in ("PER", "ORG", "LOC", "MISC", "micro"):
        if lab in s:
            r = s[lab]
            print(f"  {lab:6s} P {r['p'] * 100:5.1f}  R {r['r'] * 100:5.1f}  F1 {r['f1'] * 100:5.1f}  "
                  f"({r['n']} entities)")
    print(f"  macro-F1 {s['macro']['f1'] * 100:.1f}")
    m = manifest()
    size = sum(m[k]["bytes"] for k in (MODEL, CLUSTERS) if k in m)
    print(f"model {size / 1e6:.1f} MB ({MODEL} + {CLUSTERS}), trained in "
          f"{sum(m[k].get('train_seconds', 0) for k in (MODEL, CLUSTERS) if k in m):.0f} s; "
          f"{tokens / timed[0]:,.0f} tokens/s on one core with every word new, {tokens / timed[1]:,.0f} "
          f"with the words cached (crfsuite's own tagger: {tokens / ref_secs:,.0f}; tags that differ from "
          f"it: {differ})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
