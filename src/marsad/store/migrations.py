"""Named, ordered schema migrations, recorded in the database they were applied to.

Each migration runs in its own transaction together with the row that records it in `migrations`, so a
database is never left half-migrated. Re-opening a database applies only the migrations it has not seen.
Add a migration by appending to `MIGRATIONS`; never edit or reorder one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from marsad.errors import StoreError


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: a unique name and the SQL statements it runs, in order."""

    name: str
    statements: tuple[str, ...]


_ARTICLES = Migration(
    "0001_articles",
    (
        """CREATE TABLE articles (
            num INTEGER PRIMARY KEY,            -- rowid, shared with article_fts
            id TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            url TEXT,
            published TEXT,                     -- ISO 8601, as written (offset kept)
            published_kind TEXT CHECK (published_kind IN ('date', 'datetime')),
            published_day TEXT,                 -- YYYY-MM-DD, local to the article, for `since`
            published_key TEXT,                 -- sortable instant (aware datetimes in UTC)
            raw TEXT NOT NULL,
            title_derived INTEGER NOT NULL,
            published_note TEXT NOT NULL,
            added TEXT NOT NULL,
            CHECK ((published IS NULL) = (published_kind IS NULL))
        )""",
        "CREATE INDEX articles_published ON articles (published_key, id)",
        "CREATE INDEX articles_day ON articles (published_day)",
        """CREATE TABLE article_removals (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (article_id, pos),
            CHECK (0 <= start AND start <= "end")
        ) WITHOUT ROWID""",
        """CREATE TABLE article_meta (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (article_id, pos)
        ) WITHOUT ROWID""",
        """CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            norm TEXT NOT NULL,
            PRIMARY KEY (article_id, idx),
            CHECK (0 <= start AND start <= "end")
        ) WITHOUT ROWID""",
    ),
)

_STORIES = Migration(
    "0002_stories",
    (
        """CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            n_articles INTEGER NOT NULL,
            n_sources INTEGER NOT NULL,
            n_duplicate_groups INTEGER NOT NULL,
            first_published TEXT,
            first_kind TEXT,
            last_published TEXT,
            last_kind TEXT,
            last_key TEXT,                      -- sortable instant of the latest article
            updated TEXT NOT NULL
        ) WITHOUT ROWID""",
        "CREATE INDEX stories_rank ON stories (last_key DESC, n_articles DESC)",
        """CREATE TABLE story_articles (
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            article_id TEXT NOT NULL UNIQUE REFERENCES articles (id),
            PRIMARY KEY (story_id, pos)
        ) WITHOUT ROWID""",
        """CREATE TABLE passages (
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (story_id, pos)
        ) WITHOUT ROWID""",
        """CREATE TABLE passage_evidence (
            story_id TEXT NOT NULL,
            passage_pos INTEGER NOT NULL,
            pos INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles (id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (story_id, passage_pos, pos),
            FOREIGN KEY (story_id, passage_pos) REFERENCES passages (story_id, pos) ON DELETE CASCADE,
            CHECK (0 <= start AND start <= "end")
        ) WITHOUT ROWID""",
        "CREATE INDEX passage_evidence_article ON passage_evidence (article_id)",
        """CREATE TABLE summary_sentences (
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (story_id, pos)
        ) WITHOUT ROWID""",
        """CREATE TABLE summary_evidence (
            story_id TEXT NOT NULL,
            sentence_pos INTEGER NOT NULL,
            pos INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles (id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (story_id, sentence_pos, pos),
            FOREIGN KEY (story_id, sentence_pos)
                REFERENCES summary_sentences (story_id, pos) ON DELETE CASCADE,
            CHECK (0 <= start AND start <= "end")
        ) WITHOUT ROWID""",
        "CREATE INDEX summary_evidence_article ON summary_evidence (article_id)",
        """CREATE TABLE story_duplicates (
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            grp INTEGER NOT NULL,
            pos INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles (id),
            PRIMARY KEY (story_id, grp, pos)
        ) WITHOUT ROWID""",
    ),
)

_SEARCH = Migration(
    "0003_search",
    (
        # Contentless: the index holds only tokens of the match form (title, body) and of clitic-stripped
        # stems; snippets are cut from `articles.text`. rowid = articles.num.
        """CREATE VIRTUAL TABLE article_fts USING fts5(
            title, body, stems, content='', tokenize='unicode61 remove_diacritics 0'
        )""",
    ),
)

_FEATURES = Migration(
    "0004_features",
    (
        # what story grouping compares (marsad.similarity.Features), kept so a stored article is never
        # re-read to be compared; an article stored before this migration has none until it is
        # computed again (engine.recluster, or on demand when it becomes a candidate)
        """CREATE TABLE features (
            article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            day TEXT NOT NULL,                  -- YYYY-MM-DD, '' when undated
            terms TEXT NOT NULL,                -- JSON [[term, weight], ...], heaviest first
            char_idx BLOB NOT NULL,             -- little-endian uint32
            char_val BLOB NOT NULL,             -- little-endian float32
            embedding BLOB,                     -- little-endian float16, or NULL
            names TEXT NOT NULL,                -- JSON list
            title_terms TEXT NOT NULL           -- JSON list
        )""",
        # the on-disk candidate index: each article under its heaviest terms (cluster.INDEX_TERMS)
        """CREATE TABLE term_index (
            term TEXT NOT NULL,
            day TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            PRIMARY KEY (term, day, article_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX term_index_article ON term_index (article_id)",
    ),
)

_ENTITIES = Migration(
    "0005_entities",
    (
        # what the NER model and the gazetteer found in each article (extract.entities), kept so a story
        # rebuilt later merges them again without re-tagging; an article stored before this migration has
        # none until it is tagged again (story builds do that on demand)
        """CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            norm TEXT NOT NULL,
            PRIMARY KEY (article_id, pos),
            CHECK (0 <= start AND start < "end")
        ) WITHOUT ROWID""",
        # 1 once an article's mentions are stored (it may have none)
        "ALTER TABLE articles ADD COLUMN tagged INTEGER NOT NULL DEFAULT 0",
        # a story's entities (extract.aliases), replaced with the story
        """CREATE TABLE story_entities (
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            entity_id TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL,              -- JSON list of forms, most frequent first
            mentions TEXT NOT NULL,             -- JSON [[article_id, count], ...]
            PRIMARY KEY (story_id, pos)
        ) WITHOUT ROWID""",
        "CREATE INDEX story_entities_entity ON story_entities (entity_id)",
        # every form of every entity in match form: what a search term or a new story's name is looked
        # up in, to expand a search to all spellings and to give one entity one id across the store
        # (key columns first: SQLite 3.40's integrity_check misreads a WITHOUT ROWID table whose other
        # NOT NULL columns sit between them)
        """CREATE TABLE entity_forms (
            form TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            skeleton TEXT NOT NULL,             -- extract.aliases.skeleton: spelling variants share it
            type TEXT NOT NULL,
            PRIMARY KEY (form, entity_id, story_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX entity_forms_skeleton ON entity_forms (skeleton)",
        "CREATE INDEX entity_forms_entity ON entity_forms (entity_id)",
        "CREATE INDEX entity_forms_story ON entity_forms (story_id)",
    ),
)

_STALE = Migration(
    "0006_stale_stories",
    (
        # 1 while a story holds members its copies, entities and summary were not built from (a big story
        # that gained articles: `engine.ingest` adds them at once and `engine.refresh` rebuilds it after)
        "ALTER TABLE stories ADD COLUMN stale INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX stories_stale ON stories (stale) WHERE stale = 1",
    ),
)

_FACTS = Migration(
    "0007_facts",
    (
        # what extract/ found in each article: time expressions, figures and quotes, spans into its text
        # (each item's text is its slice, not stored twice); an article stored before this migration has
        # none until it is extracted again
        """CREATE TABLE times (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            value TEXT,                         -- ISO date, month, year, datetime or A/B; NULL: unresolved
            granularity TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (article_id, pos),
            CHECK (0 <= start AND start < "end")
        ) WITHOUT ROWID""",
        """CREATE TABLE quantities (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            low REAL,
            high REAL,
            qualifier TEXT NOT NULL,
            unit TEXT,
            counted TEXT,
            PRIMARY KEY (article_id, pos),
            CHECK (0 <= start AND start < "end")
        ) WITHOUT ROWID""",
        """CREATE TABLE quotes (
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            cue TEXT NOT NULL,
            direct INTEGER NOT NULL,
            speaker TEXT,
            speaker_start INTEGER,
            speaker_end INTEGER,
            PRIMARY KEY (article_id, pos),
            CHECK (0 <= start AND start < "end")
        ) WITHOUT ROWID""",
        # 1 once an article's facts are stored (it may have none)
        "ALTER TABLE articles ADD COLUMN extracted INTEGER NOT NULL DEFAULT 0",
    ),
)

_CLAIMS = Migration(
    "0008_claims",
    (
        # a story's claims (marsad.claims), replaced with the story
        """CREATE TABLE story_claims (
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            subject TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('agree', 'compatible', 'conflict', 'single')),
            "values" TEXT NOT NULL,             -- JSON [{"quantity": {...}, "evidence": [[id, start, end]]}]
            PRIMARY KEY (story_id, pos)
        ) WITHOUT ROWID""",
    ),
)

_TIMELINE = Migration(
    "0009_timeline",
    (
        # a story's dated events (marsad.timeline), replaced with the story
        """CREATE TABLE story_timeline (
            story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            date TEXT NOT NULL,                 -- ISO YYYY[-MM[-DD]]
            text TEXT NOT NULL,
            background INTEGER NOT NULL,
            note TEXT NOT NULL,
            evidence TEXT NOT NULL,             -- JSON [[article_id, start, end], ...]
            PRIMARY KEY (story_id, pos)
        ) WITHOUT ROWID""",
    ),
)

_SKELETON_FOLD = Migration(
    "0010_skeleton_fold",
    (
        # `aliases.skeleton` now writes the letters transliterations choose between as one (غ as ج, ط as
        # ت); folding a stored skeleton gives the same as folding before the vowels were dropped
        "UPDATE entity_forms SET skeleton = replace(replace(skeleton, 'غ', 'ج'), 'ط', 'ت')",
    ),
)

_BUILT_SIZE = Migration(
    "0011_built_size",
    (
        # how many members a story had when its copies, entities, claims and summary were last built: a
        # stale story is rebuilt by `engine.refresh` once it has grown enough since (`engine.rebuild_*`),
        # or when it is read; NULL (a story stale before this column) counts as never built
        "ALTER TABLE stories ADD COLUMN built_size INTEGER",
        "UPDATE stories SET built_size = n_articles WHERE stale = 0",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (
    _ARTICLES, _STORIES, _SEARCH, _FEATURES, _ENTITIES, _STALE, _FACTS, _CLAIMS, _TIMELINE, _SKELETON_FOLD,
    _BUILT_SIZE,
)


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded in the database, in the order they were applied."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def migrate(conn: sqlite3.Connection, path: str, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; return their names.

    `conn` must be in autocommit mode (`isolation_level=None`). A failing migration is rolled back,
    not recorded, and reported as a `StoreError` naming the database and the migration.
    """
    names = [m.name for m in migrations]
    if len(set(names)) != len(names):
        raise StoreError(f"{path}: duplicate migration names in {names}")
    done = applied(conn)
    unknown = [n for n in done if n not in names]
    if unknown:
        raise StoreError(f"{path}: database has migrations this marsad does not know: {', '.join(unknown)}")
    new: list[str] = []
    for m in migrations:
        if m.name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql in m.statements:
                conn.execute(sql)
            conn.execute(
                "INSERT INTO migrations (name, applied) VALUES (?, ?)",
                (m.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException as err:
            conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise StoreError(f"{path}: migration {m.name} failed: {err}") from err
            raise
        new.append(m.name)
    return new
