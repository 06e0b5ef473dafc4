"""Quantities: the figures an article gives, resolved to numbers, with what they count.

A figure is digits (Western or Arabic-Indic, with thousands and decimal separators) or number words
(عشرة آلاف، سبعة وسبعين، مئتين), optionally scaled (110 آلاف، 700 مليون), qualified before it (أكثر من،
نحو، حوالي، ما يقرب من، أقل من، قرابة، ما لا يقل عن) and followed by a unit or currency (%، دولار، ريال،
كلم مربع) or by the thing it counts (84 عضوا، 47 وزيرا، 38 من رؤساء). Ranges (بين 10 و20، من 5 إلى 7) give
both bounds. Each quantity has its span in the article's text, `low` and `high` (None where open: أكثر من
80 has no high), the qualifier, the unit and the counted word as written.

Not quantities: dates and day numbers (11 مايو، 9 من أيار، 11-05-2022), years (عام 2014، 2022), times
(22:45), phone-like digit runs, numbers inside names (كوفيد-19), and ordinals, which are words
(الأول). Found on the match form (`text.normalize`), so spelling variants need no entries of their own;
spans are mapped back to the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.model import Article, Quantity, Span
from marsad.text.normalize import Normalized, normalize, normalize_map

__all__ = ["Quantity", "find_quantities", "parse_number_words"]


def _n(words: str) -> list[str]:
    return [normalize(w) for w in words.split()]


# number words (match forms), their values
_UNITS = {
    **dict.fromkeys(_n("واحد واحدة"), 1), **dict.fromkeys(_n("اثنان اثنين اثنتان اثنتين اثنا اثني"), 2),
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
    ("طن", "طن"), ("طنا", "طن"), ("أطنان", "طن"), ("كيلوغرام", "كغ"), ("كيلوجرام", "كغ"), ("كغ", "كغ"),
    ("كغم", "كغ"), ("كجم", "كغ"), ("لتر", "لتر"), ("لترا", "لتر"), ("برميل", "برميل"), ("برميلا", "برميل"),
    ("ميغاواط", "ميغاواط"), ("ميجاوات", "ميغاواط"), ("نقطة", "نقطة"), ("نقاط", "نقطة"),
    ("دولار", "دولار"), ("دولارا", "دولار"), ("دولارات", "دولار"), ("ريال", "ريال"), ("ريالا", "ريال"),
    ("ريالات", "ريال"), ("يورو", "يورو"), ("جنيه", "جنيه"), ("جنيها", "جنيه"), ("جنيهات", "جنيه"),
    ("درهم", "درهم"), ("درهما", "درهم"), ("دراهم", "درهم"), ("دينار", "دينار"), ("دينارا", "دينار"),
    ("دنانير", "دينار"), ("ليرة", "ليرة"), ("ليرات", "ليرة"), ("ين", "ين"), ("سنت", "سنت"), ("سنتا", "سنت"),
    ("جنيه إسترليني", "جنيه إسترليني"), ("روبية", "روبية"), ("يوان", "يوان"),
]
_UNITS_N = sorted(((normalize(f), d) for f, d in _UNIT_FORMS), key=lambda fd: -len(fd[0]))
# months and date words: a number before one is a day, after one a year
_MONTHS = frozenset(_n(
    "يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر "
    "نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين جانفي فيفري أفريل ماي جوان "
    "جويلية أوت محرم صفر ربيع جمادى رجب شعبان رمضان شوال القعدة الحجة ذي"
))
_YEAR_WORDS = frozenset(_n("عام العام سنة السنة لعام لسنة بعام بسنة وعام م هـ ه"))
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
    "خلال منذ حتى بين عند فقط أيضا عندما بينما لكن حين إذ إذا وقال وكان كان وهو وهي نحو حوالي قرابة"
))
# words before a bare number that make it a reference, not a figure (المادة 76، الدقيقة 23، رقم 5)
_REFERENCE_BEFORE = frozenset(_n(
    "المادة مادة البند الفقرة رقم الرقم برقم القرار الجولة الدقيقة الأسبوع المرحلة الفصل الصفحة الطبعة "
    "الدورة النسخة الفئة الدرجة الطريق المخرج الحلقة العدد الملعب الشوط القانون"
))
# number words that follow what they count (إصابة واحدة، مصابان اثنان)
_AFTER_NOUN = frozenset(_n("واحد واحدة اثنان اثنين اثنتان اثنتين"))

_DIGITS = r"\d+(?:[.,٫٬]\d+)*"
_WORD = re.compile(r"\d+ر\d+|[^\W\d_]+|\d+(?:[.,٫٬]\d+)*|%|[-–/:()]", re.UNICODE)


def _digit_value(s: str) -> float | None:
    s = s.replace("٬", ",").replace("٫", ".")
    spa = re.fullmatch(r"(\d+)ر(\d+)", s)
    if spa:  # the Saudi Press Agency writes 10.7 as 7ر10 (the decimals first)
        return float(f"{spa.group(2)}.{spa.group(1)}")
    if re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", s):
        return float(s.replace(".", ""))
    if re.fullmatch(r"\d+[.,]\d+", s):
        return float(s.replace(",", "."))
    if s.isdigit():
        return float(s)
    return None


def _strip_w(word: str) -> str:
    """A number word without a leading و (وسبعين → سبعين)."""
    return word[1:] if word[:1] == "و" and word[1:] in _WORD_VALUES else word


def parse_number_words(words: list[str]) -> tuple[float, int] | None:
    """The value of number words at the start of `words` (match forms) and how many words it took:
    عشره الاف → (10000, 2); سبعه وسبعين → (77, 2); ثلاثمائه وخمسين → (350, 2). None if none."""
    total, current, used, i = 0.0, 0.0, 0, 0
    seen = False
    while i < len(words):
        w = words[i]
        bare = _strip_w(w)
        if not seen and bare != w and i == 0:
            pass  # وخمس منظمات: the conjunction on the first word
        if seen and w[:1] == "و" and bare == w and w not in _WORD_VALUES and w not in _SCALES:
            break
        if bare in _WORD_VALUES:
            v = _WORD_VALUES[bare]
            # عشر after a unit makes a teen (ثلاثه عشر = 13)
            if v == 10 and seen and 0 < current < 10 and bare in _n("عشر عشرة"):
                current += 10
            else:
                current += v
            seen = True
        elif bare in _SCALES and seen:
            total += (current or 1) * _SCALES[bare]
            current = 0.0
        elif bare in _SCALES and not seen and bare in _n("ألف الف مليون مليار ألفان ألفين مليونان مليونين"):
            total, seen = float(_SCALES[bare]), True  # ألف شخص, مليون دولار, ألفين
        else:
            break
        i += 1
        used = i
    if not seen:
        return None
    return total + current, used


@dataclass
class _Tok:
    norm: str
    start: int  # offsets into the match form
    end: int


def _tokens(norm: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _WORD.finditer(norm)]


def _match_words(toks: list[_Tok], i: int, phrases: list[tuple[str, str]]) -> tuple[int, str] | None:
    """The longest phrase (match-form words) starting at token i: (number of tokens, value)."""
    for phrase, value in phrases:
        parts = phrase.split()
        if [t.norm for t in toks[i : i + len(parts)]] == parts:
            return len(parts), value
    return None


def _before_qualifier(toks: list[_Tok], i: int) -> tuple[int, str] | None:
    """A qualifier ending right before token i: (its first token, meaning)."""
    for phrase, meaning in _QUALIFIERS:
        parts = phrase.split()
        j = i - len(parts)
        if j >= 0 and [t.norm for t in toks[j:i]] == parts:
            return j, meaning
        if j >= 0 and len(parts) == 1 and toks[i - 1].norm in ("و" + parts[0],):
            return i - 1, meaning
    return None


def _number_at(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """The figure starting at token i: (value, tokens used), digits with a scale, or number words."""
    t = toks[i].norm
    if t[:1].isdigit():
        v = _digit_value(t)
        if v is None:
            return None
        used = 1
        if i + 1 < len(toks) and toks[i + 1].norm in _SCALES:
            v *= _SCALES[toks[i + 1].norm] if toks[i + 1].norm not in _n("ألفان ألفين مليونان مليونين") else 1
            used = 2
        return v, used
    parsed = parse_number_words([x.norm for x in toks[i : i + 8]])
    return parsed


def _prepositional(w: str) -> bool:
    """Whether a word right after a figure opens a phrase rather than naming what is counted: definite
    (not after من: 30 من المصلين is counted) or a preposition on a verbal noun (الـ 84 بمواجهة)."""
    return w.startswith(("ال", "بال", "لل", "كال", "وال", "فال")) or (len(w) >= 5 and w[:2] in ("بم", "لم"))


def _gap_is_space(norm: str, a: _Tok, b: _Tok) -> bool:
    """Whether only spaces stand between two tokens (no comma, full stop or line break)."""
    return norm[a.end : b.start].strip(" ") == ""


def _is_date_or_year(toks: list[_Tok], i: int, used: int, norm: str) -> bool:
    t = toks[i].norm
    after = [x.norm for x in toks[i + used : i + used + 2]]
    before = toks[i - 1].norm if i > 0 else ""
    if not t[:1].isdigit():
        return False
    # a day: 11 مايو, 9 من أيار, 11مايو (glued: the tokenizer splits digits from letters)
    month_like = _MONTHS | {normalize("الشهر"), normalize("الجاري")}
    if after and (after[0] in _MONTHS or (after[0] == "من" and len(after) > 1 and after[1] in month_like)):
        return True
    # a year: after a month or a year word, or a bare 13xx-14xx / 19xx-20xx after a preposition
    if before in _MONTHS or before in _YEAR_WORDS or (after and after[0] in ("م", "هـ", "ه")):
        return True
    v = _digit_value(t)
    year_like = v is not None and t.isdigit() and len(t) == 4 and (1300 <= v <= 1499 or 1900 <= v <= 2100)
    j = i + used
    ends = j >= len(toks) or not _gap_is_space(norm, toks[j - 1], toks[j])
    counts_with_min = len(after) > 1 and after[0] == "من" and after[1].isalpha() and after[1] not in _MONTHS
    if year_like and (before in _YEAR_BEFORE or ends or not after[0].isalpha()
                      or (after[0] in _NOT_COUNTED and not counts_with_min)):
        return True
    # dates and times written with separators, numbers inside names (كوفيد-19), long digit runs
    nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
    if before in ("-", "–", "/", ":") or nxt in ("-", "–", "/", ":"):
        return True
    return t.isdigit() and len(t) >= 7


_QUALIFIER_WORDS = frozenset(p for p, _ in _QUALIFIERS if " " not in p)
_RANGE_LINKS = frozenset(_n("و إلى الى حتى - –"))
_RANGE_OPENERS = frozenset(_n("بين من ما"))


def _original(nm: Normalized, text: str, start: int, end: int) -> Span:
    """The original span of a match-form span, with the diacritics that end its last letter."""
    span = nm.to_original(Span(start, end))
    stop = span.end
    while stop < len(text) and not normalize(text[stop]) and not text[stop].isspace():
        stop += 1
    return Span(span.start, stop)


# Words after a figure that are not what it counts.
_COUNTED_STOP = _NOT_COUNTED | _MONTHS | _YEAR_WORDS | _SCALES.keys() | _WORD_VALUES.keys()


def find_quantities(article: Article) -> tuple[Quantity, ...]:
    """The quantities of an article, in text order, with spans into `article.text`."""
    nm = normalize_map(article.text)
    toks = _tokens(nm.text)
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        num = _number_at(toks, i)
        if num is None or _is_date_or_year(toks, i, num[1], nm.text):
            i += 1
            continue
        value, used = num
        first, last = i, i + used - 1
        after = toks[last + 1].norm if last + 1 < len(toks) else ""
        if after in _DURATIONS or (after[:1] in "وبل" and after[1:] in _DURATIONS):
            i = last + 2  # a duration (ثلاثة أشهر، 24 ساعة) is not a figure
            continue
        if i > 0 and toks[i - 1].norm in _REFERENCE_BEFORE and toks[i].norm[:1].isdigit():
            i += 1
            continue
        if not toks[i].norm[:1].isdigit() and value in (1, 2) and used == 1:
            prev = toks[i - 1] if i > 0 else None
            noun = (prev is not None and toks[i].norm in _AFTER_NOUN and prev.norm.isalpha()
                    and not {prev.norm} & (_NOT_COUNTED | _DURATIONS | _YEAR_WORDS)
                    and _gap_is_space(nm.text, prev, toks[i]))
            if noun:
                span = _original(nm, article.text, prev.start, toks[i].end)
                cspan = _original(nm, article.text, prev.start, prev.end)
                out.append(Quantity(article.id, span, article.text[span.start : span.end], value, value,
                                    "exact", None, article.text[cspan.start : cspan.end]))
            i += 1  # واحد / اثنين alone: "one", an adjective more often than a figure
            continue
        low: float | None = value
        high: float | None = value
        qualifier = "exact"
        q = _before_qualifier(toks, i)
        if q is not None:
            first, qualifier = q
            if qualifier in ("more_than", "at_least"):
                high = None
            elif qualifier in ("less_than", "at_most"):
                low = None
        # a range: بين 10 و20, من 10 إلى 20, 10-20
        k = last + 1
        if k + 1 < len(toks) and toks[k].norm in _RANGE_LINKS:
            nxt = _number_at(toks, k + 1)
            opened = i > 0 and toks[i - 1].norm in _RANGE_OPENERS
            if nxt is not None and (opened or toks[k].norm in ("-", "–")) and nxt[0] > value:
                low, high, qualifier = value, nxt[0], "range"
                last = k + nxt[1]
                if opened and q is None:
                    first = i - 1
        unit, counted = None, None
        k = last + 1
        m = _match_words(toks, k, _UNITS_N)
        if m is not None:
            unit = m[1]
            last = k + m[0] - 1
        elif k < len(toks) and _gap_is_space(nm.text, toks[last], toks[k]):
            c = k + 1 if toks[k].norm == "من" and k + 1 < len(toks) else k
            w = toks[c].norm
            if c > k and not _gap_is_space(nm.text, toks[k], toks[c]):
                w = ""
            if w.isalpha() and not (c == k and _prepositional(w)) and w not in _COUNTED_STOP:
                cspan = _original(nm, article.text, toks[c].start, toks[c].end)
                counted = article.text[cspan.start : cspan.end]
                last = c
        start = toks[first].start
        if q is not None and toks[first].norm[:1] == "و" and toks[first].norm[1:] in _QUALIFIER_WORDS:
            start += 1  # the conjunction of ونحو is not part of the figure
        span = _original(nm, article.text, start, toks[last].end)
        out.append(Quantity(article.id, span, article.text[span.start : span.end], low, high, qualifier,
                            unit, counted))
        i = last + 1
    return tuple(out)
