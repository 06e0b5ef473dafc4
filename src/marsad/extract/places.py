"""Which known places lie in which (`places_within.tsv`), to tell two places apart from a place and
the place it lies in.

Two articles of a day that follow one template (heavy rain, an election centre made ready, a crash)
name different places when they report different events (Tabuk and Riyadh), but a city and its region
or country when they report the same one (Abha and Asir; Cairo and Egypt; Nablus and the West Bank).
The table maps a gazetteer LOC key to the key of the place it lies in; a key that names a broad area
(the Middle East, the Gulf, a sea) maps to `*` and is never told apart from anything.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from marsad.extract.gazetteer import gazetteer

TABLE = "places_within.tsv"
BROAD = "*"


class Places:
    """The containment of known places: `parent` of each key, and the broad keys."""

    def __init__(self, rows: Iterable[tuple[str, str]], loc_keys: Iterable[str]) -> None:
        self.parent: dict[str, str] = {}
        self.broad: set[str] = set()
        for child, parent in rows:
            if parent == BROAD:
                self.broad.add(child)
            else:
                self.parent[child] = parent
        self.loc = frozenset(loc_keys)

    @functools.lru_cache(maxsize=1 << 14)  # noqa: B019 (one instance per process, kept for its life)
    def ancestors(self, key: str) -> frozenset[str]:
        """The key and every place it lies in."""
        out = [key]
        while out[-1] in self.parent and self.parent[out[-1]] not in out:
            out.append(self.parent[out[-1]])
        return frozenset(out)

    def specific(self, keys: Iterable[str]) -> frozenset[str]:
        """The known, not broad, places among gazetteer keys (`Features.names` style: `k:` + key, other
        names left out)."""
        return frozenset(k[2:] for k in keys
                         if k.startswith("k:") and k[2:] in self.loc and k[2:] not in self.broad)

    def apart(self, a: Iterable[str], b: Iterable[str]) -> bool:
        """Whether two sets of place keys both name places and no place of one is, holds or lies in a
        place of the other."""
        a, b = frozenset(a), frozenset(b)
        if not a or not b:
            return False
        for x in a:
            up_x = self.ancestors(x)
            for y in b:
                if y in up_x or x in self.ancestors(y):
                    return False
        return True


def _rows() -> list[tuple[str, str]]:
    from marsad.resources import load_artifact, manifest

    if TABLE not in manifest():
        return []
    out = []
    for line in load_artifact(TABLE).decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        child, parent = line.split("\t")[:2]
        out.append((child.strip(), parent.strip()))
    return out


@functools.lru_cache(maxsize=1)
def places() -> Places:
    """The shipped table, loaded once."""
    loc = {e.key for e in gazetteer().names.values() if e.type == "LOC"}
    return Places(_rows(), loc)
