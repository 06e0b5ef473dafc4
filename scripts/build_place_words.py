"""Mine the names of small places (border posts, villages, quarters) from unlabelled news.

    .venv/bin/python scripts/build_place_words.py [DATA_DIR]

Reads every SaudiNewsNet day zip in DATA_DIR (default ../shared/data/saudinewsnet) and counts, for each
match-form word (`extract.entities.tokenize_ner`, `text.normalize`), how often it occurs and how often
right after a place trigger (`extract.entities.PLACE_TRIGGERS`: مركز, قطاع, قرية …, bare or after a
clitic). A word that follows a trigger at least `ner.place_after_min` times and in at least
`ner.place_after_share` of its occurrences is a place's name (المسيال after مركز, الطوال after قطاع);
common nouns follow triggers too, but are mostly elsewhere (مركز التدريب). Writes
`src/marsad/resources/place_words.tsv.gz`: word, occurrences after a trigger, occurrences. Only words
and counts are written, never article text; the sha256 is recorded in `resources/MANIFEST.json`.
Deterministic: same input, same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.errors import InputError  # noqa: E402
from marsad.extract.entities import after_place_trigger, tokenize_ner  # noqa: E402
from marsad.ingest import read_path  # noqa: E402
from marsad.resources import record_artifact  # noqa: E402
from marsad.settings import load  # noqa: E402
from marsad.text.normalize import normalize  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "saudinewsnet"
OUT = "place_words.tsv.gz"
# Mined words that are no places, found by reading the whole mined list (session 13): sectors after قطاع,
# what a centre serves after مركز, first names, and words with a clitic on them.
_NOT_PLACES_TEXT = """البتروكيماويات المقاولات الإنشاءات إيداع إيعات أشواق إكرام النقاهة يخسرها للنحل ومباشر
كالرياض وهجرة"""
NOT_PLACES = frozenset(normalize(w) for w in _NOT_PLACES_TEXT.split())


def _kept(word: str) -> bool:
    """A mined word that can be a place's name: letters only, three or more, not an adjective without
    the article (حدودي, ساحلية: قرية حدودية is no place's name), not a known non-place."""
    nisba = not word.startswith("ال") and word.endswith(("ي", "يه"))
    return word.isalpha() and len(word) >= 3 and not nisba and word not in NOT_PLACES


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT))
    args = ap.parse_args()
    data = Path(args.data)
    zips = sorted(data.glob("*.zip"))
    if not zips:
        print(f"build_place_words: error: {data}: no SaudiNewsNet day zips here", file=sys.stderr)
        return 1
    settings = load()
    share, least = float(settings.ner.place_after_share), int(settings.ner.place_after_min)
    total: Counter[str] = Counter()
    after: Counter[str] = Counter()
    n_docs = 0
    for z in zips:
        for item in read_path(z, settings):
            if isinstance(item, InputError):
                continue
            n_docs += 1
            text = normalize(item.title + "\n" + item.text)
            words = [text[a:b] for a, b in tokenize_ner(text)]
            total.update(words)
            after.update(w for prev, w in pairwise(words) if after_place_trigger(prev))
        print(f"{z.name}: {n_docs} documents so far", file=sys.stderr)
    kept = sorted(w for w, n in after.items() if n >= least and n >= share * total[w] and _kept(w))
    rows = "".join(f"{w}\t{after[w]}\t{total[w]}\n" for w in kept)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(rows.encode("utf-8"))
    record_artifact(OUT, buf.getvalue(), "scripts/build_place_words.py",
                    source=f"SaudiNewsNet, {len(zips)} day files, {n_docs} documents (words and counts only, "
                           f"no text); place_after_share {share}, place_after_min {least}")
    print(f"wrote {OUT}: {len(kept)} words ({len(buf.getvalue()) / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
