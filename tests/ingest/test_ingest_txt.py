"""Plain-text articles: the seeds, encodings, bad files."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from marsad.errors import InputError
from marsad.ingest import read_path
from marsad.model import Article


def _one(path, settings) -> Article | InputError:
    items = list(read_path(path, settings))
    assert len(items) == 1
    return items[0]


@pytest.fixture(scope="module")
def seeds(seed_paths, settings) -> dict[str, Article]:
    out = {}
    for p in seed_paths:
        a = _one(p, settings)
        assert isinstance(a, Article), a
        out[p.name[:3]] = a
    return out


def test_ingest_txt_seed_ids_are_file_stems(seeds, seed_paths):
    assert sorted(a.id for a in seeds.values()) == sorted(p.stem for p in seed_paths)


def test_ingest_txt_raw_is_the_whole_file(seeds, seed_paths):
    for p in seed_paths:
        a = seeds[p.name[:3]]
        assert a.raw == p.read_text(encoding="utf-8")
        assert a.text == a.raw  # ingest does not clean
        assert a.path == str(p)


@pytest.mark.parametrize(
    ("seed", "title"),
    [
        ("000", 'سلطنة عُمان تشارك في اجتماع التحالف الدولي ضد "داعش"'),
        ("001", "اجتماع وزاري للتحالف الدولي ضد تنظيم “الدولة” في المغرب"),
        ("002", "مؤتمر أمني بالمغرب يدعو لخطة متعددة الأطراف لهزيمة داعش"),
        ("003", ""),  # a date line, an author/outlet line, then one long paragraph: no title
        ("004", "كورونا يُغيب بلينكن عن مؤتمر التحالف ضد داعش في مراكش"),  # under the label "أخبار"
    ],
)
def test_ingest_txt_seed_titles(seeds, seed, title):
    assert seeds[seed].title == title
    assert seeds[seed].title_derived is False


@pytest.mark.parametrize(
    ("seed", "source"),
    [
        ("000", "unknown"),  # credited to "وكالات" only: the page never names its outlet
        ("001", "عنب بلدي"),  # donation appeal "ادعم عنب بلدي"
        ("002", "المدينة نيوز"),  # "المدينة نيوز :-" prefix of the lead
        ("003", "مصطفى مايتي الدولية للإعلام"),  # credit line under the dateline
        ("004", "إرم نيوز"),  # "المصدر: الرباط- إرم نيوز"
    ],
)
def test_ingest_txt_seed_outlets(seeds, seed, source):
    assert seeds[seed].source == source


def test_ingest_txt_seed_dates(seeds):
    assert seeds["000"].published == date(2022, 5, 11)
    assert seeds["000"].published_note == "text: 11مايو 2022"
    assert seeds["001"].published is None
    assert "الاثنين 9 من أيار" in seeds["001"].published_note
    assert "not guessed" in seeds["001"].published_note
    assert seeds["002"].published is None and seeds["002"].published_note
    assert seeds["003"].published == date(2022, 5, 11)
    assert seeds["004"].published == datetime(2022, 5, 10, 22, 45, tzinfo=UTC)
    assert seeds["004"].published_note == "text: تاريخ النشر: 10 مايو 2022 22:45 GMT"
    assert ("updated", "2022-05-11T07:02:00+00:00") in seeds["004"].meta


def test_ingest_txt_meta_is_sorted_pairs(seeds):
    for a in seeds.values():
        assert list(a.meta) == sorted(a.meta)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in a.meta)


def test_ingest_txt_rerun_gives_same_ids(seed_paths, settings):
    first = [a.id for p in seed_paths for a in read_path(p, settings)]
    second = [a.id for p in seed_paths for a in read_path(p, settings)]
    assert first == second


@pytest.mark.parametrize(
    ("name", "title", "start"),
    [
        ("cp1256-arabic.txt", "الأمطار الغزيرة تغلق طرقاً رئيسية في شمال البلاد", "أغلقت السلطات المحلية"),
        ("utf16.txt", "افتتاح أول مكتبة عامة رقمية في المدينة", "افتتح رئيس البلدية"),
        ("utf8-bom.txt", "ارتفاع أسعار الخضار في الأسواق المركزية", "شهدت الأسواق المركزية"),
    ],
)
def test_ingest_txt_encodings_are_decoded(data_dir, settings, name, title, start):
    a = _one(data_dir / "encodings" / name, settings)
    assert isinstance(a, Article), a
    assert a.title == title
    assert start in a.raw
    assert "\r" not in a.raw and "\ufeff" not in a.raw


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file, not text"),
        ("latin1-not-arabic.txt", "not UTF-8, UTF-16 or Windows-1256 text"),
    ],
)
def test_ingest_txt_bad_files_are_errors(data_dir, settings, name, reason):
    err = _one(data_dir / "bad" / name, settings)
    assert isinstance(err, InputError)
    assert err.reason == reason
    assert str(err) == f"{data_dir / 'bad' / name}: {reason}"
    assert "\n" not in str(err)


def test_ingest_txt_only_debris_is_read(data_dir, settings):
    # Ingest reads it (cleaning is what finds nothing left); its title is not a furniture line.
    a = _one(data_dir / "bad" / "only-debris.txt", settings)
    assert isinstance(a, Article)
    assert a.title == ""


def test_ingest_txt_crlf_and_whitespace_only(tmp_path, settings):
    f = tmp_path / "crlf.txt"
    f.write_bytes("عنوان الخبر\r\n\r\nنص الخبر الأول هنا، وهو نص قصير للاختبار فقط.\r\n".encode())
    a = _one(f, settings)
    assert a.raw == "عنوان الخبر\n\nنص الخبر الأول هنا، وهو نص قصير للاختبار فقط.\n"
    assert a.title == "عنوان الخبر"
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\t\n")
    assert _one(blank, settings).reason == "empty file"


def test_ingest_txt_nul_bytes_in_utf8_are_binary(tmp_path, settings):
    f = tmp_path / "nul.txt"
    f.write_bytes("نص عربي".encode() + b"\x00\x00")
    assert _one(f, settings).reason == "binary file, not text"


def test_ingest_txt_single_paragraph_has_no_title(tmp_path, settings):
    f = tmp_path / "one.txt"
    f.write_text("أعلنت الوزارة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية.\n", encoding="utf-8")
    a = _one(f, settings)
    assert a.title == ""


_LEAD = "نص الخبر الطويل الذي يكفي ليكون فقرة كاملة من المقال."


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (f"عنوان الخبر\nالأربعاء 11-05 -2022\nصحيفة الوطن\n{_LEAD}", "صحيفة الوطن"),
        (f"عنوان الخبر\nواس - جدة\n{_LEAD}", None),  # an agency credits the wire, not the outlet
        (f"عنوان الخبر\nوكالات\n{_LEAD}", None),  # generic
    ],
)
def test_outlet_from_a_credit_line_at_the_head(text, outlet):
    from marsad.ingest.lines import find_outlet

    found = find_outlet(text)
    assert (found[0] if found else None) == outlet
