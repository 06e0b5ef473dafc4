from datetime import date

import numpy as np

from marsad.extract.places import places
from marsad.similarity import Features, compare


def test_places_a_place_and_the_place_it_lies_in_are_not_apart():
    p = places()
    for a, b in (("abha", "asir"), ("cairo", "egypt"), ("nablus", "west-bank"), ("aden", "yemen"),
                 ("riyadh", "saudi-arabia"), ("jeddah", "makkah-region")):
        assert p.ancestors(a) >= {a, b}
        assert not p.apart({a}, {b}) and not p.apart({b}, {a})


def test_places_two_different_places_are_apart_unless_one_of_them_is_shared_or_broad():
    p = places()
    assert p.apart({"tabuk"}, {"riyadh"}) and p.apart({"hail"}, {"najran"}) and p.apart({"paris"}, {"cairo"})
    assert not p.apart({"tabuk", "riyadh"}, {"riyadh"})
    assert not p.apart(set(), {"riyadh"}) and not p.apart({"riyadh"}, set())
    # broad areas are never specific places
    assert p.specific({"k:middle-east", "k:red-sea", "k:tabuk", "tabuk", "k:no-such-place"}) == {"tabuk"}


def _f(aid, names):
    vec = np.zeros(512, dtype=np.float32)
    vec[0] = 1.0
    return Features(aid, date(2015, 8, 1), {"rain": 0.8, "storm": 0.6}, np.zeros(0, np.uint32),
                    np.zeros(0, np.float32), vec, frozenset(names))


def test_similarity_scales_the_score_down_when_the_articles_name_places_apart(settings):
    off = settings.with_overrides({"similarity": {"places_apart_factor": 1.0}})
    factor = settings.similarity.places_apart_factor
    assert factor < 1.0
    tabuk, riyadh, capital = _f("a", {"k:tabuk"}), _f("b", {"k:riyadh"}), _f("c", {"k:riyadh-region"})
    far, plain = compare(tabuk, riyadh, settings), compare(tabuk, riyadh, off)
    assert far.places_apart and not plain.places_apart
    assert abs(far.score - plain.score * factor) < 1e-12
    near = compare(riyadh, capital, settings)
    assert not near.places_apart and near.score == compare(riyadh, capital, off).score
