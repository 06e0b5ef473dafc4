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


# --- declared and detected encodings of pages --------------------------------------------------------

BODY_AR = (
    "<p>أعلنت البلدية، مساء الأحد، افتتاح حديقة عامة جديدة في الحي الشرقي تضم ملاعب للأطفال ومسارات "
    "للمشي وتفتح أبوابها يومياً حتى منتصف الليل.</p>"
)
MARKUP = "<style>" + "body { font-family: Tahoma, Arial, sans-serif; margin: 0 auto; }\n" * 10 + "</style>"


def _page(head: str = "", body: str = BODY_AR, title: str = "حديقة جديدة") -> str:
    head = f"<head>{head}<title>{title}</title>{MARKUP}</head>"
    return f"<html>{head}<body><article>{body}</article></body></html>"


def test_ingest_html_cp1256_page_with_declared_charset(data_dir, settings):
    (a,) = read_path(data_dir / "encodings" / "cp1256-page.html", settings)
    assert isinstance(a, Article), a
    assert a.title == "افتتاح جسر جديد فوق الوادي"
    assert "افتتح وزير النقل، صباح الاثنين، جسراً جديداً فوق الوادي" in a.text
    assert "وإن أعمال الإنارة ستكتمل" in a.text


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        ('<meta charset="windows-1256">', "cp1256"),
        ("<meta charset=cp1256>", "cp1256"),
        ('<meta http-equiv="content-type" content="text/html;charset=ISO-8859-6">', "iso8859_6"),
        ("", "cp1256"),  # nothing declared: detected, Arabic counted outside the markup
        ('<meta charset="utf-8">', "cp1256"),  # declared wrongly: detected
        ('<meta charset="windows-1256">', "utf-8"),  # a re-saved page keeps its old meta: UTF-8 wins
    ],
)
def test_ingest_html_declared_charset(tmp_path, settings, head, codec):
    f = tmp_path / "p.html"
    body = BODY_AR if codec != "iso8859_6" else BODY_AR.replace("ً", "")
    f.write_bytes(_page(head, body).encode(codec))
    (a,) = read_path(f, settings)
    assert isinstance(a, Article), a
    assert "افتتاح حديقة عامة جديدة في الحي الشرقي" in a.text


def test_ingest_html_utf16_without_bom_declared(tmp_path, settings):
    f = tmp_path / "p.html"
    f.write_bytes(_page('<meta charset="utf-16">').encode("utf-16-le"))
    (a,) = read_path(f, settings)
    assert isinstance(a, Article), a
    assert "افتتاح حديقة عامة جديدة" in a.text


def test_ingest_html_latin1_page_is_still_refused(tmp_path, settings):
    body = "<p>Le ministre a déclaré à Marrakech que la coalition était prête à poursuivre ses efforts.</p>"
    f = tmp_path / "fr.html"
    f.write_bytes(_page("", body, "Nouveau parc").encode("latin-1"))
    (err,) = read_path(f, settings)
    assert isinstance(err, InputError) and err.reason == "not UTF-8, UTF-16 or Windows-1256 text"
