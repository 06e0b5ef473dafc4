"""Shipped data: word lists, the bundled sample and trained artifacts, checked against MANIFEST.json.

Trained artifacts are built by `scripts/` from the research corpora (never shipped) and committed
with their sha256 in `MANIFEST.json`; `load_artifact` refuses a file whose digest does not match, so a
stale or damaged artifact fails loudly instead of silently changing results. Nothing here is ever
downloaded.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from marsad.errors import MarsadError


class ArtifactError(MarsadError):
    """A shipped artifact is missing or does not match its manifest entry."""


def _files():
    return resources.files("marsad").joinpath("resources")


def manifest() -> dict[str, dict]:
    """The manifest: artifact file name -> {sha256, built_by, source, ...}."""
    return json.loads(_files().joinpath("MANIFEST.json").read_text(encoding="utf-8"))


def load_artifact(name: str) -> bytes:
    """The bytes of a shipped artifact, after checking its sha256 against the manifest."""
    entry = manifest().get(name)
    if entry is None:
        raise ArtifactError(f"resources/{name}: not listed in MANIFEST.json")
    try:
        data = _files().joinpath(name).read_bytes()
    except OSError as exc:
        raise ArtifactError(f"resources/{name}: cannot read ({exc.strerror})") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        raise ArtifactError(
            f"resources/{name}: sha256 {digest[:12]}… does not match MANIFEST.json "
            f"({entry['sha256'][:12]}…); rebuild it with {entry.get('built_by', 'its script')}"
        )
    return data


def record_artifact(name: str, data: bytes, built_by: str, **entry: object) -> None:
    """Write a built artifact into the source tree's `resources/` and record its sha256, size, builder
    and `entry` (source, parameters) in MANIFEST.json (for `scripts/`, never at run time)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent
    (folder / name).write_bytes(data)
    path = folder / "MANIFEST.json"
    entries = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    digest = hashlib.sha256(data).hexdigest()
    entries[name] = {"sha256": digest, "built_by": built_by, "bytes": len(data), **entry}
    path.write_text(json.dumps(entries, indent=2, sort_keys=True) + "\n", encoding="utf-8")
