"""The SQLite store: articles, sentences, stories and full-text search, written in atomic batches.

    with Store("marsad.db") as store:
        added = store.write_batch(articles, sentences, stories)
        for hit in store.search("القاهرة"):
            ...

This package is the only place marsad touches `sqlite3`. The schema is built by the named migrations in
`marsad.store.migrations`; every batch write is one transaction, so a failed batch leaves the database as
it was. One `Store` may be shared between threads (calls are serialized by a lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from marsad.errors import NotFoundError, StoreError
from marsad.model import Article, Sentence, Span, Story
from marsad.store import db
from marsad.store import search as search_mod
from marsad.store.migrations import MIGRATIONS, Migration, migrate
from marsad.store.search import SearchHit

__all__ = ["SearchHit", "Store", "StoryRow"]

_NO_SENTENCES: Mapping[str, Sequence[Sentence]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as listed: enough to rank and show it without loading it."""

    id: str
    title: str
    n_articles: int
    n_sources: int
    first_published: date | datetime | None
    last_published: date | datetime | None


class Store:
    """A marsad database (a SQLite file, or `:memory:`)."""

    def __init__(
        self,
        path: str | Path = ":memory:",
        *,
        migrations: Sequence[Migration] = MIGRATIONS,
        create: bool = True,
    ) -> None:
        """Open the database (creating the file) and apply the migrations it has not seen.

        With `create=False` (readers), the file must already exist and be a marsad database: another
        SQLite file is refused rather than given marsad's tables. Raises StoreError (one line, naming
        the file) if it is not a SQLite database or cannot be written.
        """
        self.path = str(path)
        self._lock = threading.RLock()
        if not create and self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no marsad database here (run `marsad ingest` first)")
        if not create and self.path != ":memory:" and not self._is_marsad(self.path):
            raise StoreError(f"{self.path}: a SQLite database, but not a marsad one")
        self._conn = db.connect(self.path)
        try:
            self.applied_migrations = migrate(self._conn, self.path, migrations)
            """The migrations this open applied (empty when the database was up to date)."""
        except sqlite3.Error as err:
            self._conn.close()
            raise db.store_error(self.path, err) from err
        except BaseException:
            self._conn.close()
            raise

    @staticmethod
    def _is_marsad(path: str) -> bool:
        """Whether the file holds marsad's schema; looked at read-only, so a foreign file is untouched."""
        try:
            conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return True  # let the normal open report what is wrong with it
        try:
            row = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
            ).fetchone()
        except sqlite3.Error:
            return True  # not SQLite at all: the normal open says so
        finally:
            conn.close()
        return row is not None

    # ------------------------------------------------------------ lifecycle

    @contextlib.contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the database's writer lock: read-decide-write sequences (an ingest batch reads the
        stored stories, regroups, then writes) must not interleave with another process's, or one
        batch's story update would overwrite the other's. Blocks until the lock is free."""
        if self.path == ":memory:":
            yield
            return
        lock_path = self.path + ".lock"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise StoreError(f"{lock_path}: cannot create lock file ({err.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r})"

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as err:
                raise db.store_error(self.path, err) from err

    # ------------------------------------------------------------ writes

    def write_batch(
        self,
        articles: Sequence[Article],
        sentences: Mapping[str, Sequence[Sentence]] = _NO_SENTENCES,
        stories: Sequence[Story] = (),
        drop_stories: Sequence[str] = (),
    ) -> list[str]:
        """Write one batch in one transaction; return the ids of the articles actually added.

        Articles whose id is already stored (or repeated in the batch) are skipped, never overwritten;
        sentences are stored for the added articles only. Stories are replaced wholesale (members,
        copies, summary, duplicates); `drop_stories` are deleted first. An article belongs to at most
        one story. On any exception nothing is written and the exception is re-raised (sqlite errors
        as StoreError).
        """
        articles, stories, drop_stories = list(articles), list(stories), list(drop_stories)
        story_ids = [s.id for s in stories]
        if len(set(story_ids)) != len(story_ids):
            raise StoreError(f"{self.path}: a story id appears twice in one batch")
        both = set(story_ids) & set(drop_stories)
        if both:
            raise StoreError(f"{self.path}: stories both written and dropped in one batch: {sorted(both)}")
        with self._lock, db.transaction(self._conn, self.path):
            seen = db.existing_article_ids(self._conn, [a.id for a in articles])
            new: list[Article] = []
            for a in articles:
                if a.id not in seen:
                    seen.add(a.id)
                    new.append(a)
            added = [a.id for a in new]
            try:
                db.insert_articles(self._conn, new)
                db.insert_sentences(self._conn, sentences, set(added))
                db.drop_stories(self._conn, drop_stories)
                db.write_stories(self._conn, stories)
            except (TypeError, ValueError) as err:  # a record the schema cannot hold
                raise StoreError(f"{self.path}: {err}") from err
        return added

    # ------------------------------------------------------------ articles

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        return bool(self._read("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def article_ids(self) -> set[str]:
        """The ids of every stored article."""
        return {r[0] for r in self._read("SELECT id FROM articles")}

    def get_article(self, article_id: str) -> Article:
        """The stored article with this id; NotFoundError if there is none."""
        return self.get_articles([article_id])[0]

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        """The articles with these ids, in the given order; NotFoundError naming any missing one."""
        ids = list(ids)
        with self._lock:
            try:
                found = db.load_articles(self._conn, ids)
            except sqlite3.Error as err:
                raise db.store_error(self.path, err) from err
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFoundError(f"{self.path}: no article with id {', '.join(map(repr, missing[:5]))}")
        return [found[i] for i in ids]

    def iter_articles(self, since: date | None = None) -> Iterator[Article]:
        """Every stored article, ordered by publication time then id, undated ones last.

        `since` keeps the articles published on or after that day (as each article dates itself) and
        the undated ones.
        """
        if since is None:
            ids = self._read("SELECT id FROM articles ORDER BY published_key IS NULL, published_key, id")
        else:
            day = (since.date() if isinstance(since, datetime) else since).isoformat()
            ids = self._read(
                "SELECT id FROM articles WHERE published_day IS NULL OR published_day >= ?"
                " ORDER BY published_key IS NULL, published_key, id",
                (day,),
            )
        for i in range(0, len(ids), 200):
            yield from self.get_articles(r[0] for r in ids[i : i + 200])

    def latest_day(self) -> date | None:
        """The most recent publication day among stored articles (None when none is dated)."""
        rows = self._read("SELECT max(published_day) FROM articles")
        return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def sentences(self, article_id: str) -> tuple[Sentence, ...]:
        """The stored sentences of an article, in order (empty when none were stored)."""
        return tuple(
            Sentence(article_id, idx, Span(s, e), norm)
            for idx, s, e, norm in self._read(
                'SELECT idx, start, "end", norm FROM sentences WHERE article_id = ? ORDER BY idx',
                (article_id,),
            )
        )

    # ------------------------------------------------------------ stories

    def get_story(self, story_id: str) -> Story:
        """The stored story with this id, exactly as written; NotFoundError if there is none."""
        with self._lock:
            try:
                story = db.load_story(self._conn, story_id)
            except sqlite3.Error as err:
                raise db.store_error(self.path, err) from err
        if story is None:
            raise NotFoundError(f"{self.path}: no story with id {story_id!r}")
        return story

    def iter_stories(self) -> Iterator[Story]:
        """Every stored story, in `list_stories` order."""
        for row in self.list_stories():
            try:
                yield self.get_story(row.id)
            except NotFoundError:  # dropped by another writer meanwhile
                continue

    def list_stories(self) -> list[StoryRow]:
        """Every story as a row, the most recent first (by its latest article), then the larger."""
        return [
            StoryRow(
                id=sid,
                title=title,
                n_articles=n_a,
                n_sources=n_s,
                first_published=db.decode_when(fp, fk),
                last_published=db.decode_when(lp, lk),
            )
            for sid, title, n_a, n_s, fp, fk, lp, lk in self._read(
                "SELECT id, title, n_articles, n_sources, first_published, first_kind,"
                " last_published, last_kind FROM stories"
                " ORDER BY last_key IS NULL, last_key DESC, n_articles DESC, n_sources DESC, id"
            )
        ]

    def story_members(self, story_id: str) -> tuple[str, ...]:
        """The article ids of a story in their stored order (empty if there is no such story)."""
        rows = self._read(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY pos", (story_id,)
        )
        return tuple(r[0] for r in rows)

    def story_of(self, article_id: str) -> str | None:
        """The id of the story the article belongs to, or None."""
        rows = self._read("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
        return rows[0][0] if rows else None

    # ------------------------------------------------------------ search and stats

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching every word of `query` (normalized; no FTS syntax), best bm25 first."""
        parsed = search_mod.parse_query(query)
        if parsed is None or limit <= 0:
            return []
        w_title, w_body, w_stems = search_mod.WEIGHTS
        rows = self._read(
            "SELECT a.id, sa.story_id, a.title, a.source, a.published, a.published_kind, a.text,"
            f" bm25(article_fts, {w_title}, {w_body}, {w_stems}) AS rank"
            " FROM article_fts JOIN articles a ON a.num = article_fts.rowid"
            " LEFT JOIN story_articles sa ON sa.article_id = a.id"
            " WHERE article_fts MATCH ? ORDER BY rank, a.published_key DESC, a.id LIMIT ?",
            (parsed.expression, limit),
        )
        hits = []
        for aid, sid, title, source, pub, kind, text, _rank in rows:
            snip, spans = search_mod.snippet(text, title, parsed)
            hits.append(SearchHit(aid, sid, title, source, db.decode_when(pub, kind), snip, spans))
        return hits

    def counts(self) -> dict[str, int]:
        """How many articles, stories and sentences are stored."""
        return {
            table: self._read(f"SELECT count(*) FROM {table}")[0][0]
            for table in ("articles", "stories", "sentences")
        }
