"""Dates in Arabic news text (first version): month tables, date lines and the publication date.

Arabic outlets name months in three families: the Egyptian/Gulf transliterations (يناير … ديسمبر, with
the Moroccan مايو/ماي, يوليو/يوليوز, أغسطس/غشت), the Levantine/Iraqi names (كانون الثاني … كانون الأول)
and the Maghrebi French loans (جانفي فيفري … أوت); they are often paired (`أيلول/سبتمبر`). Every pattern
here runs on the match form (`marsad.text.normalize.normalize`), so hamza/alef spellings, diacritics,
tatweel and Arabic-Indic digits need no separate cases.

This module resolves only what the text itself supports and never invents a missing part: a date
without a year (`الاثنين 9 من أيار`) stays unresolved, with the reason. A later version extends it into
the full time-expression extractor (relative days, parts of the day, ranges) anchored on the
publication date found here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from types import MappingProxyType

from marsad.model import Span
from marsad.text.normalize import normalize, normalize_map

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "ينير"),
    2: ("فبراير", "شباط", "فيفري", "فبرير"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان", "أفريل", "أبريل"),
    5: ("مايو", "ماي", "أيار"),
    6: ("يونيو", "يونيه", "يونية", "حزيران", "جوان", "يونيوز"),
    7: ("يوليو", "يوليه", "يولية", "يوليوز", "تموز", "جويلية", "جويلة"),
    8: ("أغسطس", "اغسطس", "غشت", "آب", "أوت"),
    9: ("سبتمبر", "أيلول", "شتنبر"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "دجنبر"),
}

MONTHS: Mapping[str, int] = MappingProxyType(
    {normalize(name): num for num, names in _MONTH_NAMES.items() for name in names}
)
"""Month name (match form, single spaces) -> month number, every family and spelling."""

_WEEKDAY_NAMES = {
    0: ("الاثنين", "الإثنين", "اثنين"),
    1: ("الثلاثاء", "ثلاثاء"),
    2: ("الأربعاء", "أربعاء"),
    3: ("الخميس", "خميس"),
    4: ("الجمعة", "جمعة"),
    5: ("السبت", "سبت"),
    6: ("الأحد", "أحد"),
}

WEEKDAYS: Mapping[str, int] = MappingProxyType(
    {normalize(name): num for num, names in _WEEKDAY_NAMES.items() for name in names}
)
"""Weekday name (match form) -> `date.weekday()` number (Monday = 0)."""

_HIJRI_MONTHS = (
    "محرم", "صفر", "ربيع الأول", "ربيع الاول", "ربيع الآخر", "ربيع الثاني", "جمادى الأولى",
    "جمادى الآخرة", "جمادى الثانية", "جمادى الأول", "جمادى الآخر", "رجب", "شعبان", "رمضان", "شوال",
    "ذو القعدة", "ذي القعدة", "ذو الحجة", "ذي الحجة",
)


def _alternation(names: object) -> str:
    forms = sorted({normalize(str(n)) for n in names}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)


_AR = "\u0621-\u064a"  # Arabic letters (match form)
_MONTH = rf"(?:{_alternation(MONTHS)})(?![{_AR}])"
_WEEKDAY = rf"(?:يوم\s+)?(?P<wd>{_alternation(WEEKDAYS)})(?![{_AR}])"
_HIJRI = rf"(?:{_alternation(_HIJRI_MONTHS)})(?![{_AR}])"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"

# 11 مايو 2022 · 11مايو 2022 · 9 من أيار · 10 أيلول/سبتمبر 2014 · 3 مارس، 2021م
_NAMED_DATE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?(?P<month>{_MONTH})"
    rf"(?:\s*[/\\-]\s*(?P<month2>{_MONTH}))?(?:\s*[,،]?\s*(?:(?:عام|سنه)\s+)?{_YEAR}(?:\s*م(?![{_AR}]))?)?"
)
# 11-05 -2022 · 11/5/2022 · 11.05.2022 (day first, as Arabic outlets write it)
_NUMERIC_DMY = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<year>(?:19|20)\d\d)(?!\d)"
)
# 2022-05-11 · 2022/5/11
_NUMERIC_YMD = re.compile(
    r"(?<![\d.])(?P<year>(?:19|20)\d\d)\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\d.])"
)
# 22:45 GMT · 7:02 · 10:30 صباحا · 9:15 م · 14:00 بتوقيت غرينتش · 22:45 GMT+3
_TIME = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})\s*:\s*(?P<mi>\d{2})(?:\s*:\s*(?P<s>\d{2}))?(?![\d:])"
    r"(?:\s*(?P<ampm>صباحا|مساء|ص|م|am|pm|a\.m\.|p\.m\.)(?![a-z" + _AR + r"]))?"
    r"(?:\s*(?:\(\s*)?(?P<tz>gmt|utc|ت\s*\.?\s*غ\s*\.?|(?:ب)?توقيت\s+(?:غرينتش|جرينتش|غرينيتش)|z)"
    r"(?:\s*(?P<off>[+-]\s*\d{1,2}(?::?\d{2})?))?(?:\s*\))?)?"
)
_HIJRI_DATE = re.compile(rf"(?:\d{{1,2}}\s*)?{_HIJRI}\s*(?:\d{{4}}\s*(?:ه|هجري|هجريه)?)?(?![{_AR}])")
_WEEKDAY_RE = re.compile(_WEEKDAY)

# Labels that introduce a date line, and whether they mean publication or update.
_LABEL = re.compile(
    r"^\s*(?P<label>تاريخ\s+(?:ال)?(?:نشر|تحديث|اضافه|خبر)|(?:تم\s+)?(?:ال)?نشر(?:\s+(?:في|بتاريخ|يوم))?"
    r"|اخر\s+تحديث|(?:تم\s+)?(?:ال)?تحديث(?:\s+(?:في|بتاريخ))?|محدث(?:\s+في)?|بتاريخ|التاريخ|تاريخ"
    r"|published(?:\s+on)?|updated(?:\s+on)?|last\s+updated|posted(?:\s+on)?|date)\s*[:：]?"
)
# What else a date line may hold: separators, "GMT", era marks, "اليوم", "الموافق", bullets.
_FILLER = re.compile(
    r"(?:الموافق|الساعه|ميلادي|ميلاديه|اليوم|م|ه|ص|gmt|utc|في|at|on|t|[\s|,،:؛\-–—/\\()\[\]•·.])+"
)


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line that is only a date stamp (with its label, weekday, time and separators)."""

    line: str
    """The line as written (stripped)."""
    kind: str
    """`published`, `updated`, or `""` when the line has no label."""
    value: date | datetime | None
    """The resolved date or datetime; None when the text leaves a part (the year) unknown."""
    reason: str = ""
    """Why `value` is None."""


def _tz(m: re.Match[str]) -> timezone | None:
    if not m.group("tz"):
        return None
    off = (m.group("off") or "").replace(" ", "")
    if not off:
        return UTC
    sign = -1 if off[0] == "-" else 1
    digits = off[1:].replace(":", "")
    hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _time_of(norm: str) -> tuple[int, int, int, timezone | None] | None:
    m = _TIME.search(norm)
    if m is None:
        return None
    h, mi, s = int(m.group("h")), int(m.group("mi")), int(m.group("s") or 0)
    ampm = m.group("ampm") or ""
    if ampm in ("مساء", "م", "pm", "p.m.") and h < 12:
        h += 12
    elif ampm in ("صباحا", "ص", "am", "a.m.") and h == 12:
        h = 0
    if h > 23 or mi > 59 or s > 59:
        return None
    return h, mi, s, _tz(m)


def _weekday(norm: str) -> int | None:
    m = _WEEKDAY_RE.search(norm)
    return WEEKDAYS[m.group("wd")] if m else None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _Found:
    span: tuple[int, int]
    value: date | None
    day: int
    month: int
    year: int | None


def _find_date(norm: str) -> _Found | None:
    """The first calendar date in a match-form string (named month or numeric)."""
    best: _Found | None = None
    wd = _weekday(norm)
    m = _NAMED_DATE.search(norm)
    if m:
        month = MONTHS[re.sub(r"\s+", " ", m.group("month"))]
        day = int(m.group("day"))
        year = int(m.group("year")) if m.group("year") else None
        value = _safe_date(year, month, day) if year else None
        if year is None or value is not None:
            best = _Found(m.span(), value, day, month, year)
    for rx, ymd in ((_NUMERIC_YMD, True), (_NUMERIC_DMY, False)):
        n = rx.search(norm)
        if n is None or (best is not None and best.span[0] <= n.start()):
            continue
        year = int(n.group("year"))
        if ymd:
            candidates = [_safe_date(year, int(n.group("m")), int(n.group("d")))]
        else:
            a, b = int(n.group("a")), int(n.group("b"))
            candidates = [_safe_date(year, b, a), _safe_date(year, a, b)]  # day first, then month first
        valid = [c for c in candidates if c is not None]
        if not valid:
            continue
        if wd is not None and any(c.weekday() == wd for c in valid):
            valid = [c for c in valid if c.weekday() == wd]
        v = valid[0]
        best = _Found(n.span(), v, v.day, v.month, year)
    return best


def _combine(d: date, norm: str) -> date | datetime:
    t = _time_of(norm)
    if t is None:
        return d
    h, mi, s, tz = t
    return datetime(d.year, d.month, d.day, h, mi, s, tzinfo=tz)


def read_date_line(line: str) -> DateLine | None:
    """Read `line` as a date stamp (`تاريخ النشر: 10 مايو 2022 22:45 GMT`, `الأربعاء 11-05 -2022`).

    Returns None when the line holds anything besides a date, its label, weekday, time and separators
    (a sentence that mentions a date is not a date line).
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 120:
        return None
    norm = normalize(stripped)
    kind = ""
    rest = norm
    lab = _LABEL.match(norm)
    if lab:
        label = lab.group("label")
        kind = "updated" if ("تحديث" in label or "محدث" in label or "updated" in label) else "published"
        rest = norm[lab.end() :]
    found = _find_date(rest)
    if found is None:
        return None
    residue = rest[: found.span[0]] + " " + rest[found.span[1] :]
    residue = _TIME.sub(" ", residue)
    residue = _HIJRI_DATE.sub(" ", residue)
    residue = _WEEKDAY_RE.sub(" ", residue)
    if _FILLER.sub("", residue):
        return None
    if found.value is None:
        return DateLine(stripped, kind, None, "the date has no year; not guessed")
    return DateLine(stripped, kind, _combine(found.value, rest))


def parse_date_line(line: str) -> date | datetime | None:
    """The date (or datetime, with time and zone when given) of a line that is only a date stamp.

    None when the line is not a date line or leaves the year unknown (see `read_date_line` for why).
    """
    dl = read_date_line(line)
    return dl.value if dl else None


def date_lines(text: str, head_lines: int = 8) -> tuple[DateLine, ...]:
    """The date lines among the first `head_lines` non-empty lines of `text`, in order."""
    out: list[DateLine] = []
    seen = 0
    for raw in text.split("\n"):
        if not raw.strip():
            continue
        seen += 1
        if seen > head_lines:
            break
        dl = read_date_line(raw)
        if dl is not None:
            out.append(dl)
    return tuple(out)


# "اليوم، الاثنين 9 من أيار" / "اليوم الأربعاء 11 مايو 2022": the text naming its own day.
_TODAY = re.compile(
    rf"(?<![{_AR}])(?:اليوم|الليله|هذا\s+اليوم)\s*[,،]?\s*(?:{_WEEKDAY}\s*[,،]?\s*)?"
    rf"(?=\d)"
)


def _original(text: str, start: int, end: int) -> str:
    """The original slice of `text` for a span of its match form."""
    nm = normalize_map(text)
    return nm.to_original(Span(start, end)).of(text).strip()


def _lead_paragraphs(text: str, count: int) -> list[str]:
    out = []
    for raw in text.split("\n"):
        line = raw.strip()
        if len(line) >= 60:
            out.append(line)
            if len(out) == count:
                break
    return out


def find_publication_date(text: str, head_lines: int = 8) -> tuple[date | datetime | None, str]:
    """The publication date the text gives for itself, and a note saying where it came from.

    Looks, in order, at: a publication date line near the top (`تاريخ النشر: …`, `11مايو 2022`,
    `الأربعاء 11-05 -2022`); a dateline with a full date at the start of the lead; the lead naming its
    own day (`اليوم، الاثنين 9 من أيار`). A day without a year is not completed: the value is None and
    the note says why. The note is `text: <what was read>`, or the reason nothing was found.
    """
    unresolved = ""
    lines = date_lines(text, head_lines)
    for dl in lines:
        if dl.kind == "updated":
            continue
        if dl.value is not None:
            return dl.value, f"text: {dl.line}"
        unresolved = unresolved or f"text: {dl.line} ({dl.reason})"
    for para in _lead_paragraphs(text, 2):
        norm = normalize(para)
        today = _TODAY.search(norm)
        head = norm[:80]
        found = _find_date(norm[today.end() :]) if today else _find_date(head)
        if found is None:
            continue
        if today is not None:
            if found.span[0] != 0:
                continue
            start, end = today.start(), today.end() + found.span[1]
        else:
            start, end = found.span
            if found.value is None:
                continue  # a bare day-month near the lead is not necessarily the day of publication
        fragment = _original(para, start, end)
        if found.value is not None:
            return _combine(found.value, norm[start:end]), f"text: {fragment}"
        return None, f"text: {fragment} (the date has no year; not guessed)"
    if unresolved:
        return None, unresolved
    return None, "no publication date in the text"


def find_update_date(text: str, head_lines: int = 8) -> tuple[date | datetime | None, str]:
    """The last-updated date line near the top (`تاريخ التحديث: …`), and the line it came from."""
    for dl in date_lines(text, head_lines):
        if dl.kind == "updated" and dl.value is not None:
            return dl.value, dl.line
    return None, ""
