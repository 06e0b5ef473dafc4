"""Page-line recognisers shared by ingest and clean, on hand-written variants (not the seed strings)."""

from __future__ import annotations

import pytest

from marsad.ingest.lines import (
    find_outlet,
    guess_title,
    lead_prefix,
    line_debris,
    outlet_from_appeal,
    outlet_from_prefix,
    outlet_from_source_line,
)

BODY = "أعلنت الحكومة اليوم عن حزمة إجراءات جديدة لدعم الأسر ذات الدخل المحدود في جميع المحافظات."


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("المصدر: عمّان - رؤيا نيوز", "رؤيا نيوز"),
        ("المصدر : القاهرة– بوابة الأهرام", "بوابة الأهرام"),
        ("المصدر: الشرق الأوسط", "الشرق الأوسط"),
        ("المصدر: وكالات", None),  # generic, not an outlet
        ("المصدر: https://example.org/x", None),
    ],
)
def test_lines_outlet_from_source_line(line, outlet):
    assert outlet_from_source_line(line) == outlet


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("جفرا نيوز :- " + BODY, "جفرا نيوز"),
        ("سرايا :-" + BODY, "سرايا"),
        (BODY, None),
    ],
)
def test_lines_outlet_from_colon_dash_prefix(line, outlet):
    assert outlet_from_prefix(line) == outlet


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("حمّل تطبيق الوطن نيوز على هاتفك", "الوطن نيوز"),
        ("نزّل تطبيق صدى البلد على جوالك الآن", "صدى البلد"),
        ("حمل تطبيق مدى مصر", "مدى مصر"),
        ("ادعم حبر", "حبر"),
        ("ادعموا المنصة المستقلة", "المنصة المستقلة"),
        ("ادعم الصحافة المستقلة", None),  # generic
        ("ادعمنا", None),
    ],
)
def test_lines_outlet_from_appeals(line, outlet):
    assert outlet_from_appeal(line) == outlet


def test_lines_find_outlet_prefers_source_line():
    text = f"عنوان\n\n{BODY}\n\nالمصدر: الرباط - هسبريس\n\nحمل تطبيق موقع آخر على هاتفك\n"
    assert find_outlet(text) == ("هسبريس", "source line")
    assert find_outlet(f"عنوان\n\n{BODY}\n\n© 2023 صدى الجنوب. جميع الحقوق محفوظة") == (
        "صدى الجنوب",
        "copyright",
    )
    assert find_outlet(f"عنوان\n\n{BODY}") is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("camera iconجنود في موقع الانفجار (رويترز)", "icon-caption"),
        ("video icon ع ع ع", "icon-caption"),
        ("A+ A-", "font-size"),
        ("+A -A", "font-size"),
        ("تكبير الخط تصغير الخط", "font-size"),
        ("حمّل تطبيق الوطن نيوز على هاتفك", "app-appeal"),
        ("ادعم حبر", "donation-appeal"),
        ("اضغط هنا للتبرع", "donation-appeal"),
        ("دولار واحد شهرياً يصنع الفرق", "donation-appeal"),
        ("ونحن بحاجتكم لنستمر", "donation-appeal"),
        ("تابعونا على تويتر", "social-appeal"),
        ("اشترك في نشرتنا البريدية", "social-appeal"),
        ("شارك المقال", "share-buttons"),
        ("فيسبوك تويتر واتساب تلغرام", "share-buttons"),
        ("اقرأ أيضاً: الحكومة تعلن موازنة العام المقبل", "related-block"),
        ("مواضيع ذات صلة", "related-block"),
        ("أخبار", "section-label"),
        ("الرئيسية » أخبار » سياسة", "section-label"),
        ("تاريخ النشر: 3 يونيو 2023 10:00 GMT", "date-line"),
        ("الخميس 01-06-2023", "date-line"),
        ("المصدر: القاهرة - بوابة الأهرام", "source-line"),
        ("بقلم: سلمى الحربي", "byline"),
        ("الوسوم: اقتصاد، نفط", "tags"),
        ("© 2023 صدى الجنوب", "copyright"),
        ("editor@example.org", "link"),
        ("×", "symbols"),
        ("* * *", "symbols"),
    ],
)
def test_lines_debris_kinds(line, reason):
    assert line_debris(line, 200, 6) == reason


@pytest.mark.parametrize(
    "line",
    [
        BODY,
        "وقال وزير الخارجية إن بلاده ستدعم تطبيق الاتفاق على الأرض خلال الأشهر المقبلة.",
        "كما قالت الشركة إن متجرها للتطبيقات (آب ستور) سجل أرقاماً قياسية في يوليو.",
        "تابع الوزير جولته في المحافظات الجنوبية أمس.",
        "متابعة الخوارج في التكفير بالكبيرة",  # a subheading that starts with a byline word
        "قمة عربية في الرياض",
        "سوريا",
    ],
)
def test_lines_body_lines_are_not_debris(line):
    assert line_debris(line, 200, 6) is None


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("عاجل\n\nعنوان الخبر الرئيسي\n\n" + BODY, "عنوان الخبر الرئيسي"),
        ("11 مايو 2022\nالكاتب محمد الأحمد وكالة الأنباء\n" + BODY, ""),
        ("قناة السويس الجديدة تستقبل أول سفينة\n\n" + BODY, "قناة السويس الجديدة تستقبل أول سفينة"),
        (BODY + "\n\n" + BODY, ""),  # a sentence with a full stop is not a headline
        ("عنوان وحيد بلا نص", ""),
    ],
)
def test_lines_guess_title(text, title):
    assert guess_title(text, 150, 6) == title


@pytest.mark.parametrize(
    ("line", "prefix"),
    [
        ("جفرا نيوز :- " + BODY, "جفرا نيوز :- "),
        ('القاهرة "وكالات": ' + BODY, 'القاهرة "وكالات": '),
        ("واشنطن (رويترز) - " + BODY, "واشنطن (رويترز) - "),
        ("سبق- الرياض: " + BODY, "سبق- الرياض: "),
        ('وقال "بوريطة": ' + BODY, ""),  # a quoted speaker is not an agency
        (BODY, ""),
    ],
)
def test_lines_lead_prefix(line, prefix):
    assert line[: lead_prefix(line)] == prefix


@pytest.mark.parametrize(
    "line",
    [
        "قال الوزير :- إن الحكومة ستعرض الموازنة الجديدة على البرلمان خلال الأسبوع المقبل.",
        "وأكد المتحدث :- أن المفاوضات ستستأنف في العاصمة بعد عطلة العيد مباشرة.",
        "أعلنت الشركة :- عن خطة جديدة لتوسيع شبكة فروعها في المحافظات الجنوبية.",
        "رئيس الهيئة العامة للطيران المدني :- نعمل على زيادة الرحلات الداخلية.",  # 6 words: too long
        "المدير العام :- إنه لا توجد أي زيادة في الرسوم المدرسية هذا العام الدراسي.",  # complementiser
    ],
)
def test_lines_colon_dash_inside_a_sentence_is_not_an_outlet(line):
    assert outlet_from_prefix(line) is None
    assert lead_prefix(line) == 0
    assert find_outlet(f"عنوان الخبر\n\n{line}\n") is None


def test_lines_lead_prefix_refuses_sentence_openers_before_an_agency():
    line = 'وقال "رويترز": ' + BODY
    assert lead_prefix(line) == 0
