"""The shipped NER model scored on the ANERcorp test file (prints numbers).

    .venv/bin/python eval/ner.py [TEST_FILE]                 # the model marsad tags with (the BiLSTM-CRF)
    .venv/bin/python eval/ner.py --model crf [TEST_FILE]     # the feature CRF, to compare

Entity-level precision, recall and F1 (exact span and type, conlleval style), micro and per type, and
the macro-F1 of the types; the model's size, its training time (from MANIFEST.json, written by
`scripts/train_ner_lstm.py` and `scripts/train_ner.py`) and its tagging speed in tokens/s on one core
(preprocessing, gazetteer and model together; set OMP_NUM_THREADS=1 for a one-core figure).
The test file is only ever scored here: nothing is tuned on it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from marsad.extract import lstm
from marsad.extract.entities import CLUSTERS, MODEL, crf_tagger, entity_scores, read_conll, tagger
from marsad.resources import manifest

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/anercorp/ANERCorp_CamelLab_test.txt"


def main() -> int:
    args = sys.argv[1:]
    use_crf = args[:2] == ["--model", "crf"]
    if args[:1] == ["--model"]:
        if args[1:2] not in (["crf"], ["lstm"]):
            print("eval: error: --model takes crf or lstm", file=sys.stderr)
            return 2
        args = args[2:]
    path = Path(args[0]) if args else DEFAULT
    try:
        sents = read_conll(path)
    except (OSError, ValueError) as exc:
        print(f"eval: error: {path}: {exc}", file=sys.stderr)
        return 1
    t = crf_tagger() if use_crf else tagger()
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
    if use_crf:
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
    files = (MODEL, CLUSTERS) if use_crf else (lstm.MODEL,)
    size = sum(m[k]["bytes"] for k in files if k in m)
    speed = (f"{tokens / timed[0]:,.0f} tokens/s with every word new, {tokens / timed[1]:,.0f} with the "
             "words cached")
    if use_crf:
        speed += f" (crfsuite's own tagger: {tokens / ref_secs:,.0f}; tags that differ from it: {differ})"
    print(f"model {size / 1e6:.1f} MB ({' + '.join(files)}), trained in "
          f"{sum(m[k].get('train_seconds', 0) for k in files if k in m):.0f} s; {speed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
