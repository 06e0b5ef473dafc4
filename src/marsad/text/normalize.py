"""Arabic match form: the text as it is compared and searched, with a map back to the original.

The match form removes diacritics (tashkeel, superscript alef, combining hamza/madda), tatweel and
invisible format characters; folds alef/hamza forms (أ إ آ ٱ → ا, ؤ → و, ئ → ي), alef maqsura (ى → ي),
ta marbuta (ة → ه), Persian/Urdu letter forms, Arabic-Indic and Persian digits (→ 0-9), quote styles
(“ ” « » „ ″ → ", ‘ ’ ‚ ′ → ') and Latin case; presentation forms are decomposed (NFKC). It never
replaces the original: `normalize_map` returns offsets so any span found in the match form can be
mapped back to the text as the outlet wrote it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from marsad.model import Span

_DROP = (
    [chr(c) for c in range(0x064B, 0x0660)]  # tashkeel, combining madda/hamza above/below, etc.
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6)]  # Quranic marks
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
       "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad", "\u061c"]
)

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه",
    "ک": "ك", "ڪ": "ك", "ﻙ": "ك",
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"', "″": '"', "‟": '"',
    "‘": "'", "’": "'", "‚": "'", "′": "'", "‛": "'", "`": "'",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
}
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits
_FOLD.update(dict.fromkeys(_DROP, ""))

_TABLE = str.maketrans(_FOLD)


def _needs_nfkc(ch: str) -> bool:
    o = ord(ch)
    return 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF or 0xFF00 <= o <= 0xFFEF


def _fold_char(ch: str) -> str:
    if _needs_nfkc(ch):
        ch = unicodedata.normalize("NFKC", ch)
    return ch.translate(_TABLE).lower()


def normalize(text: str) -> str:
    """The match form of `text` (see the module docstring for what it folds)."""
    if any(_needs_nfkc(c) for c in text):
        text = "".join(unicodedata.normalize("NFKC", c) if _needs_nfkc(c) else c for c in text)
    return text.translate(_TABLE).lower()


@dataclass(frozen=True, slots=True)
class Normalized:
    """A match form with, for each of its characters, the offset of the original character it came from."""

    text: str
    offsets: tuple[int, ...]
    """`offsets[i]` is the original offset of `text[i]`; one extra entry holds the original length."""

    def to_original(self, span: Span) -> Span:
        """Map a span of the match form back to the smallest original span that produced it."""
        if span.end > len(self.text):
            raise ValueError(f"span {span} beyond normalized text of length {len(self.text)}")
        if span.start == span.end:
            pos = self.offsets[span.start]
            return Span(pos, pos)
        return Span(self.offsets[span.start], self.offsets[span.end - 1] + 1)


def normalize_map(text: str) -> Normalized:
    """The match form of `text` and the offset map back to it."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded:
            out.append(folded)
            offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return Normalized("".join(out), tuple(offsets))
