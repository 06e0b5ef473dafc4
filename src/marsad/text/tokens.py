"""Word tokens as spans over a text, and a light clitic-stripping stem for matching.

Tokens are runs of letters/digits (Arabic or Latin) with their offsets; `stem` strips the common
proclitics (و ف ب ل ك, ال, لل) and a few suffixes from a match-form word so that `والمغرب`, `بالمغرب`
and `المغرب` compare equal. It is deliberately light: good enough for similarity and redundancy
checks, not a morphological analyser.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from marsad.model import Span
from marsad.text.normalize import normalize, normalize_word

# Marks that sit inside Arabic words: diacritics, superscript alef, Quranic marks, tatweel, and the
# zero-width (non-)joiners.
_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640\u200c\u200d"
)
# A number with decimal or thousands separators (3.5, 1,000, ٢٫٥, 11.05.2022), else a run of letters
# and digits with the marks inside it, whose digits stop short of such a number (و3.5 → و, 3.5).
_SEP = ".,\u066b\u066c"
_LETTER_OR_DIGITS = rf"(?:[^\W\d_]++|\d++(?![{_SEP}]\d))"
_WORD = re.compile(rf"\d+(?:[{_SEP}]\d+)+|{_LETTER_OR_DIGITS}+(?:[{_MARKS}]+{_LETTER_OR_DIGITS}*)*")

_PROCLITICS = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_SUFFIXES = ("ات", "ون", "ين", "ها", "هم", "يه", "ه", "ي")

# Very frequent function words in the match form, skipped by similarity measures.
_STOPWORD_TEXT = """
في من على الى إلى عن مع ان أن إن كان كانت التي الذي الذين هذا هذه ذلك تلك هو هي
هم ما لا لم لن قد و او أو ثم كما بين بعد قبل خلال حيث عند منذ حتى اي أي كل بعض
غير الا إلا لكن اذا إذا وقد وكان وفي ومن وعلى وهو وهي وان وأن فيه فيها منه منها
عليه عليها به بها له لها ذات نحو عبر ضد لدى اليوم امس أمس وقال قال قالت وأضاف
اضاف أضاف وأكد اكد أكد وأشار اشار أشار
"""
STOPWORDS = frozenset(normalize(w) for w in _STOPWORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: its span into the text and its match form."""

    span: Span
    norm: str


def tokenize(text: str) -> list[Token]:
    """Word tokens of `text` with spans into it and their match forms."""
    return [Token(Span(m.start(), m.end()), normalize(m.group())) for m in _WORD.finditer(text)]


@functools.lru_cache(maxsize=1 << 13)
def word_offsets(text: str) -> tuple[tuple[int, int, str], ...]:
    """`(start, end, match form)` of each word of `text`: `tokenize` without the objects (hot paths).

    Memoised (a sentence's words are read by copies, claims and the timeline in turn, and again each
    time its story grows); the result is shared, so it is a tuple."""
    return tuple((m.start(), m.end(), normalize_word(m.group())) for m in _WORD.finditer(text))


def words(norm_text: str) -> list[str]:
    """The words of an already-normalized text (no spans; fast path for similarity)."""
    return _WORD.findall(norm_text)


@functools.lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """Strip common clitics and suffixes from a match-form word, keeping at least three letters.

    Memoised: a pure function of its argument, called for every word of every comparison.
    """
    w = word
    for p in _PROCLITICS:
        if w.startswith(p) and len(w) - len(p) >= 3:
            w = w[len(p) :]
            break
    for s in _SUFFIXES:
        if w.endswith(s) and len(w) - len(s) >= 3:
            w = w[: -len(s)]
            break
    return w


def content_stems(norm_text: str) -> Iterator[str]:
    """Stems of the non-stopword words of a normalized text."""
    for w in words(norm_text):
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
            yield stem(w)
