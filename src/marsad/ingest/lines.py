"""What a line of a scraped news page is: title, date line, byline, label, appeal, share bar, credit.

Scraped article text carries page furniture between and around the paragraphs: section labels, icon
captions, font-size controls, app/donation/social appeals, share bars, related-article headings,
bylines, source lines and credits. Ingest uses these recognisers to find the title and the outlet of
bare text; `marsad.clean` uses them to drop the furniture. They are general patterns of Arabic news
pages (word lists in `resources/outlets.toml` and `resources/page_lines.toml`), matched on the match
form (`marsad.text.normalize`) so spelling variants need no separate cases. Nothing here drops or
changes text: every function only answers a question about one line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from importlib import resources
from types import MappingProxyType

from marsad.extract.time import read_date_line
from marsad.model import Span
from marsad.text.normalize import normalize, normalize_map


def _lexicon(name: str) -> MappingProxyType[str, tuple[str, ...]]:
    """A word-list file of `resources/`, read-only."""
    text = resources.files("marsad").joinpath(f"resources/{name}").read_text(encoding="utf-8")
    return MappingProxyType({key: tuple(values) for key, values in tomllib.loads(text).items()})


def _norm_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(" ".join(normalize(w).split()) for w in words)


def _alt(words: Iterable[str]) -> str:
    forms = sorted({" ".join(normalize(w).split()) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)


_OUTLETS = _lexicon("outlets.toml")
_PAGE = _lexicon("page_lines.toml")

SECTION_LABELS = _norm_set(_PAGE["section_labels"])
GENERIC_SOURCES = _norm_set(_OUTLETS["generic_sources"])
AGENCIES = _norm_set(_OUTLETS["agencies"])
_SHARE_WORDS = _norm_set(_PAGE["share_words"])
_OPENERS = _norm_set(_PAGE["sentence_openers"])
_COMPLEMENTISERS = _norm_set(_PAGE["complementisers"])
# Share-bar words that are also ordinary words: a line of only these is not a share bar.
_WEAK_SHARE = _norm_set(["على", "عبر", "في", "هذا", "هذه", "المقال", "الخبر", "الموضوع", "اب", "ان", "بريد"])

_MEDIA_WORDS = [normalize(w).removeprefix("ال") for w in _OUTLETS["media_words"]]
_MEDIA = re.compile(rf"(?<!\w)[وفبلك]?(?:ال|ل)?(?:{_alt(_MEDIA_WORDS)})(?!\w)")
_AGENCY = re.compile(rf"(?<!\w)(?:{_alt(_OUTLETS['agencies'])})(?!\w)")
_RELATED = re.compile(
    rf"^\W*(?:{_alt(_PAGE['related_headings'])})\s*(?:$|[:：\-–—|»>›.]+)"
    r"|^\W*(?:اقرا|اقرئي|اقراوا|شاهد|شاهدي|طالع)\s+(?:ايضا|كذلك|المزيد)(?!\w)"
)

_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?<!\.)[.!؟?](?:[\"'”»)\]]*)$")
_CLAUSE_MARK = re.compile(r"[،؛;,]")
_TERMINAL = re.compile(r"[.!؟?:؛;،,]\W*$")

_ICON = re.compile(
    r"^\W*(?:camera|tag|video|photo|image|picture|clock|time|calendar|user|author|comments?|share|print"
    r"|eye|views?|location|map|play|folder|facebook|twitter|whatsapp|mail|link|اي?قونه)[\s_-]*(?:icon)?",
    re.IGNORECASE,
)
_ICON_WORD = re.compile(r"icon|ايقونه|أيقونة", re.IGNORECASE)
_FONT = re.compile(r"^(?:[\s+\-−–|/()]|\ba\b|(?<!\w)ع(?!\w)|تكبير|تصغير|الخط|حجم|font|size)+$")
_FONT_MARK = re.compile(
    r"[+\-−–]\s*(?:a|ع)(?!\w)|(?<!\w)(?:a|ع)\s*[+\-−–]|تكبير|تصغير|حجم الخط|(?<!\w)ع(?!\w)"
)

_APP = re.compile(
    r"^\W*(?:حمل|حملوا|حملي|نزل|نزلوا|نزلي|قم\s+بتحميل|قوموا\s+بتحميل|تحميل|لتحميل|ثبت|ثبتوا|جرب|download)"
    r"\s+(?:ال)?(?:تطبيق|app)"
    r"|^\W*(?:\S+\s+){0,3}تطبيق.{0,40}(?:هاتفك|جوالك|موبايلك|هاتفكم|جوالكم|جهازك|لديك)(?!\w)"
)
_APP_NAME = re.compile(
    r"(?:حمل|حملوا|حملي|نزل|نزلوا|تحميل|لتحميل|ثبت|ثبتوا|جرب)\s+تطبيق\s+(?P<name>[^\s:،,.].{0,40}?)"
    r"\s*(?:$|[:،,.!]|\s(?:علي|عبر|من|الان|مجانا|ليصلك|لتصلك|للهواتف|لهاتفك|وتابع))"
)
_DONATION = re.compile(
    r"^\W*ادعم(?:وا|ي|نا)?(?!\w)"
    r"|اضغط\s+هنا\s+(?:لل|ل)?(?:مساهمه|تبرع|دعم)"
    r"|(?<!\w)(?:تبرع|تبرعوا|ساهم|ساهموا)\s+(?:الان|معنا|لدعم|في\s+دعم|بدعم)"
    r"|دولارا?\s+واحدا?\s+(?:شهريا|في\s+الشهر)"
    r"|(?:^|\s)و?نحن\s+بحاجت(?:ك|كم)|بحاجه\s+(?:الي|ل)\s*دعم|لنبقي\s+مستقلين|بدعمكم?\s+نستمر"
    r"|(?:كن|كوني|اصبح)\s+داعما|become\s+a\s+(?:supporter|member)|(?<!\w)donate(?!\w)"
)
_DONATION_NAME = re.compile(r"^\W*ادعم(?:وا|ي)?\s+(?P<name>\S+(?:\s+\S+){0,2}?)\s*[.!]*$")
_SOCIAL = re.compile(
    r"^\W*(?:تابعونا|تابعنا|تابعوا|تابع|تابعي|اشترك|اشتركوا|اشتركي|انضم|انضموا|انضمي|للاشتراك|لمتابعه|"
    r"لمتابعتنا|سجل|follow|subscribe|join)(?!\w)"
)
_PLATFORM = re.compile(
    r"تويتر|فيسبوك|فيس\s+بوك|تلغرام|تيليجرام|تيليغرام|يوتيوب|انستغرام|انستجرام|انستقرام|واتساب|واتس\s+اب"
    r"|قناتنا|صفحتنا|حسابنا|حساباتنا|النشره|نشرتنا|البريديه|[جغق]وجل\s+نيوز|google\s+news|twitter|facebook"
    r"|telegram|youtube|instagram|whatsapp|newsletter|التواصل\s+الاجتماعي|موقعنا|تطبيقنا"
)
_SOURCE = re.compile(r"^\W*(?:المصدر|مصدر\s+الخبر|المصدر\s+الاصلي|المصادر|source|نقلا\s+عن)\s*(?:[:：\-–]|$)")
_SOURCE_VALUE = re.compile(r"^\W*(?:المصدر|مصدر\s+الخبر|source)\s*[:：]\s*(?P<value>.+?)\s*$")
_NAQLAN = re.compile(r"^\W*نقلا\s+عن\s+\S+(?:\s+\S+){0,4}\W*$")
# Byline labels: "بقلم"/"by" stand alone ("بقلم سلمى الحربي"); the others also start ordinary
# sentences or headings ("متابعة الخوارج …"), so they need a colon or dash ("كتب - …", "تحرير: …").
_BYLINE = re.compile(
    r"^\W*(?:(?P<strong>بقلم|by)|كتب|كتبت|كتبه|كتبته|اعداد|اعدته|اعده|تحرير|حوار|ترجمه|تقرير|متابعه|"
    r"متابعات|تصوير|مراسل|مراسله|من\s+مراسل)(?!\w)\s*(?P<colon>[:：\-–—])?"
)
_COPYRIGHT = re.compile(
    r"(?:^|\s)(?:©|\(c\)|copyright|جميع\s+الحقوق\s+محفوظه|حقوق\s+النشر\s+محفوظه|الحقوق\s+محفوظه)"
)
_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<a>[^\d|.،,©]{2,40}?)\s*(?:$|[|.،,]|جميع)"
    r"|محفوظه\s*(?:ل|الي|ل\s+)\s*(?P<b>[^|.،,©]{2,40}?)\s*(?:$|[|.،,©]|\d)"
)
_TAGS = re.compile(
    r"^\W*(?:الوسوم|وسوم|الكلمات\s+المفتاحيه|كلمات\s+مفتاحيه|كلمات\s+دلاليه|الكلمات\s+الدلاليه|tags|"
    r"هاشتاج|هاشتاغ|مواضيع|الموضوعات|تصنيفات|التصنيف|سمات)\s*[:：]"
)
_LINK_ONLY = re.compile(r"^\W*(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+)\W*$", re.IGNORECASE)
_LINK_LINE = re.compile(r"^\W*رابط\s+(?:الخبر|المقال|الماده|الموضوع)(?!\w)")
_BREADCRUMB = re.compile(r"\s*[»>›/|\"]\s*")  # the match form turns » into "
_DASH_BYLINE = re.compile(r"^\W*\S+(?:\s+\S+){0,3}?\s*[-–—]\s*\S+(?:\s+\S+){0,3}?\s*[:：]?\W*$")

APPEALS = frozenset({"app-appeal", "donation-appeal", "social-appeal"})
"""Removal reasons that are appeals to the reader (they pull neighbouring slogans with them)."""


def norm_line(line: str) -> str:
    """The match form of a line with runs of whitespace collapsed (what every recogniser reads)."""
    return " ".join(normalize(line).split())


def words(norm: str) -> list[str]:
    """The words (letters/digits runs) of a match-form line."""
    return _WORD.findall(norm)


def ends_sentence(line: str) -> bool:
    """True when the line ends like a sentence (one `.`, `!` or `؟`, not an ellipsis `..`)."""
    return _SENTENCE_END.search(line.rstrip()) is not None


def is_section_label(norm: str) -> bool:
    """A lone section label (`أخبار`) or a breadcrumb of them (`الرئيسية » أخبار » سياسة`)."""
    bare = norm.strip(" :.-–—|»>›\"")
    if bare in SECTION_LABELS:
        return True
    parts = [p for p in _BREADCRUMB.split(bare) if p]
    return len(parts) >= 2 and all(p in SECTION_LABELS for p in parts)


def is_related_heading(norm: str) -> bool:
    """The heading of a related-article block (`مقالات متعلقة`, `اقرأ أيضاً: …`)."""
    return _RELATED.search(norm) is not None


def heading_carries_title(norm: str) -> bool:
    """True when a related-article heading line also holds the linked title (`اقرأ أيضاً: …`)."""
    m = _RELATED.search(norm)
    return m is not None and _WORD.search(norm, m.end()) is not None


def opens_sentence(word: str) -> bool:
    """A match-form word that opens or continues a sentence (`قال`, `وأضاف`, `كما`, `فيما`)."""
    return word in _OPENERS or (word[:1] in ("و", "ف") and word[1:] in _OPENERS)


def reads_as_prose(norm: str, max_words: int) -> bool:
    """True when a short match-form line reads as running text rather than a headline or link title.

    Signs of prose: more than `max_words` words, a clause mark (`،` `؛`), a first word that opens or
    continues a sentence (`قال …`, `كما …`, any `و…`), or a complementiser (`أن`, `إن`, `بأنه`).
    Headlines rarely show any of them (a few start with a noun in و, `وزير …`: those count as prose,
    which only keeps a line that might have gone).
    """
    ws = words(norm)
    if not ws:
        return False
    first = ws[0]
    return (
        len(ws) > max_words
        or _CLAUSE_MARK.search(norm) is not None
        or (first.startswith("و") and len(first) >= 3)
        or opens_sentence(first)
        or any(w in _COMPLEMENTISERS for w in ws)
    )


def is_share_bar(norm: str) -> bool:
    """A line made only of share-bar and page-tool words (`شارك المقال`, `فيسبوك تويتر واتساب`)."""
    ws = words(norm)
    return bool(ws) and all(w in _SHARE_WORDS for w in ws) and any(w not in _WEAK_SHARE for w in ws)


def has_media_word(norm: str) -> bool:
    """True when the line names an outlet or agency by a media word or an agency name."""
    return _MEDIA.search(norm) is not None or _AGENCY.search(norm) is not None


def is_credit_line(norm: str, max_words: int) -> bool:
    """A short author/outlet/agency credit (`مصطفى مايتي الدولية للإعلام`, `واس - جدة`)."""
    ws = words(norm)
    if not ws or len(ws) > max_words or any(w.isdigit() for w in ws) or _TERMINAL.search(norm):
        return False
    return has_media_word(norm)


def is_dash_byline(norm: str, max_words: int) -> bool:
    """A short `name – place/outlet` credit line (`لجين الأحمدي – عين اليوم`, `مكة المكرمة – حامد القرشي`)."""
    ws = words(norm)
    if not ws or len(ws) > max_words or any(w.isdigit() for w in ws):
        return False
    return _DASH_BYLINE.match(norm) is not None


def labelled_byline(norm: str, max_words: int) -> bool:
    """A byline introduced by its label (`بقلم سلمى الحربي`, `كتب - …`, `تحرير: …`)."""
    m = _BYLINE.match(norm)
    if m is None or (m.group("strong") is None and m.group("colon") is None):
        return False
    return len(words(norm)) <= max_words + 1 and not _TERMINAL.search(norm)


def line_debris(line: str, max_chars: int, max_words: int) -> str | None:
    """Why a line is page furniture wherever it stands, or None when it may be article text.

    `line` is the raw line; lines longer than `max_chars` are only checked for icon captions
    (a caption may run long), since appeals, labels, share bars and headings are short. The returned
    label is a `Removal.reason`; `related-block` marks the heading of a block the caller extends.
    """
    stripped = line.strip()
    if not stripped:
        return None
    if _ICON.match(stripped) and _ICON_WORD.search(stripped[:40]):
        return "icon-caption"
    if len(stripped) > max_chars:
        return None
    norm = norm_line(stripped)
    if not _WORD.search(norm):
        return "symbols"
    if _FONT.match(norm) and _FONT_MARK.search(norm):
        return "font-size"
    if is_related_heading(norm):
        return "related-block"
    if is_section_label(norm):
        return "section-label"
    if _DONATION.search(norm):
        return "donation-appeal"
    if _APP.search(norm):
        return "app-appeal"
    if _SOCIAL.match(norm) and _PLATFORM.search(norm):
        return "social-appeal"
    if is_share_bar(norm):
        return "share-buttons"
    if _DIGIT.search(norm) and read_date_line(stripped) is not None:
        return "date-line"
    if (_SOURCE.match(norm) and len(words(norm)) <= max_words + 4) or _NAQLAN.match(norm):
        return "source-line"
    if labelled_byline(norm, max_words):
        return "byline"
    if _TAGS.match(norm):
        return "tags"
    if _COPYRIGHT.search(norm):
        return "copyright"
    if _LINK_ONLY.match(stripped) or _LINK_LINE.match(norm):
        return "link"
    return None


# --- the title of bare text -------------------------------------------------------------------------

_SKIP_FOR_TITLE = frozenset(
    {"section-label", "date-line", "source-line", "byline", "icon-caption", "font-size", "symbols",
     "share-buttons", "link"}
)


def guess_title(text: str, max_chars: int, max_words: int, look: int = 6) -> str:
    """The title of bare article text: its first line that is not a label, date line or byline.

    Returns "" when that line is a paragraph rather than a headline (longer than `max_chars`, more than
    one sentence, or ending with a full stop, which headlines do not), when nothing follows it, or
    when the first `look` non-empty lines are all furniture.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for k, line in enumerate(lines[:look]):
        reason = line_debris(line, 200, max_words)
        if reason in _SKIP_FOR_TITLE:
            continue
        if reason is not None:
            return ""
        if k > 0 and is_credit_line(norm_line(line), max_words):
            continue  # an author/outlet credit under a date line (a headline may name an agency too)
        if (
            len(line) > max_chars
            or _SENTENCE_INSIDE.search(line)
            or _FULL_STOP.search(line)
            or k == len(lines) - 1
        ):
            return ""
        return " ".join(line.split())
    return ""


_FULL_STOP = re.compile(r"(?<!\.)\.[\"'”»)\]]*$")
_SENTENCE_INSIDE = re.compile(r"[.!؟?]\s+\S+\s+\S+")


# --- the outlet named in bare text ------------------------------------------------------------------

_STRIP = " \t\"'“”«»()[]{}:：-–—.,،!؟|"
_COLON_DASH = re.compile(r"^\s*(?P<name>[^:：.!؟\n]{2,40}?)\s*[:：]\s*-+\s*")
# An outlet or dateline before a lead's colon-dash is a name of a few words ("جفرا نيوز", "سرايا").
_PREFIX_WORDS = 4


def _name(candidate: str, max_words: int = 5) -> str | None:
    name = " ".join(candidate.strip(_STRIP).split())
    if not name or len(name.split()) > max_words or any(c.isdigit() for c in name):
        return None
    if norm_line(name) in GENERIC_SOURCES:
        return None
    return name


def _original_group(line: str, m: re.Match[str], group: str) -> str:
    """The original text of a group matched on `norm_line(line)` (which collapses spaces)."""
    # norm_line collapses whitespace; map through the normalized form of the whitespace-collapsed line.
    collapsed = " ".join(line.split())
    nm = normalize_map(collapsed)
    start, end = m.span(group)
    if nm.text != m.string:  # normalize() can change spacing only via dropped characters
        return m.group(group)
    return nm.to_original(Span(start, end)).of(collapsed)


def outlet_from_source_line(line: str) -> str | None:
    """`المصدر: الرباط- إرم نيوز` -> `إرم نيوز` (the part after a place-dash, generic names refused)."""
    m = _SOURCE_VALUE.match(norm_line(line))
    if m is None:
        return None
    value = _original_group(line, m, "value")
    if "://" in value or value.startswith("www."):
        return None
    last = re.split(r"\s*[-–—/]\s*", value)[-1]
    return _name(last)


def _prefix_ok(prefix: str, rest: str, max_words: int) -> bool:
    """Whether `prefix` (before the colon/dash) can be an outlet or dateline rather than the start of
    a sentence: at most `max_words` words, not opened by a speech verb or connective (`قال الوزير`,
    `وأكد`), and not followed by a complementiser (`:- إن …`) that makes the colon part of the sentence.
    """
    ws = words(norm_line(prefix))
    if not ws or len(ws) > max_words or opens_sentence(ws[0]):
        return False
    after = words(norm_line(rest[:40]))
    return not (after and after[0] in _COMPLEMENTISERS)


def outlet_from_prefix(line: str) -> str | None:
    """`المدينة نيوز :- قال …` -> `المدينة نيوز` (the outlet-colon-dash prefix of a lead).

    Refuses a prefix that is part of a sentence (`قال الوزير :- إن …`); see `_prefix_ok`.
    """
    m = _COLON_DASH.match(line)
    if m is None or len(line) - m.end() < 20:
        return None
    if not _prefix_ok(m.group("name"), line[m.end():], _PREFIX_WORDS):
        return None
    return _name(m.group("name"), _PREFIX_WORDS)


def outlet_from_appeal(line: str) -> str | None:
    """`حمل تطبيق إرم نيوز على هاتفك` / `ادعم عنب بلدي` -> the outlet the appeal names."""
    if len(line) > 160:
        return None
    norm = norm_line(line)
    for rx in (_APP_NAME, _DONATION_NAME):
        m = rx.search(norm)
        if m:
            name = _name(_original_group(line, m, "name"), 4)
            if name and norm_line(name).split()[0] not in GENERIC_SOURCES:
                return name
    return None


def outlet_from_credit(line: str) -> str | None:
    """`مصطفى مايتي الدولية للإعلام` (a short credit line naming an outlet by a media word) -> itself.
    An agency credit (`واس - جدة`) or a dash byline is not the publishing outlet, so none."""
    norm = norm_line(line)
    if not is_credit_line(norm, _PREFIX_WORDS) or _AGENCY.search(norm) or re.search(r"[-–—:/|]", line):
        return None
    return _name(line, _PREFIX_WORDS)


def outlet_from_copyright(line: str) -> str | None:
    """`© 2022 إرم نيوز` / `جميع الحقوق محفوظة لـ عنب بلدي` -> the outlet."""
    if len(line) > 160:
        return None
    norm = norm_line(line)
    m = _COPYRIGHT_NAME.search(norm)
    if m is None:
        return None
    group = "a" if m.group("a") else "b"
    return _name(_original_group(line, m, group), 4)


def find_outlet(text: str, head: int = 10, tail: int = 12) -> tuple[str, str] | None:
    """The outlet a bare text names for itself, and how it was found, or None.

    In order of trust: a source line (`المصدر: …`), an outlet-colon-dash prefix of the lead, an app or
    donation appeal naming the outlet, a copyright line, a credit line at the head that names an
    outlet (not an agency). Only the first `head` and last `tail` non-empty lines are read (signatures
    sit at the edges of a page).
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    edges = lines if len(lines) <= head + tail else lines[:head] + lines[-tail:]
    finders: tuple[tuple[str, Callable[[str], str | None]], ...] = (
        ("source line", outlet_from_source_line),
        ("lead prefix", outlet_from_prefix),
        ("appeal", outlet_from_appeal),
        ("copyright", outlet_from_copyright),
        ("credit line", outlet_from_credit),
    )
    for how, finder in finders:
        pool = lines[:head] if how in ("lead prefix", "credit line") else edges
        for line in pool:
            name = finder(line)
            if name:
                return name, how
    return None


# --- prefixes of the lead paragraph -----------------------------------------------------------------

_Q_OPEN = "\"«“(„"
_Q_CLOSE = "\"»”)“"
_PLACE_AGENCY = re.compile(
    rf"^\s*(?:[^\s:{_Q_OPEN}]+(?:\s+[^\s:{_Q_OPEN}]+){{0,5}})?\s*[-–—،,]?\s*[{_Q_OPEN}]"
    rf"(?P<agency>[^{_Q_CLOSE}\n]{{1,30}})[{_Q_CLOSE}]\s*[:：\-–—]+\s*"
)
_DASH_COLON = re.compile(
    r"^\s*(?P<a>[^\s:]+(?:\s+[^\s:]+){0,3}?)\s*[-–—]\s*(?P<b>[^\s:]+(?:\s+[^\s:]+){0,2}?)\s*[:：]\s*(?!-)"
)


def lead_prefix(line: str, min_rest: int = 20) -> int:
    """Length of an outlet/dateline prefix at the start of a lead paragraph, or 0.

    Recognises `المدينة نيوز :- `, `مراكش "وكالات": `, `واشنطن (رويترز) - `, `سبق- وكالات: `. Only the
    prefix is meant to go; the sentence after it (at least `min_rest` characters) stays. A prefix that
    opens a sentence (`قال الوزير :- إن …`) is not one (see `_prefix_ok`).
    """
    for rx in (_COLON_DASH, _PLACE_AGENCY, _DASH_COLON):
        m = rx.match(line)
        if m is None or len(line) - m.end() < min_rest:
            continue
        if rx is _COLON_DASH and not _prefix_ok(m.group("name"), line[m.end():], _PREFIX_WORDS):
            continue
        if rx is not _COLON_DASH and not _prefix_ok(m.group(0), line[m.end():], 12):
            continue  # `وقال "رويترز": إن …`, `أكد - في تصريح: …` are sentences, not prefixes
        if rx is _PLACE_AGENCY and not has_media_word(norm_line(m.group("agency"))):
            continue
        if rx is _DASH_COLON and any(c.isdigit() for c in m.group(0)):
            continue
        return m.end()
    return 0
