"""claims: figures of a story's articles grouped by what they count, with a verdict."""

import pytest
from builders import make_article

from marsad import pipeline
from marsad.claims import TOLL_SUBJECTS, find_claims, lemma, verdict
from marsad.model import ClaimValue, Evidence, Quantity, Span
from marsad.text.sentences import split_sentences


def _claims(texts, settings, sources=None):
    arts = [make_article(t, id=f"a{i}", source=(sources or [f"outlet{i}" for i in range(len(texts))])[i])
            for i, t in enumerate(texts)]
    sentences = {a.id: split_sentences(a, settings) for a in arts}
    facts = {a.id: pipeline.extract_facts(a, ()) for a in arts}
    return find_claims(arts, facts, sentences, settings)


def _value(low, high, qualifier):
    q = Quantity("a", Span(0, 1), "x", low, high, qualifier, None, "دولة")
    return ClaimValue(q, (Evidence("a", Span(0, 1)),))


def test_claims_lemma_meets_singular_plural_and_accusative_forms():
    assert lemma("عضوا") == lemma("أعضاء") == lemma("عضو")
    assert lemma("دولة") == lemma("دول") == lemma("دولا")
    assert lemma("وزيرا") == lemma("وزراء")
    assert lemma("دولة") != lemma("عضو")


@pytest.mark.parametrize(
    ("values", "outlets", "expected"),
    [
        ([(84, 84, "exact"), (84, 84, "exact")], 3, "agree"),
        ([(80, None, "more_than"), (79, None, "more_than")], 2, "compatible"),
        ([(10_000, 10_000, "approx"), (10_000, 10_000, "exact")], 2, "compatible"),
        ([(84, 84, "exact"), (79, 79, "exact")], 2, "conflict"),
        ([(80, None, "more_than"), (75, 75, "exact")], 2, "conflict"),
        ([(80, None, "more_than"), (80, 80, "exact")], 2, "conflict"),
        ([(84, 84, "exact"), (79, 79, "exact")], 1, "single"),
    ],
)
def test_claims_verdict_reads_the_intervals_the_statements_allow(values, outlets, expected):
    assert verdict([_value(*v) for v in values], outlets, 0.1) == expected


def test_claims_on_the_seed_story(seed_run, settings):
    arts = list(seed_run.articles.values())
    claims = find_claims(arts, seed_run.facts, seed_run.sentences, settings)
    by_text = {v.text: c for c in claims for v in c.values}
    attending = by_text["أكثر من 79 دولة"]
    assert attending.verdict == "compatible"
    assert {v.text for v in attending.values} == {"أكثر من 80 دولة", "أكثر من 79 دولة"}
    assert len(attending.article_ids) == 3
    # the subject in the text's order, the figure's place marked ("attendance of representatives of …"),
    # the content words between the chosen ones kept (وحضر هذا الاجتماع ممثلو: هذا is a stopword)
    assert attending.subject in ("وحضر الاجتماع ممثلو … دولة", "حضور ممثلي … دولة")
    assert by_text["84 عضوا"].subject == "… عضوا دول ومنظمات دولية"  # not … عضوا دول دولية
    members = by_text["84 عضوا"]
    assert members.verdict == "agree" and len(members.article_ids) == 3
    assert [(v.low, v.high) for v in members.values] == [(84, 84)]
    # different things stay apart: members vs attending; the 2021 Rome figure; Syria's vs Iraq's money
    assert by_text["77 دولة"] is not attending and by_text["77 دولة"].verdict == "single"
    assert by_text["45 مليون دولار"] is not by_text["60 مليون دولار"]
    assert by_text["84 دولة"] is not attending
    # every figure is in exactly one claim
    n_figures = sum(len(f.quantities) for f in seed_run.facts.values())
    assert sum(len(e) for c in claims for v in c.values for e in [v.evidence]) == n_figures
    assert [c.verdict for c in claims] == sorted(
        (c.verdict for c in claims), key=["conflict", "compatible", "agree", "single"].index
    )


def test_claims_two_outlets_giving_different_tolls_conflict(settings):
    claims = _claims(
        ["وأسفر الهجوم على المسجد في أبها عن مقتل 15 شخصا من رجال الأمن.",
         "وأسفر الهجوم على المسجد في أبها عن مقتل 13 شخصا بينهم رجال أمن."],
        settings,
    )
    (toll,) = [c for c in claims if c.verdict != "single"]
    assert toll.verdict == "conflict"
    assert {(v.low, v.article_ids) for v in toll.values} == {(15, ("a0",)), (13, ("a1",))}


def test_claims_money_for_different_places_is_never_merged(settings):
    claims = _claims(
        ["وخصصت الولايات المتحدة 45 مليون دولار من المساعدات لإعادة إعمار المناطق المحررة في سوريا.",
         "وخصصت الولايات المتحدة 60 مليون دولار من المساعدات لإعادة إعمار المناطق المحررة في العراق."],
        settings,
    )
    assert [c.verdict for c in claims] == ["single", "single"]


def test_claims_one_outlet_twice_is_single(settings):
    claims = _claims(
        ["وشارك في الاجتماع 47 وزيرا من الدول الأعضاء.", "وشارك في الاجتماع 47 وزيرا من الدول الأعضاء."],
        settings, sources=["same", "same"],
    )
    assert [c.verdict for c in claims] == ["single"]
    assert claims[0].article_ids == ("a0", "a1")


def test_claims_the_same_measure_at_two_times_is_not_one_claim(settings):
    from datetime import date

    texts = ["وانخفض سعر خام برنت 49 سنتا إلى 56 دولارا للبرميل بحلول الساعة 07:23 بتوقيت جرينتش.",
             "وانخفض سعر خام برنت 25 سنتا إلى 57 دولارا للبرميل بحلول الساعة 13:45 بتوقيت جرينتش."]
    arts = [make_article(t, id=f"a{i}", source=f"outlet{i}", published=date(2015, 8, 1))
            for i, t in enumerate(texts)]
    sentences = {a.id: split_sentences(a, settings) for a in arts}
    facts = {a.id: pipeline.extract_facts(a, ()) for a in arts}
    assert all(f.times for f in facts.values())
    claims = find_claims(arts, facts, sentences, settings)
    assert {c.verdict for c in claims} == {"single"}


def test_claims_a_figure_joins_the_group_it_agrees_with_before_a_closer_conflicting_one(settings):
    # 2015-08-01: one outlet's "the euro rose 1.3%" shared more words with the other's "its monthly loss
    # shrank to 0.5%" than with its "rose 1.3%", and was grouped with it as a conflict
    rest = " وقال متعاملون إن الأسواق هادئة. وأغلقت البورصات الآسيوية على تباين."
    claims = _claims(
        ["وزاد اليورو 1.3 في المائة أمس. وتراجعت خسارته الشهرية مقابل الدولار الأمريكي إلى 0.5 في المائة"
         " بعد بيانات الوظائف." + rest,
         "وزاد اليورو 1.3 بالمئة مقابل الدولار الأمريكي بعد بيانات الوظائف وتراجعت خسارته الشهرية إلى 0.5"
         " بالمئة." + rest],
        settings,
    )
    assert sorted((c.verdict, [(v.low, v.article_ids) for v in c.values]) for c in claims) == [
        ("agree", [(0.5, ("a0", "a1"))]), ("agree", [(1.3, ("a0", "a1"))])]


def test_claims_a_rounded_figure_is_compatible_with_the_full_one_it_rounds(settings):
    def toll(a, b):
        claims = _claims([f"وبلغ عدد سكان المملكة {a} نسمة حسب الإحصاء العام.",
                          f"وبلغ عدد سكان المملكة {b} نسمة حسب الإحصاء العام."], settings)
        (claim,) = [c for c in claims if c.verdict != "single"]
        return claim.verdict

    assert toll("13.8 مليون", "13,809,879") == "compatible"
    assert toll("١٣٫٨ مليون", "13.81 مليون") == "compatible"
    # the figure rounds to another number: a conflict, as are two rounded figures one step apart
    assert toll("13.8 مليون", "13,909,879") == "conflict"
    assert toll("84 مليون", "85 مليون") == "conflict"
    assert toll("13,809,879", "13,809,870") == "conflict"
    # beside a figure in full, one before a scale word may be cut short (2015-08-01: 9.8 مليون ريال for
    # 9.897.953 ريالا), up to the next step and no further
    assert toll("9.8 مليون", "9,897,953") == "compatible"
    assert toll("9.8 مليون", "9,907,953") == "conflict"


def test_claims_decimals_round_and_a_separator_before_three_digits_reads_both_ways(settings):
    def verdict_of(a, b, what="أرباح تشغيلية قيمتها {} ريال في الربع الثاني"):
        claims = _claims([f"وسجلت الشركة {what.format(a)}.", f"وسجلت الشركة {what.format(b)}."], settings)
        (claim,) = [c for c in claims if c.verdict != "single"]
        return claim.verdict

    # 2015-08-03: 1.949 مليون in one outlet, 1,949 مليون in three: one figure, the separator read two ways
    assert verdict_of("1.949 مليون", "1,949 مليون") == "compatible"
    assert verdict_of("1.949 مليون", "1،949 مليون") == "compatible"  # an Arabic comma too
    assert verdict_of("1.948 مليون", "1,949 مليون") == "conflict"
    assert verdict_of("901 مليون", "900.1 مليون") == "conflict"
    # 4.9 per cent is 4.89 rounded, not 4.98
    share = "تراجعا في قطاع التشييد والبناء بنسبة {} خلال جلسة اليوم"
    assert verdict_of("4.9 في المائة", "4.89%", share) == "compatible"
    assert verdict_of("4.9 في المائة", "4.98%", share) == "conflict"


@pytest.mark.parametrize(
    ("texts", "agreed"),
    [
        # 2015-08-01: each outlet gives today's 61-cent fall and yesterday's 27-cent one; one 27 was set
        # against the other's 61 as a conflict
        (["ونزل سعر الخام الأمريكي في عقود سبتمبر 61 سنتا إلى 47.91 دولار للبرميل بعد إغلاقه منخفضا 27 سنتا"
          " في الجلسة السابقة.",
          "ووجدت الأسعار بعض الدعم. وهبط الخام الأمريكي 61 سنتًا إلى 47.91 دولار للبرميل، وكان قد أغلق"
          " منخفضًا 27 سنتًا في الجلسة السابقة."], 27.0),
        # 2015-08-03: the UAE's 60% and Qatar's 23% of the region's cargo, in both outlets
        (["وأوضح أن موانئ الإمارات وقطر تتركز فيهما نحو 60 و23 في المائة على التوالي من بضائع المنطقة، مقابل"
          " 1 في المائة في الكويت.",
          "إذ يتركز في الإمارات وقطر نحو 60% و23% من بضائع المنطقة، مقابل 1% في الكويت والبحرين."], 23.0),
    ],
)
def test_claims_two_figures_both_outlets_give_are_never_set_against_each_other(settings, texts, agreed):
    rest = " وقال متعاملون إن الأسواق هادئة. وأغلقت البورصات الآسيوية على تباين."
    claims = _claims([t + rest for t in texts], settings)
    assert not [c for c in claims if c.verdict == "conflict"]
    assert any(c.verdict == "agree" and [v.low for v in c.values] == [agreed] for c in claims)


def test_claims_figures_about_different_things_named_before_them_never_conflict(settings):
    # 2015-08-01: one outlet's platinum 1.0% was set against another's silver 0.7%: the same wire frame
    # around both, and only the noun named right before each figure tells them apart
    rest = (" وقال مزارعون إن الموسم جيد. وأغلقت الأسواق المحلية على تباين. وارتفعت الصادرات"
            " الزراعية. وصعدت أسعار الأعلاف في الشمال. وتترقب الوزارة بيانات الأمطار.")
    frame = ("وفي تقرير الوزارة عن المحاصيل الأخرى في المناطق الشمالية زاد إنتاج {} في المائة عن"
             " الموسم الماضي.")
    wheat = frame.format("القمح 1.0") + rest
    barley = frame.format("الشعير 0.7") + rest
    percents = [c for c in _claims([wheat, barley], settings) if any(v.unit == "%" for v in c.values)]
    assert [c.verdict for c in percents] == ["single", "single"]
    # the same crop in both: the outlets disagree
    other = frame.format("القمح 1.9") + rest
    same = [c for c in _claims([wheat, other], settings) if any(v.unit == "%" for v in c.values)]
    assert [c.verdict for c in same] == ["conflict"]


def test_claims_market_prices_that_differ_conflict_only_when_timed_alike(settings):
    from datetime import date

    def claims(texts):
        arts = [make_article(t, id=f"a{i}", source=f"outlet{i}", published=date(2015, 8, 1))
                for i, t in enumerate(texts)]
        sentences = {a.id: split_sentences(a, settings) for a in arts}
        facts = {a.id: pipeline.extract_facts(a, ()) for a in arts}
        return [c for c in find_claims(arts, facts, sentences, settings)
                if any(v.unit == "دولار" for v in c.values)]

    rest = (" وقال متعاملون إن الأسواق هادئة. وارتفع الدولار أمام الين. وتترقب الأسواق بيانات الوظائف"
            " الأمريكية.")
    frame = "وتراجع سعر الذهب في المعاملات الفورية 0.3 في المائة إلى {} دولار للأوقية{}."
    untimed = [frame.format("1084.80", "") + rest, frame.format("1096.20", "") + rest]
    assert [c.verdict for c in claims(untimed)] == ["single", "single"]  # two moments of the day
    at = " بحلول الساعة 06:23 بتوقيت جرينتش"
    timed = [frame.format("1084.80", at) + rest, frame.format("1096.20", at) + rest]
    assert [c.verdict for c in claims(timed)] == ["conflict"]


def test_claims_a_bare_figure_close_by_counts_as_giving_the_other_outlets_value(settings):
    # 2015-08-03: one outlet's 166 companies traded and another's 20 companies unchanged were set against
    # each other; the first outlet gives the 20 too, as a bare figure in the same sentence
    texts = ["وارتفعت أسهم 100 شركة وتراجعت أسهم 46 شركة وظلت أسهم 20 شركة أخرى بدون تغير في تداولات اليوم.",
             "وشملت عمليات اليوم أسهم 166 من الشركات المدرجة في السوق، ارتفعت منها 100، انخفضت 46، ولم يطرأ"
             " تغيير على أسهم 20."]
    assert not [c for c in _claims(texts, settings) if c.verdict == "conflict"]
    far = settings.with_overrides({"claims": {"bare_figure_reach": 10}})
    assert [c.verdict for c in _claims(texts, far) if c.verdict == "conflict"] == ["conflict"]


def test_claims_the_dead_and_the_wounded_are_different_counts(settings):
    # 2015-08-01: مقتل 46 مدنيا beside another outlet's مقتل وإصابة 35 مدنيا (the dead and wounded together)
    dead = ("أفادت مصادر محلية وشهود عيان بمقتل 46 مدنيا بينهم نساء وأطفال وجرح عدد كبير في قصف جوي طال"
            " مدينة الرطبة.")
    both = ("أعلن مصدر طبي عراقي الجمعة عن مقتل وإصابة 35 مدنيا بينهم نساء وأطفال خلال قصف جوي للقوات"
            " العراقية استهدف أحد المنازل في الرطبة.")
    other = both.replace("مقتل وإصابة", "مقتل")
    # the words around them alone would group any two casualty figures here: the role must keep them apart
    loose = settings.with_overrides({"claims": {"min_context": 0.0, "min_context_same_role": 0.0,
                                                "min_context_conflict": 0.0}})
    assert not [c for c in _claims([dead, both], loose) if c.verdict == "conflict"]
    assert [c.verdict for c in _claims([dead, other], loose) if c.verdict != "single"] == ["conflict"]


def test_claims_the_word_before_bensba_gives_the_role_not_bensba(settings):
    """2015-08-03: petrochemicals' 24% of the liquidity and the media sector's 2.92% fall, both after
    بنسبة, were one claim in conflict; one sector's share in two outlets still is one claim."""
    claims = _claims([
        "ومن حيث القروض المصرفية هذا العام جاء قطاع البتروكيماويات بنسبة 24 في المائة.",
        "ومن حيث القروض المصرفية هذا العام جاء قطاع الإعلام والنشر بنسبة 2.92 في المائة.",
    ], settings)
    assert [c.verdict for c in claims] == ["single", "single"]
    claims = _claims([
        "ومن حيث القروض المصرفية هذا العام جاء قطاع التشييد والبناء بنسبة 4.9 في المائة.",
        "وجاء قطاع التشييد والبناء بنسبة 3.9 في المائة من القروض المصرفية هذا العام.",
    ], settings)
    assert [c.verdict for c in claims] == ["conflict"]


def test_claims_a_countrys_figure_is_not_set_against_a_citys(settings):
    """2015-08-01: China's 1.3 billion people beside Beijing's 20 million was a conflict. Figures that
    agree stay one claim though a place of either kind is named near them."""
    claims = _claims([
        "وقال إنها المرة الأولى التي ينظم فيها بلد يبلغ عدد سكانه 1.3 مليار نسمة الألعاب الأولمبية.",
        "ويمكن للمدينة التي يبلغ عدد سكانها 20 مليون نسمة التعويل على نجاحها في الألعاب الأولمبية.",
    ], settings)
    assert [c.verdict for c in claims] == ["single", "single"]
    claims = _claims([
        "وحصدت بعثة المملكة في الألعاب العالمية 15 ميدالية ذهبية وفضية.",
        "وحصدت البعثة في الألعاب العالمية بمدينة لوس أنجلوس 15 ميدالية ذهبية وفضية.",
    ], settings)
    assert [c.verdict for c in claims] == ["agree"]


def test_claims_one_toll_however_each_outlet_words_it(settings):
    # the Suruc bombing (2015-07-20): outlets write the dead as قتيلا, شخصا after مقتل, or بحياة; a toll
    # of 27 early, 32 later; four of the dead were party members, and the wounded are another count
    texts = [
        "وأوقع التفجير الانتحاري في بلدة سروج التركية قرب الحدود السورية 32 قتيلا وأكثر من مئة جريح.",
        "أسفر التفجير الانتحاري عن مقتل 27 شخصا وإصابة 100 آخرين في بلدة سروج التركية.",
        "وأودى التفجير في بلدة سروج التركية بحياة 30 شخصا على الأقل. وقال الحزب إن بينهم أربعة قتلى من"
        " أعضائه، وإن الحصيلة مرشحة للارتفاع.",
        "وأوقع التفجير الانتحاري في بلدة سروج التركية قرب الحدود السورية أربعة قتلى من أعضاء الحزب الكردي.",
    ]
    claims = _claims(texts, settings)
    dead = [c for c in claims if c.subject == "حصيلة القتلى" and len(c.values) > 1]
    assert len(dead) == 1
    assert {v.text for v in dead[0].values} == {"32 قتيلا", "27 شخصا", "30 شخصا على الأقل"}
    assert dead[0].verdict == "conflict"
    # the four party members are a part of the toll, not another reading of it
    assert all("أربعة قتلى" not in {v.text for v in c.values} for c in dead)
    wounded = next(c for c in claims if c.subject == "حصيلة الجرحى")
    assert {v.text for v in wounded.values} == {"أكثر من مئة جريح", "100 آخرين"}


def test_claims_tolls_of_other_towns_or_years_stay_apart(settings):
    texts = [
        "وقتل القصف على عدن 43 مدنيا وأسفر عن مقتل 40 شخصا في الأحياء الشمالية للمدينة.",
        "وأسفر القصف على مأرب عن مقتل 45 شخصا في الأحياء الشمالية للمدينة.",
        "وأسفر تفجير مماثل في عام 2013 عن مقتل 42 شخصا في الأحياء الشمالية للمدينة.",
    ]
    assert all(len(c.article_ids) == 1 for c in _claims(texts, settings))


def test_claims_the_dead_and_wounded_together_are_a_toll_of_their_own(settings):
    # مقتل وإصابة 35 شخصا counts both: neither the dead nor the wounded of another outlet
    texts = [
        "أسفر القصف الجوي على سوق المدينة عن مقتل وإصابة 35 شخصا بينهم نساء وأطفال.",
        "أسفر القصف الجوي على سوق المدينة عن مقتل 33 شخصا بينهم نساء وأطفال.",
        "أسفر القصف الجوي على سوق المدينة عن مقتل وإصابة 36 شخصا بينهم نساء.",
    ]
    claims = {c.subject: c for c in _claims(texts, settings)}
    both = claims["حصيلة القتلى والجرحى"]
    assert {v.text for v in both.values} == {"35 شخصا", "36 شخصا"}
    assert {v.text for v in claims["حصيلة القتلى"].values} == {"33 شخصا"}


def test_claims_patients_still_in_hospital_or_discharged_are_not_the_toll(settings):
    """2015-08-03: 7 Omani pilgrims still in hospital and 27 seen off home were grouped as the crash's
    wounded. A count of patients is its own claim (two outlets giving it still agree); the wounded taken
    to hospital right after the crash are the toll."""
    texts = [
        "أسفر انقلاب حافلة تقل معتمرين على طريق الطائف عن وفاة ثمانية أشخاص وإصابة 31 شخصا نقلوا إلى"
        " مستشفى الطائف.",
        "لقي ثمانية معتمرين مصرعهم وأصيب 31 آخرون في انقلاب حافلة على طريق الطائف. وقال مدير الشؤون"
        " الصحية إن 9 مصابين من ركاب الحافلة ما زالوا يتلقون العلاج في مستشفى الطائف.",
        "وأوضح مدير الشؤون الصحية أن 9 مصابين من ركاب الحافلة لا يزالون في مستشفى الطائف. وغادر 27 مصابا"
        " من ركاب حافلة المعتمرين المستشفى بعد تماثلهم للشفاء.",
    ]
    claims = _claims(texts, settings)
    wounded = [c for c in claims if c.subject == TOLL_SUBJECTS["toll:wounded"]]
    assert [(v.low, v.article_ids) for c in wounded for v in c.values] == [(31, ("a0", "a1"))]
    assert wounded[0].verdict == "agree"
    still = next(c for c in claims if c.values[0].low == 9)
    assert still.verdict == "agree" and still.article_ids == ("a1", "a2")
    discharged = next(c for c in claims if c.values[0].low == 27)
    assert {still.subject, discharged.subject}.isdisjoint(TOLL_SUBJECTS.values())


def test_claims_patients_in_intensive_care_are_not_the_toll_but_a_toll_that_names_them_is(settings):
    """A count of those in intensive care right after its counted word is patients; intensive care named
    further on, after the toll, is where a part of it went."""
    texts = [
        "أسفر انفجار صهريج غاز في حي الربوة عن إصابة 31 شخصا نقل 4 منهم إلى العناية المركزة.",
        "أصيب 31 شخصا في انفجار صهريج غاز في حي الربوة، ويرقد 13 مصابا في العناية المركزة.",
        "قال مدير المستشفى إن 13 مصابا في العناية المركزة من ضحايا انفجار صهريج الغاز في حي الربوة.",
    ]
    claims = _claims(texts, settings)
    wounded = [c for c in claims if c.subject == TOLL_SUBJECTS["toll:wounded"]]
    assert [(v.low, v.article_ids) for c in wounded for v in c.values] == [(31, ("a0", "a1"))]
    care = [c for c in claims if any(v.low == 13 for v in c.values)]
    assert care and not any(c.subject in TOLL_SUBJECTS.values() for c in care)
