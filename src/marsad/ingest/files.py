"""Files on disk: directory walking, byte decoding, and plain-text (.txt) articles.

Decoding tries what Arabic news files actually come in: UTF-8 (with or without BOM), UTF-16/32 with a
BOM, for HTML the charset the page declares (Windows-1256, ISO-8859-6, UTF-16 without a BOM), then
Windows-1256, which is accepted only when the result is plausibly Arabic (any byte string decodes as
cp1256, so a Latin-1 file would otherwise turn into gibberish). Binary and empty files are
refused with a reason. Errors are returned as `InputError`s naming the file, never raised past the
caller, so a batch goes on.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marsad.errors import InputError
from marsad.extract.time import find_publication_date, find_update_date
from marsad.ingest.lines import find_outlet, guess_title
from marsad.model import Article
from marsad.settings import Settings

SUPPORTED = frozenset({".txt", ".html", ".htm", ".json", ".jsonl", ".zip"})
"""File extensions ingest reads (lower case); in a directory, other files are skipped silently."""

# Control bytes that never occur in text (tab, newline, carriage return and form feed are allowed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_ANY_LETTER = re.compile(r"[^\W\d_]")
# Where an HTML page declares its charset, and the charsets of Arabic pages marsad honours.
_DECLARED = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_CHARSETS = {
    "utf-8": "utf-8", "utf8": "utf-8",
    "windows-1256": "cp1256", "cp1256": "cp1256", "x-cp1256": "cp1256",
    "iso-8859-6": "iso8859_6", "iso8859-6": "iso8859_6", "arabic": "iso8859_6", "asmo-708": "iso8859_6",
    "utf-16": "utf-16", "utf-16le": "utf-16", "utf-16be": "utf-16",
}
# Markup that is not shown: scripts, styles and comments whole, then any tag and character reference.
_MARKUP = re.compile(
    r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>|&#?\w+;",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def is_hidden(name: str) -> bool:
    """Hidden files and folders (dot files, macOS `__MACOSX` resource forks) are never read."""
    return name.startswith(".") or name == "__MACOSX"


def walk(root: Path) -> Iterator[Path]:
    """The readable files under `root`, recursively, in sorted order, hidden ones skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not is_hidden(d))
        for name in sorted(filenames):
            if not is_hidden(name) and Path(name).suffix.lower() in SUPPORTED:
                yield Path(dirpath) / name


def _control_ratio(count: int, total: int) -> float:
    return count / total if total else 0.0


def declared_charset(data: bytes, head: int) -> str | None:
    """The Python codec of the charset an HTML page declares in its first `head` bytes
    (`<meta charset=…>`, `<meta http-equiv … content="…; charset=…">`, `<?xml … encoding=…?>`), for the
    charsets Arabic pages use; None when none is declared or the declared one is not among them."""
    start = data[: head * 2]
    if b"\x00" in start:  # UTF-16 without a BOM: the declaration is ASCII with NULs between
        start = start.replace(b"\x00", b"")
    m = _DECLARED.search(start[:head])
    if m is None:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii").lower().replace("_", "-")
    return _CHARSETS.get(name)


def _utf16(data: bytes) -> str | None:
    """Bytes of UTF-16 without a BOM (the page said so), the byte order told by where NULs sit."""
    head = data[:4096]
    codec = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(data: bytes, label: str, settings: Settings, *, html: bool = False) -> str | InputError:
    """The text of a file's bytes with `\\r\\n` and lone `\\r` made `\\n`, or why it is not text.

    Order: a BOM; for HTML a UTF-16 charset declared by a page without a BOM; UTF-8 (a page that is
    valid UTF-8 is read as UTF-8 whatever it declares: re-saved pages keep their old meta); for HTML
    the declared charset (`declared_charset`); then Windows-1256 when the text comes out Arabic.
    """
    if not data.strip():
        return InputError(label, "empty file")
    text: str | None = None
    declared = declared_charset(data, int(settings.ingest.charset_head_bytes)) if html else None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return InputError(label, f"damaged {codec.upper().removesuffix('-SIG')} text")
            controls = len(_CONTROL_CHARS.findall(text))
            if _control_ratio(controls, len(text)) > settings.ingest.max_control_ratio:
                return InputError(label, "binary file, not text")
            break
    if text is None and declared is not None and declared.startswith("utf-16") and b"\x00" in data:
        text = _utf16(data)
        if text is None:
            return InputError(label, "damaged UTF-16 text")
        if _control_ratio(len(_CONTROL_CHARS.findall(text)), len(text)) > settings.ingest.max_control_ratio:
            return InputError(label, "binary file, not text")
    if text is None:
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if b"\x00" in data or _control_ratio(controls, len(data)) > settings.ingest.max_control_ratio:
            return InputError(label, "binary file, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if declared is not None and declared != "utf-8" and not declared.startswith("utf-16"):
                try:
                    text = data.decode(declared)
                except UnicodeDecodeError:
                    text = None
            if text is None:
                text = _cp1256(data, settings, html=html)
            if text is None:
                return InputError(label, "not UTF-8, UTF-16 or Windows-1256 text")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return InputError(label, "empty file")
    return text


def _cp1256(data: bytes, settings: Settings, *, html: bool = False) -> str | None:
    """`data` as Windows-1256 if most of its letters come out Arabic, else None.

    For HTML the letters are counted in the text outside tags, scripts, styles and comments (markup
    is ASCII and would outweigh the Arabic of a real page).
    """
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    shown = _MARKUP.sub(" ", text) if html else text
    letters = len(_ANY_LETTER.findall(shown))
    arabic = len(_ARABIC_LETTER.findall(shown))
    return text if letters and arabic / letters >= settings.ingest.min_arabic_ratio else None


def content_id(source: str, url: str | None, text: str) -> str:
    """The stable id of a record without one: `sha256(source + (url or text))[:16]`."""
    return hashlib.sha256((source + (url or text)).encode("utf-8")).hexdigest()[:16]


def url_host(url: str | None) -> str | None:
    """The host of a URL without `www.`, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "://" in url else f"//{url}").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def iso(value: date | datetime) -> str:
    """A date or datetime as ISO 8601 text (for `Article.meta`)."""
    return value.isoformat()


def build_article(label: str, where: int | None, **fields: Any) -> Article | InputError:
    """`Article(**fields)`, or an `InputError` naming the file (and record) when the fields make no
    article (the model refuses them with a `ValueError`), so one bad record cannot stop a batch."""
    try:
        return Article(**fields)
    except ValueError as exc:
        return InputError(label, f"not an article ({exc})", where)


def text_article(text: str, label: str, settings: Settings, *, stem: str | None) -> Article | InputError:
    """A bare-text article: title from its first line, outlet and date from its own signatures.

    `stem` is the file stem used as the id (one-article files); without it the id is a content hash.
    """
    cfg = settings.ingest
    title = guess_title(text, int(cfg.max_title_chars), int(settings.clean.max_byline_words))
    found = find_outlet(text)
    source = found[0] if found else "unknown"
    meta: list[tuple[str, str]] = []
    if found:
        meta.append(("source_from", f"text: {found[1]}"))
    published, note = find_publication_date(text, int(cfg.date_head_lines))
    updated, _ = find_update_date(text, int(cfg.date_head_lines))
    if updated is not None:
        meta.append(("updated", iso(updated)))
    return build_article(
        label,
        None,
        id=stem or content_id(source, None, text),
        source=source,
        path=label,
        title=title,
        text=text,
        url=None,
        published=published,
        raw=text,
        published_note=note,
        meta=tuple(sorted(meta)),
    )


def read_txt(data: bytes, label: str, settings: Settings, *, stem: str | None) -> Article | InputError:
    """One .txt article from its bytes (the whole file is the article, title line included)."""
    text = decode(data, label, settings)
    if isinstance(text, InputError):
        return text
    return text_article(text, label, settings, stem=stem)
