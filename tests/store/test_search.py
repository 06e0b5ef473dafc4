"""Search: normalized matching, snippets and highlights on the original text, no FTS injection."""

from __future__ import annotations

from datetime import date

import pytest
from builders import make_article

from marsad.model import Story
from marsad.store import SearchHit, Store
from marsad.store.search import ELLIPSIS, SNIPPET_CHARS

ISRAEL = make_article(
    "أعلنت إسرائيل مساء الثلاثاء أنها سترسل وفدا إلى القاهرة لاستئناف المفاوضات.",
    id="israel",
    source="الجزيرة",
    title="وفد إلى القاهرة",
    published=date(2024, 5, 7),
)
MARRAKESH = make_article(
    "افتتح الملك المعرض الدولي في مرّاكش، وقالت الوزارة إن الاستثمار بالمغرب ارتفع ٢٠٢٤ بنسبة كبيرة.",
    id="marrakesh",
    source="هسبريس",
    title="معرض دولي",
    published=date(2024, 5, 8),
)
BLINKEN_I = make_article(
    "قال وزير الخارجية الأمريكي أنتوني بلينكين إن الاتفاق ممكن.",
    id="blinkin",
    source="سكاي نيوز",
)
BLINKEN = make_article(
    "وصل بلينكن إلى عمّان في جولة جديدة.",
    id="blinken",
    source="رويترز",
)
TITLE_ONLY = make_article(
    "نص لا يذكر المدينة ولا البلد.",
    id="title-only",
    source="س",
    title="زلزال يضرب أكادير",
)
ALL = (ISRAEL, MARRAKESH, BLINKEN_I, BLINKEN, TITLE_ONLY)


@pytest.fixture
def store():
    with Store() as s:
        s.write_batch(ALL)
        yield s


def hit_texts(hit: SearchHit) -> list[str]:
    return [h.of(hit.snippet) for h in hit.highlights]


def ids(hits: list[SearchHit]) -> list[str]:
    return [h.article_id for h in hits]


@pytest.mark.parametrize(
    ("query", "article", "as_written"),
    [
        ("اسرائيل", ISRAEL, "إسرائيل"),  # no hamza in the query
        ("إسرائيل", ISRAEL, "إسرائيل"),
        ("القاهره", ISRAEL, "القاهرة"),  # ه typed for ة
        ("القَاهِرَة", ISRAEL, "القاهرة"),  # diacritics in the query
        ("مراكش", MARRAKESH, "مرّاكش"),  # shadda in the text
        ("عمان", BLINKEN, "عمّان"),
        ("2024", MARRAKESH, "٢٠٢٤"),  # Arabic-Indic digits in the text
        ("المغرب", MARRAKESH, "بالمغرب"),  # clitic بـ, found through the stem column
    ],
)
def test_search_finds_text_as_the_outlet_wrote_it(store, query, article, as_written):
    hits = store.search(query)
    assert ids(hits) == [article.id]
    hit = hits[0]
    assert hit_texts(hit) == [as_written]
    assert hit.snippet in article.text  # a short article: the whole original text, unchanged
    assert hit.title == article.title and hit.source == article.source
    assert hit.published == article.published


def test_search_different_letters_do_not_match(store):
    assert ids(store.search("بلينكن")) == ["blinken"]
    assert ids(store.search("بلينكين")) == ["blinkin"]


def test_search_words_are_anded(store):
    assert ids(store.search("اسرائيل القاهره")) == ["israel"]
    assert store.search("اسرائيل مراكش") == []
    hit = store.search("وفدا القاهرة")[0]
    assert hit_texts(hit) == ["وفدا", "القاهرة"]


def test_search_title_only_hit_snippets_the_title(store):
    hits = store.search("اكادير")
    assert ids(hits) == ["title-only"]
    assert hits[0].snippet == "زلزال يضرب أكادير"
    assert hit_texts(hits[0]) == ["أكادير"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND (",
        "*",
        "NEAR(",
        "title:",
        '"القاهرة',
        "القاهرة OR",
        "{title body}",
        "^",
        "-",
        "",
        "   ",
        "AND",
        "stems : x",
        'القاهرة" OR "مراكش',
        "القاه*",
        ")))(((",
        "'",
        "\\",
        "NOT القاهرة",
    ],
)
def test_search_query_syntax_is_never_interpreted(store, query):
    hits = store.search(query)
    assert isinstance(hits, list)
    if query == '"القاهرة':  # a stray quote is just punctuation
        assert ids(hits) == ["israel"]
    if query in ("القاهرة OR", 'القاهرة" OR "مراكش', "NOT القاهرة"):  # OR/NOT are words to find, ANDed
        assert hits == []
    if query == "القاه*":  # no prefix operator
        assert hits == []


def test_search_long_text_snippet_window(store):
    filler = "كلام عام عن الطقس والرياضة والاقتصاد في المنطقة. " * 20
    text = filler + "وفي سياق آخر وصل الوفد الإسرائيلي إلى شرم الشيخ ليلا. " + filler
    long = make_article(text, id="long", title="أخبار متفرقة")
    store.write_batch([long])
    hit = store.search("شرم الشيخ")[0]
    assert hit.article_id == "long"
    assert hit.snippet.startswith(ELLIPSIS) and hit.snippet.endswith(ELLIPSIS)
    assert len(hit.snippet) <= SNIPPET_CHARS + 60
    assert hit.snippet.strip(ELLIPSIS) in text
    assert hit_texts(hit) == ["شرم", "الشيخ"]
    assert "الإسرائيلي" in hit.snippet  # context before the hit is kept


def test_search_snippet_at_start_has_no_leading_ellipsis(store):
    text = "القاهرة " + "نص طويل للغاية يملأ المقال. " * 30
    store.write_batch([make_article(text, id="start")])
    hit = next(h for h in store.search("القاهرة") if h.article_id == "start")
    assert not hit.snippet.startswith(ELLIPSIS) and hit.snippet.endswith(ELLIPSIS)
    assert hit.highlights[0].start == 0


def test_search_ranks_title_match_first_and_limits(store):
    store.write_batch(
        [
            make_article(
                "خبر عن القاهرة في آخر سطر من نص أطول قليلا من غيره بكثير.", id="body-only", title="أخبار"
            ),
        ]
    )
    hits = store.search("القاهرة")
    assert ids(hits)[0] == "israel"  # in its title too
    assert set(ids(hits)) == {"israel", "body-only"}
    assert len(store.search("القاهرة", limit=1)) == 1
    assert store.search("القاهرة", limit=0) == []


def test_search_hit_carries_story_id(store):
    assert store.search("اسرائيل")[0].story_id is None
    store.write_batch([], stories=[Story(id="s1", title="مفاوضات", article_ids=("israel",))])
    assert store.search("اسرائيل")[0].story_id == "s1"


def test_search_survives_reopen(tmp_path):
    path = tmp_path / "m.db"
    with Store(path) as s:
        s.write_batch(ALL)
    with Store(path) as s:
        assert ids(s.search("مراكش")) == ["marrakesh"]
