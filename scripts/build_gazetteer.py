"""Build the shipped gazetteer of Arabic place, organisation and person names.

    .venv/bin/python scripts/build_gazetteer.py

Writes `src/marsad/resources/gazetteer.tsv`, one `key<TAB>type<TAB>form` line per Arabic surface form,
sorted and deduplicated, from three sources, all offline:

1. Babel's CLDR Arabic territory names (`Locale("ar").territories`): countries and territories as LOC
   (the European Union and the United Nations, which CLDR also lists, as ORG), keyed by the slug of
   the English name (`MA` → `morocco`, `US` → `united-states`), and the CLDR world regions (`002` →
   `africa`, `015` → `northern-africa`) as LOC;
2. Babel's Arabic exemplar cities of the time zones (`Locale("ar")._data["time_zones"][tz]["city"]`)
   as LOC, keyed by the slug of the last part of the zone id (`Africa/Casablanca` → `casablanca`),
   except Antarctica and Etc;
3. the hand list `src/marsad/resources/gazetteer_hand.tsv`: the organisations, armed groups, news
   agencies, leaders, cities, regions and long or alternative country names that Arabic news uses
   most and CLDR lacks. Its keys reuse the generated ones, so its forms join Babel's for the same
   entity; for a key it lists, its type wins.

Why: the named-entity model misses names it never saw in training; a gazetteer gives it features and
a list to fall back on. Babel carries the country and city names with their Arabic translations, so
the list is rebuilt from a pinned package instead of being copied by hand.

Only whole forms are written, as CLDR or the hand list spell them, with diacritics and tatweel removed
(news rarely vowels names). No spelling variants are invented: the consumer compares forms in the match
form of `marsad.text.normalize`, which folds alef/hamza, alef maqsura and ta marbuta itself.

Dropped, and printed: generated forms shorter than two letters, with parentheses, Latin letters, digits
or list punctuation (`هيبرون (مدينة الخليل)`, `الكونغو - كينشاسا`, `مدينة تل، إنديانا`); generated
forms that are also common Arabic words or other things (`AMBIGUOUS`, e.g. `مالي` "financial",
`بنين` "boys", `نوم` "sleep"); and forms that, read word by word in the match form, belong to more
than one key. Such a clash is settled by source: the hand list beats countries, which beat regions,
which beat time-zone cities (`تونس`, `الجزائر` and `عمان` name the countries, not the capitals); a clash
inside one generated source drops the form from both keys; a clash inside the hand list is an error.

Deterministic: the output depends only on the Babel version, the hand list and the match form of
`marsad.text.normalize` (same input, same bytes). The first line records the Babel version.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import babel
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.resources import record_artifact  # noqa: E402
from marsad.text.normalize import normalize  # noqa: E402

RESOURCES = ROOT / "src" / "marsad" / "resources"
HAND = RESOURCES / "gazetteer_hand.tsv"
OUT = RESOURCES / "gazetteer.tsv"

TYPES = ("LOC", "ORG", "PER", "MISC")
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Source ranks: in a clash over one match form, the lowest rank keeps it.
HAND_SRC, TERRITORY_SRC, REGION_SRC, TZ_SRC = 0, 1, 2, 3
SOURCE_NAMES = {HAND_SRC: "hand", TERRITORY_SRC: "country", REGION_SRC: "region", TZ_SRC: "tz city"}

# CLDR territory codes left out: the world (العالم is a common word), pseudo-locales, unknown region,
# and "Outlying Oceania", which no news names.
SKIP_TERRITORIES = {
    "001": "العالم: 'the world', a common word",
    "QO": "Outlying Oceania: a CLDR grouping, not a place news names",
    "XA": "pseudo-locale",
    "XB": "pseudo-locale",
    "ZZ": "unknown region",
}
# Keys for territories whose English CLDR name makes a poor slug or a slug news-readers would not guess.
TERRITORY_KEYS = {
    "CD": "dr-congo",  # Congo - Kinshasa
    "CG": "congo",  # Congo - Brazzaville
    "CI": "ivory-coast",  # Côte d'Ivoire
    "EU": "eu",
    "HK": "hong-kong",  # Hong Kong SAR China
    "MM": "myanmar",  # Myanmar (Burma)
    "MO": "macau",  # Macao SAR China
    "PS": "palestine",  # Palestinian Territories
    "TR": "turkey",  # Türkiye
    "UN": "un",
}
TERRITORY_TYPES = {"EU": "ORG", "UN": "ORG"}

# Keys for time zones whose id carries an old or foreign spelling of the city.
TZ_KEYS = {
    "Africa/Asmera": "asmara",
    "Africa/El_Aaiun": "laayoune",
    "America/Godthab": "nuuk",
    "Asia/Calcutta": "kolkata",
    "Asia/Katmandu": "kathmandu",
    "Asia/Macau": "macau",
    "Asia/Rangoon": "yangon",
    "Asia/Saigon": "ho-chi-minh-city",
    "Atlantic/Faeroe": "faroe-islands",
    "Europe/Kiev": "kyiv",
    "Europe/Vatican": "vatican-city",
    "Indian/Comoro": "comoros",
    "Pacific/Ponape": "pohnpei",
    "Pacific/Truk": "chuuk",
}
TZ_SKIP_AREAS = ("Antarctica/", "Etc/")

# Generated forms that are common Arabic words, given names, or names of something else that news
# mentions more often than the place. The hand list may still carry a longer, unambiguous form.
AMBIGUOUS = {
    "مالي": "Mali: also 'financial', 'my money' (hand list has جمهورية مالي)",
    "بنين": "Benin: also 'boys, sons' (hand list has جمهورية بنين)",
    "العيون": "Laayoune: also 'the eyes' (hand list has مدينة العيون)",
    "نوم": "Nome: also 'sleep'",
    "ترك": "Chuuk (Truk): also 'left, abandoned'",
    "سمراء": "Samara: also 'dark-skinned (f.)'",
    "سنتر": "Center, North Dakota: also 'centre' in shop and mall names",
    "استر": "Easter Island: also 'cover!', 'ester'",
    "واك": "Wake Island: a fragment, not a word news uses for it",
    "ماهي": "Mahé: also 'ما هي' ('what is') written as one word",
    "كريسماس": "Christmas Island: also 'Christmas'",
    "ديلي": "Dili: also 'Daily' in ديلي ميل, ديلي تلغراف",
    "أبيا": "Apia: also 'refusing, proud' (accusative)",
    "كانتون": "Kanton Island: also 'canton' (Swiss cantons, old name of Guangzhou)",
    "دارون": "Darwin: also Charles Darwin",
    "برثا": "Perth (misspelt in CLDR): also the given name Bertha",
    "ريجينا": "Regina: also a given name",
    "جوني": "Juneau (misspelt in CLDR): also the given name Johnny",
    "جوجو": "Jujuy (misspelt in CLDR): also a nickname",
    "بلم": "Belém: also 'boat' in Iraqi and Gulf Arabic",
    "بيترسبرغ": "Petersburg, Indiana: news means Saint Petersburg, Russia",
    "أندير": "Anadyr: also the given name Ander (Ander Herrera)",
    "صوفيا": "Sofia: also the given name Sofia/Sophia (and Sophia the robot, a Saudi citizen)",
    "واليس": "Wallis: also the surname Wallace/Wallis",
    "حي الأمير السفلي": "Lower Prince's Quarter: a calque, not a name",
}

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u0660-\u0669]")
_BAD_PUNCT = re.compile(r"[()\[\]،,;:/]| - ")
# A name's words, as the consumer (`marsad.extract.gazetteer.name_tokens`) reads them: match-form letter
# or digit runs, punctuation dropped.
_WORD = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One surface form of one entity, with where it came from."""

    key: str
    type: str
    form: str
    source: int


def slug(name: str) -> str:
    """ASCII slug of an English name: `St. Kitts & Nevis` → `st-kitts-nevis`, `Åland` → `aland`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace("&", " ").replace(".", "")).strip("-")


def clean(form: str) -> str:
    """The form as stored: NFC, without diacritics or tatweel, single spaces."""
    form = _MARKS.sub("", unicodedata.normalize("NFC", form))
    return " ".join(form.split())


def match_key(form: str) -> str:
    """The words of a form in the match form: forms with the same match key are one name to the consumer."""
    return " ".join(_WORD.findall(normalize(form)))


def reject_reason(form: str) -> str | None:
    """Why a generated form is not kept, or None to keep it."""
    if len(form.replace(" ", "")) < 2:
        return "shorter than two letters"
    if _BAD_PUNCT.search(form):
        return "parentheses or list punctuation"
    if _LATIN_OR_DIGIT.search(form):
        return "Latin letters or digits"
    if form in AMBIGUOUS:
        return "ambiguous: " + AMBIGUOUS[form]
    return None


def generated_entries(dropped: list[str]) -> list[Entry]:
    """Country, territory and region names, and time-zone cities, from Babel's Arabic CLDR data."""
    ar, en = Locale("ar"), Locale("en")
    raw: list[Entry] = []
    for code, name in sorted(ar.territories.items()):
        if code in SKIP_TERRITORIES:
            dropped.append(f"{code}\t{name}\tskipped territory: {SKIP_TERRITORIES[code]}")
            continue
        numeric = code.isdigit()
        key = TERRITORY_KEYS.get(code) or slug(en.territories[code])
        source = REGION_SRC if numeric else TERRITORY_SRC
        raw.append(Entry(key, TERRITORY_TYPES.get(code, "LOC"), name, source))
    zones = ar._data["time_zones"]
    for tz in sorted(zones):
        city = zones[tz].get("city")
        if not city or tz.startswith(TZ_SKIP_AREAS):
            continue
        key = TZ_KEYS.get(tz) or slug(tz.rsplit("/", 1)[-1].replace("_", " "))
        raw.append(Entry(key, "LOC", city, TZ_SRC))
    out: list[Entry] = []
    for e in raw:
        form = clean(e.form)
        why = reject_reason(form)
        if why:
            dropped.append(f"{e.key}\t{e.form}\t{SOURCE_NAMES[e.source]}: {why}")
        else:
            out.append(Entry(e.key, e.type, form, e.source))
    return out


def hand_entries(path: Path) -> list[Entry]:
    """The hand list; a malformed line is an error, not a silent skip."""
    out: list[Entry] = []
    errors: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            errors.append(f"{path.name}:{n}: want key<TAB>type<TAB>form, got {line!r}")
            continue
        key, typ, raw_form = parts
        form = clean(raw_form)
        if not KEY_RE.match(key):
            errors.append(f"{path.name}:{n}: bad key {key!r}")
        if typ not in TYPES:
            errors.append(f"{path.name}:{n}: bad type {typ!r}")
        if len(form.replace(" ", "")) < 2 or form != raw_form.strip():
            errors.append(f"{path.name}:{n}: form {raw_form!r} is too short or has marks/extra spaces")
        out.append(Entry(key, typ, form, HAND_SRC))
    if errors:
        raise SystemExit("\n".join(errors))
    return out


def merge(entries: list[Entry], dropped: list[str]) -> dict[str, tuple[str, set[str]]]:
    """`key → (type, forms)`, each match form owned by one key (see the module docstring)."""
    hand_types: dict[str, str] = {}
    by_norm: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        by_norm[match_key(e.form)].append(e)
        if e.source == HAND_SRC and hand_types.setdefault(e.key, e.type) != e.type:
            raise SystemExit(f"hand list gives key {e.key!r} two types: {hand_types[e.key]}, {e.type}")
    kept: list[Entry] = []
    clashes: list[str] = []
    for norm in sorted(by_norm):
        group = by_norm[norm]
        best = min(e.source for e in group)
        owners = sorted({e.key for e in group if e.source == best})
        if len(owners) > 1:
            if best == HAND_SRC:
                clashes.append(f"hand list puts {norm!r} under several keys: {', '.join(owners)}")
                continue
            for e in group:
                dropped.append(
                    f"{e.key}\t{e.form}\t{SOURCE_NAMES[e.source]}: also {SOURCE_NAMES[best]} name of "
                    f"{', '.join(k for k in owners if k != e.key)}; dropped from all"
                )
            continue
        for e in group:
            if e.key == owners[0]:
                kept.append(e)
            else:
                dropped.append(
                    f"{e.key}\t{e.form}\t{SOURCE_NAMES[e.source]}: belongs to {owners[0]} "
                    f"({SOURCE_NAMES[best]})"
                )
    if clashes:
        raise SystemExit("\n".join(clashes))
    result: dict[str, tuple[str, set[str]]] = {}
    for e in kept:
        typ = hand_types.get(e.key, e.type)
        prev_type, forms = result.setdefault(e.key, (typ, set()))
        if prev_type != typ:
            raise SystemExit(f"key {e.key!r} has two types: {prev_type}, {typ}")
        forms.add(e.form)
    return result


def render(gazetteer: dict[str, tuple[str, set[str]]]) -> str:
    """The TSV text: a provenance line, then `key<TAB>type<TAB>form` lines sorted by key and form."""
    lines = [
        f"# generated by scripts/build_gazetteer.py from Babel {babel.__version__} CLDR data and "
        "gazetteer_hand.tsv; do not edit"
    ]
    for key in sorted(gazetteer):
        typ, forms = gazetteer[key]
        lines.extend(f"{key}\t{typ}\t{form}" for form in sorted(forms))
    return "\n".join(lines) + "\n"


def main() -> None:
    dropped: list[str] = []
    entries = generated_entries(dropped) + hand_entries(HAND)
    gazetteer = merge(entries, dropped)
    text = render(gazetteer)
    record_artifact(OUT.name, text.encode("utf-8"), "scripts/build_gazetteer.py",
                    source=f"Babel {babel.__version__} CLDR territory and city names, and gazetteer_hand.tsv")
    aliases = (RESOURCES / "aliases_hand.tsv").read_bytes()
    record_artifact("aliases_hand.tsv", aliases, "hand (checked by scripts/build_gazetteer.py)",
                    source="hand list of well-known entities with several names")

    print(f"dropped {len(dropped)} forms:")
    for line in dropped:
        print("  " + line)
    rows: dict[str, int] = defaultdict(int)
    keys: dict[str, int] = defaultdict(int)
    for typ, forms in gazetteer.values():
        rows[typ] += len(forms)
        keys[typ] += 1
    for typ in TYPES:
        print(f"{typ}: {keys[typ]} keys, {rows[typ]} forms")
    size = len(text.encode("utf-8"))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(gazetteer)} keys, {sum(rows.values())} forms, {size} bytes")


if __name__ == "__main__":
    main()
