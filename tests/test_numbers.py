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


# --- generalisation fixes (second dev set, 2015-07-25) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "unit", "counted"),
    [
        # ranges: a unit on both bounds, إلى without an opener, a dash before a unit
        ("تجاوزت بنسبة 30 % إلى 40 % عن المعروض", "30 % إلى 40 %", 30, 40, "%", None),
        ("و400 إلى 500 ريال للصنف الصغير", "400 إلى 500 ريال", 400, 500, "ريال", None),
        ("تهب الرياح بسرعة 15-35 كم/ساعة على البحر", "15-35 كم/ساعة", 15, 35, "كم/ساعة", None),
        ("وارتفاع الموج من نصف متر إلى متر ونصف غدا", "من نصف متر إلى متر ونصف", 0.5, 1.5, "متر", None),
        # parentheses around a figure, fractions, scales
        ("أجازت الجامعة أكثر من (60) رسالة علمية", "أكثر من (60) رسالة", 60, None, None, "رسالة"),
        ("بلغت حصيلة المباراة نصف مليون دولار", "نصف مليون دولار", 500_000, 500_000, "دولار", None),
        ("سيتم نشر ربع قوات الشرطة في العاصمة", "ربع قوات", 0.25, 0.25, None, "قوات"),
        ("بمبلغ تعويض قدره مليونان و804 آلاف.", "مليونان و804 آلاف", 2_804_000, 2_804_000, None, None),
        ("مبنى على مساحة 110.000م2 في الحي", "110.000م2", 110_000, 110_000, "متر مربع", None),
        # an era mark before a figure closes the year before it
        ("بلغت قيمة الأسهم لشهر يوليو 2015م، 84.41 مليار ريال", "84.41 مليار ريال", 84_410_000_000,
         84_410_000_000, "ريال", None),
        # a decimal point cut from its digits
        ("بتكلفة متوقعة تصل الى 4. 5 مليار دولار", "تصل الى 4. 5 مليار دولار", None, 4_500_000_000, "دولار",
         None),
        # a number word after the definite noun it counts, and decades of an age
        ("ورش عمل خلال الدورات الخمس المقبلة", "الدورات الخمس", 5, 5, None, "الدورات"),
        ("صفق الأعضاء الاثنين والعشرين في القاعة", "الأعضاء الاثنين والعشرين", 22, 22, None, "الأعضاء"),
        ("انتحاري يبدو في العشرينيات من عمره دخل المسجد", "العشرينيات من عمره", 20, 29, None, None),
        # numbers with a proclitic, and اثنين before من
        ("ثم ألفين ريال وألف في العام الثالث", "ألفين ريال", 2000, 2000, "ريال", None),
        ("فيبدأ الدعم بثلاثة آلاف ريال", "ثلاثة آلاف ريال", 3000, 3000, "ريال", None),
        ("أن اثنين من أفراد قوات الأمن قتلا", "اثنين من أفراد", 2, 2, None, "أفراد"),
    ],
)
def test_numbers_generalisation_figures(text, span, low, high, unit, counted):
    q = _q(text)[0]
    assert (q.text, q.low, q.high, q.unit, q.counted) == (span, low, high, unit, counted)
    assert text[q.span.start : q.span.end] == q.text


@pytest.mark.parametrize(
    ("text", "qualifier", "low", "high"),
    [
        ("تشمل المنشآت التي يعمل فيها 130 عاملا فأكثر", "at_least", 130, None),
        ("قتل 27 شخصا على الأقل في الهجوم", "at_least", 27, None),
        ("تهب رياح تصل إلى 40كم/ساعة على الساحل", "at_most", None, 40),
        ("أرباح يتجاوز 1.8 مليار ريال", "more_than", 1_800_000_000, None),
    ],
)
def test_numbers_qualifiers_after_and_verbal(text, qualifier, low, high):
    q = _one(text)
    assert (q.qualifier, q.low, q.high) == (qualifier, low, high)


@pytest.mark.parametrize(
    "text",
    [
        "أحرزت قطر لقب خليجي 22 في الرياض",  # a number in a name
        "سحب قرعة كأس العالم 2018 لكرة القدم",  # a year of an event
        "ويحصل الفائزون بالمراكز من 11 إلى 20 على جوائز",  # ranks
        "بالدورة الـ24 لمهرجان القلعة",  # an ordinal
        "تستغرق الرحلة الواحدة أياما",  # "single", not a count
        "يلعب ضد جاره وست هام يونايتد",  # West Ham
        "وقف الحارس بين الخشبات الثلاث",  # the goal
        "ودخلنا القرن الواحد والعشرين",  # an ordinal century
        "يلتقي الفريقان في ذهاب ربع نهائي البطولة",  # the quarter-final
        "ويصاحبه محاضرات (من 7 إلى 8.30 مساء)",  # hours of the day
        "تبدأ المقابلات في الـ 28 من شهر ذي الحجة",  # a Hijri day
        "1. إشارة الخطة الخمسية إلى التحول الرقمي",  # a list item
    ],
)
def test_numbers_generalisation_not_figures(text):
    assert _q(text) == ()


def test_numbers_keep_a_figure_after_a_word_in_alef_maqsura():
    assert [q.low for q in _q("سنعود إلى مستوى 3.8 و3.9 مليون برميل")] == [3.8, 3_900_000]


# --- issue 7, claims: figures SaudiNewsNet writes that were misread ------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "low", "unit"),
    [
        # aawsat writes decimals in visual order around a right-to-left mark: a.<U+200F>b is b.a
        ("ارتفعت الأسعار 9.\u200f0 في المائة", "9.\u200f0 في المائة", 0.9, "%"),
        ("بلغ معدل البطالة 6.\u200f25 في المائة", "6.\u200f25 في المائة", 25.6, "%"),
        ("صفقة بقيمة 1.\u200f116 مليار دولار", "1.\u200f116 مليار دولار", 116_100_000_000, "دولار"),
        ("البالغة جوائزها 960.\u200f407.\u200f1 يورو", "960.\u200f407.\u200f1 يورو", 1_407_960, "يورو"),
        # a mark around a whole figure only sets direction
        ("تفريعة بطول\u200f 27.5\u200f كيلومتر", "27.5\u200f كيلومتر", 27.5, "كلم"),
        ("يبلغ طولها \u200f78 كيلومترا", "78 كيلومترا", 78, "كلم"),
        # an Arabic comma between digits is a comma: decimal, or thousands before three digits
        ("وبلغت النسبة 2،5 في المائة", "2،5 في المائة", 2.5, "%"),
        ("بطول 5،438 كيلومتر", "5،438 كيلومتر", 5438, "كلم"),
    ],
)
def test_numbers_visual_order_decimals(text, span, low, unit):
    q = _one(text)
    assert (q.text, q.low, q.high, q.unit) == (span, low, low, unit)


def test_numbers_visual_order_race_time_is_no_figure():
    assert _q("بزمن 985.\u200f09.\u200f46.\u200f1 ساعة") == ()


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("بلغت الميزانية مليونا وثلاث مئة ألف ريال", "مليونا وثلاث مئة ألف ريال", 1_300_000),
        ("بقيمة ثلاثة ملايين و500 ألف ريال", "ثلاثة ملايين و500 ألف ريال", 3_500_000),
        ("حضر مئتان وخمسون شخصا", "مئتان وخمسون شخصا", 250),
        ("تبلغ ثلاث مائة وخمسين ألف ريال", "ثلاث مائة وخمسين ألف ريال", 350_000),
        ("لا يكاد يبلغ مليونا و200 ألف صفقة", "مليونا و200 ألف صفقة", 1_200_000),
        ("بلغ عددهم ألفا ومئتي شخص", "ألفا ومئتي شخص", 1200),
        ("برصيد 13 ألفا و845 نقطة", "13 ألفا و845 نقطة", 13_845),
        ("وصلت الصادرات 164 مليارا و400 مليون يورو", "164 مليارا و400 مليون يورو", 164_400_000_000),
        ("قدمت عرضا بلغ مليونا ونصف المليون ريال", "مليونا ونصف المليون ريال", 1_500_000),
        ("ما يعادل مليارا وربع المليار دولار", "مليارا وربع المليار دولار", 1_250_000_000),
        ("أضخم مشروع حجمه مليارا دولار", "مليارا دولار", 2_000_000_000),
        ("قيمتها ألف مليون دولار", "ألف مليون دولار", 1_000_000_000),
        ("يبلغ ثلاثمئة وواحدا وثلاثين ألفا وستة وعشرين معتمرا",
         "ثلاثمئة وواحدا وثلاثين ألفا وستة وعشرين معتمرا", 331_026),
        ("بقيمة (تسعة وتسعين مليونا وخمسمائة وستة آلاف وسبعمائة وخمسة وسبعين ريالا)",
         "تسعة وتسعين مليونا وخمسمائة وستة آلاف وسبعمائة وخمسة وسبعين ريالا", 99_506_775),
    ],
)
def test_numbers_compound_number_words(text, span, value):
    q = _one(text)
    assert (q.text, q.low, q.high) == (span, value, value)


def test_numbers_compound_words_edges():
    assert _q("بعدما كان الرقم مليونا واحدا في العام الماضي") == ()  # "one million" as a noun, not 1,000,001
    assert _q("قاد ألفا من الصحابة") == ()  # ألفا alone: not read (also the Greek letter)
    # a shared scale in a range belongs to both bounds; a bigger second part is another figure
    assert [(q.low, q.high) for q in _q("تتراوح أسعارها بين 135 و180 ألف دولار")] == [(135_000, 180_000)]
    assert [(q.low, q.high) for q in _q("بين 250 وحتى 620 ألف إسترليني")] == [(250_000, 620_000)]
    assert [q.low for q in _q("بين 250 ألفا و270 ألف دولار")] == [250_000]


@pytest.mark.parametrize(
    ("text", "span", "qualifier", "low", "high"),
    [
        # حتى: "up to", but "even" after a negation in its clause or after أو / بل
        ("تستوعب القاعة حتى 300 ألف شخص", "حتى 300 ألف شخص", "at_most", None, 300_000),
        ("الرسوم الرمزية لا تغطي حتى 25% من قيمة الدورة", "25%", "exact", 25, 25),
        ("ما عداهم لا يستطيع دفع حتى 10 في المائة", "10 في المائة", "exact", 10, 10),
        ("يقبل أن يدفع بل حتى 45 جنيها", "45 جنيها", "exact", 45, 45),
        ("بلغ عدد القتلى حتى الآن 30 قتيلا", "30 قتيلا", "exact", 30, 30),
        ("لم تسجل الوزارة حتى الآن 30 إصابة", "30 إصابة", "exact", 30, 30),
        # qualifiers with a preposition on them (not part of the span)
        ("قدم عرضا بحوالي 14 مليون يورو", "حوالي 14 مليون يورو", "approx", 14_000_000, 14_000_000),
        ("اكتتب بنحو 9.7 مليون سهم", "نحو 9.7 مليون سهم", "approx", 9_700_000, 9_700_000),
        ("تبرع لقرابة 300 أسرة", "قرابة 300 أسرة", "approx", 300, 300),
        ("يضم نحو 300 شخص", "نحو 300 شخص", "approx", 300, 300),
        ("بيعت بأكثر من 90 ألف ريال", "أكثر من 90 ألف ريال", "more_than", 90_000, None),
        ("يقدر بما يزيد على 10 آلاف قطعة", "ما يزيد على 10 آلاف قطعة", "more_than", 10_000, None),
        ("المتحف يضم أكثر من 10 آلاف قطعة", "أكثر من 10 آلاف قطعة", "more_than", 10_000, None),
        # verbs of exceeding, their subject between them and the figure, and their negation
        ("لعب مباريات دولية يتجاوز عددها 25 مباراة", "يتجاوز عددها 25 مباراة", "more_than", 25, None),
        ("مبيعات تجاوزت 90 ألف ريال", "تجاوزت 90 ألف ريال", "more_than", 90_000, None),
        ("وخسائر تفوق 500 مليون دولار", "تفوق 500 مليون دولار", "more_than", 500_000_000, None),
        ("في سن لم يتجاوز 19 عاما", "لم يتجاوز 19 عاما", "at_most", None, 19),
        ("ولم يتجاوز عمره 19 عاما", "لم يتجاوز عمره 19 عاما", "at_most", None, 19),
        # an opening parenthesis between the qualifier and the figure (2015-08-01)
        ("المشاركين الذين تجاوز عددهم (500 كشاف وجوال)", "تجاوز عددهم (500 كشاف", "more_than", 500, None),
        ("شارك أكثر من ( 40 فريقا وناديا)", "أكثر من ( 40 فريقا", "more_than", 40, None),
        # ليصل إلى is where a count ended up, not a bound
        ("ارتفع العدد ليصل إلى 50 قتيلا", "50 قتيلا", "exact", 50, 50),
    ],
)
def test_numbers_qualifiers_read_in_news(text, span, qualifier, low, high):
    q = _one(text)
    assert (q.text, q.qualifier, q.low, q.high) == (span, qualifier, low, high)
    assert text[q.span.start : q.span.end] == q.text


@pytest.mark.parametrize(
    ("text", "span", "qualifier", "low", "high"),
    [
        # a negation before أكثر من makes it an upper bound
        ("أما يانجكينج فلا تتلقى أكثر من 5 سنتيمترات من الثلوج", "أكثر من 5 سنتيمترات", "at_most", None, 5),
        ("لم يسجل أكثر من 3 إصابات", "أكثر من 3 إصابات", "at_most", None, 3),
        # تتراوح opens a range without بين
        ("وتتراوح أسعارها 30 و60 ريالا، لافتا", "30 و60 ريالا", "range", 30, 60),
        ("يتراوح عددهم 30 و40 شخصا", "30 و40 شخصا", "range", 30, 40),
    ],
)
def test_numbers_negated_more_than_and_ranging_verbs(text, span, qualifier, low, high):
    q = _one(text)
    assert (q.text, q.qualifier, q.low, q.high) == (span, qualifier, low, high)


def test_numbers_a_clock_time_is_no_figure():
    found = _q("ارتفع برنت 44 سنتا إلى 51.77 دولار للبرميل بحلول الساعة 0213 بتوقيت جرينتش، "
               "ونزل الخام الأمريكي إلى 46.76 دولار بحلول 1350 بتوقيت غرينتش")
    assert [(q.low, q.unit) for q in found] == [(44.0, "سنت"), (51.77, "دولار"), (46.76, "دولار")]
    assert [q.low for q in _q("قتل 1350 شخصا في الساعة الأولى")] == [1350.0]
    # حتى الساعة is "so far": the count after it stays a figure
    assert [q.low for q in _q("وبلغ عدد الإصابات حتى الساعة 1200 إصابة")] == [1200.0]
    assert [q.low for q in _q("بحلول الساعة 0213، ارتفع برنت 44 سنتا")] == [44.0]


@pytest.mark.parametrize(("text", "values"), [
    # a change and where it ended: two figures, not a range
    ("ونزل خام برنت 1.71 دولار إلى 50.50 دولار للبرميل", [(1.71, 1.71), (50.5, 50.5)]),
    ("ارتفع المؤشر 50 نقطة إلى 9000 نقطة", [(50.0, 50.0), (9000.0, 9000.0)]),
    # ranges stay ranges: no change word, a first figure without its unit, من, a range verb, بين, a dash
    ("قفزت أسعار الذهب 2 إلى 3 في المائة", [(2.0, 3.0)]),
    ("ارتفع الإنتاج من 10 إلى 12 مليون برميل", [(10e6, 12e6)]),
    ("ارتفعت درجات الحرارة لتتراوح من 40 إلى 45 درجة", [(40.0, 45.0)]),
    ("شارك 400 إلى 500 شخص", [(400.0, 500.0)]),
    ("تتراوح أسعارها 30 إلى 60 ريالا", [(30.0, 60.0)]),
    ("ارتفع عدد المشاركين ليصل بين 400 و500 شخص", [(400.0, 500.0)]),
    ("تراجعت اسعار الروبيان بنسبة 20 % -30 % في غضون يوم", [(20.0, 30.0)]),
    ("وارتفاع الموج من نصف متر إلى متر ونصف غدا", [(0.5, 1.5)]),
])
def test_numbers_x_to_y_after_a_word_of_change_is_two_figures(text, values):
    assert [(q.low, q.high) for q in _q(text)] == values
