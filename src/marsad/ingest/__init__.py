"""Ingest: paths (files or directories) -> `Article`s, with errors yielded rather than raised.

Reads `.txt` (one article), `.html`/`.htm` (through trafilatura), `.json` (one object or an array),
`.jsonl` and `.zip` archives of `.json`/`.jsonl`/`.txt`. Each article keeps its text as found (`raw` and
`text`, uncleaned), its outlet (`source`, `unknown` when nothing says), title, URL, publication date
with a note on where it came from, and other metadata. A bad file, line or record becomes an
`InputError` in the stream and the batch goes on. Ingest does not clean, normalize or dedupe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.errors import InputError
from marsad.ingest.files import SUPPORTED, read_txt, walk
from marsad.ingest.html import read_html
from marsad.ingest.records import read_json, read_jsonl, read_zip
from marsad.model import Article
from marsad.settings import Settings

__all__ = ["SUPPORTED", "count_inputs", "read_path", "read_paths"]


def _read_file(path: Path, settings: Settings) -> Iterator[Article | InputError]:
    label = str(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        kinds = ", ".join(sorted(SUPPORTED))
        yield InputError(label, f"unsupported file type {ext or '(none)'!r} (expected one of {kinds})")
        return
    limit_mb = settings.ingest.max_file_mb
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield InputError(label, f"cannot read file ({exc.strerror or exc})")
        return
    if size > float(limit_mb) * 1024 * 1024:
        yield InputError(label, f"file larger than {limit_mb} MB")
        return
    if ext == ".zip":
        yield from read_zip(label, settings)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(label, f"cannot read file ({exc.strerror or exc})")
        return
    if ext == ".txt":
        yield read_txt(data, label, settings, stem=path.stem)
    elif ext in (".html", ".htm"):
        yield read_html(data, label, settings, stem=path.stem)
    elif ext == ".json":
        yield from read_json(data, label, settings, stem=path.stem)
    else:
        yield from read_jsonl(data, label, settings)


def read_path(path: str | Path, settings: Settings) -> Iterator[Article | InputError]:
    """Articles from a file or a directory (walked recursively, sorted, hidden files skipped).

    In a directory, files of unsupported types are skipped silently; an unsupported file named
    explicitly, a missing path, and every unreadable file, line or record are yielded as `InputError`.
    """
    p = Path(path)
    if p.is_dir():
        for f in walk(p):
            yield from _read_file(f, settings)
    elif p.exists():
        yield from _read_file(p, settings)
    else:
        yield InputError(str(path), "no such file or directory")


def read_paths(paths: Iterable[str | Path], settings: Settings) -> Iterator[Article | InputError]:
    """`read_path` over several paths, in the order given."""
    for path in paths:
        yield from read_path(path, settings)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many files `read_paths` will open (for a progress bar); missing paths count 0.

    A zip counts once, however many records it holds; an explicitly named file counts once even if
    its type is unsupported (it yields one error).
    """
    total = 0
    for path in paths:
        p = Path(path)
        if p.is_dir():
            total += sum(1 for _ in walk(p))
        elif p.exists():
            total += 1
    return total
