"""HTML pages -> article text and metadata, through trafilatura.

trafilatura finds the main text, title, date, author and site name. Its date is checked against the
text: pages whose CMS only knows the year come back as `YYYY-01-01`, while the page itself says
`تاريخ النشر: 10 مايو 2022 22:45 GMT`; the text's date wins then, and the note says why. trafilatura
is imported on first use, so reading JSON or text never pays for it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from marsad.errors import InputError
from marsad.extract.time import find_publication_date, find_update_date, read_date_line
from marsad.ingest.files import build_article, content_id, decode, iso, url_host
from marsad.ingest.lines import find_outlet
from marsad.model import Article
from marsad.settings import Settings

_TAG = re.compile(r"<\s*(?:html|head|body|p|div|article|title|meta|span|h[1-6])\b", re.IGNORECASE)
_TIME_ELEMENT = re.compile(r"<time\b[^>]*>(.*?)</time\s*>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]+>")
_LETTER = re.compile(r"[^\W\d_]")


def _extract(html: str) -> Any:
    import trafilatura  # slow to import: only for HTML input

    return trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _text_date(text: str, html: str, head_lines: int) -> tuple[date | datetime | None, str]:
    """The date the page text gives: the extracted text first, then `<time>` elements."""
    value, note = find_publication_date(text, head_lines)
    if value is not None:
        return value, note
    for inner in _TIME_ELEMENT.findall(html):
        line = " ".join(_ANY_TAG.sub(" ", inner).split())
        dl = read_date_line(line)
        if dl is not None and dl.value is not None and dl.kind != "updated":
            return dl.value, f"text: {dl.line}"
    return None, note


def choose_date(
    meta_value: date | None, text_value: date | datetime | None, text_note: str
) -> tuple[date | datetime | None, str]:
    """Pick between trafilatura's metadata date and the text's own date, saying why.

    A metadata `YYYY-01-01` is a year-only default when the text gives another day: the text wins.
    When both give the same day the text's datetime adds the time. Otherwise metadata wins.
    """
    if meta_value is None:
        return (text_value, text_note) if text_value is not None else (None, "no date in metadata or text")
    if text_value is None:
        return meta_value, "metadata"
    if (meta_value.month, meta_value.day) == (1, 1) and _day(text_value) != meta_value:
        why = f"metadata date {meta_value.isoformat()} looks like a year-only default"
        return text_value, f"{text_note} ({why})"
    if _day(text_value) == meta_value and isinstance(text_value, datetime):
        return text_value, f"{text_note} (agrees with metadata {meta_value.isoformat()}, adds the time)"
    return meta_value, "metadata"


def read_html(data: bytes, label: str, settings: Settings, *, stem: str | None) -> Article | InputError:
    """One article from an HTML page, or why the page has none."""
    html = decode(data, label, settings, html=True)
    if isinstance(html, InputError):
        return html
    if not _TAG.search(html):
        return InputError(label, "not HTML (no markup found)")
    try:
        doc = _extract(html)
    except (ValueError, TypeError, AttributeError, LookupError) as exc:
        return InputError(label, f"malformed HTML ({type(exc).__name__}: {exc})")
    text = (doc.text or "") if doc is not None else ""
    if len(_LETTER.findall(text)) < int(settings.ingest.min_html_letters):
        return InputError(label, "malformed HTML or no article text in it")
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    head = int(settings.ingest.date_head_lines)
    meta_date: date | None = None
    if doc.date:
        try:
            meta_date = date.fromisoformat(doc.date[:10])
        except ValueError:
            meta_date = None
    text_value, text_note = _text_date(text, html, head)
    published, note = choose_date(meta_date, text_value, text_note)

    meta: list[tuple[str, str]] = []
    for key in ("author", "sitename", "hostname", "description"):
        value = getattr(doc, key, None)
        if value:
            meta.append((key, " ".join(str(value).split())))
    for key in ("categories", "tags"):
        values = getattr(doc, key, None) or []
        if values:
            meta.append((key, ", ".join(values)))
    if meta_date is not None and published is not None and _day(published) != meta_date:
        meta.append(("metadata_date", meta_date.isoformat()))
    updated, _ = find_update_date(text, head)
    if updated is not None:
        meta.append(("updated", iso(updated)))

    source = " ".join((doc.sitename or "").split())
    if not source:
        found = find_outlet(text)
        source = found[0] if found else (url_host(doc.url) or "unknown")
    return build_article(
        label,
        None,
        id=stem or content_id(source, doc.url, text),
        source=source,
        path=label,
        title=" ".join((doc.title or "").split()),
        text=text,
        url=doc.url or None,
        published=published,
        raw=text,
        published_note=note,
        meta=tuple(sorted(meta)),
    )

