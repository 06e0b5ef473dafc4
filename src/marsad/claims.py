"""Claims: the figures a story's articles give for the same thing, side by side, with a verdict.

Each figure (`extract.numbers`) is described by what it counts (its counted noun or unit, reduced to a
lemma key: عضوا / أعضاء → عضو), the words around it in its sentence (`skeleton`s, weighted by their
background IDF and by how rare they are in the story), the word just before it (its role: ممثلين عن 80
دولة) and the places named next to it (gazetteer keys). Two figures of different articles state the
same thing when their keys agree, their contexts overlap enough (`claims.min_context`, less when their
roles agree; more when their values cannot agree, since a conflict is a strong thing to say, and then
neither may be about a definite noun written right before it that the other's words never name: silver's
0.7% is not platinum's 0.1%), neither
names a place the other does not (45 million for Syria is not 60 million for Iraq,
though both name the United States), and their sentences are not dated differently (a price at 07:23
is not the price at 13:45). A figure with no counted word whose noun comes before it
(أعضاء التحالف الدولي الـ 84) joins only the same value. Figures are grouped by complete linkage, so a
group never chains through a middle figure. A group's verdict, read off the intervals its statements
allow (exact: one point; نحو: ±`claims.approx_margin`; أكثر من: open above; ranges as given):

- `agree`: every outlet gives the same value;
- `compatible`: different statements that can all be true (أكثر من 80 and أكثر من 79);
- `conflict`: statements that cannot all be true (84 and 79 exactly);
- `single`: one outlet only.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from marsad.extract.gazetteer import gazetteer
from marsad.extract.numbers import SCALES as _SCALES
from marsad.extract.places import places
from marsad.model import Article, Claim, ClaimValue, Evidence, Facts, Quantity, Sentence, TimeExpression
from marsad.settings import Settings
from marsad.text.normalize import normalize
from marsad.text.tokens import STOPWORDS, stem, word_offsets

# Broken plurals and other forms of frequently counted nouns -> one key (match forms, after `stem`).
_LEMMAS = {
    normalize(v): normalize(k)
    for k, vs in {
        "عضو": "أعضاء عضوا",
        "دولة": "دول دوله دولا",
        "وزير": "وزراء وزيرا",
        "شخص": "أشخاص شخصا",
        "قتيل": "قتلى قتيلا",
        "جريح": "جرحى جريحا",
        "طفل": "أطفال طفلا",
        "امرأة": "نساء امرأه",
        "مقاتل": "مقاتلين مقاتلي مقاتلا",
        "منظمة": "منظمات منظمه",
        "مليون": "ملايين",
        "مدني": "مدنيين مدنيا",
        "عنصر": "عناصر عنصرا",
        "خلية": "خلايا خليه",
        "حادث": "حوادث حادثا",
        "رئيس": "رؤساء رئيسا",
        "لاجئ": "لاجئين لاجئا",
        "جندي": "جنود جنديا",
        "سنة": "سنوات سنه",
        "يوم": "أيام يوما",
        "مشارك": "مشاركين مشاركا",
    }.items()
    for v in (k, *vs.split())
}
_WINDOW = 8  # words either side of a figure that describe it
_SUBJECT_WORDS = 4  # at most this many words of context in a claim's subject
# Words around a market figure (a price, an index level, a change in per cent): such figures move through
# the day, so two outlets' differing ones are two moments unless their sentences name the same clock
# time (the same day or month is not enough: تسليم أغسطس is a contract, not a moment).
_MARKET = """سعر أسعار الأوقية للأوقية الأونصة للأونصة البرميل للبرميل برنت السهم للسهم الأسهم المؤشر البورصة
نقطة نقاط العقود الآجلة الفورية المعاملات تداول التداولات الذهب الفضة البلاتين البلاديوم النفط الخام"""
# Words passed over, walking back from a figure to the noun it is about (سعر الذهب 0.3 في المائة إلى ...).
_PERCENT_WORDS = frozenset(normalize(w) for w in ("المائة", "بالمائة", "المئة", "بالمئة", "%"))
_BREAKS = frozenset("،,.:؛;()[]«»\"'“”!?؟-–")


@functools.lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """The key of a counted noun: clitics and the accusative alef dropped, broken plurals mapped to the
    singular of the nouns news counts most (`_LEMMAS`)."""
    w = normalize(word)
    if w in _LEMMAS:
        return _LEMMAS[w]
    s = stem(w)
    if s in _LEMMAS:
        return _LEMMAS[s]
    if len(s) > 3 and s.endswith("ا"):
        s = s[:-1]
    return _LEMMAS.get(s, s)


@functools.lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """A word's lemma without its long vowels after the first letter, so the forms of one root that
    news uses around a figure meet (حضر / حضور, ممثل / ممثلو)."""
    s = lemma(word)
    bare = s[:1] + s[1:].replace("ا", "").replace("و", "").replace("ي", "")
    return bare if len(bare) >= 3 else s


MARKET = frozenset(skeleton(w) for w in _MARKET.split())
# The word before a casualty figure says which count it is: the dead, or the wounded (also the combined
# مقتل وإصابة 35, whose last word is إصابة). Two figures after words of different roles count different
# things (2015-08-01: مقتل 46 مدنيا beside another outlet's مقتل وإصابة 35 مدنيا was a conflict).
_DEAD_WORDS = "مقتل قتل قتلى قتيل استشهاد شهيد شهداء وفاة مصرع بحياة"
_WOUNDED_WORDS = "إصابة اصابة جرح جرحى جريح إصابات مصاب مصابين"
_CASUALTY = {
    **{skeleton(w): "dead" for w in _DEAD_WORDS.split()},
    **{skeleton(w): "wounded" for w in _WOUNDED_WORDS.split()},
}
# Counted words that say only that people were hit, not who they were (قتيلا, شخصا, آخرين, ضحية): one
# toll, whichever the outlet writes. A toll of a named group (مدنيا, جنديا, حوثيا) keeps its own key.
_VICTIMS = frozenset(map(lemma, ("قتيل", "جريح", "مصاب", "شهيد", "شخص", "آخرين", "ضحية", "جثة", "جروح")))

# Words before a figure that say how it is given, not what it counts (بنسبة 24 في المائة, بقيمة, مبلغ,
# نحو): the word before them gives its role (2015-08-03: petrochemicals' 24% share of the liquidity
# beside the media sector's 2.92% fall, both after بنسبة, was a conflict; one sector's figures in two
# outlets still share its name as their role).
_NO_ROLE = frozenset(
    skeleton(w) for w in ("نسبة", "قيمة", "مبلغ", "بلغ", "بلغت", "قدره", "قدرها", "مقدار", "حوالي", "نحو")
)


# Words near a figure that say whose it is, a country's or a city's (as context skeletons): China's 1.3
# billion people (بلد عدد سكانه) beside Beijing's 20 million (المدينة التي يبلغ عدد سكانها), 2015-08-01.
# Only figures that disagree are told apart this way: the place of an event is named near its figures too
# (the kingdom's 15 medals, won in the city of Los Angeles).
_KINDS = {skeleton("بلد"): "country", skeleton("دولة"): "country", skeleton("المملكة"): "country",
          skeleton("مدينة"): "city"}


def _kinds(context: frozenset[str]) -> frozenset[str]:
    return frozenset(_KINDS[t] for t in context if t in _KINDS)


@dataclass(frozen=True, slots=True)
class _Figure:
    q: Quantity
    source: str
    key: str | None
    context: frozenset[str]
    places: frozenset[str]
    governor: str | None
    """The content word just before the figure (حضور ممثلين عن 80 دولة: ممثل): its role."""
    bare: bool
    """The key is the head of the noun phrase before the figure, not a word counted after it."""
    written: tuple[tuple[str, str, int], ...]
    """(context skeleton, the word as written, its place: words before the figure negative, after it
    positive), nearest the figure first: for the claim's subject."""
    when: frozenset[str]
    """The resolved dates and times its sentence names (`Facts.times`): a price at 07:23 GMT is not
    the price at 13:45 GMT."""
    named: str | None
    """The definite noun written right before it (ونزل البلاديوم 1.5 في المائة: palladium), what the
    figure is about, as a context skeleton; None when another word or a punctuation mark comes first."""
    sentence: tuple[int, int] = (0, 0)
    """The span of its sentence in the article's text."""


def _idf(term: str) -> float:
    from marsad.similarity import idf

    return idf(term)


class _Weights:
    """How much sharing a context word says within this story: its background IDF times how rare it is
    among the story's sentences (a word every sentence of the story has, like the coalition's name,
    tells two of its figures apart no better than a stopword)."""

    def __init__(self, articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]) -> None:
        df: dict[str, int] = {}
        n = 0
        for a in articles:
            for sent in sentences.get(a.id, ()):
                n += 1
                for t in {skeleton(w) for w in _content(sent.norm)}:
                    df[t] = df.get(t, 0) + 1
        self._df, self._n = df, n
        self._cache: dict[str, float] = {}
        self._totals: dict[frozenset[str], float] = {}

    def __call__(self, t: str) -> float:
        w = self._cache.get(t)
        if w is None:
            local = math.log((self._n + 1) / (self._df.get(t, 0) + 0.5))
            w = self._cache[t] = max(0.0, local) * _idf(t)
        return w

    def total(self, terms: frozenset[str]) -> float:
        """The summed weight of a set of words (a figure's context is summed once per story)."""
        w = self._totals.get(terms)
        if w is None:
            w = self._totals[terms] = math.fsum(self(t) for t in terms)
        return w


def _content(norm: str) -> list[str]:
    from marsad.text.tokens import words

    return [w for w in words(norm) if w not in STOPWORDS and not w.isdigit() and len(w) > 1]


def _describe(
    q: Quantity, article: Article, sentences: Sequence[Sentence], times: Sequence[TimeExpression] = ()
) -> _Figure:
    """What a figure counts, the words around it in its sentence, the names and the dates there."""
    sent = next((s for s in sentences if s.span.start <= q.span.start < s.span.end), None)
    lo, hi = (sent.span.start, sent.span.end) if sent else (0, len(article.text))
    when = frozenset(t.value for t in times if t.value and lo <= t.span.start < hi)
    text = article.text[lo:hi]
    words = word_offsets(text)
    inside = [i for i, (a, b, _) in enumerate(words) if lo + a >= q.span.start and lo + b <= q.span.end]
    first = inside[0] if inside else 0
    last = inside[-1] if inside else 0
    near = [w for i, (_, _, w) in enumerate(words)
            if first - _WINDOW <= i <= last + _WINDOW and (i < first or i > last)]
    context = frozenset(skeleton(w) for w in near if w not in STOPWORDS and not w.isdigit() and len(w) > 1)
    places = frozenset(e.key for _, _, e in gazetteer().find(near) if e.type == "LOC")
    if q.counted:
        key: str | None = lemma(q.counted.split()[-1])
    elif q.unit:
        key = "unit:" + q.unit
    else:
        # no counted word after it: the head of the noun phrase it closes (أعضاء التحالف الدولي الـ 84)
        before = [w for _, _, w in words[max(0, first - 4) : first] if w not in ("ال", "الـ")]
        head = next((w for w in reversed(before) if not w.startswith("ال") and w not in STOPWORDS), None)
        key = lemma(head) if head and before and before[-1].startswith("ال") else None
    # the three words before it, not counting a word that only says how it is given (بنسبة)
    before_gov = [w for _, _, w in words[max(0, first - 5) : first] if skeleton(w) not in _NO_ROLE][-3:]
    gov = next((w for w in reversed(before_gov) if w not in STOPWORDS and not w.isdigit() and len(w) > 1),
               None)
    bare = not q.counted and not q.unit and key is not None
    around = sorted(
        ((min(abs(i - first), abs(i - last)), skeleton(w), text[a:b], i - first if i < first else i - last)
         for i, (a, b, w) in enumerate(words)
         if first - _WINDOW <= i <= last + _WINDOW and (i < first or i > last) and w not in STOPWORDS
         and not w.isdigit() and len(w) > 1),
    )
    seen: set[tuple[str, str]] = set()
    written = tuple((sk, word, off) for _, sk, word, off in around
                    if (sk, word) not in seen and not seen.add((sk, word)))
    gov_key = skeleton(gov) if gov else None
    return _Figure(q, article.source, key, context, places, gov_key, bare, written, when,
                   _named_before(text, words, first), (lo, hi))


def _named_before(text: str, words: Sequence[tuple[int, int, str]], first: int) -> str | None:
    """The skeleton of the definite noun written right before word `first` (over stopwords, numbers and
    في المائة), or None when another content word or a punctuation mark comes first."""
    end = words[first][0] if first < len(words) else len(text)
    after_digits = True  # the figure itself
    for a, b, w in reversed(words[:first]):
        digits = any(c.isdigit() for c in w)
        # a decimal point or thousands comma inside a number (3.0, 1,084) is no break
        breaks = _BREAKS - {".", ","} if digits and after_digits else _BREAKS
        if any(c in breaks for c in text[b:end]):
            return None
        end, after_digits = a, digits
        if w in STOPWORDS or w in _PERCENT_WORDS or digits or len(w) < 2:
            continue
        bare = w[1:] if w[:1] in "وفبلك" and w[1:3] == "ال" else w
        bare = "ال" + bare[2:] if bare.startswith("لل") else bare
        return skeleton(bare) if bare.startswith("ال") else None
    return None


def _similarity(a: _Figure, b: _Figure, weight: _Weights) -> float:
    """Weighted overlap of two figures' contexts (weighted Jaccard, `_Weights`)."""
    shared = weight.total(a.context & b.context)
    total = weight.total(a.context) + weight.total(b.context) - shared
    return shared / total if total > 0 else 0.0


# A toll's claim says what it counts, whatever words its outlets put around it.
TOLL_SUBJECTS = {
    "toll:dead": "حصيلة القتلى", "toll:wounded": "حصيلة الجرحى", "toll:both": "حصيلة القتلى والجرحى",
}


# The dead and the wounded counted together: a verbal noun of each right before the figure (مقتل وإصابة
# 35 شخصا), or a noun of each around it (33 قتيلا وجريحا). Verbs do not join them: جنديان قتلا وأصيب 31
# آخرون counts the wounded alone.
_BOTH_DEAD = frozenset(map(normalize, ("مقتل", "وفاة", "مصرع", "استشهاد")))
_BOTH_WOUNDED = frozenset(map(normalize, ("وإصابة", "وجرح")))
_BOTH_AFTER = frozenset(map(normalize, ("وجريحا", "وجريح", "ومصابا", "ومصاب")))


def _forms(words: str) -> frozenset[str]:
    """The match forms of a space-separated list of words."""
    return frozenset(normalize(w) for w in words.split())


# Words that make a count of the hurt a count of patients, not the toll (2015-08-03: 7 Omani pilgrims
# still in hospital and 27 seen off home were grouped as the crash's wounded): those still there or
# remaining (ما زالوا / لا يزالون يتلقون العلاج, تبقى 3 مصابين), those in or leaving hospital, with a
# hospital word in the window (يرقدون, خرجوا / غادروا المستشفى, خروج 12 من المصابين من المستشفى), the
# wounded seen off home (ودعت الجمعية 12 مصابا), those in intensive care (`_CARE`). A plural verb agrees
# with the counted people wherever it stands in the figure's window; a singular verb or a verbal noun
# counts only right before the figure
# (verb first: لا يزال 5 مصابين, غادر 4 مصابين): after a toll it has a subject of its own (سقط 3 جرحى،
# ولا تزال المعارك دائرة; خلف الحادث 5 مصابين خرج اثنان منهم من المستشفى). Being taken to hospital or
# treated there is not among them: tolls are worded so (إصابة 31 شخصا نقلوا إلى المستشفى, إصابة 40
# يعالجون في مستشفيات المدينة).
_STILL = _forms("زالوا يزالون مازالوا لازالوا")
_STILL_BEFORE = _forms("يزال تزال زال مازال لازال تبقى يتبقى بقي يبقى")
_HOSPITAL_STAY = _forms("يرقدون خرجوا يخرجون سيخرجون غادروا يغادروا يغادرون")
_HOSPITAL_STAY_BEFORE = _forms("يرقد خرج خروج غادر مغادرة")
_SEEN_OFF = _forms("ودعت توديع وداع")  # anywhere in the window; the wounded only (the dead have funerals)
# Intensive care, within the three words after the counted word (13 مصابا في العناية المركزة); further on
# it is a part of the toll (إصابة 31 شخصا نقل 4 منهم إلى العناية المركزة).
_CARE = _forms("العناية بالعناية الإنعاش بالإنعاش")
_HOSPITAL = ("مستشف", "مشفي")  # inside a word's match form: المستشفى, بمستشفيات, المشفى


def _patients(words: Mapping[int, str], role: str) -> bool:
    """Whether a count of the dead or the wounded, with these match-form words around it (by place, as
    `_Figure.written`), counts patients (`_STILL` ...), not the toll. A figure right after أصل (20 من أصل
    60 جريحا لا يزالون في المستشفى) is the whole they are part of."""
    if words.get(-1) == normalize("أصل"):
        return False

    def forms(w: str) -> set[str]:  # وما زالوا, وخرجوا
        return {w, w[1:]} if w[:1] in "وف" and len(w) > 3 else {w}

    window = set().union(*map(forms, words.values()))
    before = forms(words.get(-1, ""))
    after = {w for off, w in words.items() if 0 < off <= 3}
    hospital = any(h in w for w in words.values() for h in _HOSPITAL)
    return bool(
        window & _STILL or before & _STILL_BEFORE
        or (hospital and (window & _HOSPITAL_STAY or before & _HOSPITAL_STAY_BEFORE))
        or (role == "wounded" and window & _SEEN_OFF)
        or after & _CARE
    )


def _toll(f: _Figure) -> str | None:
    """`dead` or `wounded` for a count of people killed or hurt that names no group of them, by its
    counted word (30 قتيلا) or, failing that, the word before it (مقتل 30 شخصا, أودى بحياة 32); `both`
    for the dead and the wounded counted together (`_BOTH_DEAD` `_BOTH_WOUNDED` before it, `_BOTH_AFTER`).
    None for a count of patients (`_patients`): 7 still in hospital are not the crash's wounded."""
    if f.key not in _VICTIMS:
        return None
    near = {off: normalize(word) for _, word, off in f.written}
    if near.get(1) in _BOTH_AFTER or (near.get(-2) in _BOTH_DEAD and near.get(-1) in _BOTH_WOUNDED):
        role: str | None = "both"
    else:
        role = _CASUALTY.get(skeleton(f.key)) or _CASUALTY.get(f.governor or "")
    return None if role is None or _patients(near, role) else role


def _group_key(f: _Figure) -> str | None:
    """Figures with one group key may state the same thing: the counted word, or the toll."""
    toll = _toll(f)
    return "toll:" + toll if toll else f.key


def _sizes_apart(a: Quantity, b: Quantity, settings: Settings) -> bool:
    """Whether two counts are too far apart to read one toll: the nearer ends of their stated bounds
    (an open end unbounded) more than `claims.toll_ratio` times and more than `claims.toll_gap` apart."""
    cfg = settings.claims
    (lo_a, hi_a), (lo_b, hi_b) = ((q.low or 0.0, math.inf if q.high is None else q.high) for q in (a, b))
    small, big = (hi_a, lo_b) if hi_a < lo_b else (hi_b, lo_a) if hi_b < lo_a else (0.0, 0.0)
    return big - small > cfg.toll_gap and (small <= 0 or big / small > cfg.toll_ratio)


def _toll_fits(f: _Figure, group: Sequence[_Figure], settings: Settings) -> bool:
    """Whether a count of the dead (or of the wounded) may read the same toll as a group's: no member's
    towns or regions lie apart from its own, neither names only a year (an earlier event's toll), the
    sizes stay alike (four party members among 32 dead are part of the toll, not a reading of it), and
    an article already in the group gave a figure it agrees with (not the toll before it rose)."""
    if any(x.when and all("-" not in v for v in x.when) for x in (f, group[0])):
        return False
    for m in group:
        if _sizes_apart(f.q, m.q, settings):
            return False
        if m.q.article_id == f.q.article_id and not _can_agree(f.q, m.q, settings.claims.approx_margin):
            return False
        if places().apart(_within(f.places), _within(m.places)):
            return False
    return True


def _within(keys: frozenset[str]) -> frozenset[str]:
    """The places among `keys` that lie in another (cities, regions): an attack in a border town is
    placed by one outlet in its country and by another near the country across the border."""
    table = places()
    return frozenset(k for k in keys if k in table.parent)


def _toll_link(f: _Figure, group: Sequence[_Figure], settings: Settings, weight) -> bool:
    """Outlets word a toll differently (أوقع 30 قتيلا, مقتل 32 شخصا, أودى بحياة 32 شخصا) and report it on
    the day it has risen to: one member sharing a few of its words is enough."""
    return any(_similarity(f, m, weight) >= settings.claims.min_context_same_role for m in group)


def _same_thing(a: _Figure, b: _Figure, settings: Settings, weight) -> bool:
    cfg = settings.claims
    if a.q.article_id == b.q.article_id:
        return False  # an article's own figures are different statements, not two sides
    if a.places - b.places and b.places - a.places:
        return False  # each names a place the other does not: Syria's figure beside Iraq's
    if a.when and b.when and not a.when & b.when:
        return False  # dated differently: the same measure at another time
    if a.key is not None and b.key is not None:
        if a.key != b.key:
            return False
        if a.bare or b.bare:  # only the noun before it says what it counts: the same figure, or nothing
            return (a.q.low, a.q.high) == (b.q.low, b.q.high)
        roles = {_CASUALTY.get(a.governor or ""), _CASUALTY.get(b.governor or "")}
        if None not in roles and len(roles) == 2:
            return False  # the dead beside the wounded
        sim = _similarity(a, b, weight)
        same_role = a.governor is not None and a.governor == b.governor
        if not _can_agree(a.q, b.q, cfg.approx_margin):
            if not same_role and sim < cfg.min_context_conflict:
                return False  # a conflict is said only on strong evidence that both count one thing
            if any(x.named is not None and x.named not in y.context for x, y in ((a, b), (b, a))):
                return False  # about something the other never names: silver's 0.7% beside platinum's 0.1%
            kinds_a, kinds_b = _kinds(a.context), _kinds(b.context)
            if kinds_a and kinds_b and not kinds_a & kinds_b:
                return False  # a country's figure beside a city's
            if (a.key.startswith("unit:") and (a.context & MARKET or b.context & MARKET)
                    and not any("T" in v for v in a.when & b.when)):
                return False  # market figures that differ: two moments, unless both name the same clock time
        return sim >= (cfg.min_context_same_role if same_role else cfg.min_context)
    return False


# A figure written in digits before a scale word (13.8 مليون, ٢٫٥ مليار, 5 ملايين) is rounded: it stands
# for every number that rounds to it (13.8 million for 13,809,879).
_SCALED = re.compile(r"(\d+(?:[.,]\d+)?)\s*(" + "|".join(sorted(_SCALES, key=len, reverse=True)) + r")(?!\w)")


def _states_elsewhere(
    f: _Figure, m: _Figure, by_article: Mapping[str, Sequence[_Figure]], margin: float, reach: int
) -> bool:
    """Whether `f` and `m` disagree while the article of one also states the other's value under the same
    key, or as a bare figure of the same sentence within `reach` characters: then they are two
    quantities both outlets give, not two sides of one (oil fell 61 cents after a 27-cent drop the day
    before: a 27 is no conflict with the other outlet's 61 when it gives both)."""
    if _can_agree(f.q, m.q, margin):
        return False
    return any(
        o is not x and (o.key == x.key or (
            o.key is None and o.sentence == x.sentence and abs(o.q.span.start - x.q.span.start) <= reach))
        and _can_agree(o.q, y.q, margin)
        for x, y in ((m, f), (f, m))
        for o in by_article.get(x.q.article_id, ())
    )


# A figure written with decimals (4.9 في المائة) stands for every number that rounds to it (4.89).
_DECIMAL = re.compile(r"(?<![\d.,])\d+\.(\d+)(?![\d.,])")
# One separator before exactly three digits (1.949 مليون, 1,949 مليون, 5،438 كم) is read by outlets both as
# a decimal point and as a thousands separator.
_THOUSANDS_OR_POINT = re.compile(r"(?<![\d.,،])\d{1,3}([.,،])\d{3}(?![\d.,،])")


def rounding(q: Quantity) -> float:
    """Half the step of the last digit written before a scale word (13.8 مليون: 50,000) or after a
    decimal point (4.9: 0.05), 0 for a figure written in full (13,809,879; 84) or in words."""
    text = normalize(q.text)
    m = _SCALED.search(text)
    if m is None:
        if q.qualifier != "exact" or len(d := _DECIMAL.findall(text)) != 1:
            return 0.0
        return 0.5 * 10.0 ** -len(d[0])
    digits, scale = m.group(1), _SCALES[m.group(2)]
    decimals = len(digits.split(".")[1]) if "." in digits else (
        len(digits.split(",")[1]) if "," in digits and len(digits.split(",")[1]) != 3 else 0)
    return 0.5 * scale * 10.0 ** -decimals


@functools.lru_cache(maxsize=4096)
def _scaled(q: Quantity) -> bool:
    """Written in digits before a scale word (9.8 مليون)."""
    return _SCALED.search(normalize(q.text)) is not None


def _interval(q: Quantity, margin: float, cut: bool = False) -> tuple[float, float]:
    """The numbers a statement allows; `cut`: a figure before a scale word may also be cut short, not
    rounded (9.8 مليون for another outlet's 9,897,953 in full), so it stands for up to the next step too."""
    low = q.low if q.low is not None else -math.inf
    high = q.high if q.high is not None else math.inf
    if q.qualifier in ("exact", "range"):
        half = rounding(q)
        top = 2 * half if cut and _scaled(q) else half
        if half:  # the high end is open: 84 مليون is not 84.5 مليون
            low, high = low - half, math.nextafter(high + top, -math.inf)
    if q.qualifier == "approx":
        low, high = low * (1 - margin), high * (1 + margin)
    if q.qualifier == "more_than" and q.low is not None:
        low = math.nextafter(q.low, math.inf)
    if q.qualifier == "less_than" and q.high is not None:
        high = math.nextafter(q.high, -math.inf)
    return low, high


@functools.lru_cache(maxsize=4096)
def _readings(q: Quantity, margin: float, cut: bool = False) -> tuple[tuple[float, float], ...]:
    """The intervals a statement allows: `_interval`, and for a figure written with one separator before
    three digits (1.949 مليون ريال beside another outlet's 1,949 مليون ريال) also the other reading of
    the separator, a thousand times larger or smaller. Cached: a story compares each figure many times."""
    low, high = _interval(q, margin, cut)
    m = _THOUSANDS_OR_POINT.findall(normalize(q.text))
    if len(m) != 1:
        return ((low, high),)
    f = 1000.0 if m[0] == "." else 0.001
    return ((low, high), (low * f, high * f))


def _can_agree(a: Quantity, b: Quantity, margin: float) -> bool:
    """Whether one number could make both statements true (a figure before a scale word read as cut short
    too when the other is written in full: two rounded figures one step apart still disagree)."""
    return _one_number(_readings(a, margin, not _scaled(b)), _readings(b, margin, not _scaled(a)))


def _one_number(*readings: Sequence[tuple[float, float]]) -> bool:
    """Whether one number lies in some reading of each statement."""
    points = [lo for rs in readings for lo, _ in rs]
    return any(all(any(lo <= p <= hi for lo, hi in rs) for rs in readings) for p in points)


def verdict(values: Sequence[ClaimValue], outlets: int, margin: float) -> str:
    """`single` for one outlet; else `agree` when every statement is the same, `compatible` when one
    number could make them all true, `conflict` when none could."""
    if outlets < 2:
        return "single"
    if len({(v.low, v.high, v.qualifier, v.unit) for v in values}) == 1:
        return "agree"
    scaled = [_scaled(v.quantity) for v in values]
    readings = [_readings(v.quantity, margin, not any(scaled[:i] + scaled[i + 1 :]))
                for i, v in enumerate(values)]
    return "compatible" if _one_number(*readings) else "conflict"


def _subject(group: Sequence[_Figure], weight) -> str:
    """A short description in the articles' own words and order: the two words around the figures that
    tell most about them (shared by the group's figures where several), with `…` where the figure
    stands and what is counted (or the unit) after it: `حضور ممثلي … دولة`."""
    first = next((f for f in group if f.q.counted or f.q.unit), group[0])
    head = first.q.counted or first.q.unit or ""
    shared = frozenset.intersection(*(f.context for f in group))
    pool = shared - {f.key for f in group} or first.context
    best = sorted(pool, key=lambda t: (-weight(t), t))[:2]
    chosen = [(off, w) for sk, w, off in first.written if sk in best and w != head][:2]
    # the content words between them too, so the phrase reads as written (… عضوا دول ومنظمات دولية, not
    # … عضوا دول دولية), unless that makes it long
    lo, hi = min((o for o, _ in chosen), default=0), max((o for o, _ in chosen), default=0)
    filled = [(off, w) for _, w, off in first.written if lo <= off <= hi and off != 0 and w != head]
    if len(filled) <= _SUBJECT_WORDS:
        chosen = filled
    before = [w for off, w in sorted(chosen) if off < 0]
    after = [w for off, w in sorted(chosen) if off > 0]
    phrase = " ".join([*before, "…", *([head] if head else []), *after])
    return phrase if phrase != "…" else first.q.text


def find_claims(
    articles: Sequence[Article],
    facts: Mapping[str, Facts],
    sentences: Mapping[str, Sequence[Sentence]],
    settings: Settings,
) -> tuple[Claim, ...]:
    """The claims of a story's articles (in story order): every figure in exactly one claim, those
    stated by several outlets first (conflicts first of all), then by how many articles carry them."""
    figures = [
        _describe(q, a, sentences.get(a.id, ()), facts[a.id].times)
        for a in articles
        for q in (facts[a.id].quantities if a.id in facts else ())
    ]
    weight = _Weights(articles, sentences)
    by_article: dict[str, list[_Figure]] = {}
    for f in figures:
        by_article.setdefault(f.q.article_id, []).append(f)
    groups: list[list[_Figure]] = []
    by_key: dict[str, list[list[_Figure]]] = {}  # only figures with one key can state the same thing
    margin = settings.claims.approx_margin
    for f in figures:
        # among the groups it may join, one whose statements it can agree with comes first, then the
        # closest context: two wire copies of "the euro rose 1.3% ... its monthly loss shrank to 0.5%"
        # pair 1.3 with 1.3 and 0.5 with 0.5, though 1.3's words overlap 0.5's more in the other copy
        best, best_rank = None, (False, -1.0)
        key = _group_key(f)
        for g in by_key.get(key, []) if key is not None else []:
            if key.startswith("toll:"):
                fits = _toll_fits(f, g, settings) and _toll_link(f, g, settings, weight)
            else:
                fits = all(_same_thing(f, m, settings, weight) for m in g)
            if fits and not any(
                _states_elsewhere(f, m, by_article, margin, settings.claims.bare_figure_reach) for m in g
            ):
                sim = sum(_similarity(f, m, weight) for m in g) / len(g)
                rank = (all(_can_agree(f.q, m.q, margin) for m in g), sim)
                if rank > best_rank:
                    best, best_rank = g, rank
        if best is None:
            best = [f]
            groups.append(best)
            if key is not None:
                by_key.setdefault(key, []).append(best)
        else:
            best.append(f)
    # a toll's readings that met only after their groups formed: join the groups
    for key in TOLL_SUBJECTS:
        pending = by_key.get(key, [])
        merged = True
        while merged:
            merged = False
            for i, j in itertools.combinations(range(len(pending)), 2):
                a, b = pending[i], pending[j]
                if all(_toll_fits(f, a, settings) for f in b) and any(
                    _toll_link(f, a, settings, weight) for f in b
                ) and not any(_states_elsewhere(f, m, by_article, margin, settings.claims.bare_figure_reach)
                              for f in b for m in a):
                    a.extend(b)
                    groups[:] = [g for g in groups if g is not b]
                    del pending[j]
                    merged = True
                    break
    claims = []
    for g in groups:
        by_value: dict[tuple, list[_Figure]] = {}
        for f in g:
            by_value.setdefault((f.q.low, f.q.high, f.q.qualifier, f.q.unit), []).append(f)
        values = tuple(
            # as written where it says most: with its counted word or unit if one article gives it
            ClaimValue(next((f.q for f in fs if f.q.counted or f.q.unit), fs[0].q),
                       tuple(Evidence(f.q.article_id, f.q.span) for f in fs))
            for fs in by_value.values()
        )
        outlets = len({f.source for f in g})
        subject = TOLL_SUBJECTS.get(_group_key(g[0]) or "") or _subject(g, weight)
        claims.append(Claim(subject, verdict(values, outlets, margin), values))
    rank = {"conflict": 0, "compatible": 1, "agree": 2, "single": 3}
    order = sorted(range(len(claims)), key=lambda i: (rank[claims[i].verdict], -len(claims[i].article_ids)))
    return tuple(claims[i] for i in order)
