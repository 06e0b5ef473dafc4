"""Arabic match form: the text as it is compared and searched, with a map back to the original.

The match form, character by character (no context, so every fold is the same wherever it occurs):

- drops diacritics (tashkeel, shadda, sukun, superscript alef, combining hamza/madda, Quranic and
  extended-Arabic marks), tatweel, and invisible format characters (zero-width space/joiners, bidi
  marks and isolates, BOM, soft hyphen, word joiner, variation selectors);
- folds alef/hamza forms (أ إ آ ٱ ٲ ٳ ٵ → ا, ؤ ٶ ٷ → و, ئ ٸ → ي), alef maqsura (ى → ي), ta marbuta
  (ة → ه), Persian/Urdu letter forms (ی ک ۀ ھ ...), the borrowed letters ڤ پ چ گ ژ (→ ف ب ج ك ز);
- folds Arabic-Indic and Persian digits to 0-9, the Arabic decimal/thousands separators and percent
  sign (٫ ٬ ٪ → . , %), quote styles (“ ” « » „ ‟ ″ → ", ‘ ’ ‚ ‛ ′ ‹ › ` → ') and unusual spaces
  (no-break, thin, ...) to a plain space;
- decomposes presentation forms and other compatibility characters (ﻻ → لا, ﷲ → الله, fullwidth
  Latin) as NFKC does, and lower-cases Latin, Greek and Cyrillic letters.

Whitespace runs are not collapsed. The original is never replaced: `normalize_map` returns, for every
character of the match form, the offset of the original character it came from, so any span found in
the match form maps back to the text as the outlet wrote it.

`normalize` is one `str.translate` over a table built once at import; `normalize_map` uses the same
translate and walks only the characters that do not fold one-to-one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from marsad.model import Span


def _chars(*ranges: tuple[int, int]) -> list[str]:
    return [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)]


# Removed outright: marks that sit on letters, tatweel, and characters with no visible form.
_DROP = (
    _chars((0x0610, 0x061A))  # Arabic signs above/below (honorifics, small high letters)
    + _chars((0x064B, 0x065F))  # tashkeel, shadda, sukun, combining madda/hamza, other marks
    + ["\u0670", "\u0640", "\u0674"]  # superscript alef, tatweel, high hamza
    + [c for c in _chars((0x06D6, 0x06ED)) if c not in "\u06e5\u06e6\u06e9"]  # Quranic marks
    + [c for c in _chars((0x08D3, 0x08FF)) if unicodedata.category(c) == "Mn"]  # Arabic Extended-A
    + _chars((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFE00, 0xFE0F))
    + ["\ufeff", "\u00ad", "\u061c", "\u034f", "\u180e"]
)

_FOLD: dict[str, str] = {
    # alef, waw and yeh seats of hamza, alef maqsura, ta marbuta, Persian/Urdu forms
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ؤ": "و", "ٶ": "و", "ٷ": "و",
    "ئ": "ي", "ٸ": "ي", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه", "ۃ": "ه",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "ڤ": "ف", "پ": "ب", "چ": "ج", "ژ": "ز",
    # number punctuation
    "٫": ".", "٬": ",", "٪": "%", "۔": ".",
    # quote styles
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"', "″": '"', "‟": '"', "❝": '"', "❞": '"',
    "‘": "'", "’": "'", "‚": "'", "′": "'", "‛": "'", "`": "'", "‹": "'", "›": "'", "ʼ": "'",
    # spaces
    "\u00a0": " ", "\u1680": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ",
}
_FOLD.update(dict.fromkeys(_chars((0x2000, 0x200A)), " "))  # en/em/thin/hair... spaces
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits
_FOLD.update(dict.fromkeys(_DROP, ""))

# Compatibility characters decomposed as NFKC does: Latin/Armenian/Hebrew ligatures, Arabic
# presentation forms A and B, small and vertical forms, half- and fullwidth forms.
_NFKC = ((0xFB00, 0xFDFF), (0xFE10, 0xFE1F), (0xFE30, 0xFEFF), (0xFF00, 0xFFEF))
# Where upper-case letters live (Latin, Greek, Cyrillic, Armenian, Georgian, extended blocks).
_CASED = ((0x0000, 0x2FFF), (0xA640, 0xA7FF))


def _build() -> tuple[dict[int, str], dict[str, int]]:
    """The translate table, and the output length of every character that does not fold one-to-one."""
    base = str.maketrans(_FOLD)

    def fold(ch: str) -> str:
        out = unicodedata.normalize("NFKC", ch) if any(lo <= ord(ch) <= hi for lo, hi in _NFKC) else ch
        prev = None
        while out != prev:  # until stable, so that normalize(normalize(x)) == normalize(x)
            prev, out = out, out.translate(base).lower()
        if not out.strip() and not ch.isspace():  # isolated haraka forms: NFKC gives " " + mark
            out = ""
        return out

    cased = (c for c in _chars(*_CASED) if c.lower() != c)
    candidates = set(_FOLD) | set(_chars(*_NFKC)) | set(cased)
    table: dict[int, str] = {}
    odd: dict[str, int] = {}
    for ch in sorted(candidates):
        folded = fold(ch)
        if folded != ch:
            table[ord(ch)] = folded
        if len(folded) != 1:
            odd[ch] = len(folded)
    return table, odd


_TABLE, _ODD_LEN = _build()
# The table as a list over the BMP, every character mapped (most to themselves): `str.translate` looks a
# list up without the KeyError a dict raises for each character it leaves alone, ~2.5x faster on news
# text. A character past the list raises IndexError, which translate also reads as unchanged (no
# character there folds).
_LOOKUP: list[int | str] = [_TABLE.get(i, i) for i in range(0x10000)]
assert max(_TABLE) < len(_LOOKUP)


def _char_class(chars: list[str]) -> str:
    """A regex character class matching exactly `chars` (as ranges, to keep it short)."""
    codes = sorted(ord(c) for c in chars)
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "[" + "".join(parts) + "]"


# Runs of characters that are dropped or expand to several characters; the dropped ones alone; and
# those that expand.
_ODD = re.compile(_char_class(list(_ODD_LEN)) + "+")
_DROPPED = frozenset(c for c, k in _ODD_LEN.items() if k == 0)
_EXPANDS = re.compile(_char_class([c for c, k in _ODD_LEN.items() if k > 1]))


def normalize(text: str) -> str:
    """The match form of `text` (see the module docstring for what it folds)."""
    return text.translate(_LOOKUP)


@functools.lru_cache(maxsize=1 << 17)
def normalize_word(word: str) -> str:
    """`normalize` of one word, memoised: the taggers and name rules fold every word of every sentence,
    and news repeats its words (a cache hit costs a sixth of folding a word again)."""
    return normalize(word)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A match form with, for each of its characters, the offset of the original character it came from."""

    text: str
    offsets: tuple[int, ...]
    """`offsets[i]` is the original offset of `text[i]`; one extra entry holds the original length."""

    def to_original(self, span: Span) -> Span:
        """Map a span of the match form back to the smallest original span that produced it.

        Dropped characters (diacritics, tatweel) inside the span are covered; those before its first
        or after its last character are not. A span that cuts through the expansion of one original
        character (ﻻ → لا) maps to the whole of that character.
        """
        if span.end > len(self.text):
            raise ValueError(f"span {span} beyond normalized text of length {len(self.text)}")
        if span.start == span.end:
            pos = self.offsets[span.start]
            return Span(pos, pos)
        return Span(self.offsets[span.start], self.offsets[span.end - 1] + 1)


def normalize_map(text: str) -> Normalized:
    """The match form of `text` and the offset map back to it (`.text == normalize(text)`)."""
    folded = text.translate(_LOOKUP)
    n = len(text)
    if len(folded) == n and _ODD.search(text) is None:
        return Normalized(folded, tuple(range(n + 1)))
    if (n - len(folded)) * 25 > n and _EXPANDS.search(text) is None:
        # Fully vowelled text: one pass over every character beats one step per run of marks.
        dropped = _DROPPED
        kept = [i for i, c in enumerate(text) if c not in dropped]
        kept.append(n)
        return Normalized(folded, tuple(kept))
    offsets: list[int] = []
    extend = offsets.extend
    pos = 0
    lengths = _ODD_LEN
    for m in _ODD.finditer(text):
        start, end = m.span()
        extend(range(pos, start))
        for i in range(start, end):
            k = lengths[text[i]]
            if k:
                extend([i] * k)
        pos = end
    extend(range(pos, n + 1))
    return Normalized(folded, tuple(offsets))
