"""The web newsroom used as a person would, in a real headless Chromium (Debian's), via Playwright."""

from __future__ import annotations

import json
import shutil
import urllib.parse

import pytest
from conftest import ARTIFACTS, Server


def _shot(page, name: str, full: bool = True) -> None:
    """A screenshot for a person to look at: the whole page, or (long pages) what the window shows."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def _no_dialogs(page) -> list[str]:
    fired: list[str] = []

    def on_dialog(dialog):
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return fired


def test_front_page_shows_the_seed_story_with_five_outlets(page, seed_server):
    page.goto(seed_server.url + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    stories = page.locator("ol.stories > li.story")
    assert stories.count() == 1
    assert "5" in stories.first.locator(".n-outlets").inner_text()
    assert "5" in stories.first.locator(".n-articles").inner_text()
    _shot(page, "front")


def test_summary_source_link_lands_on_the_highlighted_passage(page, seed_server):
    page.goto(seed_server.url + "/")
    page.locator("ol.stories > li.story h2 a").first.click()
    page.wait_for_url("**/stories/**")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("h1").inner_text().strip()
    _shot(page, "story", full=False)
    link = page.locator("ol.summary li .sources a").first
    sentence = page.locator("ol.summary li").first.inner_text()
    link.click()
    page.wait_for_url("**/articles/**#passage")
    target = page.locator("#passage")
    assert "passage" in (target.get_attribute("class") or "")
    assert target.is_visible()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    marked = "".join(page.locator(".body .passage").all_inner_texts())
    first_words = marked.split()[:3]
    assert first_words and all(w in sentence or w.strip("،.") in sentence for w in first_words)
    _shot(page, "article-passage", full=False)


def test_claims_table_shows_agreement_and_compatible_figures(page, seed_server):
    sid = seed_server.json("/api/stories")["stories"][0]["id"]
    page.goto(f"{seed_server.url}/stories/{sid}")
    agree = page.locator("table.claims tr.verdict-agree")
    assert any("84" in t for t in agree.all_inner_texts())
    compatible = page.locator("table.claims tr.verdict-compatible").all_inner_texts()
    assert any("80" in t and "79" in t for t in compatible)
    page.locator("#claims").scroll_into_view_if_needed()
    _shot(page, "story-claims", full=False)


def test_story_page_pictures_timeline_and_outlets(page, seed_server):
    sid = seed_server.json("/api/stories")["stories"][0]["id"]
    page.goto(f"{seed_server.url}/stories/{sid}")
    assert page.locator("svg.chart-timeline circle.event").count() >= 2
    articles = seed_server.json(f"/api/stories/{sid}")["articles"]
    dated = sum(a["published"] is not None for a in articles)
    assert page.locator("svg.chart-outlets circle.article").count() == dated
    if dated < len(articles):
        assert "بلا تاريخ" in page.locator("svg.chart-outlets").inner_html()
    assert page.locator("#timeline details.background").count() == 1  # background kept apart


def test_search_box_finds_the_story_under_another_spelling(page, seed_server):
    page.goto(seed_server.url + "/")
    page.fill("nav.site input[name=q]", "بلينكين")
    page.press("nav.site input[name=q]", "Enter")
    page.wait_for_url("**/search?q=**")
    results = page.locator("ol.results > li.story")
    assert results.count() == 1
    assert page.locator("ol.results mark").count() >= 1
    _shot(page, "search")
    results.first.locator("h2 a").click()
    page.wait_for_url("**/stories/**")


def test_article_page_highlights_and_links_back(page, seed_server):
    sid = seed_server.json("/api/stories")["stories"][0]["id"]
    aid = seed_server.json(f"/api/stories/{sid}")["articles"][0]["id"]
    page.goto(f"{seed_server.url}/articles/{urllib.parse.quote(aid)}")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator(".body .ent").count() > 0
    assert page.locator(".body .qty").count() > 0
    assert page.locator(".body .time").count() > 0
    page.locator("details.removed summary").click()  # the debris cleaning removed, on request
    assert page.locator("details.removed li").count() > 0
    _shot(page, "article")
    page.locator("a", has_text="القصة").first.click()
    page.wait_for_url(f"**/stories/{sid}")


def test_pages_fit_a_phone(browser, seed_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, locale="ar")
    page = context.new_page()
    sid = seed_server.json("/api/stories")["stories"][0]["id"]
    for name, path in (("front", "/"), ("story", f"/stories/{sid}")):
        page.goto(seed_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
        _shot(page, f"phone-{name}", full=name == "front")
    context.close()


def test_hostile_articles_render_inert(page, hostile_server):
    fired = _no_dialogs(page)
    paths = ["/", "/search?q=" + urllib.parse.quote("خبر")]
    paths += [f"/stories/{s['id']}" for s in hostile_server.json("/api/stories")["stories"]]
    paths += ["/articles/xss-1", "/articles/xss-2?hl=0-30"]
    for path in paths:
        page.goto(hostile_server.url + path)
        assert page.evaluate("window.__xss === undefined"), path
        for link in page.locator("a[href]").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript:"), path
    assert fired == []
    page.goto(hostile_server.url + "/articles/xss-1")
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, not run
    _shot(page, "hostile-article")


@pytest.fixture
def ingest_server(seed_db, tmp_path):
    db = tmp_path / "upload.db"
    shutil.copy(seed_db, db)
    server = Server(db, "--allow-ingest")
    yield server
    server.stop()


def test_upload_form_ingests_files_and_reports_each_bad_one(page, ingest_server, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{"id": "up-1", "source": "صحيفة التجربة", "title": "خبر مرفوع",
                                 "published": "2022-05-12",
                                 "text": "أعلنت وزارة الصحة في الرياض اليوم عن افتتاح مستشفى جديد."}],
                               ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    page.goto(ingest_server.url + "/ingest")
    page.set_input_files("input[name=files]", [str(good), str(bad)])
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#result")
    assert "أضيف 1" in page.locator("#result .done").inner_text()
    errors = page.locator("#result .errors li").all_inner_texts()
    assert len(errors) == 1 and "broken.json" in errors[0]
    _shot(page, "ingest")
    assert ingest_server.json("/api/articles/up-1")["title"] == "خبر مرفوع"
    assert ingest_server.json("/api/stories")["total"] == 2  # the seed story is still there


def test_upload_from_another_site_is_refused(ingest_server):
    import urllib.error
    import urllib.request

    boundary = "xyz"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\nعنوان\nنص خبر طويل بما يكفي ليكون مقالا عن حدث ما في مدينة.\r\n"
            f"--{boundary}--\r\n").encode()
    req = urllib.request.Request(ingest_server.url + "/ingest", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": "http://evil.example",
        "Sec-Fetch-Site": "cross-site"})
    try:
        urllib.request.urlopen(req, timeout=30)
        status = 200
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 403
    assert ingest_server.json("/api/stories")["total"] == 1  # nothing was ingested
