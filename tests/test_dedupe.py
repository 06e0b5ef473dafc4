from builders import make_article

from marsad.dedupe import find_copies, find_duplicates
from marsad.text.sentences import split_sentences

WIRE = (
    "وتأسس التحالف الدولي عام 2014 لمحاربة التنظيم المتطرف الذي سيطر في أوج تمدده على مساحات واسعة "
    "بين العراق وسوريا قبل أن يفقد معظمها."
)
OTHER_A = "قال الوزير في مؤتمر صحفي إن بلاده ستواصل دعم جهود الاستقرار في المنطقة خلال الأشهر المقبلة."
OTHER_C = (
    "وتوقعت هيئة الأرصاد الجوية هطول أمطار غزيرة على المرتفعات الجنوبية مع انخفاض ملموس في درجات الحرارة."
)
OTHER_B = "وأعلنت الحكومة عن خطة جديدة لتطوير شبكة الطرق في المحافظات الشمالية بتكلفة تقارب مليار دولار."


def _sents(*articles, settings):
    return {a.id: split_sentences(a, settings) for a in articles}


def test_dedupe_finds_a_shared_wire_sentence_with_every_carrier(settings):
    a = make_article(OTHER_A + "\n\n" + WIRE, id="a")
    b = make_article(WIRE + "\n\n" + OTHER_B, id="b")
    c = make_article(OTHER_C, id="c")
    copies = find_copies([a, b, c], _sents(a, b, c, settings=settings), settings)
    assert len(copies) == 1
    p = copies[0]
    assert set(p.article_ids) == {"a", "b"}
    for e in p.evidence:
        art = {"a": a, "b": b}[e.article_id]
        assert "لمحاربة التنظيم المتطرف" in e.span.of(art.text)
        assert "قال الوزير" not in e.span.of(art.text)


def test_dedupe_near_copy_with_changed_words_still_matches(settings):
    edited = WIRE.replace("عام 2014", "في العام 2014").replace("قبل أن يفقد معظمها", "قبل أن يخسرها")
    a = make_article(WIRE, id="a")
    b = make_article(edited, id="b")
    copies = find_copies([a, b], _sents(a, b, settings=settings), settings)
    assert [set(p.article_ids) for p in copies] == [{"a", "b"}]


def test_dedupe_shared_quote_inside_longer_sentences_marks_only_the_quote(settings):
    quote = "جهود ضمان الاستقرار في المناطق التي تأثرت في السابق بهجمات التنظيم الإرهابي وأتباعه"
    a = make_article(
        f"وأكد البيان الذي نشرته الوزارة مساء أمس أن الوزراء سيستعرضون {quote} خلال الاجتماع.", id="a"
    )
    b = make_article(f"واستعرض المشاركون في اللقاء الذي احتضنته المدينة {quote} بحسب المصدر نفسه.", id="b")
    copies = find_copies([a, b], _sents(a, b, settings=settings), settings)
    assert len(copies) == 1
    for e in copies[0].evidence:
        shared = e.span.of({"a": a, "b": b}[e.article_id].text)
        assert "ضمان الاستقرار" in shared
        assert "البيان الذي نشرته" not in shared and "احتضنته المدينة" not in shared


def test_dedupe_no_copies_between_unrelated_articles(settings):
    a = make_article(OTHER_A, id="a")
    b = make_article(OTHER_B, id="b")
    assert find_copies([a, b], _sents(a, b, settings=settings), settings) == ()


def test_dedupe_consecutive_shared_sentences_form_one_passage(settings):
    second = (
        "ويضم التحالف أربعة وثمانين عضوا من الدول والمنظمات الدولية بينها حلف شمال الأطلسي والشرطة الدولية."
    )
    a = make_article(OTHER_A + "\n\n" + WIRE + " " + second, id="a")
    b = make_article(WIRE + "\n" + second + "\n\n" + OTHER_B, id="b")
    copies = find_copies([a, b], _sents(a, b, settings=settings), settings)
    assert len(copies) == 1
    assert "لمحاربة" in copies[0].text and "حلف شمال الأطلسي" in copies[0].text


def test_dedupe_same_article_twice_is_a_duplicate(settings):
    text = OTHER_A + "\n\n" + WIRE + "\n\n" + OTHER_B
    a = make_article(text, id="first")
    b = make_article(text, id="second")
    c = make_article(OTHER_B + "\n\n" + OTHER_A, id="c")
    assert find_duplicates([a, b, c], _sents(a, b, c, settings=settings), settings) == (("first", "second"),)


def test_dedupe_seed_wire_paragraphs_are_found(seed_run, settings):
    story = seed_run.stories[0]
    by_pair = [(frozenset(p.article_ids), p) for p in story.copies]
    ids = sorted(seed_run.articles)
    s000, s001, s002, s004 = (next(i for i in ids if i.startswith(p)) for p in ("000", "001", "002", "004"))
    assert any("110" in p.text for k, p in by_pair if {s000, s002} <= k)
    assert any("ضمان الاستقرار" in p.text for k, p in by_pair if {s001, s004} <= k)
    for p in story.copies:
        for e in p.evidence:
            assert e.span.end <= len(seed_run.articles[e.article_id].text)


def test_dedupe_lsh_path_finds_the_same_copies_and_duplicates(seed_run, settings, monkeypatch):
    """Big stories use MinHash LSH instead of exact candidate search: it finds the wire copies too
    (it may miss short partial overlaps that the exact search finds)."""
    from marsad import dedupe

    arts = list(seed_run.articles.values())
    twin = make_article(arts[0].text, id="zz-twin", published=arts[0].published)
    arts.append(twin)
    sents = dict(seed_run.sentences)
    sents[twin.id] = split_sentences(twin, settings)
    exact = dedupe.find_copies_and_duplicates(arts, sents, settings)
    monkeypatch.setattr(dedupe, "_EXACT_MAX_UNITS", 0)
    monkeypatch.setattr(dedupe, "_EXACT_MAX_ARTICLES", 0)
    hashed = dedupe.find_copies_and_duplicates(arts, sents, settings)
    assert hashed[1] == exact[1] and len(exact[1]) == 1 and "zz-twin" in exact[1][0]
    for copies in (exact[0], hashed[0]):
        assert any("110" in p.text and "zz-twin" in p.article_ids for p in copies)
        assert any("ضمان الاستقرار" in p.text for p in copies)
