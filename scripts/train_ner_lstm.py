"""Train marsad's neural NER tagger (BiLSTM-CRF) on the ANERcorp train split and ship it in the package.

    make train-ner                                      # .venv-train (torch, gensim), then the line below
    .venv-train/bin/python scripts/train_ner_lstm.py           # word vectors, then the model on all of train
    .venv-train/bin/python scripts/train_ner_lstm.py --dev     # train on the first 90%, score the last 10%
    .venv-train/bin/python scripts/train_ner_lstm.py --vectors-only

Training needs torch and gensim (`requirements-train.txt`); running the model needs numpy only
(`marsad.extract.lstm`). Only `ANERCorp_CamelLab_train.txt` is read; the dev slice is the last 10% of
its sentences (the split is sequential) and the test file is scored only by `eval/ner.py`.

1. Word vectors from the unlabelled SaudiNewsNet text (tokenized and normalized as the tagger does):
   PPMI over left/right neighbours reduced to 100 dimensions by truncated SVD (the recipe of the CRF's
   word clusters), and skip-gram word2vec (gensim, 100 dimensions, one worker, fixed seed). The 80,000
   most frequent words keep both, each unit length, concatenated and stored as int8 with a scale per row
   (the model trains on exactly those values). Cached under `build/ner-vectors/` (not shipped: only
   the table inside the model is).
2. The model: each word's vector and its clitic-free form's, a char-CNN (24-d characters, 64 width-3
   filters, max-pooled), the discrete clues of `lstm.word_info` and the gazetteer tag; dropout 0.5,
   word dropout 0.1; a BiLSTM of 100 per direction and a CRF. Adam, lr 3e-3 decaying linearly to 10%
   over 25 epochs, batch 32, gradient clip 5; one torch thread, deterministic algorithms, fixed seeds:
   one command, the same bytes. Settings picked on the dev slice (eval/README.md, NER section).
The model (`resources/ner_lstm.npz`) and its sha256, size, training time and parameters go to
`resources/MANIFEST.json`.
"""
# ruff: noqa: E402  (the thread settings must come before numpy is imported)

from __future__ import annotations

import os

# one thread everywhere: BLAS sums in another order with more threads, and the bytes would differ
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from marsad.extract.entities import entity_scores, known_names, read_conll, tokenize_ner
from marsad.extract.gazetteer import FILES as GAZETTEER_FILES
from marsad.extract.lstm import GAZ, MAXC, MODEL, NFLAGS, SHAPES, TAGS, gazetteer_ids, pack, word_info
from marsad.resources import manifest, record_artifact
from marsad.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt"
NEWS = ROOT.parent / "shared" / "data" / "saudinewsnet"
CACHE = ROOT / "build" / "ner-vectors"
DEV_SHARE = 0.1
# word vectors
VOCAB, CONTEXTS, MIN_COUNT, DIMS, TOP = 100_000, 5_000, 3, 100, 80_000
# the model
P = dict(hidden=100, char=64, cemb=24, drop=0.5, wdrop=0.1, epochs=25, lr=3e-3, batch=32, seed=1, clip=5.0)


def news_docs() -> list[list[str]]:
    """SaudiNewsNet titles and texts as lists of match forms (strings shared, to keep memory small)."""
    from train_ner import news_texts  # scripts/, beside this one

    pool: dict[str, str] = {}
    docs = []
    for text in news_texts():
        toks = (normalize(text[a:b]).replace(" ", "_") for a, b in tokenize_ner(text))
        docs.append([pool.setdefault(t, t) for t in toks if t.strip()])
    return docs


def ppmi_vectors(docs: list[list[str]]) -> tuple[list[str], np.ndarray]:
    """PPMI over the words seen just left and right (the most frequent CONTEXTS words), SVD to DIMS
    (the recipe of the CRF's word clusters, `train_ner.ppmi_svd`)."""
    from train_ner import ppmi_svd  # scripts/, beside this one

    vocab, vecs = ppmi_svd(docs, VOCAB, MIN_COUNT, CONTEXTS, DIMS)
    return vocab, vecs.astype(np.float32)


def w2v_vectors(docs: list[list[str]]) -> tuple[list[str], np.ndarray]:
    """Skip-gram word2vec, one worker and a fixed seed (deterministic)."""
    from gensim.models import Word2Vec

    m = Word2Vec(docs, vector_size=DIMS, window=5, min_count=MIN_COUNT, sg=1, negative=5, epochs=5,
                 workers=1, seed=1, sample=1e-4)
    return list(m.wv.index_to_key), m.wv.vectors.astype(np.float32)


def vectors() -> tuple[list[str], np.ndarray, np.ndarray]:
    """The int8 table: TOP words (PPMI's order), PPMI and word2vec parts each unit length; rows 0 and 1
    (none, unknown) zero. Returns (words, int8 rows, per-row scales)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    parts = {}
    docs = None
    for name, build in (("ppmi", ppmi_vectors), ("w2v", w2v_vectors)):
        path = CACHE / f"{name}{DIMS}.npz"
        if not path.exists():
            if docs is None:
                t0 = time.perf_counter()
                docs = news_docs()
                print(f"news: {len(docs)} documents, {sum(map(len, docs))} tokens "
                      f"({time.perf_counter() - t0:.0f} s)", flush=True)
            t0 = time.perf_counter()
            words, vecs = build(docs)
            np.savez(path, words=np.array(words), vecs=vecs)
            print(f"{name}: {len(words)} words ({time.perf_counter() - t0:.0f} s)", flush=True)
        with np.load(path) as d:
            parts[name] = (d["words"].tolist(), d["vecs"])
    words = parts["ppmi"][0][:TOP]
    cols = []
    for name in ("ppmi", "w2v"):
        have, vecs = parts[name]
        idx = {w: i for i, w in enumerate(have)}
        v = np.zeros((len(words), vecs.shape[1]), np.float32)
        pairs = [(k, idx[w]) for k, w in enumerate(words) if w in idx]
        v[[k for k, _ in pairs]] = vecs[[j for _, j in pairs]]
        cols.append(v / (np.linalg.norm(v, axis=1, keepdims=True) + 1e-8))
    v = np.concatenate(cols, axis=1)
    scale = np.abs(v).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    q = np.vstack([np.zeros((2, v.shape[1]), np.int8), np.round(v / scale).astype(np.int8)])
    scale = np.vstack([np.ones((2, 1), np.float32), scale.astype(np.float32)])
    return words, q, scale


def train(sents, dev, words, q, scale):
    """Train the model on `sents` ((words, tags) pairs); score `dev` after each epoch if given.
    Returns (the arrays the tagger loads, training seconds, dev scores of the last epoch or None)."""
    import torch
    from torch import nn

    torch.set_num_threads(1)
    random.seed(P["seed"])
    np.random.seed(P["seed"])
    torch.manual_seed(P["seed"])
    torch.use_deterministic_algorithms(True)
    index = {w: i + 2 for i, w in enumerate(words)}
    emb = q.astype(np.float32) * scale
    chars = sorted({c for ws, _ in sents for w in ws for c in word_info(w)[0]})
    cindex = {c: i + 4 for i, c in enumerate(chars)}  # 0 padding, 1 unknown, 2 begin, 3 end
    tix = {t: i for i, t in enumerate(TAGS)}

    def encode(ws):
        info = [word_info(w) for w in ws]
        gaz = gazetteer_ids(len(ws), known_names(ws, [x[0] for x in info]))
        wid = np.array([index.get(n, index.get(b, 1) if b else 1) for n, b, _, _ in info], np.int64)
        bid = np.array([index.get(b, 1) if b else 0 for _, b, _, _ in info], np.int64)
        ch = np.zeros((len(ws), MAXC + 2), np.int64)
        for i, (n, *_) in enumerate(info):
            cs = [2, *(cindex.get(c, 1) for c in n[:MAXC]), 3]
            ch[i, : len(cs)] = cs
        shp = np.array([x[2] for x in info], np.int64)
        fl = np.array([x[3] for x in info], np.float32).reshape(len(ws), NFLAGS)
        return wid, bid, ch, shp, np.array(gaz, np.int64), fl

    def prep(data):
        return [(encode(ws), np.array([tix[t] for t in ts], np.int64)) for ws, ts in data]

    tr, dv = prep(sents), prep(dev or [])

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=True, padding_idx=0)
            self.cemb = nn.Embedding(len(cindex) + 4, P["cemb"], padding_idx=0)
            self.conv = nn.Conv1d(P["cemb"], P["char"], 3, padding=1)
            self.semb = nn.Embedding(len(SHAPES), 4)
            self.gemb = nn.Embedding(len(GAZ), 8)
            d = 2 * emb.shape[1] + P["char"] + 4 + 8 + NFLAGS
            self.drop = nn.Dropout(P["drop"])
            self.lstm = nn.LSTM(d, P["hidden"], batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * P["hidden"], len(TAGS))
            k = len(TAGS)
            self.trans = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))
            self.end = nn.Parameter(torch.zeros(k))

        def emissions(self, wid, bid, ch, shp, gaz, fl, lens):
            uniq, inv = ch  # the batch's distinct char rows, and each token's row
            c = torch.relu(self.conv(self.cemb(uniq).transpose(1, 2)))
            c = c.masked_fill((uniq == 0)[:, None, :], 0.0)  # after ReLU, 0 never wins the max
            x = torch.cat([self.emb(wid), self.emb(bid), c.max(dim=2).values[inv], self.semb(shp),
                           self.gemb(gaz), fl], -1)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

        def nll(self, em, tags, mask):
            mf = mask.float()
            s = self.start[tags[:, 0]] + (em.gather(2, tags[:, :, None]).squeeze(2) * mf).sum(1)
            s = s + (self.trans[tags[:, :-1], tags[:, 1:]] * mf[:, 1:]).sum(1)
            s = s + self.end[tags.gather(1, (mask.sum(1) - 1)[:, None]).squeeze(1)]
            a = self.start[None] + em[:, 0]
            for t in range(1, em.shape[1]):
                na = torch.logsumexp(a[:, :, None] + self.trans[None] + em[:, t, None, :], dim=1)
                a = torch.where(mask[:, t, None], na, a)
            return (torch.logsumexp(a + self.end[None], dim=1) - s).sum()

    def batchify(items):
        lens = [len(t) for _, t in items]
        width, count = max(lens), len(items)
        out = [np.zeros((count, width), np.int64), np.zeros((count, width), np.int64),
               np.zeros((count, width, MAXC + 2), np.int64), np.zeros((count, width), np.int64),
               np.zeros((count, width), np.int64), np.zeros((count, width, NFLAGS), np.float32)]
        tags = np.zeros((count, width), np.int64)
        mask = np.zeros((count, width), bool)
        for b, (x, t) in enumerate(items):
            for o, v in zip(out, x, strict=True):
                o[b, : len(t)] = v
            tags[b, : len(t)] = t
            mask[b, : len(t)] = True
        uniq, inv = np.unique(out[2].reshape(count * width, -1), axis=0, return_inverse=True)
        ts = [torch.from_numpy(o) for o in out]
        ts[2] = (torch.from_numpy(uniq), torch.from_numpy(inv.reshape(count, width)))
        return ts, torch.from_numpy(tags), torch.from_numpy(mask), torch.tensor(lens)

    def predict(model, data):
        from marsad.extract.lstm import viterbi

        model.eval()
        out = []
        tr_, st, en = (p.detach().numpy().astype(np.float64) for p in (model.trans, model.start, model.end))
        with torch.no_grad():
            for i in range(0, len(data), 64):
                items = data[i : i + 64]
                x, _, _, lens = batchify(items)
                em = model.emissions(*x, lens).numpy().astype(np.float64)
                flat = np.concatenate([em[b, : len(t)] for b, (_, t) in enumerate(items)])
                for p in viterbi(flat, np.array([len(t) for _, t in items]), tr_, st, en):
                    out.append([TAGS[k] for k in p])
        model.train()
        return out

    model = Tagger()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=P["lr"])
    rng = random.Random(P["seed"])
    t0 = time.perf_counter()
    scores = None
    for ep in range(1, P["epochs"] + 1):
        for group in opt.param_groups:
            group["lr"] = P["lr"] * (1 - 0.9 * (ep - 1) / max(1, P["epochs"] - 1))
        order = list(range(len(tr)))
        rng.shuffle(order)
        # batches of similar length (sorted within chunks of 20 batches), in random order
        step = P["batch"] * 20
        chunks = [sorted(order[i : i + step], key=lambda j: len(tr[j][1]))
                  for i in range(0, len(order), step)]
        batches = [c[i : i + P["batch"]] for c in chunks for i in range(0, len(c), P["batch"])]
        rng.shuffle(batches)
        total = 0.0
        for ids in batches:
            items = [tr[j] for j in ids]
            x, tags, mask, lens = batchify(items)
            drop = (torch.rand(x[0].shape) < P["wdrop"]) & mask
            x[0] = x[0].masked_fill(drop, 1)
            x[1] = x[1].masked_fill(drop & (x[1] > 0), 1)
            loss = model.nll(model.emissions(*x, lens), tags, mask)
            opt.zero_grad()
            (loss / len(items)).backward()
            nn.utils.clip_grad_norm_(model.parameters(), P["clip"])
            opt.step()
            total += loss.item()
        msg = f"epoch {ep} loss {total / len(tr):.3f} {time.perf_counter() - t0:.0f} s"
        if dev:
            scores = entity_scores([t for _, t in dev], predict(model, dv))
            m = scores["micro"]
            msg += (f" | dev P {m['p'] * 100:.1f} R {m['r'] * 100:.1f} F1 {m['f1'] * 100:.2f} | "
                    + " ".join(f"{k} {scores[k]['f1'] * 100:.1f}" for k in ("PER", "ORG", "LOC", "MISC")))
        print(msg, flush=True)
    secs = time.perf_counter() - t0
    arrays = {k: v.detach().numpy() for k, v in model.state_dict().items() if k != "emb.weight"}
    arrays.update(
        emb_q=q, emb_scale=scale,
        words=np.frombuffer("\n".join(words).encode("utf-8"), np.uint8),
        chars=np.frombuffer("".join(chars).encode("utf-8"), np.uint8),
        config=np.frombuffer(json.dumps(P, sort_keys=True).encode("utf-8"), np.uint8),
    )
    return arrays, secs, scores


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", action="store_true", help="train on 90%% of train and score the other 10%%")
    ap.add_argument("--vectors-only", action="store_true", help="build the word vectors only")
    ap.add_argument("--out", type=Path, help="with --dev: also write the model here")
    args = ap.parse_args()
    if not TRAIN.exists():
        print(f"train_ner_lstm: error: {TRAIN}: not found", file=sys.stderr)
        return 1
    words, q, scale = vectors()
    if args.vectors_only:
        return 0
    sents = read_conll(TRAIN)
    if args.dev:
        cut = int(len(sents) * (1 - DEV_SHARE))
        arrays, secs, _ = train(sents[:cut], sents[cut:], words, q, scale)
        if args.out:
            args.out.write_bytes(pack(arrays))
        return 0
    arrays, secs, _ = train(sents, None, words, q, scale)
    data = pack(arrays)
    shipped = manifest()
    record_artifact(MODEL, data, "scripts/train_ner_lstm.py",
                    source=f"ANERcorp CAMeL Lab train split ({len(sents)} sentences, "
                           f"{sum(len(w) for w, _ in sents)} tokens; CC BY-SA 4.0); word vectors from "
                           f"SaudiNewsNet ({len(list(NEWS.glob('*.zip')))} day files; the {TOP} most "
                           "frequent words and their vectors, no text)",
                    params=P, train_seconds=round(secs, 1),
                    inputs={name: shipped[name]["sha256"] for name in GAZETTEER_FILES if name in shipped})
    print(f"wrote {MODEL} ({len(data) / 1e6:.2f} MB, trained in {secs:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
