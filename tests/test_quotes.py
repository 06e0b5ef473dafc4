"""extract.quotes: direct quotes and reported speech, with their cue and speaker (or none when unsure)."""

from __future__ import annotations

import dataclasses

import pytest
from builders import make_article

from marsad.extract.quotes import Quote, find_quotes
from marsad.model import Mention, Span
from marsad.text.normalize import normalize


def _mentions(article, *names):
    """Mentions of every occurrence of each (name, label), as the tagger would give them."""
    out = []
    for name, label, *entity in names:
        i = article.text.find(name)
        while i >= 0:
            out.append(Mention(article.id, Span(i, i + len(name)), label, normalize(name), *entity))
            i = article.text.find(name, i + 1)
    return out


def _quotes(text, *names):
    article = make_article(text)
    return find_quotes(article, _mentions(article, *names))


def _fields(q: Quote) -> tuple:
    return q.text, q.cue, q.direct, q.speaker


def _one(text, *names):
    qs = _quotes(text, *names)
    assert len(qs) == 1, [_fields(q) for q in qs]
    return _fields(qs[0])


# --- the seeds ---------------------------------------------------------------------------------------


def _seed(seed_run, prefix):
    aid = next(a for a in seed_run.articles if a.startswith(prefix))
    return seed_run.articles[aid], find_quotes(seed_run.articles[aid], seed_run.mentions[aid])


def test_seed_bourita_and_nuland(seed_run):
    _, qs = _seed(seed_run, "002_")

    def got(prefix):
        return next((q.cue, q.direct, q.speaker) for q in qs if q.text.startswith(prefix))

    # ودعا ناصر بوريطة … إلى "رد متعدد الأطراف …". وقال: "كلنا عزم …"
    assert got("رد متعدد الأطراف") == ("دعا", True, "ناصر بوريطة")
    assert got("كلنا عزم") == ("قال", True, "ناصر بوريطة")
    # من جهتها قالت فيكتوريا نولاند، …، إنه "…". وقالت إن … وأضافت أن …
    assert got("خلال السنوات السبع") == ("قالت", True, "فيكتوريا نولاند")
    assert got("الولايات المتحدة ستخصص") == ("قالت", False, "فيكتوريا نولاند")
    assert got("الولايات المتحدة خصصت") == ("أضافت", False, "فيكتوريا نولاند")
    assert got("في الوقت نفسه") == ("تابعت", True, "نولاند")
    # the participle starts a quote of its own: … الإرهاب، مؤكداً "التزام إيطاليا …"
    assert got("التزام إيطاليا والمغرب") == ("مؤكداً", True, "لويجي دي مايو")
    # a quoted name inside reported speech belongs to it (اجتماع "التحالف الدولي ضد داعش" يشكل …)
    assert not any(q.text == "التحالف الدولي ضد داعش" for q in qs)


def test_seed_blinken_announcement(seed_run):
    _, qs = _seed(seed_run, "004_")
    first = qs[0]
    assert (first.cue, first.direct, first.speaker) == ("أعلن", False, "أنتوني بلينكن")
    assert first.text.startswith("لن يشارك في الاجتماع الوزاري")
    assert first.text.endswith("بسبب إصابته بفيروس ”كورونا“")
    # وكان بيان صادر عن وزارة الخارجية المغربية أكد أن ”…“: the ministry speaks; then وفق البيان
    by_cue = [(q.cue, q.direct, q.speaker) for q in qs]
    assert ("أكد", True, "وزارة الخارجية المغربية") in by_cue
    assert ("وفق", True, "البيان") in by_cue


def test_seed_statement_attribution_and_same_source(seed_run):
    _, qs = _seed(seed_run, "000_")
    assert [(q.cue, q.direct, q.speaker) for q in qs] == [
        ("بحسب", True, "وزارة الخارجية المغربية"),  # "…"، بحسب بيان لوزارة الخارجية المغربية
        ("وفق", True, "وزارة الخارجية المغربية"),  # "…"، وفق نفس المصدر
    ]
    # the quoted title words بحث سبل "التنسيق …" and the name "داعش" are not speech
    assert not any(q.text.startswith("التنسيق") or q.text == "داعش" for q in qs)


def test_seed_offsets_point_into_the_text(seed_run):
    for aid, article in seed_run.articles.items():
        for q in find_quotes(article, seed_run.mentions[aid]):
            assert q.article_id == aid
            assert q.span.of(article.text) == q.text
            assert q.text == q.text.strip() and q.text
            if q.speaker is not None:
                assert " ".join(q.speaker_span.of(article.text).split()) == q.speaker


def test_runs_alone_with_the_tagger(seed_run):
    article, with_mentions = _seed(seed_run, "002_")
    alone = find_quotes(article)  # mentions found here
    assert [(q.span, q.speaker) for q in alone] == [(q.span, q.speaker) for q in with_mentions]


def test_quote_is_frozen():
    q = _quotes("وقال الوزير إن الاجتماع ناجح.")[0]
    assert q == Quote(q.article_id, Span(15, 28), "الاجتماع ناجح", "قال", False, "الوزير", Span(5, 11), None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.speaker = "x"  # type: ignore[misc]


# --- cue families --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أكد مدير الشركة أن الأرباح ارتفعت هذا العام.",
         ("الأرباح ارتفعت هذا العام", "أكد", False, "مدير الشركة")),
        ("وأشار التقرير إلى أن الصادرات تراجعت بنسبة كبيرة.",
         ("الصادرات تراجعت بنسبة كبيرة", "أشار", False, "التقرير")),
        ("وأوضحت الهيئة في بيان لها أن التسجيل يبدأ الأحد.",
         ("التسجيل يبدأ الأحد", "أوضحت", False, "الهيئة")),
        ("وشدد الوزير على أن الأمن أولوية.", ("الأمن أولوية", "شدد", False, "الوزير")),
        ("ولفت المتحدث إلى أن الفرق تعمل في الميدان.", ("الفرق تعمل في الميدان", "لفت", False, "المتحدث")),
        ("وأضافت المصادر أن الاشتباكات توقفت.", ("الاشتباكات توقفت", "أضافت", False, "المصادر")),
        ("واعتبر الخبير أن القرار متأخر.", ("القرار متأخر", "اعتبر", False, "الخبير")),
        ("ورأى المحلل أن السوق ستتعافى.", ("السوق ستتعافى", "رأى", False, "المحلل")),
        ("وبيّن المدير أن العمل مستمر.", ("العمل مستمر", "بيّن", False, "المدير")),
        ("وصرح مصدر أمني بأن المشتبه به اعتقل.", ("المشتبه به اعتقل", "صرح", False, "مصدر أمني")),
        ("وذكرت الصحيفة أن الحكومة ستستقيل.", ("الحكومة ستستقيل", "ذكرت", False, "الصحيفة")),
        ("وأفاد شهود عيان بأن القصف استمر طوال الليل.",
         ("القصف استمر طوال الليل", "أفاد", False, "شهود عيان")),
        ("ونفى المتحدث أن تكون الحكومة قد تلقت أي طلب.",
         ("تكون الحكومة قد تلقت أي طلب", "نفى", False, "المتحدث")),
        ("ويقول مسؤولون أمريكيون إن المحادثات ستستأنف.",
         ("المحادثات ستستأنف", "يقول", False, "مسؤولون أمريكيون")),
        # a noun phrase as content
        ("وكشف المسؤول عن خطة جديدة لدعم المزارعين.",
         ("خطة جديدة لدعم المزارعين", "كشف", False, "المسؤول")),
        ("أعلنت وزارة الصحة تسجيل حالتين جديدتين.", ("تسجيل حالتين جديدتين", "أعلنت", False, "وزارة الصحة")),
        # speech after a colon without quotation marks is reported
        ("وقال المتحدث: بلغ عدد الزوار ألفين.", ("بلغ عدد الزوار ألفين", "قال", False, "المتحدث")),
    ],
)
def test_cue_families(text, expected):
    assert _one(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trailing attribution: the clause before it
        ("وسيعقد الاجتماع في الرياض، بحسب البيان.", ("وسيعقد الاجتماع في الرياض", "بحسب", False, "البيان")),
        # leading attribution: the clause after it
        ("وبحسب مصادر طبية، قتل ثلاثة أشخاص في القصف.",
         ("قتل ثلاثة أشخاص في القصف", "بحسب", False, "مصادر طبية")),
        ("وحسب ما ذكره المتحدث فإن الرحلات ستستأنف.", ("الرحلات ستستأنف", "حسب", False, "المتحدث")),
        # an attribution alone in its sentence attributes the sentence before
        ("وقتل ثلاثة أشخاص في القصف. وفق ما ذكرته وكالة الأنباء الرسمية.",
         ("وقتل ثلاثة أشخاص في القصف", "وفق", False, "وكالة الأنباء الرسمية")),
        ("وارتفعت المبيعات، وفقاً لمصادر في الشركة.", ("وارتفعت المبيعات", "وفقاً", False, "مصادر في الشركة")),
    ],
)
def test_attribution(text, expected):
    assert _one(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ارتفعت الأسعار بنسبة 5%، حسب بيانات وزارة التجارة.",  # figures are not speech
        "ويعمل المصنع وفق النظام الجديد.",
        "ودعا الوزير إلى التهدئة.",  # calls count only with quotation marks
        "وأعرب الوزير عن شكره للمنظمين.",
        "وحذر الدفاع المدني من السيول.",
        "يذكر أن الاجتماع عقد أمس.",  # nobody speaks
        "وجرت المباراة بين الفريقين أمس.",  # بين "between"
        "وحضر الاجتماع ممثلو أكثر من 80 دولة.",
    ],
)
def test_not_speech(text):
    assert _quotes(text) == ()


# --- speakers -----------------------------------------------------------------------------------------


def test_speaker_after_the_verb_prefers_the_name_to_the_title():
    assert _one("وقال وزير الخارجية سمير النجار إن الحكومة ستفتح المعبر غدا.", ("سمير النجار", "PER")) == (
        "الحكومة ستفتح المعبر غدا", "قال", False, "سمير النجار")


def test_speaker_name_in_apposition_and_adjuncts_skipped():
    text = 'وأوضح المتحدث الرسمي بوزارة العمل، تيسير المفرج، لـ"الوطن" أمس أن التطبيق مستمر.'
    assert _one(text) == ("التطبيق مستمر", "أوضح", False, "المتحدث الرسمي بوزارة العمل، تيسير المفرج")


def test_speaker_is_linked_to_its_entity():
    q = _quotes("وقال بوريطة إن التعاون مستمر.", ("بوريطة", "PER", "e123"))[0]
    assert (q.speaker, q.entity_id, q.speaker_span) == ("بوريطة", "e123", Span(5, 11))


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("لكن المنظمة تقول إن عدد الضحايا أكبر بكثير.", "المنظمة"),
        ("وكان البنك المركزي قد أعلن أن الفائدة ستبقى ثابتة.", "البنك المركزي"),
        ("وكان بيان صادر عن وزارة الخارجية أكد أن الاجتماع سيعقد.", "وزارة الخارجية"),
        ("أما الأمين العام للحزب حسن علي فرأى أن الشروط ظالمة.", "حسن علي"),
    ],
)
def test_speaker_before_the_verb(text, speaker):
    qs = _quotes(text, ("حسن علي", "PER"), ("وزارة الخارجية", "ORG"))
    assert [q.speaker for q in qs] == [speaker]


def test_speaker_after_a_quotation():
    assert _one("\"الاجتماع كان ناجحا جدا\"، قال بوريطة.", ("بوريطة", "PER")) == (
        "الاجتماع كان ناجحا جدا", "قال", True, "بوريطة")


def test_bare_verb_takes_the_last_speaker_of_its_gender():
    she = "قالت الوزيرة سارة العلي إن الخطة جاهزة. وأضافت أن التنفيذ يبدأ قريبا."
    assert [_fields(q) for q in _quotes(she, ("سارة العلي", "PER"))] == [
        ("الخطة جاهزة", "قالت", False, "سارة العلي"),
        ("التنفيذ يبدأ قريبا", "أضافت", False, "سارة العلي"),
    ]
    he = "قال الوزير خالد الحسن إن الخطة جاهزة. وأضاف أن التنفيذ يبدأ قريبا."
    assert [q.speaker for q in _quotes(he, ("خالد الحسن", "PER"))] == ["خالد الحسن", "خالد الحسن"]


def test_bare_verb_of_the_other_gender_gets_no_speaker():
    text = "قالت الوزيرة سارة العلي إن الخطة جاهزة. وأضاف أن التنفيذ يبدأ قريبا."
    assert [q.speaker for q in _quotes(text, ("سارة العلي", "PER"))] == ["سارة العلي", None]


def test_bare_verb_after_another_person_is_ambiguous():
    text = ("قال الوزير خالد الحسن إن الخطة جاهزة. والتقى رئيس الوزراء سامي الفهد بالسفراء. "
            "وأضاف أن التنفيذ يبدأ قريبا.")
    qs = _quotes(text, ("خالد الحسن", "PER"), ("سامي الفهد", "PER"))
    assert [q.speaker for q in qs] == ["خالد الحسن", None]


def test_bare_verb_with_nobody_before_gets_no_speaker():
    assert _one("وأضاف أن التنفيذ يبدأ قريبا.") == ("التنفيذ يبدأ قريبا", "أضاف", False, None)


def test_participle_starts_a_new_quote_of_the_same_speaker():
    qs = _quotes("وقال المتحدث إن الطرق مغلقة، مشيرا إلى أن الأمطار مستمرة.")
    assert [_fields(q) for q in qs] == [
        ("الطرق مغلقة", "قال", False, "المتحدث"),
        ("الأمطار مستمرة", "مشيرا", False, "المتحدث"),
    ]


def test_plural_participle_takes_the_plural_subject_of_its_sentence():
    text = "وعزا متعاملون في السوق ذلك إلى كثرة المعروض، مؤكدين أن الأسعار ستتراجع."
    assert _one(text) == ("الأسعار ستتراجع", "مؤكدين", False, "متعاملون في السوق")


# --- direct quotes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("open_", "close"), [("«", "»"), ("“", "”"), ('"', '"'), ("”", "“")])
def test_direct_quote_marks(open_, close):
    text = f"وقال الوزير: {open_}سنواصل العمل حتى النهاية{close}."
    assert _one(text) == ("سنواصل العمل حتى النهاية", "قال", True, "الوزير")


def test_direct_quote_after_complementiser_and_after_speaker():
    assert _one('وقال الوزير إن "الاتفاق سيوقع قريبا".') == ("الاتفاق سيوقع قريبا", "قال", True, "الوزير")
    assert _one('وقال التقرير "مصر كانت الوجهة الأولى للمعتقلين".') == (
        "مصر كانت الوجهة الأولى للمعتقلين", "قال", True, "التقرير")


def test_call_counts_with_quotation_marks():
    assert _one('ودعا الوزير إلى "ضبط النفس في هذه المرحلة الصعبة".') == (
        "ضبط النفس في هذه المرحلة الصعبة", "دعا", True, "الوزير")


def test_quotation_with_attribution_after_it():
    text = 'واستعرض الوزراء "المبادرات المتخذة في المنطقة"، بحسب بيان لوزارة الخارجية.'
    assert _one(text, ("وزارة الخارجية", "ORG")) == (
        "المبادرات المتخذة في المنطقة", "بحسب", True, "وزارة الخارجية")


@pytest.mark.parametrize(
    "text",
    [
        'وانضم إلى تنظيم "داعش" عدد من الشباب.',
        "وأطلقت الوزارة موقع «مساند» لتسهيل الإجراءات.",
        'تحت شعار "الصحة ابتسامة" انطلقت الحملة.',
        "ويعقد الاجتماع لبحث سبل “التنسيق واستمرار الالتزام الدولي” في المنطقة.",
    ],
)
def test_quoted_names_are_not_quotes(text):
    assert _quotes(text) == ()


def test_quoted_name_inside_reported_speech_belongs_to_it():
    assert _one('وقال الوزير إن برنامج "حماية الأجور" يشمل كل المنشآت.') == (
        'برنامج "حماية الأجور" يشمل كل المنشآت', "قال", False, "الوزير")


def test_speaker_in_quotation_marks_is_not_a_quote():
    assert _one('وأضاف "الصالح" بأن الانفجار دمر الجدران.') == (
        "الانفجار دمر الجدران", "أضاف", False, "الصالح")


# --- offsets -------------------------------------------------------------------------------------------


def test_offsets_are_into_the_original_text():
    text = "مقدمة.\nوقَالَ الوزيـــر إنّ الاجتماعَ ناجحٌ.\n"
    q = _quotes(text)[0]
    assert (q.text, q.cue, q.speaker) == ("الاجتماعَ ناجحٌ", "قَالَ", "الوزيـــر")
    assert text[q.span.start:q.span.end] == q.text
    assert text[q.speaker_span.start:q.speaker_span.end] == "الوزيـــر"


def test_reported_speech_ends_at_the_sentence_or_the_next_quote():
    text = "وقال المدير إن المبيعات ارتفعت، وقال "
    text += "\"هذا إنجاز كبير للفريق\". وتراجعت الأسهم."
    assert [_fields(q) for q in _quotes(text)] == [
        ("المبيعات ارتفعت", "قال", False, "المدير"),
        ("هذا إنجاز كبير للفريق", "قال", True, "المدير"),
    ]


# --- generalisation fixes: no wrong speakers (second dev set, other days) -----------------------------


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # an addressee with ل is not the speaker: the subject before the verb is
        ("بيد أن أحد ممثلي مؤسسته أكد لفرانس برس أنه لم يتلق أي اتصال.", [("لفرانس برس", "ORG")],
         ("لم يتلق أي اتصال", "أكد", False, "أحد ممثلي مؤسسته")),
        # a quoted name right after the verb, before an adjunct, is its subject
        ('وقال "عسيري" الليلة في حديث تلفزيوني: "الحدود آمنة ومستقرة".', [],
         ("الحدود آمنة ومستقرة", "قال", True, "عسيري")),
        # لكنه قال: the subject of the sentence
        ("ورحب المجلس الرقمي بالضوابط لكنه قال إن القانون لا يحمي الحريات.", [],
         ("القانون لا يحمي الحريات", "قال", False, "المجلس الرقمي")),
        # a clause attributed after it: …، كما قالت X، …
        ("وأسقطت التهم في ديسمبر بسبب عرقلة الحكومة، كما قالت مدعية المحكمة، مما فتح الطريق للزيارة.",
         [],
         ("وأسقطت التهم في ديسمبر بسبب عرقلة الحكومة", "قالت", False, "مدعية المحكمة")),
        ("وأطلقت الشرطة حملة واسعة في المدينة، بحسب وسائل الإعلام التركية.", [],
         ("وأطلقت الشرطة حملة واسعة في المدينة", "بحسب", False, "وسائل الإعلام التركية")),
        # يرى and أورد as speech verbs
        ("ويرى المراقبون أن المشروع سيغير السوق.", [], ("المشروع سيغير السوق", "يرى", False, "المراقبون")),
        ("وأورد التقرير أن الرياح ستكون شمالية.", [], ("الرياح ستكون شمالية", "أورد", False, "التقرير")),
        # الحاكم is not a noun with a possessive suffix
        ("وقال الحاكم السابق للولاية إن الاتفاق رهيب.", [],
         ("الاتفاق رهيب", "قال", False, "الحاكم السابق للولاية")),
        # a person named after a king in a place name is not the speaker
        ("وأوضح مدير مطار الملك فهد الدولي المهندس يوسف الظاهري، أن الإدارة ستفتتح مشروعات.",
         [("فهد الدولي", "PER"), ("يوسف الظاهري", "PER")],
         ("الإدارة ستفتتح مشروعات", "أوضح", False, "يوسف الظاهري")),
    ],
)
def test_generalisation_speakers(text, names, expected):
    assert _one(text, *names) == expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # an adverb or an object after the verb is not the speaker, and no guess from before either
        ('وفي تلك المباراة صرح غاضباً للصحافة قائلاً: "أنا لست مع التكنولوجيا".', []),
        ("وقال الوزير إن المعايير واضحة. وأكد أهمية أن تكون الأدلة سارية.", []),
        # a participle of a plural verb after one person
        ("ودفع تشافيز ولوزادا ببطلان الاتهام، حيث أشارا إلى أن المباراة تم الاتفاق عليها.",
         [("تشافيز", "PER")]),
        # a pronoun subject in another clause: not the last speaker
        ('وقال المسؤول: "لا". وقبل مغادرة المراسل، أخرج حارس آخر هاتفه وهو يقول: "أنتم تتهجمون".', []),
        # a person who opens a clause of his own before a participle
        ("وكانت الإدارة قد عقدت اجتماعا حضره رئيس البعثة نجيب الملا الذي رحب باللاعبين، "
         "مؤكداً أن المدرب ليس بجديد.", []),
        # scripture and honorifics
        ('قال تعالى: "وقل ربي زدني علما".', [("تعالى", "PER")]),
        ("وأكد المساواة الإنسانية بقوله: \"لا فضل لعربي على أعجمي\".", []),
    ],
)
def test_generalisation_no_wrong_speaker(text, names):
    qs = _quotes(text, *names)
    assert qs, "the quote is found"
    last = qs[-1]
    assert last.speaker is None, _fields(last)


@pytest.mark.parametrize(
    "text",
    [
        "وبما أن النادي لم يعلن عن رغبته بضمه مجددا، أصبحت الساحة خالية.",  # negated
        "وهذا ما أشار إليه القرآن الكريم في آيات كثيرة.",  # a relative, no complement
        "تتولى اللجنة جرد كشف الحساب الذي يعين على معرفة المشاكل.",  # كشف الحساب: a noun
        "فتح المراسل الباب ليرى المسؤول أنه موجود في مكتبه.",  # ليرى: to see
        "أرسل النادي خطابا تضمن طلب حضور اللاعب إلى جدة، على أن يتم توقيع العقد.",  # تضمن … على أن
        "وأضاف البديل الهدف الثاني من مدى قريب فيما يبدو أنها مباراته الأخيرة.",  # a goal, not speech
        "بينها وبين إيران تفاوضت معها ووصلتا إلى اتفاق وصفه المحايدون بأنه ناجح.",  # بين … وبين
    ],
)
def test_generalisation_not_quotes(text):
    assert [_fields(q) for q in _quotes(text)] == []
