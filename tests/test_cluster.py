import random
from dataclasses import replace
from datetime import date

import numpy as np

from marsad import pipeline
from marsad.cluster import Clusterer, cluster, story_id_for
from marsad.ingest import read_path
from marsad.similarity import Features, compare_many, featurize


def _prepared(paths, settings):
    return [pipeline.prepare(a, settings).article for p in paths for a in read_path(p, settings)]


def test_cluster_seeds_form_exactly_one_story(seed_run):
    assert len(seed_run.stories) == 1
    assert len(seed_run.stories[0].article_ids) == 5


def test_cluster_unrelated_articles_do_not_join_the_seed_story(seed_paths, data_dir, settings):
    extra = sorted((data_dir / "unrelated").glob("*.txt"))
    arts = _prepared([*seed_paths, *extra], settings)
    groups = cluster(arts, settings)
    seed_ids = {a.id for a in arts[:5]}
    seed_groups = [g for g in groups if seed_ids & set(g)]
    assert len(seed_groups) == 1
    assert set(seed_groups[0]) == seed_ids
    assert len(groups) == 1 + len(extra)


def test_cluster_grouping_does_not_depend_on_input_order(seed_paths, data_dir, settings):
    arts = _prepared([*seed_paths, *sorted((data_dir / "unrelated").glob("*.txt"))], settings)
    expected = sorted(sorted(g) for g in cluster(arts, settings))
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(arts)
        assert sorted(sorted(g) for g in cluster(arts, settings)) == expected


def test_cluster_incremental_add_joins_existing_story(seed_paths, data_dir, settings):
    arts = _prepared(seed_paths, settings)
    feats = featurize(arts, settings)
    c = Clusterer(settings)
    c.seed("s-existing", feats[:3])
    assert c.add(feats[3]) == "s-existing"
    assert c.add(feats[4]) == "s-existing"
    other = _prepared([data_dir / "unrelated" / "football.txt"], settings)[0]
    sid = c.add(featurize([other], settings)[0])
    assert sid == story_id_for(other.id) != "s-existing"
    assert c.groups()["s-existing"] == [a.id for a in arts]


# --- centroids: synthetic features, so that link scores and centroid cosines can be set apart ----------

def _f(aid, terms, day=date(2015, 8, 7), emb=None, names=()):
    vec = np.zeros(512, dtype=np.float32)
    vec[emb if emb is not None else 0] = 1.0
    norm = sum(w * w for w in terms.values()) ** 0.5
    return Features(aid, day, {t: w / norm for t, w in terms.items()}, np.zeros(0, np.uint32),
                    np.zeros(0, np.float32), vec, frozenset(names))


def _story(prefix, n, day=date(2015, 8, 7)):
    # members share a core ("asir", "blast") and each has its own heavier words: weak links to any one
    # member, a strong centroid
    return [_f(f"{prefix}{i}", {"asir": 1.0, "blast": 1.0, f"{prefix}own{i}": 1.6, f"{prefix}x{i}": 1.6}, day)
            for i in range(n)]


def _centroid_settings(settings, **cluster):
    # links never join or merge (threshold above 1) unless a test lowers them
    return settings.with_overrides({"cluster": {"threshold": 1.01, "merge_threshold": 1.01, **cluster}})


def test_cluster_article_joins_a_big_story_by_its_centroid(settings):
    s = _centroid_settings(settings)
    members = _story("m", 4)
    new = _f("new", {"asir": 1.0, "blast": 1.0, "reaction": 1.6, "minister": 1.6})
    c = Clusterer(s)
    c.seed("s-big", members)
    assert c.add(new) == "s-big"
    # too few members to trust a centroid, another embedding, or days apart: a story of its own
    for s2, f in (
        (_centroid_settings(settings, centroid_min_members=5), new),
        (s, _f("new", {"asir": 1.0, "blast": 1.0, "reaction": 1.6, "minister": 1.6}, emb=7)),
        (s, _f("new", {"asir": 1.0, "blast": 1.0, "reaction": 1.6, "minister": 1.6}, day=date(2015, 8, 10))),
    ):
        c = Clusterer(s2)
        c.seed("s-big", _story("m", 4))
        assert c.add(f) == story_id_for("new")


def test_cluster_pieces_of_one_story_merge_when_an_article_links_both(settings):
    a, b = _story("a", 4), _story("b", 4)
    new = _f("new", {"asir": 1.0, "blast": 1.0, "aown0": 0.8, "bown0": 0.8})
    for merge_link, expect_merge in ((0.0, True), (1.01, False)):
        s = _centroid_settings(settings, threshold=0.0, centroid_merge_link=merge_link)
        c = Clusterer(s)
        c.seed("s-a", a)
        c.seed("s-b", b)
        c.add(new)
        assert (len(c.groups()) == 1) is expect_merge
        assert c.merged == ({"s-b": "s-a"} if expect_merge else {})


def test_cluster_stories_of_an_earlier_day_merge_by_centroid_only_within_centroid_merge_days(settings):
    """An article of the next day that links to two stories of the day before joins one of them, but
    does not merge them by their centroids (2015-08-01 fed after 07-31: the day before's Yemen story
    took in the new day's other events that way), unless `centroid_merge_days` reaches back that far."""
    before = date(2015, 8, 6)
    new = _f("new", {"asir": 1.0, "blast": 1.0, "aown0": 0.8, "bown0": 0.8})
    for days, expect_merge in ((0, False), (1, True)):
        s = _centroid_settings(settings, threshold=0.0, centroid_merge_link=0.0, centroid_merge_days=days)
        c = Clusterer(s)
        c.seed("s-a", _story("a", 4, before))
        c.seed("s-b", _story("b", 4, before))
        assert c.add(new) in ("s-a", "s-b")
        assert (len(c.groups()) == 1) is expect_merge


def _event(prefix, n, day=date(2015, 8, 7), names=("k:asir",), emb=None):
    # a story whose members all say four things ("asir", "blast", "mosque", "forces") and name Asir, each
    # with a heavier word of its own: weak links to any one member, a clear signature
    core = {"asir": 1.0, "blast": 1.0, "mosque": 1.0, "forces": 1.0}
    return [_f(f"{prefix}{i}", {**core, f"{prefix}own{i}": 1.6}, day, emb, names) for i in range(n)]


def _football():
    return [_f("o0", {"football": 1.0, "match": 1.0}), _f("o1", {"football": 1.0, "goal": 1.0})]


def test_cluster_consolidate_joins_small_pieces_to_the_big_story_of_the_same_days(settings):
    s = _centroid_settings(settings, consolidate_big=8)
    c = Clusterer(s)
    c.seed("s-big", _event("m", 10))
    c.seed("s-piece", _event("p", 2))
    c.seed("s-mid", _event("q", 7))  # too small to gather pieces, itself a piece of the big story
    c.seed("s-other", _football())
    c.seed("s-later", _event("l", 2, day=date(2015, 8, 12)))  # the same words, days later: another event
    c.seed("s-far", _event("f", 2, emb=7))  # the same words in texts of another kind (embeddings apart)
    c.consolidate({"s-piece", "s-mid", "s-other", "s-later", "s-far"})
    groups = c.groups()
    assert set(groups) == {"s-big", "s-other", "s-later", "s-far"}
    assert {"p0", "p1", "q0", "q6"} <= set(groups["s-big"])
    assert c.merged == {"s-mid": "s-big", "s-piece": "s-big"}
    # a piece is looked at when the batch touched it or the big story (which may now gather it), not else
    for touched, joins in (({"s-other"}, False), ({"s-big"}, True), ({"s-piece"}, True)):
        c = Clusterer(s)
        c.seed("s-big", _event("m", 10))
        c.seed("s-piece", _event("p", 2))
        c.seed("s-other", _football())
        c.consolidate(touched)
        assert ("s-piece" not in c.groups()) is joins


def test_cluster_consolidate_asks_a_piece_to_name_the_storys_places_and_carry_its_signature(settings):
    # a piece holding a quarter of the story's signature (only "asir") joins when it names the story's core
    # name, not when it names another place or none: the same kind of event elsewhere is another story
    s = _centroid_settings(settings, consolidate_big=8)
    for names, terms, joins in (
        (("k:asir",), {"asir": 1.0, "funeral": 1.6, "victim": 1.6}, True),
        (("k:jazan",), {"asir": 1.0, "funeral": 1.6, "victim": 1.6}, False),
        ((), {"asir": 1.0, "blast": 1.0, "mosque": 1.0, "forces": 1.0}, False),
        (("k:asir",), {"funeral": 1.6, "victim": 1.6}, False),  # names Asir, says nothing of the event
    ):
        c = Clusterer(s)
        c.seed("s-big", _event("m", 10))
        c.seed("s-piece", [_f("p0", terms, names=names)])
        c.consolidate({"s-piece"})
        assert (set(c.groups()) == {"s-big"}) is joins


def test_cluster_consolidate_judges_a_story_of_an_earlier_day_as_it_stood_before_the_pieces_joined(settings):
    """2015-08-03 after 08-02: the day before's Yemen story took a piece of the new day (Aden and al-Anad),
    and then, judged again with that piece, the pieces that shared only its new words (the Taiz front). A
    story that began before the batch's days is judged once, on what it held before; a story of the
    batch's own days is judged again once pieces have joined it (one event's pieces that fit only then)."""
    s = _centroid_settings(settings, consolidate_big=8)
    before, day = date(2015, 8, 6), date(2015, 8, 7)
    core = {"asir": 1.0, "blast": 1.0, "mosque": 1.0, "forces": 1.0}
    for batch_first, second_joins in ((day, False), (before, True)):
        c = Clusterer(s)
        c.seed("s-big", _event("m", 8, day=before))
        # fits the story (its core name and signature) and brings words and a place of its own
        c.seed("s-first", [_f(f"a{i}", {**core, "taiz": 1.0, "front": 1.0, f"aown{i}": 1.6}, day, None,
                              ("k:asir", "k:taiz")) for i in range(7)])
        # shares only what the first piece brought, and one core word
        c.seed("s-second", [_f(f"b{i}", {"asir": 1.0, "taiz": 1.0, "front": 1.0, f"bown{i}": 1.6}, day,
                               None, ("k:taiz",)) for i in range(2)])
        c.batch_first = batch_first  # as `add` records it for the batch's articles
        c.consolidate()
        assert c.merged.get("s-first") == "s-big"
        assert ("s-second" in c.merged) is second_joins


def test_cluster_consolidate_a_story_between_piece_and_big_size_neither_joins_nor_gathers(settings):
    """Pieces are stories below `consolidate_piece`, big stories have `consolidate_big` or more: a story in
    between (the day before's 23-article Yemen story, with the sizes shipped) gathers no pieces of the new
    day, and does not join a bigger one either."""
    for piece, mid_joins in ((8, True), (4, False)):
        c = Clusterer(_centroid_settings(settings, consolidate_big=8, consolidate_piece=piece))
        c.seed("s-big", _event("m", 10))
        c.seed("s-mid", _event("q", 6))
        c.seed("s-piece", _event("p", 2))
        c.consolidate()
        assert c.merged.get("s-piece") == "s-big"
        assert ("s-mid" in c.merged) is mid_joins
    for big, gathers in ((6, True), (8, False)):
        c = Clusterer(_centroid_settings(settings, consolidate_big=big, consolidate_piece=4))
        c.seed("s-mid", _event("q", 6))
        c.seed("s-piece", _event("p", 2))
        c.consolidate()
        assert (c.merged == {"s-piece": "s-mid"}) is gathers


def test_cluster_consolidate_never_merges_two_big_stories(settings):
    s = _centroid_settings(settings, consolidate_big=6)
    c = Clusterer(s)
    c.seed("s-big", _event("m", 10))
    c.seed("s-half", _event("h", 6))
    c.consolidate()
    assert set(c.groups()) == {"s-big", "s-half"}


def test_cluster_link_merges_never_make_a_story_span_more_than_the_window(settings):
    # an article of Aug 7 links strongly to a story of Aug 1 and one of Aug 13: each lies within the
    # window (7 days) of the article, but together they would span 12 days
    s = settings.with_overrides({"cluster": {"threshold": 0.0, "merge_threshold": 0.0, "window_days": 7,
                                             "centroid_merge_link": 1.01, "merge_agreement": 0.0}})
    early, late = _story("e", 3, day=date(2015, 8, 1)), _story("l", 3, day=date(2015, 8, 13))
    new = _f("new", {"asir": 1.0, "blast": 1.0, "eown0": 0.8, "lown0": 0.8})
    c = Clusterer(s)
    c.seed("s-early", early)
    c.seed("s-late", late)
    joined = c.add(new)
    assert joined in ("s-early", "s-late")
    assert c.merged == {} and len(c.groups()) == 2
    # within the window, the same links merge them
    c = Clusterer(s)
    c.seed("s-early", _story("e", 3, day=date(2015, 8, 4)))
    c.seed("s-late", _story("l", 3, day=date(2015, 8, 10)))
    c.add(new)
    assert len(c.groups()) == 1


def test_cluster_link_merges_need_the_two_stories_to_agree(settings):
    # one article reports two events of a day in one place (relief planes land in Aden; the
    # vice-president lands there too) and links to both stories; their members do not link to each other
    def story(prefix, words, emb):
        core = {"aden": 1.0, **dict.fromkeys(words, 1.0)}
        return [_f(f"{prefix}{i}", {**core, f"{prefix}own{i}": 1.6}, emb=emb) for i in range(3)]

    relief, vp = story("r", ("relief", "medical"), 1), story("v", ("vicepresident", "bahah"), 2)
    both = ("relief", "medical", "vicepresident", "bahah")
    bridge = _f("new", {"aden": 1.0, **dict.fromkeys(both, 1.0)}, emb=3)
    base = {"threshold": 0.0, "merge_threshold": 0.0, "centroid_merge_link": 1.01}
    for agreement, merged in ((0.5, False), (0.0, True)):
        c = Clusterer(settings.with_overrides({"cluster": {**base, "merge_agreement": agreement}}))
        c.seed("s-relief", relief)
        c.seed("s-vp", vp)
        c.add(bridge)
        assert (len(c.groups()) == 1) is merged


def test_cluster_pieces_join_when_their_mean_link_is_high(settings):
    # four articles of one event that link to each other at about 0.6, fed so that none joins another
    # (joining by links is switched off): consolidation joins the pieces by their mean link; not when
    # switched off, not days apart
    def event(day=date(2015, 8, 7)):
        return [_f(f"e{i}", {"fire": 1.0, "factory": 1.0, f"own{i}": 1.4}, day) for i in range(4)]

    for piece_mean, days_apart, together in ((0.45, 0, True), (2.0, 0, False), (0.45, 3, False)):
        c = Clusterer(_centroid_settings(settings, piece_mean=piece_mean, centroid_min_members=99))
        fs = event()
        fs[2:] = [replace(f, day=date(2015, 8, 7 + days_apart)) for f in fs[2:]]
        for f in fs:
            c.add(f)
        assert len(c.groups()) == 4
        c.consolidate()
        assert (len(c.groups()) == 1 if together else len(c.groups()) > 1), (piece_mean, days_apart)


def test_cluster_one_bridging_article_does_not_join_two_pieces_by_mean_link(settings):
    # an article that reports two events (relief planes; the vice-president) links strongly (0.75) to
    # every member of both pieces; their members do not link to each other (0.01), so the pieces stay
    # apart: the bridge joins one of them, and the mean link of that one with the other stays low
    def piece(prefix, words, emb):
        core = {"aden": 0.3, **dict.fromkeys(words, 1.0)}
        return [_f(f"{prefix}{i}", {**core, f"{prefix}own{i}": 1.0}, emb=emb) for i in range(2)]

    s = _centroid_settings(settings, piece_mean=0.45, centroid_min_members=99)
    relief, vp = piece("r", ("relief", "medical"), 1), piece("v", ("vicepresident", "bahah"), 2)
    both = np.zeros(512, dtype=np.float32)
    both[[1, 2]] = 0.5 ** 0.5
    bridge = replace(_f("new", {"aden": 0.3, **dict.fromkeys(("relief", "medical", "vicepresident", "bahah"),
                                                              1.0)}), embedding=both)
    c = Clusterer(s)
    for f in [*relief, *vp, bridge]:
        c.add(f)
    links = [p.score for p in compare_many(bridge, [*relief, *vp], s)]
    assert min(links) > 0.7 and compare_many(relief[0], vp, s)[0].score < 0.1
    c.consolidate()
    story = {a: sid for sid, ms in c.groups().items() for a in ms}
    assert story["r0"] == story["r1"] and story["v0"] == story["v1"]
    assert story["r0"] != story["v0"]
    assert story["new"] in (story["r0"], story["v0"])
