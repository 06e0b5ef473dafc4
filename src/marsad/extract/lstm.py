"""marsad's neural NER tagger: a BiLSTM-CRF run in numpy (trained in torch by `scripts/train_ner_lstm.py`).

The feature CRF (`entities.NerTagger`) misses most names it never saw in ANERcorp. This model reads
each word through vectors learned from 9.7 M words of unlabelled news (PPMI+SVD and word2vec, both of
the word and of its clitic-free form), a character CNN over its match form, and the CRF's discrete
clues (the gazetteer's B-LOC/I-ORG … tag, title and trigger words, shape, clitic and nisba flags); a
bidirectional LSTM reads the sentence and a CRF layer picks the tags. Running it needs numpy only.

`word_info` and `gazetteer_ids` are the one definition of the model's inputs, shared with training.
The part of the LSTM's input projection that depends on the word alone is computed once per distinct
word and cached (news repeats its words); the recurrence runs over all sentences of a call at once.
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Sequence

import numpy as np

from marsad.extract.entities import (
    WordCache,
    _gazetteer_tags,
    _shape,
    nonempty,
    word_clues,
)
from marsad.extract.gazetteer import unclitic
from marsad.text.normalize import normalize
from marsad.text.tokens import stem

__all__ = ["GAZ", "MODEL", "NFLAGS", "SHAPES", "TAGS", "LstmTagger", "gazetteer_ids", "pack", "unpack",
           "word_info"]

MODEL = "ner_lstm.npz"
# Output tags in the model's order (ANERcorp's names; PERS is reported as PER).
TAGS = ("O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
GAZ = ("-", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
SHAPES = ("arabic", "latin", "digit", "punct", "mixed")
# per-word flags (`entities.word_clues`), in the model's input order: title/person, organisation and place
# trigger words; ال, clitic+ال, a leading clitic; feminine and masculine nisba endings; a clitic-free form
_FLAGS = ("perw", "orgw", "locw", "al", "clitic+al", "clitic?", "nisba_f", "nisba", "bare")
NFLAGS = len(_FLAGS)
# characters of a match form the char-CNN reads
MAXC = 20
_OUT = tuple(t if t == "O" else t[:2] + ("PER" if t.endswith("PERS") else t[2:]) for t in TAGS)


@functools.lru_cache(maxsize=1 << 18)
def word_info(w: str) -> tuple[str, str, int, tuple[int, ...]]:
    """(match form, clitic-free form or "", shape number, flags) of one word: what the model reads of
    it besides its context."""
    n = normalize(w)
    article, triggers, nisba = word_clues(n, stem(n))
    u = unclitic(n)
    bare = u[-1] if len(u) > 1 else ""
    on = {*triggers, article, nisba, "bare" if bare else None}
    return n, bare, SHAPES.index(_shape(w)), tuple(int(flag in on) for flag in _FLAGS)


_GAZ_INDEX = {f"gaz={t}": k for k, t in enumerate(GAZ)}


def gazetteer_ids(n: int, known: tuple) -> list[int]:
    """Each of a sentence's `n` words' gazetteer tag as a number (0: in no known name), from its
    `entities.known_names`."""
    return [0 if g is None else _GAZ_INDEX[g[0]] for g in _gazetteer_tags(n, known)]


def pack(arrays: dict[str, np.ndarray]) -> bytes:
    """The model file's bytes: an .npz with fixed timestamps, so the same weights give the same sha256."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            raw = io.BytesIO()
            np.save(raw, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, raw.getvalue())
    return buf.getvalue()


def unpack(data: bytes) -> dict[str, np.ndarray]:
    """The arrays of a model file written by `pack`."""
    with np.load(io.BytesIO(data), allow_pickle=False) as d:
        return {k: d[k] for k in d.files}


class LstmTagger(WordCache):
    """The shipped BiLSTM-CRF (sha256 checked against the manifest), in numpy, float32.

    Same calls as `entities.NerTagger` (`tag`, `tag_many`, `match_forms`, and the word cache,
    `entities.WordCache`, holding the word-only part of each word's LSTM input).
    """

    # distinct words whose input projections are cached (8 x hidden float32 each: 3.2 KB at hidden 100,
    # 210 MB when full; a day of news has some 60,000 distinct words, which `entities.warm` scores before
    # a batch is forked over workers)
    _WORD_CACHE = 1 << 16

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        f32 = np.float32
        cfg = json.loads(arrays["config"].tobytes().decode("utf-8"))
        self.hidden = h = int(cfg["hidden"])
        words = arrays["words"].tobytes().decode("utf-8").split("\n")
        self._index = {w: i + 2 for i, w in enumerate(words)}  # rows 0 (none) and 1 (unknown) are zeros
        self._q = arrays["emb_q"]  # int8, scaled per row when a word is first met (`score_words`)
        self._scale = arrays["emb_scale"].astype(f32)
        chars = arrays["chars"].tobytes().decode("utf-8")
        self._chars = {c: i + 4 for i, c in enumerate(chars)}  # 0 padding, 1 unknown, 2 begin, 3 end
        self._cemb = arrays["cemb.weight"].astype(f32)
        conv = arrays["conv.weight"].astype(f32)  # (filters, char dims, 3)
        self._conv = conv.transpose(2, 1, 0).reshape(-1, conv.shape[0])
        self._convb = arrays["conv.bias"].astype(f32)
        w_in = np.concatenate([arrays["lstm.weight_ih_l0"].T, arrays["lstm.weight_ih_l0_reverse"].T], axis=1)
        # the recurrent weights of each direction; both directions advance together, step by step
        self._whh = [np.ascontiguousarray(arrays[k].T, dtype=f32)
                     for k in ("lstm.weight_hh_l0", "lstm.weight_hh_l0_reverse")]
        # one tanh gives every gate: sigmoid(x) = (tanh(x / 2) + 1) / 2 for the input, forget and output gates
        self._gate_scale = np.concatenate([np.full(2 * h, 0.5), np.ones(h), np.full(h, 0.5)]).astype(f32)
        self._bias = np.concatenate([arrays["lstm.bias_ih_l0"] + arrays["lstm.bias_hh_l0"],
                                     arrays["lstm.bias_ih_l0_reverse"] + arrays["lstm.bias_hh_l0_reverse"]])
        self._bias = self._bias.astype(f32)
        self._wout = arrays["out.weight"].T.astype(f32)
        self._bout = arrays["out.bias"].astype(f32)
        self._trans = arrays["trans"].astype(np.float64)
        self._start = arrays["start"].astype(np.float64)
        self._end = arrays["end"].astype(np.float64)
        # the LSTM input is [word vector, clitic-free vector, char-CNN, shape, gazetteer tag, flags]: all
        # but the gazetteer tag depend on the word alone (`score_words`); the tag is a 9-row table
        d = self._q.shape[1]
        nf = self._conv.shape[1]
        rows = list(range(2 * d + nf + 4))
        gaz = list(range(len(rows), len(rows) + 8))
        rows += list(range(gaz[-1] + 1, gaz[-1] + 1 + NFLAGS))
        if rows[-1] + 1 != w_in.shape[0]:
            raise ValueError(f"{MODEL}: LSTM input of {w_in.shape[0]} values, expected {rows[-1] + 1}")
        self._w_word = np.ascontiguousarray(w_in[rows]).astype(f32)
        self._shape_emb = arrays["semb.weight"].astype(f32)
        self._gaz_table = (arrays["gemb.weight"] @ w_in[gaz]).astype(f32)
        self._rows: dict[str, tuple[int, str]] = {}
        self._table = np.zeros((1024, 8 * h), f32)
        self.labels = _OUT

    def rank(self, word: str) -> int | None:
        """How common a match-form word is in the news the vectors were learned from (1 = the commonest;
        None = not among the 80,000 commonest)."""
        i = self._index.get(word)
        return None if i is None else i - 1

    @classmethod
    def load(cls, data: bytes | None = None) -> LstmTagger:
        from marsad.resources import load_artifact

        return cls(unpack(data if data is not None else load_artifact(MODEL)))

    # --- the per-word part, cached ------------------------------------------------------------------

    def _char_vectors(self, norms: Sequence[str]) -> np.ndarray:
        """The char-CNN's max-pooled vector of each match form (width-3 convolution with zero padding,
        ReLU, max over <begin> chars <end>)."""
        ids = np.zeros((len(norms), MAXC + 4), np.int64)  # one padding position each side
        lens = np.zeros(len(norms), np.int64)
        get = self._chars.get
        for i, n in enumerate(norms):
            cs = [2, *(get(ch, 1) for ch in n[:MAXC]), 3]
            ids[i, 1 : 1 + len(cs)] = cs
            lens[i] = len(cs)
        e = self._cemb[ids]
        count, width, dims = e.shape
        win = np.concatenate([e[:, : width - 2], e[:, 1 : width - 1], e[:, 2:]], axis=2)
        h = np.maximum(win.reshape(-1, 3 * dims) @ self._conv + self._convb, 0).reshape(count, width - 2, -1)
        valid = np.arange(width - 2)[None, :] < lens[:, None]
        return np.where(valid[:, :, None], h, 0).max(axis=1)

    def score_words(self, words: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """Each word's match form and the word-only part of its LSTM input projection (not cached)."""
        index = self._index
        wid, bid, shapes, flags, norms = [], [], [], [], []
        for w in words:
            n, bare, shape, fl = word_info(w)
            wid.append(index.get(n, index.get(bare, 1) if bare else 1))
            bid.append(index.get(bare, 1) if bare else 0)
            shapes.append(shape)
            flags.append(fl)
            norms.append(n)
        if not words:
            return norms, np.zeros((0, self._table.shape[1]), np.float32)
        wid_, bid_ = np.array(wid), np.array(bid)
        x = np.concatenate([
            self._q[wid_] * self._scale[wid_], self._q[bid_] * self._scale[bid_], self._char_vectors(norms),
            self._shape_emb[np.array(shapes)], np.array(flags, np.float32).reshape(-1, NFLAGS),
        ], axis=1)
        return norms, x @ self._w_word

    # --- sentences ------------------------------------------------------------------------------------

    def emissions(self, sentences: Sequence[Sequence[str]], known: Sequence[tuple]) -> np.ndarray:
        """Each word's score for each tag (rows: the words of all sentences in order; columns: `TAGS`)."""
        flat = [w for s in sentences for w in s]
        self._fill(flat)
        rows = self._rows
        ids = np.fromiter((rows[w][0] for w in flat), np.int64, count=len(flat))
        gaz = np.array([g for s, kn in zip(sentences, known, strict=True) for g in gazetteer_ids(len(s), kn)],
                       np.int64)
        h = self.hidden
        lens = np.fromiter(map(len, sentences), np.int64, count=len(sentences))
        starts = np.cumsum(lens) - lens
        order = np.argsort(-lens, kind="stable")  # longest first: the sentences alive at step t are a prefix
        steps = int(lens.max())
        alive = (lens[order][None, :] > np.arange(steps)[:, None]).sum(axis=1).tolist()
        pos = np.arange(steps)[:, None]
        ln = lens[order][None, :]
        inside = pos < ln
        fwd = np.where(inside, starts[order][None, :] + pos, -1)
        bwd = np.where(inside, starts[order][None, :] + ln - 1 - pos, -1)
        count = len(sentences)
        # step t reads, for the sentences still running, word t (forward) and word len - 1 - t (backward)
        hh = np.zeros((2, count, h), np.float32)
        cc = np.zeros((2, count, h), np.float32)
        (w_fwd, w_bwd), scale = self._whh, self._gate_scale
        g = np.empty((2, count, 4 * h), np.float32)
        x = np.empty((2, count, 4 * h), np.float32)
        out = np.zeros((len(flat), 2 * h), np.float32)
        table, gaz_table = self._table, self._gaz_table
        bias = self._bias.reshape(2, 1, 4 * h)
        for t in range(steps):
            m = alive[t]
            rf, rb = fwd[t, :m], bwd[t, :m]
            np.matmul(hh[0, :m], w_fwd, out=g[0, :m])  # contiguous blocks: one BLAS call each
            np.matmul(hh[1, :m], w_bwd, out=g[1, :m])
            # the input projection of this step's words, gathered here rather than for every word of the
            # call up front (a (words, 8 x hidden) array of some 35 MB per 32 articles, slower to fill)
            xm = x[:, :m]
            xm[0] = table[ids[rf], : 4 * h]
            xm[1] = table[ids[rb], 4 * h :]
            xm += bias
            xm[0] += gaz_table[gaz[rf], : 4 * h]
            xm[1] += gaz_table[gaz[rb], 4 * h :]
            gm = g[:, :m]
            gm += xm
            gm *= scale
            np.tanh(gm, out=gm)
            # in place, into buffers whose values are used up: gm's gate columns once `gate` holds them
            gate = np.add(gm, 1, out=xm)
            gate *= 0.5  # input, forget and output gates where scaled by 1/2
            cm = cc[:, :m]
            cm *= gate[..., h : 2 * h]
            cm += np.multiply(gate[..., :h], gm[..., 2 * h : 3 * h], out=gm[..., :h])
            np.multiply(gate[..., 3 * h :], np.tanh(cm, out=gm[..., h : 2 * h]), out=hh[:, :m])
            out[rf, :h] = hh[0, :m]
            out[rb, h:] = hh[1, :m]
        return (out @ self._wout + self._bout).astype(np.float64)

    def tag_many(
        self, sentences: Sequence[Sequence[str]], known: Sequence[tuple] | None = None
    ) -> list[list[str]]:
        """BIO tags (PER/ORG/LOC/MISC) of each sentence's words, all sentences in one pass.
        `known`: each sentence's `entities.known_names`, where the caller has them already."""
        out: list[list[str]] = [[] for _ in sentences]
        live, sents, kn = nonempty(sentences, known, self.match_forms)
        if not live:
            return out
        lens = np.fromiter(map(len, sents), np.int64, count=len(sents))
        paths = viterbi(self.emissions(sents, kn), lens, self._trans, self._start, self._end)
        names = self.labels
        for i, p in zip(live, paths, strict=True):
            out[i] = [names[k] for k in p]
        return out

    def tag(self, words: Sequence[str]) -> list[str]:
        """BIO tags (PER/ORG/LOC/MISC) of one sentence's words."""
        return self.tag_many([words])[0]


def viterbi(em: np.ndarray, lens: np.ndarray, trans: np.ndarray, start: np.ndarray,
            end: np.ndarray) -> list[list[int]]:
    """Best tag path of each sentence: `em` holds the (tokens, tags) scores of all sentences in order,
    `lens` their lengths; all sentences advance together, longest first."""
    count = len(lens)
    steps = int(lens.max())
    starts = np.cumsum(lens) - lens
    order = np.argsort(-lens, kind="stable")
    sl = lens[order]
    alive = (sl[None, :] > np.arange(steps)[:, None]).sum(axis=1).tolist()
    score = start + em[starts[order]]
    back = np.zeros((steps, count, len(start)), np.int64)
    final = np.zeros((count, len(start)))
    for t in range(1, steps):
        m = alive[t]
        final[m : alive[t - 1]] = score[m : alive[t - 1]] + end  # sentences whose last word was t - 1
        cand = score[:m, :, None] + trans[None]
        back[t, :m] = cand.argmax(1)
        score[:m] = cand.max(1) + em[starts[order[:m]] + t]
    final[: alive[steps - 1]] = score[: alive[steps - 1]] + end
    k = final.argmax(1)
    paths = np.zeros((count, steps), np.int64)
    paths[np.arange(count), sl - 1] = k
    for t in range(steps - 1, 0, -1):
        m = alive[t]
        paths[np.arange(m), t - 1] = back[t, np.arange(m), paths[np.arange(m), t]]
    out: list[list[int]] = [[] for _ in range(count)]
    for r, s in enumerate(order.tolist()):
        out[s] = paths[r, : lens[s]].tolist()
    return out
