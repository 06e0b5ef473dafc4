"""engine.recluster and the `marsad recluster` / `marsad similar` commands."""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from marsad import cli, engine
from marsad.similarity import compare
from marsad.store import Store

UNRELATED = Path(__file__).parent / "data" / "unrelated"
# above any seed pair (max 0.98), and no joining of pieces by their mean link
STRICT = {"cluster": {"threshold": 0.99, "merge_threshold": 0.99, "piece_mean": 2.0}}
PARTS = ("score", "terms", "chars", "semantic", "names", "title", "days_apart", "time_factor", "places_apart")


@pytest.fixture(scope="module")
def base_db(tmp_path_factory, seed_paths, settings):
    """A database file holding the seeds and the unrelated articles, ingested in one batch."""
    path = tmp_path_factory.mktemp("recluster") / "base.db"
    with Store(path) as store:
        engine.ingest(store, [*seed_paths, *sorted(UNRELATED.glob("*.txt"))], settings)
    return path


@pytest.fixture
def db(base_db, tmp_path):
    """A fresh copy of the base database for one test."""
    path = tmp_path / "m.db"
    shutil.copy(base_db, path)
    return path


@pytest.fixture
def store(db):
    with Store(db) as s:
        yield s


def groups(store):
    """Story id -> its member ids (as a set)."""
    return {r.id: frozenset(store.story_members(r.id)) for r in store.list_stories()}


def check_every_article_in_exactly_one_story(store):
    ids = store.article_ids()
    owner = store.stories_of(ids)
    assert set(owner) == ids
    members = [a for r in store.list_stories() for a in store.story_members(r.id)]
    assert sorted(members) == sorted(ids)  # no article twice, none left out
    assert len(store.list_stories()) == store.counts()["stories"] == len(set(owner.values()))


def seed_story(store, seed_paths):
    (sid,) = {store.story_of(p.stem) for p in seed_paths}
    return sid


# --- engine.recluster --------------------------------------------------------------------------------


def test_recluster_with_the_same_settings_changes_nothing(store, settings):
    before = groups(store)
    stories = {sid: store.get_story(sid) for sid in before}
    rep = engine.recluster(store, settings)
    assert rep.articles == 7 and rep.before == rep.after == rep.unchanged == len(before) == 3
    assert (rep.rebuilt, rep.dropped, rep.split, rep.merged, rep.features_computed) == ([], [], {}, {}, 0)
    assert groups(store) == before
    assert {sid: store.get_story(sid) for sid in before} == stories
    check_every_article_in_exactly_one_story(store)


def test_recluster_strict_threshold_splits_the_seed_story_and_default_merges_it_back(store, settings,
                                                                                     seed_paths):
    original = set(groups(store).values())
    seeds = seed_story(store, seed_paths)

    rep = engine.recluster(store, settings.with_overrides(STRICT))
    assert rep.split == {seeds: 5} and rep.merged == {}
    assert rep.before == 3 and rep.after == 7 == len(store.list_stories())
    assert rep.unchanged == 2  # the two unrelated stories
    assert all(len(m) == 1 for m in groups(store).values())
    assert seeds in groups(store)  # one part keeps the old id
    check_every_article_in_exactly_one_story(store)

    rep = engine.recluster(store, settings)
    assert rep.split == {} and len(rep.merged) == 1
    ((merged_into, n_old),) = rep.merged.items()
    assert n_old == 5 and rep.after == 3 == len(store.list_stories())
    assert set(groups(store).values()) == original
    assert groups(store)[merged_into] == {p.stem for p in seed_paths}
    assert len(rep.dropped) == 4 and not set(rep.dropped) & set(groups(store))
    check_every_article_in_exactly_one_story(store)


def test_recluster_dry_run_reports_the_change_and_writes_nothing(store, settings, seed_paths):
    before = groups(store)
    stories = {sid: store.get_story(sid) for sid in before}
    strict = settings.with_overrides(STRICT)
    dry = engine.recluster(store, strict, dry_run=True)
    assert dry.split == {seed_story(store, seed_paths): 5}
    assert groups(store) == before
    assert {sid: store.get_story(sid) for sid in before} == stories
    assert engine.recluster(store, strict) == dry  # the dry run said exactly what the real one did


def test_recluster_recomputes_features_missing_from_the_store(db, settings):
    with Store(db) as store:
        ids = store.article_ids()
        old = store.features(ids)
        before = groups(store)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM term_index")
        conn.execute("DELETE FROM features")
    conn.close()
    with Store(db) as store:
        assert store.features(ids) == {}
        dry = engine.recluster(store, settings, dry_run=True)
        assert dry.features_computed == len(ids) and store.features(ids) == {}  # a dry run stores nothing
        rep = engine.recluster(store, settings)
        assert rep.features_computed == len(ids) == 7
        assert rep.unchanged == len(before) and groups(store) == before
        new = store.features(ids)
        assert new.keys() == ids
        for x in ids:
            for y in ids:
                fresh, stored = compare(new[x], new[y], settings), compare(old[x], old[y], settings)
                assert (fresh.terms, fresh.chars, fresh.names, fresh.title) == (
                    stored.terms, stored.chars, stored.names, stored.title), (x, y)
                # not exact: a USE embedding varies in its last float16 bit with the order and company of
                # the batch it was encoded in (ingest: listing order; recluster: publication order)
                assert fresh.score == pytest.approx(stored.score, abs=1e-4), (x, y)
        assert store.candidates(list(new["football"].terms)[:5], None, 10)  # the term index is back
        assert engine.recluster(store, settings).features_computed == 0
        check_every_article_in_exactly_one_story(store)


# --- marsad recluster --------------------------------------------------------------------------------


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_recluster_prints_a_summary_line(capsys, db):
    code, out, err = run(capsys, "recluster", "--db", db)
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "regrouped 7 articles: 3 stories before, 3 after; "
        "3 unchanged, 0 rebuilt, 0 dropped, 0 split, 0 merged"
    ]


def test_cli_recluster_dry_run_names_the_split_and_writes_nothing(capsys, db, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text("[cluster]\nthreshold = 0.99\nmerge_threshold = 0.99\npiece_mean = 2.0\n",
                      encoding="utf-8")
    before = db.read_bytes()
    code, out, err = run(capsys, "recluster", "--db", db, "--settings", strict, "--dry-run")
    assert code == 0 and err == ""
    head, *rest = out.splitlines()
    assert head.startswith("would change 7 articles: 3 stories before, 7 after;") and "1 split" in head
    assert len(rest) == 1 and rest[0].startswith("  split   s") and rest[0].endswith("into 5 stories")
    assert db.read_bytes() == before
    code, out, _ = run(capsys, "recluster", "--db", db, "--settings", strict)
    assert code == 0 and out.startswith("regrouped 7 articles: 3 stories before, 7 after;")


def test_cli_recluster_on_a_missing_database_is_a_one_line_error(tmp_path):
    missing = tmp_path / "absent.db"
    for extra in ([], ["--dry-run"]):
        proc = subprocess.run(
            [sys.executable, "-m", "marsad", "recluster", "--db", str(missing), *extra],
            capture_output=True, text=True, check=False,
        )
        assert proc.returncode == 1 and proc.stdout == ""
        assert proc.stderr.startswith("marsad: error: ") and proc.stderr.count("\n") == 1
        assert "absent.db" in proc.stderr and "Traceback" not in proc.stderr
    assert not missing.exists()


# --- marsad similar ----------------------------------------------------------------------------------


def test_cli_similar_prints_the_score_and_each_part(capsys, db, seed_paths):
    a, b = seed_paths[1].stem, seed_paths[4].stem
    code, out, err = run(capsys, "similar", "--db", db, a, b)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"A  {a}") and lines[1].startswith(f"B  {b}")
    assert lines[2].startswith("score ")
    assert [line.split()[0] for line in lines[3:]] == list(PARTS[1:])


def test_cli_similar_json_has_the_score_parts_and_both_ids(capsys, db, seed_paths, settings):
    a, b = seed_paths[1].stem, seed_paths[4].stem
    code, out, _ = run(capsys, "similar", "--db", db, a, b, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {*PARTS, "a", "b"}
    assert (data["a"], data["b"]) == (a, b)
    with Store(db) as store:
        f = store.features([a, b])
    assert data == {"a": a, "b": b, **compare(f[a], f[b], settings, explain=True).as_dict()}
    code, out, _ = run(capsys, "similar", "--db", db, b, a, "--json")
    swapped = json.loads(out)
    assert (swapped.pop("a"), swapped.pop("b")) == (b, a)
    assert swapped == {k: v for k, v in data.items() if k not in ("a", "b")}


def test_cli_similar_takes_a_file_as_either_argument(capsys, db, seed_paths):
    stored = seed_paths[0].stem
    code, out, err = run(capsys, "similar", "--db", db, seed_paths[0], stored, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["a"] == data["b"] == stored
    assert data["score"] > 0.99 and data["terms"] == pytest.approx(1.0, abs=1e-3)
    # two files, no database at all
    nodb = db.parent / "none.db"
    code, out, err = run(capsys, "similar", "--db", nodb, seed_paths[0], UNRELATED / "football.txt", "--json")
    assert code == 0, err
    assert json.loads(out)["score"] < 0.1
    assert not nodb.exists()


@pytest.mark.parametrize("ref", ["no-such-article", "missing/file.txt"])
def test_cli_similar_unknown_article_is_a_one_line_error(capsys, db, seed_paths, ref):
    code, out, err = run(capsys, "similar", "--db", db, seed_paths[0].stem, ref)
    assert code == 1 and out == ""
    assert err.startswith(f"marsad: error: {ref}: ") and err.count("\n") == 1
