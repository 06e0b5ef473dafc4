"""timeline: a story's dated events, its own apart from the background."""

from datetime import date

from builders import make_article

from marsad import pipeline
from marsad.text.sentences import split_sentences
from marsad.timeline import build_timeline


def _timeline(articles, settings):
    sentences = {a.id: split_sentences(a, settings) for a in articles}
    facts = {a.id: pipeline.extract_facts(a, ()) for a in articles}
    return build_timeline(articles, facts, sentences, settings)


def test_timeline_of_the_seed_story(seed_run, settings):
    arts = list(seed_run.articles.values())
    events = build_timeline(arts, seed_run.facts, seed_run.sentences, settings)
    own = [e for e in events if not e.background]
    past = [e for e in events if e.background]
    # the story's own days: the announcement (9 May), Blinken's withdrawal (evening of 10 May), the meeting
    assert {e.date for e in own} >= {"2022-05-09", "2022-05-10", "2022-05-11"}
    assert all(e.date.startswith("2022-05") for e in own)
    assert "بلينكن" in next(e.text for e in own if e.date == "2022-05-10")
    meeting = [e for e in own if e.date == "2022-05-11"]
    assert sum(len(e.article_ids) for e in meeting) >= 3
    # the background: the coalition founded in 2014, Rome in June 2021, the leader killed in February
    assert {"2014-09", "2021-06", "2022-02"} <= {e.date for e in past}
    assert not any("2014" in e.date or "2021" in e.date for e in own)
    # own events first, each part in date order
    assert events[: len(own)] == tuple(own)
    assert [e.date for e in own] == sorted(e.date for e in own)
    # every event is a span of its articles' text, and an undated article's dates say how they were got
    for e in events:
        for ev in e.evidence:
            assert ev.span.of(seed_run.articles[ev.article_id].text).strip()
    undated = {a.id for a in arts if a.published is None}
    assert all(e.note for e in events if set(e.article_ids) <= undated)


def test_timeline_same_event_in_two_outlets_is_one_event_citing_both(settings):
    one = "عقد وزراء خارجية دول التحالف اجتماعهم في مدينة مراكش يوم 11 مايو 2022 لبحث خطط المواجهة."
    two = "وعقد وزراء خارجية دول التحالف اجتماعهم في مراكش يوم 11 مايو 2022 لبحث خطط المواجهة."
    a = make_article(one, id="a", source="one", published=date(2022, 5, 11))
    b = make_article(two, id="b", source="two", published=date(2022, 5, 11))
    (event,) = _timeline([a, b], settings)
    assert event.date == "2022-05-11" and event.article_ids == ("a", "b") and not event.background


def test_timeline_undated_article_alone_keeps_only_what_its_text_dates(settings):
    text = "أعلنت الوزارة اليوم أنها ستعقد الاجتماع. وكان الاجتماع السابق قد عقد في حزيران 2021 في روما."
    a = make_article(text, id="a")
    events = _timeline([a], settings)
    assert [e.date for e in events] == ["2021-06"]


def test_timeline_article_without_dates_gives_its_lead_at_its_publication_date(settings):
    a = make_article("افتتح أمير المنطقة مهرجان الزهور في الحديقة العامة بحضور عدد من المسؤولين والأهالي.",
                     id="a", published=date(2015, 8, 1))
    (event,) = _timeline([a], settings)
    assert event.date == "2015-08-01" and event.note and "مهرجان" in event.text


def test_timeline_leaves_out_the_other_items_of_a_round_up_but_keeps_a_detail_one_article_gives(settings):
    """A round-up of briefs joins a story of a royal order for its first item; the relief convoy it turns
    to after من ناحية أخرى dates no event of the story. A detail only one article gives stays."""
    order = "أصدر خادم الحرمين الشريفين أمرا ملكيا بتعيين وترقية 25 قاضيا بديوان المظالم يوم 21 يوليو 2015."
    roundup = (f"{order} من ناحية أخرى، وصلت يوم 20 يوليو 2015 الدفعة الثالثة من المعونة الطبية الإغاثية "
               "إلى مدينة سيئون على متن ثلاث قاطرات عبر منفذ الوديعة.")
    detail = (f"{order} وكان رئيس ديوان المظالم قد رفع أسماء المرشحين للترقية إلى المقام السامي يوم 14 "
              "يوليو 2015 بعد اكتمال أعمال لجنة التقييم.")
    day = date(2015, 7, 21)
    arts = [make_article(t, id=k, source=k, published=day) for k, t in
            (("a", order), ("b", roundup), ("c", detail))]
    texts = [e.text for e in _timeline(arts, settings)]
    assert not any("سيئون" in t for t in texts)
    assert any("المرشحين" in t for t in texts)
    assert any("قاضيا" in t for t in texts)


def test_timeline_keeps_the_most_reported_events_of_a_date(settings):
    """A big story's day is told by many sentences; at most `timeline.max_per_date` events a date are
    kept, those the most articles state."""
    day = date(2022, 5, 11)
    shared = "عقد وزراء خارجية دول التحالف اجتماعهم في مدينة مراكش يوم 11 مايو 2022 لبحث خطط المواجهة."
    texts = {
        "a": f"{shared} ووصل الوفد الإيطالي إلى المطار يوم 11 مايو 2022 قبل بدء الجلسة الأولى بساعتين.",
        "b": f"{shared} وتظاهر عشرات الطلاب أمام مقر الاجتماع يوم 11 مايو 2022 احتجاجا على الإجراءات.",
    }
    arts = [make_article(t, id=k, source=k, published=day) for k, t in texts.items()]
    capped = settings.with_overrides({"timeline": {"max_per_date": 1}})
    assert len(_timeline(arts, settings)) == 3
    (event,) = _timeline(arts, capped)
    assert event.article_ids == ("a", "b") and "مراكش" in event.text
