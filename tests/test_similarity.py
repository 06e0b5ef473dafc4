"""similarity.compare and its parts: bounds, symmetry, time, spelling, title cover, stored features."""

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from builders import make_article

from marsad import engine, pipeline
from marsad.extract.entities import entity_keys
from marsad.ingest import read_paths
from marsad.similarity import compare, compare_many, featurize, time_factor, title_cover
from marsad.store import Store

UNRELATED = Path(__file__).parent / "data" / "unrelated"

EPS = 1e-3  # float16 embeddings and 6-decimal term weights: a cosine may land a hair above 1


@pytest.fixture(scope="module")
def unrelated_paths():
    return sorted(UNRELATED.glob("*.txt"))


@pytest.fixture(scope="module")
def prepared(seed_paths, unrelated_paths, settings):
    """Seeds then unrelated articles, prepared as ingest prepares them."""
    return [pipeline.prepare(a, settings) for a in read_paths([*seed_paths, *unrelated_paths], settings)]


@pytest.fixture(scope="module")
def feats(prepared, settings):
    """Features by article id, computed in one batch like ingest does."""
    fs = featurize([p.article for p in prepared], settings, {p.article.id: p.terms for p in prepared})
    return {f.article_id: f for f in fs}


@pytest.fixture(scope="module")
def seed_ids(seed_paths):
    return [p.stem for p in seed_paths]


@pytest.fixture(scope="module")
def unrelated_ids(unrelated_paths):
    return [p.stem for p in unrelated_paths]


def _lexical(*articles, settings):
    """Features without the sentence encoder (the lexical parts only; fast)."""
    return featurize(list(articles), settings, embed=False)


def test_similarity_article_compared_with_itself_scores_one_on_every_part(feats, settings):
    for f in feats.values():
        p = compare(f, f, settings, explain=True)
        for name in ("terms", "chars", "semantic", "names"):
            assert getattr(p, name) == pytest.approx(1.0, abs=EPS), (f.article_id, name)
        # a derived title has no title part
        assert p.title == (None if not f.title_terms else pytest.approx(1.0))
        assert p.days_apart in (0, None) and p.time_factor == 1.0
        assert p.score > 0.99, f.article_id
        assert p.score >= max(compare(f, g, settings).score for g in feats.values()), f.article_id


def test_similarity_scores_and_parts_stay_in_bounds(feats, settings):
    for a, b in itertools.product(feats.values(), repeat=2):
        p = compare(a, b, settings, explain=True)
        assert 0.0 <= p.score <= 1.0
        assert 0.0 <= p.time_factor <= 1.0
        assert -EPS <= p.terms <= 1 + EPS and -EPS <= p.chars <= 1 + EPS
        assert p.semantic is None or -1 - EPS <= p.semantic <= 1 + EPS
        for part in (p.names, p.title):
            assert part is None or 0.0 <= part <= 1.0


def test_similarity_compare_is_symmetric(feats, settings):
    for a, b in itertools.combinations(feats.values(), 2):
        assert compare(a, b, settings, explain=True) == compare(b, a, settings, explain=True)


def test_similarity_seeds_score_higher_with_each_other_than_with_unrelated(feats, seed_ids, unrelated_ids,
                                                                           settings):
    for sid in seed_ids:
        with_seeds = [compare(feats[sid], feats[o], settings).score for o in seed_ids if o != sid]
        with_unrelated = [compare(feats[sid], feats[u], settings).score for u in unrelated_ids]
        assert min(with_seeds) > max(with_unrelated), sid
    # and every part but names says so on average
    def mean(name, pairs):
        return np.mean([getattr(compare(feats[x], feats[y], settings, explain=True), name) for x, y in pairs])

    same = list(itertools.combinations(seed_ids, 2))
    other = list(itertools.product(seed_ids, unrelated_ids))
    for name in ("terms", "chars", "semantic"):
        assert mean(name, same) > 2 * mean(name, other), name


def test_similarity_time_factor_falls_with_days_apart(settings):
    window = settings.cluster.window_days
    assert time_factor(None, settings) == 1.0
    cfg = settings.similarity
    assert all(time_factor(d, settings) == 1.0 for d in range(cfg.same_days + 1))
    inside = [time_factor(d, settings) for d in range(cfg.same_days + 1, window + 1)]
    first = cfg.cross_day_factor * (1 - (1 - cfg.window_floor) / (window - cfg.same_days))
    assert inside[0] == pytest.approx(first)
    assert all(x > y for x, y in itertools.pairwise(inside))
    assert inside[-1] == pytest.approx(cfg.cross_day_factor * cfg.window_floor) and inside[-1] > 0
    assert time_factor(window + 1, settings) == 0.0
    assert time_factor(window + 30, settings) == 0.0


def test_similarity_time_factor_scales_the_score_by_publication_days(feats, seed_ids, settings):
    a, b = (feats[seed_ids[1]], feats[seed_ids[4]])
    window = settings.cluster.window_days
    def at(days):
        return compare(replace(a, day=date(2022, 5, 1)), replace(b, day=date(2022, 5, 1 + days)), settings)

    undated = compare(replace(a, day=None), replace(b, day=None), settings)
    assert undated.days_apart is None and undated.time_factor == 1.0
    same = settings.similarity.same_days
    assert at(0).score == at(same).score == pytest.approx(undated.score)
    assert at(0).score > at(same + 1).score > at(3).score > at(window).score > 0
    assert at(window + 1).score == 0.0 and at(window + 1).days_apart == window + 1


BLINKEN = ("وصل وزير الخارجية الأمريكي {} إلى مراكش للمشاركة في اجتماع التحالف الدولي ضد داعش "
           "وبحث مع نظيره المغربي ملفات التعاون الأمني")
SUMMIT = "أعلنت الحكومة أن {} سيستضيف القمة المقبلة لوزراء الخارجية العرب في شهر سبتمبر"


def test_similarity_char_grams_absorb_a_spelling_variant_the_stemmer_misses(settings):
    a, b = _lexical(make_article(BLINKEN.format("بلينكن"), id="a"),
                    make_article(BLINKEN.format("بلينكين"), id="b"), settings=settings)
    p = compare(a, b, settings, explain=True)
    # the two spellings stem differently, so the name's (heavy, rare) term is lost ...
    assert set(a.terms) != set(b.terms)
    assert p.terms < 0.8
    # ... but the char-grams still see nearly the same text
    assert p.chars > 0.85 and p.chars > p.terms + 0.1
    # on the name alone the char-grams still find half of it; the stems nothing
    x, y = _lexical(make_article("بلينكن", id="x"), make_article("بلينكين", id="y"), settings=settings)
    alone = compare(x, y, settings, explain=True)
    assert alone.terms == 0.0 and alone.chars > 0.3


def test_similarity_clitics_change_neither_the_stems_nor_much_of_the_char_grams(settings):
    a, b = _lexical(make_article(SUMMIT.format("المغرب"), id="a"),
                    make_article(SUMMIT.format("والمغرب"), id="b"), settings=settings)
    p = compare(a, b, settings, explain=True)
    assert a.terms.keys() == b.terms.keys()
    assert p.terms == pytest.approx(1.0, abs=1e-5)
    assert p.chars > 0.95
    different = _lexical(make_article(SUMMIT.format("لبنان"), id="c"), settings=settings)[0]
    assert compare(a, different, settings, explain=True).chars < p.chars


def test_similarity_names_are_the_entities_the_title_and_lead_name(settings):
    """Known names agree under any of their names; a person by his last name; a title is no name."""
    keys = entity_keys("التقى الوزير ناصر بوريطة في مدينة مراكش نظيره أنتوني بلينكن")
    assert {"k:marrakesh", "k:antony-blinken"} <= keys
    assert "بوريطه" in keys
    assert entity_keys("بالمملكة المغربية") == entity_keys("في المغرب") == {"k:morocco"}
    assert entity_keys("ذهب إلى السوق صباحا") == frozenset()
    text = "قال {} إن الاجتماع بحث التعاون بين الدول المشاركة في {}"
    a, b, c = _lexical(make_article(text.format("الوزير ناصر بوريطة", "مراكش"), id="a"),
                       make_article(text.format("وزير الخارجية ناصر بوريطة", "مراكش"), id="b"),
                       make_article(text.format("الوزير أنتوني بلينكن", "واشنطن"), id="c"), settings=settings)
    assert compare(a, b, settings).names == 1.0
    assert compare(a, c, settings).names == 0.0


WEDDING = ("احتفلت أسرة {} مساء الخميس بزفاف ابنها في قاعة الأفراح بمدينة أبها بحضور الأهل والأصدقاء "
           "وتلقت الأسرة التهاني من الجيران")


def test_similarity_title_cover_is_low_for_one_template_with_different_names(settings):
    """Hand-written: "أفراح آل X" and "أفراح آل Y" share the template, not the event."""
    zahrani, otaibi, zahrani_again = _lexical(
        make_article(WEDDING.format("الزهراني"), id="z", title="أفراح آل الزهراني"),
        make_article(WEDDING.format("العتيبي"), id="o", title="أفراح آل العتيبي"),
        make_article(WEDDING.format("الزهراني") + " والأقارب", id="z2", title="أفراح آل الزهراني"),
        settings=settings,
    )
    other_family = title_cover(zahrani, otaibi)
    same_family = title_cover(zahrani, zahrani_again)
    assert same_family == pytest.approx(1.0)
    assert other_family is not None and other_family < 0.7
    # the title part pulls the template pair down even though the bodies are nearly the same
    assert compare(zahrani, otaibi, settings).score < compare(zahrani, zahrani_again, settings).score


def test_similarity_title_cover_is_none_when_a_title_is_derived(settings):
    titled = make_article(WEDDING.format("الزهراني"), id="t", title="أفراح آل الزهراني")
    derived = replace(titled, id="d", title="احتفلت أسرة الزهراني مساء الخميس", title_derived=True)
    ft, fd = _lexical(titled, derived, settings=settings)
    assert fd.title_terms == frozenset()
    assert title_cover(ft, fd) is None and title_cover(fd, ft) is None
    assert compare(ft, fd, settings, explain=True).title is None


def test_similarity_title_cover_is_none_for_the_derived_seed_title(prepared, feats, settings):
    derived = [p.article.id for p in prepared if p.article.title_derived]
    assert derived  # seed 003 has no title of its own
    for aid in derived:
        for other in feats.values():
            assert title_cover(feats[aid], other) is None


def test_similarity_features_read_back_from_the_store_compare_like_fresh_ones(seed_paths, unrelated_paths,
                                                                              feats, settings):
    with Store() as store:
        engine.ingest(store, [*seed_paths, *unrelated_paths], settings)
        stored = store.features(feats)
        # fresh features of the articles as stored (ingest dates two undated seeds from the batch)
        fresh = {f.article_id: f for f in featurize(store.get_articles(sorted(feats)), settings)}
    assert stored.keys() == feats.keys() == fresh.keys()
    for x, y in itertools.combinations_with_replacement(sorted(feats), 2):
        assert compare(stored[x], stored[y], settings, explain=True) == compare(
            fresh[x], fresh[y], settings, explain=True
        ), (x, y)
    for aid in feats:
        fresh = feats[aid]
        assert compare(stored[aid], fresh, settings).score == compare(fresh, fresh, settings).score


def test_similarity_featurize_is_deterministic(prepared, feats, settings):
    again = featurize([p.article for p in prepared], settings)
    for f in again:
        g = feats[f.article_id]
        assert dict(f.terms) == dict(g.terms) and list(f.terms) == list(g.terms)
        assert np.array_equal(f.char_idx, g.char_idx) and np.array_equal(f.char_val, g.char_val)
        assert np.array_equal(f.embedding, g.embedding)
        assert (f.names, f.title_terms, f.day) == (g.names, g.title_terms, g.day)


def test_similarity_compare_many_gives_each_pair_exactly_what_compare_gives(feats, settings):
    """The clusterer scores an article against all its candidates at once: the batch must not change a
    single bit of any pair's parts, whatever else is in the batch or in which order."""
    fs = list(feats.values())
    for f in fs:
        batch = compare_many(f, fs, settings, explain=True)
        assert batch == [compare(f, g, settings, explain=True) for g in fs]
        assert compare_many(f, fs[::-1], settings, explain=True) == batch[::-1]
    assert compare_many(fs[0], [], settings) == []


def test_similarity_story_signature_is_what_most_members_say_and_core_names_what_they_name(feats, seed_ids):
    from marsad.similarity import core_names, signature, signature_cover

    seeds = [f for aid, f in feats.items() if aid in seed_ids]
    others = [f for aid, f in feats.items() if aid not in seed_ids]
    assert len(seeds) == 5 and others
    sig = signature(seeds, 8)
    assert len(sig) == 8 and list(sig.values()) == sorted(sig.values(), reverse=True)
    # every signature term is held by two seeds or more
    assert all(sum(t in f.terms for f in seeds) >= 2 for t in sig)
    # each seed carries much of the five seeds' signature; an unrelated article little of it
    assert min(signature_cover(sig, [f]) for f in seeds) > max(signature_cover(sig, [f]) for f in others)
    assert signature_cover(sig, seeds) == 1.0 and signature_cover({}, seeds) == 0.0
    names = core_names(seeds, 0.25, 2.5)
    assert names and all(sum(k in f.names for f in seeds) >= 2 for k in names)
    assert core_names(seeds, 0.25, 100.0) == frozenset()
