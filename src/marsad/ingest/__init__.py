"""Ingest: paths (files or directories) -> `Article`s, with errors yielded rather than raised.

Reads `.txt` (one article), `.html`/`.htm` (through trafilatura), `.json` (one object or an array),
`.jsonl` and `.zip` archives of `.json`/`.jsonl`/`.txt`. Each article keeps its text as found (`raw` and
`text`, uncleaned), its outlet (`source`, `unknown` when nothing says), title, URL, publication date
with a note on where it came from, and other metadata. A bad file, line or record becomes an
`InputError` in the stream and the batch goes on. Ingest does not clean, normalize or dedupe.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.errors import InputError
from marsad.ingest.files import SUPPORTED, read_txt, walk
from marsad.ingest.html import read_html
from marsad.ingest.records import read_json, read_jsonl, read_zip
from marsad.model import Article
from marsad.settings import Settings

__all__ = ["SUPPORTED", "batch_paths", "count_inputs", "read_path", "read_paths"]


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


def _same_file_key(path: Path) -> str:
    """What two spellings of one file share: the resolved path (symlinks followed), else absolute."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return os.path.abspath(path)


def _inputs(paths: Iterable[str | Path]) -> Iterator[tuple[str | Path, Path | None]]:
    """(as given, file) for each file the paths name, each file once (first mention wins);
    `(path, None)` for a path that does not exist."""
    seen: set[str] = set()
    for path in paths:
        p = Path(path)
        if p.is_dir():
            files: Iterable[Path] = walk(p)
        elif p.exists():
            files = (p,)
        else:
            key = _same_file_key(p)
            if key not in seen:
                seen.add(key)
                yield path, None
            continue
        for f in files:
            key = _same_file_key(f)
            if key not in seen:
                seen.add(key)
                yield f, f


def read_path(path: str | Path, settings: Settings) -> Iterator[Article | InputError]:
    """Articles from a file or a directory (walked recursively, sorted, hidden files skipped).

    In a directory, files of unsupported types are skipped silently; an unsupported file named
    explicitly, a missing path, and every unreadable file, line or record are yielded as `InputError`.
    """
    yield from read_paths([path], settings)


def read_paths(paths: Iterable[str | Path], settings: Settings) -> Iterator[Article | InputError]:
    """`read_path` over several paths, in the order given, reading each file once.

    A file named twice, or named and also inside a directory given, is read at its first mention
    only (files are the same when their resolved paths are), so its articles and errors come once.
    """
    for given, f in _inputs(paths):
        if f is None:
            yield InputError(str(given), "no such file or directory")
        else:
            yield from _read_file(f, settings)


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many files `read_paths` will open (for a progress bar); missing paths count 0.

    A zip counts once, however many records it holds; an explicitly named file counts once even if
    its type is unsupported (it yields one error); a file named twice counts once.
    """
    return sum(1 for _, f in _inputs(paths) if f is not None)


def batch_paths(paths: Iterable[str | Path], max_mb: float) -> list[list[str | Path]]:
    """The files `read_paths` would read, in its order, grouped into batches of whole files of up to
    `max_mb` MB on disk (a larger file is a batch alone); a missing path stays in its place, to be
    reported by `read_paths`."""
    limit = max_mb * 1024 * 1024
    batches: list[list[str | Path]] = []
    size = 0.0
    for given, f in _inputs(paths):
        try:
            n = f.stat().st_size if f is not None else 0
        except OSError:  # reported when read
            n = 0
        if not batches or size + n > limit:
            batches.append([])
            size = 0.0
        batches[-1].append(given if f is None else f)
        size += n
    return batches
