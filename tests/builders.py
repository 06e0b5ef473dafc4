"""Build records from plain strings for tests."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from marsad.model import Article


def make_article(
    text: str,
    *,
    id: str | None = None,
    source: str = "test-outlet",
    title: str = "",
    published: date | datetime | None = None,
    url: str | None = None,
    path: str = "test.txt",
) -> Article:
    """An already-clean Article whose raw text equals its text."""
    aid = id or hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(
        id=aid, source=source, path=path, title=title, text=text, url=url, published=published, raw=text
    )
