import random

from marsad import pipeline
from marsad.cluster import Clusterer, cluster, story_id_for
from marsad.ingest import read_path
from marsad.similarity import featurize


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
