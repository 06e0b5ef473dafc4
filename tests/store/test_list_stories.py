"""Store.list_stories: filters by date range and outlet, the two orders, and each story's outlets."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from builders import make_article

from marsad.model import Story
from marsad.store import STORY_ORDERS, Store

TZ = timezone(timedelta(hours=3))  # Riyadh


def fill(store: Store) -> None:
    """Four stories: old (Jan, 2 outlets), big (Mar, 4 articles, 3 outlets), new (May, one Reuters
    article dated 2024-05-11 in Riyadh, still 2024-05-10 in UTC) and undated."""
    arts = [
        make_article("نص أ", id="o1", source="الجزيرة", published=date(2024, 1, 5)),
        make_article("نص ب", id="o2", source="العربية", published=date(2024, 1, 7)),
        make_article("نص ج", id="b1", source="الجزيرة", published=date(2024, 3, 1)),
        make_article("نص د", id="b2", source="الأهرام", published=date(2024, 3, 2)),
        make_article("نص ه", id="b3", source="هسبريس", published=datetime(2024, 3, 2, 10, 0)),
        make_article("نص و", id="b4", source="الأهرام", published=date(2024, 3, 3)),
        make_article("نص ز", id="n1", source="Reuters", published=datetime(2024, 5, 11, 1, 30, tzinfo=TZ)),
        make_article("نص ح", id="u1", source="الجزيرة"),
    ]
    store.write_batch(
        arts,
        stories=[
            Story("s-old", "قديمة", ("o1", "o2")),
            Story("s-big", "كبيرة", ("b1", "b2", "b3", "b4")),
            Story("s-new", "جديدة", ("n1",)),
            Story("s-undated", "بلا تاريخ", ("u1",)),
        ],
    )


@pytest.fixture
def store():
    with Store() as s:
        fill(s)
        yield s


def ids(rows) -> list[str]:
    return [r.id for r in rows]


def test_list_stories_default_is_recent_first_with_outlets(store):
    rows = store.list_stories()
    assert ids(rows) == ["s-new", "s-big", "s-old", "s-undated"]
    big = rows[1]
    assert (big.n_articles, big.n_sources) == (4, 3)
    assert big.sources == ("الأهرام", "الجزيرة", "هسبريس")  # most articles first, then story order
    assert rows[2].sources == ("الجزيرة", "العربية")
    assert (big.first_published, big.last_published) == (date(2024, 3, 1), date(2024, 3, 3))


def test_list_stories_size_order(store):
    assert ids(store.list_stories(order="size")) == ["s-big", "s-old", "s-new", "s-undated"]
    assert set(STORY_ORDERS) == {"recent", "size", "day"}
    with pytest.raises(ValueError, match="order"):
        store.list_stories(order="oldest")


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (date(2024, 3, 3), None, ["s-new", "s-big"]),  # big's last day is 03-03
        (date(2024, 3, 4), None, ["s-new"]),
        (None, date(2024, 3, 1), ["s-big", "s-old"]),  # big's first day is 03-01
        (None, date(2024, 2, 29), ["s-old"]),
        (date(2024, 1, 6), date(2024, 1, 6), ["s-old"]),  # inside old's range, no article that day
        (date(2024, 2, 1), date(2024, 2, 28), []),
        # the Reuters article is dated 2024-05-11 in Riyadh (22:30 on the 10th in UTC): its own day counts
        (date(2024, 5, 11), date(2024, 5, 11), ["s-new"]),
        (None, date(2024, 5, 10), ["s-big", "s-old"]),
    ],
)
def test_list_stories_date_range_overlaps(store, since, until, expected):
    assert ids(store.list_stories(since=since, until=until)) == expected


def test_list_stories_by_outlet(store):
    assert ids(store.list_stories(sources=["الأهرام"])) == ["s-big"]
    assert ids(store.list_stories(sources=["الجزيرة"])) == ["s-big", "s-old", "s-undated"]
    assert ids(store.list_stories(sources=["reuters", "العربية"])) == ["s-new", "s-old"]  # Latin: any case
    assert ids(store.list_stories(sources=["الجزير"])) == []  # whole names only
    assert ids(store.list_stories(sources=["الجزيرة"], since=date(2024, 2, 1))) == ["s-big"]
    # the row still lists every outlet of the story, not only the one asked for
    assert store.list_stories(sources=["هسبريس"])[0].sources == ("الأهرام", "الجزيرة", "هسبريس")


def test_list_stories_limit(store):
    assert ids(store.list_stories(order="size", limit=2)) == ["s-big", "s-old"]
    assert store.list_stories(limit=0) == []
    assert len(store.list_stories(limit=None)) == 4


def test_list_stories_size_ties_go_to_the_more_recent():
    with Store() as store:
        store.write_batch(
            [
                make_article("نص أ", id="a1", source="x", published=date(2024, 1, 1)),
                make_article("نص ب", id="b1", source="x", published=date(2024, 6, 1)),
                make_article("نص ج", id="c1", source="x"),
            ],
            stories=[Story("a-old", "", ("a1",)), Story("b-new", "", ("b1",)), Story("0-none", "", ("c1",))],
        )
        assert ids(store.list_stories(order="size")) == ["b-new", "a-old", "0-none"]


def test_day_order_puts_a_day_s_widest_story_first():
    with Store() as store:
        store.write_batch(
            [
                make_article("نص أ", id="a1", source="x", published=datetime(2024, 6, 1, 23, 0)),
                make_article("نص ب", id="b1", source="x", published=datetime(2024, 6, 1, 8, 0)),
                make_article("نص ج", id="b2", source="y", published=datetime(2024, 6, 1, 9, 0)),
                make_article("نص د", id="c1", source="x", published=datetime(2024, 5, 31, 22, 0)),
                make_article("نص ه", id="c2", source="y", published=datetime(2024, 5, 31, 22, 0)),
                make_article("نص و", id="c3", source="z", published=datetime(2024, 5, 31, 22, 0)),
            ],
            stories=[Story("late-single", "", ("a1",)), Story("two-outlets", "", ("b1", "b2")),
                     Story("yesterday-wide", "", ("c1", "c2", "c3"))],
        )
        assert ids(store.list_stories(order="day")) == ["two-outlets", "late-single", "yesterday-wide"]
        assert ids(store.list_stories(order="recent")) == ["late-single", "two-outlets", "yesterday-wide"]


def test_pages_and_filters_count_alike(store):
    assert store.count_stories() == 4
    assert ids(store.list_stories(order="size", limit=2, offset=1)) == ["s-old", "s-new"]
    assert store.count_stories(min_articles=2) == 2
    assert ids(store.list_stories(min_articles=2)) == ["s-big", "s-old"]
    assert store.count_stories(sources=["Reuters"]) == 1


def test_an_entity_counts_the_stories_behind_each_spelling():
    from marsad.model import Entity

    e1 = Entity("eX", "السعودية", "LOC", ("السعودية", "المملكة"), (("a1", 3),))
    e2 = Entity("eX", "السعودية", "LOC", ("السعودية", "تداول"), (("b1", 2),))
    with Store() as store:
        store.write_batch(
            [make_article("نص أ", id="a1", source="x", published=date(2024, 1, 1)),
             make_article("نص ب", id="b1", source="y", published=date(2024, 1, 2))],
            stories=[Story("s1", "", ("a1",), entities=(e1,)), Story("s2", "", ("b1",), entities=(e2,))],
        )
        row = store.entity("eX")
    assert row.stories == ("s1", "s2")
    assert dict(row.form_stories) == {"السعودية": 2, "المملكة": 1, "تداول": 1}
    assert [f for f, _ in row.form_stories] == list(row.entity.aliases)


def test_top_entities_leave_out_misc_and_keep_the_story_order():
    from marsad.model import Entity

    ents = (Entity("e1", "الله", "MISC", ("الله",), (("a1", 9),)),
            Entity("e2", "أبها", "LOC", ("أبها",), (("a1", 5),)),
            Entity("e3", "منطقة عسير", "LOC", ("منطقة عسير",), (("a1", 4),)),
            Entity("e4", "فيصل بن خالد", "PER", ("فيصل بن خالد",), (("a1", 2),)))
    with Store() as store:
        store.write_batch([make_article("نص", id="a1", source="x", published=date(2024, 1, 1))],
                          stories=[Story("s1", "", ("a1",), entities=ents)])
        assert [e[1] for e in store.top_entities(["s1"], 2)["s1"]] == ["أبها", "منطقة عسير"]
        assert [e[0] for e in store.top_entities(["s1"], 5, types=("MISC",))["s1"]] == ["e1"]
