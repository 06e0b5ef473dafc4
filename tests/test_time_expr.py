"""marsad.extract.time.find_times: time expressions found, with original offsets, and resolved."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from builders import make_article

from marsad.extract.time import TimeExpression, find_times

MAY_11 = date(2022, 5, 11)  # a Wednesday, the seeds' publication day
AUG_3 = date(2015, 8, 3)  # a Monday, the SaudiNewsNet dev day


def times(text: str, published: date | datetime | None = MAY_11) -> list[tuple[str, str | None, str]]:
    """(text, value, granularity) of every expression found in `text`."""
    return [(t.text, t.value, t.granularity) for t in find_times(make_article(text, published=published))]


def one(text: str, published: date | datetime | None = MAY_11) -> TimeExpression:
    found = find_times(make_article(text, published=published))
    assert len(found) == 1, found
    return found[0]


# --- the seed expressions of the issue ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("نشر في 11مايو 2022", None, ("11مايو 2022", "2022-05-11", "day")),
        ("الأربعاء 11-05 -2022", None, ("الأربعاء 11-05 -2022", "2022-05-11", "day")),
        ("تاريخ النشر: 10 مايو 2022 22:45 GMT", None,
         ("10 مايو 2022 22:45 GMT", "2022-05-10T22:45Z", "time")),
        ("أعلن الوزير، مساء الثلاثاء، أنه", MAY_11, ("مساء الثلاثاء", "2022-05-10", "day")),
        ("وتأسس التحالف في أيلول/سبتمبر 2014.", None, ("أيلول/سبتمبر 2014", "2014-09", "month")),
        ("قتل في عام 2021 أكثر من 2900 شخص", None, ("عام 2021", "2021", "year")),
        ("وتأسس في العام 2014 لمحاربة", None, ("العام 2014", "2014", "year")),
        ("وكان التحالف أعلن قبل أشهر عن", MAY_11, ("قبل أشهر", None, "vague")),
        ("خصصت في العام الماضي 45 مليون دولار", MAY_11, ("العام الماضي", "2021", "year")),
        ("ستخصص 700 مليون دولار هذا العام", MAY_11, ("هذا العام", "2022", "year")),
        ("الأسبوع الماضي", MAY_11, ("الأسبوع الماضي", "2022-05-02/2022-05-08", "week")),
    ],
)
def test_seed_expressions(text, published, expected):
    assert times(text, published) == [expected]


def test_today_and_weekday_date_are_two_expressions():
    assert times("أعلنت الوزارة اليوم، الاثنين 9 من أيار، أن المغرب") == [
        ("اليوم", "2022-05-11", "day"),
        ("الاثنين 9 من أيار", "2022-05-09", "day"),
    ]


def test_next_wednesday_and_this_month():
    assert times("يحتضن الاجتماع الأربعاء المقبل، 11 من أيار الحالي.", date(2022, 5, 9)) == [
        ("الأربعاء المقبل", "2022-05-11", "day"),
        ("11 من أيار الحالي", "2022-05-11", "day"),
    ]


def test_next_weekday_is_never_today():
    assert one("الأربعاء المقبل").value == "2022-05-18"


@pytest.mark.parametrize(
    ("text", "value"),
    [("اليوم", "2022-05-11"), ("أمس", "2022-05-10"), ("غدا", "2022-05-12"), ("أول من أمس", "2022-05-09"),
     ("يوم أمس الأول", "2022-05-09"), ("بعد غد", "2022-05-13"), ("صباح اليوم", "2022-05-11")],
)
def test_relative_days(text, value):
    t = one(f"وقال المتحدث {text} إن")
    assert (t.text, t.value, t.granularity) == (text, value, "day")


def test_weekday_given_for_today_moves_a_utc_timestamp():
    # seed 004: published 22:45 UTC on Tuesday, and its text says "today, Wednesday"
    published = datetime(2022, 5, 10, 22, 45, tzinfo=UTC)
    text = "أعلن بلينكن، مساء الثلاثاء، أنه لن يشارك في الاجتماع الذي سينظم بمدينة مراكش اليوم الأربعاء، بسبب"
    assert times(text, published) == [
        ("مساء الثلاثاء", "2022-05-10", "day"),
        ("اليوم الأربعاء", "2022-05-11", "day"),
    ]


def test_yesterday_with_weekday_in_parentheses():
    assert times("قال كيري أمس (الاحد) إن", AUG_3) == [("أمس (الاحد)", "2015-08-02", "day")]


# --- past and future bias ------------------------------------------------------------------------------


def test_bare_weekday_is_past_in_past_reporting():
    assert one("وعقد الاجتماع الأحد في الرباط").value == "2022-05-08"


@pytest.mark.parametrize("verb", ["سيعقد", "ستعقد", "وسوف يعقد"])
def test_bare_weekday_is_future_after_a_future_verb(verb):
    assert one(f"{verb} الاجتماع الأحد في الرباط").value == "2022-05-15"


def test_weekday_today_is_today():
    assert one("وانطلق الاجتماع الأربعاء في مراكش").value == "2022-05-11"


@pytest.mark.parametrize(
    ("text", "value"),
    [("الجمعة الماضي", "2015-07-31"), ("يوم الخميس الماضي", "2015-07-30"), ("الأحد المقبل", "2015-08-09"),
     ("السبت القادم", "2015-08-08"), ("الاثنين", "2015-08-03")],
)
def test_weekday_with_relative_word(text, value):
    assert one(f"هاجموا {text} نقطة تفتيش", AUG_3).value == value


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        ("في فبراير", MAY_11, "2022-02"),
        ("في ديسمبر", MAY_11, "2021-12"),
        ("في ديسمبر", AUG_3, "2015-12"),
        ("في مارس", AUG_3, "2015-03"),
        ("في مارس الماضي", MAY_11, "2022-03"),
        ("في مايو المقبل", MAY_11, "2023-05"),
        ("منذ 26 مارس", MAY_11, "2022-03-26"),
        ("يوم 29 مايو أيار الماضي", MAY_11, "2021-05-29"),
        ("في 22 ديسمبر المقبل", MAY_11, "2022-12-22"),
    ],
)
def test_dates_without_a_year(text, published, value):
    # the nearest such date, a future one counting 1.5 times its distance: December is last December
    # in May, but this December in August
    t = one(text, published)
    assert t.value == value
    assert t.text == text.removeprefix("في ").removeprefix("منذ ")


def test_a_date_named_twice_keeps_its_year():
    text = "الانتخابات يوم 26 فبراير شباط القادم. وقال إنه سيرحل عند اختيار رئيس جديد يوم 26 فبراير."
    assert [t.value for t in find_times(make_article(text, published=AUG_3))] == ["2016-02-26", "2016-02-26"]


def test_weekday_that_does_not_match_the_date_keeps_the_date():
    t = one("الثلاثاء 11 مايو 2022")  # 11 May 2022 was a Wednesday
    assert (t.value, t.granularity) == ("2022-05-11", "day")
    assert "الثلاثاء" in t.reason


# --- no publication date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "granularity"),
    [("اليوم", "day"), ("الأربعاء المقبل", "day"), ("11 من أيار الحالي", "day"), ("هذا العام", "year"),
     ("الأسبوع المقبل", "week"), ("قبل شهر", "month"), ("في فبراير", "month")],
)
def test_relative_without_publication_date_is_unresolved_with_reason(text, granularity):
    t = one(f"وقال {text} إن", None)
    assert (t.value, t.granularity) == (None, granularity)
    assert "publication date" in t.reason


def test_absolute_dates_resolve_without_publication_date():
    assert times("وفي حزيران 2021، شارك الوزير. ومنذ هجمات 11 سبتمبر 2001", None) == [
        ("حزيران 2021", "2021-06", "month"),
        ("11 سبتمبر 2001", "2001-09-11", "day"),
    ]


# --- Hijri -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("1436هـ", "2014-10-25/2015-10-13", "year"),
        ("15 شوال 1436", "2015-07-31", "day"),
        ("١٤٣٦/١٠/١٥ هـ", "2015-07-31", "day"),
        ("يوم 14 / 10 / 1436هـ", "2015-07-30", "day"),
        ("شوال 1434هـ", "2013-08-08/2013-09-06", "month"),
        ("19 محرم 1437هـ", "2015-11-01", "day"),
    ],
)
def test_hijri_dates(text, value, granularity):
    t = one(f"بدأ البرنامج في {text} بعدة مراحل", None)
    assert (t.text, t.value, t.granularity) == (text, value, granularity)


def test_hijri_month_relative_to_publication():
    assert times("في لقاء عقد في رمضان الماضي", AUG_3) == [("رمضان الماضي", "2015-06-18/2015-07-16", "month")]


def test_hijri_date_and_its_gregorian_equivalent_are_separate():
    assert times("وتبدأ في 19 محرم 1437هـ (الموافق 2 نوفمبر 2015م)", AUG_3) == [
        ("19 محرم 1437هـ", "2015-11-01", "day"),
        ("2 نوفمبر 2015م", "2015-11-02", "day"),
    ]


# --- false positives ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "التقى لويجي دي مايو نظيره",
        "عقد الاجتماع في أحد فنادق مراكش",
        "أسفر عن مقتل أكثر من 2900 شخص",
        "وحضر أكثر من 2000 شخص",
        "وبلغ عدد المرضى 1466 مريضا",
        "وكان في المسجد خلال صلاة الجمعة",
        "مقارنة مع اليوم الأول لبدء الموسم",
        "أنتج 10 ملايين برميل في اليوم",
        "رئيس اللجنة عبد الأحد جمال الدين",
        "استمر ذلك لمدة عام واحد",
        "الرئيس رجب طيب أردوغان",
        "وصفق الأعضاء الاثنين والعشرين",
        "قبل يوم الزفاف بيوم واحد",
        "يصلون في اليوم خمس مرات",
        "بتأخير الساعة 30 دقيقة",
        "إذا ظل طفلك طوال اليوم أمام الشاشة",
        "الإيمان بالله واليوم الآخر",
    ],
)
def test_not_time(text):
    assert times(text) == []


def test_half_of_something_else_is_not_a_half_year():
    assert times("منذ النصف الثاني من عقد الثمانينيات", AUG_3) == [("الثمانينيات", None, "vague")]


# --- years, periods, times ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [("في 2014 بدأ", "2014"), ("منذ 2011 وهو", "2011"), ("على أساس حدود 1967 وانسحاب", "1967"),
     ("لقب دوري أبطال أوروبا 2012.", "2012"), ("سنة 1922 في", "سنة 1922")],
)
def test_years_in_year_context(text, span):
    t = one(text)
    assert (t.text, t.value, t.granularity) == (span, span[-4:], "year")


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("الربع الثاني من عام 2015", "2015-04-01/2015-06-30", "range"),
        ("الربع الأول من هذا العام", "2015-01-01/2015-03-31", "range"),
        ("النصف الأول", "2015-01-01/2015-06-30", "range"),
        ("الأشهر السبعة الأولى من العام الحالي", "2015-01-01/2015-07-31", "range"),
        ("الأيام الستة الماضية", "2015-07-28/2015-08-02", "range"),
        ("التسعة أشهر الأولى من العام المالي 2014-2015", "2014-07-01/2015-03-31", "range"),
        ("موسم 2015 - 2016", "2015/2016", "range"),
        ("الأسبوع القادم", "2015-08-10/2015-08-16", "week"),
        ("نهاية الاسبوع الجاري", "2015-08-03/2015-08-09", "week"),
        ("الشهر الماضي", "2015-07", "month"),
        ("بداية العام", "2015-01", "month"),
        ("منتصف يوليو", "2015-07", "month"),
        ("منذ أربعة أشهر", "2015-04", "month"),
        ("منتصف التسعينات", None, "vague"),
        ("يوم 22/07/2015م", "2015-07-22", "day"),
    ],
)
def test_periods(text, value, granularity):
    t = one(f"وذلك خلال {text} بحسب", AUG_3)
    assert (t.text, t.value, t.granularity) == (text, value, granularity)


def test_month_relative_to_the_month_under_discussion():
    text = (
        "أغلق المؤشر في نهاية يوليو الماضي مرتفعا مقارنة بالشهر السابق، "
        "وتراجع عن الشهر نفسه من العام الماضي"
    )
    assert times(text, AUG_3) == [
        ("نهاية يوليو الماضي", "2015-07", "month"),
        ("الشهر السابق", "2015-06", "month"),
        ("الشهر نفسه من العام الماضي", "2014-07", "month"),
    ]


def test_same_period_of_last_year():
    text = (
        "بلغت المبيعات خلال الأشهر السبعة الأولى من العام الحالي مليونا "
        "مقارنة بالفترة المناظرة من العام السابق"
    )
    assert [t.value for t in find_times(make_article(text, published=AUG_3))] == [
        "2015-01-01/2015-07-31", "2014-01-01/2014-07-31"
    ]


def test_date_range_sharing_a_year():
    assert times("خلال الفترة من 1 يناير إلى 30 يونيو من العام 2015م، خدمة", AUG_3) == [
        ("1 يناير إلى 30 يونيو من العام 2015م", "2015-01-01/2015-06-30", "range")
    ]


def test_clock_times_take_the_day_being_reported():
    text = "باشرت الفرق أمس الأحد 5 حوادث، أولها الساعة ١٣:٢٧ وآخرها الساعة ٢٠:٤٠ مساء."
    assert times(text, AUG_3) == [
        ("أمس الأحد", "2015-08-02", "day"),
        ("الساعة ١٣:٢٧", "2015-08-02T13:27", "time"),
        ("الساعة ٢٠:٤٠ مساء", "2015-08-02T20:40", "time"),
    ]


def test_clock_time_in_words():
    assert times("وعند الساعة الرابعة عصر يوم أمس، باشر", AUG_3) == [
        ("الساعة الرابعة عصر يوم أمس", "2015-08-02T16:00", "time")
    ]


def test_clock_time_with_offset_zone():
    assert one("12 غشت 2020 14:00 GMT+3", None).value == "2020-08-12T14:00+03:00"


# --- offsets into the original text --------------------------------------------------------------------


def test_spans_point_into_the_original_text_with_marks_and_indic_digits():
    text = "وَصَلَ الوَفْدُ يَوْمَ ١١ مـــايو ٢٠٢٢ إلى الرِّباطِ مَساءَ الثُّلاثاءِ."
    article = make_article(text, published=MAY_11)
    found = find_times(article)
    assert [(t.text, t.value) for t in found] == [
        ("يَوْمَ ١١ مـــايو ٢٠٢٢", "2022-05-11"),
        ("مَساءَ الثُّلاثاءِ", "2022-05-10"),
    ]
    for t in found:
        assert text[t.span.start : t.span.end] == t.text
        assert t.article_id == article.id


def test_proclitics_stay_outside_the_span_except_lil():
    found = find_times(make_article("وبالأمس وللعام الجاري ولشهر يوليو 2015م", published=AUG_3))
    assert [t.text for t in found] == [
        "الأمس", "للعام الجاري", "شهر يوليو 2015م"
    ]


def test_time_expression_is_frozen():
    t = one("اليوم")
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.value = "x"  # type: ignore[misc]


def test_seed_004_times(seed_articles):
    article = next(a for a in seed_articles.values() if a.id.startswith("004_"))
    assert times(article.text, article.published) == [
        ("مساء الثلاثاء", "2022-05-10", "day"),
        ("اليوم الأربعاء", "2022-05-11", "day"),
        ("أيلول/سبتمبر 2014", "2014-09", "month"),
    ]


# --- generalisation fixes (second dev set, 2015-07-25) -------------------------------------------------

JUL_25 = date(2015, 7, 25)  # a Saturday


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # seasons of the year, as the months they cover
        ("انضم إلى النادي الصيف الماضي من فريق آخر", JUL_25,
         ("الصيف الماضي", "2014-06-01/2014-08-31", "range")),
        ("بدأت المعارك في المدينة في صيف 2012 بين الطرفين", JUL_25,
         ("صيف 2012", "2012-06-01/2012-08-31", "range")),
        # vague plural periods, with or without القليلة
        ("وتراجعت المبيعات في الأسابيع القليلة الماضية بشدة", JUL_25,
         ("الأسابيع القليلة الماضية", None, "vague")),
        ("تحسنت الأوضاع في الشهور الماضية", JUL_25, ("الشهور الماضية", None, "vague")),
        ("دخل الدوري عالم الاحتراف قبل أكثر من عقدين من الزمن", JUL_25,
         ("قبل أكثر من عقدين من الزمن", None, "vague")),
        # a numeric date before a full stop
        ("يشمل العفو الجرائم المرتكبة قبل 25-7-2015.", JUL_25, ("25-7-2015", "2015-07-25", "day")),
        # seasons of a league, hours before the paper
        ("فاز الفريق باللقب في المواسم الأربعة الأخيرة", JUL_25,
         ("المواسم الأربعة الأخيرة", "2011/2015", "range")),
        ("قتل عشرة أشخاص خلال الـ24 ساعة الماضية", JUL_25, ("الـ24 ساعة الماضية", "2015-07-24", "day")),
        # البارحة, and last night
        ("والبارحه حل المساء على القرية", JUL_25, ("البارحه", "2015-07-24", "day")),
        ("سرت الهدنة منذ منتصف الليلة الماضية", JUL_25, ("الليلة الماضية", "2015-07-24", "day")),
        # a year after the name of an event or edition
        ("سحب قرعة كأس العالم 2018 لكرة القدم", JUL_25, ("2018", "2018", "year")),
        ("تنظم الغرفة معرض وظائف 2015 المزمع إقامته", JUL_25, ("2015", "2015", "year")),
        ("تخطط لإنفاق المبلغ في 2015-2016 لتوسعة الشبكة", JUL_25, ("2015-2016", "2015/2016", "range")),
        # a Hijri month in a Gregorian year
        ("حضرت الدراما السورية في رمضان 2015م بأعمال كثيرة", JUL_25,
         ("رمضان 2015م", "2015-06-18/2015-07-16", "month")),
        # minutes of a clock time, and the day after it
        ("وقع الحادث عند الساعة العاشرة وعشرين دقيقة من صباح اليوم الجمعة", date(2015, 7, 31),
         ("الساعة العاشرة وعشرين دقيقة من صباح اليوم الجمعة", "2015-07-31T10:20", "time")),
    ],
)
def test_generalisation_expressions(text, published, expected):
    assert times(text, published) == [expected]


def test_hours_of_the_day_without_a_day_are_unresolved():
    assert times("ويصاحبه محاضرات (من 7 إلى 8.30 مساء) وورش عمل", JUL_25) == [
        ("7 إلى 8.30 مساء", None, "time")]


def test_weekday_after_its_expression_with_a_future_verb():
    text = "وسيغلق المجال الجوي الكيني لحين مغادرته، مساء الأحد، عندما سيتوجه إلى إثيوبيا"
    assert times(text, JUL_25) == [("مساء الأحد", "2015-07-26", "day")]


def test_weekday_beats_the_relative_day_one_day_off():
    text = "قالت الشرطة أمس الخميس إن الحادث وقع صباح أمس الأربعاء في المدينة"
    assert times(text, date(2015, 7, 31)) == [
        ("أمس الخميس", "2015-07-30", "day"), ("صباح أمس الأربعاء", "2015-07-29", "day")]


def test_current_month_in_the_calendar_its_weekday_fits():
    # 18 July 2015 was a Saturday; 18 Shawwal 1436 was Monday 3 August
    text = "تبدأ المقابلات يوم الاثنين الثامن عشر من الشهر الحالي"
    assert times(text, date(2015, 7, 26)) == [
        ("يوم الاثنين الثامن عشر من الشهر الحالي", "2015-08-03", "day")]


def test_years_of_an_article_dated_only_by_hijri():
    text = ("تنطلق النسخة في السابع والعشرين من شوال الجاري، والدورة العاشرة في العام المقبل 1437هـ "
            "وتبدأ منذ العام المقبل.")
    assert times(text, JUL_25) == [
        ("السابع والعشرين من شوال الجاري", "2015-08-12", "day"),
        ("العام المقبل 1437هـ", "2015-10-14/2016-10-01", "year"),
        ("العام المقبل", "2015-10-14/2016-10-01", "year"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ما أشبه الليلة بالبارحة",  # a proverb
        "أكد مدير الجمعية الأستاذ إبراهيم الخميس، أن المشروع نجح",  # a family name
        "بالتعاون مع دار اليوم للصحافة والنشر",  # the newspaper
        "يقاتل الجيش منذ سنوات على عدة جبهات",  # for years: a duration
    ],
)
def test_not_time_expressions(text):
    assert times(text, JUL_25) == []
