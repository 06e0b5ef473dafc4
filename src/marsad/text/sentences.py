"""Sentence spans over an article's original text.

The rules:

- A line break always ends a sentence (a single newline as well as a blank line); quotes and
  parentheses are paired within a line only.
- A sentence ends after `.` `!` `?` `؟` `…` `۔` (or a run of them: `؟!`, `...`), and after any closing
  quote or parenthesis that follows the run: `قال "انتهى."` ends after the quote. It also ends when
  the next word is glued on (`المغربية.مثّل`), but only before an Arabic letter or an opening quote:
  `U.S`, `example.com`, `3.5` and `11.05.2022` do not split, nor does `3.0` with a bidi mark after
  the point.
- Not an end: a full stop after a one-letter word (`د.` `أ.` `وم.` `U.S.`) unless the letter follows a
  number (`2022م.`, a year or unit); after a list number opening the sentence (`1.`); after a few
  Latin titles (`Dr.` `Mr.`); a leading or glued ellipsis; a bracketed mark (`[...]`, `(؟)`); a stop
  followed by a comma (`إلخ.، ثم`), except before و, where a new clause starts and the comma belongs
  to neither sentence (`دولية.،و شهد`, seed 003); and a stop inside a quote or parentheses (`"..."`,
  `(...)`) unless the quote closes right after it. Marks are paired by context, not glyph, so reversed
  or mistyped ones (`”داعش“`, `بـ”مجال ...”`, `(إنتربول(`) still pair; a mark left unpaired holds
  nothing back.
- Commas (`،` `,`) and `؛` do not end a sentence. A sentence longer than `max_chars` is split further,
  each step only on the pieces still too long: first at the stops the quote rule held back, then
  after every `؛` / `;`, then at `، و` (a comma before a word starting with و) as few times as needed;
  the comma at such a cut belongs to neither piece, so no sentence ends with a comma there.

Spans are trimmed of whitespace and invisible marks, never empty, in order and non-overlapping; a
piece with no letter or digit (a stray `.`) joins its neighbour on the same line. A sentence still
ends with `،` where the outlet broke the paragraph after one.
"""

from __future__ import annotations

import bisect
import heapq
import re
from typing import TYPE_CHECKING

from marsad.model import Article, Sentence, Span
from marsad.text.normalize import normalize

if TYPE_CHECKING:
    from marsad.settings import Settings

_LINE = re.compile(r"[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_TERM = re.compile(r"[.!?؟…۔‼⁇⁈⁉]+")
_PAIRED = re.compile(r'["“”„‟＂«»()\[\]{}]')
_ALNUM = re.compile(r"[^\W_]")
_SEMICOLON = re.compile(r"[؛;]")
_COMMA_WAW = re.compile(r"\s*[،,]\s*(?=و)")
_LIST_NUMBER = re.compile(r"\d{1,3}|[^\W\d_]")

# Paired marks: family and the role the glyph has when its context says nothing.
_FAMILY: dict[str, tuple[str, str]] = {
    **dict.fromkeys('"“”„‟＂', ("quote", "either")),  # outlets use “ and ” both ways round
    "«": ("guillemet", "open"), "»": ("guillemet", "close"),
    "(": ("paren", "open"), ")": ("paren", "close"),
    "[": ("bracket", "open"), "]": ("bracket", "close"),
    "{": ("brace", "open"), "}": ("brace", "close"),
}
# A paired mark after one of these (or a space, or the line start) opens; before one of these (or a
# space, or the line end) it closes. Tatweel before a quote is a glued proclitic: بـ"مجال.
_OPEN_AFTER = frozenset("([{«ـ:،,؛;-–—/")
_CLOSE_BEFORE = frozenset(")]}».،,؛;:!?؟…۔-–—/")
_COMMAS = frozenset("،,")
# Zero-width and bidi marks, trimmed from sentence edges like whitespace.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
)
_STRONG = frozenset("!?؟‼⁇⁈⁉")
# Latin abbreviations that end in a full stop but rarely end a sentence.
_LATIN_ABBR = frozenset(
    {"Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "Gen", "Col", "Lt", "Sgt", "Capt", "Rep", "Sen"}
    | {"Gov", "Inc", "Ltd", "Co", "Corp", "No", "vs", "approx", "cf", "al"}
)


def _is_arabic_letter(c: str) -> bool:
    return c.isalpha() and ("\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufefc")


def _is_space(c: str) -> bool:
    return c.isspace() or c in _INVISIBLE


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_space(text[start]):
        start += 1
    while end > start and _is_space(text[end - 1]):
        end -= 1
    return start, end


def _pairs(text: str, a: int, b: int) -> tuple[list[tuple[int, int]], set[int], set[int]]:
    """Quote/parenthesis pairs on the line `[a, b)`.

    Returns the matched `(open, close)` intervals, the positions that close something (matched
    closers, and unmatched marks whose context says "closing"), and the positions that open.
    """
    stacks: dict[str, list[int]] = {}
    intervals: list[tuple[int, int]] = []
    closing: set[int] = set()
    opening: set[int] = set()
    for m in _PAIRED.finditer(text, a, b):
        i = m.start()
        family, role = _FAMILY[text[i]]
        p = text[i - 1] if i > a else " "
        n = text[i + 1] if i + 1 < b else " "
        after_open = p.isspace() or p in _OPEN_AFTER
        before_close = n.isspace() or n in _CLOSE_BEFORE
        if after_open and not before_close:
            role = "open"
        elif before_close and not after_open:
            role = "close"
        stack = stacks.setdefault(family, [])
        if role == "open" or (role == "either" and not stack):
            stack.append(i)
            opening.add(i)
        elif stack:
            intervals.append((stack.pop(), i))
            closing.add(i)
        elif role == "close":
            closing.add(i)
    for stack in stacks.values():  # unmatched openers pair with nothing
        opening.difference_update(stack)
    return intervals, closing, opening


def _word_before(text: str, a: int, i: int) -> tuple[str, int]:
    """The letters (with their marks) ending at `i`, skipping spaces, and where they start."""
    j = i
    while j > a and text[j - 1] == " ":
        j -= 1
    end = j
    while j > a and (text[j - 1].isalpha() or "\u064b" <= text[j - 1] <= "\u065f" or text[j - 1] == "\u0670"):
        j -= 1
    return text[j:end], j


def _is_abbreviation(text: str, a: int, i: int) -> bool:
    """Whether the full stop at `i` closes an abbreviation (`د.`, `U.S.`, `Dr.`) rather than a sentence."""
    word, j = _word_before(text, a, i)
    if word in _LATIN_ABBR:
        return True
    letters = [c for c in word if c.isalpha() and c != "ـ"]
    if len(letters) == 2 and letters[0] == "و":  # وم. خالد: "and Eng. Khaled"
        letters = letters[1:]
    if len(letters) != 1:
        return False
    while j > a and text[j - 1] == " ":
        j -= 1
    return not (j > a and text[j - 1].isdigit())  # 2022م. / 1443 هـ. : a year, the sentence ends


def _ends(text: str, a: int, b: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Sentence ends on the line `[a, b)`, and the ends held back because they sit inside a quote.

    Each end is `(end, next_start)`: they differ only at `.،و`, where the comma belongs to neither.
    """
    intervals, closing, opening = _pairs(text, a, b) if _PAIRED.search(text, a, b) else ([], set(), set())
    intervals.sort()
    open_closes: list[int] = []  # heap of the closing positions of quotes opened before the stop
    nxt_interval = 0
    ends: list[tuple[int, int]] = []
    held: list[int] = []
    start = a
    for m in _TERM.finditer(text, a, b):
        i, j = m.span()
        run = m.group()
        if i - 1 in opening and j in closing:
            continue  # an elision or editorial mark: (...) [...] (!) (؟)
        k = j
        while k < b and k in closing:
            k += 1
        nxt = text[k] if k < b else " "
        if run == "." and k < b and text[k] in _INVISIBLE and i > a and text[i - 1].isdigit():
            v = k
            while v < b and text[v] in _INVISIBLE:
                v += 1
            if v < b and text[v].isdigit():
                continue  # 3.<RLM>0: a decimal point with a bidi mark after it (Al Jazirah's 0.3)
        glued = not _is_space(nxt)
        if glued and nxt not in _COMMAS and not (
            _is_arabic_letter(nxt) or (k in opening and k + 1 < b and text[k + 1].isalpha())
        ):
            continue  # U.S / 3.5 / 11.05.2022 / example.com / "...و"
        if _STRONG.isdisjoint(run):
            if "…" in run or ".." in run:
                if glued or i == a or text[i - 1].isspace():
                    continue  # leading or glued ellipsis
            elif _is_abbreviation(text, a, i) or (
                i - start <= 8 and _LIST_NUMBER.fullmatch(text[start:i].strip())
            ):
                continue
        resume = k
        q = k
        while q < b and _is_space(text[q]):
            q += 1
        if q < b and text[q] in _COMMAS:
            r = q + 1
            while r < b and _is_space(text[r]):
                r += 1
            if not text.startswith("و", r):
                continue  # "إلخ.، ثم": a stop followed by a comma does not end the sentence
            resume = q + 1  # "دولية.،و شهد" (seed 003): it does when و starts a new clause
        while nxt_interval < len(intervals) and intervals[nxt_interval][0] < i:
            heapq.heappush(open_closes, intervals[nxt_interval][1])
            nxt_interval += 1
        while open_closes and open_closes[0] < k:  # stops come in order: closed for good
            heapq.heappop(open_closes)
        if open_closes:  # inside a quote that does not close right after the stop
            held.append(k)
            continue
        ends.append((k, resume))
        start = resume
    return ends, held


def _split_at(s: int, e: int, cuts: list[int]) -> list[tuple[int, int]]:
    """Cut `[s, e)` at every position of the sorted `cuts` that falls inside it."""
    pieces = []
    for k in cuts[bisect.bisect_right(cuts, s) : bisect.bisect_left(cuts, e)]:
        pieces.append((s, k))
        s = k
    pieces.append((s, e))
    return pieces


def _split_comma_waw(text: str, s: int, e: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut `[s, e)` at `، و` as few times as needed to keep pieces within `max_chars` where possible.

    Greedy: each piece runs to the last cut that keeps it within the limit (or to the first cut when
    none does). The comma and spaces at a cut belong to neither piece.
    """
    cuts = [m.span() for m in _COMMA_WAW.finditer(text, s, e) if m.start() > s]
    lefts = [left for left, _ in cuts]
    pieces = []
    cur = s
    while e - cur > max_chars:
        idx = bisect.bisect_right(lefts, cur + max_chars) - 1
        if idx < 0 or lefts[idx] <= cur:
            idx = bisect.bisect_right(lefts, cur)
            if idx == len(cuts):
                break
        left, right = cuts[idx]
        pieces.append((cur, left))
        cur = right
    pieces.append((cur, e))
    return pieces


def _shorten(text: str, s: int, e: int, held: list[int], max_chars: int) -> list[tuple[int, int]]:
    """Split an over-long sentence: held-back stops, then every ؛/;, then ، و as needed."""
    semis = [m.end() for m in _SEMICOLON.finditer(text, s, e)]
    pieces = [(s, e)]
    for step in (
        lambda s, e: _split_at(s, e, held),
        lambda s, e: _split_at(s, e, semis),
        lambda s, e: _split_comma_waw(text, s, e, max_chars),
    ):
        out: list[tuple[int, int]] = []
        for ps, pe in pieces:
            if pe - ps > max_chars:
                out.extend(_trim(text, x, y) for x, y in step(ps, pe))
            else:
                out.append((ps, pe))
        pieces = [(x, y) for x, y in out if x < y]
    return pieces


def sentence_spans(text: str, max_chars: int = 400) -> list[Span]:
    """Sentence spans over `text` (see the module docstring for the rules).

    Sentences longer than `max_chars` characters are split further at `؛`/`;`, then at `، و`.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        a, b = _trim(text, *line.span())
        if a == b:
            continue
        ends, held = _ends(text, a, b) if _TERM.search(text, a, b) else ([], [])
        pieces: list[tuple[int, int]] = []
        pending = -1  # start of leading punctuation-only pieces, joined to the next piece
        s = a
        for k, resume in [*ends, (b, b)]:
            ps, pe = _trim(text, s, k)
            s = resume
            if ps == pe:
                continue
            if _ALNUM.search(text, ps, pe) is None:
                if pieces:
                    pieces[-1] = (pieces[-1][0], pe)
                elif pending < 0:
                    pending = ps
                continue
            if pending >= 0:
                ps, pending = pending, -1
            pieces.append((ps, pe))
        if pending >= 0:
            pieces.append(_trim(text, pending, b))
        for ps, pe in pieces:
            if pe - ps > max_chars:
                spans.extend(Span(x, y) for x, y in _shorten(text, ps, pe, held, max_chars))
            else:
                spans.append(Span(ps, pe))
    return spans


def split_sentences(article: Article, settings: Settings) -> tuple[Sentence, ...]:
    """The sentences of `article.text`, with match forms (`settings.text.max_sentence_chars`).

    Reads `Article.text`; produces `Sentence`s whose spans point into it.
    """
    text = article.text
    spans = sentence_spans(text, settings.text.max_sentence_chars)
    return tuple(
        Sentence(article.id, index, span, normalize(text[span.start : span.end]))
        for index, span in enumerate(spans)
    )
