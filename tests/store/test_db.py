"""Store: round-trips, atomic batches, idempotent re-writes, opening errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from builders import make_article

from marsad.errors import NotFoundError, StoreError
from marsad.model import Article, Evidence, Passage, Removal, Sentence, Span, Story, SummarySentence
from marsad.store import Store, StoryRow, db
from marsad.text.normalize import normalize

RIYADH = timezone(timedelta(hours=3))

TEXT_A = "قال وزير الخارجية الأمريكي أنتوني بلينكن إن المفاوضات في القاهرة مستمرة. وأضاف أن الاتفاق قريب."
TEXT_B = "أكد مسؤول مصري أن المفاوضات في القاهرة مستمرة، وأن وفدا إسرائيليا وصل مساء الثلاثاء."
TEXT_C = "ذكرت مصادر في الرباط أن الاجتماع بالمغرب سيعقد يوم الجمعة."


@pytest.fixture
def store():
    with Store() as s:
        yield s


def full_article(published: date | datetime | None = datetime(2024, 5, 7, 21, 30, tzinfo=RIYADH)) -> Article:
    raw = "📷 صورة أرشيفية\n" + TEXT_A + "\nحمل التطبيق الآن"
    return Article(
        id="full-1",
        source="الجزيرة نت",
        path="in/aljazeera.jsonl:3",
        title="بلينكن: المفاوضات مستمرة",
        text=TEXT_A,
        url="https://example.org/news/1",
        published=published,
        raw=raw,
        removed=(Removal(Span(0, 15), "icon-caption"), Removal(Span(len(raw) - 16, len(raw)), "app-appeal")),
        title_derived=True,
        published_note="metadata",
        meta=(("author", "مراسل"), ("site_name", "الجزيرة")),
    )


def split(article: Article) -> list[Sentence]:
    out, start = [], 0
    for i, part in enumerate(article.text.split(". ")):
        end = start + len(part)
        out.append(Sentence(article.id, i, Span(start, end), normalize(part)))
        start = end + 2
    return out


def three(store: Store) -> tuple[Article, Article, Article]:
    a = make_article(TEXT_A, id="a", source="الجزيرة", published=date(2024, 5, 7))
    b = make_article(TEXT_B, id="b", source="الأهرام", published=datetime(2024, 5, 8, 9, 0))
    c = make_article(TEXT_C, id="c", source="هسبريس", published=datetime(2024, 5, 9, 1, 0, tzinfo=RIYADH))
    store.write_batch([a, b, c], {x.id: split(x) for x in (a, b, c)})
    return a, b, c


def story_ab() -> Story:
    return Story(
        id="s-ab",
        title="مفاوضات القاهرة",
        article_ids=("b", "a"),
        copies=(
            Passage(
                "المفاوضات في القاهرة مستمرة", (Evidence("a", Span(45, 72)), Evidence("b", Span(19, 46)))
            ),
        ),
        summary=(
            SummarySentence("قال بلينكن إن المفاوضات مستمرة.", (Evidence("a", Span(0, 73)),)),
            SummarySentence("وصل وفد إسرائيلي.", (Evidence("b", Span(48, 80)), Evidence("a", Span(0, 3)))),
        ),
        duplicates=(("a", "b"),),
    )


def snapshot(store: Store) -> tuple:
    """Everything a reader can see, plus the raw SQL dump."""
    return (
        store.counts(),
        sorted(store.article_ids()),
        list(store.iter_articles()),
        [store.sentences(i) for i in sorted(store.article_ids())],
        store.list_stories(),
        list(store.iter_stories()),
        [(h.article_id, h.snippet) for h in store.search("القاهرة")],
        list(store._conn.iterdump()),
    )


# ---------------------------------------------------------------- round-trips


@pytest.mark.parametrize(
    "published",
    [
        None,
        date(2024, 5, 7),
        datetime(2024, 5, 7, 21, 30),
        datetime(2024, 5, 7, 21, 30, 5, 123456),
        datetime(2024, 5, 7, 21, 30, tzinfo=RIYADH),
        datetime(2024, 5, 7, 18, 30, tzinfo=UTC),
    ],
    ids=["none", "date", "naive", "micro", "riyadh", "utc"],
)
def test_store_article_roundtrip_keeps_every_field(store, published):
    a = full_article(published)
    assert store.write_batch([a]) == ["full-1"]
    got = store.get_article("full-1")
    assert got == a
    assert type(got.published) is type(a.published)
    if isinstance(a.published, datetime):
        assert got.published.utcoffset() == a.published.utcoffset()
        assert got.published.isoformat() == a.published.isoformat()


def test_store_article_roundtrip_survives_reopen(tmp_path):
    path = tmp_path / "m.db"
    a = full_article()
    with Store(path) as s:
        s.write_batch([a], {a.id: split(a)})
    with Store(path) as s:
        assert s.get_article(a.id) == a
        assert s.sentences(a.id) == tuple(split(a))


def test_store_sentences_roundtrip_in_order(store):
    a, b, _ = three(store)
    assert store.sentences("a") == tuple(split(a))
    assert store.sentences("b") == tuple(split(b))
    assert store.sentences("no-such") == ()


def test_store_story_roundtrip_exact(store):
    three(store)
    s = story_ab()
    store.write_batch([], stories=[s])
    assert store.get_story("s-ab") == s
    assert list(store.iter_stories()) == [s]
    assert store.story_of("a") == "s-ab" and store.story_of("b") == "s-ab"
    assert store.story_of("c") is None


def test_store_story_roundtrip_empty_parts(store):
    three(store)
    s = Story(id="s-c", title="", article_ids=("c",), copies=(Passage("x", ()),), duplicates=((),))
    store.write_batch([], stories=[s])
    assert store.get_story("s-c") == s


def test_store_get_missing_raises_not_found(store):
    three(store)
    with pytest.raises(NotFoundError, match="no-such"):
        store.get_article("no-such")
    with pytest.raises(NotFoundError, match="zz"):
        store.get_articles(["a", "zz"])
    with pytest.raises(NotFoundError, match="s-none"):
        store.get_story("s-none")


def test_store_get_articles_in_given_order(store):
    three(store)
    assert [a.id for a in store.get_articles(["c", "a", "b", "a"])] == ["c", "a", "b", "a"]
    assert store.get_articles([]) == []


def test_store_has_article_and_ids_and_counts(store):
    assert store.counts() == {"articles": 0, "stories": 0, "sentences": 0}
    three(store)
    store.write_batch([], stories=[story_ab()])
    assert store.has_article("a") and not store.has_article("x")
    assert store.article_ids() == {"a", "b", "c"}
    assert store.counts() == {"articles": 3, "stories": 1, "sentences": 4}


# ---------------------------------------------------------------- batches


def test_store_write_batch_returns_added_ids_in_input_order(store):
    a = make_article(TEXT_A, id="a")
    b = make_article(TEXT_B, id="b")
    c = make_article(TEXT_C, id="c")
    assert store.write_batch([c, a]) == ["c", "a"]
    assert store.write_batch([a, b, c, b]) == ["b"]
    assert store.counts()["articles"] == 3


def test_store_existing_article_never_overwritten(store):
    store.write_batch([make_article(TEXT_A, id="a", title="الأصل")])
    assert store.write_batch([make_article(TEXT_B, id="a", title="نسخة أخرى")]) == []
    got = store.get_article("a")
    assert got.text == TEXT_A and got.title == "الأصل"
    assert [h.article_id for h in store.search("وفدا")] == []


def test_store_rewriting_same_batch_adds_nothing(store):
    arts = [make_article(t, id=i) for i, t in (("a", TEXT_A), ("b", TEXT_B))]
    sents = {a.id: split(a) for a in arts}
    assert store.write_batch(arts, sents) == ["a", "b"]
    before = snapshot(store)
    assert store.write_batch(arts, sents) == []
    assert snapshot(store) == before


def test_store_sentences_only_for_added_articles(store):
    a = make_article(TEXT_A, id="a")
    store.write_batch([a])
    store.write_batch([a], {"a": split(a)})  # a already stored: its sentences are not added later
    assert store.sentences("a") == ()


def test_store_story_upsert_replaces_everything(store):
    three(store)
    store.write_batch([], stories=[story_ab()])
    new = Story(
        id="s-ab",
        title="عنوان جديد",
        article_ids=("a", "c"),
        summary=(SummarySentence("ملخص.", (Evidence("c", Span(0, 4)),)),),
    )
    store.write_batch([], stories=[new])
    assert store.get_story("s-ab") == new
    assert store.story_of("b") is None and store.story_of("c") == "s-ab"
    assert store.counts()["stories"] == 1


def test_store_drop_stories(store):
    three(store)
    store.write_batch([], stories=[story_ab()])
    store.write_batch([], drop_stories=["s-ab", "never-existed"])
    assert store.counts()["stories"] == 0
    assert store.story_of("a") is None
    with pytest.raises(NotFoundError):
        store.get_story("s-ab")
    assert store.counts()["articles"] == 3  # articles are never dropped with a story


def test_store_article_belongs_to_one_story(store):
    three(store)
    store.write_batch([], stories=[story_ab()])
    before = snapshot(store)
    with pytest.raises(StoreError, match="already in story 's-ab'"):
        store.write_batch([], stories=[Story(id="s-2", title="", article_ids=("a",))])
    assert snapshot(store) == before
    # moving an article is fine when the old story is rewritten in the same batch
    store.write_batch(
        [],
        stories=[
            Story(id="s-2", title="", article_ids=("a",)),
            Story(id="s-ab", title="", article_ids=("b",)),
        ],
    )
    assert store.story_of("a") == "s-2" and store.story_of("b") == "s-ab"


def test_store_batch_contradictions_rejected(store):
    three(store)
    s = Story(id="s", title="", article_ids=("a",))
    with pytest.raises(StoreError):
        store.write_batch([], stories=[s, s])
    with pytest.raises(StoreError):
        store.write_batch([], stories=[s], drop_stories=["s"])
    assert store.counts()["stories"] == 0


def test_store_failed_batch_constraint_leaves_db_unchanged(store):
    three(store)
    store.write_batch([], stories=[story_ab()])
    before = snapshot(store)
    d = make_article("خبر جديد عن القاهرة لم يخزن بعد.", id="d")
    bad = Story(
        id="s-d",
        title="",
        article_ids=("d",),
        summary=(SummarySentence("x", (Evidence("ghost", Span(0, 1)),)),),  # no such article
    )
    with pytest.raises(StoreError, match="ghost") as info:
        store.write_batch([d], {"d": split(d)}, stories=[bad], drop_stories=["s-ab"])
    assert "\n" not in str(info.value) and str(info.value).startswith(":memory:")
    assert snapshot(store) == before
    assert not store.has_article("d")


def test_store_failed_batch_exception_midway_leaves_db_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "m.db"
    with Store(path) as store:
        three(store)
        before = snapshot(store)

        def boom(*args, **kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr(db, "insert_sentences", boom)  # runs after the articles were inserted
        d = make_article("خبر جديد عن القاهرة.", id="d")
        with pytest.raises(RuntimeError, match="disk on fire"):
            store.write_batch([d], {"d": split(d)})
        assert snapshot(store) == before
        monkeypatch.undo()
        assert store.write_batch([d], {"d": split(d)}) == ["d"]  # the store still works
    with Store(path) as store:
        assert store.counts() == {"articles": 4, "stories": 0, "sentences": 5}


def test_store_foreign_key_is_the_last_line_of_defence(store, monkeypatch):
    """Even without the friendly check, the schema itself refuses evidence for an unknown article."""
    three(store)
    before = snapshot(store)
    monkeypatch.setattr(db, "existing_article_ids", lambda conn, ids: set(ids))
    bad = Story(
        id="s", title="", article_ids=("a",), copies=(Passage("x", (Evidence("ghost", Span(0, 1)),)),)
    )
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        store.write_batch([], stories=[bad])
    monkeypatch.undo()
    assert snapshot(store) == before


def test_store_rejects_sentences_of_unknown_article(store):
    a = make_article(TEXT_A, id="a")
    with pytest.raises(StoreError):
        store.write_batch([a], {"a": [Sentence("other", 0, Span(0, 3), "قال")]})
    assert store.counts()["articles"] == 0


def test_store_rejects_bad_published_type(store):
    a = make_article(TEXT_A, id="a")
    object.__setattr__(a, "published", "2024-05-07")
    with pytest.raises(StoreError, match="published"):
        store.write_batch([a])
    assert store.counts()["articles"] == 0


# ---------------------------------------------------------------- listing


def test_store_iter_articles_ordered_and_since(store):
    arts = [
        make_article("نص واحد", id="late", published=datetime(2024, 5, 9, 1, 0, tzinfo=RIYADH)),
        make_article("نص اثنان", id="undated"),
        make_article("نص ثلاثة", id="day", published=date(2024, 5, 8)),
        make_article("نص أربعة", id="utc", published=datetime(2024, 5, 8, 21, 0, tzinfo=UTC)),
        make_article("نص خمسة", id="early", published=datetime(2024, 5, 7, 23, 0)),
    ]
    store.write_batch(arts)
    # 2024-05-09 01:00 +03:00 is 2024-05-08 22:00 UTC, after 21:00 UTC
    assert [a.id for a in store.iter_articles()] == ["early", "day", "utc", "late", "undated"]
    assert [a.id for a in store.iter_articles(since=date(2024, 5, 8))] == ["day", "utc", "late", "undated"]
    assert [a.id for a in store.iter_articles(since=date(2024, 5, 9))] == ["late", "undated"]


def test_store_list_stories_ranked_recent_first_then_larger(store):
    arts = [
        make_article("أ", id="a1", source="x", published=date(2024, 5, 1)),
        make_article("ب", id="a2", source="y", published=datetime(2024, 5, 3, 10, 0)),
        make_article("ج", id="b1", source="x", published=date(2024, 5, 3)),
        make_article("د", id="c1", source="x", published=datetime(2024, 5, 3, 10, 0)),
        make_article("ه", id="c2", source="x", published=date(2024, 5, 2)),
        make_article("و", id="d1", source="z"),
    ]
    store.write_batch(
        arts,
        stories=[
            Story(id="old", title="قديمة", article_ids=("b1",)),
            Story(id="small", title="صغيرة", article_ids=("a2",)),
            Story(id="big", title="كبيرة", article_ids=("c1", "c2", "a1")),
            Story(id="undated", title="بلا تاريخ", article_ids=("d1",)),
        ],
    )
    rows = store.list_stories()
    assert [r.id for r in rows] == ["big", "small", "old", "undated"]
    assert rows[0] == StoryRow(
        id="big",
        title="كبيرة",
        n_articles=3,
        n_sources=1,
        first_published=date(2024, 5, 1),
        last_published=datetime(2024, 5, 3, 10, 0),
    )
    assert rows[3].first_published is None and rows[3].last_published is None


# ---------------------------------------------------------------- opening


def test_store_file_uses_wal_and_foreign_keys(tmp_path):
    with Store(tmp_path / "m.db") as s:
        assert s.path == str(tmp_path / "m.db")
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_store_open_non_sqlite_file_names_it(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("هذا ليس قاعدة بيانات\n" * 200, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        Store(bad)
    msg = str(info.value)
    assert msg.startswith(str(bad) + ": ") and "not a SQLite database" in msg and "\n" not in msg
    assert bad.read_text(encoding="utf-8").startswith("هذا ليس")  # left untouched


def test_store_open_unwritable_places_name_them(tmp_path):
    with pytest.raises(StoreError, match="is a directory") as info:
        Store(tmp_path)
    assert str(info.value).startswith(str(tmp_path))
    missing = tmp_path / "no" / "such" / "m.db"
    with pytest.raises(StoreError) as info:
        Store(missing)
    assert str(info.value).startswith(str(missing)) and "\n" not in str(info.value)


def test_store_closed_raises_store_error(tmp_path):
    s = Store(tmp_path / "m.db")
    s.close()
    with pytest.raises(StoreError):
        s.counts()
