"""extract.numbers: figures with their bounds, qualifier, unit and counted word; dates are not figures."""

import pytest

from marsad.extract.numbers import find_quantities, parse_number_words
from marsad.model import Article
from marsad.text.normalize import normalize


def _q(text):
    return find_quantities(Article(id="a", source="x", path="x", title="", text=text))


def _one(text):
    qs = _q(text)
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "qualifier", "unit", "counted"),
    [
        ("ويضم التحالف 84 عضوا بين دول ومنظمات", "84 عضوا", 84, 84, "exact", None, "عضوا"),
        ("وشارك 47 وزيرا في الاجتماع", "47 وزيرا", 47, 47, "exact", None, "وزيرا"),
        ("بحضور 80 دولة ومنظمة دولية", "80 دولة", 80, 80, "exact", None, "دولة"),
        ("تفكيك 210 خلايا إرهابية", "210 خلايا", 210, 210, "exact", None, "خلايا"),
        ("بمشاركة أكثر من 80 دولة", "أكثر من 80 دولة", 80, None, "more_than", None, "دولة"),
        ("بمشاركة أكثر من 79 دولة", "أكثر من 79 دولة", 79, None, "more_than", None, "دولة"),
        ("ويقاتل نحو 10 آلاف عنصر", "نحو 10 آلاف عنصر", 10_000, 10_000, "approx", None, "عنصر"),
        ("حوالي عشرة آلاف من مقاتلي التنظيم", "حوالي عشرة آلاف من مقاتلي", 10_000, 10_000, "approx", None,
         "مقاتلي"),
        ("قتل سبعة وسبعين شخصا", "سبعة وسبعين شخصا", 77, 77, "exact", None, "شخصا"),
        ("على مساحة أكثر من 110 آلاف كلم مربع", "أكثر من 110 آلاف كلم مربع", 110_000, None, "more_than",
         "كلم مربع", None),
        ("خصصت 700 مليون دولار للعراق", "700 مليون دولار", 700_000_000, 700_000_000, "exact", "دولار", None),
        ("مقتل أكثر من 2900 شخص", "أكثر من 2900 شخص", 2900, None, "more_than", None, "شخص"),
        ("ما يقرب من 500 حادث", "ما يقرب من 500 حادث", 500, 500, "approx", None, "حادث"),
        ("ارتفع بنسبة ٣٫٥٪ هذا العام", "٣٫٥٪", 3.5, 3.5, "exact", "%", None),
        ("تراجع بنسبة 7ر10% في الربع", "7ر10%", 10.7, 10.7, "exact", "%", None),
        ("بلغ المؤشر 9,098.27 نقطة", "9,098.27 نقطة", 9098.27, 9098.27, "exact", "نقطة", None),
        ("سقط بين 10 و20 قتيلا", "بين 10 و20 قتيلا", 10, 20, "range", None, "قتيلا"),
        ("غرامة لا تقل عن ألف ريال", "ألف ريال", 1000, 1000, "exact", "ريال", None),
        ("تضم ما لا يقل عن 30 مدرسة", "ما لا يقل عن 30 مدرسة", 30, None, "at_least", None, "مدرسة"),
        ("سجلت إصابة واحدة فقط", "إصابة واحدة", 1, 1, "exact", None, "إصابة"),
        ("ونحو 2000 من المصلين", "نحو 2000 من المصلين", 2000, 2000, "approx", None, "المصلين"),
    ],
)
def test_numbers_seed_and_news_figures(text, span, low, high, qualifier, unit, counted):
    q = _one(text)
    got = (q.text, q.low, q.high, q.qualifier, q.unit, q.counted)
    assert got == (span, low, high, qualifier, unit, counted)
    assert text[q.span.start : q.span.end] == q.text


@pytest.mark.parametrize(
    "text",
    [
        "عقد الاجتماع في 11 مايو 2022 بمراكش",
        "الأربعاء 11-05 -2022",
        "الاثنين 9 من أيار",
        "تاريخ النشر: 10 مايو 2022 22:45 GMT",
        "تأسس التحالف في عام 2014",
        "أصيب بفيروس كوفيد-19 الأسبوع الماضي",
        "هذا هو الاجتماع الأول للتحالف في إفريقيا",
        "للاستفسار اتصل على 0501234567",
        "استمرت المفاوضات ثلاثة أشهر",
        "في 25 من الشهر الجاري",
        "ونصت المادة 76 من الدستور",
        "وسجل في الدقيقة 23 هدفا",
        "قال إنه سيعود في يوم واحد",
    ],
)
def test_numbers_dates_times_names_ordinals_durations_are_not_figures(text):
    assert _q(text) == ()


def test_numbers_spans_map_back_through_diacritics_and_tatweel():
    text = "شارك أكثـــر من ثمانين دولةً في الاجتماع"
    q = _one(text)
    assert q.text == "أكثـــر من ثمانين دولةً" and q.low == 80 and q.qualifier == "more_than"


def test_numbers_words_parse():
    def p(s):
        return parse_number_words(normalize(s).split())

    assert p("عشرة آلاف لاجئ") == (10_000, 2)
    assert p("سبعة وسبعين شخصا") == (77, 2)
    assert p("ثلاثمائة وخمسين") == (350, 2)
    assert p("ثلاثة عشر طالبا") == (13, 2)
    assert p("مليون نسمة") == (1_000_000, 1)
    assert p("الاجتماع الأول") is None


def test_numbers_a_prepositional_phrase_after_a_figure_is_not_what_it_counts():
    q = _one("ويلتزم أعضاء التحالف الدولي الـ 84 بمواجهة تنظيم داعش")
    assert (q.low, q.counted) == (84, None)
    assert (_one("ارتفع المؤشر 84 بالمئة").unit, _one("ارتفع المؤشر 84 بالمئة").counted) == ("%", None)
    assert _one("وقتل 30 من المصلين").counted == "المصلين"
