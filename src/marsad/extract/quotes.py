"""Who said what: direct quotes and reported speech, with their speaker and cue.

Rules, as the dev set (`eval/data/extract-dev.md`) annotates them:

- **Reported speech** starts at a speech verb (قال، أضاف، أكد، أوضح، أشار إلى، ذكر، صرح، كشف، أعلن،
  أفاد، لفت، بيّن، ألمح، اعتبر، رأى، شدد، تابع، رجّح، نوّه … in the past, the present or as a participle
  such as مشيراً / مؤكدةً / مبينين, with و/ف). After the verb come the speaker (Arabic is VSO: `وقال
  وزير الخارجية ناصر بوريطة إن …`), adjuncts (`في بيان`, `لـ"الوطن"`, `اليوم`) and a complementiser
  (إن، أن، بأن، إنه …, `إلى أن`, `على أن`, or a colon). The content runs from there to the end of the
  sentence, or to the next participle or `، وقال` that starts a quote of its own. `أعلن / كشف / أكد /
  أشار إلى` may take a noun phrase instead (`أعلن الاتحاد تأجيل …`, `كشف … عن …`).
- **Attribution**: a clause with `بحسب / حسب / وفق / وفقاً لـ / طبقاً لـ (ما ذكره) X`, where X is a
  person, an organisation, a statement, a report or a source, is X's reported speech: the sentence
  when the attribution leads, the clause before it when it trails (or the sentence before, when the
  attribution stands alone). Figures and rules (`حسب بيانات`, `وفق النظام`) are not speech.
- **Direct quotes** are quoted text (`"…"`, `“…”`, `”…“`, `«…»`) that a speech cue introduces (right
  after the verb, after its speaker, a colon, a complementiser or إلى / على / عن / بـ) or that an
  attribution follows. Quoted names, titles and slogans (`تنظيم "داعش"`, `موقع «مساند»`) are not
  quotes, and quoted words inside reported speech belong to it. Calls, thanks and criticism (دعا،
  أعرب، طالب، انتقد، وصف، حذّر) count only with quotation marks, as in the dev set.
- **Speaker**: a named person in the verb's subject (a name is preferred to the title before it),
  else the subject's noun phrase (`مصدر عسكري`, `البيان`, `وكيل وزارة الحج اليمنية`); an organisation
  for a statement of it (`بيان صادر عن وزارة الخارجية`); the subject before the verb (`لكن المنظمة
  تقول إن`); the speaker after a quotation (`"…"، قال بوريطة`). For a bare verb or a participle
  (`وقالت إن`, `مضيفاً`) it is the subject of the verb that opens the sentence, else the last speaker,
  when gender and number agree with the verb (قال / قالت / قالوا) and no other person was named in
  between. Otherwise the speaker is left empty: an empty speaker is better than a wrong one. So a
  word after the verb that cannot be its subject (an adverb `غاضباً`, a verbal noun `أهمية`, an object
  before `بقوله`, an addressee `لفرانس برس`) leaves the speaker empty rather than passing to the last
  speaker; so do a pronoun subject in another clause (`… وهو يقول`), a plural verb after one person,
  and a person opening a clause of their own in between (`… نجيب الملا الذي رحب …، مؤكداً`). Negated
  verbs (`لم يعلن`), verbal nouns after a preposition and cues inside a cited passage in parentheses
  quote nothing.

Offsets point into `Article.text`; words are compared in their match form (`text.normalize`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.extract.entities import ORG_WORDS
from marsad.model import Article, Mention, Quote, Sentence, Span
from marsad.text.normalize import normalize

__all__ = ["Quote", "find_quotes", "statement_issuers"]  # Quote lives in `marsad.model`


# --- lexicon (match forms) --------------------------------------------------------------------------


def _n(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


# Speech verbs: (past 3rd person masculine, present stem after ي/ت, participle stem or "", kind).
# kind: "say" takes a complementiser; "np" also a noun phrase (أعلن تأجيل …); "call" counts only with
# quotation marks (the dev set does not count calls, thanks or criticism as reported speech).
_VERBS = (
    ("قال", "قول", "قائل", "say"), ("أضاف", "ضيف", "مضيف", "say"), ("أكد", "ؤكد", "مؤكد", "np"),
    ("أوضح", "وضح", "موضح", "say"), ("أشار", "شير", "مشير", "np"), ("ذكر", "ذكر", "", "say"),
    ("صرح", "صرح", "مصرح", "say"), ("كشف", "كشف", "كاشف", "np"), ("أعلن", "علن", "معلن", "np"),
    ("أفاد", "فيد", "مفيد", "say"), ("لفت", "لفت", "لافت", "say"), ("بين", "", "مبين", "say"),
    ("أبان", "بين", "", "say"), ("ألمح", "لمح", "ملمح", "say"), ("اعتبر", "عتبر", "معتبر", "say"),
    ("رأى", "", "", "say"), ("شدد", "شدد", "مشدد", "say"), ("تابع", "", "", "say"),
    ("رجح", "رجح", "مرجح", "say"), ("نوه", "نوه", "منوه", "say"), ("أردف", "ردف", "مردف", "say"),
    ("أقر", "قر", "", "say"), ("نفى", "نفي", "", "say"), ("أبلغ", "", "", "say"),
    ("تضمن", "تضمن", "", "say"), ("استدرك", "ستدرك", "مستدرك", "say"), ("اعترف", "عترف", "معترف", "say"),
    ("دعا", "دعو", "داعي", "call"), ("أعرب", "عرب", "معرب", "call"), ("طالب", "طالب", "مطالب", "call"),
    ("انتقد", "نتقد", "منتقد", "call"), ("وصف", "صف", "واصف", "call"), ("حذر", "حذر", "محذر", "call"),
    ("نص", "نص", "", "call"), ("عبر", "عبر", "معبر", "call"), ("جاء", "", "", "call"),
    ("علق", "علق", "معلق", "say"), ("أورد", "ورد", "", "say"),
)
# Verbs whose form is also a common other word (بين "between", ذكر "mention", تابع "follower"):
# they need a complementiser; a noun phrase after them is not their content.
_AMBIGUOUS = _n("بين ذكر تابع عبر نص أقر أبلغ طالب علق")
# `نقل … عن X قوله "…"`: the speaker follows عن.
_QUOTED_FROM = _n("قوله قولها قولهم")


@dataclass(frozen=True, slots=True)
class _Cue:
    lemma: str
    kind: str  # say | np | call
    form: str  # past | present | participle
    gender: str  # m | f | p (plural or dual)


def _lexicon() -> dict[str, _Cue]:
    out: dict[str, _Cue] = {}
    for past, pres, part, kind in _VERBS:
        p, s = normalize(past), normalize(pres)
        stem = p[:-1] if p.endswith("ي") and len(p) > 2 else p  # رأى → رأت, نفى → نفت
        forms = [(p, "m"), (stem + "ت", "f"), (stem + "وا", "p"), (p + "ا", "p"), (stem + "تا", "p")]
        for form, g in forms:
            out.setdefault(form, _Cue(p, kind, "past", g))
        if s:
            for form, g in (("ي" + s, "m"), ("ت" + s, "f"), ("ي" + s + "ون", "p"), ("ي" + s + "ان", "p")):
                out.setdefault(form, _Cue(p, kind, "present", g))
        if part:
            q = normalize(part)
            for form, g in ((q + "ا", "m"), (q, "m"), (q + "ه", "f"), (q + "ين", "p"), (q + "ان", "p")):
                out.setdefault(form, _Cue(p, kind, "participle", g))
    for form in ("وصفه", "وصفها"):  # وصفه بأنه «…»
        out[normalize(form)] = _Cue(normalize("وصف"), "call", "past", "m")
    for form, g in (("يرى", "m"), ("ترى", "f"), ("يرون", "p")):  # a present with a weak final letter
        out[normalize(form)] = _Cue(normalize("رأى"), "say", "present", g)
    out[normalize("قائلا")] = _Cue(normalize("قال"), "say", "participle", "m")
    out[normalize("بالقول")] = _Cue(normalize("قال"), "say", "participle", "m")
    for form, g in (("قوله", "m"), ("قولها", "f"), ("قولهم", "p")):
        out[normalize(form)] = _Cue(normalize("قال"), "say", "participle", g)
    return out


_CUES = _lexicon()
_SAY = normalize("قال")
_CITING = normalize("نقلا")
_BY_SAYING = _n("بقوله بقولها بقولهم قائلا قائلة")
_SEE = normalize("رأى")  # ليرى: "to see"
_DOC_CUES = _n("تضمن نص")  # a text contains or stipulates: its speaker is a text, never a guess
# Verbs whose complement may follow إلى / على (أشار إلى أن، أكد على أن), unlike تضمن طلباً … على أن.
_PREP_LEMMAS = _n("أشار أكد شدد نوه لفت ألمح أوضح أضاف أفاد")
_COME = normalize("جاء")
_MENTION_LEMMA = normalize("ذكر")
# Verbs that may follow what they report, with their speaker: `"…"، قال بوريطة.`
_TRAILING_VERBS = _n("قال أضاف تابع أردف")
# Participles and calls that end the reported clause before them (`…، مشيراً إلى أن`, `…، داعياً`).
_BREAKERS = frozenset(f for f, c in _CUES.items() if c.form == "participle") | _n("داعيا حاثا مهيبا مطالبا")
_COMPLEMENTISERS = _n("إن أن بأن إنه أنه بأنه إنها أنها بأنها إنهم أنهم بأنهم إنهما أنهما بأنهما إننا أننا "
                      "بأننا إنني أنني فإن فإنه فإنها فإنهم")
# Words before أن that make it part of another phrase (بعد أن, يجب أن), not the verb's complement.
_NOT_COMP_AFTER = _n("بعد قبل منذ دون يجب يمكن بد لابد ينبغي حتى يتوقع يعتقد سوى إلا لا لم ما سيما لاسيما "
                      "يبدو بدا المتوقع المقرر المنتظر المفترض الممكن المحتمل المرجح الضروري المؤكد "
                      "الواضح المعروف الطبيعي")
_PREPOSITIONS = _n("في على عن إلى الى مع لدى عبر خلال أمام حول بعد قبل منذ نحو ضمن أثناء عند حيث نيابة "
                   "نقلا تعليقا ردا تعقيبا تزامنا وفق وفقا حسب بحسب من ل لـ ب بـ تجاه بشأن إزاء بين بدلا")
_ALI = normalize("على")  # also the name علي
# Particles that start a family name (آل عمرو, بن لادن), and what a tagged name never ends with.
_PARTICLES = _n("آل بن ابن أبو أبي بنت")
_TRAILING = _n("ل لـ ب بـ في من عن إلى الى و")
# Verb forms that without و/ف are more often another word: بين "between", رأي "opinion".
_BARE_AMBIGUOUS = _n("بين رأى يرى ترى كشف عبر")
_BETWEEN = normalize("بين")
_SIDES = _n("جهته جهتها جانبه جانبها جهتهم جانبهم بدوره بدورها")
# Small word sets the rules below test often (match forms, built once).
_IN_OF = _n("في من")
_ABOUT_TO_ON = frozenset({"عن", "الي", "علي"})  # كشف عن، أشار إلى، أكد على (match forms)
_AMMA = _n("أما وأما")
_ALSO_THEN = _n("كما ثم")
_ALSO_THEN_QAD = _n("كما ثم قد")
_THIS = _n("هذه هذا")
_ITSELF = _n("نفسه ذاته")
_WAS_WHILE = _n("بينما فيما وكان كان وكانت كانت")
_WAS = _n("كان كانت")
_FIRST = normalize("أول")
_YESTERDAY = normalize("أمس")
_TONGUE = normalize("لسان")
# Adjuncts between a verb and its complement: time words and fillers.
_ADJUNCTS = _n("اليوم أمس غدا مساء صباح ظهر فجر عصر ليلة الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت "
               "الأحد أيضا قد ذلك بدوره بدورها بدورهم لاحقا سابقا حينها مؤخرا أخيرا الأول بدلا "
               "فيها فيه له لها لهم إليه إليها خلاله خلالها منه منها عنه عنها عليه عليها به بها بوضوح بشدة "
               "بالفعل بصراحة بقوة بحزم بدقة مجددا كذلك خصوصا خاصة تحديدا وقتها يومها آنذاك حينه الليلة "
               "الآن حاليا يوم الصلاة والسلام صلى وسلم تعالى وجل النقاب بصورة بشكل")
# Time nouns: with الماضي / المقبل / الجاري after them they are adjuncts (`قال الشهر الماضي`).
_TIME_NOUNS = _n("الشهر الأسبوع العام السنة الموسم الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت")
_TIME_ADJ = _n("الماضي الماضية المقبل المقبلة الجاري الحالي القادم")
# Function words that open a verb phrase or a clause (and honorifics after a name): a noun phrase
# ends before them.
_VERBAL = _n("تم يتم قد لم لن كان كانت يكون ثم حيث سوف وهو وهي إذ كما ما لا رضي رحمه حفظه طالما بينما "
             "فيما عندما لكن اعتقد يعتقد ظن يظن")
# A statement, a report or a source: a subject, or what بحسب / وفق attribute to.
_SOURCES = _n("بيان البيان مصدر المصدر مصادر المصادر تقرير التقرير وكالة الوكالة صحيفة الصحيفة موقع "
              "مسؤول مسؤولون مسؤولين المسؤول متحدث المتحدث الناطق شهود شاهد مراسل تصريح تصريحات "
              "بلاغ إعلان الإعلان رسالة الرسالة قائد وزير الوزير رئيس الرئيس مدير المدير الأنباء تقارير "
              "وسائل وثيقة الوثيقة تسريبات التسريبات")
_STATEMENTS = _n("بيان البيان تقرير التقرير بلاغ رسالة إعلان")
_ISSUED = _n("صادر صادرة الصادر الصادرة صدر صدرت")
# Heads of a descriptive speaker that keep their في / من phrase (مسؤول في مصفاة نفط).
_DESCRIPTIVE = _n("مسؤول مسؤولون مسؤولين مصدر مصادر عضو أعضاء المشاركون المشاركين متحدث ناطق متعاملون "
                  "خبير خبراء شهود سكان العديد عدد بعض كثير أغلب معظم أحد إحدى")
# Speech events: a في / ب phrase about them is an adjunct of the verb (قال في بيان), not the speaker.
_EVENTS = _n("بيان بيانه بيانها تصريح تصريحه تصريحها تصريحات تصريحاته كلمة كلمته كلمتها حديث حديثه "
             "حديثها مؤتمر لقاء مقابلة اتصال رسالة خطاب تغريدة حسابه حسابها موقعها موقعه الوقت تقريرها "
             "تقريره اجتماع الاجتماع جلسة تعليق تعليقه")
# Addressees: a ل word naming a medium ends the speaker (شاهدان لوكالة رويترز).
_MEDIA = _n("وكالة الوكالة صحيفة الصحيفة جريدة قناة القناة تلفزيون التلفزيون إذاعة الإذاعة مجلة "
            "الصحفيين الصحافة الصحافيين الصحفي وسائل مجموعة موقع الموقع فرانس رويترز أسوشيتد يونهاب سانا واس "
            "إيرنا شينخوا الأناضول")
# Parts of a text that speak for the text (وتعبر فقرة ثانية عن …): the text is the speaker.
_PARTS = _n("فقرة الفقرة بند البند نص النص مادة المادة")
_ATTRIB = _n("بحسب حسب وفق وفقا طبقا حسبما بحسبما وفقما")
_ATTRIB_VERBS = _n("ذكره ذكرته ذكرت ذكر أعلنه أعلنته أعلن قاله قالته قال أفاد أفادت نقلته نقله أورده "
                   "أوردته أوردت نشرته نشره أكده أكدته")
# Figures, rules and plans attributed or revealing are not speech.
_NOT_SOURCES = _n("بيانات إحصائية إحصائيات إحصاءات أرقام الأرقام معطيات نتائج النتائج النظام القانون "
                  "رؤية خطة مراحل تقديرات دراسة الدراسة البيانات الإحصائيات")
_SAME_SOURCE = _n("نفس ذات")
# Nouns that name what follows them in quotation marks (a title, a site, a slogan), not speech.
_NAME_HEADS = _n("موقع الموقع برنامج مشروع حملة شعار كتاب فيلم مسرحية تطبيق وسم هاشتاق عنوان مبادرة "
                 "مسابقة بطولة مهرجان جائزة قناة صحيفة مجلة شركة حركة تنظيم حزب نادي فندق مطعم سوق "
                 "خام منتج مركز عملية قضية") | ORG_WORDS
_DEMONSTRATIVES = _n("هذا هذه ذلك تلك هؤلاء")
_RELATIVES = {normalize("الذي"): "m", normalize("التي"): "f", normalize("الذين"): "p"}
_NOT_IN_NAMES = _VERBAL | frozenset(_RELATIVES)
_OPENERS = _n("لكن ولكن وكان وكانت كان كانت كما إذ وإذ أن إن فإن وإن لأن فيما بينما أما وأما")
# Words that open another clause inside a verb's window: its complement is not the verb's.
_CLAUSE_STOPS = _n("إذا لو كي لكي فيما بينما عندما حينما كلما طالما")
_SO_THAT = _n("كي لكي")
_PRONOUNS = _n("هو هي وهو وهي فهو فهي هم وهم فهم")
# Titles and descriptions that head a speaker's noun phrase: a name may follow them.
_TITLES = _n("وزير الوزير وزيرة رئيس الرئيس مدير المدير نائب مساعد مساعدة وكيل الأمين المتحدث متحدث "
             "الناطق ناطق المشرف السفير المستشار المندوب الدكتور السيد السيدة الشيخ الأمير اللواء "
             "العميد العقيد المقدم الرائد المهندس الأستاذ عضو المتعامل قائد القائد محافظ أمير الملك "
             "الممثل المرشد النائب مسؤول المسؤول والد والدة شقيق شقيقة زوج زوجة د م أ معالي سعادة سمو "
             "فخامة جلالة سماحة فضيلة صاحب سيدنا الإمام العلامة")


def _is_title(norm: str) -> bool:
    return norm in _TITLES or (norm.endswith("ه") and norm[:-1] in _TITLES)


_HUMAN_PLURALS = _n("مصادر شهود سكان نشطاء خبراء أهالي الأهالي مسعفون")
# People named by what they are (an indefinite subject: قال دبلوماسي مصري، قال محلل).
_HUMAN_NOUNS = _n("دبلوماسي محلل باحث ناشط طبيب مواطن مواطنة صحفي صحافي مراقب مصرفي محام محامي قاض ضابط "
                  "جندي موظف مستشار أستاذ خبير مدرب لاعب مسؤولة مصدرا شاهدة مقاتل معارض نائب مرشح "
                  "رجل امرأة سيدة شاب طالب طالبة عامل مزارع تاجر بائع قيادي عضوة متحدثة ناطقة صديق")
# Bodies the tagger's organisation words leave out.
_ORG_HEADS = _n("مستشفى مكتب شرطة بلدية أمانة إمارة سفارة غرفة صندوق بورصة مصلحة دائرة كلية مدرسة نيابة "
                "بعثة سلطات السلطات حكومة الحكومة")
# Prepositions as written (على, not the name علي): what follows them is a noun (على تذكر حقيقة).
_BEFORE_NOUN = frozenset(["على", "في", "من", "إلى", "الى", "عن", "مع", "حول"])
_ROYAL = _n("الملك الأمير الشيخ الإمام")
_NAMED_PLACES = _n("مطار جامعة مستشفى مدينة شارع مركز مجمع قاعدة ميناء جسر طريق كلية معهد قصر مسجد جامع حي "
                   "مكتبة جائزة مؤسسة دارة برنامج مشروع ملعب استاد صالة قاعة مستشفيات")
_NEGATIONS = _n("لم لن لا ولم ولن ولا فلم فلن")
_WHAT = _n("ما لما وما مما فما")
# A pronoun is the verb's subject (لكنه قال، وهو يقول): who it refers to comes from before.
_PRONOUN_SUBJECTS = _n("لكنه لكنها ولكنه ولكنها وهو وهي فهو فهي")
_SELF = _n("نفسه نفسها نفسهم")

_WORD = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640]+|[^\w\s]")
_QUOTE_CHARS = frozenset('"“”„‟＂«»')
_STOPS = frozenset(".!?؟؛…")
_MAX_WINDOW = 30  # words between a verb and its complementiser (a long title and an adjunct or two)
_MAX_QUOTE = 2000  # characters a quotation may run before it is taken as unclosed
_MAX_NP = 14  # words in a speaker's noun phrase (وكيل وزارة البترول لشؤون الثروة المعدنية الدكتور …)


# --- the article as tokens ------------------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    norm: str
    bare: str  # match form without a leading و / ف when the rest is a cue or an attribution
    word: bool
    line: bool  # a line break before it


@functools.lru_cache(maxsize=1 << 16)
def _forms(w: str) -> tuple[str, bool, str]:
    """A token's match form, whether it is a word, and its `_Tok.bare` form (cached: news repeats its
    words)."""
    n = normalize(w)
    word = n.isalnum() or w[0].isalnum()
    if word and len(n) > 2 and n[0] in "وف" and (n[1:] in _CUES or n[1:] in _ATTRIB):
        return n, word, n[1:]
    if word and len(n) > 3 and n[0] == "ل" and n[1:] in _CUES and (
            _CUES[n[1:]].form == "present" and _CUES[n[1:]].lemma != _SEE):
        return n, word, n[1:]  # ليشير إلى أن
    return n, word, n


class _Doc:
    """An article's tokens, stops, quotation segments and mentions, built once."""

    def __init__(self, article: Article, mentions: Sequence[Mention]):
        self.article = article
        text = self.text = article.text
        toks: list[_Tok] = []
        prev = 0
        for m in _WORD.finditer(text):
            s, e = m.span()
            w = m.group()
            n, word, bare = _forms(w)
            toks.append(_Tok(s, e, w, n, bare, word, "\n" in text[prev:s]))
            prev = e
        self.toks = toks
        # Text wrapped at a fixed width (EASC) breaks lines inside sentences, so there a line break is
        # no stop. Wrapped when most lines end without a stop.
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        open_ends = sum(1 for ln in lines if ln[-1] not in _STOPS and ln[-1] not in _QUOTE_CHARS)
        self.wrapped = len(lines) > 3 and open_ends * 2 > len(lines)
        self.stop = [self._is_stop(i) for i in range(len(toks))]
        self.segments = self._segments()  # opening token -> (closing token, content span)
        self.closer = {c: o for o, (c, _) in self.segments.items()}
        self.inside = [-1] * len(toks)  # token -> opening token of the segment it lies in
        for o, (c, _) in self.segments.items():
            for k in range(o + 1, c):
                if self.inside[k] < 0:
                    self.inside[k] = o
        self.cited = self._cited()
        starts = {t.start: i for i, t in enumerate(toks)}
        self.mention_at: dict[int, Mention] = {}  # first token -> mention (the longest there)
        for mn in sorted(mentions, key=lambda m: (m.span.start, -m.span.end)):
            i = starts.get(mn.span.start)
            if i is not None and i not in self.mention_at:
                self.mention_at[i] = mn
        self.mentions = list(mentions)

    def _cited(self) -> set[int]:
        """Tokens inside a long parenthesis (a cited verse or passage: `(حتى إذا بلغ أشده … قال ربِّ …)`)."""
        out: set[int] = set()
        opened = -1
        for i, t in enumerate(self.toks):
            if t.text == "(":
                opened = i
            elif t.text == ")" and opened >= 0:
                if i - opened > 6:
                    out.update(range(opened + 1, i))
                opened = -1
            elif t.line:
                opened = -1
        return out

    def _is_stop(self, i: int) -> bool:
        t, toks = self.toks[i], self.toks
        if t.word or t.text not in _STOPS:
            return False
        if t.text == ".":
            before = toks[i - 1] if i else None
            after = toks[i + 1] if i + 1 < len(toks) else None
            glued_b = before is not None and before.end == t.start
            glued_a = after is not None and after.start == t.end
            if glued_b and glued_a and before.text[-1].isdigit() and after.text[0].isdigit():
                return False  # 3.5, 11.05.2022
            if before is not None and before.word and glued_b and len(before.norm) <= 1 and not (
                i > 1 and toks[i - 2].text[-1:].isdigit()
            ):
                return False  # د. / م. (not 2022م.)
            short_before = before is not None and len(before.norm) <= 2
            if glued_a and after.word and (after.text[0].isascii() or short_before):
                return False  # U.S, سي.آي.إيه
        return True

    def _segments(self) -> dict[int, tuple[int, Span]]:
        """Quotation segments: opening token -> (closing token, content span). Straight and curly
        marks pair by context (outlets use “ and ” both ways round); an unclosed one runs to the end
        of its sentence."""
        toks, text = self.toks, self.text
        out: dict[int, tuple[int, Span]] = {}
        opened = {"q": -1, "g": -1}

        def close_unclosed(o: int, until: int) -> None:
            k = o + 1
            while k < until and not self.stop[k]:
                k += 1
            if o + 1 < k < until:
                out[o] = (k + 1, Span(toks[o + 1].start, toks[k].end))

        for i, t in enumerate(toks):
            if t.line and not self.wrapped:
                for fam, o in opened.items():
                    if o >= 0:
                        close_unclosed(o, i)
                        opened[fam] = -1
            if t.text not in _QUOTE_CHARS:
                continue
            fam = "g" if t.text in "«»" else "q"
            prev_c = text[t.start - 1] if t.start else " "
            next_c = text[t.end] if t.end < len(text) else " "
            if t.text == "«":
                role = "open"
            elif t.text == "»":
                role = "close"
            else:
                can_open = (prev_c.isspace() or prev_c in "([{ـ:،,؛;-") and not next_c.isspace()
                can_close = not prev_c.isspace() and (next_c.isspace() or next_c in ")]}».،,؛;:!?؟")
                role = "either"
                if can_open != can_close:
                    role = "open" if can_open else "close"
            o = opened[fam]
            if o >= 0 and role == "either" and prev_c.isspace() and any(self.stop[o + 1:i]):
                role = "open"  # `… 1967.  و أعرب المشاركون " عن …`: the earlier quote was never closed
            if o >= 0 and role in ("close", "either"):
                if t.start - toks[o].end <= _MAX_QUOTE:
                    out[o] = (i, Span(toks[o].end, t.start))
                else:
                    close_unclosed(o, i)
                opened[fam] = -1
            elif role in ("open", "either"):
                if o >= 0:
                    close_unclosed(o, i)
                opened[fam] = i
        for o in opened.values():
            if o >= 0:
                close_unclosed(o, len(toks))
        return out

    def span_of(self, a: int, b: int) -> Span:
        """The text span of tokens [a, b)."""
        return Span(self.toks[a].start, self.toks[b - 1].end)

    def is_comp(self, i: int) -> bool:
        """Whether token i is a complementiser (إن، أن، بأنه …) that can introduce a verb's content."""
        if self.toks[i].norm not in _COMPLEMENTISERS:
            return False
        return not (i and self.toks[i - 1].norm in _NOT_COMP_AFTER)

    def boundary(self, i: int) -> bool:
        """Whether a sentence ends before token i... or at it: a stop, or a line break in unwrapped text."""
        return self.stop[i] or (self.toks[i].line and not self.wrapped)

    def is_cue(self, i: int) -> bool:
        t = self.toks[i]
        return t.word and t.bare in _CUES

    def sentence_start(self, i: int) -> int:
        s = i
        while s > 0 and not self.stop[s - 1] and not self.boundary(s):
            s -= 1
        return s


def _clean_span(text: str, span: Span) -> Span | None:
    """`span` without edge whitespace, commas and colons (None when nothing is left)."""
    s, e = span.start, span.end
    while s < e and (text[s].isspace() or text[s] in "،,:"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "،,:"):
        e -= 1
    return Span(s, e) if e > s else None


def _prefixed(n: str) -> bool:
    """A word with a prepositional proclitic: بالوزارة، للشركة، لوكالة (a medium), بتصريح (an event)."""
    if len(n) <= 3:
        return False
    if (n[0] in "لب" and n[1:3] == "ال") or n.startswith("لل"):
        return True
    return _to_medium(n) or (n[0] == "ب" and n[1:] in _EVENTS)


def _to_medium(n: str) -> bool:
    """`لوكالة`, `للصحافيين`, `لتصريح`: to a medium or in a statement, an addressee phrase."""
    if len(n) <= 3 or n[0] != "ل":
        return False
    rest = "ال" + n[2:] if n.startswith("لل") else n[1:]
    return rest in _MEDIA or rest in _EVENTS


def _attrib_verb(norm: str) -> bool:
    """A verb of `وفق ما ذكره X`: a speech verb, perhaps with an object pronoun."""
    if norm in _ATTRIB_VERBS:
        return True
    for suffix in ("ته", "ه", "ها"):
        if norm.endswith(suffix) and norm[: -len(suffix)] in _CUES:
            return True
    return norm in _CUES


def _vowelled(word: str) -> bool:
    """A word written with short vowels or tanween (الفَارِغَة): vocalised text."""
    return any("\u064b" <= c <= "\u0650" or c == "\u0652" for c in word)


def _tanween(word: str) -> bool:
    """A word with tanween (غاضباً، نصاً): an indefinite adverb or object, not a subject."""
    return any("\u064b" <= c <= "\u064d" for c in word)


def _pronominal(norm: str) -> bool:
    """A noun with a possessive pronoun (انتشارهم، توقعاتها، متابعته): an object, not a speaker."""
    suffixed = norm.endswith(("هم", "ها", "هما", "كم", "نا", "ته"))
    return len(norm) > 4 and suffixed and not norm.startswith("ال")  # الحاكم: not a suffix


def _definite(norm: str) -> bool:
    return norm.startswith(("ال", "لل")) or (len(norm) > 3 and norm[0] in "لب" and norm[1:3] == "ال")


# --- candidates and speakers -----------------------------------------------------------------------


@dataclass(slots=True)
class _Speaker:
    span: Span
    gender: str | None  # m | f | p | None (unknown)
    entity_id: str | None


@dataclass(slots=True)
class _Cand:
    span: Span | None  # None: a speech verb without content, kept for who spoke last
    origin: str  # cue | attr | chain
    direct: bool
    cue: int  # token of the cue
    window: tuple[int, int]  # tokens naming the speaker (subject window or attribution source)


def _noun_gender(words: Sequence[str]) -> str | None:
    if not words:
        return None
    head = words[0]
    bare = head[2:] if head.startswith("ال") else head
    if head in _HUMAN_PLURALS or (len(bare) > 4 and bare.endswith(("ون", "ين"))):
        return "p"
    return "f" if head.endswith("ه") else "m"


def _agrees(verb: str, speaker: str | None) -> bool:
    if speaker is None or verb == speaker:
        return True
    return verb == "f" and speaker == "p"  # plurals of things, and sources (مصادر), take feminine verbs


class _Finder:
    """Finds the candidates of one article, then resolves their speakers in text order."""

    def __init__(self, doc: _Doc):
        self.doc = doc
        self.cands: list[_Cand] = []
        self.consumed: set[int] = set()  # tokens inside a verb's window (an attribution there is its)
        # last words of the people the tagger found: a name ends there
        self.surnames = {normalize(doc.text[m.span.start:m.span.end]).split()[-1]
                         for m in doc.mentions if m.label == "PER" and m.span.end > m.span.start}
        # every word of the people and organisations the tagger found (and of the speakers found so far)
        self.named_words = {w for m in doc.mentions if m.label in ("PER", "ORG")
                            for w in normalize(doc.text[m.span.start:m.span.end]).split()}
        self.blocked = False  # the last `speaker_in` met a word after the verb that cannot be its speaker

    # noun phrases ------------------------------------------------------------------------------

    def _governed(self, k: int) -> bool:
        """Whether the mention starting at token k is the object of a preposition (not a subject)."""
        toks = self.doc.toks
        prev = toks[k - 1] if k else None
        if prev is not None and prev.text in _QUOTE_CHARS and k > 1:
            prev = toks[k - 2]
        if prev is not None and prev.norm in _PREPOSITIONS:
            # المقدم علي عمير: علي is a name
            return not (prev.norm == _ALI and k > 1 and (_is_title(toks[k - 2].norm) or not toks[k - 2].word))
        n = toks[k].norm
        if n == _ALI and prev is not None and prev.word and not _is_title(prev.norm):
            return True  # على تويتر tagged as a person
        return _prefixed(n)

    def _mention_span(self, k: int) -> Span:
        """The span of the mention at token k, with a name's leading علي the tagger left out and a
        trailing preposition it took in (`روبرت لـ`) left out."""
        toks = self.doc.toks
        m = self.doc.mention_at[k]
        start, end = m.span.start, m.span.end
        if k > 1 and toks[k - 1].norm == _ALI and _is_title(toks[k - 2].norm) and m.label == "PER":
            start = toks[k - 1].start
        elif k > 0 and toks[k - 1].norm in _PARTICLES and m.label == "PER":
            start = toks[k - 1].start  # آل عمرو
        j = k
        while j < len(toks) and toks[j].end <= end:
            j += 1
        while j - 1 > k and (toks[j - 1].norm in _TRAILING or toks[j - 1].norm in _ADJUNCTS
                             or not toks[j - 1].word):
            j -= 1
            end = toks[j - 1].end
        if toks[j - 1].norm in _PARTICLES and j < len(toks) and toks[j].word:
            end = toks[j].end  # عمر بن | الخطاب
        return Span(start, end)

    def _skip_adjuncts(self, k: int, b: int) -> int:
        """The first token of [k, b) after adjuncts: time words, `في بيان`, `لـ"الوطن"`, `لوكالة …`
        (a quoted name right after the verb, before an adjunct, is its subject: `وقال "عسيري" الليلة`)."""
        doc, toks = self.doc, self.doc.toks
        start = k
        while k < b:
            t = toks[k]
            if t.text in _QUOTE_CHARS and k in doc.segments and doc.segments[k][0] < b:
                close = doc.segments[k][0]
                words = len(doc.text[toks[k].end:toks[close].start].split())
                nxt = toks[close + 1] if close + 1 < b else None
                subject = k == start and nxt is not None and (
                    nxt.norm in _ADJUNCTS or nxt.norm in _PREPOSITIONS or doc.is_comp(close + 1))
                if words <= 3 and nxt is not None and nxt.word and not subject:  # an addressee or object
                    k = close + 1
                    continue
                break
            if not t.word:
                if t.text in "،,()":
                    k += 1
                    continue
                break
            n = t.norm
            media = _prefixed(n)  # بالدور، لوكالة، للصحافيين: a prepositional phrase
            if k in doc.mention_at and n not in _PREPOSITIONS and not media:
                break
            if n in _TIME_NOUNS and k + 1 < b and toks[k + 1].norm in _TIME_ADJ:
                k += 2  # الأربعاء الماضي
                continue
            if n in _ADJUNCTS or (t.bare in _CUES and _CUES[t.bare].form == "participle"):
                k += 1  # أمس، خلاله، قائلة
                continue
            if n == _FIRST and k + 2 < b and toks[k + 1].norm == "من" and toks[k + 2].norm == _YESTERDAY:
                k += 3  # أول من أمس
                continue
            if n == _ALI and k + 1 < b and toks[k + 1].norm == _TONGUE:
                k += 2  # على لسان X: X speaks
                continue
            if n in _PREPOSITIONS or media:
                if n == _ALI and k > 0 and _is_title(toks[k - 1].norm):
                    break
                if n == _CITING:  # نقلا عن مصادر في الصناعة: whom the speaker cites
                    k += 1
                    while k < b and toks[k].text not in "،," and not doc.is_comp(k):
                        k += 1
                    continue
                # the phrase: a quoted name, or words up to a comma, a name or a title
                k += 1
                if k < b and toks[k].text in _QUOTE_CHARS and k in doc.segments:
                    k = doc.segments[k][0] + 1
                    continue
                words = 0
                relative = False  # بعد عملية الاطلاع التي قام بها مسؤولون: a name there is not the subject
                while k < b and toks[k].text not in "،,":
                    w = toks[k]
                    relative = relative or w.norm in _RELATIVES
                    named = k in doc.mention_at and doc.mention_at[k].label in ("PER", "ORG")
                    if w.word and words >= 1 and not relative and (
                            named or _is_title(w.norm) or w.norm in _DESCRIPTIVE
                            or (w.norm in _SOURCES and w.norm not in _EVENTS)):
                        break
                    if w.text in _QUOTE_CHARS and k in doc.segments and doc.segments[k][0] < b and len(
                            doc.text[w.end:toks[doc.segments[k][0]].start].split()) <= 3:
                        k = doc.segments[k][0] + 1  # في تصريح لصحيفة "السياسة" الكويتية
                        continue
                    if doc.is_comp(k) or w.text in _QUOTE_CHARS:
                        break
                    words += w.word
                    k += 1
                continue
            break
        return k

    def _np_end(self, head: int, b: int) -> int:
        """End (exclusive) of the speaker noun phrase that starts at token `head`, within [head, b)."""
        doc, toks = self.doc, self.doc.toks
        h = toks[head].norm
        if h[:1] == "ل" and len(h) > 3 and (h[1:] in _DESCRIPTIVE or _is_title(h[1:])):
            h = h[1:]  # وفقاً لمصادر في الشركة
        titled = _is_title(h) or h in _DESCRIPTIVE or h[:1].isdigit()
        k = head
        words = 0
        while k < b and words < (_MAX_NP if titled else 8):
            t = toks[k]
            if not t.word:
                if t.text in _QUOTE_CHARS:
                    seg = doc.segments.get(k)
                    if k == head and seg is not None and seg[0] < b:  # "الصالح"
                        k = seg[0] + 1
                        words += 1
                        continue
                    if seg is not None and seg[0] < b and toks[k - 1].norm in (_SOURCES | ORG_WORDS):
                        k = seg[0] + 1  # تقرير «تداول», مجلة "شتيرن"
                        continue
                    break
                if (t.text in "%-" or (t.text == "." and not doc.stop[k])) and k > head:
                    k += 1  # 57%, د. آل عمرو
                    continue
                if t.text in "،," and titled and k > head:
                    # an appositive name between commas: المتحدث باسم الوزارة، تيسير المفرج،
                    j, w = k + 1, 0
                    while j < b and toks[j].word and w < 4 and toks[j].norm not in _NOT_IN_NAMES:
                        j += 1
                        w += 1
                    if w > 0 and (j >= b or toks[j].text in "،," or doc.is_comp(j)):
                        k = j
                        words += w
                        continue
                break
            n = t.norm
            if k > head and len(n) > 3 and n.endswith("وا") and k not in doc.mention_at:
                break  # باحثون قاموا باستطلاع …: a verb
            if k > head and _pronominal(n) and k not in doc.mention_at and toks[k - 1].norm.startswith("ال"):
                break  # فنفت شركة الاتصالات مسؤوليتها: the object (but أحد ممثلي مؤسسته)
            stop = (n.startswith("بال") and not titled) or n in _PRONOUN_SUBJECTS or _tanween(t.text)
            if k > head and stop and k not in doc.mention_at:
                break  # ورحب المجلس الرقمي بالضوابط لكنه …, رئيس النادي غاضباً
            if k > head and toks[k - 1].norm not in _PARTICLES:  # إبراهيم بن علي: a name
                if n in _ADJUNCTS or n in _RELATIVES or n in _VERBAL or n in _COMPLEMENTISERS or (
                    t.bare in _CUES and (t.norm != t.bare or t.bare not in _AMBIGUOUS)
                ):
                    break
                if n in _PREPOSITIONS or n in ("ل", "لـ", "ب", "بـ"):
                    nxt = toks[k + 1].norm if k + 1 < b else ""
                    if not (titled and n in _IN_OF and nxt not in _EVENTS and nxt not in _ADJUNCTS
                            and k + 1 < b and toks[k + 1].word and not doc.is_comp(k + 1)):
                        break  # حذر رئيس الوزراء من أن: the verb's preposition
                if _to_medium(n):
                    break
                if n[:1] == "ب" and len(n) > 3 and n[1:] in _EVENTS:
                    break
            k += 1
            words += 1
        return k

    def _in_place_name(self, k: int) -> bool:
        """Whether the name at token k belongs to a place or body named after a person: مطار الملك فهد."""
        toks = self.doc.toks
        return k > 1 and toks[k - 1].norm in _ROYAL and toks[k - 2].norm in _NAMED_PLACES

    def _entity_in(self, span: Span) -> str | None:
        for m in self.doc.mentions:
            if span.start <= m.span.start and m.span.end <= span.end and m.entity_id:
                return m.entity_id
        return None

    def _speaker_head(self, k: int, strict: bool) -> bool:
        """Whether token k, with no name found there, can head a speaker's noun phrase: a definite noun,
        a title, a source, an organisation, a people noun or a word of a name found elsewhere, not an
        adverb (`قال نصاً`, `صرح غاضباً`), a function word or an object (`أكد أهمية …`). Unless
        `strict` (after a verb that may take a noun phrase as its content), also the head of a construct
        (`أجهزة حماية الرئيس`)."""
        doc, toks = self.doc, self.doc.toks
        t = toks[k]
        if t.text in _QUOTE_CHARS:  # وأضاف "الصالح" بأن
            return k + 1 < len(toks) and toks[k + 1].word
        n = t.norm
        if n[:1].isdigit():
            return True  # 57% من المجيبين
        bare = n[1:] if n[:1] in "وف" and len(n) > 2 else n
        if n in self.named_words:
            return True  # وقال الماضي إن: a name found elsewhere (المهندس محمد الماضي)
        if n in _TIME_ADJ:
            return False  # الماضي (of الأربعاء الماضي)
        if n in _DEMONSTRATIVES and k + 1 < len(toks) and toks[k + 1].norm.startswith("ال"):
            return True  # هذه المصادر
        if _tanween(t.text) or any(w in _DEMONSTRATIVES or w in _VERBAL or w in _OPENERS or w in _PRONOUNS
                           or w in _COMPLEMENTISERS or w in _ADJUNCTS for w in (n, bare)):
            return False
        for w in (n, n[1:] if n[:1] in "لب" and len(n) > 3 else n):  # لوزارة الخارجية (وفقاً لـ …)
            if _definite(w) or _is_title(w) or w in _DESCRIPTIVE or w in _SOURCES or w in ORG_WORDS or (
                    w in _MEDIA or w in _ORG_HEADS):
                return True
            if w in _HUMAN_NOUNS or w in _HUMAN_PLURALS or w in self.named_words:
                return True
        if len(n) > 4 and n.endswith(("ون", "يون")):
            return True  # مصرفيون، باحثون
        if strict:
            return False
        for j in range(k + 1, min(len(toks), k + 4)):  # a construct: مكتب حاكم إقليم أغري، أجهزة حماية الرئيس
            w = toks[j]
            if not w.word or w.norm in _VERBAL or w.norm in _PREPOSITIONS or w.norm in _ADJUNCTS or (
                    doc.is_comp(j)):
                return False
            if w.norm.startswith("ال") or j in doc.mention_at:
                return True
        return False

    def speaker_in(self, a: int, b: int, gender: str | None, check: int = 1) -> _Speaker | None:
        """The speaker that tokens [a, b) after a verb name (its subject), or None."""
        doc, toks = self.doc, self.doc.toks
        head = self._skip_adjuncts(a, b)
        if head >= b:
            return None
        h = toks[head].norm
        if h in _PARTS or h in ("و", "ف"):
            return None  # وتعبر فقرة ثانية عن: the text it is part of speaks
        if head not in doc.mention_at and _pronominal(h):
            return None  # انتشارهم يشير إلى أن: a thing of someone's, not a speaker
        if h in _STATEMENTS:
            # a statement of an organisation speaks for it: بيان صادر عن وزارة الخارجية
            k = head + 1
            if k < b and toks[k].norm in _ISSUED:
                k += 1
            of = k < b and toks[k].norm in ("عن", "ل", "لـ")
            if of or (k < b and toks[k].norm[:1] == "ل" and toks[k].norm[1:] in ORG_WORDS):
                src = k + 1 if of else k
                if src < b and src in doc.segments and doc.segments[src][0] < b:  # تقرير لـ«بيرو فان دايك»
                    inner = _clean_span(doc.text, doc.segments[src][1])
                    return _Speaker(inner, gender, self._entity_in(inner)) if inner else None
                sp = self.speaker_in(src, b, None, check=0)
                if sp is not None:
                    return sp
        titled = _is_title(h) or h in _DESCRIPTIVE or h in _SOURCES
        named = sorted(
            (i, m) for i, m in doc.mention_at.items()
            if head <= i < b and m.span.end <= toks[b - 1].end and not self._governed(i)
            and (doc.inside[i] < 0 or doc.inside[i] == head)  # not a quoted name after it (لـ«بيرو فان دايك»)
        )
        pick = None
        if named and named[0][0] == head and (h not in ORG_WORDS or named[0][1].label != "PER"):
            pick = named[0][0]
        elif titled or h not in ORG_WORDS:
            people = [i for i, m in named if m.label == "PER" and not self._in_place_name(i)]
            if people:
                pick = people[0]
        if pick is not None and toks[pick].norm in _ADJUNCTS:
            return None  # قال تعالى: an honorific, not a name
        if pick is not None and not (h in ORG_WORDS and pick != head):  # إدارة الرئيس جورج بوش: the NP
            m = doc.mention_at[pick]
            return _Speaker(self._mention_span(pick), gender, m.entity_id)
        if any(t.norm in _BY_SAYING for t in toks[head:b]) and not _is_title(h) and h not in _SOURCES:
            self.blocked = True  # وأكد المساواة الإنسانية بقوله: the object, before how it was said
            return None
        if check and not self._speaker_head(head, check > 1):
            self.blocked = True  # a word there that cannot be the speaker: no guess from before either
            return None
        end = self._np_end(head, b)
        if end <= head:
            return None
        if titled and end - head > 2:
            # a title and a name the tagger missed here but found elsewhere: اللواء المقدشي بالدور …
            for k in range(head + 1, end - 1):
                nxt = toks[k + 1].norm
                if toks[k].norm in self.surnames and (_prefixed(nxt) or nxt in _PREPOSITIONS):
                    end = k + 1
                    break
        if check and sum(_vowelled(t.text) for t in toks[head:end]) > 1:
            return None  # vocalised text (رأى الصّحون الفَارِغَة): a verse or a story, not a speaker
        span = doc.span_of(head, end)
        if toks[head].text in _QUOTE_CHARS and end - head >= 3:  # وأضاف "الصالح" بأن
            span = doc.span_of(head + 1, end - 1)
        words = [t.norm for t in toks[head:end] if t.word]
        if not words:
            return None
        g = "p" if _noun_gender(words) == "p" and gender in ("m", None) else gender
        return _Speaker(span, g, self._entity_in(span))

    def subject_before(self, i: int) -> _Speaker | None:
        """The subject written before a verb at token i: `لكن المنظمة تقول إن`, `وكان بيان صادر عن …
        أكد أن`, `أما X فرأى أن`, `… العليان، الذي بين أن`."""
        doc, toks = self.doc, self.doc.toks
        cue = _CUES[toks[i].bare]
        k = i - 1
        if k >= 0 and toks[k].norm == "قد":
            k -= 1
        if k < 0 or not (toks[k].word or k in doc.closer) or doc.boundary(i):
            return None
        if toks[k].norm in _PRONOUNS:
            # أما X، …، فهو يؤكد: the topic
            j = k - 1
            while j >= 0 and k - j < 25 and not doc.boundary(j + 1):
                if toks[j].norm in _AMMA:
                    return self.speaker_in(j + 1, k, cue.gender)
                j -= 1
            return None
        if toks[k].norm in _RELATIVES:
            if _RELATIVES[toks[k].norm] != cue.gender:
                return None  # حملات الاعتقال التي قال إنها: التي is not the speaker
            j = k - 1
            if j >= 0 and toks[j].text in "،,":
                j -= 1
            for s, m in doc.mention_at.items():
                if j >= 0 and m.span.end == toks[j].end and m.label in ("PER", "ORG"):
                    return _Speaker(self._mention_span(s), cue.gender, m.entity_id)
            return None
        # an opener, then a noun phrase (and perhaps a comma and an adjunct), then the verb
        j = k
        while j >= 0 and k - j < 10 and (toks[j].word or toks[j].text in "،,«»\"") and (
                not doc.boundary(j + 1)):
            if toks[j].norm in _OPENERS:
                break
            if doc.is_cue(j) or doc.is_comp(j) or toks[j].norm in _VERBAL:
                return None
            if j < k - 1 and j in doc.closer and doc.closer[j] > 0 and toks[doc.closer[j] - 1].word:
                sp = self.speaker_in(j + 1, k + 1, cue.gender)  # وكأن هذا «شر محض» الراشد يشير
                if sp is not None:
                    return sp
            j -= 1
        if j >= 0 and j < k and toks[j].norm in _OPENERS:
            return self.speaker_in(j + 1, k + 1, cue.gender)
        # a name right before the verb, after a boundary or a comma
        for s, m in doc.mention_at.items():
            if (m.span.end == toks[k].end and s <= k and m.label in ("PER", "ORG") and not self._governed(s)
                    and (s == 0 or doc.boundary(s) or doc.stop[s - 1] or toks[s - 1].text in "،,")):
                return _Speaker(self._mention_span(s), cue.gender, m.entity_id)
        return None

    # candidates ----------------------------------------------------------------------------------

    def clause_end(self, c: int) -> int:
        """Exclusive token index where reported content starting at token c ends."""
        doc, toks = self.doc, self.doc.toks
        n = len(toks)
        k = c
        while k < n:
            t = toks[k]
            if k > c and t.line and not doc.wrapped:
                return k
            if k in doc.segments:
                k = doc.segments[k][0] + 1
                continue
            if doc.stop[k]:
                return k
            if k > c and t.word and t.bare in _BREAKERS and self._introduces(k):
                return k
            said = t.word and t.norm != t.bare and t.bare in _CUES and _CUES[t.bare].form == "past"
            if k > c and said and k + 1 < n and (doc.is_comp(k + 1) or toks[k + 1].text == ":"):
                return k  # … بناء السد وقال إن …: a new statement, even without a comma
            if t.text in "،," and k + 1 < n:
                nx = toks[k + 1]
                if nx.word and nx.norm in _ALSO_THEN and k + 2 < n:
                    nx = toks[k + 2]
                    if nx.word and nx.bare in _CUES and _CUES[nx.bare].form == "past":
                        return k
                if nx.word and nx.norm != nx.bare and nx.bare in _CUES and _CUES[nx.bare].form == "past":
                    return k
            k += 1
        return n

    def _introduces(self, k: int) -> bool:
        """Whether the participle at k introduces a complement or a quotation (not a word of the
        content)."""
        toks = self.doc.toks
        for j in range(k + 1, min(len(toks), k + 5)):
            if self.doc.is_comp(j) or toks[j].text in _QUOTE_CHARS or toks[j].norm in ("الي", "علي", "عن"):
                return True
        return k > 0 and toks[k - 1].text in "،,"

    def _speechlike(self, o: int, a: int) -> bool:
        """Whether the quotation opening at token o, reached from a verb's window starting at token a,
        is what the verb says (not a name in its subject or object)."""
        doc, toks = self.doc, self.doc.toks
        close, span = doc.segments[o]
        words = len(doc.text[span.start:span.end].split())
        prev = toks[o - 1] if o else None
        nxt = toks[close + 1] if close + 1 < len(toks) else None
        if nxt is not None and (doc.is_comp(close + 1) or nxt.text == ":" or nxt.norm in ("عن", "الي")):
            return False  # the speaker in quotation marks: وأضاف "الصالح" بأن
        if prev is not None and prev.word and (prev.norm in _NAME_HEADS or prev.norm in ("ل", "لـ")):
            return False  # موقع «مساند», شعار "الصحة ابتسامة", قال تقرير لـ«بيرو فان دايك»
        if prev is None or prev.text == ":" or doc.is_comp(o - 1):
            # أن «السعودية» تقدم …: one quoted word that the clause goes on from is a name
            return words >= 2 or nxt is None or not nxt.word
        if o == a or prev.norm in ("الي", "علي", "عن", "ب", "بـ") or prev.bare in _CUES:
            return words >= 2
        ends = nxt is None or doc.boundary(close + 1) or nxt.text in "،,؛" or nxt.text in _QUOTE_CHARS or (
            nxt.word and nxt.norm != nxt.bare) or (nxt.norm == "و" and close + 2 in doc.segments)
        return words >= 3 and ends

    def from_cue(self, i: int) -> None:
        """The quote the speech verb at token i introduces, if any."""
        doc, toks = self.doc, self.doc.toks
        cue = _CUES[toks[i].bare]
        n = len(toks)
        j = i + 1
        if cue.lemma == _COME and (j >= n or toks[j].norm != "في"):
            return
        prev = toks[i - 1].norm if i else ""
        if prev in _NEGATIONS or (i and toks[i - 1].text in _BEFORE_NOUN) or (
                prev in _WHAT and i > 1 and toks[i - 2].bare in _ATTRIB):
            return  # لم يعلن: nothing was said; على تذكر: a noun; بحسب ما أكد X: the attribution's verb
        relative = prev in _WHAT  # وهذا ما أشار إليه: content only after a complementiser
        if j + 1 < n and toks[j].norm == "عز" and toks[j + 1].norm in ("من", "وجل"):
            return  # قال عز من قائل: scripture
        if prev == "كما" and i > 1 and toks[i - 2].text in "،," and cue.form == "past" and cue.kind != "call":
            k = j
            while k < n and k - j < 10 and not doc.boundary(k) and toks[k].text not in "،,:" and not (
                    doc.is_comp(k) or toks[k].text in _QUOTE_CHARS):
                k += 1
            if k > j and (k >= n or doc.boundary(k) or toks[k].text in "،,"):
                self._attribute(i - 1, j, i)  # …، كما قالت المدعية: the clause before is hers
                return
        if toks[i].bare == _BETWEEN and any(x.norm.startswith(_BETWEEN) for x in toks[max(0, i - 3):i]):
            return  # بينها وبين إيران: "between … and", not "and he showed"
        strict = False
        if toks[i].norm in _BARE_AMBIGUOUS and not (
            (i and (toks[i - 1].norm in _RELATIVES or toks[i - 1].norm in _ALSO_THEN_QAD))
            or (j < n and doc.is_comp(j))
        ):
            # بين "between", رأي "opinion": a verb by its place (الذي بين أن, بين أن), or رأى at the
            # start of a clause (من جهته رأى X أن) with no other verb before its complement
            if toks[i].norm == _BETWEEN or (i and toks[i - 1].word and toks[i - 1].norm not in _SIDES):
                return
            strict = True
        words = 0
        while j < n and words <= _MAX_WINDOW:
            t = toks[j]
            if doc.boundary(j) or t.norm == "ما" or (t.norm in _CLAUSE_STOPS and not (
                    t.norm in _SO_THAT and j + 1 < n and toks[j + 1].norm[:1] not in "يتنا")):
                break  # (كي before a verb; بي كي باتنايك is a name)
            self.consumed.add(j)
            if t.text in _QUOTE_CHARS and j in doc.segments:
                if self._speechlike(j, i + 1):
                    self._add_direct(i, j, (i + 1, j))
                    return
                j = doc.segments[j][0] + 1
                continue
            to_comp = t.norm in ("الي", "علي") and j + 1 < n and doc.is_comp(j + 1)
            if to_comp and cue.lemma not in _PREP_LEMMAS:
                break  # تضمن طلب حضور اللاعب …، على أن يتم: the complement of another word
            prep_comp = to_comp
            if t.text == ":" or doc.is_comp(j) or prep_comp:
                c = j + 2 if prep_comp else j + 1
                if t.text == ":" and c < n and doc.is_comp(c):
                    c += 1
                if c < n and c in doc.segments and self._speechlike(c, c):
                    self._add_direct(i, c, (i + 1, j))
                    return
                if cue.kind == "call":
                    return
                if cue.form == "present" and j == i + 1 and cue.lemma == _MENTION_LEMMA:
                    return  # يذكر أن: "it is worth noting", nobody speaks
                head = self._skip_adjuncts(i + 1, j)
                if head < j and toks[head].norm in _NOT_SOURCES:
                    return  # كشفت إحصائية … بأنها: figures, not speech
                self._add_reported(i, c, (i + 1, j))
                return
            if t.word and j > i + 1 and t.bare in _CUES and (
                    strict or t.norm != t.bare or _CUES[t.bare].form == "participle"
                    or (t.bare not in _AMBIGUOUS and t.bare not in _BARE_AMBIGUOUS
                        and toks[j - 1].norm.removeprefix("و") not in _RELATIVES)):
                break  # the next verb: this one had no complement (التي أضافت لها الجائزة أشارت أسماء)
            if t.text in "،," and j + 1 < n and self._new_clause(j + 1):
                break
            words += t.word
            j += 1
        if relative:
            return
        if cue.kind != "call" and cue.form != "participle" and self._after_content(i, j):
            return
        plain = toks[i].bare not in _AMBIGUOUS
        if cue.kind == "np" and cue.form != "present" and plain and self._np_content(i):
            return
        if cue.kind != "call" and cue.form == "past" and plain and cue.lemma not in _DOC_CUES:
            # no content but a subject: who spoke last, for a bare verb after it (اعترف صديق له … وأقر بأنه)
            self.cands.append(_Cand(None, "cue", False, i, (i + 1, min(j, i + 20))))

    def _after_content(self, i: int, j: int) -> bool:
        """`"…"، قال بوريطة.` / `الاجتماع ناجح، قال الوزير.`: the verb and its speaker close the
        sentence after the content (a quotation, or the clause before the comma)."""
        doc, toks = self.doc, self.doc.toks
        if not (j >= len(toks) or doc.boundary(j)) or i == 0 or j - i > 8 or toks[i].norm != toks[i].bare:
            return False
        if _CUES[toks[i].bare].lemma not in _TRAILING_VERBS or self._skip_adjuncts(i + 1, j) != i + 1 or (
                self.speaker_in(i + 1, j, None) is None):
            return False
        k = i - 1
        if toks[k].text in "،,":
            k -= 1
        if k in doc.closer and doc.inside[k] < 0:
            span = _clean_span(doc.text, doc.segments[doc.closer[k]][1])
            if span is not None:
                self.cands.append(_Cand(span, "cue", True, i, (i + 1, j)))
                return True
        if k == i - 2 and k > 0:  # the comma was there: the clause before it
            s = doc.sentence_start(k)
            if s < k:
                span = _clean_span(doc.text, doc.span_of(s, k + 1))
                if span is not None:
                    self.cands.append(_Cand(span, "cue", False, i, (i + 1, j)))
                    return True
        return False

    def _new_clause(self, k: int) -> bool:
        """Whether token k (after a comma) opens a new clause: `، ويُرتقب`, `، كما أبان`, `، وقال`."""
        t = self.doc.toks[k]
        if not t.word:
            return False
        if t.norm in _ALSO_THEN:
            return True
        n = t.norm
        return n != t.bare or (len(n) > 3 and n[0] == "و" and n[1] in "يتن" and not n[1:].startswith("ال"))

    def _np_content(self, i: int) -> bool:
        """`أعلن الاتحاد تأجيل …`, `كشف … عن …`, `أشار التقرير إلى …`: a noun phrase as content."""
        doc, toks = self.doc, self.doc.toks
        cue = _CUES[toks[i].bare]
        n = len(toks)
        j = i + 1
        if j >= n or doc.boundary(j):
            return False
        subj_end = j
        # عن / إلى within a few words: the content follows it
        for k in range(j, min(n, j + 12)):
            if doc.boundary(k) or doc.is_comp(k) or (toks[k].text in _QUOTE_CHARS and k in doc.segments and (
                    doc.segments[k][0] - k > 4)):
                break
            if toks[k].norm in ("عن", "الي"):
                subj_end = k
                break
        else:
            k = n
        if subj_end == j and (k >= n or toks[k].norm not in ("عن", "الي")):
            if cue.form == "participle" or cue.gender == "p" or _pronominal(toks[j].norm) or (
                    self.subject_before(i) is not None):
                subj_end = j  # مؤكداً عدم استثناء …, وكانت الجماعة قد أعلنت تعيين …: no subject after it
            else:
                # the subject: a mention, else a definite noun phrase (وزارة العمل، النقير)
                m = doc.mention_at.get(j)
                if m is not None and m.label in ("PER", "ORG"):
                    subj_end = j
                    while subj_end < n and toks[subj_end].start < m.span.end:
                        subj_end += 1
                else:
                    h = toks[j].norm
                    if _is_title(h) or h in _NOT_SOURCES or not toks[j].word or h in _PREPOSITIONS or (
                            h in _DEMONSTRATIVES):
                        return False
                    # a construct or a name (وزارة العمل، إدارة نادي الهلال، كيا موتورز), then its
                    # definite words (الاتحاد الكويتي لكرة القدم)
                    subj_end = j
                    while subj_end < min(n, j + 2) and toks[subj_end].word and not _definite(
                            toks[subj_end].norm):
                        subj_end += 1
                    while subj_end < n and toks[subj_end].word and (
                            _definite(toks[subj_end].norm) or toks[subj_end].norm[:1] == "ل"
                    ) and toks[subj_end].norm not in _ADJUNCTS:
                        subj_end += 1
        if toks[j].norm in _NOT_SOURCES:
            return False
        c = subj_end
        while c < n and (toks[c].norm in _ADJUNCTS or toks[c].text in "،,()" or toks[c].norm in _ABOUT_TO_ON):
            c += 1
        if c >= n or doc.boundary(c) or (c in doc.segments and doc.segments[c][0] + 1 < n and doc.boundary(
                doc.segments[c][0] + 1)):
            return False
        if toks[c].bare in _CUES or toks[c].norm in _PREPOSITIONS or toks[c].norm in _SELF:
            return False
        self._add_reported(i, c, (i + 1, subj_end))
        return True

    def _add_direct(self, cue_i: int, o: int, window: tuple[int, int]) -> None:
        span = _clean_span(self.doc.text, self.doc.segments[o][1])
        if span is not None:
            self.cands.append(_Cand(span, "cue", True, cue_i, window))
            self._chain(self.doc.segments[o][0], cue_i, window)

    def _chain(self, close: int, cue_i: int, window: tuple[int, int]) -> None:
        """`"…" و "…"`: a quotation coordinated with a direct quote is the same speaker's."""
        doc, toks = self.doc, self.doc.toks
        k = close + 1
        if k + 1 < len(toks) and toks[k].norm == "و" and (k + 1) in doc.segments:
            span = _clean_span(doc.text, doc.segments[k + 1][1])
            if span is not None:
                self.cands.append(_Cand(span, "chain", True, cue_i, window))
                self._chain(doc.segments[k + 1][0], cue_i, window)

    def _add_reported(self, cue_i: int, c: int, window: tuple[int, int]) -> None:
        end = self.clause_end(c)
        if end > c:
            span = _clean_span(self.doc.text, self.doc.span_of(c, end))
            if span is not None:
                self.cands.append(_Cand(span, "cue", False, cue_i, window))

    def from_attribution(self, i: int) -> None:
        """`… ، بحسب البيان` / `وبحسب مصادر فإن …` / `وفق ما ذكرته وكالة …`."""
        toks = self.doc.toks
        if i in self.consumed:
            return  # وقال عدد من المتضررين، وفقاً لتقارير صحفية، إن …: the verb's quote
        n = len(toks)
        j = i + 1
        if toks[i].bare in ("وفقا", "طبقا") and j < n and toks[j].norm in ("ل", "لـ"):
            j += 1
        if toks[i].bare.endswith("ما"):  # حسبما أفادت صحيفة …
            if j < n and _attrib_verb(toks[j].norm):
                j += 1
            else:
                return
        elif j < n and toks[j].norm in ("ما", "لما"):
            if j + 1 < n and _attrib_verb(toks[j + 1].norm):
                j += 2
            else:
                return
        self._attribute(i, j)

    def _attribute(self, i: int, j: int, cue: int | None = None) -> None:
        """The quote an attribution at token i gives to the source starting at token j (`cue`: the
        token shown as the cue, when not i)."""
        doc, toks = self.doc, self.doc.toks
        shown = i if cue is None else cue
        n = len(toks)
        if j >= n or doc.boundary(j) or not toks[j].word:
            return
        src = toks[j].norm
        bare = src[1:] if src[:1] == "ل" and len(src) > 3 else src
        if src in _NOT_SOURCES or bare in _NOT_SOURCES:
            return
        named = j in doc.mention_at and doc.mention_at[j].label in ("PER", "ORG")
        if not (src in _SAME_SOURCE or src in _SOURCES or bare in _SOURCES or _is_title(src)
                or _is_title(bare) or _attrib_verb(toks[j - 1].norm) or src in _THIS or named):
            return
        end = j
        while end < n and not doc.boundary(end) and toks[end].text not in "،,؛" and end - j < 10:
            if end > j and (doc.is_comp(end) or doc.is_cue(end) or (toks[end].norm in _PREPOSITIONS
                            and toks[end].norm not in ("في", "من", "ل"))):
                break
            end += 1
        window = (j, end)
        s = doc.sentence_start(i)
        if all(not t.word or t.norm in ("و", "ف") for t in toks[s:i]):
            self._leading_attribution(shown, s, end, window)
            return
        # trailing: a quotation right before it, else the clause before it in this sentence
        k = i - 1
        if k >= 0 and toks[k].text in "،,":
            k -= 1
        if k >= 0 and k in doc.closer and len(doc.text[toks[doc.closer[k]].end:toks[k].start].split()) >= 3:
            span = _clean_span(doc.text, doc.segments[doc.closer[k]][1])
            if span is not None:
                self.cands.append(_Cand(span, "attr", True, shown, window))
            return
        e = k + 1
        if not (end >= n or doc.boundary(end) or toks[end].text in "،,؛"):
            e = self.clause_end(end)  # حسب تقرير تداول in the middle: the whole sentence
        # the clause starts after a quote earlier in the sentence
        before = [c.span.end for c in self.cands
                  if c.span is not None and toks[s].start < c.span.end <= toks[i].start]
        if before:
            s = next(x for x in range(s, i) if toks[x].start >= max(before))
            while s < i and not toks[s].word:
                s += 1
        if e > s:
            span = _clean_span(doc.text, doc.span_of(s, e))
            if span is not None:
                self.cands.append(_Cand(span, "attr", False, shown, window))

    def _leading_attribution(self, i: int, s: int, end: int, window: tuple[int, int]) -> None:
        doc, toks = self.doc, self.doc.toks
        n = len(toks)
        c = end
        while c < n and (toks[c].text in "،," or doc.is_comp(c)):
            c += 1
        if c >= n or doc.boundary(c):
            # alone in its sentence: it attributes the sentence before (`. وفق ما ذكرته وكالة …`)
            p = s - 1
            while p > 0 and toks[p].text in _STOPS:
                p -= 1
            a = doc.sentence_start(p)
            if a <= p:
                span = _clean_span(doc.text, doc.span_of(a, p + 1))
                if span is not None:
                    self.cands.append(_Cand(span, "attr", False, i, window))
            return
        if c in doc.segments and self._speechlike(c, c):
            span = _clean_span(doc.text, doc.segments[c][1])
            if span is not None:
                self.cands.append(_Cand(span, "attr", True, i, window))
            return
        e = self.clause_end(c)
        if e > c:
            span = _clean_span(doc.text, doc.span_of(c, e))
            if span is not None:
                self.cands.append(_Cand(span, "attr", False, i, window))

    # speakers, in text order ------------------------------------------------------------------------

    def run(self) -> list[Quote]:
        doc, toks = self.doc, self.doc.toks
        for i, t in enumerate(toks):
            if not t.word or doc.inside[i] >= 0 or i in doc.cited:
                continue
            if t.bare in _CUES:
                self.from_cue(i)
            elif t.bare in _ATTRIB:
                self.from_attribution(i)
        # of overlapping quotes keep the earliest (verbs before attributions); a verb inside a kept
        # quote quotes nothing of its own
        quotes = sorted((c for c in self.cands if c.span is not None),
                        key=lambda c: (c.span.start, c.origin == "attr", -c.span.end))
        kept: list[_Cand] = []
        for c in quotes:
            if any(k.span.start < c.span.end and c.span.start < k.span.end for k in kept):
                continue
            kept.append(c)
        events = [c for c in self.cands if c.span is None
                  and not any(k.span.start <= toks[c.cue].start < k.span.end for k in kept)]
        out: list[Quote] = []
        last: _Speaker | None = None
        last_end = -1
        for c in sorted(kept + events, key=lambda c: (toks[c.cue].start, c.span.start if c.span else -1)):
            sp = self._speaker(c, last, last_end)
            if sp is not None:
                sp = self._unclitic(sp)
                if c.span is not None:  # its name may come back alone: نائب المدير جو ستورك … وقال ستورك
                    self.named_words.update(
                        w for w in normalize(doc.text[sp.span.start:sp.span.end]).split()
                        if len(w) > 2 and w not in _PREPOSITIONS and w not in _VERBAL and w not in _ADJUNCTS)
            if c.span is None:
                if sp is not None and self._solid(sp):
                    last, last_end = sp, toks[c.window[1] - 1].end
                continue
            inside = sp is not None and sp.span.start < c.span.end and c.span.start < sp.span.end
            if inside and c.origin != "attr":
                sp = None  # never a speaker inside its own quote (but `… حسب تقرير تداول …` is)
            cue_tok = toks[c.cue]
            cue_text = cue_tok.text[1:] if cue_tok.norm != cue_tok.bare else cue_tok.text
            if c.origin == "chain":
                cue_text = doc.text[c.span.start - 1:c.span.start].strip() or cue_text
            text = doc.text[c.span.start:c.span.end]
            if sp is None:
                out.append(Quote(doc.article.id, c.span, text, cue_text, c.direct, None, None, None))
            else:
                name = " ".join(doc.text[sp.span.start:sp.span.end].split())
                out.append(
                    Quote(doc.article.id, c.span, text, cue_text, c.direct, name, sp.span, sp.entity_id)
                )
            last, last_end = sp, c.span.end
        out.sort(key=lambda q: q.span.start)
        return out

    def _solid(self, sp: _Speaker) -> bool:
        """A speaker a verb without content may pass on: a tagged name, or a title, a source or a
        description (`اعترف صديق له`), not a noun phrase that may be its object (`رجح دخول …`)."""
        doc = self.doc
        if any(m.span.start == sp.span.start and m.label in ("PER", "ORG") for m in doc.mentions):
            return True
        head = normalize(doc.text[sp.span.start:sp.span.end]).split()[:1]
        return bool(head) and (_is_title(head[0]) or head[0] in _DESCRIPTIVE or head[0] in _SOURCES
                               or head[0] in _HUMAN_NOUNS or head[0] in self.named_words)

    def _unclitic(self, sp: _Speaker) -> _Speaker:
        """A speaker without the preposition glued to its first word: لوزارة الخارجية → وزارة الخارجية."""
        text = self.doc.text
        first = text[sp.span.start:sp.span.end].split(maxsplit=1)[0] if sp.span.end > sp.span.start else ""
        n = normalize(first)
        if len(n) > 3 and n[0] in "لب" and not n.startswith("لل") and (
                n[1:] in ORG_WORDS or n[1:] in _SOURCES or _is_title(n[1:]) or n[1:3] == "ال"):
            cut = sp.span.start + (2 if first[1:2] == "ـ" else 1)
            return _Speaker(Span(cut, sp.span.end), sp.gender, sp.entity_id)
        return sp

    def _speaker(self, c: _Cand, last: _Speaker | None, last_end: int) -> _Speaker | None:
        toks = self.doc.toks
        a, b = c.window
        if c.origin == "attr":
            return self._source(a, b, last)
        t = toks[c.cue]
        cue = _CUES[t.bare]
        if c.origin == "chain":
            return last
        sp = None
        head = self._skip_adjuncts(a, b) if a < b else b
        if head < b and toks[head].norm in _PARTS:
            return last  # وتعبر فقرة ثانية عن "…": the text it is part of speaks
        pronoun = c.cue > 0 and toks[c.cue - 1].norm in _PRONOUN_SUBJECTS  # لكنه قال، وهو يقول
        if t.norm in _QUOTED_FROM:
            sp = self._quoted_from(c.cue)
        elif cue.form != "participle" and not pronoun:
            # a subject before the verb (`وكانت الحكومة أكدت، تزامناً مع …، أنها`), else after it; a
            # plural verb (قالوا، أكدا) has its subject before it, or none
            after = None
            self.blocked = False
            if cue.gender != "p":
                # after a verb whose content is a noun phrase, a noun may be its object (أكد أهمية …)
                comp = b < len(toks) and (self.doc.is_comp(b) or toks[b].text == ":" or (
                    toks[b].norm in ("الي", "علي") and b + 1 < len(toks) and self.doc.is_comp(b + 1)))
                check = 2 if cue.kind == "np" and not comp else 1
                after = self.speaker_in(a + 1 if cue.lemma == _COME else a, b, cue.gender, check)
            blocked = self.blocked
            right_after = a < b and toks[a].word and self._skip_adjuncts(a, b) == a
            if (t.norm == t.bare or t.norm[:1] == "ف") and not (after is not None and right_after):
                self.blocked = False
                sp = self.subject_before(c.cue)
                blocked = blocked or self.blocked  # وكانت تسريبات سابقة قد ذكرت: not the last speaker
            sp = sp or after
            if sp is None and blocked:
                return None  # a word after the verb that is not its speaker: no guess from before
        if cue.lemma in _DOC_CUES:
            return sp if sp is not None and self._document(sp) else None  # وتضمن بلاغ أهل الفتاة أن
        if sp is None and c.span is not None:
            sp = self._antecedent(c.cue, cue.gender, last, last_end, pronoun)
        return sp

    def _document(self, sp: _Speaker) -> bool:
        """Whether a speaker is a text that can contain what it says (بيان، إعلان، بلاغ، تقرير, a name)."""
        head = normalize(self.doc.text[sp.span.start:sp.span.end]).split()[:1]
        tagged = any(m.span.start == sp.span.start for m in self.doc.mentions)
        return tagged or (bool(head) and (head[0] in _STATEMENTS or head[0] in _SOURCES or head[0] in _PARTS))

    def _source(self, a: int, b: int, last: _Speaker | None) -> _Speaker | None:
        """The speaker named after بحسب / وفق (`نفس المصدر` / `المصدر نفسه`: the last one)."""
        toks = self.doc.toks
        if a < b and (toks[a].norm in _SAME_SOURCE or (a + 1 < b and toks[a + 1].norm in _ITSELF
                                                       and toks[a].norm in _SOURCES)):
            return last
        sp = self.speaker_in(a, b, None)  # وفقاً لتقارير صحفية: `_unclitic` drops the ل
        if sp is None:
            return None
        words = [t.norm for t in toks[a:b] if t.word]
        return _Speaker(sp.span, _noun_gender(words), sp.entity_id)

    def _quoted_from(self, i: int) -> _Speaker | None:
        """`نقل … عن X قوله`: X."""
        toks = self.doc.toks
        k = i - 1
        while k >= 0 and i - k < 12 and not self.doc.boundary(k + 1):
            if toks[k].norm == "عن":
                return self.speaker_in(k + 1, i, "m")
            k -= 1
        return None

    def _antecedent(self, i: int, gender: str, last: _Speaker | None, last_end: int,
                    pronoun: bool = False) -> _Speaker | None:
        """Who a bare verb or participle at token i refers to: the subject opening its sentence, else
        the last speaker, when they agree and nobody else was named in between. A verb after `وهو` /
        `لكنه` refers to its own sentence's subject only."""
        doc, toks = self.doc, self.doc.toks
        s = doc.sentence_start(i)
        earlier = not (last is not None and last_end >= toks[s].start)
        if earlier:
            subj = self._sentence_subject(s, i)
            if subj is not None:
                if not _agrees(gender, subj.gender) or self._someone_between(subj.span.end, toks[i].start):
                    return None  # … حضره رئيس البعثة نجيب الملا الذي رحب …، مؤكداً: not the subject
                return subj
            if pronoun and s < i - 1:
                return None  # … أخرج حارس هاتفه وهو يقول: not the last speaker
        if last is None or not _agrees(gender, last.gender):
            return None
        # another person named since the last speaker: ambiguous
        for k, m in self.doc.mention_at.items():
            between = last_end <= m.span.start < toks[i].start and doc.inside[k] < 0
            if between and m.label == "PER" and not self._same(m.span, last.span):
                return None
        return last

    def _someone_between(self, start: int, end: int) -> bool:
        """Whether a person in [start, end) opens a clause of their own (`… نجيب الملا الذي رحب …`)."""
        doc, toks = self.doc, self.doc.toks
        ends = {m.span.end for m in doc.mentions if m.label == "PER" and start <= m.span.start < end}
        for k in range(1, len(toks)):
            t = toks[k]
            if t.start < start or doc.inside[k] >= 0 or t.norm not in _RELATIVES:
                continue
            if t.start >= end:
                break
            before = toks[max(0, k - 4):k]
            if all(x.word for x in before) and any(x.end in ends or _is_title(x.norm) for x in before):
                return True  # a title or a name (رئيس البعثة نجيب الملا) right before الذي
        return False

    def _same(self, a: Span, b: Span) -> bool:
        x = normalize(self.doc.text[a.start:a.end]).split()
        y = normalize(self.doc.text[b.start:b.end]).split()
        return bool(x and y) and (x[-1] == y[-1] or x[0] == y[0])

    def _sentence_subject(self, s: int, i: int) -> _Speaker | None:
        """The subject of the verb opening the sentence at token s (`واستعرض بوريطة …`, `وعزا
        متعاملون …`, `بينما كان الممثل X …`), before token i."""
        doc, toks = self.doc, self.doc.toks
        k = s
        if k < i and toks[k].norm in _WAS_WHILE:
            k += 1
            if k < i and toks[k].norm in _WAS:
                k += 1
            verb_gender = None
        else:
            first = toks[k].norm if k < i else ""
            if not (toks[k].word and len(first) >= 4 and first[0] in "وف" and not first[1:].startswith("ال")):
                return None
            verb_gender = "f" if first.endswith("ت") else ("p" if first.endswith(("وا", "ا")) else None)
            k += 1
        if k >= i:
            return None
        h = toks[k].norm
        named = k in doc.mention_at and doc.mention_at[k].label in ("PER", "ORG")
        if not (named or _is_title(h) or h in _DESCRIPTIVE or h in _SOURCES or h in ORG_WORDS
                or h in _ORG_HEADS or h in self.named_words):
            return None
        end = k
        while end < i and end - k < 14 and not (doc.boundary(end) or doc.is_cue(end) or doc.is_comp(end)):
            end += 1
        sp = self.speaker_in(k, end, verb_gender)
        if sp is None:
            return None
        words = [t.norm for t in toks[k:end] if t.word]
        g = "p" if _noun_gender(words) == "p" else sp.gender
        if g is None and k in doc.mention_at and doc.mention_at[k].label == "PER":
            g = "m"  # one person: not the subject of a plural verb (ودفع X ولوزادا …، حيث أشارا)
        return _Speaker(sp.span, g, sp.entity_id)


def _sentences(article: Article) -> tuple[Sentence, ...]:
    from marsad.text.sentences import sentence_spans

    text = article.text
    return tuple(Sentence(article.id, k, sp, normalize(text[sp.start:sp.end]))
                 for k, sp in enumerate(sentence_spans(text)))


def find_quotes(article: Article, mentions: Sequence[Mention] | None = None) -> tuple[Quote, ...]:
    """The quotes and reported speech of `article`, in text order.

    `mentions` are its named-entity mentions (`extract.entities.find_mentions`; linked by
    `extract.aliases.resolve` when entity ids are wanted); None finds them here, unlinked. A speaker is
    a mention when one names it, else the noun phrase after the verb.
    """
    if mentions is None:
        from marsad.extract.entities import find_mentions

        mentions = find_mentions(article, _sentences(article))
    return tuple(_Finder(_Doc(article, mentions)).run())


# A statement named as the speaker by its definite noun alone (وقال البيان، وبحسب البلاغ), and the same noun
# indefinite (or with a possessive) in the clause that introduces a quote: that quote's speaker issued it
# (وقالت الوزارة في بيان، بيان صادر عن …، وفق بيان لـ …، في بيانها).
_THE_STATEMENT = {normalize("البيان"): "بيان", normalize("البلاغ"): "بلاغ"}
_A_STATEMENT = {noun: re.compile(rf"(?<!\w)(?:[وف]?(?:في|ب)\s*)?{noun}(?:ا|ها|ه|هم)?(?!\w)")
                for noun in _THE_STATEMENT.values()}
_CLAUSE_END = re.compile(r"[.!؟?\n]")
_CLAUSE_REACH = 200


def statement_issuers(text: str, quotes: Sequence[Quote]) -> dict[int, list[int]]:
    """For each of `quotes` (one article's, in text order; `text` its text) whose speaker is a statement
    by its definite noun alone (البيان, البلاغ), the indexes of the quotes before it whose introducing
    clause names a statement of that noun (في بيان, بيان صادر عن, وفق بيان لـ): the statement "البيان"
    points back to is one of theirs. Which body that is, when they are several, is the caller's call."""
    out: dict[int, list[int]] = {}
    issuers: dict[str, list[int]] = {noun: [] for noun in _A_STATEMENT}
    for k, q in enumerate(quotes):
        if q.speaker is None or q.speaker_span is None:
            continue
        noun = _THE_STATEMENT.get(normalize(q.speaker.strip()))
        if noun is not None:
            if issuers[noun]:
                out[k] = list(issuers[noun])
            continue
        first = min(q.span.start, q.speaker_span.start)
        lo = max(0, first - _CLAUSE_REACH)
        ends = [m.end() for m in _CLAUSE_END.finditer(text, lo, first)]
        start = ends[-1] if ends else lo
        # the clause without the quote itself (a trailing attribution follows it: «…»، وفق بيان لـ …)
        after = text[q.span.end:max(q.span.end, q.speaker_span.end)]
        clause = normalize(text[start:q.span.start] + " " + after)
        for name, pattern in _A_STATEMENT.items():
            if pattern.search(clause):
                issuers[name].append(k)
    return out
