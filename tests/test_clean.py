"""marsad.clean: page debris removed and recorded, nothing of the body lost, on the seeds and on
hand-written variants with other outlets, apps and layouts."""

from __future__ import annotations

import re

import pytest
from builders import make_article

from marsad.clean import clean
from marsad.errors import InputError
from marsad.ingest import read_path
from marsad.model import Article

FIRST_SENTENCE = {
    "000": "شاركت سلطنة عُمان اليوم في الاجتماع الوزاري للتحالف الدولي ضد",
    "001": "أعلنت وزارة الخارجية المغربية اليوم، الاثنين 9 من أيار",
    "002": "قال المشاركون في الإجتماع الوزاري",
    "003": "اختتمت أعمال الاجتماع الوزاري",
    "004": "أعلن وزير الخارجية الأمريكي أنتوني بلينكن، مساء الثلاثاء",
}
LAST_PARAGRAPH = {
    "000": "وتوعد التنظيم بالانتقام لمقتل زعيمه السابق أبو إبراهيم القرشي في غارة أمريكية بسوريا في فبراير",
    "001": "كما دعا بلينكن حينها إلى بذل جهد جديد لإعادة تأهيل أو مقاضاة حوالي عشرة آلاف",
    "002": "وتوعد التنظيم بالانتقام لمقتل زعيمه السابق أبو إبراهيم القرشي في غارة أميركية بسوريا",
    "003": "اختتمت أعمال الاجتماع الوزاري",  # one paragraph: it is also the last
    "004": "وبالإضافة إلى الحملة العسكرية التي ينفذها التحالف، يلتزم التحالف بتدمير البنى التحتية",
}
FORBIDDEN = (
    "camera icon",
    "tag icon",
    "+A -A",
    "حمل تطبيق",
    "ادعم عنب بلدي",
    "اضغط هنا للمساهمة",
    "دولار واحد شهريًا",
    "مقالات متعلقة",
    "تاريخ النشر",
)


@pytest.fixture(scope="module")
def seeds(seed_paths, settings) -> dict[str, tuple[Article, Article]]:
    out = {}
    for p in seed_paths:
        (a,) = read_path(p, settings)
        out[p.name[:3]] = (a, clean(a, settings))
    return out


def _rest_of_raw(article: Article) -> str:
    """What `raw` leaves after blanking every removal: must equal the cleaned text."""
    chars = list(article.raw)
    for r in article.removed:
        for i in range(r.span.start, r.span.end):
            if chars[i] != "\n":
                chars[i] = " "
    paras = [" ".join(line.split()) for line in "".join(chars).split("\n")]
    return "\n\n".join(p for p in paras if p)


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


@pytest.mark.parametrize("seed", sorted(FIRST_SENTENCE))
def test_clean_seed_keeps_first_and_last_paragraph(seeds, seed):
    _, c = seeds[seed]
    assert FIRST_SENTENCE[seed] in c.text
    assert _paragraphs(c.text)[-1].startswith(LAST_PARAGRAPH[seed])


@pytest.mark.parametrize("seed", sorted(FIRST_SENTENCE))
def test_clean_seed_drops_debris(seeds, seed):
    _, c = seeds[seed]
    for s in FORBIDDEN:
        assert s not in c.text, s


@pytest.mark.parametrize("seed", sorted(FIRST_SENTENCE))
def test_clean_seed_removals_account_for_the_difference(seeds, seed):
    a, c = seeds[seed]
    assert c.raw == a.raw and c.id == a.id and c.title == a.title
    assert _rest_of_raw(c) == c.text
    spans = [r.span for r in c.removed]
    assert spans == sorted(spans, key=lambda s: (s.start, s.end))
    assert all(r.reason for r in c.removed)


@pytest.mark.parametrize("seed", sorted(FIRST_SENTENCE))
def test_clean_seed_kept_text_is_unchanged(seeds, seed):
    a, c = seeds[seed]
    flat = " ".join(a.raw.split())
    for para in _paragraphs(c.text):
        assert para in flat  # letters untouched, only runs of spaces collapsed
    assert "\n\n\n" not in c.text and c.text == c.text.strip()


def test_clean_seed_004_lead_once_and_its_debris(seeds):
    _, c = seeds["004"]
    assert c.text.count("أعلن وزير الخارجية الأمريكي أنتوني بلينكن، مساء الثلاثاء") == 1
    assert "بسبب إصابته بفيروس" in _paragraphs(c.text)[0]  # the full lead is kept, not the teaser
    assert not c.text.startswith("أخبار")
    assert "المصدر:" not in c.text and "كورونا يُغيب بلينكن" not in c.text
    reasons = {r.reason for r in c.removed}
    assert reasons >= {"section-label", "title", "repeated-title", "date-line", "repeated-lead",
                       "font-size", "source-line", "app-appeal"}


def test_clean_seed_000_title_twice_and_dateline_prefix(seeds):
    _, c = seeds["000"]
    assert "سلطنة عُمان تشارك في اجتماع" not in c.text
    assert "11مايو 2022" not in c.text
    assert 'مراكش "وكالات"' not in c.text
    assert "شاركت سلطنة عُمان اليوم" in c.text


def test_clean_seed_002_prefix_and_trailing_credit(seeds):
    _, c = seeds["002"]
    assert c.text.startswith("قال المشاركون")
    assert not c.text.rstrip().endswith("العربية")
    assert "المدينة نيوز" not in c.text


def test_clean_seed_003_dateline_and_byline(seeds):
    _, c = seeds["003"]
    assert c.text.startswith("اختتمت أعمال الاجتماع الوزاري")
    assert "مصطفى مايتي" not in c.text


def test_clean_seed_001_captions_and_donation_block(seeds):
    _, c = seeds["001"]
    assert c.text.startswith("أعلنت وزارة الخارجية المغربية")
    assert "×" not in c.text and "ونحن بحاجتك" not in c.text
    assert "قوات أمريكية ضمن التحالف الدولي في شمال شرقي سوريا (التحالف الدولي)" not in c.text


# --- hand-written variants: other outlets, apps, labels and layouts --------------------------------

def _page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


LEVANT = _page(
    "سياسة",
    "",
    "البرلمان يقر قانون الانتخابات الجديد",
    "",
    "تاريخ النشر: الأحد 4 حزيران 2023 - 09:15",
    "بقلم: رامي الخطيب",
    "",
    "البرلمان يقر قانون الانتخابات الجديد",
    "",
    "عمّان - (بترا) - أقر مجلس النواب، الأحد، مشروع قانون الانتخابات الجديد بعد نقاش استمر ثلاث "
    "جلسات، وسط اعتراض عدد من الكتل النيابية على توزيع الدوائر.",
    "",
    "شارك المقال",
    "فيسبوك تويتر واتساب",
    "",
    "اقرأ أيضاً: الحكومة تعلن موعد الانتخابات البلدية",
    "",
    "وقال رئيس المجلس في مؤتمر صحفي إن القانون يرفع عدد المقاعد المخصصة للنساء والشباب، ويعتمد "
    "القائمة النسبية على مستوى المحافظات.",
    "",
    "وينتظر القانون مصادقة مجلس الأعيان قبل نشره في الجريدة الرسمية.",
    "",
    "تابعونا على تويتر",
    "حمّل تطبيق صوت الشارع على جوالك",
)

FUNDRAISER = _page(
    "ناشطون يطلقون حملة لإنقاذ الغابات في الشمال",
    "",
    "camera iconمتطوعون يزرعون أشجاراً في ريف اللاذقية (صدى الجبل)",
    "",
    "tag icon ع ع ع",
    "",
    "أطلق ناشطون حملة تطوعية لإعادة تشجير مساحات واسعة من الغابات التي التهمتها الحرائق في ريف "
    "اللاذقية الشمالي خلال الصيف الماضي.",
    "",
    "وتهدف الحملة إلى زراعة خمسين ألف شجرة خلال ثلاثة أشهر، بمشاركة مدارس وجمعيات محلية.",
    "",
    "مواضيع ذات صلة",
    "حرائق الغابات تلتهم آلاف الهكتارات",
    "الدفاع المدني يحذر من موجة حر جديدة",
    "",
    "×",
    "",
    "الصحافة المستقلة تحتاج إلى دعمكم..",
    "",
    "ادعم صدى الجبل",
    "",
    "تبرع الآن",
)

MAGHREB = _page(
    "المغرب يطلق برنامجاً لدعم المقاولات الصغيرة",
    "الخميس 15 جوان 2023 | 18:30",
    "",
    "أعلنت الحكومة عن برنامج جديد لدعم المقاولات الصغيرة والمتوسطة بقيمة ملياري درهم،",
    "",
    "A+ A-",
    "",
    "أعلنت الحكومة عن برنامج جديد لدعم المقاولات الصغيرة والمتوسطة بقيمة ملياري درهم، يستفيد منه "
    "أكثر من عشرة آلاف مقاول خلال السنوات الثلاث المقبلة.",
    "",
    "وأوضح الوزير أن البرنامج يشمل قروضاً بفوائد مخفضة ومواكبة تقنية للمستفيدين.",
    "",
    "صوت الحقيقة في زمن التضليل",
    "ادعمنا بدولار واحد شهرياً",
)

GULF = _page(
    "سرايا :- أعلنت هيئة الطيران المدني تشغيل رحلات مباشرة جديدة بين العاصمة وثلاث مدن آسيوية "
    "اعتباراً من الشهر المقبل.",
    "وقال متحدث باسم الهيئة إن الرحلات ستسير بواقع ثلاث رحلات أسبوعياً في المرحلة الأولى.",
    "سكاي نيوز عربية",
)

PLAIN = _page(
    "ارتفعت أسعار الذهب في تعاملات الثلاثاء مع تراجع الدولار أمام العملات الرئيسية.",
    "",
    "اقتصاد",
    "",
    "وقال محللون إن الطلب على المعدن الأصفر ما زال قوياً في الأسواق الآسيوية، وإن تطبيق السياسات "
    "النقدية الجديدة قد يدعم الأسعار.",
    "",
    "وطالب التجار الحكومة بأن تدعم صغار المستثمرين في هذا القطاع.",
)


def _clean(raw: str, settings, title: str = "") -> Article:
    return clean(make_article(raw, title=title), settings)


def test_clean_variant_levant_page(settings):
    c = _clean(LEVANT, settings, title="البرلمان يقر قانون الانتخابات الجديد")
    paras = _paragraphs(c.text)
    assert len(paras) == 3
    assert paras[0].startswith("أقر مجلس النواب، الأحد")
    assert paras[1].startswith("وقال رئيس المجلس")
    assert paras[2].startswith("وينتظر القانون مصادقة")
    gone = ("سياسة", "تاريخ النشر", "بقلم", "بترا", "شارك المقال", "واتساب", "اقرأ أيضاً", "تابعونا", "تطبيق")
    for s in gone:
        assert s not in c.text, s
    assert _rest_of_raw(c) == c.text
    reasons = {r.reason for r in c.removed}
    assert reasons >= {"section-label", "title", "repeated-title", "date-line", "byline", "outlet-prefix",
                       "share-buttons", "related-block", "social-appeal", "app-appeal"}


def test_clean_variant_fundraiser_page(settings):
    c = _clean(FUNDRAISER, settings, title="ناشطون يطلقون حملة لإنقاذ الغابات في الشمال")
    paras = _paragraphs(c.text)
    assert paras[0].startswith("أطلق ناشطون حملة تطوعية")
    assert paras[-1].startswith("وتهدف الحملة إلى زراعة")
    for s in ("icon", "مواضيع ذات صلة", "حرائق الغابات تلتهم", "×", "دعمكم", "ادعم", "تبرع"):
        assert s not in c.text, s


def test_clean_variant_maghreb_teaser_and_appeal_block(settings):
    c = _clean(MAGHREB, settings, title="المغرب يطلق برنامجاً لدعم المقاولات الصغيرة")
    paras = _paragraphs(c.text)
    assert len(paras) == 2
    assert paras[0].endswith("خلال السنوات الثلاث المقبلة.")  # the full lead, once
    assert c.text.count("أعلنت الحكومة عن برنامج جديد") == 1
    assert "A+" not in c.text and "صوت الحقيقة" not in c.text and "جوان" not in c.text
    assert {"repeated-lead", "font-size", "date-line", "donation-appeal"} <= {r.reason for r in c.removed}


def test_clean_variant_colon_dash_prefix_and_credit(settings):
    c = _clean(GULF, settings)
    assert c.text.startswith("أعلنت هيئة الطيران المدني")
    assert "سرايا" not in c.text and "سكاي نيوز" not in c.text
    assert c.text.endswith("في المرحلة الأولى.")


def test_clean_variant_clean_article_is_untouched(settings):
    c = _clean(PLAIN, settings)
    assert c.removed == ()
    assert _paragraphs(c.text) == [p for p in PLAIN.strip().split("\n\n")]  # subheading "اقتصاد" kept


def test_clean_collapses_spaces_only(settings):
    raw = "عنوان\n\n  أعلنت   الوزارة\u00a0اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية.  \n"
    c = _clean(raw, settings, title="عنوان")
    assert c.text == "أعلنت الوزارة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية."


def test_clean_only_debris_is_an_error(data_dir, settings):
    path = data_dir / "bad" / "only-debris.txt"
    (a,) = read_path(path, settings)
    with pytest.raises(InputError) as info:
        clean(a, settings)
    assert str(info.value) == f"{path}: no article text left after cleaning"


def test_clean_threshold_comes_from_settings(settings):
    raw = "أعلنت الوزارة اليوم خطة جديدة للنقل العام."
    assert _clean(raw, settings).text == raw
    strict = settings.with_overrides({"clean": {"min_text_chars": 100}})
    with pytest.raises(InputError):
        _clean(raw, strict)


def test_clean_records_with_bylines_and_tags(settings):
    raw = (
        " سارة علي – الرياض\n بدأت وزارة العمل استقبال طلبات التسجيل في برنامج التدريب الصيفي للطلاب. "
        "سمات التدريب الصيفي وزارة العمل"
    )
    c = _clean(raw, settings)
    assert c.text == "بدأت وزارة العمل استقبال طلبات التسجيل في برنامج التدريب الصيفي للطلاب."
    assert [r.reason for r in c.removed] == ["byline", "tags"]


def test_clean_drops_the_outlets_link_line_glued_to_the_end_or_alone(settings):
    """رابط الخبر بصحيفة الوئام: <title> ends nearly every article of one SaudiNewsNet outlet."""
    body = "تمكنت الفرق من السيطرة على الحريق دون إصابات، وبدأت الجهات المختصة التحقيق في أسبابه."
    glued = _clean(f"{body} /* */ رابط الخبر بصحيفة الوئام: الدفاع المدني يسيطر على حريق", settings)
    assert glued.text == body
    assert [r.reason for r in glued.removed] == ["source-link"]
    alone = _clean(f"{body}\n\nرابط الخبر بصحيفة الوئام: الدفاع المدني يسيطر على حريق", settings)
    assert alone.text == body and len(alone.removed) == 1  # a line of its own: `link` debris already
    kept = _clean(f"{body} ويمكن الاطلاع على التفاصيل عبر الرابط في موقع الوزارة.", settings)
    assert kept.removed == ()


def test_clean_long_article_keeps_every_paragraph(settings):
    line = "وقال المتحدث في الفقرة رقم {} إن العمل مستمر وفق الخطة المعلنة منذ بداية العام."
    body = "\n".join(line.format(i) for i in range(400))
    c = _clean("عنوان\n\n" + body, settings, title="عنوان")
    assert len(re.findall("وقال المتحدث", c.text)) == 400


# --- unpunctuated body text next to related headings and appeals (nothing of the body may go) ------
# Many outlets end paragraphs without a full stop; these pages are hand-written in that style.

def test_clean_inline_related_heading_keeps_unpunctuated_paragraphs_after_it(settings):
    raw = _page(
        "البلدية تبدأ صيانة الحدائق العامة",
        "",
        "بدأت البلدية اليوم أعمال صيانة شاملة للحدائق العامة في الأحياء الشمالية والجنوبية من المدينة.",
        "",
        "اقرأ أيضا: البلدية تزرع ألف شجرة على الطريق الدائري",
        "",
        "وأوضح مدير الحدائق أن الأعمال تشمل الإنارة والممرات وألعاب الأطفال",
        "",
        "وتستمر الصيانة ستة أسابيع بمشاركة ثلاث شركات محلية",
        "",
        "ودعا الأهالي إلى المحافظة على المرافق بعد افتتاحها",
    )
    c = _clean(raw, settings, title="البلدية تبدأ صيانة الحدائق العامة")
    paras = _paragraphs(c.text)
    assert len(paras) == 4
    assert paras[1].startswith("وأوضح مدير الحدائق") and paras[3].startswith("ودعا الأهالي")
    assert "اقرأ أيضا" not in c.text and "ألف شجرة" not in c.text
    assert [r.reason for r in c.removed] == ["title", "related-block"]
    assert _rest_of_raw(c) == c.text


def test_clean_related_titles_before_body_text_are_kept(settings):
    # An inline heading followed by short lines and then a body paragraph: the short lines are not
    # shown to be link titles (no end of page or debris after them), so they stay.
    raw = _page(
        "افتتاح سوق شعبي جديد",
        "",
        "افتتح محافظ المدينة صباح اليوم سوقا شعبيا جديدا يضم مئتي محل للحرف اليدوية والمنتجات المحلية.",
        "",
        "اقرأ أيضاً: المحافظ يتفقد مشاريع الطرق",
        "",
        "يفتح السوق أبوابه يوميا من العصر حتى منتصف الليل",
        "",
        "وقال المحافظ في كلمته خلال الافتتاح إن السوق يوفر فرص عمل لأكثر من خمسمئة شاب وشابة من أبناء "
        "المنطقة، ويدعم الأسر المنتجة.",
    )
    c = _clean(raw, settings, title="افتتاح سوق شعبي جديد")
    assert "يفتح السوق أبوابه يوميا من العصر حتى منتصف الليل" in _paragraphs(c.text)
    assert "المحافظ يتفقد مشاريع الطرق" not in c.text


def test_clean_bare_related_heading_takes_its_title_and_a_trailing_list(settings):
    mid = _page(
        "تحذير من موجة غبار",
        "",
        "حذرت هيئة الأرصاد من موجة غبار تضرب المناطق الوسطى والشرقية خلال اليومين المقبلين.",
        "",
        "اقرأ أيضا:",
        "نصائح لمرضى الربو في أيام الغبار",
        "",
        "وأضافت الهيئة أن مدى الرؤية قد ينخفض إلى أقل من كيلومتر واحد على بعض الطرق.",
    )
    c = _clean(mid, settings, title="تحذير من موجة غبار")
    assert "نصائح لمرضى الربو" not in c.text and "اقرأ أيضا" not in c.text
    assert _paragraphs(c.text)[-1].startswith("وأضافت الهيئة")
    end = _page(
        "تحذير من موجة غبار",
        "",
        "حذرت هيئة الأرصاد من موجة غبار تضرب المناطق الوسطى والشرقية خلال اليومين المقبلين.",
        "",
        "أخبار ذات صلة",
        "نصائح لمرضى الربو في أيام الغبار",
        "الدفاع المدني يدعو إلى الحذر على الطرق",
        "إغلاق ميناء الدمام مؤقتا",
    )
    c = _clean(end, settings, title="تحذير من موجة غبار")
    assert _paragraphs(c.text) == [
        "حذرت هيئة الأرصاد من موجة غبار تضرب المناطق الوسطى والشرقية خلال اليومين المقبلين."
    ]


def test_clean_appeal_does_not_take_unpunctuated_paragraphs_before_it(settings):
    raw = _page(
        "الجامعة تعلن مواعيد القبول",
        "",
        "أعلنت الجامعة اليوم فتح باب القبول للعام الدراسي الجديد في جميع الكليات",
        "",
        "وأوضحت عمادة القبول أن التقديم يتم عبر البوابة الإلكترونية فقط",
        "",
        "ويستمر التسجيل أسبوعين",
        "",
        "حمّل تطبيق صدى الجامعة على هاتفك",
    )
    c = _clean(raw, settings, title="الجامعة تعلن مواعيد القبول")
    assert _paragraphs(c.text) == [
        "أعلنت الجامعة اليوم فتح باب القبول للعام الدراسي الجديد في جميع الكليات",
        "وأوضحت عمادة القبول أن التقديم يتم عبر البوابة الإلكترونية فقط",
        "ويستمر التسجيل أسبوعين",
    ]
    assert [r.reason for r in c.removed] == ["title", "app-appeal"]


def test_clean_appeal_slogan_goes_only_after_a_punctuated_body(settings):
    # "يستمر المعرض حتى نهاية الشهر" reads like a slogan by form; in an article that does not end its
    # paragraphs with a full stop it is the last paragraph, and it stays.
    unpunctuated = _page(
        "افتتاح معرض الكتاب",
        "",
        "افتتح وزير الثقافة معرض الكتاب بمشاركة ثلاثمئة دار نشر من عشرين دولة",
        "",
        "يستمر المعرض حتى نهاية الشهر",
        "",
        "ادعم صدى الثقافة",
    )
    c = _clean(unpunctuated, settings, title="افتتاح معرض الكتاب")
    assert _paragraphs(c.text)[-1] == "يستمر المعرض حتى نهاية الشهر"
    punctuated = unpunctuated.replace("عشرين دولة", "عشرين دولة.").replace(
        "يستمر المعرض حتى نهاية الشهر", "صحافة ثقافية بلا قيود"
    )
    c = _clean(punctuated, settings, title="افتتاح معرض الكتاب")
    assert _paragraphs(c.text) == ["افتتح وزير الثقافة معرض الكتاب بمشاركة ثلاثمئة دار نشر من عشرين دولة."]
    assert {r.reason for r in c.removed} >= {"appeal-block", "donation-appeal"}


def test_clean_a_batch_keeps_each_articles_error_in_its_place(data_dir, seed_paths, settings):
    from marsad import pipeline

    (bad,) = read_path(data_dir / "bad" / "only-debris.txt", settings)
    (good,) = read_path(seed_paths[0], settings)
    out = pipeline.prepare_many([good, bad, good], settings)
    assert isinstance(out[1], InputError) and "no article text left" in str(out[1])
    assert out[0] == out[2] and out[0].article.id == good.id and out[0].mentions
    assert out[0] == pipeline.prepare(good, settings)
    with pytest.raises(InputError):
        pipeline.prepare(bad, settings)
