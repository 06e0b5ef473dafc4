"""HTML pages through trafilatura, and the check of its date against the text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from marsad.errors import InputError
from marsad.ingest import read_path
from marsad.ingest.html import choose_date
from marsad.model import Article

PUBLISHED = datetime(2022, 5, 10, 22, 45, tzinfo=UTC)


@pytest.fixture
def page(data_dir) -> str:
    return (data_dir / "good" / "article.html").read_text(encoding="utf-8")


def test_ingest_html_body_title_site(data_dir, settings):
    path = data_dir / "good" / "article.html"
    (a,) = read_path(path, settings)
    assert isinstance(a, Article), a
    assert a.id == "article"
    assert a.title == "وزراء المياه العرب يتفقون على خطة مشتركة لمواجهة الجفاف"
    assert a.source == "صدى الخليج"
    assert a.url == "https://sada-alkhaleej.example/news/water-ministers"
    assert a.raw == a.text
    assert "اتفق وزراء المياه في الدول العربية" in a.text
    assert "وختم الوزراء اجتماعهم" in a.text
    for debris in ("الرئيسية", "ابحث في الموقع", "أسعار النفط ترتفع", "جميع الحقوق محفوظة"):
        assert debris not in a.text
    assert ("author", "سلمى الحربي") in a.meta


def test_ingest_html_year_only_metadata_date_yields_to_text(data_dir, settings):
    # The page's metadata only has the year (trafilatura reads 2022-01-01); the text has the day.
    (a,) = read_path(data_dir / "good" / "article.html", settings)
    assert a.published == PUBLISHED
    assert a.published_note.startswith("text: تاريخ النشر: 10 مايو 2022 22:45 GMT")
    assert "2022-01-01" in a.published_note
    assert ("metadata_date", "2022-01-01") in a.meta


def test_ingest_html_full_metadata_date_kept(tmp_path, page, settings):
    f = tmp_path / "full.html"
    f.write_text(
        page.replace('content="2022">', 'content="2022-05-10T22:45:00+00:00">').replace(
            "<p>تاريخ النشر: 10 مايو 2022 22:45 GMT</p>", ""
        ),
        encoding="utf-8",
    )
    (a,) = read_path(f, settings)
    assert a.published == date(2022, 5, 10)
    assert a.published_note == "metadata"


def test_ingest_html_text_adds_time_to_agreeing_metadata(tmp_path, page, settings):
    f = tmp_path / "agree.html"
    f.write_text(page.replace('content="2022">', 'content="2022-05-10">'), encoding="utf-8")
    (a,) = read_path(f, settings)
    assert a.published == PUBLISHED
    assert "agrees with metadata" in a.published_note


@pytest.mark.parametrize(
    ("meta", "text", "expected"),
    [
        (None, None, None),
        (date(2022, 5, 10), None, date(2022, 5, 10)),
        (None, PUBLISHED, PUBLISHED),
        (date(2022, 1, 1), PUBLISHED, PUBLISHED),  # year-only default loses
        (date(2022, 5, 9), PUBLISHED, date(2022, 5, 9)),  # a real metadata day wins
        (date(2022, 1, 1), date(2022, 1, 1), date(2022, 1, 1)),  # 1 January can be real
    ],
)
def test_ingest_html_choose_date(meta, text, expected):
    value, note = choose_date(meta, text, "text: x")
    assert value == expected
    assert note


def test_ingest_html_malformed_is_an_error(data_dir, settings):
    path = data_dir / "bad" / "malformed.html"
    (err,) = read_path(path, settings)
    assert isinstance(err, InputError)
    assert str(err).startswith(f"{path}: malformed HTML")


def test_ingest_html_without_markup_or_text(tmp_path, settings):
    plain = tmp_path / "plain.html"
    plain.write_text("مجرد نص بلا وسوم", encoding="utf-8")
    (err,) = read_path(plain, settings)
    assert isinstance(err, InputError) and "not HTML" in err.reason
    nav = tmp_path / "nav.htm"
    nav.write_text("<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>", encoding="utf-8")
    (err,) = read_path(nav, settings)
    assert isinstance(err, InputError)
