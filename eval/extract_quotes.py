"""Quotes scored on the hand-annotated dev set (prints numbers).

    .venv/bin/python eval/extract_quotes.py [--show N] [--dev2]

Reads the `quote` rows of `eval/data/extract-dev.jsonl` (see `extract-dev.md`), re-reads their articles
through marsad as `eval/extract.py` does (articles not found, or whose cleaned text changed, are
skipped and counted), runs `extract.quotes.find_quotes` with the NER mentions linked by
`extract.aliases.resolve` (as the pipeline will), and prints:

- span precision, recall and F1: a predicted content span matches a gold one when they overlap (one
  to one, largest overlap first, `extract.match`); also exact-span F1;
- over the matched quotes: `direct` accuracy;
- over the matched quotes whose gold has a speaker: speaker accuracy, the number left empty and the
  number given a WRONG speaker. A predicted speaker is right when (1) its span overlaps the gold
  speaker span, or (2) its words (match form, edge quotes and leading و/ف/ب/ل clitics and titles
  dropped, `aliases.surface`) contain the gold speaker's words as a run (`وزير الخارجية ناصر بوريطة`
  for `ناصر بوريطة`), or (3) both resolve to one entity when the article's mentions, the predicted
  speaker and the gold speaker are merged by `aliases.resolve` (`بوريطة` for `ناصر بوريطة`). Gold
  speaker offsets point at the nearest mention of the speaker, which may lie after the quote, so (2)
  and (3) carry most of the weight;
- milliseconds per article for `find_quotes` alone (mentions given).

`score(rows, arts, show)` prints the same lines for rows and articles loaded by the caller.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import DEV2, GOLD, load_articles, match, prf, usable_rows

from marsad.extract import aliases
from marsad.extract.entities import find_mentions
from marsad.extract.quotes import Quote, find_quotes
from marsad.model import Article, Mention, Span
from marsad.settings import load
from marsad.text.normalize import normalize
from marsad.text.sentences import split_sentences


def _words(text: str) -> tuple[str, ...]:
    """Match-form words of a speaker string, edge quotes, titles and a leading clitic dropped."""
    out = []
    for w in normalize(aliases.surface(text)).split():
        w = w.strip("\"'«»()،,.:")
        if len(w) > 3 and w[0] in "وفبل" and (w[1:3] == "ال" or w[0] in "وف"):
            w = w[1:]
        if w:
            out.append(w)
    return tuple(out)


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    n = len(small)
    return n > 0 and any(big[i : i + n] == small for i in range(len(big) - n + 1))


def _linked(article: Article, mentions: list[Mention], settings) -> list[Mention]:
    """The article's mentions with entity ids, as the pipeline's `story_entities` links them."""
    pairs = aliases.parenthetical_mentions(article, mentions)
    _, linked = aliases.resolve(mentions, {article.id: article.text}, settings, pairs)
    return list(linked)


def _same_entity(article: Article, mentions: list[Mention], a: Span, b: Span, settings) -> bool:
    """Whether spans `a` and `b` name one entity once merged with the article's mentions."""
    extra = []
    for sp in (a, b):
        label = next((m.label for m in mentions if m.span.start < sp.end and sp.start < m.span.end), "PER")
        extra.append(Mention(article.id, sp, label, normalize(article.text[sp.start : sp.end])))
    _, linked = aliases.resolve([*mentions, *extra], {article.id: article.text}, settings)
    ids = {(m.span.start, m.span.end): m.entity_id for m in linked}
    ia, ib = ids.get((a.start, a.end)), ids.get((b.start, b.end))
    return ia is not None and ia == ib


def speaker_right(article: Article, mentions: list[Mention], q: Quote, g: dict, settings) -> bool:
    """The predicted speaker of `q` names the gold speaker of `g` (see the module docstring)."""
    if q.speaker is None or q.speaker_span is None:
        return False
    gs, ge = g["speaker_start"], g["speaker_end"]
    if q.speaker_span.start < ge and gs < q.speaker_span.end:
        return True
    if _contains(_words(q.speaker), _words(g["speaker"])):
        return True
    return _same_entity(article, mentions, q.speaker_span, Span(gs, ge), settings)


def score(rows: list[dict], arts: dict[str, Article], show: int = 0) -> None:
    """Print the quote figures for usable gold `rows` (all kinds; quotes are picked out) over `arts`."""
    settings = load()
    gold_by = defaultdict(list)
    for r in rows:
        if r["kind"] == "quote":
            gold_by[r["article"]].append(r)
    ids = sorted({r["article"] for r in rows})
    tp = exact = n_pred = n_gold = 0
    direct_ok = spk_n = spk_ok = spk_empty = spk_wrong = 0
    spent = 0.0
    lines: list[str] = []
    for aid in ids:
        art = arts[aid]
        ments = _linked(art, list(find_mentions(art, split_sentences(art, settings))), settings)
        t0 = time.perf_counter()
        pred = find_quotes(art, ments)
        spent += time.perf_counter() - t0
        gold = gold_by.get(aid, [])
        pairs = match([(g["start"], g["end"]) for g in gold], [(q.span.start, q.span.end) for q in pred])
        n_pred += len(pred)
        n_gold += len(gold)
        tp += len(pairs)
        text = art.text
        for gi, pi in pairs:
            g, q = gold[gi], pred[pi]
            exact += (g["start"], g["end"]) == (q.span.start, q.span.end)
            direct_ok += g["direct"] == q.direct
            if not g.get("speaker"):
                continue
            spk_n += 1
            if speaker_right(art, ments, q, g, settings):
                spk_ok += 1
                continue
            if q.speaker is None:
                spk_empty += 1
                kind = "empty"
            else:
                spk_wrong += 1
                kind = "WRONG"
            lines.append(f"  {kind:7} {aid[:12]}: gold {g['speaker']!r} got {q.speaker!r} "
                         f"(cue {q.cue!r}) {text[q.span.start:q.span.start + 50]!r}")
        for gi in sorted(set(range(len(gold))) - {g for g, _ in pairs}):
            g = gold[gi]
            lines.append(f"  missed  {aid[:12]}: {text[max(0, g['start'] - 40):g['start']]!r} "
                         f"[{text[g['start']:g['end']][:70]!r}] ({g['speaker']})")
        for pi in sorted(set(range(len(pred))) - {p for _, p in pairs}):
            q = pred[pi]
            lines.append(f"  extra   {aid[:12]}: {q.cue!r} {q.speaker!r} [{q.text[:70]!r}]")
    for line in lines[:show]:
        print(line)
    print(f"quotes: spans (overlap) {prf(tp, n_pred, n_gold)}; exact {prf(exact, n_pred, n_gold)}; "
          f"{n_gold} gold, {n_pred} found")
    if tp:
        print(f"quotes, of the {tp} matched: direct {direct_ok / tp:.3f}; "
              f"speaker {spk_ok / max(1, spk_n):.3f} of {spk_n} with a gold speaker "
              f"({spk_empty} empty, {spk_wrong} wrong)")
    print(f"quotes: {1000 * spent / max(1, len(ids)):.2f} ms/article for find_quotes "
          f"({len(ids)} articles, mentions given)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=0, metavar="N",
                    help="print N errors (wrong or empty speakers, misses, false alarms)")
    ap.add_argument("--dev2", action="store_true", help="score the second dev set (extract-dev2.jsonl)")
    args = ap.parse_args()
    settings = load()
    rows = [json.loads(line) for line in (DEV2 if args.dev2 else GOLD).open(encoding="utf-8")]
    arts = load_articles(rows, settings)

    usable = usable_rows(rows, arts)
    n_q = sum(r["kind"] == "quote" for r in usable)
    print(f"{n_q} quote annotations in {len({r['article'] for r in usable})} articles")
    score(usable, arts, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
