"""Build the background document-frequency table that weights terms for story grouping.

    .venv/bin/python scripts/build_idf.py [DATA_DIR] [--min-df 3]

Reads every SaudiNewsNet day zip in DATA_DIR (default ../shared/data/saudinewsnet), takes each article's
set of content stems (the same `marsad.text.tokens.content_stems` of the match form that
`marsad.cluster` uses), and writes `src/marsad/resources/idf.json.gz`: the number of documents and, for
every stem seen in at least `--min-df` documents, how many documents contain it. Only counts are
written, never article text. The sha256 of the output is recorded in `resources/MANIFEST.json`.
Deterministic: same input, same bytes (sorted keys, fixed gzip mtime).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.errors import InputError  # noqa: E402
from marsad.ingest import read_path  # noqa: E402
from marsad.settings import load  # noqa: E402
from marsad.text.normalize import normalize  # noqa: E402
from marsad.text.tokens import content_stems  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "saudinewsnet"
OUT = ROOT / "src" / "marsad" / "resources" / "idf.json.gz"


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
    n_docs = 0
    for z in zips:
        for item in read_path(z, settings):
            if isinstance(item, InputError):
                continue
            df.update(set(content_stems(normalize(item.title + "\n" + item.text))))
            n_docs += 1
        print(f"{z.name}: {n_docs} documents so far, {len(df)} stems", file=sys.stderr)
    kept = {t: n for t, n in sorted(df.items()) if n >= args.min_df}
    payload = json.dumps(
        {"n_docs": n_docs, "min_df": args.min_df, "source": "SaudiNewsNet", "df": kept},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    ).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(payload)
    OUT.write_bytes(buf.getvalue())
    manifest_path = OUT.parent / "MANIFEST.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    manifest[OUT.name] = {
        "sha256": hashlib.sha256(buf.getvalue()).hexdigest(),
        "built_by": "scripts/build_idf.py",
        "source": f"SaudiNewsNet, {len(zips)} day files, {n_docs} documents (counts only, no text)",
        "bytes": len(buf.getvalue()),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(buf.getvalue()) / 1e6:.2f} MB, {len(kept)} stems, {n_docs} documents)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
