"""The web views in process (no server): what a big story's page leaves to the article pages."""

from __future__ import annotations

from marsad.store import Store
from marsad.web import app, views


def test_a_big_story_page_links_its_later_articles_instead_of_inlining_them(seed_db, monkeypatch):
    monkeypatch.setattr(views, "INLINE_ARTICLES", 2)
    with Store(seed_db, create=False) as store:
        (row,) = store.list_stories()
        html = views.story_html(store, row.id, app._env(), version="t", allow_ingest=False, query="")
    assert html.count('<article class="article"') == 5
    assert html.count("اقرأ المقال كاملًا") == 3
    assert html.count('<div class="body">\n<p>') == 2


def test_entity_view_gathers_the_quotes_of_a_speaker(seed_db):
    with Store(seed_db, create=False) as store:
        rows = store.entities()
        quoted = [views.entity_view(store, r.entity.id) for r in rows if r.entity.type in ("PER", "ORG")]
    with_quotes = [e for e in quoted if e["quotes"]]
    assert with_quotes, "someone in the seed story is quoted"
    for e in with_quotes:
        for q in e["quotes"]:
            assert q["speaker"] == e["name"]
            assert q["href"].startswith("/articles/") and "#passage" in q["href"]
