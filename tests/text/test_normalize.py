"""The match form: each folding, the offset map back to the original, and its invariants."""

from __future__ import annotations

import random
import re
import sys

import pytest

from marsad.model import Span
from marsad.text.normalize import Normalized, normalize, normalize_map

_module = sys.modules["marsad.text.normalize"]

HANDMADE = [
    "مَرَّاكِشُ عاصمةُ السّياحةِ، وَقَدْ عُقِدَ فيها الاجتماعُ.",
    "ﻻ إله إلا ﷲ ﷺ، ﻷنه قال ﻹخوانه",
    "بلي\u200cنكن\u200f قال: “انتهى” و«بدأ» و„آخر‟",
    "\ufeffأعلنت الـوزارة يوم ٢٠٢٢/٥/١١ (۱۴۰۱ هـ) ﹰ ﱞ نسبة ٣٫٥٪",
    "İstanbul ＡＢＣ ﬁle Straße ΣΟΦΙΑ",
    "سلطنة\u00a0عُمان\u2009و\u202fالمغرب\u200b\u200d\u2066مراكش\u2069\u00ad",
    "ڤيكتوريا گوگل پاريس چاد ژان كۀ ی ک",
    "ٱلْحَمْدُ لِلَّهِ رَبِّ ٱلْعَٰلَمِينَ ۝ ۖ",
    "",
    "ـــ",
]


@pytest.mark.parametrize(
    ("original", "same_as"),
    [
        ("إسرائيل", "اسرائيل"),  # hamza under alef; ئ on a yeh seat
        ("أحمد", "احمد"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),  # alef wasla
        ("مؤتمر", "موتمر"),  # hamza on waw
        ("رئيس", "رييس"),  # hamza on yeh
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("القاهرة", "القاهره"),  # ta marbuta
        ("مرّاكش", "مراكش"),  # shadda
        ("عُقِدَ", "عقد"),  # harakat
        ("تقييمًا", "تقييما"),  # tanween
        ("الرحمٰن", "الرحمن"),  # superscript alef
        ("بـلينكن", "بلينكن"),  # tatweel
        ("الـــوزارة", "الوزاره"),
        ("بلي\u200cنكن", "بلينكن"),  # zero-width non-joiner
        ("\u200fداعش\u200e", "داعش"),  # bidi marks
        ("\ufeffداعش", "داعش"),  # byte-order mark
        ("داع\u00adش", "داعش"),  # soft hyphen
        ("ﻻ", "لا"),  # presentation-form ligature
        ("ﷲ", "الله"),
        ("ﺑﻠﻴﻨﻜﻦ", "بلينكن"),  # contextual presentation forms
        ("ڤيروس", "فيروس"),
        ("ی", "ي"),  # Persian yeh
        ("ک", "ك"),  # keheh
        ("٢٠٢٢", "2022"),  # Arabic-Indic digits
        ("۲۰۲۲", "2022"),  # Persian digits
        ("٣٫٥٪", "3.5%"),  # Arabic decimal separator and percent sign
        ("١٬٠٠٠", "1,000"),
        ("”داعش“", '"داعش"'),  # quote styles, either way round
        ("“داعش”", '"داعش"'),
        ("«داعش»", '"داعش"'),
        ("„داعش‟", '"داعش"'),
        ("‘داعش’", "'داعش'"),
        ("NATO", "nato"),  # Latin case
        ("ＮＡＴＯ", "nato"),  # fullwidth
        ("a\u00a0b", "a b"),  # no-break space
    ],
)
def test_normalize_folds(original, same_as):
    assert normalize(original) == normalize(same_as)


def test_normalize_expected_forms():
    assert normalize("إسرائيل") == "اسراييل"
    assert normalize("القاهرة") == "القاهره"
    assert normalize("٢٠٢٢") == "2022"
    assert normalize("”داعش“") == normalize("“داعش”") == normalize('"داعش"') == '"داعش"'
    assert normalize("بـلينكن") == "بلينكن"
    assert normalize("ﹰ") == ""  # an isolated haraka is a diacritic: dropped, not turned into a space


@pytest.mark.parametrize(
    ("a", "b"),
    [("ضل", "ظل"), ("ذهب", "دهب"), ("ء", "ا"), ("ء", ""), ("حال", "هال"), ("2022", "٢٠٢٣")],
)
def test_normalize_keeps_distinct_words_distinct(a, b):
    assert normalize(a) != normalize(b)


def test_normalize_keeps_whitespace_and_punctuation():
    text = "قال:  «نعم»،\nثم\tخرج؟"
    assert normalize(text) == 'قال:  "نعم"،\nثم\tخرج؟'


def test_normalize_is_idempotent_for_every_folded_character():
    for code, folded in _module._TABLE.items():
        assert normalize(folded) == folded, (hex(code), folded)


@pytest.mark.parametrize("text", HANDMADE)
def test_normalize_map_text_equals_normalize(text):
    nm = normalize_map(text)
    assert isinstance(nm, Normalized)
    assert nm.text == normalize(text)
    assert len(nm.offsets) == len(nm.text) + 1
    assert nm.offsets[-1] == len(text)
    assert all(a <= b for a, b in zip(nm.offsets, nm.offsets[1:], strict=False))


def test_normalize_map_on_seeds(seed_paths):
    for path in seed_paths:
        text = path.read_text(encoding="utf-8")
        nm = normalize_map(text)
        assert nm.text == normalize(text)
        assert len(nm.offsets) == len(nm.text) + 1


def test_normalize_map_dense_diacritics_path():
    # Over 4% dropped characters takes the one-pass path: same result as character by character.
    text = "عَلَّمَ الإِنْسَانَ مَا لَمْ يَعْلَمْ " * 20
    nm = normalize_map(text)
    assert nm.text == normalize(text)
    assert nm.offsets == (*[i for i, c in enumerate(text) if normalize(c)], len(text))


def test_to_original_maps_a_found_word_back():
    text = "وصل الوفد إلى مَرّاكِشُ أمس"
    nm = normalize_map(text)
    start = nm.text.index("مراكش")
    span = nm.to_original(Span(start, start + len("مراكش")))
    assert span.of(text) == "مَرّاكِش"  # marks inside are covered; the damma after the last letter is not
    assert normalize(span.of(text)) == "مراكش"


def test_to_original_expansion_maps_to_the_whole_character():
    text = "قال ﻻ شيء"
    nm = normalize_map(text)
    assert nm.text == "قال لا شيء"
    assert nm.to_original(Span(4, 6)) == Span(4, 5)
    assert nm.to_original(Span(5, 6)) == Span(4, 5)  # half of لا: the whole ﻻ


def test_to_original_empty_and_out_of_range():
    nm = normalize_map("مُراكش")
    assert nm.to_original(Span(0, 0)) == Span(0, 0)
    assert nm.to_original(Span(5, 5)) == Span(6, 6)
    with pytest.raises(ValueError):
        nm.to_original(Span(0, 6))


def _boundaries(nm: Normalized) -> list[int]:
    """Match-form positions that do not fall inside the expansion of one original character."""
    n = len(nm.text)
    return [p for p in range(n + 1) if p in (0, n) or nm.offsets[p] != nm.offsets[p - 1]]


def _check_round_trip(text: str, nm: Normalized, start: int, end: int) -> None:
    span = nm.to_original(Span(start, end))
    assert 0 <= span.start <= span.end <= len(text)
    assert normalize(span.of(text)) == nm.text[start:end], (text, start, end)
    if start < end:  # smallest: the slice neither starts nor ends with a dropped character
        assert normalize(text[span.start]) and normalize(text[span.end - 1])


def test_to_original_round_trip_property(seed_paths):
    texts = HANDMADE + [p.read_text(encoding="utf-8") for p in seed_paths]
    rng = random.Random(20220511)
    checked = 0
    for text in texts:
        nm = normalize_map(text)
        cuts = _boundaries(nm)
        # every word, and every occurrence of it, found in the match form
        for m in re.finditer(r"\S+", nm.text):
            for occ in re.finditer(re.escape(m.group()), nm.text):
                if occ.start() in cuts and occ.end() in cuts:
                    _check_round_trip(text, nm, occ.start(), occ.end())
                    checked += 1
        # random slices on character boundaries
        for _ in range(300):
            a, b = sorted(rng.choice(cuts) for _ in range(2))
            _check_round_trip(text, nm, a, b)
            checked += 1
    assert checked > 3000


def test_to_original_round_trip_dense_text():
    text = "".join(c + "\u064e\u0651" if c.isalpha() else c + "\u200f" for c in "قال الوزير إن 2022 عامٌ")
    nm = normalize_map(text)
    assert nm.text == "قال الوزير ان 2022 عام"
    for a in range(len(nm.text) + 1):
        for b in range(a, len(nm.text) + 1):
            _check_round_trip(text, nm, a, b)
