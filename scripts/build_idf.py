"""Build the background document-frequency tables that weight terms and char-grams for story grouping.

    .venv/bin/python scripts/build_idf.py [DATA_DIR] [--min-df 3]

Reads every SaudiNewsNet day zip in DATA_DIR (default ../shared/data/saudinewsnet), takes each article's
set of content stems (the same `marsad.text.tokens.content_stems` of the match form that
`marsad.similarity` uses), and writes `src/marsad/resources/idf.json.gz`: the number of documents and, for
every stem seen in at least `--min-df` documents, how many documents contain it; and
`src/marsad/resources/char_df.u32.gz`: for each of the 2^18 hashed char 3-5-gram buckets of
`marsad.similarity.char_counts`, how many documents' title and lead (`similarity.lead_text`) hit it.
Only counts are written, never article text. The sha256 of each output is recorded in
`resources/MANIFEST.json`.
Deterministic: same input, same bytes (sorted keys, fixed gzip mtime).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.errors import InputError  # noqa: E402
from marsad.ingest import read_path  # noqa: E402
from marsad.resources import record_artifact  # noqa: E402
from marsad.settings import load  # noqa: E402
from marsad.similarity import CHAR_BUCKETS, char_counts, lead_text  # noqa: E402
from marsad.text.normalize import normalize  # noqa: E402
from marsad.text.tokens import content_stems  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "saudinewsnet"
OUT = ROOT / "src" / "marsad" / "resources" / "idf.json.gz"
CHAR_OUT = OUT.parent / "char_df.u32.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEFAULT))
    ap.add_argument("--min-df", type=int, default=3)
    args = ap.parse_args()
    data = Path(args.data)
    zips = sorted(data.glob("*.zip"))
    if not zips:
        print(f"build_idf: error: {data}: no SaudiNewsNet day zips here", file=sys.stderr)
        return 1
    settings = load()
    df: Counter[str] = Counter()
    char_df = np.zeros(CHAR_BUCKETS, dtype=np.int64)
    n_docs = 0
    for z in zips:
        leads = []
        for item in read_path(z, settings):
            if isinstance(item, InputError):
                continue
            df.update(set(content_stems(normalize(item.title + "\n" + item.text))))
            leads.append(normalize(lead_text(item)))
            n_docs += 1
        m = char_counts(leads).tocsc()
        char_df += np.diff(m.indptr)
        print(f"{z.name}: {n_docs} documents so far, {len(df)} stems", file=sys.stderr)
    kept = {t: n for t, n in sorted(df.items()) if n >= args.min_df}
    payload = json.dumps(
        {"n_docs": n_docs, "min_df": args.min_df, "source": "SaudiNewsNet", "df": kept},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    ).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(payload)
    _write(OUT, buf.getvalue(), f"{len(zips)} day files, {n_docs} documents")
    print(f"wrote {OUT} ({len(buf.getvalue()) / 1e6:.2f} MB, {len(kept)} stems, {n_docs} documents)")
    # the bucket counts, then the number of documents, as little-endian uint32; gzip without a time stamp
    raw = np.concatenate([char_df, [n_docs]]).astype("<u4").tobytes()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(raw)
    _write(CHAR_OUT, buf.getvalue(), f"{len(zips)} day files, {n_docs} documents, {CHAR_BUCKETS} buckets")
    print(f"wrote {CHAR_OUT} ({len(buf.getvalue()) / 1e6:.2f} MB)")
    return 0


def _write(path: Path, data: bytes, source: str) -> None:
    record_artifact(path.name, data, "scripts/build_idf.py",
                    source=f"SaudiNewsNet, {source} (counts only, no text)")


if __name__ == "__main__":
    raise SystemExit(main())
