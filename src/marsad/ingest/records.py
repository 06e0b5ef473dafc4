"""Structured inputs: JSON (one object or an array), JSON Lines, and zips of them.

A record may name its fields in several ways (`text`/`content`/`body`, `source`/`outlet`/`site`,
`published`/`date`/`date_extracted`), as SaudiNewsNet and other corpora do. Each bad record or line
becomes an `InputError` naming it (`file.jsonl:3`, `day.zip/day.json:17`) and the others still yield
articles.
"""

from __future__ import annotations

import html
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from marsad.errors import InputError
from marsad.extract.time import find_publication_date, parse_date_line
from marsad.ingest.files import build_article, content_id, decode, is_hidden, read_txt, url_host
from marsad.ingest.lines import find_outlet
from marsad.model import Article
from marsad.settings import Settings

ID_FIELDS = ("id",)
SOURCE_FIELDS = ("source", "outlet", "site")
URL_FIELDS = ("url",)
TITLE_FIELDS = ("title",)
TEXT_FIELDS = ("text", "content", "body")
DATE_FIELDS = ("published", "date", "date_extracted")
_USED = frozenset(ID_FIELDS + SOURCE_FIELDS + URL_FIELDS + TITLE_FIELDS + TEXT_FIELDS + DATE_FIELDS)
_ZIP_MEMBERS = frozenset({".json", ".jsonl", ".txt"})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _first(rec: dict[str, Any], fields: tuple[str, ...]) -> tuple[str, Any] | None:
    """The first of `fields` whose value is neither null nor a blank string, with its value."""
    for f in fields:
        value = rec.get(f)
        if not _blank(value):
            return f, value
    return None


def _scalar(value: Any, *, one_line: bool = True) -> str | None:
    """A metadata value as text: strings (as one line, or only stripped), and numbers written out;
    None for lists, objects and booleans (a title or source that is not text is ignored rather than
    stringified)."""
    if isinstance(value, str):
        return (_one_line(value) if one_line else value.strip()) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _first_scalar(
    rec: dict[str, Any], fields: tuple[str, ...], *, one_line: bool = True
) -> tuple[str | None, bool]:
    """The first usable text of `fields` (see `_scalar`), and whether a non-text value was skipped."""
    skipped = False
    for f in fields:
        value = rec.get(f)
        if _blank(value):
            continue
        text = _scalar(value, one_line=one_line)
        if text:
            return text, skipped
        skipped = True
    return None, skipped


def parse_meta_date(value: Any) -> date | datetime | None:
    """A metadata date: ISO 8601 (`2015-08-06 01:00:00`, `2022-05-10T22:45:00Z`) or an Arabic date."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if len(s) == 10 and s[4:5] == "-":
        try:
            return date.fromisoformat(s)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        return parse_date_line(s)


def _where(exc: json.JSONDecodeError) -> str:
    """`Unterminated string starting at column 49` / `Expecting value at column 1`."""
    msg = exc.msg if exc.msg.endswith(" at") else f"{exc.msg} at"
    return f"{msg} column {exc.colno}"


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def record_article(
    rec: Any, label: str, where: int | None, settings: Settings, *, stem: str | None = None
) -> Article | InputError:
    """An article from one JSON record, or an `InputError` naming the record (`where`, 1-based)."""
    if not isinstance(rec, dict):
        return InputError(label, "record is not a JSON object", where)
    present = [f for f in TEXT_FIELDS if f in rec]
    if not present:
        return InputError(label, f"record has no text field ({', '.join(TEXT_FIELDS)})", where)
    found_text = _first(rec, TEXT_FIELDS)
    if found_text is None:
        return InputError(label, f"record field {present[0]!r} is empty", where)
    text_field, text = found_text
    if not isinstance(text, str):
        return InputError(label, f"record field {text_field!r} is not a string", where)
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    url, _ = _first_scalar(rec, URL_FIELDS, one_line=False)  # as given: the id hashes it
    meta: list[tuple[str, str]] = []
    source, bad_source = _first_scalar(rec, SOURCE_FIELDS)
    if source is None and bad_source:
        source = "unknown"  # the record names its outlet, but not as text: do not guess another
        meta.append(("source_from", "metadata not text"))
    elif source is None:
        outlet = find_outlet(text)
        host = url_host(url)
        if outlet:
            source = outlet[0]
            meta.append(("source_from", f"text: {outlet[1]}"))
        elif host:
            source = host
            meta.append(("source_from", "url"))
        else:
            source = "unknown"

    published: date | datetime | None = None
    note = ""
    found_date = _first(rec, DATE_FIELDS)
    if found_date:
        published = parse_meta_date(found_date[1])
        if published is not None:
            note = "metadata" if found_date[0] != "date_extracted" else "metadata: date_extracted"
        else:
            note = f"metadata {found_date[0]} {_one_line(found_date[1])[:40]!r} not understood; "
    if published is None:
        published, text_note = find_publication_date(text, int(settings.ingest.date_head_lines))
        note = note + text_note if note else text_note

    found_id = _first(rec, ID_FIELDS)
    aid = _scalar(found_id[1]) if found_id else None
    if found_id and aid is None:
        return InputError(label, f"record field {found_id[0]!r} is not a string or number", where)
    aid = aid or stem or content_id(source, url, text)
    for key, value in rec.items():
        if key in _USED or _blank(value) or isinstance(value, (dict, list)):
            continue
        meta.append((str(key), _one_line(value)))
    title, _ = _first_scalar(rec, TITLE_FIELDS)
    # scraped titles keep the page's character references (`&quot;`, `&#8220;`): show and match the
    # characters they stand for
    title = html.unescape(title) if title and "&" in title else title
    return build_article(
        label,
        where,
        id=aid,
        source=source,
        path=label if where is None else f"{label}:{where}",
        title=title or "",
        text=text,
        url=url or None,
        published=published,
        raw=text,
        published_note=note,
        meta=tuple(sorted(meta)),
    )


def read_json(
    data: bytes, label: str, settings: Settings, *, stem: str | None
) -> Iterator[Article | InputError]:
    """Articles of a .json file: one object (id falls back to the file stem) or an array of them."""
    text = decode(data, label, settings)
    if isinstance(text, InputError):
        yield text
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(label, f"invalid JSON ({_where(exc)}, line {exc.lineno})")
        return
    if isinstance(doc, dict):
        yield record_article(doc, label, None, settings, stem=stem)
    elif isinstance(doc, list):
        if not doc:
            yield InputError(label, "empty JSON array")
        for i, rec in enumerate(doc, 1):
            yield record_article(rec, label, i, settings)
    else:
        yield InputError(label, "JSON must be an object or an array of objects")


def read_jsonl(data: bytes, label: str, settings: Settings) -> Iterator[Article | InputError]:
    """Articles of a JSON Lines file, one per non-blank line; a bad line is an error naming it."""
    text = decode(data, label, settings)
    if isinstance(text, InputError):
        yield text
        return
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(label, f"invalid JSON ({_where(exc)})", lineno)
            continue
        yield record_article(rec, label, lineno, settings)


def read_zip(path: str, settings: Settings) -> Iterator[Article | InputError]:
    """Articles of the .json, .jsonl and .txt files inside a zip (other members are skipped)."""
    limit = float(settings.ingest.max_file_mb) * 1024 * 1024
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        yield InputError(path, "not a zip archive (or a damaged one)")
        return
    except OSError as exc:
        yield InputError(path, f"cannot read file ({exc.strerror or exc})")
        return
    with archive:
        members = sorted(
            (m for m in archive.infolist() if not m.is_dir()), key=lambda m: m.filename
        )
        for member in members:
            name = PurePosixPath(member.filename)
            ext = name.suffix.lower()
            if ext not in _ZIP_MEMBERS or any(is_hidden(part) for part in name.parts):
                continue
            label = f"{path}/{member.filename}"
            if member.file_size > limit:
                yield InputError(label, f"file larger than {settings.ingest.max_file_mb} MB")
                continue
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                yield InputError(label, f"damaged zip member ({exc})")
                continue
            if ext == ".json":
                yield from read_json(data, label, settings, stem=None)
            elif ext == ".jsonl":
                yield from read_jsonl(data, label, settings)
            else:
                yield read_txt(data, label, settings, stem=None)

