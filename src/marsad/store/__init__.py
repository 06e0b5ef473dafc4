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
import json
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from marsad.cluster import INDEX_TERMS
from marsad.errors import NotFoundError, StoreError
from marsad.model import Article, Entity, Facts, Mention, Sentence, Span, Story, day_of
from marsad.settings import Settings
from marsad.similarity import Features
from marsad.store import db
from marsad.store import search as search_mod
from marsad.store.migrations import MIGRATIONS, Migration, migrate
from marsad.store.search import SearchHit

__all__ = ["STORY_ORDERS", "EntityRow", "SearchHit", "Store", "StoryRow"]

STORY_ORDERS = {
    "recent": "last_key IS NULL, last_key DESC, n_articles DESC, n_sources DESC, id",
    "size": "n_articles DESC, n_sources DESC, last_key IS NULL, last_key DESC, id",
    "day": (
        "last_key IS NULL, substr(last_key, 1, 10) DESC, n_sources DESC, n_articles DESC, last_key DESC, id"
    ),
}
"""Orders `Store.list_stories` accepts: most recent first (then largest), largest first (then most
recent), or by day, the latest first, and within a day the most outlets (then articles) first (a
front page); undated stories after dated ones, ties by id."""

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
    sources: tuple[str, ...] = field(default=(), compare=False)
    """The story's outlets, most articles first, then in story order. Not compared: a row equals
    another when the story's counted fields do."""


@dataclass(frozen=True, slots=True)
class EntityRow:
    """An entity as listed: gathered over the stories that name it."""

    entity: Entity
    stories: tuple[str, ...]
    form_stories: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    """Each spelling (as in `entity.aliases`, same order) with how many of those stories use it: one
    used by a single story of many is more likely a story's own mistake than a real spelling."""


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
        features: Sequence[Features] = (),
        mentions: Mapping[str, Sequence[Mention]] | None = None,
        extend: Mapping[str, Sequence[str]] | None = None,
        facts: Mapping[str, Facts] | None = None,
        search_rows: Mapping[str, tuple[str, str, str]] | None = None,
    ) -> list[str]:
        """Write one batch in one transaction; return the ids of the articles actually added.

        Articles whose id is already stored (or repeated in the batch) are skipped, never overwritten;
        sentences are stored for the added articles only. Stories are replaced wholesale (members,
        copies, summary, duplicates); `drop_stories` are deleted first. An article belongs to at most
        one story. `features` (of added or stored articles) are stored or replaced and indexed;
        `mentions` and `facts` are stored for the added articles. `extend` adds members (of this batch or
        stored) to stored stories without rebuilding them, and marks them stale (`stale_stories`).
        `search_rows` are full-text index rows made ahead (`search.Indexer.row`, by article id); the
        others are made here. On any
        exception nothing is written and the exception is re-raised (sqlite errors as StoreError).
        """
        articles, stories, drop_stories = list(articles), list(stories), list(drop_stories)
        story_ids = [s.id for s in stories]
        if len(set(story_ids)) != len(story_ids):
            raise StoreError(f"{self.path}: a story id appears twice in one batch")
        extend = dict(extend or {})
        if set(extend) & (set(story_ids) | set(drop_stories)):
            raise StoreError(f"{self.path}: a story both extended and written or dropped in one batch")
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
                db.insert_articles(self._conn, new, search_rows)
                db.insert_sentences(self._conn, sentences, set(added))
                if mentions:
                    db.insert_mentions(self._conn, mentions, set(added))
                if facts:
                    db.insert_facts(self._conn, facts, set(added))
                db.drop_stories(self._conn, drop_stories)
                db.write_stories(self._conn, stories)
                if extend:
                    db.extend_stories(self._conn, extend)
                if features:
                    known = db.existing_article_ids(self._conn, [f.article_id for f in features])
                    kept = [f for f in features if f.article_id in known]
                    db.insert_features(self._conn, kept, INDEX_TERMS)
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

    def facts(self, ids: Iterable[str]) -> dict[str, Facts]:
        """The stored time expressions, figures and quotes of these articles (absent for an article
        stored before they were kept)."""
        with self._lock:
            try:
                return db.load_facts(self._conn, list(ids))
            except sqlite3.Error as err:
                raise db.store_error(self.path, err) from err

    def mentions(self, ids: Iterable[str]) -> dict[str, tuple[Mention, ...]]:
        """The stored entity mentions of these articles (absent for an article stored untagged)."""
        with self._lock:
            try:
                return db.load_mentions(self._conn, list(ids))
            except sqlite3.Error as err:
                raise db.store_error(self.path, err) from err

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

    def stale_stories(self, growth: float | None = None, small: int = 0) -> list[str]:
        """Ids of the stories that gained members since they were last built (`write_batch(extend=)`);
        with `growth`, only those due a rebuild: built with fewer than `small` members, or grown by at
        least that share since (a story stale from before sizes were kept is always due)."""
        if growth is None:
            return [r[0] for r in self._read("SELECT id FROM stories WHERE stale = 1 ORDER BY id")]
        return [r[0] for r in self._read(
            "SELECT id FROM stories WHERE stale = 1 AND (built_size IS NULL OR built_size < ?"
            " OR n_articles >= built_size * (1 + ?)) ORDER BY id",
            (small, growth),
        )]

    def built_sizes(self, story_ids: Iterable[str]) -> dict[str, int | None]:
        """How many members each of these stories had when it was last built (None: not known)."""
        out: dict[str, int | None] = {}
        ids = list(dict.fromkeys(story_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out.update(self._read(
                f"SELECT id, built_size FROM stories WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ))
        return out

    def iter_stories(self) -> Iterator[Story]:
        """Every stored story, in `list_stories` order."""
        for row in self.list_stories():
            try:
                yield self.get_story(row.id)
            except NotFoundError:  # dropped by another writer meanwhile
                continue

    def list_stories(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        sources: Iterable[str] = (),
        order: str = "recent",
        limit: int | None = None,
        offset: int = 0,
        entity: str | None = None,
        min_articles: int = 1,
    ) -> list[StoryRow]:
        """Stories as rows, in `order` (one of `STORY_ORDERS`; default: the most recent first, by its
        latest article, then the larger), each with its outlets.

        `since`/`until` keep the stories whose day range (first to last article, each day as the
        article dates itself) overlaps `[since, until]`; undated stories are then left out. `sources`
        keeps the stories with at least one article from one of those outlets (exact names, Latin
        letters in any case). `entity` keeps the stories that name that entity (an id of `entities`);
        `min_articles` the stories with at least that many articles. `offset` skips the first N rows,
        `limit` keeps the next N (pages). ValueError for an unknown order.
        """
        if order not in STORY_ORDERS:
            raise ValueError(f"unknown story order {order!r}; expected one of {', '.join(STORY_ORDERS)}")
        where, params = self._story_filters(since, until, sources, entity, min_articles)
        params += [-1 if limit is None else max(0, limit), max(0, offset)]
        # One statement, so the rows and their outlets come from the same snapshot.
        rows = self._read(
            "WITH picked AS (SELECT id, title, n_articles, n_sources, first_published, first_kind,"
            f" last_published, last_kind, row_number() OVER (ORDER BY {STORY_ORDERS[order]}) AS rank"
            f" FROM stories{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY rank LIMIT ? OFFSET ?)"
            " SELECT p.id, p.title, p.n_articles, p.n_sources, p.first_published, p.first_kind,"
            " p.last_published, p.last_kind, a.source FROM picked p"
            " LEFT JOIN story_articles sa ON sa.story_id = p.id"
            " LEFT JOIN articles a ON a.id = sa.article_id"
            " ORDER BY p.rank, sa.pos",
            params,
        )
        out: list[StoryRow] = []
        outlets: dict[str, Counter[str]] = {}
        for sid, title, n_a, n_s, fp, fk, lp, lk, source in rows:
            if sid not in outlets:
                outlets[sid] = Counter()
                out.append(StoryRow(sid, title, n_a, n_s, db.decode_when(fp, fk), db.decode_when(lp, lk)))
            if source is not None:
                outlets[sid][source] += 1
        # Counter keeps first-seen order among equal counts; sorted() is stable.
        return [
            replace(r, sources=tuple(sorted(outlets[r.id], key=lambda s, c=outlets[r.id]: -c[s])))
            for r in out
        ]

    def count_stories(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        sources: Iterable[str] = (),
        entity: str | None = None,
        min_articles: int = 1,
    ) -> int:
        """How many stories `list_stories` with these filters lists in all (for pages)."""
        where, params = self._story_filters(since, until, sources, entity, min_articles)
        sql = "SELECT count(*) FROM stories" + (" WHERE " + " AND ".join(where) if where else "")
        return self._read(sql, params)[0][0]

    @staticmethod
    def _story_filters(
        since: date | None, until: date | None, sources: Iterable[str], entity: str | None, min_articles: int
    ) -> tuple[list[str], list[Any]]:
        """The WHERE clauses and bound parameters of the story filters `list_stories` documents."""
        where: list[str] = []
        params: list[Any] = []
        day0 = "min(substr(first_published, 1, 10), substr(last_published, 1, 10))"
        day1 = "max(substr(first_published, 1, 10), substr(last_published, 1, 10))"
        if since is not None:
            where.append(f"first_published IS NOT NULL AND {day1} >= ?")
            params.append((since.date() if isinstance(since, datetime) else since).isoformat())
        if until is not None:
            where.append(f"first_published IS NOT NULL AND {day0} <= ?")
            params.append((until.date() if isinstance(until, datetime) else until).isoformat())
        names = list(dict.fromkeys(sources))
        if names:
            marks = ",".join("?" * len(names))
            where.append(
                "EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                f" WHERE sa.story_id = stories.id AND a.source COLLATE NOCASE IN ({marks}))"
            )
            params.extend(names)
        if entity is not None:
            where.append(
                "EXISTS (SELECT 1 FROM story_entities se WHERE se.story_id = stories.id AND se.entity_id = ?)"
            )
            params.append(entity)
        if min_articles > 1:
            where.append("n_articles >= ?")
            params.append(min_articles)
        return where, params

    def top_entities(
        self, story_ids: Iterable[str], n: int = 3, types: Sequence[str] = ("PER", "ORG", "LOC")
    ) -> dict[str, list[tuple[str, str, str]]]:
        """The first `n` entities of `types` (most mentioned first) of each of these stories, as (id,
        name, type). MISC is left out by default: what it holds most (الله، دولار) tells stories apart
        least."""
        out: dict[str, list[tuple[str, str, str]]] = {}
        kinds = ",".join("?" * len(types))
        for chunk in db._chunks(list(dict.fromkeys(story_ids))):
            marks = ",".join("?" * len(chunk))
            for sid, eid, name, typ in self._read(
                "SELECT story_id, entity_id, name, type FROM story_entities"
                f" WHERE story_id IN ({marks}) AND type IN ({kinds}) ORDER BY story_id, pos",
                (*chunk, *types),
            ):
                got = out.setdefault(sid, [])
                if len(got) < n:
                    got.append((eid, name, typ))
        return out

    def story_heads(self, story_ids: Iterable[str]) -> dict[str, tuple[str, int, int]]:
        """(title, number of articles, number of outlets) of each of these stories."""
        out = {}
        for chunk in db._chunks(list(dict.fromkeys(story_ids))):
            marks = ",".join("?" * len(chunk))
            for sid, title, n_a, n_s in self._read(
                f"SELECT id, title, n_articles, n_sources FROM stories WHERE id IN ({marks})", chunk
            ):
                out[sid] = (title, n_a, n_s)
        return out

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with its number of stored articles, most first."""
        return [(r[0], r[1]) for r in self._read(
            "SELECT source, count(*) AS n FROM articles GROUP BY source ORDER BY n DESC, source")]

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

    # ------------------------------------------------------------ story grouping

    def features(self, ids: Iterable[str]) -> dict[str, Features]:
        """The stored similarity features of these articles (ones stored without any are left out)."""
        ids = list(ids)
        with self._lock:
            try:
                return db.load_features(self._conn, ids)
            except sqlite3.Error as err:
                raise db.store_error(self.path, err) from err

    def candidates(self, terms: Sequence[str], since: date | None, limit: int) -> list[str]:
        """Stored articles filed under any of `terms` (undated, or on or after `since`), most shared
        terms first, then by id."""
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        day = since.isoformat() if since else ""
        rows = self._read(
            f"SELECT article_id, count(*) AS n FROM term_index WHERE term IN ({marks})"
            " AND (day >= ? OR day = '') GROUP BY article_id ORDER BY n DESC, article_id LIMIT ?",
            (*terms, day, limit),
        )
        return [r[0] for r in rows]

    def story_spans(self, story_ids: Iterable[str]) -> dict[str, tuple[int, date | None, date | None]]:
        """(number of articles, first day, last day) of each of these stories."""
        out = {}
        ids = list(dict.fromkeys(story_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for sid, n, fp, fk, lp, lk in self._read(
                "SELECT id, n_articles, first_published, first_kind, last_published, last_kind FROM stories"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                first, last = db.decode_when(fp, fk), db.decode_when(lp, lk)
                out[sid] = (n, day_of(first), day_of(last))
        return out

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id -> story id, for those of these articles that belong to a story."""
        out = {}
        ids = list(article_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            out.update(
                self._read(
                    "SELECT article_id, story_id FROM story_articles"
                    f" WHERE article_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return out

    def ordered_ids(self) -> list[str]:
        """Every stored article id in publication order (undated last, then by id)."""
        return [r[0] for r in self._read("SELECT id FROM articles ORDER BY published_key IS NULL,"
                                         " published_key, id")]

    # ------------------------------------------------------------ search and stats

    def search(self, query: str, limit: int = 20, settings: Settings | None = None) -> list[SearchHit]:
        """Articles matching every word of `query` (normalized; no FTS syntax), best bm25 first; a name is
        matched under every spelling the store knows (`name_variants`, with `settings`, or the shipped
        ones)."""
        if settings is None:
            from marsad.settings import load

            settings = load()
        parsed = search_mod.parse_query(query, lambda words: self.name_variants(words, settings))
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

    def entity_ids_by_form(self, forms: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
        """Name (match-form words, space-joined) -> the (entity id, type) pairs stored under it."""
        out: dict[str, set[tuple[str, str]]] = {}
        for chunk in db._chunks(list(forms)):
            marks = ",".join("?" * len(chunk))
            for form, eid, typ in self._read(
                f"SELECT form, entity_id, type FROM entity_forms WHERE form IN ({marks})", chunk
            ):
                out.setdefault(form, set()).add((eid, typ))
        return out

    def entities(self, story_id: str | None = None) -> list[EntityRow]:
        """The stored entities: of one story (in its order), or of the whole store, each gathered over
        the stories that name it (most stories, then most mentions, first)."""
        if story_id is not None:
            story = self.get_story(story_id)
            return [EntityRow(e, (story_id,)) for e in story.entities]
        rows = self._read(
            "SELECT story_id, entity_id, name, type, aliases, mentions FROM story_entities"
            " ORDER BY story_id, pos"
        )
        return self._gather_entities(rows)

    def entity(self, entity_id: str) -> EntityRow:
        """One entity of the store, gathered over every story that names it; NotFoundError if none does."""
        rows = self._read(
            "SELECT story_id, entity_id, name, type, aliases, mentions FROM story_entities"
            " WHERE entity_id = ? ORDER BY story_id, pos",
            (entity_id,),
        )
        if not rows:
            raise NotFoundError(f"{self.path}: no entity with id {entity_id!r}")
        return self._gather_entities(rows)[0]

    @staticmethod
    def _gather_entities(rows: Iterable[Sequence]) -> list[EntityRow]:
        """Rows of story_entities gathered per entity id: the most used name, every form, every article."""
        gathered: dict[str, list] = {}
        for sid, eid, name, typ, aliases, mentions in rows:
            g = gathered.setdefault(eid, [Counter(), typ, Counter(), Counter(), []])
            ms = json.loads(mentions)
            total = sum(n for _, n in ms)
            g[0][name] += total
            for form in json.loads(aliases):
                g[2][form] += 1
            for aid, n in ms:
                g[3][aid] += n
            g[4].append(sid)
        out = []
        for eid, (names, typ, forms, per_article, stories) in gathered.items():
            name = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            aliases = tuple(sorted(forms, key=lambda f: (f != name, -forms[f], f)))
            entity = Entity(eid, name, typ, aliases, tuple(sorted(per_article.items())))
            counts = tuple((f, forms[f]) for f in aliases)
            out.append(EntityRow(entity, tuple(dict.fromkeys(stories)), counts))
        out.sort(key=lambda r: (-len(r.stories), -sum(n for _, n in r.entity.mentions), r.entity.name))
        return out

    def name_variants(self, words: tuple[str, ...], settings: Settings) -> list[tuple[str, ...]]:
        """Every name of the entities that `words` (match form) names: a stored entity with that form, or
        with the same skeleton when its words are rare (a foreign name spelled another way), or a
        gazetteer entry. Each name as its words, the query's own first."""
        from marsad.extract.aliases import rare_words, skeleton
        from marsad.extract.gazetteer import gazetteer, name_tokens

        form = " ".join(words)
        ids = {r[0] for r in self._read("SELECT entity_id FROM entity_forms WHERE form = ?", (form,))}
        if not ids and rare_words(form, settings):
            ids = {r[0] for r in self._read("SELECT entity_id FROM entity_forms WHERE skeleton = ?",
                                            (skeleton(form),))}
        names = {form}
        for chunk in db._chunks(sorted(ids)):
            names.update(r[0] for r in self._read(
                f"SELECT DISTINCT form FROM entity_forms WHERE entity_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ))
        gaz = gazetteer()
        entry = gaz.names.get(tuple(words))
        if entry is not None:
            names.update(" ".join(name_tokens(f)) for f in gaz.forms.get(entry.key, ()))
        return [tuple(words)] + [tuple(n.split()) for n in sorted(names - {form})]

    def counts(self) -> dict[str, int]:
        """How many articles, stories and sentences are stored."""
        return {
            table: self._read(f"SELECT count(*) FROM {table}")[0][0]
            for table in ("articles", "stories", "sentences")
        }

