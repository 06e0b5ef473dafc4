"""Build the shipped table of which gazetteer place lies in which.

    .venv/bin/python scripts/build_places.py [--no-manifest]

Writes `src/marsad/resources/places_within.tsv`, one `child<TAB>parent` line per LOC key of
`gazetteer.tsv` that lies in another (`abha → asir`, `asir → saudi-arabia`, `cairo → egypt`), or
`child<TAB>*` for a broad area that is never told apart from any place (`middle-east`, `africa`, a sea),
sorted by child. `marsad.extract.places` reads it to tell two places (Tabuk and Riyadh: different events)
from a place and the place it lies in (Abha and Asir: maybe one event).

Rows come from two sources, all offline:

1. automatic, from Babel's CLDR data: each time-zone exemplar city lies in the territory of its zone
   (`babel.core.get_global("zone_territories")`, through `zone_aliases` for old zone ids:
   `Africa/Cairo` → `EG` → `cairo → egypt`), with the city and territory keys made exactly as
   `scripts/build_gazetteer.py` makes them; the CLDR world regions (`002` → `africa`) get `*`;
2. the hand list `src/marsad/resources/places_within_hand.tsv`: hand-listed cities and regions, regions
   of Saudi Arabia, broad areas, and overrides (`riyadh → riyadh-region`, `jerusalem → palestine`). A
   hand row wins over an automatic row for the same child.

Keys that are countries or territories in CLDR get no automatic parent (city-states such as `kuwait`
are both a zone city and a country). Rows whose keys are not LOC keys of the gazetteer are dropped with
a warning, and so is a cycle (an error). The LOC keys left with no parent and no `*` are printed: the
countries and territories are expected there; any other key is a gap for the hand list.

Deterministic: the output depends only on the Babel version, gazetteer.tsv and the hand list (same
input, same bytes). The first line records the Babel version. With `--no-manifest`, the table is
written without recording its sha256 in MANIFEST.json (then `marsad.extract.places` ignores it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import babel
from babel import Locale
from babel.core import get_global

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from build_gazetteer import (  # noqa: E402
    KEY_RE,
    SKIP_TERRITORIES,
    TERRITORY_KEYS,
    TZ_KEYS,
    TZ_SKIP_AREAS,
    slug,
)

from marsad.resources import record_artifact  # noqa: E402

RESOURCES = ROOT / "src" / "marsad" / "resources"
GAZETTEER = RESOURCES / "gazetteer.tsv"
HAND = RESOURCES / "places_within_hand.tsv"
OUT = RESOURCES / "places_within.tsv"
BROAD = "*"

# Chains printed after the build, as a check.
SHOW = ("abha", "jeddah", "mecca", "medina", "riyadh", "tabuk", "dammam", "cairo", "nablus", "gaza",
        "khan-younis", "jerusalem", "aden", "mukalla", "erbil", "paris", "dubai", "simferopol", "middle-east",
        "africa", "red-sea")


def territory_key(code: str, en: Locale) -> str:
    """The gazetteer key of a CLDR territory code, as scripts/build_gazetteer.py makes it."""
    return TERRITORY_KEYS.get(code) or slug(en.territories[code])


def zone_key(tz: str) -> str:
    """The gazetteer key of a time zone's exemplar city, as scripts/build_gazetteer.py makes it."""
    return TZ_KEYS.get(tz) or slug(tz.rsplit("/", 1)[-1].replace("_", " "))


def gazetteer_types(path: Path) -> dict[str, str]:
    """`key → type` of the generated gazetteer."""
    types: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, typ, _form = line.split("\t")
        types.setdefault(key, typ)
    return types


def hand_rows(path: Path) -> dict[str, str]:
    """The hand list as `child → parent`; a malformed or repeated line is an error, not a silent skip."""
    rows: dict[str, str] = {}
    errors: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            errors.append(f"{path.name}:{n}: want child<TAB>parent, got {line!r}")
            continue
        child, parent = parts
        if not KEY_RE.match(child):
            errors.append(f"{path.name}:{n}: bad key {child!r}")
        if parent != BROAD and not KEY_RE.match(parent):
            errors.append(f"{path.name}:{n}: bad parent {parent!r}")
        if child == parent:
            errors.append(f"{path.name}:{n}: {child!r} lies in itself")
        if child in rows:
            errors.append(f"{path.name}:{n}: {child!r} listed twice")
        rows[child] = parent
    if errors:
        raise SystemExit("\n".join(errors))
    return rows


def territories() -> tuple[dict[str, str], set[str]]:
    """`code → key` of the CLDR territories the gazetteer is built from, and the keys of the world
    regions (numeric codes)."""
    ar, en = Locale("ar"), Locale("en")
    keys = {code: territory_key(code, en) for code in sorted(ar.territories) if code not in SKIP_TERRITORIES}
    regions = {key for code, key in keys.items() if code.isdigit()}
    return keys, regions


def automatic_rows(code_keys: dict[str, str], regions: set[str], warnings: list[str]) -> dict[str, str]:
    """Zone city → territory key, and world region → `*`, from Babel's CLDR data."""
    zone_territories = get_global("zone_territories")
    zone_aliases = get_global("zone_aliases")
    country_keys = {key for key in code_keys.values() if key not in regions}
    rows: dict[str, str] = {key: BROAD for key in sorted(regions)}
    zones = Locale("ar")._data["time_zones"]
    for tz in sorted(zones):
        if not zones[tz].get("city") or tz.startswith(TZ_SKIP_AREAS):
            continue
        key = zone_key(tz)
        if key in country_keys:
            continue  # a city-state or territory (kuwait, singapore, hong-kong): a country has no parent
        code = zone_territories.get(tz) or zone_territories.get(zone_aliases.get(tz, tz))
        if code is None or code not in code_keys:
            warnings.append(f"zone {tz} ({key}): no CLDR territory")
            continue
        parent = code_keys[code]
        if rows.setdefault(key, parent) != parent:
            warnings.append(f"zone {tz} ({key}): territory {parent}, but another zone gives {rows[key]}; "
                            "first kept")
    return rows


def cycles(parent: dict[str, str]) -> list[list[str]]:
    """Every cycle of the `child → parent` map, each once, from its smallest key."""
    found: set[tuple[str, ...]] = set()
    for start in sorted(parent):
        path = [start]
        while path[-1] in parent and parent[path[-1]] != BROAD:
            nxt = parent[path[-1]]
            if nxt in path:
                loop = path[path.index(nxt):]
                i = loop.index(min(loop))
                found.add(tuple(loop[i:] + loop[:i]))
                break
            path.append(nxt)
    return [list(c) for c in sorted(found)]


def chain(key: str, parent: dict[str, str]) -> str:
    """`abha → asir → saudi-arabia`."""
    out = [key]
    while out[-1] in parent and parent[out[-1]] not in out:
        out.append(parent[out[-1]])
        if out[-1] == BROAD:
            break
    return " → ".join(out)


def render(rows: dict[str, str]) -> str:
    lines = [
        f"# generated by scripts/build_places.py from Babel {babel.__version__} CLDR time-zone territories "
        "and places_within_hand.tsv; do not edit"
    ]
    lines.extend(f"{child}\t{rows[child]}" for child in sorted(rows))
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-manifest", action="store_true",
                    help="write the table without recording it in MANIFEST.json")
    args = ap.parse_args()

    types = gazetteer_types(GAZETTEER)
    loc = {key for key, typ in types.items() if typ == "LOC"}
    code_keys, regions = territories()
    country_keys = {key for key in code_keys.values() if key not in regions}
    warnings: list[str] = []
    auto = automatic_rows(code_keys, regions, warnings)
    hand = hand_rows(HAND)

    # Automatic rows for keys the gazetteer dropped are expected (their forms clashed or were rejected);
    # count them instead of warning.
    auto_unused = sorted(k for k in auto if k not in loc)
    auto = {k: p for k, p in auto.items() if k in loc}

    rows: dict[str, str] = {}
    overridden: list[str] = []
    for child in sorted(set(auto) | set(hand)):
        if child in hand:
            rows[child] = hand[child]
            if child in auto and auto[child] != hand[child]:
                overridden.append(f"{child}: {auto[child]} → {hand[child]}")
        else:
            rows[child] = auto[child]

    for child in sorted(rows):
        parent = rows[child]
        bad = [k for k in (child, parent) if k != BROAD and k not in loc]
        if bad:
            src = "hand" if child in hand else "automatic"
            what = ", ".join(f"{k!r} ({'type ' + types[k] if k in types else 'not in gazetteer.tsv'})"
                             for k in bad)
            warnings.append(f"{src} row {child} → {parent}: {what}; dropped")
            del rows[child]

    loops = cycles(rows)
    if loops:
        raise SystemExit("cycles: " + "; ".join(" → ".join(c + c[:1]) for c in loops))

    text = render(rows)
    if args.no_manifest:
        OUT.write_bytes(text.encode("utf-8"))
    else:
        record_artifact(OUT.name, text.encode("utf-8"), "scripts/build_places.py",
                        source=f"Babel {babel.__version__} CLDR time-zone territories and "
                               "places_within_hand.tsv")

    n_broad = sum(p == BROAD for p in rows.values())
    from_hand = sum(c in hand for c in rows)
    print(f"hand rows: {len(hand)} ({sum(p == BROAD for p in hand.values())} `*`); "
          f"automatic rows: {len(auto)} ({sum(p == BROAD for p in auto.values())} `*`), "
          f"{len(auto_unused)} more for keys the gazetteer lacks ({', '.join(auto_unused) or '-'})")
    print(f"hand overrides of automatic rows ({len(overridden)}):")
    for line in overridden:
        print("  " + line)
    print(f"warnings ({len(warnings)}):")
    for line in warnings:
        print("  " + line)
    orphans = sorted(loc - set(rows))
    countries = [k for k in orphans if k in country_keys]
    others = [k for k in orphans if k not in country_keys]
    print(f"LOC keys with no parent and no `*`: {len(countries)} countries/territories, "
          f"{len(others)} others{': ' + ', '.join(others) if others else ''}")
    print("chains:")
    for key in SHOW:
        if key in loc:
            print("  " + chain(key, rows))
    size = len(text.encode("utf-8"))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} rows ({from_hand} from the hand list, "
          f"{len(rows) - from_hand} automatic; {n_broad} `*`), {size} bytes"
          + (" (not recorded in MANIFEST.json)" if args.no_manifest else ""))


if __name__ == "__main__":
    main()
