"""Entities: the mentions of one real person, organisation or place merged under every spelling.

`surface` turns a mention into the name as written (edge punctuation and quotes, leading clitics and
titles stripped). `resolve` merges the mentions of a set of articles (one article, a story, or more):

1. the same match form (`text.normalize`: hamza, alef, ya, ta marbuta, diacritics, digits) is one name;
2. a leading و/ف/ب/ل/ك is stripped where the rest is a known name (the gazetteer, or a mention elsewhere
   in the set), and a leading و where the word without it is much commoner in news (ومعتز → معتز):
   بلبنان → لبنان, but بلينكن and وليد stay;
3. transliteration variants of a rare word are one word: equal once the long vowel letters (ا و ي ى)
   are dropped and غ/ج, ط/ت folded, and close by `rapidfuzz` (بلينكن / بلينكين, ترامب / ترمب, جولدمان /
   غولدمان); common words never vary this way (محمد / محمود are two names);
4. names of one gazetteer key are one entity (المغرب / المملكة المغربية; داعش / تنظيم الدولة);
5. a parenthetical after a name is its alias: حلف شمال الأطلسي (ناتو), قوات سوريا الديمقراطية (قسد);
6. "X against Y" organisations with one head word and one enemy are one (التحالف الدولي ضد داعش /
   التحالف العالمي ضد تنظيم الدولة);
7. two long forms of a person's name chain with the same first and father's names and another name in
   common are one person (أحمد جعفر حسن المجيشي / أحمد جعفر المجيشي البارقي), unless they end with
   different family names;
8. a short form joins the one longer name of its type that starts or ends with it (بلينكن → أنتوني
   بلينكن; التحالف الدولي → التحالف الدولي ضد داعش; a rare first name alone: زلاتان → زلاتان
   إبراهيموفيتش); a short form two longer names share (سلمان in محمد بن سلمان and سلمان بن عبدالعزيز)
   stays apart.

Each entity keeps its display name (the most frequent form that is not a short form of another), every
form, its type (the gazetteer's, else the mentions' majority) and its mention count per article. Its id
is stable across stories and runs: from the gazetteer key if it has one, else from type and name.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Indel

from marsad.extract.entities import word_rank
from marsad.extract.gazetteer import Gazetteer, gazetteer, name_tokens, unclitic
from marsad.model import Article, Entity, Mention, Sentence, Span
from marsad.settings import Settings
from marsad.similarity import background_df
from marsad.text.normalize import normalize, normalize_word
from marsad.text.tokens import STOPWORDS, stem, word_offsets

__all__ = [
    "adopt_ids", "complete", "entity_id_for", "parenthetical_mentions", "person_titles", "rare_words",
    "resolve", "skeleton", "surface", "title_holder",
]

# Titles and honorifics stripped from the start of a name (match forms; longest first when matching).
_TITLES = """السيد السيدة الدكتور الدكتورة د سعادة جلالة فخامة سمو صاحب السمو الملكي معالي سماحة
فضيلة الشيخ الشيخة الأمير الأميرة الملك الملكة الرئيس المهندس الأستاذ السفير الوزير الوزيرة اللواء
العميد العقيد الفريق المشير الجنرال النائب المستشار القاضي الإمام المدرب اللاعب الفنان الفنانة
الكاتب الكاتبة الشاعر الراحل المرحوم الحاج"""
TITLES = frozenset(normalize(w) for w in _TITLES.split())
# Honorifics that only ever stand before a person's name: a name written right after one names a person,
# whatever the model typed it (السيدة فيكتوريا نولاند). Not الرئيس, الفريق, اللاعب, الملك, الشيخ: news
# writes them before places and teams too (المقر الرئيس بالرياض, معسكر الفريق بالنمسا, شرم الشيخ).
_HONORIFICS = "السيد السيدة الدكتور الدكتورة المهندس المهندسة الأستاذ الأستاذة معالي فخامة سعادة"
HONORIFICS = frozenset(normalize(w) for w in _HONORIFICS.split())
_LAST_WORD = re.compile(r"(\w+)\W*$", re.UNICODE)
# Multi-word titles that name their holder without a name (nothing of them is an entity's form).
_TITLE_ONLY = ("خادم الحرمين الشريفين", "ولي العهد", "ولي ولي العهد", "صاحب السمو الملكي")
TITLE_ONLY = frozenset(name_tokens(t) for t in _TITLE_ONLY)
# What the model tags by ANERcorp's conventions (currencies and the name of God are MISC there) but no
# reader looks for among a story's people, organisations and places: religious formulas and currency
# names. Kept out of entity lists; the hand-labelled dev sample lists none of them (`eval/entities.py`).
_NOT_ENTITIES = (
    "الله", "اللهم", "ولله الحمد", "لله الحمد", "الحمد لله", "بتوفيق الله", "بإذن الله", "إن شاء الله",
    "ان شاء الله", "رحمه الله", "سبحانه وتعالى", "الله تعالى", "الله عز وجل",
    # prayers after a name, which the model takes for one (22 to 28 stories each of 8 stored days)
    "صلى الله", "صلى الله عليه وسلم", "عليه الصلاة والسلام", "عليه السلام", "وسلم", "توفيق الله",
    "يرحمه الله", "رحمها الله", "رحمهم الله", "طيب الله ثراه", "الله ثراه", "حفظه الله", "حفظهم الله",
    "أيده الله", "رضي الله عنه", "عز وجل", "جل جلاله",
    "دولار", "دولارا", "دولارات", "يورو", "ريال", "ريالا", "ريالات", "درهم", "دينار", "جنيه", "هللة", "ين",
    "روبل", "ليرة", "فرنك",
    # greetings the model takes for a first name (مبروك is one, but alone it is the formula)
    "مبروك", "ألف مبروك",
)
NOT_ENTITIES = frozenset(name_tokens(t) for t in _NOT_ENTITIES)
# Words inside an "X against Y" organisation name that do not tell two of them apart.
_AGAINST = """ضد لهزيمة هزيمة لمحاربة محاربة لمكافحة مكافحة المناهض المناهضة لمواجهة مواجهة الحرب على
في الدولي الدولية العالمي العالمية"""
AGAINST = frozenset(normalize(w) for w in _AGAINST.split())
# A short form that is one of these words is too generic to join a longer name on its own.
_GENERIC = """بن ابن بنت أبو أبي أم آل عبد عبدال ال التحالف الدولة المملكة الجمهورية الحكومة الوزارة
المجلس الهيئة الجامعة الشركة المنظمة اللجنة الاتحاد الحزب الحركة الجبهة القوات الجيش المنطقة
المدينة الشرق الغرب الشمال الجنوب وزارة مجلس هيئة الله"""
GENERIC = frozenset(normalize(w) for w in _GENERIC.split())
# Words that make a surname of two words (لويجي دي مايو → دي مايو; أسامة بن لادن → بن لادن).
_PARTICLES = "دي دا دو فان فون ديل لا لو بن ابن أبو آل"
PARTICLES = frozenset(normalize(w) for w in _PARTICLES.split())
_CLUB_HEADS = frozenset(normalize(w) for w in ("نادي", "فريق"))
# Words that make the name after them a father's: a longer name that ends with "بن" + a name is his son's.
_SON_OF = frozenset(normalize(w) for w in ("بن", "ابن", "بنت"))
# First names that alone most often name the Prophet, not the one man of a story who bears them.
_PROPHET = frozenset(normalize(w) for w in ("محمد", "أحمد"))
# "The general X for Y" is X of Y (الهيئة العامة للطيران المدني / هيئة الطيران المدني), and a directorate or
# command of a body is that body (مديرية الدفاع المدني / الدفاع المدني).
_GENERAL = frozenset(normalize(w) for w in ("العامة", "العام"))
_OFFICE_HEADS = frozenset(normalize(w) for w in ("مديرية", "إدارة", "قيادة", "رئاسة"))
# Words before a region's name in the gazetteer's forms (منطقة الساحل, دول الساحل), as match-form tokens.
_REGION_WORDS = tuple(name_tokens(w)[0] for w in ("منطقة", "دول"))

# A place's trigger word inside an organisation's name says nothing the place does not (مستشفى مدينة العيون /
# مستشفى العيون; الشؤون الصحية بمحافظة الأحساء / الشؤون الصحية بالأحساء), and a regional health directorate
# is called by the place (صحة الأحساء).
_ORG_TRIGGERS = frozenset(normalize(w) for w in ("محافظة", "منطقة", "مدينة"))
_HEALTH_AFFAIRS = (normalize("الشؤون"), normalize("الصحية"))
_HEALTH = normalize("صحة")
_LONG_VOWELS = str.maketrans("", "", "اويى")
# Letters that transliterations of one foreign sound choose between: g as ج or غ (جولدمان / غولدمان,
# سيرجي / سيرغي), t as ت or ط (أنطونيو / أنتونيو). Folded before rare words are compared. Not ق (also a g
# in some spellings): قاسم and جاسم are two Arabic names.
_FOLD = str.maketrans({"غ": "ج", "ط": "ت"})
_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_QUOTES = re.compile(r"[\"'«»“”„‟‘’‹›]")
_PAREN = re.compile(r"\s*[(\[]\s*([^()\[\]\n]{2,60}?)\s*[)\]]")


@functools.lru_cache(maxsize=1 << 16)
def surface(text: str) -> str:
    """A mention's name as written: quotes and edge punctuation dropped, and a leading title or
    clitic+article (وال بال لل …) removed. A bare one-letter clitic is left for `resolve` to judge."""
    s = _EDGE.sub("", _QUOTES.sub("", text)).strip()
    s = re.sub(r"\s+", " ", s)
    words = s.split(" ")
    while len(words) > 1 and normalize(words[0]) in TITLES:
        words = words[1:]
    first = normalize(words[0]) if words else ""
    if len(first) > 4 and first[0] in "وف" and (first[1:3] in ("ال", "لل") or first[1:4] == "بال"):
        words[0], first = drop_letters(words[0], 1), first[1:]
    if len(first) > 4 and first.startswith("لل"):
        words[0] = "ال" + drop_letters(words[0], 2)
    elif len(first) > 4 and first[0] in "بك" and first[1:3] == "ال":
        words[0] = drop_letters(words[0], 1)
    return " ".join(words)


def drop_letters(word: str, k: int) -> str:
    """`word` without the original characters that make its first `k` match-form letters (and any
    diacritics on them)."""
    seen = 0
    for i, ch in enumerate(word):
        if seen >= k and normalize(ch):
            return word[i:]
        seen += len(normalize(ch))
    return ""


def entity_id_for(entity_type: str, name: str, key: str | None = None) -> str:
    """An entity's id: from its gazetteer key when it has one (the same in every story), else from its
    type and display name."""
    basis = f"key:{key}" if key else f"{entity_type}:{normalize(name)}"
    return "e" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def parenthetical_mentions(article: Article, mentions: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
    """(name, alias) pairs written as `NAME (ALIAS)`: a mention followed by a short parenthetical of at
    most four words with a letter in it; the alias becomes a mention of the same type. A parenthetical
    that follows two different names in the article is a label, not an alias (`من الإمارات (الموسم
    الرابع)` and `من السعودية (الموسم الرابع)`), and is left out; so is one after a place that qualifies the
    phrase before it (`_qualifies`: شركة الاتصالات السعودية (stc) is not Saudi Arabia), and one that does
    not read as another name of it (`_names_it`)."""
    out = []
    for m in mentions:
        hit = _PAREN.match(article.text, m.span.end)
        if not hit or _qualifies(article.text, m):
            continue
        inner = hit.group(1)
        toks = name_tokens(inner)
        if not toks or len(toks) > 4 or re.search(r"\d", inner) or _adjective(toks):
            continue
        span = Span(hit.start(1), hit.end(1))
        if not _names_it(article.text, m, span, toks, mentions):
            continue
        out.append((m, Mention(m.article_id, span, m.label, normalize(inner))))
    names_of: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for m, alias in out:
        names_of[name_tokens(alias.norm)].add(name_tokens(m.norm))
    return [(m, alias) for m, alias in out if len(names_of[name_tokens(alias.norm)]) == 1]


# The prayers of `_NOT_ENTITIES` a name may run on into, longest first.
_GOD = normalize("الله")
_PRAYERS = sorted((t for t in NOT_ENTITIES if len(t) > 1 and _GOD in t), key=lambda t: (-len(t), t))


def _without_prayer(m: Mention, text: str) -> Mention:
    """The mention without a prayer the model ran on into (سعود الفيصل رحمه الله, محمد صلى الله)."""
    if _GOD not in m.norm:  # every prayer of `_PRAYERS` names God; most mentions do not
        return m
    words = list(re.finditer(r"\S+", text[m.span.start : m.span.end]))
    norms = tuple(normalize(w.group()) for w in words)
    for prayer in _PRAYERS:
        k = len(prayer)
        if norms[-k:] != prayer:
            continue
        if len(norms) > k:
            end = m.span.start + words[-k - 1].end()
            return replace(m, span=Span(m.span.start, end), norm=normalize(text[m.span.start : end]))
        return m  # a prayer alone (طيب الله ثراه, not طيب + الله ثراه): `NOT_ENTITIES` leaves it out
    return m


_KUNYA = frozenset(normalize(w) for w in ("أبو", "ابو", "أبي", "أم", "ام"))
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")


def _names_it(text: str, m: Mention, span: Span, toks: tuple[str, ...], mentions: Sequence[Mention]) -> bool:
    """Whether a parenthetical after a mention reads as another name of it, not a note on it. Most are
    notes: a person's role, club, actor, age or a prayer (طيار مقاتل, النصر, رحمه الله), a place's region
    or direction (كولورادو, جنوب, شمال شرق), a list or a photo credit (تصوير: …). A person's other name is
    a kunya (أبو مازن); a place's, a gazetteer name of the same place (عين العرب (كوباني)); an
    organisation's or other name's, a gazetteer name of the same entity (داعش, فيفا), initials (بي بي سي,
    د.ب.أ), Latin letters (OECD), or (not for MISC) a name of its type the tagger found there (ناسا).
    Read on the parentheticals of 8 stored SaudiNewsNet days: 1,310 pairs before, most of them notes;
    365 after, most of them names."""
    inner = text[span.start : span.end]
    if re.search(r"[:،,؛]", inner):
        return False
    if m.label == "PER":
        return toks[0] in _KUNYA
    gaz = gazetteer()
    known, mine = gaz.names.get(toks), gaz.get(text[m.span.start : m.span.end])
    if m.label == "LOC":
        return known is not None and mine is not None and known.key == mine.key
    if known is not None:  # of its type: ميونيخ (ألمانيا), the model's club, is in Germany
        return known.type == m.label and (mine is None or known.key == mine.key)
    if _LATIN.search(inner) and not _ARABIC.search(inner):
        return bool(_ARABIC.search(text[m.span.start : m.span.end]))
    if len(toks) > 1 and all(len(t) <= 2 for t in toks):
        return True
    width = span.end - span.start
    # a name the tagger found inside: for an event or a thing (MISC) that is mostly another thing
    # (بطولة … (أميركا الجنوبية), الحرب العالمية الثانية (كونراد أديناور))
    return m.label != "MISC" and any(
        x.label == m.label and span.start - 1 <= x.span.start and x.span.end <= span.end + 1
        and x.span.end - x.span.start >= 0.7 * width for x in mentions)


def _qualifies(text: str, m: Mention) -> bool:
    """Whether a place mention is an adjective of the phrase before it (شركة الاتصالات السعودية (stc),
    السوق المالية السعودية (تداول), وكالة الأنباء الإيرانية (إرنا)): right after a word with the article,
    so a parenthetical after it names the whole phrase, not the place."""
    if m.label != "LOC":
        return False
    before = text[max(0, m.span.start - 40) : m.span.start].split()
    if not before or text[m.span.start - 1 : m.span.start] != " ":
        return False
    w = normalize(before[-1])
    return w.startswith("ال") and len(w) > 3 and w not in STOPWORDS


def adopt_ids(
    entities: Sequence[Entity], known: Callable[[Sequence[str]], Mapping[str, set[tuple[str, str]]]]
) -> tuple[Entity, ...]:
    """Give each entity the id the store already knows it by, so one person is one entity across
    stories: `known(forms)` maps a name (its match-form words, space-joined) to the (entity id, type)
    pairs stored under it. An entity takes the one stored id of its type that one of its names of two or
    more words is filed under (a one-word name is too weak: two people share a surname); entities of
    the story that take the same id become one."""
    forms = {e.id: sorted({" ".join(t) for t in map(name_tokens, e.aliases) if len(t) > 1}) for e in entities}
    found = known(sorted({f for fs in forms.values() for f in fs}))
    merged: dict[str, Entity] = {}
    for e in entities:
        ids = {eid for f in forms[e.id] for eid, typ in found.get(f, ()) if typ == e.type}
        eid = ids.pop() if len(ids) == 1 else e.id
        prev = merged.get(eid)
        if prev is None:
            merged[eid] = replace(e, id=eid)
            continue
        counts: Counter = Counter(dict(prev.mentions))
        counts.update(dict(e.mentions))
        order = [a for a, _ in prev.mentions] + [a for a, _ in e.mentions if a not in dict(prev.mentions)]
        merged[eid] = replace(prev, aliases=tuple(dict.fromkeys(prev.aliases + e.aliases)),
                              mentions=tuple((a, counts[a]) for a in order))
    return tuple(merged.values())


def skeleton(form: str) -> str:
    """A name's words in match form without their long vowel letters (ا و ي ى), with غ as ج and ط as ت:
    spelling variants of a foreign name share it (بلينكن / بلينكين → بلنكن; سيرجي / سيرغي). What a search
    or a new story looks names up by (stored skeletons were refolded by migration 0010)."""
    return " ".join(w.translate(_FOLD).translate(_LONG_VOWELS) or w for w in name_tokens(form))


def rare_words(form: str, settings: Settings) -> bool:
    """Whether every word of a name is rare in the background corpus (so may be spelled several ways)."""
    toks = name_tokens(form)
    return bool(toks) and all(_rare(t, settings) for t in toks)


def _conjoined(word: str, settings: Settings) -> bool:
    """Whether a name's first word is the conjunction و written onto a word: the word without it is
    commoner in news than with it, by `aliases.conjunction_ratio` (ومعتز, ويوفنتوس, وعبد; not وليد, وزارة,
    واشنطن, وسام, whose rest is rarer or no word). Not ف: foreign names start with it (فريتز, not ريتز)."""
    if len(word) < 4 or word[0] != "و":
        return False
    bare = word_rank(word[1:])
    whole = word_rank(word)
    return bare is not None and (whole is None or whole >= settings.aliases.conjunction_ratio * bare)


def _adjective(toks: tuple[str, ...]) -> bool:
    """A one-word parenthetical that reads as a description, not a name: a stopword or an adjective
    with the article (الرسمية, الأمريكي)."""
    w = toks[0]
    nisba = w.startswith("ال") and w.endswith(("ي", "يه", "يون", "يين"))
    return len(toks) == 1 and (w in STOPWORDS or nisba)


def complete(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    mentions: Sequence[Mention],
    settings: Settings,
) -> list[Mention]:
    """The mentions plus the other occurrences of names already found in the group (the model finds a
    name in one sentence and misses it in the next): every multi-word name, a person's last name, and
    rare one-word names, wherever they stand outside a mention."""
    texts = {a.id: a.text for a in articles}
    rows = []
    # a person's last name too common to look for in the whole group is looked for in the articles that
    # name the person in full (الجندي أول محمد علي العمري ... العمري)
    own: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for m in mentions:
        toks = name_tokens(surface(texts[m.article_id][m.span.start : m.span.end]))
        if toks and toks not in gazetteer().names and _conjoined(toks[0], settings):
            toks = (toks[0][1:], *toks[1:])
        if not toks or toks in TITLE_ONLY or toks in NOT_ENTITIES or any(t in TITLES for t in toks[:1]):
            continue
        form = " ".join(toks)
        if len(toks) > 1:
            rows.append((m.label, m.label, form))
            last = toks[-1]
            if m.label == "PER" and toks[-2] in PARTICLES:
                # the surname is the particle and the word after it (دي مايو, بن لادن), never the word
                # alone: مايو is also May, مازن of أبو مازن another man
                if len(toks) > 2:
                    rows.append((m.label, m.label, " ".join(toks[-2:])))
            elif m.label == "PER" and _surname(last):
                if _rare(last, settings):
                    rows.append((m.label, m.label, last))
                else:
                    own[m.article_id].add((m.label, m.label, last))
        elif len(toks[0]) >= 4 and toks[0] not in GENERIC and _rare(toks[0], settings):
            rows.append((m.label, m.label, form))
    if not rows and not own:
        return list(mentions)
    known = Gazetteer(sorted(set(rows)))
    taken: dict[str, list[Span]] = defaultdict(list)
    for m in mentions:
        taken[m.article_id].append(m.span)
    out = list(mentions)
    for a in articles:
        # the article's own last names after the group's names, so that a full name found again takes
        # its words first
        mine = Gazetteer(sorted(own[a.id])) if own.get(a.id) else None
        for sent in sentences.get(a.id, ()):
            offs, stream = _stream(a.text[sent.span.start : sent.span.end])
            hits = known.find(stream)
            for i, j, entry in hits if mine is None else itertools.chain(hits, mine.find(stream)):
                span = Span(sent.span.start + offs[i][0], sent.span.start + offs[j - 1][1])
                if any(span.start < t.end and t.start < span.end for t in taken[a.id]):
                    continue
                taken[a.id].append(span)
                out.append(Mention(a.id, span, entry.type, normalize(a.text[span.start : span.end])))
    return out


_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


@functools.lru_cache(maxsize=1 << 13)
def _stream(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]]:
    """The word spans of a sentence and their match forms (memoised: a story's sentences are read
    again each time it grows)."""
    offs = tuple((x.start(), x.end()) for x in _TOKEN.finditer(text))
    return offs, tuple(normalize_word(text[x:y]) for x, y in offs)


@dataclass
class _Form:
    text: str
    tokens: tuple[str, ...]
    label_votes: Counter
    per_article: Counter
    first_seen: int
    honored: bool = False
    """Written at least once right after an honorific (`HONORIFICS`): a person's name."""


def _after_honorific(text: str, span: Span, name: str) -> bool:
    """Whether the mention starts with an honorific or follows one, and the name is not a place or body
    behind a preposition (الأستاذ بجامعة ...)."""
    if normalize(name[:1]) in ("ب", "ل"):
        return False
    words = text[span.start : span.end].split()
    if len(words) > 1 and normalize(words[0]) in HONORIFICS:
        return True
    before = _LAST_WORD.search(text, max(0, span.start - 30), span.start)
    return before is not None and normalize(before.group(1)) in HONORIFICS


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _rare(token: str, settings: Settings, max_df: float | None = None) -> bool:
    """Whether a word is rare enough in the background corpus (`aliases.variant_max_df`, or `max_df`) to
    be a foreign name's spelling."""
    bg = background_df()
    limit = settings.aliases.variant_max_df if max_df is None else max_df
    return bg.df.get(stem(token), 0) <= limit * bg.n_docs


def _variant_map(tokens: Counter, settings: Settings) -> dict[str, str]:
    """Each rare word -> the most frequent rare word it is a transliteration variant of."""
    cfg = settings.aliases
    groups: dict[str, list[str]] = defaultdict(list)
    df = background_df().df
    # the most frequent in the group first, then the commonest in the background
    for t in sorted(tokens, key=lambda t: (-tokens[t], -df.get(stem(t), 0), t)):
        if len(t) >= cfg.variant_min_chars and _rare(t, settings, cfg.variant_head_max_df):
            groups[t.translate(_FOLD).translate(_LONG_VOWELS)].append(t)
    out = {}
    for members in groups.values():
        # the head may be a common spelling (داسيلفا); each variant joined to it must be rare
        head = members[0]
        for t in (t for t in members[1:] if _rare(t, settings)):
            if Indel.normalized_similarity(head.translate(_FOLD), t.translate(_FOLD)) * 100 >= (
                cfg.variant_min_ratio
            ):
                out[t] = head
    return out


# Particles that some outlets write apart from the name they begin and others onto it (دا سيلفا /
# داسيلفا, لا ريونيون / لاريونيون).
_JOINABLE = frozenset(normalize(w) for w in ("دا", "دي", "دو", "دل", "ديل", "لا", "لو", "فان", "فون"))
_IBN = normalize("ابن")


def _joined(toks: tuple[str, ...], words: set[str]) -> tuple[str, ...]:
    """A name's words as one key: ابن as بن (ابن لادن / بن لادن), and a particle joined to the next word
    where the group writes them as one word elsewhere (دا سيلفا → داسيلفا)."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = "بن" if toks[i] == _IBN else toks[i]
        if t in _JOINABLE and i + 1 < len(toks) and t + toks[i + 1] in words:
            out.append(t + toks[i + 1])
            i += 2
            continue
        out.append(t)
        i += 1
    return tuple(out)


def _against_key(tokens: tuple[str, ...], gaz: Gazetteer) -> tuple[str, str] | None:
    """(head word, enemy key) of an "X against Y" name (see the module docstring), else None."""
    if len(tokens) < 2:
        return None
    rest = [t for t in tokens[1:] if t not in AGAINST]
    if not rest:
        return None
    hits = list(gaz.find(rest))
    if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(rest) and len(rest) < len(tokens) - 1:
        return tokens[0], hits[0][2].key
    return None


def _most_mentioned(e: Entity) -> tuple[int, str]:
    """Sort key of a group's entities: most mentioned first, then by name."""
    return -sum(n for _, n in e.mentions), e.name


def count_titles(entities: Sequence[Entity], articles: Sequence[Article]) -> tuple[Entity, ...]:
    """The entities with what each article's own headline names of them counted too (by one of their
    forms): a headline often names what its body only refers to (اليمن, مطار عدن). A title made from the
    first sentence is not counted again. Most mentioned first, as `resolve` gives them."""
    gaz = Gazetteer([(e.id, e.type, form) for e in entities for form in e.aliases])
    lasts = _last_names(entities)
    present = {e.id: set(e.articles) for e in entities}
    extra: dict[str, Counter] = defaultdict(Counter)
    forms: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        if not a.title or a.title_derived:
            continue
        stream = _stream(a.title)[1]
        covered: set[int] = set()
        for i, j, entry in gaz.find(stream):
            extra[entry.key][a.id] += 1
            covered.update(range(i, j))
        # a person's last name alone (الشهيدين المجايشي والعمري), when the article names one person of
        # the story by it
        for k, w in enumerate(stream):
            if k in covered:
                continue
            for last in unclitic(w):
                own = [(eid, form) for eid, form in lasts.get(last, ()) if a.id in present[eid]]
                if len(own) == 1:
                    eid, form = own[0]
                    extra[eid][a.id] += 1
                    forms[eid].add(form)
                    break
    if not extra:
        return tuple(entities)
    order = {a.id: i for i, a in enumerate(articles)}
    out = []
    for e in entities:
        if e.id in extra:
            counts = Counter(dict(e.mentions))
            counts.update(extra[e.id])
            by_order = sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order)))
            new = sorted(forms.get(e.id, set()) - set(e.aliases))
            e = replace(e, mentions=tuple(by_order), aliases=(*e.aliases, *new))
        out.append(e)
    return tuple(sorted(out, key=_most_mentioned))


def _surname(word: str) -> bool:
    """Whether a match-form word, last in a person's name, may stand for the person alone: four letters
    or more, and no generic word."""
    return len(word) >= 4 and word not in GENERIC


def _last_names(entities: Sequence[Entity]) -> dict[str, list[tuple[str, str]]]:
    """Match form of a last name -> (person's entity id, the last name as its forms write it), for each
    person with a name of two words or more whose last word is a `_surname`."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for e in entities:
        if e.type != "PER":
            continue
        seen: set[str] = set()
        for form in e.aliases:
            words = form.split()
            last = normalize(words[-1]) if len(words) > 1 else ""
            if _surname(last) and last not in seen:
                seen.add(last)
                out[last].append((e.id, words[-1]))
    return out


def _org_forms(k: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Shorter forms an organisation's name stands for: without a place's trigger word (مستشفي مدينه
    العيون -> مستشفي العيون; بمحافظه الاحساء -> بالاحساء) or a last العام; a health directorate by its
    place (الشوون الصحيه بالاحساء -> صحه الاحساء); "the general X for Y" as "X Y" (الهييه العامه للطيران
    المدني -> هييه الطيران المدني); and the body an office head names (مديريه الدفاع المدني -> الدفاع
    المدني; القياده العامه لطيران الامن -> قياده طيران الامن -> طيران الامن)."""
    out = []
    for i in range(1, len(k) - 1):  # مستشفي مدينه العيون, الشوون الصحيه بمحافظه الاحساء
        w, nxt = k[i], k[i + 1]
        if w in _ORG_TRIGGERS:
            out.append((*k[:i], *k[i + 1 :]))
        elif w[:1] == "ب" and w[1:] in _ORG_TRIGGERS:
            out.append((*k[:i], "ب" + nxt, *k[i + 2 :]))
    if len(k) >= 3 and k[-1] in _GENERAL and k[0] not in _GENERAL:  # مستشفي العيون العام
        out.append(k[:-1])
    for form in [k, *out]:
        if form[:2] == _HEALTH_AFFAIRS and len(form) == 3 and form[2].startswith("بال"):
            out.append((_HEALTH, form[2][1:]))  # الشوون الصحيه بالاحساء -> صحه الاحساء
            break
    if len(k) >= 3 and k[0].startswith("ال") and k[1] in _GENERAL and k[2][:1] == "ل":
        rest = "ال" + k[2][2:] if k[2].startswith("لل") else k[2][1:]
        k = (k[0][2:], rest, *k[3:])
        out.append(k)
    if len(k) >= 2 and k[0] in _OFFICE_HEADS and len(k[1]) >= 3:
        out.append(k[1:])
    return out


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether the words of `short` appear in `long` in the same order."""
    it = iter(long)
    return all(w in it for w in short)


def _chain_words(k: tuple[str, ...]) -> list[str]:
    """A person's names after the first, without particles (بن, أبو, آل) and generic words (عبد)."""
    return [t for t in k[1:] if t not in PARTICLES and t not in GENERIC]


def _one_chain(a: tuple[str, ...], b: tuple[str, ...], shared: int) -> bool:
    """Whether two long forms of a person's name (first name, father's, grandfather's …, family or tribe)
    name one person: the same first and father's names, at least `shared` names after the first in
    common, and neither ends with a family name the other lacks (محمد بن سليمان بن محمد الجاسر and … العجاجي
    are two people; cousins share a first name, a grandfather's and the family's, not the father's)."""
    ca, cb = _chain_words(a), _chain_words(b)
    if a[0] != b[0] or not ca or not cb or ca[0] != cb[0] or len(set(ca) & set(cb)) < shared:
        return False
    return a[-1] == b[-1] or a[-1] in b or b[-1] in a


def _short_of(form: str, other: str, entity_type: str) -> bool:
    """Whether `form` is a short form of `other`: its first words, or (a person's) its last words. A
    person's name goes on after its first words with one more name or a particle (محمد بن نايف → محمد بن
    نايف بن عبدالعزيز; ناصر → ناصر بوريطة); two words more without one are the model running past the
    name (محمد بن نايف بن عبدالعزيز اتصالاً هاتفيا), not a fuller name."""
    a, b = name_tokens(form), name_tokens(other)
    if len(b) <= len(a):
        return False
    if entity_type == "PER":
        rest = b[len(a) :]
        head = b[: len(a)] == a and (len(rest) == 1 or rest[0] in PARTICLES)
        return head or b[-len(a) :] == a
    return b[: len(a)] == a


def resolve(
    mentions: Sequence[Mention],
    texts: Mapping[str, str],
    settings: Settings,
    aliases: Sequence[tuple[Mention, Mention]] = (),
    gaz: Gazetteer | None = None,
) -> tuple[tuple[Entity, ...], tuple[Mention, ...]]:
    """Merge mentions (of one article, a story, or any set of articles) into entities.

    `texts` maps article id -> its text (mention spans point into it); `aliases` are (name, alias) pairs
    (`parenthetical_mentions`). Returns the entities (most mentioned first) and the mentions with their
    `entity_id` set; a mention that is nothing but a title is dropped.
    """
    gaz = gaz or gazetteer()
    pair_list = list(aliases)
    all_mentions = list(mentions) + [a for _, a in pair_list]
    order = {aid: i for i, aid in enumerate(dict.fromkeys(m.article_id for m in all_mentions))}

    # 1. forms: the name as written, by match-form words
    written: list[tuple[Mention, str, tuple[str, ...]]] = []
    for m in all_mentions:
        m = _without_prayer(m, texts[m.article_id])
        text = surface(texts[m.article_id][m.span.start : m.span.end])
        toks = name_tokens(text)
        if (not toks or toks in TITLE_ONLY or toks in NOT_ENTITIES or all(t in TITLES for t in toks)
                or len("".join(toks)) < 2):
            continue
        if len(toks) == 1 and len(toks[0]) < 3 and toks not in gaz.names:
            continue  # لي, بي, سي: a word or a piece of an acronym the model took for a name
        written.append((m, text, toks))
    known = {toks for _, _, toks in written} | set(gaz.names)

    # 2. a one-letter clitic stripped where the rest is a known name
    def unclitic(text: str, toks: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        if toks in gaz.names or toks[0][:1] not in "وفبلك" or len(toks[0]) < 4:
            return text, toks
        bare = (toks[0][1:], *toks[1:])
        if bare in known or _conjoined(toks[0], settings):
            return drop_letters(text, 1), bare
        return text, toks

    written = [(m, *unclitic(text, toks)) for m, text, toks in written]

    # 3. transliteration variants of rare words
    word_counts: Counter = Counter(t for _, _, toks in written for t in toks)
    variant = _variant_map(word_counts, settings)

    forms: dict[tuple[str, ...], _Form] = {}
    mention_form: list[tuple[Mention, tuple[str, ...]]] = []
    seen_words = set(word_counts)
    for i, (m, text, toks) in enumerate(written):
        key = _joined(tuple(variant.get(t, t) for t in toks), seen_words)
        f = forms.get(key)
        if f is None:
            f = forms[key] = _Form(text, key, Counter(), Counter(), i)
        f.label_votes[m.label] += 1
        f.per_article[(m.article_id, text)] += 1
        f.honored = f.honored or _after_honorific(texts[m.article_id], m.span, text)
        mention_form.append((m, key))
    keys = sorted(forms, key=lambda k: forms[k].first_seen)
    index = {k: i for i, k in enumerate(keys)}
    uf = _Union()
    for i in range(len(keys)):
        uf.find(i)

    gaz_entry = gaz.names.get

    # 4. one gazetteer key, one entity
    by_key: dict[str, int] = {}
    for k in keys:
        e = gaz_entry(k)
        if e is not None:
            if e.key in by_key:
                uf.union(by_key[e.key], index[k])
            else:
                by_key[e.key] = index[k]

    # 4b. a known place named without the region word of its gazetteer form (الساحل, as the model finds it
    #     in منطقتي الساحل, of منطقة الساحل), where the group names that place: alone, الساحل is any coast
    for k in keys:
        if gaz_entry(k) is None and forms[k].label_votes.most_common(1)[0][0] == "LOC":
            for word in _REGION_WORDS:
                e = gaz_entry((word, *k))
                if e is not None and e.type == "LOC" and e.key in by_key:
                    uf.union(by_key[e.key], index[k])
                    break

    # 5. parentheticals
    texts_of = {id(m): k for m, k in mention_form}
    for name, alias in pair_list:
        a, b = texts_of.get(id(name)), texts_of.get(id(alias))
        if a is not None and b is not None:
            uf.union(index[a], index[b])

    # 6. "X against Y"
    against: dict[tuple[str, str], int] = {}
    for k in keys:
        ak = _against_key(k, gaz)
        if ak is not None:
            if ak in against:
                uf.union(against[ak], index[k])
            else:
                against[ak] = index[k]

    def majority(k: tuple[str, ...]) -> str:
        e = gaz_entry(k)
        if e is not None:
            return e.type
        return "PER" if forms[k].honored else forms[k].label_votes.most_common(1)[0][0]

    kind = {k: majority(k) for k in keys}

    # 6b. an organisation's shorter forms (`_org_forms`): one the group writes, or one two of its names share
    shorter: dict[tuple[str, ...], int] = {}
    for k in keys:
        if kind[k] == "ORG" and gaz_entry(k) is None:
            for other in _org_forms(k):
                if other in index and kind[other] == "ORG":
                    uf.union(index[k], index[other])
                elif other in shorter:
                    uf.union(shorter[other], index[k])
                else:
                    shorter[other] = index[k]

    # 6c. one name written with and without a space (مطار بلاك بوش / مطار بلاكبوش)
    by_letters: dict[str, int] = {}
    for k in keys:
        letters = "".join(k)
        if len(k) > 1 or len(letters) >= 6:
            if letters in by_letters and kind[keys[by_letters[letters]]] == kind[k]:
                uf.union(by_letters[letters], index[k])
            else:
                by_letters.setdefault(letters, index[k])

    # 7. one person under two long forms of a name chain (أحمد جعفر حسن المجيشي / أحمد جعفر المجيشي
    #    البارقي; سعد بن محمد مارق / سعد محمد مارق): `_one_chain`
    long_people = [k for k in keys if len(k) >= 3 and kind[k] == "PER" and gaz_entry(k) is None
                   and k[0] not in PARTICLES and k[0] not in GENERIC]
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for k in long_people:
        by_first[k[0]].append(k)
    for group in by_first.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _one_chain(a, b, settings.aliases.chain_shared):
                    uf.union(index[a], index[b])

    # 8. short forms: a person's last name(s) or first names, an organisation's or place's leading words
    #    (its head: التحالف الدولي → التحالف الدولي ضد داعش; the tail of one names something else)
    # longest first, so that the longer names a short form may belong to are already one where they can be
    # a longer name a short form may belong to starts with its first word or ends with its last
    by_edge: dict[tuple[int, str], list[tuple[str, ...]]] = defaultdict(list)
    for k in keys:
        by_edge[(0, k[0])].append(k)
        by_edge[(-1, k[-1])].append(k)
    for k in sorted(keys, key=lambda k: (-len(k), index[k])):
        if gaz_entry(k) is not None:
            continue  # a known name (سوريا, تنظيم داعش) is its own entity, not part of a longer one
        if (len(k) == 1 and (k[0] in GENERIC or len(k[0]) < 3)) or all(t in GENERIC for t in k):
            continue
        typ = kind[k]
        # a rare first name alone (زلاتان, نيمار) is the one person the group names with it; a common one
        # (محمد, خالد, فيصل) often another: the Prophet, a king of the past, a place's namesake
        rare_first = len(k) == 1 and _rare(k[0], settings)
        roots, fitting = set(), set()
        for other in dict.fromkeys([*by_edge.get((0, k[0]), ()), *by_edge.get((-1, k[-1]), ())]):
            if len(other) <= len(k):
                continue
            o_typ = kind[other]
            person = typ == "PER" or o_typ == "PER"
            # a person's first and family name out of a longer chain (محمد العمري, محمد علي العمري of
            # محمد بن علي ياسين العمري)
            ends = len(k) > 1 and k[0] == other[0] and k[-1] == other[-1]
            chain = person and ends and _subsequence(k, other)
            if other[: len(k)] != k and other[-len(k) :] != k and not chain:
                continue
            if other[: len(k)] != k and not chain and other[-len(k) - 1] in _SON_OF:
                continue  # محمد بن سلمان بن عبدالعزيز is the son of سلمان بن عبدالعزيز, not him
            if person:
                # a one-word first name is too weak (محمد); the model often types a person's full
                # name as a place, so the short form's type decides
                fits = other[-len(k) :] == k or len(k) > 1 or (typ == o_typ == "PER" and rare_first)
                same = o_typ == typ or gaz_entry(other) is None
            else:
                # a club is named with or without its head word (الأهلي, نادي الأهلي)
                club = len(other) == len(k) + 1 and other[0] in _CLUB_HEADS and other[1:] == k
                fits, same = other[: len(k)] == k or club, o_typ == typ or club
            if same:
                roots.add(uf.find(index[other]))
                if fits:
                    fitting.add(uf.find(index[other]))
        if len(roots) == 1 and fitting:
            uf.union(index[k], roots.pop())

    # 9. a first name alone, of the one person of the group named by a chain that starts with it (فيصل of
    #    فيصل بن خالد بن عبدالعزيز, سلمان of سلمان بن عبدالعزيز, أسامة of أسامة بن لادن): a chain is how news
    #    first names a prince or a family's son, and the first name is what it calls him after. Not when
    #    another person of the group starts or ends with that name (سلمان beside محمد بن سلمان), nor the
    #    Prophet's names.
    people: dict[str, set[int]] = defaultdict(set)
    ending: dict[str, set[int]] = defaultdict(set)
    chained: set[str] = set()
    for k in keys:
        if len(k) >= 2 and kind[k] == "PER":
            people[k[0]].add(uf.find(index[k]))
            ending[k[-1]].add(uf.find(index[k]))
            if len(k) >= 3 and k[1] in _SON_OF:
                chained.add(k[0])
    for k in keys:
        first = k[0]
        if (len(k) == 1 and kind[k] == "PER" and first in chained and len(people[first]) == 1
                and ending[first] <= people[first] and first not in _PROPHET and len(first) >= 3):
            uf.union(index[k], next(iter(people[first])))

    # entities
    groups: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    for k in keys:
        groups[uf.find(index[k])].append(k)
    entities = []
    entity_of: dict[tuple[str, ...], str] = {}
    for members in groups.values():
        surface_counts: Counter = Counter()
        per_article: Counter = Counter()
        votes: Counter = Counter()
        gkey = None
        honored = False
        for k in members:
            f = forms[k]
            votes.update(f.label_votes)
            honored = honored or f.honored
            for (aid, text), n in f.per_article.items():
                surface_counts[text] += n
                per_article[aid] += n
            e = gaz_entry(k)
            if e is not None and gkey is None:
                gkey = e
        if gkey is not None:
            typ = gkey.type
        elif honored:
            typ = "PER"
        else:
            typ = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        ranked = sorted(surface_counts, key=lambda s: (-surface_counts[s], -len(s), s))
        # the most frequent full form: not a person's last or first name alone, not the head of a
        # longer organisation or place name (التحالف الدولي of التحالف الدولي ضد داعش)
        full = [s for s in ranked if not any(_short_of(s, o, typ) for o in ranked)]
        name = (full or ranked)[0]
        eid = entity_id_for(typ, name, gkey.key if gkey is not None else None)
        for k in members:
            entity_of[k] = eid
        mentions_per = tuple(sorted(per_article.items(), key=lambda kv: order[kv[0]]))
        entities.append(Entity(eid, name, typ, tuple(ranked), mentions_per))
    entities.sort(key=_most_mentioned)
    out_mentions = tuple(replace(m, entity_id=entity_of[k]) for m, k in mention_form)
    return tuple(entities), out_mentions


# --- people called by their post ----------------------------------------------------------------------

# Words that open a person's post written beside the name (وزير الخارجية الأمريكي أنتوني بلينكن; ناصر بوريطة
# وزير الشؤون الخارجية والتعاون الإفريقي في المغرب).
_POST_HEADS = frozenset(normalize(w) for w in [
    "وزير", "وزيرة", "رئيس", "رئيسة", "مدير", "مديرة", "نائب", "مساعد", "مساعدة", "وكيل", "وكيلة", "الأمين",
    "أمين", "المتحدث", "متحدث", "الناطق", "ناطق", "السفير", "سفير", "المستشار", "مستشار", "المندوب", "مندوب",
    "محافظ", "قائد",
])
# At most this many words from a post's first word to the name, or after the name up to a stop.
_POST_WORDS = 10
# Inside a post, of the stopwords only these prepositions (رئيس مجلس قضاء الخالدية في محافظة الأنبار); any
# other (إن, قال, الذي) or a royal or religious title ends it, whose name is another person's.
_POST_LINKS = frozenset(normalize(w) for w in ("في", "عن", "من", "على", "إلى", "الى", "لدى"))
_ROYAL = frozenset(normalize(w) for w in [
    "الملك", "الملكة", "الأمير", "الأميرة", "الشيخ", "الشيخة", "الإمام", "خادم", "سمو", "السمو", "صاحب",
    "الملكي", "جلالة", "سماحة", "فضيلة",
])
# Words around a name that make it part of a longer one (آل سعود, سعود بن فيصل, عبد الله)
_IN_CHAIN = PARTICLES | _SON_OF | {normalize("عبد")}
# A post written alone names the one person whose post beside a name holds this share of its words.
_POST_COVER = 0.8
_STOPS = frozenset(".,،؛;:!?؟()[]«»\"“”\n")


# A word that makes a post another person's: the former minister is not the minister.
_FORMER = frozenset(normalize(w) for w in ("السابق", "السابقة", "الأسبق", "الأسبقة", "سابق", "سابقا"))


def _post_words(norms: Sequence[str]) -> tuple[str, frozenset[str]]:
    """A post's first word (its head: وزير, نائب) and its content words: match forms without a leading
    و/ف/ب/ل before ال, nor ال; no stopwords; a word that says "former" kept as such."""
    out = set()
    head = ""
    for w in norms:
        w = next((x for x in unclitic(w) if x in _POST_HEADS), w)
        head = head or w
        if w in _FORMER:
            w = "<former>"
        if w[:1] in "وفبل" and len(w) > 4 and w[1:3] == "ال":
            w = w[1:]
        w = w[2:] if w.startswith("ال") and len(w) > 4 else w
        if len(w) > 1 and w not in STOPWORDS and not w.isdigit():
            out.add(w)
    return head.removeprefix("ال"), frozenset(out)


def _outside_post(norm: str) -> bool:
    return any((x in STOPWORDS and x not in _POST_LINKS) or x in _ROYAL for x in unclitic(norm))


def _is_post_head(norm: str) -> bool:
    """A post's first word, bare or after a clitic (ووزير)."""
    return any(x in _POST_HEADS for x in unclitic(norm))


def person_titles(
    entities: Sequence[Entity], texts: Mapping[str, str]
) -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Each person's posts as the articles write them right beside one of the person's names
    (`_post_words` of each): before it, from a post word (`_POST_HEADS`) across honorifics (وزير الخارجية
    الأمريكي السيد أنتوني بلينكن), or after it up to a stop (ناصر بوريطة وزير الشؤون الخارجية …،). Read by
    `title_holder`, for a speaker quoted by post alone."""
    names: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    owner: dict[str, set[str]] = defaultdict(set)  # a word of a person's name -> the people it names
    for e in entities:
        if e.type == "PER":
            for a in e.aliases:
                toks = name_tokens(a)
                if toks:
                    names[toks[0]].append((toks, e.id))
                for t in toks:
                    owner[t].add(e.id)

    def other(norm: str, eid: str) -> bool:  # a word of another person's name (ونظيره الأمريكي أنتوني بلينكن)
        return any(owner.get(x, {eid}) - {eid} for x in unclitic(norm))

    out: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for text in texts.values() if names else ():
        words = word_offsets(text)
        norms = [w for _, _, w in words]
        # breaks[i]: a stop between word i and word i + 1
        breaks = [any(c in _STOPS for c in text[a[1] : b[0]]) for a, b in itertools.pairwise(words)]
        # a stop other than a comma (a post may stand between commas before the name: المتحدث باسم الوزارة،
        # تيسير المفرج، … ; not before a colon or a quote: … في مؤتمر صحفي: "الأمير سعود …")
        hard = [any(c in _STOPS and c not in ",،" for c in text[a[1] : b[0]])
                for a, b in itertools.pairwise(words)]
        for i, w in enumerate(norms):
            for toks, eid in (x for first in unclitic(w) for x in names.get(first, ())):
                end = i + len(toks)
                if tuple(norms[i + 1 : end]) != toks[1:] or (i > 0 and norms[i - 1] in _IN_CHAIN) or (
                        end < len(norms) and norms[end] in _IN_CHAIN):
                    continue
                k = i - 1
                while k >= 0 and (norms[k] in HONORIFICS or norms[k] in _ROYAL) and not breaks[k]:
                    k -= 1
                for h in range(k, max(-1, k - _POST_WORDS), -1):
                    if (hard[h] if h == k else breaks[h]) or other(norms[h], eid):
                        break
                    if _is_post_head(norms[h]):
                        while h > 0 and not breaks[h - 1] and norms[h - 1] in _POST_HEADS:
                            h -= 1  # نائب رئيس مجلس الوزراء, مساعد وزير الخارجية: the whole post
                        out[eid].append(_post_words(norms[h : k + 1]))
                        break
                    if _outside_post(norms[h]):
                        break
                # after the name, a post of its own: not "and the minister …", the next person's
                if end < len(norms) and not breaks[end - 1] and norms[end] in _POST_HEADS:
                    stop = end + 1
                    # up to the next post after "and" (ووزير …), an honorific, a clause word or a name
                    while (stop < min(len(norms), end + _POST_WORDS) and not breaks[stop - 1]
                           and norms[stop] not in HONORIFICS
                           and (norms[stop] in _POST_HEADS or not _is_post_head(norms[stop]))
                           and not _outside_post(norms[stop]) and not other(norms[stop], eid)):
                        stop += 1
                    out[eid].append(_post_words(norms[end:stop]))
    return out


def title_holder(phrase: str, titles: Mapping[str, Sequence[tuple[str, frozenset[str]]]]) -> str | None:
    """The id of the one person (`person_titles`) whose post written beside a name has the same first
    word and holds most (`_POST_COVER`) of the words of `phrase`, a post written alone (a speaker: وزير
    الشؤون الخارجية والتعاون الإفريقي والمغاربة المقيمين بالخارج), both former or neither; or None: when it
    opens with no post word, says too little to tell one post from another (وزير الخارجية: two ministers
    in one story), or fits several people (نائب رئيس مجلس الوزراء is not رئيس مجلس الوزراء)."""
    norms = [w for _, _, w in word_offsets(phrase)]
    while norms and norms[0] in HONORIFICS:
        norms = norms[1:]
    if not norms or not _is_post_head(norms[0]):
        return None
    head, want = _post_words(norms)
    if len(want) < 3:
        return None
    need = _POST_COVER * len(want)
    former = "<former>" in want
    fits = {eid for eid, posts in titles.items()
            if any(h == head and len(want & p) >= need and ("<former>" in p) == former for h, p in posts)}
    return fits.pop() if len(fits) == 1 else None
