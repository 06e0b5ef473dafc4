"""Quantities: the figures an article gives, resolved to numbers, with what they count.

A figure is digits (Western or Arabic-Indic, with thousands and decimal separators) or number words
(عشرة آلاف، سبعة وسبعين، مئتين), optionally scaled (110 آلاف، 700 مليون), qualified before it (أكثر من،
نحو، حوالي، ما يقرب من، أقل من، قرابة، ما لا يقل عن) and followed by a unit or currency (%، دولار، ريال،
كلم مربع) or by the thing it counts (84 عضوا، 47 وزيرا، 38 من رؤساء). Ranges (بين 10 و20، من 5 إلى 7) give
both bounds. Each quantity has its span in the article's text, `low` and `high` (None where open: أكثر من
80 has no high), the qualifier, the unit and the counted word as written.

Not quantities: dates and day numbers (11 مايو، 9 من أيار، 11-05-2022), years (عام 2014، 2022), times
(22:45), anything inside a time expression `extract.time` finds (كأس العالم 2018، الـ24 ساعة الماضية),
phone-like digit runs, numbers inside names (كوفيد-19، خليجي 23), and ordinals, which are words
(الأول). Found on the match form (`text.normalize`), so spelling variants need no entries of their own;
spans are mapped back to the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from marsad.extract.time import recent_times, time_spans
from marsad.model import Article, Quantity, Span, TimeExpression
from marsad.text.normalize import Normalized, normalize, normalize_map

__all__ = ["Quantity", "find_quantities", "parse_number_words"]


def _n(words: str) -> list[str]:
    return [normalize(w) for w in words.split()]


_Index = dict[str, list[tuple[list[str], str]]]


def _index(phrases: list[tuple[str, str]], last: bool = False) -> _Index:
    """Phrases (longest first) grouped by their first (or last) word."""
    out: _Index = {}
    for phrase, value in phrases:
        parts = phrase.split()
        out.setdefault(parts[-1] if last else parts[0], []).append((parts, value))
    return out


# number words (match forms), their values
_UNITS = {
    **dict.fromkeys(_n("واحد واحدة واحدا"), 1), **dict.fromkeys(_n("اثنان اثنين اثنتان اثنتين اثنا اثني"), 2),
    **dict.fromkeys(_n("ثلاث ثلاثة"), 3), **dict.fromkeys(_n("أربع أربعة"), 4),
    **dict.fromkeys(_n("خمس خمسة"), 5), **dict.fromkeys(_n("ست ستة"), 6), **dict.fromkeys(_n("سبع سبعة"), 7),
    **dict.fromkeys(_n("ثمان ثماني ثمانية"), 8), **dict.fromkeys(_n("تسع تسعة"), 9),
    **dict.fromkeys(_n("عشر عشرة"), 10),
}
_TENS = {
    **dict.fromkeys(_n("عشرون عشرين"), 20), **dict.fromkeys(_n("ثلاثون ثلاثين"), 30),
    **dict.fromkeys(_n("أربعون أربعين"), 40), **dict.fromkeys(_n("خمسون خمسين"), 50),
    **dict.fromkeys(_n("ستون ستين"), 60), **dict.fromkeys(_n("سبعون سبعين"), 70),
    **dict.fromkeys(_n("ثمانون ثمانين"), 80), **dict.fromkeys(_n("تسعون تسعين"), 90),
}
_HUNDREDS = {
    **dict.fromkeys(_n("مائة مئة"), 100),
    **dict.fromkeys(_n("مائتان مائتين مائتا مائتي مئتان مئتين مئتا مئتي"), 200),
    **{normalize(u + h): v * 100 for u, v in (("ثلاث", 3), ("أربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7),
                                              ("ثمان", 8), ("تسع", 9)) for h in ("مائة", "مئة")},
}
_SCALES = {
    **dict.fromkeys(_n("ألف ألفا الف آلاف الاف"), 1_000),
    **dict.fromkeys(_n("ألفان ألفين"), 2_000),
    **dict.fromkeys(_n("مليون ملايين مليونا"), 1_000_000), **dict.fromkeys(_n("مليونان مليونين"), 2_000_000),
    **dict.fromkeys(_n("مليار مليارات مليارا بليون"), 1_000_000_000),
    **dict.fromkeys(_n("ملياران مليارين"), 2_000_000_000),
    **dict.fromkeys(_n("تريليون"), 1_000_000_000_000),
}
_WORD_VALUES = {**_UNITS, **_TENS, **_HUNDREDS}
# Scale words in match form -> their value (ألف 1,000; ملايين 1,000,000), for `claims` too.
SCALES = _SCALES
_SIX = normalize("ست")
# fractions (ربع قوات الشرطة، نصف مليون، الثلثين): a figure only before what they measure
_FRACTIONS = {
    **dict.fromkeys(_n("ربع"), 0.25), **dict.fromkeys(_n("نصف"), 0.5), **dict.fromkeys(_n("ثلث"), 0.3333),
    **dict.fromkeys(_n("ثلثي ثلثا الثلثين"), 0.6667),
}
_ALONE_FRACTIONS = frozenset(_n("الثلثين"))
# words that can open a figure (besides digits), with or without a proclitic
_OPENING = frozenset(_WORD_VALUES) | frozenset(_SCALES) | frozenset(_FRACTIONS)

# qualifiers before a figure (match forms, longest first) and what they mean
_QUALIFIERS = sorted(
    [(normalize(p), q) for p, q in (
        ("أكثر من", "more_than"), ("اكثر من", "more_than"), ("أزيد من", "more_than"),
        ("ما يزيد عن", "more_than"),
        ("ما يزيد على", "more_than"), ("ما يربو على", "more_than"), ("يزيد عن", "more_than"),
        ("يزيد على", "more_than"), ("فوق", "more_than"),
        ("أقل من", "less_than"), ("ما يقل عن", "less_than"), ("دون", "less_than"),
        ("ما لا يقل عن", "at_least"), ("لا يقل عن", "at_least"), ("ما لا يزيد عن", "at_most"),
        ("ما لا يزيد على", "at_most"), ("لا يزيد عن", "at_most"), ("لا يتجاوز", "at_most"),
        ("لا تتجاوز", "at_most"), ("لايتجاوز", "at_most"), ("لاتتجاوز", "at_most"), ("حتى", "at_most"),
        ("تصل إلى", "at_most"), ("يصل إلى", "at_most"), ("تصل الى", "at_most"), ("يصل الى", "at_most"),
        ("يتجاوز", "more_than"), ("تتجاوز", "more_than"), ("تجاوز", "more_than"), ("تجاوزت", "more_than"),
        ("يتخطى", "more_than"), ("تتخطى", "more_than"), ("تخطى", "more_than"), ("تخطت", "more_than"),
        ("يفوق", "more_than"), ("تفوق", "more_than"), ("ما يفوق", "more_than"),
        ("نحو", "approx"), ("حوالي", "approx"), ("حوالى", "approx"), ("ما يقرب من", "approx"),
        ("ما يقارب", "approx"), ("يقارب", "approx"), ("قرابة", "approx"), ("زهاء", "approx"),
        ("تقريبا", "approx"), ("قرابه", "approx"), ("ما يناهز", "approx"), ("يناهز", "approx"),
    )],
    key=lambda pq: -len(pq[0]),
)
# units after a figure (match forms, longest first) and their display form
_UNIT_FORMS = [
    ("%", "%"), ("بالمائة", "%"), ("بالمئة", "%"), ("في المائة", "%"), ("في المئة", "%"),
    ("كلم مربع", "كلم مربع"), ("كم مربع", "كلم مربع"), ("كيلومتر مربع", "كلم مربع"),
    ("كيلو متر مربع", "كلم مربع"), ("كيلومترا مربعا", "كلم مربع"), ("متر مربع", "متر مربع"),
    ("مترا مربعا", "متر مربع"), ("طن متري", "طن متري"), ("كلم", "كلم"), ("كم", "كلم"), ("كيلومتر", "كلم"),
    ("كيلومترا", "كلم"), ("كيلو متر", "كلم"), ("متر", "متر"), ("مترا", "متر"), ("أمتار", "متر"),
    ("م 2", "متر مربع"),
    ("كم / ساعة", "كم/ساعة"), ("كلم / ساعة", "كم/ساعة"), ("كم في الساعة", "كم/ساعة"),
    ("كيلومتر في الساعة", "كم/ساعة"), ("كيلومترا في الساعة", "كم/ساعة"),
    ("طن", "طن"), ("طنا", "طن"), ("أطنان", "طن"), ("كيلوغرام", "كغ"), ("كيلوجرام", "كغ"), ("كغ", "كغ"),
    ("كغم", "كغ"), ("كجم", "كغ"), ("لتر", "لتر"), ("لترا", "لتر"), ("برميل", "برميل"), ("برميلا", "برميل"),
    ("ميغاواط", "ميغاواط"), ("ميجاوات", "ميغاواط"), ("نقطة", "نقطة"), ("نقاط", "نقطة"),
    ("دولار", "دولار"), ("دولارا", "دولار"), ("دولارات", "دولار"), ("ريال", "ريال"), ("ريالا", "ريال"),
    ("ريالات", "ريال"), ("يورو", "يورو"), ("جنيه", "جنيه"), ("جنيها", "جنيه"), ("جنيهات", "جنيه"),
    ("درهم", "درهم"), ("درهما", "درهم"), ("دراهم", "درهم"), ("دينار", "دينار"), ("دينارا", "دينار"),
    ("دنانير", "دينار"), ("ليرة", "ليرة"), ("ليرات", "ليرة"), ("ين", "ين"), ("سنت", "سنت"), ("سنتا", "سنت"),
    ("سنتات", "سنت"),
    ("جنيه إسترليني", "جنيه إسترليني"), ("روبية", "روبية"), ("يوان", "يوان"),
]
_UNITS_N = _index(sorted(((normalize(f), d) for f, d in _UNIT_FORMS), key=lambda fd: -len(fd[0])))
# months and date words: a number before one is a day, after one a year
_MONTHS = frozenset(_n(
    "يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر "
    "نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين جانفي فيفري أفريل ماي جوان "
    "جويلية أوت محرم صفر ربيع جمادى رجب شعبان رمضان شوال القعدة الحجة ذي"
))
_YEAR_WORDS = frozenset(_n("عام العام سنة السنة لعام لسنة بعام بسنة وعام م هـ ه"))
# A clock time written as three or four digits (بحلول الساعة 0213 بتوقيت جرينتش، 1350 بتوقيت غرينتش): no
# figure. After الساعة alone only when it reads as hours and minutes and no counted word follows (حتى
# الساعة 1200 إصابة: "so far", a count).
_CLOCK_BEFORE = frozenset(_n("الساعة الساعه بالساعة"))
_CLOCK_AFTER = frozenset(_n("بتوقيت بالتوقيت توقيت جرينتش غرينتش جرينيتش غرينيتش"))
# words before a bare four-digit number that make it a year (في 2014، منذ 2011)
_YEAR_BEFORE = frozenset(_n("في منذ حتى خلال قبل بعد مطلع نهاية بداية أواخر أوائل منتصف موسم ميزانية"))
# time units: a figure of them is a duration, not a quantity (عاما, an age, stays)
_DURATIONS = frozenset(_n(
    "ساعة ساعات ساعتين دقيقة دقائق ثانية ثوان ثواني يوم يوما أيام ليلة ليال أسبوع أسابيع أسبوعا شهر شهرا "
    "أشهر شهور سنة سنوات سنين أعوام موسم موسما مواسم"
))
# words after a figure that are not what it counts
_NOT_COUNTED = frozenset(_n(
    "من في على إلى الى عن مع و أو ثم كما حيث التي الذي الذين وقد قد إن أن لا ما هذا هذه ذلك تلك بعد قبل "
    "خلال منذ حتى بين عند فقط أيضا عندما بينما لكن حين إذ إذا وقال وكان كان وهو وهي نحو حوالي قرابة لدى"
))
# words before a bare number that make it a reference, not a figure (المادة 76، الدقيقة 23، رقم 5)
_REFERENCE_BEFORE = frozenset(_n(
    "المادة مادة البند الفقرة رقم الرقم برقم القرار الجولة الدقيقة الأسبوع المرحلة الفصل الصفحة الطبعة "
    "الدورة النسخة الفئة الدرجة الطريق المخرج الحلقة العدد الملعب الشوط القانون المراكز المركز المرتبة "
    "المراتب الذكري"
))
# number words that follow what they count (إصابة واحدة، مصابان اثنان)
_AFTER_NOUN = frozenset(_n("واحد واحدة اثنان اثنين اثنتان اثنتين"))
_TEN = frozenset(_n("عشر عشرة"))
_ERAS = frozenset(_n("م هـ ه"))
_ALONE_SCALES = frozenset(_n("ألف الف مليون مليار ألفان ألفين مليونان مليونين"))
# the accusative of a scale opens a figure only before و and more of it (مليونا وثلاثمائة ألف، ألفا و500)
_ACCUSATIVE_SCALES = frozenset(_n("ألفا الفا مليونا مليارا"))
# ... and مليونا / مليارا before a unit is the dual in construct (مليارا دولار: two billion dollars);
# not ألفا, which is also the Greek letter (محصرات ألفا، شركة ألفا)
_CONSTRUCT_DUALS = frozenset(_n("مليونا مليارا"))
_HUNDRED = frozenset(_n("مئة مائة"))
_DUAL_SCALES = frozenset(_n("ألفان ألفين مليونان مليونين"))
_MONTH_LIKE = _MONTHS | frozenset(_n("الشهر شهر الجاري"))

# An Arabic comma between digits with no space (5،438 كم, 2،5 في المائة) is some outlets' separator: read as
# a Latin comma (a decimal comma, or thousands before exactly three digits)
_DIGITS = r"\d+(?:[.,٫٬،]\d+)*"
_WORD = re.compile(r"\d+ر\d+|[^\W\d_]+|\d+(?:[.,٫٬،]\d+)*|%|[-–/:()]", re.UNICODE)


def _digit_value(s: str) -> float | None:
    s = s.replace("٬", ",").replace("٫", ".").replace("،", ",")
    spa = re.fullmatch(r"(\d+)ر(\d+)", s)
    if spa:  # the Saudi Press Agency writes 10.7 as 7ر10 (the decimals first)
        return float(f"{spa.group(2)}.{spa.group(1)}")
    if re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", s) or re.fullmatch(r"\d{1,3}\.000", s):
        return float(s.replace(".", ""))  # 9.897.953, 110.000: thousands
    if re.fullmatch(r"\d+[.,]\d+", s):
        return float(s.replace(",", "."))
    if s.isdigit():
        return float(s)
    return None


def _strip_w(word: str) -> str:
    """A number word without a leading و (وسبعين → سبعين)."""
    return word[1:] if word[:1] == "و" and word[1:] in _WORD_VALUES else word


def _unclitic(word: str) -> str:
    """A number word without its proclitic (وألفين، بثلاثة، لسبعة → ألفين، ثلاثة، سبعة), else the word."""
    rest = word[1:]
    if word[:1] in "وبلف" and (rest in _WORD_VALUES or rest in _SCALES or rest in _FRACTIONS) and (
            word[0] == "و" or len(rest) > 2) and rest != _SIX:
        return rest  # not لست ("I am not"), not وست (West Ham)
    return word


def parse_number_words(words: list[str]) -> tuple[float, int] | None:
    """The value of number words at the start of `words` (match forms) and how many words it took:
    عشره الاف → (10000, 2); سبعه وسبعين → (77, 2); ثلاثمائه وخمسين → (350, 2). None if none."""
    total, current, used, i = 0.0, 0.0, 0, 0
    seen = False
    unit = 0  # the unit (3-9) the previous word added: ثلاث مئة is 300, written in two words
    while i < len(words):
        w = words[i]
        bare = _strip_w(w)
        if not seen and bare != w and i == 0:
            pass  # وخمس منظمات: the conjunction on the first word
        if seen and w[:1] == "و" and bare == w and w not in _WORD_VALUES and w not in _SCALES:
            break
        added = 0
        if bare in _WORD_VALUES and seen and bare == w and current == 0:
            break  # مليون واحد: "one million", not 1,000,001 (what follows a scale comes with و)
        if bare in _WORD_VALUES:
            v = _WORD_VALUES[bare]
            # عشر after a unit makes a teen (ثلاثه عشر = 13)
            if v == 10 and seen and 0 < current < 10 and bare in _TEN:
                current += 10
            elif bare in _HUNDRED and unit and bare == w:
                current += unit * 100 - unit  # ثلاث مئة (not ثلاث ومئة)
            else:
                current += v
                added = v if 3 <= v <= 9 else 0
            seen = True
        elif bare in _SCALES and seen and current == 0 and bare == w:
            total *= _SCALES[bare]  # ألف مليون: a thousand million
        elif bare in _SCALES and seen:
            total += (current or 1) * _SCALES[bare]
            current = 0.0
        elif bare in _SCALES and not seen and bare in _ALONE_SCALES:
            total, seen = float(_SCALES[bare]), True  # ألف شخص, مليون دولار, ألفين
        elif not seen and i == 0 and bare in _ACCUSATIVE_SCALES and _more_follows(words, 1):
            total, seen = float(_SCALES[bare]), True  # مليونا وثلاثمائة ألف، مليونا و200 ألف
        elif not seen and i == 0 and bare in _CONSTRUCT_DUALS and len(words) > 1 and words[1] in _UNITS_N:
            total, seen = 2.0 * _SCALES[bare], True  # مليارا دولار
        else:
            break
        unit = added
        i += 1
        used = i
    if not seen:
        return None
    return total + current, used


def _more_follows(words: list[str], i: int) -> bool:
    """Whether words[i:] go on with و and a figure (و 200, وثلاثمائة): the rest of a compound figure."""
    if i >= len(words):
        return False
    w = words[i]
    if w == "و":
        return i + 1 < len(words) and words[i + 1][:1].isdigit()
    return (w[:1] == "و" and _strip_w(w) != w) or w in _AND_FRACTIONS  # وثلاثمائة، ونصف (not واحدا)


@dataclass(slots=True)
class _Tok:
    norm: str
    start: int  # offsets into the match form
    end: int
    follow: str  # the two characters after it


def _tokens(norm: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end(), norm[m.end() : m.end() + 2]) for m in _WORD.finditer(norm)]


def _match_words(toks: list[_Tok], i: int, phrases: _Index) -> tuple[int, str] | None:
    """The longest phrase (match-form words) starting at token i: (number of tokens, value)."""
    if i >= len(toks):
        return None
    for parts, value in phrases.get(toks[i].norm, ()):
        if [t.norm for t in toks[i : i + len(parts)]] == parts:
            return len(parts), value
    return None


# qualifiers whose first word takes a preposition (بنحو، لقرابة، بحوالي، بأكثر من، بما يزيد على); not
# يصل / تصل (ليصل إلى 50 is where a count ended up), دون (بدون is "without"), حتى
_CLITIC_OK = frozenset(_n("نحو حوالي حوالى قرابة قرابه زهاء أكثر اكثر أزيد أقل ما يقارب"))
_CLITICS = ("وب", "ول", "ب", "ل", "ف")
# verbs that open a qualifier: negated, they mean the opposite bound (لم يتجاوز 19 عاما: at most 19);
# their subject may stand between them and the figure (يتجاوز عددها 25 مباراة)
_QUALIFIER_VERBS = frozenset(_n(
    "يتجاوز تتجاوز تجاوز تجاوزت يتخطى تتخطى تخطى تخطت يفوق تفوق يزيد تزيد يقل تقل"
))
_NEGATIONS = frozenset(_n("لم ولم لا ولا لن ولن فلم فلا"))
_NEGATED = {"more_than": "at_most", "less_than": "at_least"}
_SUBJECTS = frozenset(_n(
    "عدده عددها عددهم قيمته قيمتها حجمه حجمها عمره عمرها مساحته مساحتها طوله طولها سعره سعرها"
))
# حتى before a figure is "up to" (تستوعب حتى 300 ألف شخص), but "even" after a negation in its clause
# (لا تغطي حتى 25%، لا يستطيع دفع حتى 10 في المائة) or after أو / بل (40 جنيها أو حتى 45 جنيها)
_HATTA = normalize("حتى")
_EVEN_AFTER = frozenset(_n("أو او بل ربما وربما")) | frozenset(_n("ليس ليست دون بدون")) | _NEGATIONS


def _clitic(tok: str, word: str) -> int | None:
    """How long the proclitic is by which a token differs from a qualifier's first word (0: none),
    or None when it is another word."""
    if tok == word:
        return 0
    if tok[:1] == "و" and tok[1:] == word:
        return 1  # ونحو، وأكثر من
    if word in _CLITIC_OK:
        for c in _CLITICS:
            if tok[: len(c)] == c and tok[len(c) :] == word:
                return len(c)
    return None


def _qualifier_ending(toks: list[_Tok], i: int) -> tuple[int, str, int] | None:
    """A qualifier phrase whose last word is token i - 1: (its first token, meaning, proclitic length)."""
    if i == 0:
        return None
    w = toks[i - 1].norm
    for parts, meaning in _QUALIFIERS_BY_LAST.get(w, ()):
        j = i - len(parts)
        if j >= 0 and [t.norm for t in toks[j + 1 : i]] == parts[1:]:
            c = _clitic(toks[j].norm, parts[0])
            if c is not None and (c == 0 or len(parts) > 1):
                return j, meaning, c
    for c in ("و", *_CLITICS):  # a one-word qualifier with a proclitic: ونحو، بنحو، لقرابة
        if w[: len(c)] == c and _clitic(w, w[len(c) :]) == len(c):
            for parts, meaning in _QUALIFIERS_BY_LAST.get(w[len(c) :], ()):
                if len(parts) == 1:
                    return i - 1, meaning, len(c)
    return None


def _before_qualifier(toks: list[_Tok], i: int, norm: str) -> tuple[int, str, int] | None:
    """A qualifier before token i: (its first token, meaning, length of a proclitic on that token that
    is not part of the figure)."""
    if i > 0 and toks[i - 1].norm == "(":  # تجاوز عددهم (500 كشاف وجوال)
        i -= 1
    found = _qualifier_ending(toks, i)
    w = toks[i - 1].norm if i >= 2 else ""
    subject = (w in _SUBJECTS or (len(w) > 4 and w.endswith(("ها", "هم")))) and (
        _gap_is_space(norm, toks[i - 1], toks[i]))  # عددها، قيمتها، أسعارها، مديونياتها
    if found is None and subject:
        found = _qualifier_ending(toks, i - 1)  # يتجاوز عددها 25
        if found is not None and toks[found[0]].norm[found[2] :] not in _QUALIFIER_VERBS:
            found = None
    if found is None:
        return None
    j, meaning, c = found
    word = toks[j].norm[c:]
    if word == _HATTA and _even(toks, j, norm):
        return None
    if word in _QUALIFIER_VERBS and c == 0 and j > 0 and toks[j - 1].norm in _NEGATIONS and (
            _gap_is_space(norm, toks[j - 1], toks[j])) and meaning in _NEGATED:
        neg = toks[j - 1].norm
        return j - 1, _NEGATED[meaning], 1 if neg[:1] in "وف" and neg[1:] in _NEGATIONS else 0
    if word in _MORE and meaning == "more_than" and _negated(toks, j, norm, 2):
        return j, "at_most", c  # فلا تتلقى أكثر من 5 سنتيمترات: at most 5
    return j, meaning, c


_MORE = frozenset(_n("أكثر اكثر أزيد"))


def _negated(toks: list[_Tok], j: int, norm: str, n: int) -> bool:
    """Whether a negation stands up to n words before token j, in its clause."""
    for k in range(j - 1, max(-1, j - 1 - n), -1):
        if not _gap_is_space(norm, toks[k], toks[k + 1]):
            return False
        if toks[k].norm in _NEGATIONS or toks[k].norm in _NEGATIONS_NOUN:
            return True
    return False


_NEGATIONS_NOUN = frozenset(_n("ليس ليست"))


def _even(toks: list[_Tok], j: int, norm: str) -> bool:
    """Whether the حتى at token j means "even": after أو / بل, or a negation up to three words before it
    in its clause."""
    if j > 0 and toks[j - 1].norm in _EVEN_AFTER - _NEGATIONS - frozenset(_n("ليس ليست دون بدون")):
        return _gap_is_space(norm, toks[j - 1], toks[j])
    for k in range(j - 1, max(-1, j - 4), -1):
        if not _gap_is_space(norm, toks[k], toks[k + 1]):
            return False
        if toks[k].norm in _EVEN_AFTER:
            return True
    return False


def _number_at(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """The figure starting at token i: (value, tokens used), digits with a scale, or number words."""
    t = toks[i].norm
    if t[:1].isdigit():
        v = _digit_value(t)
        if v is None:
            return None
        used = 1
        dec = toks[i + 1].norm if i + 1 < len(toks) else ""
        if dec.isdigit() and i + 2 < len(toks) and toks[i + 2].norm in _SCALES and toks[i].follow == ". ":
            v, used = float(f"{t}.{dec}"), 2  # تصل الى 4. 5 مليار دولار: a decimal point cut from its digits
        if i + used < len(toks) and toks[i + used].norm in _SCALES:
            scale = toks[i + used].norm
            v = float(Decimal(str(v)) * (_SCALES[scale] if scale not in _DUAL_SCALES else 1))
            used += 1
            if scale not in _DUAL_SCALES and not (i > 0 and toks[i - 1].norm == _BETWEEN):
                tail = _compound_tail(toks, i + used, _SCALES[scale])  # 13 ألفا و845، 164 مليارا و400 مليون
                if tail is not None:
                    v, used = v + tail[0], used + tail[1]
        return v, used
    first = _unclitic(t)
    if (first not in _OPENING and _strip_w(t) not in _OPENING) or t == "و" + _SIX:
        return None
    if first in _FRACTIONS:
        v, used = _FRACTIONS[first], 1
        if i + 1 < len(toks) and toks[i + 1].norm in _SCALES:  # نصف مليون
            v, used = v * _SCALES[toks[i + 1].norm], 2
        return v, used
    parsed = parse_number_words([first] + [x.norm for x in toks[i + 1 : i + 16]])
    last = toks[i + parsed[1] - 1].norm if parsed is not None else ""
    if parsed is not None and (last in _SCALES or _unclitic(last) in _SCALES) and (
            toks[i + parsed[1]].norm if i + parsed[1] < len(toks) else "") in _AND_FRACTIONS:
        scale = _SCALES[_unclitic(last)] / (2 if _unclitic(last) in _DUAL_SCALES else 1)
        tail = _compound_tail(toks, i + parsed[1], scale)  # مليون ونصف، مليارا وربع المليار
        if tail is not None:
            return parsed[0] + tail[0], parsed[1] + tail[1]
    if parsed is not None and parsed[0] >= 1000 and parsed[0] % 1000 == 0:
        j = i + parsed[1]  # مليون و763296 سيارة, مليونان و804 آلاف
        if j + 1 < len(toks) and toks[j].norm == "و" and toks[j + 1].norm.isdigit():
            rest = _digit_value(toks[j + 1].norm)
            scaled = j + 2 < len(toks) and toks[j + 2].norm in _SCALES
            if rest is not None and scaled:
                rest *= _SCALES[toks[j + 2].norm]
            if rest is not None and rest < parsed[0]:
                return parsed[0] + rest, parsed[1] + 2 + scaled
    return parsed


_BETWEEN = normalize("بين")
_AND_FRACTIONS = {normalize("ونصف"): 0.5, normalize("وربع"): 0.25}


def _compound_tail(toks: list[_Tok], j: int, scale: float) -> tuple[float, int] | None:
    """The rest of a figure after its scale word, at token j: و and a smaller figure (13 ألفا و845،
    164 مليارا و400 مليون، مليونا وثلاثمائة ألف) or a half or quarter of the scale (مليون ونصف، مليارا
    ونصف المليار): (value to add, tokens used). None if what follows is not less than the scale."""
    if j >= len(toks):
        return None
    w = toks[j].norm
    if w in _AND_FRACTIONS:
        nxt = toks[j + 1].norm if j + 1 < len(toks) else ""
        again = nxt in _SCALES or (nxt.startswith("ال") and nxt[2:] in _SCALES)  # ونصف المليار
        return _AND_FRACTIONS[w] * scale, 1 + again
    if w == "و" and j + 1 < len(toks) and toks[j + 1].norm[:1].isdigit():
        rest = _number_at(toks, j + 1)
        used = 1
    elif w[:1] == "و" and _strip_w(w) != w:
        rest, used = _number_at(toks, j), 0
    else:
        return None
    if rest is None or rest[0] >= scale:
        return None
    return rest[0], used + rest[1]


def _prepositional(w: str) -> bool:
    """Whether a word right after a figure opens a phrase rather than naming what is counted: definite
    (not after من: 30 من المصلين is counted) or a preposition on a verbal noun (الـ 84 بمواجهة)."""
    return w.startswith(("ال", "بال", "لل", "كال", "وال", "فال")) or (len(w) >= 5 and w[:2] in ("بم", "لم"))


def _gap_is_space(norm: str, a: _Tok, b: _Tok) -> bool:
    """Whether only spaces stand between two tokens (no comma, full stop or line break)."""
    return norm[a.end : b.start].strip(" ()") == ""  # (60) رسالة: the parentheses of a figure


def _is_date_or_year(toks: list[_Tok], i: int, used: int, norm: str) -> bool:
    t = toks[i].norm
    after = [x.norm for x in toks[i + used : i + used + 2]]
    before = toks[i - 1].norm if i > 0 else ""
    if not t[:1].isdigit():
        return False
    # a day: 11 مايو, 9 من أيار, 11مايو (glued: the tokenizer splits digits from letters)
    month_like = _MONTH_LIKE
    if after and (after[0] in _MONTHS or (after[0] == "من" and len(after) > 1 and after[1] in month_like)):
        return True
    # a year: after a month or a year word, or a bare 13xx-14xx / 19xx-20xx after a preposition
    glued_era = before in _ERAS and toks[i - 1].end == toks[i].start  # 110.000م2: square metres
    era_after = bool(after) and after[0] in _ERAS and t.isdigit() and len(t) <= 4 and (
        i + 1 >= len(toks) or toks[i + used].norm != "م" or i + used + 1 >= len(toks)
        or not toks[i + used + 1].norm.isdigit())
    if before in _MONTHS or (before in _YEAR_WORDS and before not in _ERAS) or era_after or glued_era:
        return True  # (an era mark before a figure closes the year before it: يوليو 2015م، 84.41 مليار)
    if t.isdigit() and len(t) in (3, 4):
        if after and after[0] in _CLOCK_AFTER:
            return True  # a clock time: 1350 بتوقيت جرينتش
        hhmm = int(t[:-2]) <= 24 and int(t[-2:]) <= 59
        counted = bool(after) and after[0].isalpha() and i + used < len(toks) and _gap_is_space(
            norm, toks[i + used - 1], toks[i + used])
        if before in _CLOCK_BEFORE and hhmm and not counted:
            return True  # بحلول الساعة 0213،
    v = _digit_value(t)
    year_like = v is not None and t.isdigit() and len(t) == 4 and (1300 <= v <= 1499 or 1900 <= v <= 2100)
    j = i + used
    ends = j >= len(toks) or not _gap_is_space(norm, toks[j - 1], toks[j])
    counts_with_min = len(after) > 1 and after[0] == "من" and after[1].isalpha() and after[1] not in _MONTHS
    if year_like and (before in _YEAR_BEFORE or ends or not after[0].isalpha()
                      or (after[0] in _NOT_COUNTED and not counts_with_min)):
        return True
    # dates and times written with separators, numbers inside names (كوفيد-19), long digit runs; not a
    # range before a unit (15-35 كم/ساعة) nor a figure after a colon and a space (التالي: 5000 ريال)
    nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
    if nxt in ("-", "–") and _unit_range(toks, i + 1):
        return False
    glued_colon = (before == ":" and toks[i - 1].end == toks[i].start) or (
        nxt == ":" and toks[i].end == toks[i + 1].start)
    if before in ("-", "–", "/") or nxt in ("-", "–", "/") or glued_colon:
        return True
    return t.isdigit() and len(t) >= 7


def _after_change_word(toks: list[_Tok], i: int) -> bool:
    """Whether a word of change (ارتفع، نزل، بانخفاض …) stands within `_CHANGE_REACH` words before the
    figure at token i, with no punctuation or other figure between."""
    for j in range(i - 1, max(-1, i - 1 - _CHANGE_REACH), -1):
        w = toks[j].norm
        if w in _CHANGE_WORDS:
            return True
        if not w.isalpha():
            return False
    return False


def _unit_range(toks: list[_Tok], k: int) -> bool:
    """Whether the dash at token k joins two figures followed by a unit: 15-35 كم/ساعة, 20-30%."""
    if k + 2 >= len(toks) or not toks[k + 1].norm[:1].isdigit():
        return False
    return toks[k + 2].norm not in ("-", "–", "/") and _match_words(toks, k + 2, _UNITS_N) is not None


_QUALIFIERS_BY_LAST = _index(_QUALIFIERS, last=True)
_RANGE_LINKS = frozenset(_n("و إلى الى حتى وحتى - –"))
_RANGE_OPENERS = frozenset(_n("بين من ما"))
_TO_LINKS = frozenset(_n("- – إلى الى"))
_TO_WORDS = frozenset(_n("إلى الى"))
# A verb or noun of change shortly before a figure that carries its own unit makes "X unit إلى Y unit"
# a change and where it ended (نزل خام برنت 1.71 دولار إلى 50.50 دولار: fell by 1.71 to 50.50), not a
# range. A figure without its unit (قفزت الأسعار 2 إلى 3 في المائة), من or بين before it, a range verb
# and a dash (تراجعت بنسبة 20 % -30 %) keep the range. Not the bare nouns: ارتفاع الموج من نصف متر إلى
# متر ونصف is the waves' height.
_CHANGE_WORDS = frozenset(
    v for w in _n(
        "ارتفع ارتفعت نزل نزلت هبط هبطت تراجع تراجعت انخفض انخفضت زاد زادت صعد صعدت قفز قفزت خسر خسرت "
        "ربح ربحت كسب كسبت تقدم تقدمت ارتفاعا انخفاضا تراجعا بارتفاع بانخفاض بتراجع بزيادة"
    ) for v in (w, "و" + w, "ف" + w)
)
# How many words back from a figure a change word may stand (نزل خام برنت 1.71).
_CHANGE_REACH = 4
_RANGE_VERBS = frozenset(_n("تتراوح يتراوح تراوح تراوحت وتتراوح ويتراوح وتراوح وتراوحت"))


def _original(nm: Normalized, text: str, start: int, end: int) -> Span:
    """The original span of a match-form span, with the diacritics that end its last letter."""
    span = nm.to_original(Span(start, end))
    stop = span.end
    while stop < len(text) and not normalize(text[stop]) and not text[stop].isspace():
        stop += 1
    return Span(span.start, stop)


# Words after a figure that are not what it counts.
_COUNTED_STOP = _NOT_COUNTED | _MONTHS | _YEAR_WORDS | _SCALES.keys() | _WORD_VALUES.keys()


# Figures with a right-to-left mark after the decimal point are in visual order. SaudiNewsNet has 309
# (all in aawsat, all 2015-07-21 to 2015-08-11; no other outlet writes them): `a.<U+200F>b` is b.a, the
# digits of each part in reading order, the parts right to left, as the page shows them. Context settles
# it every time: Brent `95.<RLM>56 دولار للبرميل` is 56.95, the euro `1075.<RLM>1 دولار` is 1.1075,
# Nikkei `24.<RLM>20585 نقطة` is 20585.24, eurozone unemployment `1.<RLM>11 في المائة` is 11.1%,
# consumer prices `9.<RLM>0` is 0.9%, JPMorgan's deals `1.<RLM>116 مليار دولار` are 116.1 billion.
# With more parts the dots are thousands (prize money `960.<RLM>407.<RLM>1 يورو` is 1,407,960) or a race
# time (`985.<RLM>09.<RLM>46.<RLM>1 ساعة` is 1:46:09.985, no figure). A mark around a whole figure
# (`<RLM>78 كيلومترا`, `بطول<RLM> 27.5<RLM> كيلومتر`, `2016<LRM>.`) only sets direction and changes
# nothing; no U+200E was seen inside a figure.
_VISUAL = re.compile(r"\d+(?:[.,٫]\u200f\d+)+")


def _visual_order(toks: list[_Tok], nm: Normalized, text: str) -> None:
    """Digit tokens written in visual order (`9.<U+200F>0`) get the value's logical form (0.9) as their
    match form, in place; their spans stay those of the text."""
    if "\u200f" not in text:
        return
    for t in toks:
        if not t.norm[:1].isdigit() or "." not in t.norm:
            continue
        span = nm.to_original(Span(t.start, t.end))
        written = text[span.start : span.end]
        if _VISUAL.fullmatch(written):
            t.norm = ".".join(reversed(re.split(r"[.,٫]\u200f", written)))


def _paren_free(toks: list[_Tok]) -> list[_Tok]:
    """The tokens without the parentheses around a lone figure: أكثر من (60) رسالة, لمدة (3) أسابيع."""
    out = []
    for i, t in enumerate(toks):
        if t.norm in "()" and t.norm:
            nb = toks[i + 1] if t.norm == "(" and i + 2 < len(toks) else None
            pb = toks[i - 1] if t.norm == ")" and i > 1 else None
            if nb is not None and nb.norm[:1].isdigit() and toks[i + 2].norm == ")":
                continue
            if pb is not None and pb.norm[:1].isdigit() and toks[i - 2].norm == "(":
                continue
        out.append(t)
    return out


def _time_spans(article: Article, nm: Normalized, times: Sequence[TimeExpression] | None
                ) -> tuple[list[int], list[int]]:
    """Sorted starts and matching ends of the article's time expressions, in match-form offsets: those
    given or just found by `find_times`, else found here (unresolved, which is cheaper)."""
    times = recent_times(article) if times is None else times
    spans = time_spans(nm.text) if times is None else sorted(_match_span(nm, t.span) for t in times)
    return [a for a, _ in spans], [b for _, b in spans]


def _match_span(nm: Normalized, span: Span) -> tuple[int, int]:
    """A span of the original text in match-form offsets."""
    return bisect_left(nm.offsets, span.start), bisect_left(nm.offsets, span.end)


def _in_time(starts: list[int], ends: list[int], pos: int) -> bool:
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


def _post_qualifier(toks: list[_Tok], k: int) -> tuple[int, str] | None:
    """A qualifier right after a figure (`فأكثر`, `على الأقل`, `تقريبا`, `فما فوق`): (tokens, meaning)."""
    m = _match_words(toks, k, _POST_QUALIFIERS)
    return m


_POST_QUALIFIERS = _index(sorted(
    [(normalize(p), q) for p, q in (("فأكثر", "at_least"), ("فما فوق", "at_least"), ("على الأقل", "at_least"),
                                    ("تقريبا", "approx"), ("فأقل", "at_most"))],
    key=lambda pq: -len(pq[0]),
))
# a number after a nisba or a name (خليجي 23), with nothing it counts, is part of the name
_NAME_END = re.compile(r"[^\W\d_]{3,}ي")
# decades of an age: في العشرينيات من عمره
_DECADES = {normalize(w + "يات"): v for w, v in (("العشرين", 20), ("الثلاثين", 30), ("الأربعين", 40),
                                                 ("الخمسين", 50), ("الستين", 60), ("السبعين", 70),
                                                 ("الثمانين", 80), ("التسعين", 90))}
_AGE_WORDS = frozenset(_n("عمره عمرها عمرهم عمر العمر"))
# nouns whose number word after them is no count: the goal (بين الخشبات الثلاث), an ordinal century
_NOT_COUNTED_NOUNS = frozenset(_n("الخشبات القرن العقد"))
_AND_HALF = normalize("ونصف")
_ALL = frozenset(_n("جميع كل"))
_FRACTION_STOP = frozenset(_n("نهائي النهائي"))  # ربع نهائي: the quarter-final
_POSSESSED = ("هم", "ها", "هما", "كم", "نا")
# the words a figure may start with (digits aside): number words, with a proclitic or ال, and decades
_STARTERS = (_OPENING | {c + w for c in "وبلف" for w in _OPENING} | {"ال" + w for w in _WORD_VALUES}
             | _DECADES.keys())


def _after_noun(toks: list[_Tok], i: int, norm: str) -> tuple[float, int] | None:
    """A definite number word after the definite noun it counts (المراحل الثلاث، الأعضاء الاثنين
    والعشرين): (value, tokens used from i)."""
    t = toks[i].norm
    if not (t.startswith("ال") and i > 0 and toks[i - 1].norm.startswith(("ال", "لل"))):
        return None
    prev = toks[i - 1]
    if prev.norm in _DURATIONS or prev.norm[2:] in _DURATIONS or prev.norm in _NOT_COUNTED_NOUNS or (
            not _gap_is_space(norm, prev, toks[i])):
        return None
    rest = ["و" + x.norm[3:] if x.norm.startswith("وال") else x.norm for x in toks[i + 1 : i + 4]]
    parsed = parse_number_words([t[2:], *rest])  # الاثنين والعشرين
    if parsed is None or (parsed[1] == 1 and parsed[0] <= 2):
        return None  # الرحلة الواحدة: "single"; الاثنين alone is Monday
    return parsed


def find_quantities(article: Article, times: Sequence[TimeExpression] | None = None) -> tuple[Quantity, ...]:
    """The quantities of an article, in text order, with spans into `article.text`.

    `times` are its time expressions (`extract.time.find_times`), found here when not given: a number
    inside one is not a quantity.
    """
    nm = normalize_map(article.text)
    toks = _paren_free(_tokens(nm.text))
    _visual_order(toks, nm, article.text)
    t_starts, t_ends = _time_spans(article, nm, times)
    out: list[Quantity] = []

    def emit(first: int, last: int, low: float | None, high: float | None, qualifier: str, unit: str | None,
             counted: str | None, start: int | None = None) -> None:
        span = _original(nm, article.text, toks[first].start if start is None else start, toks[last].end)
        out.append(Quantity(article.id, span, article.text[span.start : span.end], low, high, qualifier,
                            unit, counted))

    i = 0
    while i < len(toks):
        t = toks[i].norm
        if not t[:1].isdigit() and t not in _STARTERS:
            i += 1
            continue
        if t in _DECADES and i + 2 < len(toks) and toks[i + 1].norm == "من" and (
                toks[i + 2].norm in _AGE_WORDS):
            v = _DECADES[t]
            emit(i, i + 2, v, v + 9, "approx", None, None)  # العشرينيات من عمره
            i += 3
            continue
        noun = _after_noun(toks, i, nm.text)
        if noun is not None:
            if not _in_time(t_starts, t_ends, toks[i].start):
                prev = toks[i - 1]
                cspan = _original(nm, article.text, prev.start, prev.end)
                emit(i - 1, i + noun[1] - 1, noun[0], noun[0], "exact", None,
                     article.text[cspan.start : cspan.end])
            i += noun[1]
            continue
        num = _number_at(toks, i)
        if num is None or _is_date_or_year(toks, i, num[1], nm.text):
            i += 1
            continue
        if _in_time(t_starts, t_ends, toks[i].start):
            i += num[1]
            continue
        value, used = num
        first, last = i, i + used - 1
        after = toks[last + 1].norm if last + 1 < len(toks) else ""
        if after in _DURATIONS or (after[:1] in "وبل" and after[1:] in _DURATIONS):
            i = last + 2  # a duration (ثلاثة أشهر، 24 ساعة) is not a figure
            continue
        prev_word = toks[i - 1].norm if i > 0 else ""
        if (prev_word in _RANGE_OPENERS or prev_word == "ال") and i > 1:
            prev_word = toks[i - 2].norm  # المراكز من 11 إلى 20, الدورة الـ24
        prev_word = prev_word[1:] if prev_word[:1] in "بولف" and prev_word[1:3] == "ال" else prev_word
        ordinal = toks[i - 1].norm == "ال" and prev_word.startswith("ال") and prev_word.endswith("ه")
        if (prev_word in _REFERENCE_BEFORE or ordinal) and t[:1].isdigit():
            skip = last + 1
            if skip + 1 < len(toks) and toks[skip].norm in _RANGE_LINKS and toks[skip + 1].norm[:1].isdigit():
                skip += 2  # المراكز 4 إلى 10
            i = skip
            continue
        bare_t = _unclitic(t)
        if t == _AND_HALF:
            i += 1  # متر ونصف: the half of what precedes
            continue
        if bare_t in _FRACTIONS and used == 1 and bare_t not in _ALONE_FRACTIONS and (
                not after.isalpha() or after.startswith("ال") or after in _COUNTED_STOP
                or after in _ALL or after.endswith(_POSSESSED) or after in _FRACTION_STOP):
            i += 1  # النصف، ربع النهائي، نصف دينهم: not a figure
            continue
        if not t[:1].isdigit() and value in (1, 2) and used == 1 and bare_t not in _FRACTIONS:
            prev = toks[i - 1] if i > 0 else None
            noun_before = (prev is not None and t in _AFTER_NOUN and prev.norm.isalpha()
                           and not {prev.norm} & (_NOT_COUNTED | _DURATIONS | _YEAR_WORDS)
                           and _gap_is_space(nm.text, prev, toks[i]))
            if noun_before:
                cspan = _original(nm, article.text, prev.start, prev.end)
                emit(i - 1, i, value, value, "exact", None, article.text[cspan.start : cspan.end])
            elif value == 2 and after == "من" and i + 2 < len(toks) and toks[i + 2].norm.isalpha():
                cspan = _original(nm, article.text, toks[i + 2].start, toks[i + 2].end)
                emit(i, i + 2, 2, 2, "exact", None, article.text[cspan.start : cspan.end])  # اثنين من أفراد
                i += 3
                continue
            i += 1  # واحد / اثنين alone: "one", an adjective more often than a figure
            continue
        low: float | None = value
        high: float | None = value
        qualifier = "exact"
        q = _before_qualifier(toks, i, nm.text)
        if q is not None:
            first, qualifier, _ = q
            if qualifier in ("more_than", "at_least"):
                high = None
            elif qualifier in ("less_than", "at_most"):
                low = None
        # a range: بين 10 و20, من 10 إلى 20, 10-20, 400 إلى 500
        opened = i > 0 and toks[i - 1].norm in _RANGE_OPENERS
        # تتراوح أسعارها 30 و60 ريالا: the verb opens the range (and stays out of its span)
        ranging = i > 0 and (toks[i - 1].norm in _RANGE_VERBS or (
            i > 1 and toks[i - 2].norm in _RANGE_VERBS and toks[i - 1].norm.endswith(("ها", "هم", "ه"))))
        # a change and where it ended when the first figure has its unit (read below)
        change = not opened and not ranging and _after_change_word(toks, i)
        k = last + 1
        if k + 1 < len(toks) and toks[k].norm in _RANGE_LINKS:
            nxt = _number_at(toks, k + 1)
            linked = opened or ranging or toks[k].norm in _TO_LINKS
            if nxt is not None and linked and nxt[0] > value:
                low, high, qualifier = value, nxt[0], "range"
                last = k + nxt[1]
                scale = toks[k + 2].norm if k + 2 < len(toks) else ""
                if used == 1 and t[:1].isdigit() and toks[k + 1].norm[:1].isdigit() and nxt[1] >= 2 and (
                        scale in _SCALES and scale not in _DUAL_SCALES):
                    base = _digit_value(toks[k + 1].norm)
                    if base is not None and value < base:
                        low = float(Decimal(str(value)) * _SCALES[scale])  # بين 135 و180 ألف: 135 ألفا
                if opened and q is None:
                    first = i - 1
        unit, counted = None, None
        k = last + 1
        m = _match_words(toks, k, _UNITS_N)
        if m is not None:
            unit = m[1]
            last = k + m[0] - 1
            # the unit repeated after a second figure: 30 % إلى 40 %, بين 10 سنتات و15 سنتا
            k = last + 1
            if qualifier != "range" and k + 1 < len(toks) and toks[k].norm in _RANGE_LINKS and (
                    opened or ranging or toks[k].norm in _TO_LINKS) and not (
                    change and toks[k].norm in _TO_WORDS):
                nxt = _number_at(toks, k + 1)
                m2 = _match_words(toks, k + 1 + nxt[1], _UNITS_N) if nxt is not None else None
                whole = _match_words(toks, k + 1, _UNITS_N)
                half = whole is not None and k + 1 + whole[0] < len(toks) and (
                    toks[k + 1 + whole[0]].norm == _AND_HALF)
                if nxt is None and whole is not None and whole[1] == unit and half:
                    nxt, m2 = (1.5, 0), (whole[0] + 1, unit)  # نصف متر إلى متر ونصف
                if nxt is not None and nxt[0] > value and m2 is not None and m2[1] == unit:
                    low, high, qualifier = value, nxt[0], "range"
                    last = k + nxt[1] + m2[0]
                    if opened and q is None:
                        first = i - 1
        elif k < len(toks) and _gap_is_space(nm.text, toks[last], toks[k]):
            c = k + 1 if toks[k].norm == "من" and k + 1 < len(toks) else k
            w = toks[c].norm
            if c > k and not _gap_is_space(nm.text, toks[k], toks[c]):
                w = ""
            if w.isalpha() and not (c == k and _prepositional(w)) and w not in _COUNTED_STOP:
                if c == k and (w in _DURATIONS or w[1:] in _DURATIONS):
                    i = c + 1  # بين 3 إلى 5 سنوات: a duration (but أربعة من أشهر العاملين)
                    continue
                cspan = _original(nm, article.text, toks[c].start, toks[c].end)
                counted = article.text[cspan.start : cspan.end]
                last = c
        if bare_t in _FRACTIONS and unit is None and counted is None and bare_t not in _ALONE_FRACTIONS \
                and used == 1:
            i += 1
            continue
        nisba = i > 0 and t[:1].isdigit() and _NAME_END.fullmatch(toks[i - 1].norm) and (
            article.text[_original(nm, article.text, toks[i - 1].start, toks[i - 1].end).end - 1] == "ي")
        if nisba and unit is None and counted is None and q is None and qualifier == "exact":
            i = last + 1  # خليجي 23: a name (not مستوى 3.8)
            continue
        if t[:1].isdigit() and toks[i].follow[:1] in ".)-" and used == 1 and (
                nm.text[: toks[i].start].rstrip(" ").endswith("\n") or toks[i].start == 0):
            i += 1  # "1. …" at the start of a line: a list item
            continue
        pq = _post_qualifier(toks, last + 1)
        if pq is not None and qualifier in ("exact", "approx") and (unit or counted):
            qualifier = pq[1]
            low, high = (value, None) if qualifier == "at_least" else (None, value) \
                if qualifier == "at_most" else (low, high)
            last += pq[0]
        start = toks[first].start
        if q is not None and first == q[0]:
            start += q[2]  # the proclitic of ونحو، بنحو، بأكثر من is not part of the figure
        elif first == i and bare_t != t:
            start += len(t) - len(bare_t)  # the proclitic of وألفين، بثلاثة is not part of it
        emit(first, last, low, high, qualifier, unit, counted, start)
        i = last + 1
    return tuple(out)
