import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from marsad import cli

BAD = {
    "empty.txt": "empty file",
    "binary.txt": "binary",
    "latin1-not-arabic.txt": "not UTF-8",
    "truncated.jsonl": "invalid JSON",
    "no-text.json": "no text field",
    "only-debris.txt": "no article text left after cleaning",
    "malformed.html": "HTML",
    "not-a-zip.zip": "zip",
}


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, sample_dir, capsys):
    path = tmp_path / "m.db"
    code, _, err = run(capsys, "ingest", "--db", path, sample_dir)
    assert code == 0, err
    return path


def _story_id(capsys, db):
    code, out, _ = run(capsys, "stories", "--db", db, "--ids")
    assert code == 0
    return out.split()[0]


def test_cli_ingest_sample_gives_one_story_of_five(capsys, db):
    code, out, err = run(capsys, "stories", "--db", db)
    assert code == 0 and err == ""
    lines = out.strip().splitlines()
    assert len(lines) == 1 and "5 articles" in lines[0]


def test_cli_ingest_twice_stores_each_article_once(capsys, db, sample_dir):
    code, out, _ = run(capsys, "ingest", "--db", db, sample_dir)
    assert code == 0
    assert out.startswith("0 articles added, 5 already stored")
    code, out, _ = run(capsys, "export", "--db", db, "--format", "json")
    stories = json.loads(out)["stories"]
    assert len(stories) == 1 and len(stories[0]["articles"]) == 5


def test_cli_bad_inputs_get_one_line_each_and_good_files_are_stored(capsys, tmp_path, data_dir, sample_dir):
    db = tmp_path / "m.db"
    missing = tmp_path / "nope.txt"
    code, out, err = run(capsys, "ingest", "--db", db, data_dir / "bad", sample_dir, missing)
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert all(line.startswith("marsad: error: ") for line in lines)
    for name, reason in BAD.items():
        mine = [line for line in lines if f"/bad/{name}" in line]
        assert len(mine) == 1, (name, lines)
        assert reason in mine[0]
    assert sum(f"{missing}: " in line for line in lines) == 1
    assert "truncated.jsonl:3:" in err and "no-text.json:2:" in err
    assert out.startswith(f"{5 + 2 + 2} articles added")  # 5 seeds + 2 good JSONL lines + 2 good JSON records


def test_cli_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["ingest"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "--format", "xml"])
    assert exc.value.code == 2


def test_cli_every_command_has_help(capsys):
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(cli.COMMANDS)
    helps = {a.dest: a.help for a in sub._choices_actions}
    for name in cli.COMMANDS:
        assert helps.get(name), f"command {name} has no help text"
        with pytest.raises(SystemExit) as exc:
            cli.main([name, "--help"])
        assert exc.value.code == 0
        assert "--db" in capsys.readouterr().out


def test_cli_show_formats(capsys, db):
    sid = _story_id(capsys, db)
    for fmt in ("text", "md", "json", "html"):
        code, out, err = run(capsys, "show", "--db", db, sid, "--format", fmt)
        assert code == 0 and out.strip(), (fmt, err)
    code, out, _ = run(capsys, "show", "--db", db, sid, "--format", "json")
    story = json.loads(out)
    assert story["id"] == sid and len(story["summary"]) >= 1


def test_cli_html_report_is_rtl_with_summary_source_links(capsys, db):
    sid = _story_id(capsys, db)
    _, page, _ = run(capsys, "show", "--db", db, sid, "--format", "html")
    _, js, _ = run(capsys, "show", "--db", db, sid, "--format", "json")
    story = json.loads(js)
    assert '<html lang="ar" dir="rtl">' in page

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if "id" in a:
                self.ids.add(a["id"])
            if tag == "a" and a.get("href", "").startswith("#"):
                self.hrefs.append(a["href"][1:])

    p = Links()
    p.feed(page)
    for s in story["summary"]:
        assert s["text"].split()[0] in page
        for aid in s["articles"]:
            assert f"article-{aid}" in p.hrefs and f"article-{aid}" in p.ids


def test_cli_search_forgives_spelling(capsys, db):
    # the seeds write إفريقيا and القارة; search typed without hamza and with ه for ة
    code, out, _ = run(capsys, "search", "--db", db, "افريقيا")
    assert code == 0 and "[إفريقيا]" in out
    code, out, _ = run(capsys, "search", "--db", db, "القاره", "الافريقيه")
    assert code == 0 and "القارة" in out
    code, out, err = run(capsys, "search", "--db", db, "كرة القدم")
    assert code == 0 and out == "" and "no results" in err


def test_cli_export_formats(capsys, db):
    code, out, _ = run(capsys, "export", "--db", db, "--format", "json")
    data = json.loads(out)
    story = data["stories"][0]
    assert {"id", "title", "articles", "copies", "summary"} <= story.keys()
    art = story["articles"][0]
    assert {"id", "source", "title", "published", "path", "url", "text"} <= art.keys()
    assert all(set(c) >= {"text", "articles"} for c in story["copies"])
    assert "camera icon" not in json.dumps(data, ensure_ascii=False)
    code, out, _ = run(capsys, "export", "--db", db, "--format", "jsonl")
    assert code == 0 and len(out.strip().splitlines()) == 1
    code, out, _ = run(capsys, "export", "--db", db, "--format", "csv")
    assert code == 0 and len(out.strip().splitlines()) == 1 + 5
    code, out, _ = run(capsys, "export", "--db", db, "--format", "md")
    assert code == 0 and out.startswith("#")


def test_cli_missing_story_and_missing_db_are_one_line_errors(capsys, db, tmp_path):
    code, _, err = run(capsys, "show", "--db", db, "s-nope")
    assert code == 1 and err.count("\n") == 1 and err.startswith("marsad: error: ")
    code, _, err = run(capsys, "stories", "--db", tmp_path / "absent.db")
    assert code == 1 and err.startswith("marsad: error: ") and "absent.db" in err
    assert not (tmp_path / "absent.db").exists()


def test_cli_db_from_environment(capsys, tmp_path, sample_dir, monkeypatch):
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "env.db"))
    code, _, _ = run(capsys, "ingest", sample_dir / "000_cee659f8af265109.txt")
    assert code == 0 and (tmp_path / "env.db").exists()


def test_cli_console_script_runs(tmp_path, sample_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "marsad", "ingest", "--db", str(tmp_path / "x.db"), str(sample_dir)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "5 articles added" in proc.stdout


def test_cli_progress_bar_on_request(capsys, tmp_path, sample_dir):
    code, _, err = run(capsys, "ingest", "--db", tmp_path / "p.db", "--progress", sample_dir)
    assert code == 0
    assert "ingest" in err and "5/5" in err and "grouping 5 articles into stories" in err


def test_cli_export_to_an_unwritable_path_is_a_one_line_error(capsys, db, tmp_path):
    code, _, err = run(capsys, "export", "--db", db, "-o", tmp_path / "no" / "such" / "dir.json")
    assert code == 1 and err.count("\n") == 1 and err.startswith("marsad: error: ")
    assert "dir.json" in err and "Traceback" not in err


def test_cli_read_commands_refuse_a_foreign_sqlite_file_and_leave_it_alone(capsys, tmp_path):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    conn.close()
    before = other.read_bytes()
    for cmd in (["stories"], ["search", "x"], ["export"]):
        code, _, err = run(capsys, *cmd, "--db", other)
        assert code == 1 and "not a marsad one" in err and err.count("\n") == 1
    assert other.read_bytes() == before


# --- marsad stories: filters and orders --------------------------------------------------------------


@pytest.fixture
def dated_db(tmp_path):
    """A store with four stories of different dates and outlets (see tests/store/test_list_stories.py)."""
    from datetime import date, datetime, timedelta, timezone

    from builders import make_article

    from marsad.model import Story
    from marsad.store import Store

    tz = timezone(timedelta(hours=3))  # Riyadh
    arts = [
        make_article("نص أ", id="o1", source="الجزيرة", published=date(2024, 1, 5)),
        make_article("نص ب", id="o2", source="العربية", published=date(2024, 1, 7)),
        make_article("نص ج", id="b1", source="الجزيرة", published=date(2024, 3, 1)),
        make_article("نص د", id="b2", source="الأهرام", published=date(2024, 3, 2)),
        make_article("نص ه", id="b3", source="هسبريس", published=datetime(2024, 3, 2, 10, 0)),
        make_article("نص و", id="b4", source="الأهرام", published=date(2024, 3, 3)),
        make_article("نص ز", id="b5", source="المدى", published=date(2024, 3, 3)),
        make_article("نص ح", id="n1", source="Reuters", published=datetime(2024, 5, 11, 1, 30, tzinfo=tz)),
        make_article("نص ط", id="u1", source="الجزيرة"),
    ]
    path = tmp_path / "dated.db"
    with Store(path) as store:
        store.write_batch(
            arts,
            stories=[
                Story("s-old", "قصة قديمة", ("o1", "o2")),
                Story("s-big", "قصة كبيرة", ("b1", "b2", "b3", "b4", "b5")),
                Story("s-new", "قصة جديدة", ("n1",)),
                Story("s-undated", "قصة بلا تاريخ", ("u1",)),
            ],
        )
    return path


def _ids(capsys, db, *args):
    code, out, err = run(capsys, "stories", "--db", db, "--ids", *args)
    assert code == 0, err
    return out.split()


def test_cli_stories_lines_show_counts_outlets_dates_and_title(capsys, dated_db):
    code, out, err = run(capsys, "stories", "--db", dated_db)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["s-new", "s-big", "s-old", "s-undated"]
    big = lines[1]
    assert "2024-03-01..2024-03-03" in big and "4 outlets, 5 articles" in big
    assert "[الأهرام، الجزيرة، هسبريس +1]" in big and big.endswith("قصة كبيرة")
    assert "2024-01-05..2024-01-07" in lines[2] and "[الجزيرة، العربية]" in lines[2]
    assert "  ?  " in lines[3] and "[الجزيرة]" in lines[3]


def test_cli_stories_sort(capsys, dated_db):
    assert _ids(capsys, dated_db) == ["s-new", "s-big", "s-old", "s-undated"]
    assert _ids(capsys, dated_db, "--sort", "recent") == ["s-new", "s-big", "s-old", "s-undated"]
    assert _ids(capsys, dated_db, "--sort", "size") == ["s-big", "s-old", "s-new", "s-undated"]
    assert _ids(capsys, dated_db, "--sort", "size", "--limit", "2") == ["s-big", "s-old"]
    with pytest.raises(SystemExit) as exc:
        cli.main(["stories", "--db", str(dated_db), "--sort", "oldest"])
    assert exc.value.code == 2


def test_cli_stories_since_until(capsys, dated_db):
    assert _ids(capsys, dated_db, "--since", "2024-03-03") == ["s-new", "s-big"]
    assert _ids(capsys, dated_db, "--until", "2024-03-01") == ["s-big", "s-old"]
    assert _ids(capsys, dated_db, "--since", "2024-01-06", "--until", "2024-01-06") == ["s-old"]
    assert _ids(capsys, dated_db, "--since", "2024-05-11") == ["s-new"]  # the day as the article dates it
    code, out, err = run(capsys, "stories", "--db", dated_db, "--since", "2025-01-01")
    assert code == 0 and out == "" and "no stories match" in err


def test_cli_stories_source(capsys, dated_db):
    assert _ids(capsys, dated_db, "--source", "الأهرام") == ["s-big"]
    assert _ids(capsys, dated_db, "--source", "reuters", "--source", "العربية") == ["s-new", "s-old"]
    assert _ids(capsys, dated_db, "--source", "الجزيرة", "--until", "2024-02-01") == ["s-old"]
    assert _ids(capsys, dated_db, "--source", "لا أحد") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2024-13-01"], "--since: not a date: '2024-13-01'"),
        (["--until", "yesterday"], "--until: not a date: 'yesterday'"),
        (["--since", "2024-1-5"], "--since: not a date: '2024-1-5'"),
        (["--since", "2024-02-30"], "--since: not a date"),
        (["--since", "2024-03-02", "--until", "2024-03-01"], "--since 2024-03-02 is after --until"),
        (["--limit", "-1"], "--limit"),
    ],
)
def test_cli_stories_bad_arguments_are_one_line_usage_errors(capsys, dated_db, args, message):
    code, out, err = run(capsys, "stories", "--db", dated_db, *args)
    assert code == 2 and out == ""
    assert err.startswith("marsad: error: ") and err.count("\n") == 1 and message in err


def test_cli_stories_seed_outlet_filter(capsys, db):
    code, out, _ = run(capsys, "stories", "--db", db, "--source", "إرم نيوز")
    assert code == 0 and out.strip()
    assert all("إرم نيوز" in line for line in out.splitlines())


@pytest.mark.parametrize("args", [["stories"], ["search", "سلطنة عمان"]])
def test_cli_lines_name_the_unknown_outlet_in_words_as_show_does(capsys, db, args):
    code, out, _ = run(capsys, args[0], "--db", db, *args[1:])
    assert code == 0 and "منفذ غير معروف" in out  # seed 000 names no outlet
    assert "unknown" not in out


# --- marsad show: provenance -------------------------------------------------------------------------


def test_cli_show_json_has_provenance(capsys, db):
    for sid in _ids(capsys, db):
        code, out, _ = run(capsys, "show", "--db", db, sid, "--format", "json")
        assert code == 0
        story = json.loads(out)
        ids = [a["id"] for a in story["articles"]]
        for c in story["copies"]:
            assert c["first"] in ids and c["first"] == c["carriers"][0]["article"]
            assert [x["article"] for x in c["carriers"]] == c["articles"]
            assert c["credit"] is None or isinstance(c["credit"], str)
        for a in story["articles"]:
            assert 0 <= a["original_share"] <= 1
            assert a["shared_share"] == pytest.approx(1 - a["original_share"])
            assert a["republishes"] is None or a["republishes"] in ids
        if story["copies"]:
            firsts = {c["first"] for c in story["copies"]}
            assert any(a["original_share"] == 1.0 for a in story["articles"] if a["id"] in firsts)
            code, text, _ = run(capsys, "show", "--db", db, sid)
            assert "(provenance)" in text and "%" in text


def test_cli_export_json_has_provenance_keys(capsys, db):
    code, out, _ = run(capsys, "export", "--db", db, "--format", "json")
    assert code == 0
    for story in json.loads(out)["stories"]:
        for c in story["copies"]:
            assert {"first", "credit", "carriers"} <= c.keys()
        for a in story["articles"]:
            assert {"original_share", "shared_share", "republishes"} <= a.keys()


def test_cli_extract_json_gives_spans_into_the_cleaned_text_and_resolved_values(capsys, sample_dir, settings):
    from marsad import pipeline
    from marsad.ingest import read_path

    seed = sample_dir / "003_9eb9693275b328fe.txt"
    code, out, err = run(capsys, "extract", "--format", "json", seed)
    assert code == 0, err
    (art,) = json.loads(out)["articles"]
    text = pipeline.prepare(next(iter(read_path(seed, settings))), settings).article.text
    items = [*art["times"], *art["quantities"], *art["quotes"]]
    assert items
    for item in items:
        assert text[item["start"] : item["end"]] == item["text"]
    assert {"value": "2022-05-11", "granularity": "day"}.items() <= art["times"][0].items()
    ministers = next(q for q in art["quantities"] if q["counted"] == "وزيرا")
    assert (ministers["low"], ministers["high"], ministers["qualifier"]) == (47, 47, "exact")
    countries = next(q for q in art["quantities"] if q["counted"] == "دولة")
    assert (countries["low"], countries["high"], countries["qualifier"]) == (79, None, "more_than")
    assert set(art) >= {"id", "times", "quantities", "quotes"}


def test_cli_extract_bad_and_missing_files_are_one_line_errors_and_the_rest_goes_on(
    capsys, sample_dir, data_dir, tmp_path
):
    seed = sample_dir / "003_9eb9693275b328fe.txt"
    code, out, err = run(capsys, "extract", "--format", "json", tmp_path / "nope.txt",
                         data_dir / "bad" / "empty.txt", seed)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "nope.txt" in lines[0] and "empty.txt" in lines[1]
    assert "Traceback" not in err
    assert [a["id"] for a in json.loads(out)["articles"]] == ["003_9eb9693275b328fe"]
    code, out, _ = run(capsys, "extract", seed)
    assert code == 0 and "47 وزيرا → 47..47 [exact]" in out


def test_cli_show_and_export_carry_each_articles_facts(capsys, db):
    sid = _story_id(capsys, db)
    code, out, _ = run(capsys, "show", "--db", db, "--format", "json", sid)
    assert code == 0
    story = json.loads(out)
    assert "quotes" in story
    for a in story["articles"]:
        for item in (*a["times"], *a["quantities"], *a["quotes"]):
            assert a["text"][item["start"] : item["end"]] == item["text"]
    assert any(q["low"] == 84 and q["counted"] for a in story["articles"] for q in a["quantities"])
    code, out, _ = run(capsys, "show", "--db", db, sid)
    assert "أرقام (figures):" in out and "تواريخ (dates):" in out
    code, out, _ = run(capsys, "export", "--db", db, "--format", "jsonl")
    assert json.loads(out.splitlines()[0])["articles"][0]["times"] is not None


def test_cli_show_lists_claims_with_verdicts_in_every_format(capsys, db):
    sid = _story_id(capsys, db)
    code, out, _ = run(capsys, "show", "--db", db, "--format", "json", sid)
    claims = json.loads(out)["claims"]
    assert {c["verdict"] for c in claims} <= {"agree", "compatible", "conflict", "single"}
    attending = next(c for c in claims if any(v["value"] == "أكثر من 79 دولة" for v in c["values"]))
    assert attending["verdict"] == "compatible"
    assert sorted((v["low"], v["high"], v["qualifier"]) for v in attending["values"]) == [
        (79, None, "more_than"), (80, None, "more_than")
    ]
    assert sum(len(v["articles"]) for v in attending["values"]) == 3
    for fmt, mark in (("text", "متوافق (compatible)"), ("md", "| متوافق (compatible) |"),
                      ("html", 'class="verdict-compatible"')):
        code, out, _ = run(capsys, "show", "--db", db, "--format", fmt, sid)
        assert code == 0 and mark in out and "أكثر من 79 دولة" in out
        # each value says when it was first reported: Erem News (004) wrote "more than 80" on the 10th at
        # 22:45, before the other outlets; "more than 79" came on the 11th
        first = {"text": "أول نشر {}", "md": "(أول نشر {})",
                 "html": 'title="أول نشر (first reported)">{}<'}[fmt]
        assert first.format("2022-05-10 22:45") in out and first.format("2022-05-11") in out


def test_cli_show_has_the_timeline_with_background_apart(capsys, db):
    sid = _story_id(capsys, db)
    code, out, _ = run(capsys, "show", "--db", db, "--format", "json", sid)
    timeline = json.loads(out)["timeline"]
    assert {"date", "text", "articles", "background"} <= timeline[0].keys()
    assert any(e["date"] == "2022-05-11" and not e["background"] for e in timeline)
    assert any(e["date"] == "2014-09" and e["background"] for e in timeline)
    code, out, _ = run(capsys, "show", "--db", db, sid)
    assert code == 0 and "التسلسل الزمني (timeline)" in out and "خلفية (background):" in out
    code, out, _ = run(capsys, "show", "--db", db, "--format", "html", sid)
    assert code == 0 and 'id="timeline"' in out and 'class="background"' in out


def test_entry_ignores_a_ctrl_c_once_the_work_is_done(monkeypatch):
    """A Ctrl-C landing while the interpreter shuts down would kill a finished run (exit -2, seen in
    test_crash): the console script ignores SIGINT once `main` has returned."""
    import signal

    from marsad import cli

    monkeypatch.setattr(cli, "main", lambda: 0)
    before = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as done:
            cli.entry()
        assert done.value.code == 0 and signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
