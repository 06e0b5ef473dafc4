"""The web app over HTTP, from outside: routes, the JSON API's contract, errors, escaping."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
from html.parser import HTMLParser

from conftest import PAYLOAD


class _Tags(HTMLParser):
    """Every element or attribute of a page that could run code: script-like tags, event handlers,
    javascript: links. Escaped text never parses as any of these."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"{tag}[{name}={value}]")


def _q(text: str) -> str:
    return urllib.parse.quote(text)


def test_front_page_is_arabic_rtl_with_a_script_free_policy(seed_server):
    status, headers, html = seed_server.get("/")
    assert status == 200
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert "script-src" not in headers["content-security-policy"]  # default-src 'none' forbids scripts
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_api_lists_the_seed_story_with_five_outlets(seed_server):
    data = seed_server.json("/api/stories")
    assert data["total"] == 1
    (story,) = data["stories"]
    assert story["n_articles"] == 5
    assert story["n_outlets"] == 5
    assert story["first_published"].startswith("2022-05")
    assert story["entities"], "top entities listed"


def test_api_story_follows_the_export_contract(seed_server, seed_db):
    sid = seed_server.json("/api/stories")["stories"][0]["id"]
    story = seed_server.json(f"/api/stories/{sid}")
    exported = subprocess.run([sys.executable, "-m", "marsad", "export", "--db", str(seed_db)],
                              capture_output=True, text=True, check=True).stdout
    assert story == json.loads(exported)["stories"][0]
    for key in ("id", "title", "articles", "copies", "summary", "entities", "claims", "timeline", "quotes"):
        assert key in story
    verdicts = {c["verdict"] for c in story["claims"]}
    assert "agree" in verdicts


def test_api_article_spans_point_into_its_text(seed_server):
    sid = seed_server.json("/api/stories")["stories"][0]["id"]
    aid = seed_server.json(f"/api/stories/{sid}")["articles"][0]["id"]
    art = seed_server.json(f"/api/articles/{aid}")
    assert art["story"] == sid
    text = art["text"]
    assert art["mentions"] and art["quantities"]
    for m in art["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    for key in ("times", "quantities", "quotes"):
        for item in art[key]:
            assert text[item["start"]:item["end"]] == item["text"]


def test_search_finds_the_story_under_another_spelling(seed_server):
    data = seed_server.json("/api/search?q=" + _q("بلينكين"))
    assert len(data["stories"]) == 1
    assert data["stories"][0]["n_articles"] == 5
    assert data["n_articles"] >= 4  # most outlets write بلينكن, one writes بلينكين
    status, _, html = seed_server.get("/search?q=" + _q("بلينكين"))
    assert status == 200 and "<mark>" in html


def test_search_input_is_only_ever_a_bound_parameter(seed_server):
    for q in ['"', "'; DROP TABLE articles; --", "NEAR(a b)", "*", "بلينكن OR 1=1", "(", "a:b"]:
        status, _, _ = seed_server.get("/search?q=" + _q(q))
        assert status == 200, q
        assert seed_server.get("/api/search?q=" + _q(q))[0] == 200
    assert seed_server.json("/api/stories")["total"] == 1


def test_filters_and_pages(seed_server):
    assert seed_server.json("/api/stories?source=" + _q("عنب بلدي"))["total"] == 1
    assert seed_server.json("/api/stories?source=" + _q("لا أحد"))["total"] == 0
    assert seed_server.json("/api/stories?since=2030-01-01")["total"] == 0
    assert seed_server.json("/api/stories?until=2022-05-31&since=2022-05-01")["total"] == 1
    assert seed_server.get("/api/stories?since=yesterday")[0] == 400
    status, _, html = seed_server.get("/?since=yesterday")
    assert status == 200 and "not a date" in html
    status, _, html = seed_server.get("/?page=999")  # clamped to the last page
    assert status == 200 and "/stories/" in html


def test_entity_page_lists_every_spelling(seed_server):
    entities = seed_server.json("/api/entities")["entities"]
    blinken = [e for e in entities if any("بلينكن" in a for a in e["aliases"])]
    assert len(blinken) == 1
    spellings = " ".join(blinken[0]["aliases"])
    assert "بلينكين" in spellings
    status, _, html = seed_server.get("/entities/" + _q(blinken[0]["id"]))
    assert status == 200
    assert "بلينكن" in html and "بلينكين" in html
    assert 'class="chart chart-days"' in html and "<rect" in html  # stories a day
    assert "picture" not in seed_server.json("/api/entities/" + _q(blinken[0]["id"]))
    assert seed_server.json("/api/stories?entity=" + _q(blinken[0]["id"]))["total"] == 1


def test_unknown_ids_give_404_pages(seed_server):
    for path in ("/stories/nope", "/articles/nope", "/entities/nope", "/no/such/page"):
        status, headers, html = seed_server.get(path)
        assert status == 404, path
        assert headers["content-type"].startswith("text/html")
        assert '<html lang="ar" dir="rtl">' in html
        assert "Traceback" not in html
    for path in ("/api/stories/nope", "/api/articles/nope", "/api/entities/nope"):
        status, headers, body = seed_server.get(path)
        assert status == 404, path
        assert json.loads(body)["error"]


def test_openapi_describes_the_api(seed_server):
    spec = seed_server.json("/openapi.json")
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search",
                 "/api/entities"):
        assert path in spec["paths"]
    assert "/" not in spec["paths"]  # pages are not API


def test_serve_refuses_a_missing_database_in_one_line(tmp_path):
    missing = tmp_path / "nothing.db"
    r = subprocess.run([sys.executable, "-m", "marsad", "serve", "--db", str(missing), "--port", "0"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0
    assert str(missing) in r.stderr and "Traceback" not in r.stderr
    assert not missing.exists()


def test_ingest_form_only_when_allowed(seed_server):
    assert seed_server.get("/ingest")[0] == 404
    assert "/ingest" not in seed_server.get("/")[2]


def test_hostile_text_is_escaped_everywhere(hostile_server):
    pages = ["/", "/search?q=" + _q("خبر")]
    stories = hostile_server.json("/api/stories")["stories"]
    for s in stories:
        pages.append("/stories/" + _q(s["id"]))
    for aid in ("xss-1", "xss-2"):
        pages.append("/articles/" + aid)
        pages.append("/articles/" + aid + "?hl=0-40")
    for e in hostile_server.json("/api/entities")["entities"][:5]:
        pages.append("/entities/" + _q(e["id"]))
    for path in pages:
        status, _, html = hostile_server.get(path)
        assert status == 200, path
        tags = _Tags()
        tags.feed(html)
        assert not tags.bad, (path, tags.bad[:3])
        assert "\u202e" not in html, path
    # the text is still there, shown as text
    status, _, html = hostile_server.get("/articles/xss-1")
    assert "&lt;script&gt;" in html
    assert PAYLOAD not in html


def test_story_orders(seed_server):
    for sort in ("day", "recent", "size"):
        assert seed_server.json(f"/api/stories?sort={sort}")["total"] == 1
    assert seed_server.get("/api/stories?sort=nonsense")[0] == 400
    status, _, html = seed_server.get("/?sort=nonsense")
    assert status == 200 and "unknown order" in html


def test_odd_parameters_give_pages_not_errors(seed_server):
    sid = seed_server.json("/api/stories")["stories"][0]["id"]
    aid = seed_server.json(f"/api/stories/{sid}")["articles"][0]["id"]
    for hl in ("%C2%B2-%C2%B3", "5-2", "999999-9999999", "-1-5", "abc", "1-" + "9" * 40):
        status, _, html = seed_server.get(f"/articles/{_q(aid)}?hl={hl}")
        assert status == 200, hl
        assert 'id="passage"' not in html or hl == "5-2"
    status, headers, html = seed_server.get("/?page=abc")
    assert status == 400 and headers["content-type"].startswith("text/html") and "page" in html
    status, headers, body = seed_server.get("/api/stories?page=abc")
    assert status == 400 and json.loads(body)["error"]
    status, _, _ = seed_server.get("/search?q=" + _q(" ".join(f"كلمة{i}" for i in range(3000))))
    assert status == 200


def test_story_page_of_a_stale_story_is_built_before_it_is_shown(tmp_path, sample_dir):
    """A story that grew without a rebuild (`engine.rebuild_growth`) is rebuilt by the request that reads
    it: its page and API answer are built from every member."""
    from conftest import Server

    from marsad import engine
    from marsad.settings import load
    from marsad.store import Store

    conf = tmp_path / "lazy.toml"
    conf.write_text("[engine]\nrebuild_small = 3\nrebuild_growth = 1.0\n", encoding="utf-8")
    lazy = load(conf)
    seeds = sorted(sample_dir.glob("*.txt"))
    db = tmp_path / "stale.db"
    with Store(db) as store:
        engine.ingest(store, seeds[1:4], lazy)
        (sid,) = engine.ingest(store, [seeds[0]], lazy).stories
        assert store.stale_stories() == [sid]
    server = Server(db, "--settings", str(conf))
    try:
        story = server.json(f"/api/stories/{sid}")
    finally:
        server.stop()
    assert seeds[0].stem in {a for e in story["entities"] for a in e["articles"]}
    with Store(db) as store:
        assert store.stale_stories() == []
