"""JSON, JSON Lines and zip inputs: field aliases, ids, per-record errors."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date, datetime, timedelta, timezone

from marsad.errors import InputError
from marsad.ingest import read_path
from marsad.model import Article


def _split(items):
    arts = [a for a in items if isinstance(a, Article)]
    errs = [e for e in items if isinstance(e, InputError)]
    assert len(arts) + len(errs) == len(items)
    return arts, errs


def test_ingest_jsonl_field_aliases(data_dir, settings):
    path = data_dir / "good" / "records.jsonl"
    arts, errs = _split(list(read_path(path, settings)))
    assert errs == []
    assert [a.path for a in arts] == [f"{path}:{i}" for i in range(1, 6)]
    r1, r2, r3, r4, r5 = arts
    assert r1.id == "rec-1"  # the record's own id
    assert r1.source == "الوطن اليوم"
    assert r1.url == "https://watan-today.example/news/1"
    assert r1.published == datetime(2022, 5, 11, 9, 30, tzinfo=timezone(timedelta(hours=3)))
    assert r1.published_note == "metadata"
    assert ("author", "ليلى حسن") in r1.meta
    assert r2.source == "صدى الخليج" and r2.published == date(2022, 5, 12)  # outlet, content, date
    assert r2.text.startswith("ارتفعت أسعار النفط")
    assert r3.source == "نبض الشارع" and r3.title == ""  # site, body, date_extracted
    assert r3.published == datetime(2022, 5, 12, 8, 0)
    assert r3.published_note.startswith("metadata")
    assert r4.source == "نبض المدينة"  # no source field: the app appeal in the text names it
    assert r5.source == "akhbar.example"  # nothing in the text: the URL's host
    assert r5.published is None and r5.published_note


def test_ingest_jsonl_ids_are_content_hashes(data_dir, settings):
    arts, _ = _split(list(read_path(data_dir / "good" / "records.jsonl", settings)))
    r2 = arts[1]
    assert r2.id == hashlib.sha256((r2.source + r2.url).encode()).hexdigest()[:16]
    r3 = arts[2]  # no url: hash of source + text
    assert r3.id == hashlib.sha256((r3.source + r3.text).encode()).hexdigest()[:16]
    again, _ = _split(list(read_path(data_dir / "good" / "records.jsonl", settings)))
    assert [a.id for a in again] == [a.id for a in arts]


def test_ingest_jsonl_truncated_line_names_the_line(data_dir, settings):
    path = data_dir / "bad" / "truncated.jsonl"
    arts, errs = _split(list(read_path(path, settings)))
    assert [a.id for a in arts] == ["t-1", "t-2"]
    assert len(errs) == 1
    assert errs[0].where == 3
    assert str(errs[0]).startswith(f"{path}:3: invalid JSON")


def test_ingest_json_record_without_text_names_the_record(data_dir, settings):
    path = data_dir / "bad" / "no-text.json"
    arts, errs = _split(list(read_path(path, settings)))
    assert [a.path for a in arts] == [f"{path}:1", f"{path}:3"]
    assert [e.where for e in errs] == [2]
    assert "no text field" in errs[0].reason


def test_ingest_json_single_object_uses_file_stem(tmp_path, settings):
    f = tmp_path / "story-42.json"
    rec = {"source": "الوطن اليوم", "title": "عنوان", "text": "نص الخبر كاملاً.", "date": "2022-05-11"}
    f.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    (a,) = read_path(f, settings)
    assert a.id == "story-42" and a.path == str(f) and a.published == date(2022, 5, 11)


def test_ingest_json_not_objects(tmp_path, settings):
    f = tmp_path / "n.json"
    f.write_text("42", encoding="utf-8")
    (err,) = read_path(f, settings)
    assert isinstance(err, InputError) and "object or an array" in err.reason
    g = tmp_path / "broken.json"
    g.write_text('[{"text": "نص"', encoding="utf-8")
    (err,) = read_path(g, settings)
    assert isinstance(err, InputError) and err.reason.startswith("invalid JSON")


def test_ingest_json_unparsed_metadata_date_falls_back_to_text(tmp_path, settings):
    f = tmp_path / "d.jsonl"
    rec = {"source": "س", "text": "عنوان\n11مايو 2022\nنص الخبر هنا.", "date": "قريبا"}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_path(f, settings)
    assert a.published == date(2022, 5, 11)
    assert "not understood" in a.published_note and "text: 11مايو 2022" in a.published_note


def test_ingest_zip_of_json_array(data_dir, settings):
    path = data_dir / "good" / "day.zip"
    arts, errs = _split(list(read_path(path, settings)))
    member = f"{path}/2022-05-11.json"
    assert [a.path for a in arts] == [f"{member}:1", f"{member}:2", f"{path}/notes/brief.txt"]
    first = arts[0]
    assert first.source == "watan-today"
    assert first.url == "https://watan-today.example/2022/05/11/a"
    assert first.title == "بدء التسجيل في برنامج التدريب الصيفي"
    assert first.published == datetime(2022, 5, 11, 1, 0)
    assert first.published_note == "metadata: date_extracted"
    assert ("author", "الرياض - سارة علي") in first.meta
    assert first.raw == first.text and first.raw.startswith(" سارة علي")
    # The record with empty content is an error naming it; README.md and __MACOSX are skipped.
    assert [str(e) for e in errs] == [f"{member}:3: record field 'content' is empty"]


def test_ingest_zip_that_is_not_a_zip(data_dir, settings):
    (err,) = read_path(data_dir / "bad" / "not-a-zip.zip", settings)
    assert isinstance(err, InputError) and "not a zip" in err.reason


def test_ingest_zip_member_errors_do_not_stop_the_zip(tmp_path, settings):
    z = tmp_path / "mixed.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.jsonl", '{"text": "النص الأول للخبر.", "source": "س"}\n{"text": \n')
        zf.writestr("b.txt", b"")
        zf.writestr("c.json", json.dumps([{"content": "نص الخبر الثاني.", "site": "ص"}], ensure_ascii=False))
        zf.writestr("d.html", "<html><body><p>ignored</p></body></html>")
    arts, errs = _split(list(read_path(z, settings)))
    assert [a.source for a in arts] == ["س", "ص"]
    assert str(errs[0]).startswith(f"{z}/a.jsonl:2: invalid JSON")
    assert str(errs[1]) == f"{z}/b.txt: empty file"


TEXT_A = "أعلنت الهيئة العامة للإحصاء ارتفاع معدل التضخم السنوي خلال الشهر الماضي بسبب أسعار الغذاء."
TEXT_B = "افتتح محافظ المدينة معرضا للفنون التشكيلية بمشاركة عشرات الفنانين من عدة دول عربية."


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_ingest_blank_id_is_treated_as_missing(tmp_path, settings):
    f = _write_jsonl(tmp_path / "ids.jsonl", [{"id": "   ", "text": TEXT_A}, {"id": "\t", "text": TEXT_B}])
    arts, errs = _split(list(read_path(f, settings)))
    assert errs == []
    assert [a.id for a in arts] == [
        hashlib.sha256(("unknown" + TEXT_A).encode()).hexdigest()[:16],
        hashlib.sha256(("unknown" + TEXT_B).encode()).hexdigest()[:16],
    ]
    one = tmp_path / "story-7.json"
    one.write_text(json.dumps({"id": " ", "text": TEXT_A}, ensure_ascii=False), encoding="utf-8")
    (a,) = read_path(one, settings)
    assert a.id == "story-7"  # a single-object file falls back to its stem


def test_ingest_record_that_cannot_be_an_article_is_an_error(tmp_path, settings, monkeypatch):
    # Whatever makes Article(...) refuse a record becomes an error naming it; the file goes on.
    f = _write_jsonl(
        tmp_path / "r.jsonl",
        [{"id": "a", "text": TEXT_A}, {"id": ["x"], "text": TEXT_B}, {"id": "c", "text": TEXT_B}],
    )
    arts, errs = _split(list(read_path(f, settings)))
    assert [a.id for a in arts] == ["a", "c"]
    assert [str(e) for e in errs] == [f"{f}:2: record field 'id' is not a string or number"]

    import marsad.ingest.files as files

    real = files.Article

    def picky(**kw):
        if kw["id"] == "c":
            raise ValueError("article id must not be empty")
        return real(**kw)

    monkeypatch.setattr(files, "Article", picky)
    arts, errs = _split(list(read_path(f, settings)))
    assert [a.id for a in arts] == ["a"]
    assert [(e.where, e.reason) for e in errs] == [
        (2, "record field 'id' is not a string or number"),
        (3, "not an article (article id must not be empty)"),
    ]


def test_ingest_first_non_empty_text_field_is_used(tmp_path, settings):
    f = _write_jsonl(
        tmp_path / "t.jsonl",
        [
            {"id": "n", "text": None, "content": TEXT_A},
            {"id": "e", "text": "", "body": TEXT_B},
            {"id": "w", "text": "  \n ", "content": None, "body": TEXT_A},
            {"id": "l", "text": ["نص"], "content": TEXT_B},
            {"id": "z", "text": None, "content": ""},
        ],
    )
    arts, errs = _split(list(read_path(f, settings)))
    assert [(a.id, a.text) for a in arts] == [("n", TEXT_A), ("e", TEXT_B), ("w", TEXT_A)]
    assert [(e.where, e.reason) for e in errs] == [
        (4, "record field 'text' is not a string"),
        (5, "record field 'text' is empty"),
    ]


def test_ingest_non_string_title_and_source_are_not_stringified(tmp_path, settings):
    f = _write_jsonl(
        tmp_path / "m.jsonl",
        [
            {"id": "a", "title": ["أ", "ب"], "source": {"name": "x"}, "text": TEXT_A},
            {"id": "b", "title": 2022, "source": 7, "text": TEXT_B},
            {"id": "c", "source": ["x"], "outlet": "صدى الخليج", "text": TEXT_B, "url": ["https://x.example"]},
        ],
    )
    arts, errs = _split(list(read_path(f, settings)))
    assert errs == []
    a, b, c = arts
    assert (a.title, a.source) == ("", "unknown")
    assert (b.title, b.source) == ("2022", "7")
    assert (c.source, c.url) == ("صدى الخليج", None)


def test_ingest_json_title_character_references_are_read(tmp_path, settings):
    path = tmp_path / "refs.json"
    record = {"id": "r1", "source": "x", "title": "مؤتمر &quot;التحالف&quot; &#8220;الدولي&#8221;",
              "text": "نص الخبر عن المؤتمر الدولي في الرياض اليوم &amp; غدا."}
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    arts, errs = _split(list(read_path(path, settings)))
    assert not errs
    assert arts[0].title == "مؤتمر \"التحالف\" “الدولي”"
    assert "&amp;" in arts[0].text  # the body is kept as written
