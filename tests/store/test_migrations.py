"""Migrations: named, ordered, recorded, each in its own transaction, applied once."""

from __future__ import annotations

import pytest
from builders import make_article

from marsad.errors import StoreError
from marsad.store import Store
from marsad.store.migrations import MIGRATIONS, Migration

NAMES = [m.name for m in MIGRATIONS]
EXTRA = Migration("0099_tags", ("CREATE TABLE tags (article_id TEXT REFERENCES articles (id), tag TEXT)",))


def recorded(store: Store) -> list[tuple[str, str]]:
    return store._conn.execute("SELECT name, applied FROM migrations ORDER BY rowid").fetchall()


def tables(store: Store) -> set[str]:
    return {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_migrations_names_unique_and_ordered():
    assert len(set(NAMES)) == len(NAMES)
    assert sorted(NAMES) == NAMES


def test_migrations_recorded_on_a_new_database():
    with Store() as s:
        assert s.applied_migrations == NAMES
        rows = recorded(s)
        assert [n for n, _ in rows] == NAMES
        assert all(t.startswith("20") and "T" in t for _, t in rows)
        assert {
            "articles",
            "sentences",
            "stories",
            "story_articles",
            "passage_evidence",
            "summary_evidence",
            "story_duplicates",
            "article_fts",
        } <= tables(s)


def test_migrations_not_reapplied_on_reopen(tmp_path):
    path = tmp_path / "m.db"
    with Store(path) as s:
        first = recorded(s)
        s.write_batch([make_article("نص عن القاهرة", id="a")])
    with Store(path) as s:
        assert s.applied_migrations == []
        assert recorded(s) == first
        assert s.has_article("a")


def test_migrations_only_new_ones_applied(tmp_path):
    path = tmp_path / "m.db"
    with Store(path) as s:
        s.write_batch([make_article("نص عن القاهرة", id="a")])
    with Store(path, migrations=(*MIGRATIONS, EXTRA)) as s:
        assert s.applied_migrations == ["0099_tags"]
        assert "tags" in tables(s)
        assert s.has_article("a")
    with Store(path, migrations=(*MIGRATIONS, EXTRA)) as s:
        assert s.applied_migrations == []
        assert [n for n, _ in recorded(s)] == [*NAMES, "0099_tags"]


def test_migrations_failure_rolls_back_that_migration_only(tmp_path):
    path = tmp_path / "m.db"
    with Store(path) as s:
        s.write_batch([make_article("نص عن القاهرة", id="a")])
    broken = Migration("0099_broken", ("CREATE TABLE half (x)", "CREATE TABLE articles (x)"))
    with pytest.raises(StoreError) as info:
        Store(path, migrations=(*MIGRATIONS, broken))
    msg = str(info.value)
    assert msg.startswith(str(path)) and "0099_broken" in msg and "\n" not in msg
    with Store(path) as s:
        assert "half" not in tables(s)  # the first statement was rolled back with the second
        assert [n for n, _ in recorded(s)] == NAMES
        assert s.has_article("a")


def test_migrations_unknown_to_this_version_refused(tmp_path):
    path = tmp_path / "m.db"
    Store(path, migrations=(*MIGRATIONS, EXTRA)).close()
    with pytest.raises(StoreError, match="0099_tags"):
        Store(path)


def test_migrations_skeleton_fold_refolds_the_stored_skeletons(tmp_path):
    path = tmp_path / "old.db"
    before = tuple(m for m in MIGRATIONS if m.name < "0010")
    with Store(path, migrations=before) as s:
        s._conn.execute("PRAGMA foreign_keys = OFF")  # a bare row: no story needed to test the refold
        s._conn.execute("INSERT INTO entity_forms (form, entity_id, story_id, skeleton, type) "
                        "VALUES ('سيرغي ريابكوف', 'e1', 's1', 'سرغ رببكف', 'PER')")
    with Store(path) as s:
        rows = s._conn.execute("SELECT skeleton FROM entity_forms").fetchall()
    assert rows == [("سرج رببكف",)]
