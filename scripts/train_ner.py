"""Train marsad's NER model (a CRF) on the ANERcorp train split and ship it in the package.

    .venv/bin/python scripts/train_ner.py              # word clusters, then the CRF on all of train
    .venv/bin/python scripts/train_ner.py --crf-only   # the CRF only, on the shipped clusters
    .venv/bin/python scripts/train_ner.py --dev        # train on the first 90% of train, score the last 10%
    .venv/bin/python scripts/train_ner.py --dev --grid # the same for a small grid of c1/c2

Only `ANERCorp_CamelLab_train.txt` is read. Settings are tuned on the dev slice, the last 10% of the train
sentences (the official split is sequential, so a sequential slice is held out the same way); the test
file is scored only by `eval/ner.py`. The features are `marsad.extract.entities.token_features`, the
same code the tagger runs; they include the shipped gazetteer's names (`extract.gazetteer`), so a change
to the gazetteer's tables or to its matching changes the features and the model must be retrained. L-BFGS
training is deterministic: one command, the same model. The model's sha256, size, training time and
parameters, and the sha256 of the tables its features read (clusters, gazetteer), go to
`resources/MANIFEST.json`.

First, word clusters are learned from the unlabelled SaudiNewsNet text (`--clusters-only` rebuilds just
them; `--dev` uses the shipped ones): each frequent word is described by the words seen just left and
right of it (positive PMI), reduced to 100 dimensions by truncated SVD and clustered by k-means at three
granularities. A name the CRF never saw in ANERcorp still shares a cluster with names it did see (its
neighbours in news are the same: titles, verbs of speech, "in", "from"). Written to
`resources/ner_clusters.tsv.gz` (word and three cluster numbers; no text).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pycrfsuite

from marsad.extract.entities import (
    CLUSTER_SIZES,
    CLUSTERS,
    MODEL,
    NerTagger,
    entity_scores,
    read_conll,
    token_features,
    tokenize_ner,
)
from marsad.extract.gazetteer import FILES as GAZETTEER_FILES
from marsad.resources import manifest, record_artifact
from marsad.settings import load
from marsad.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt"
OUT = ROOT / "src" / "marsad" / "resources" / MODEL
CLUSTERS_OUT = ROOT / "src" / "marsad" / "resources" / CLUSTERS
NEWS = ROOT.parent / "shared" / "data" / "saudinewsnet"
DEV_SHARE = 0.1
VOCAB, CONTEXTS, MIN_COUNT, DIMS = 80_000, 5_000, 5, 100


def build_clusters() -> bytes:
    """Word clusters from the SaudiNewsNet day files (see the module docstring); gzipped TSV bytes."""
    import gzip
    import io

    from sklearn.cluster import MiniBatchKMeans
    from sklearn.preprocessing import normalize as l2

    docs = [[normalize(text[a:b]) for a, b in tokenize_ner(text)] for text in news_texts()]
    freq = Counter(w for d in docs for w in d)
    vocab, vecs = ppmi_svd(docs, VOCAB, MIN_COUNT, CONTEXTS, DIMS)
    vecs = l2(vecs)
    labels = [MiniBatchKMeans(k, random_state=0, n_init=3, batch_size=4096).fit_predict(vecs)
              for k in CLUSTER_SIZES]
    lines = ["\t".join([w, *(str(int(lab[i])) for lab in labels)]) for i, w in enumerate(vocab)]
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"clusters: {len(docs)} documents, {sum(freq.values())} tokens, {len(vocab)} words", flush=True)
    return buf.getvalue()


def news_texts():
    """Title and text of every article of the SaudiNewsNet day files, in file order."""
    import zipfile

    for zp in sorted(NEWS.glob("*.zip")):
        with zipfile.ZipFile(zp) as z:
            for name in z.namelist():
                for rec in json.loads(z.read(name)):
                    yield f"{rec.get('title') or ''}\n{rec.get('content') or ''}"


def ppmi_svd(docs, vocab_size: int, min_count: int, contexts: int, dims: int):
    """Word vectors from token lists: each of the `vocab_size` most frequent words (seen `min_count`
    times or more) by the PPMI of the `contexts` most frequent words seen just left and just right of
    it, reduced to `dims` by truncated SVD (seeded). Returns (words, vectors)."""
    import numpy as np
    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD

    freq = Counter(w for d in docs for w in d)
    ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
    vocab = [w for w, c in ranked if c >= min_count][:vocab_size]
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols = [], []
    for d in docs:
        ids = [index.get(w, -1) for w in d]
        for k in range(len(ids) - 1):
            a, b = ids[k], ids[k + 1]
            if a >= 0 and 0 <= b < contexts:  # b seen right of a
                rows.append(a)
                cols.append(contexts + b)
            if b >= 0 and 0 <= a < contexts:  # a seen left of b
                rows.append(b)
                cols.append(a)
    m = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(vocab), 2 * contexts))
    m.sum_duplicates()
    total = m.sum()
    row = np.asarray(m.sum(axis=1)).ravel()
    col = np.asarray(m.sum(axis=0)).ravel()
    m = m.tocoo()
    pmi = np.log(m.data * total / (row[m.row] * col[m.col] + 1e-9))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    return vocab, TruncatedSVD(dims, random_state=0).fit_transform(ppmi)


def _record(path: Path, data: bytes, entry: dict) -> None:
    """Write an artifact and its manifest entry."""
    record_artifact(path.name, data, "scripts/train_ner.py", **entry)


def train(sents, c1: float, c2: float, iterations: int, min_freq: float) -> tuple[bytes, float]:
    """Train a CRF on (words, tags) sentences; the model's bytes and the training seconds."""
    t0 = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in sents:
        trainer.append(token_features(words), tags)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.minfreq": min_freq,
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.crfsuite"
        trainer.train(str(path))
        return path.read_bytes(), time.perf_counter() - t0


def score(model: bytes, sents) -> dict:
    tagger = NerTagger.load(model)
    t0 = time.perf_counter()
    pred = [tagger.tag(words) for words, _ in sents]
    secs = time.perf_counter() - t0
    out = entity_scores([t for _, t in sents], pred)
    out["tokens_per_s"] = sum(len(w) for w, _ in sents) / secs
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", action="store_true", help="train on 90%% of train and score the other 10%%")
    ap.add_argument("--grid", action="store_true", help="with --dev: try a small grid of c1/c2")
    ap.add_argument("--clusters-only", action="store_true", help="rebuild the word clusters only")
    ap.add_argument("--crf-only", action="store_true", help="train the CRF on the shipped word clusters")
    args = ap.parse_args()
    if not TRAIN.exists():
        print(f"train_ner: error: {TRAIN}: not found", file=sys.stderr)
        return 1
    cfg = load().ner
    sents = read_conll(TRAIN)
    if sum((args.dev, args.clusters_only, args.crf_only)) > 1:
        ap.error("--dev, --clusters-only and --crf-only do not go together")
    if args.dev:
        cut = int(len(sents) * (1 - DEV_SHARE))
        fit, dev = sents[:cut], sents[cut:]
        grid = [(cfg.c1, cfg.c2)]
        if args.grid:
            grid = [(c1, c2) for c1 in (0.05, 0.1, 0.2, 0.4) for c2 in (0.01, 0.05, 0.1)]
        for c1, c2 in grid:
            model, secs = train(fit, c1, c2, cfg.max_iterations, cfg.min_freq)
            s = score(model, dev)
            per = " ".join(f"{k} {s[k]['f1'] * 100:.1f}" for k in ("PER", "ORG", "LOC", "MISC") if k in s)
            m = s["micro"]
            print(f"c1 {c1:<5} c2 {c2:<5} dev micro P {m['p'] * 100:.1f} R {m['r'] * 100:.1f} "
                  f"F1 {s['micro']['f1'] * 100:.1f} | {per} | {len(model) / 1e6:.1f} MB, {secs:.0f} s train, "
                  f"{s['tokens_per_s']:.0f} tokens/s", flush=True)
        return 0
    if not args.crf_only:
        t0 = time.perf_counter()
        data = build_clusters()
        _record(CLUSTERS_OUT, data, {
            "source": f"SaudiNewsNet {len(list(NEWS.glob('*.zip')))} day files: words and cluster numbers "
                      "only, no text",
            "train_seconds": round(time.perf_counter() - t0, 1),
        })
        from marsad.extract import entities

        entities.clusters.cache_clear()
        entities._word_features.cache_clear()
        took = time.perf_counter() - t0
        print(f"wrote {CLUSTERS_OUT} ({len(data) / 1e6:.2f} MB, {took:.0f} s)", flush=True)
        if args.clusters_only:
            return 0
    model, secs = train(sents, cfg.c1, cfg.c2, cfg.max_iterations, cfg.min_freq)
    shipped = manifest()
    _record(OUT, model, {
        "source": f"ANERcorp CAMeL Lab train split ({len(sents)} sentences, "
                  f"{sum(len(w) for w, _ in sents)} tokens); CC BY-SA 4.0",
        "params": {"c1": cfg.c1, "c2": cfg.c2, "max_iterations": cfg.max_iterations,
                   "min_freq": cfg.min_freq},
        "train_seconds": round(secs, 1),
        "inputs": {name: shipped[name]["sha256"] for name in (CLUSTERS, *GAZETTEER_FILES) if name in shipped},
    })
    print(f"wrote {OUT} ({len(model) / 1e6:.2f} MB, trained in {secs:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
