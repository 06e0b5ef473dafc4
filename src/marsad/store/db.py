"""Connection, transactions, and the rows behind each record (write and read back).

Everything here works on a plain `sqlite3.Connection` in autocommit mode; `marsad.store.Store` wraps it.
Dates are stored as ISO strings with a kind marker (`date` / `datetime`) so that a `date`, a naive
`datetime` and an offset-aware `datetime` each come back as they went in.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

import numpy as np

from marsad.errors import StoreError
from marsad.extract.aliases import skeleton
from marsad.extract.gazetteer import name_tokens
from marsad.model import (
    Article,
    Claim,
    ClaimValue,
    Entity,
    Evidence,
    Facts,
    Mention,
    Passage,
    Quantity,
    Quote,
    Removal,
    Sentence,
    Span,
    Story,
    SummarySentence,
    TimeExpression,
    TimelineEvent,
)
from marsad.similarity import Features
from marsad.store import search

# ---------------------------------------------------------------- connection


def connect(path: str) -> sqlite3.Connection:
    """Open `path` (creating the file) with foreign keys on and WAL for files; StoreError if unusable."""
    memory = path == ":memory:" or path.startswith("file::memory:")
    if not memory:
        p = Path(path)
        if p.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if not p.parent.is_dir():
            raise StoreError(f"{path}: cannot create the database: folder {p.parent} does not exist")
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as err:
        raise StoreError(f"{path}: cannot open database: {err}") from err
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # Reading the schema is the first thing that fails on a file that is not SQLite.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{path}: cannot switch the database to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as err:
        conn.close()
        msg = str(err)
        if "not a database" in msg or "malformed" in msg or "encrypted" in msg:
            raise StoreError(f"{path}: not a SQLite database ({msg})") from err
        raise StoreError(f"{path}: cannot open database: {msg}") from err
    except StoreError:
        conn.close()
        raise
    return conn


def store_error(path: str, err: sqlite3.Error) -> StoreError:
    """A one-line StoreError naming the database for a sqlite error."""
    msg = " ".join(str(err).split())
    if isinstance(err, sqlite3.IntegrityError) and "FOREIGN KEY" in msg:
        msg += " (a story, sentence or evidence names an article that is not stored)"
    return StoreError(f"{path}: {msg}")


@contextmanager
def transaction(conn: sqlite3.Connection, path: str) -> Iterator[None]:
    """One write transaction: commit on success, roll back and re-raise on any exception.

    sqlite errors are re-raised as StoreError (one line, naming the database); others unchanged.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as err:
        raise store_error(path, err) from err
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as err:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(err, sqlite3.Error):
            raise store_error(path, err) from err
        raise


# ---------------------------------------------------------------- dates


def encode_when(value: date | datetime | None) -> tuple[str | None, str | None]:
    """(ISO string, kind) for a publication date; (None, None) for None."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return value.isoformat(), "datetime"
    if isinstance(value, date):
        return value.isoformat(), "date"
    raise TypeError(f"published must be a date, a datetime or None, not {type(value).__name__}")


def decode_when(iso: str | None, kind: str | None) -> date | datetime | None:
    """Inverse of `encode_when`."""
    if iso is None:
        return None
    return datetime.fromisoformat(iso) if kind == "datetime" else date.fromisoformat(iso)


def sort_key(value: date | datetime | None) -> str | None:
    """A string that sorts publication times chronologically (aware datetimes compared in UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    return datetime(value.year, value.month, value.day).isoformat(timespec="microseconds")


def day_of(value: date | datetime | None) -> str | None:
    """The calendar day of a publication time, as the article wrote it."""
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- writes


def existing_article_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
    """Which of `ids` are already stored."""
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
        found.update(r[0] for r in conn.execute(q, chunk))
    return found


def insert_articles(
    conn: sqlite3.Connection,
    articles: Sequence[Article],
    search_rows: Mapping[str, tuple[str, str, str]] | None = None,
) -> None:
    """Insert new articles (ids not yet stored) with their removals, metadata and search index rows
    (`search_rows` by article id where made ahead, `search.Indexer.row`)."""
    if not articles:
        return
    start = conn.execute("SELECT coalesce(max(num), 0) FROM articles").fetchone()[0] + 1
    added = _now()
    rows = []
    for num, a in enumerate(articles, start):
        iso, kind = encode_when(a.published)
        rows.append(
            (
                num,
                a.id,
                a.source,
                a.path,
                a.title,
                a.text,
                a.url,
                iso,
                kind,
                day_of(a.published),
                sort_key(a.published),
                a.raw,
                int(a.title_derived),
                a.published_note,
                added,
            )
        )
    conn.executemany(
        "INSERT INTO articles (num, id, source, path, title, text, url, published, published_kind,"
        " published_day, published_key, raw, title_derived, published_note, added)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        'INSERT INTO article_removals (article_id, pos, start, "end", reason) VALUES (?, ?, ?, ?, ?)',
        [(a.id, i, r.span.start, r.span.end, r.reason) for a in articles for i, r in enumerate(a.removed)],
    )
    conn.executemany(
        "INSERT INTO article_meta (article_id, pos, key, value) VALUES (?, ?, ?, ?)",
        [(a.id, i, k, v) for a in articles for i, (k, v) in enumerate(a.meta)],
    )
    index = search.Indexer()
    conn.executemany(
        "INSERT INTO article_fts (rowid, title, body, stems) VALUES (?, ?, ?, ?)",
        [(num, *((search_rows or {}).get(a.id) or index.row(a.title, a.text)))
         for num, a in enumerate(articles, start)],
    )


def insert_sentences(
    conn: sqlite3.Connection, sentences: Mapping[str, Sequence[Sentence]], article_ids: set[str]
) -> None:
    """Insert the sentences of the articles in `article_ids`; the others in `sentences` are skipped.

    ValueError if a sentence is filed under another article's id.
    """
    rows = []
    for aid, sents in sentences.items():
        if aid not in article_ids:
            continue
        for s in sents:
            if s.article_id != aid:
                raise ValueError(f"sentence {s.index} of article {s.article_id!r} filed under {aid!r}")
            rows.append((aid, s.index, s.span.start, s.span.end, s.norm))
    conn.executemany(
        'INSERT INTO sentences (article_id, idx, start, "end", norm) VALUES (?, ?, ?, ?, ?)', rows
    )


def insert_mentions(
    conn: sqlite3.Connection, mentions: Mapping[str, Sequence[Mention]], article_ids: set[str]
) -> None:
    """Insert the entity mentions of the articles in `article_ids` (the others are skipped)."""
    rows = []
    tagged = []
    for aid, ms in mentions.items():
        if aid not in article_ids:
            continue
        tagged.append((aid,))
        for i, m in enumerate(ms):
            if m.article_id != aid:
                raise ValueError(f"a mention of article {m.article_id!r} filed under {aid!r}")
            rows.append((aid, i, m.span.start, m.span.end, m.label, m.norm))
    conn.executemany(
        'INSERT INTO mentions (article_id, pos, start, "end", label, norm) VALUES (?, ?, ?, ?, ?, ?)', rows
    )
    conn.executemany("UPDATE articles SET tagged = 1 WHERE id = ?", tagged)


def load_mentions(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, tuple[Mention, ...]]:
    """The stored mentions of these articles (an article stored without them is absent)."""
    out: dict[str, list[Mention]] = {}
    for chunk in _chunks(list(ids)):
        for aid, s, e, label, norm in conn.execute(
            f'SELECT article_id, start, "end", label, norm FROM mentions'
            f" WHERE article_id IN ({','.join('?' * len(chunk))}) ORDER BY article_id, pos",
            chunk,
        ):
            out.setdefault(aid, []).append(Mention(aid, Span(s, e), label, norm))
    tagged = set()
    for chunk in _chunks(list(ids)):
        tagged.update(r[0] for r in conn.execute(
            f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))}) AND tagged = 1", chunk
        ))
    return {aid: tuple(out.get(aid, ())) for aid in ids if aid in tagged}


def insert_facts(conn: sqlite3.Connection, facts: Mapping[str, Facts], article_ids: set[str]) -> None:
    """Insert the time expressions, figures and quotes of the articles in `article_ids` (the others are
    skipped)."""
    times, quantities, quotes, done = [], [], [], []
    for aid, f in facts.items():
        if aid not in article_ids:
            continue
        items = (*f.times, *f.quantities, *f.quotes)
        if f.article_id != aid or any(x.article_id != aid for x in items):
            raise ValueError(f"facts of another article filed under {aid!r}")
        done.append((aid,))
        times.extend((aid, i, t.span.start, t.span.end, t.value, t.granularity, t.reason)
                     for i, t in enumerate(f.times))
        quantities.extend((aid, i, q.span.start, q.span.end, q.low, q.high, q.qualifier, q.unit, q.counted)
                          for i, q in enumerate(f.quantities))
        quotes.extend(
            (aid, i, q.span.start, q.span.end, q.cue, int(q.direct), q.speaker,
             q.speaker_span.start if q.speaker_span else None, q.speaker_span.end if q.speaker_span else None)
            for i, q in enumerate(f.quotes)
        )
    conn.executemany(
        'INSERT INTO times (article_id, pos, start, "end", value, granularity, reason)'
        " VALUES (?, ?, ?, ?, ?, ?, ?)", times,
    )
    conn.executemany(
        'INSERT INTO quantities (article_id, pos, start, "end", low, high, qualifier, unit, counted)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", quantities,
    )
    conn.executemany(
        'INSERT INTO quotes (article_id, pos, start, "end", cue, direct, speaker, speaker_start, speaker_end)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", quotes,
    )
    conn.executemany("UPDATE articles SET extracted = 1 WHERE id = ?", done)


def load_facts(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Facts]:
    """The stored facts of these articles (an article stored before they were kept is absent)."""
    times: dict[str, list[TimeExpression]] = {}
    quantities: dict[str, list[Quantity]] = {}
    quotes: dict[str, list[Quote]] = {}
    done: set[str] = set()
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        done.update(r[0] for r in conn.execute(
            f"SELECT id FROM articles WHERE id IN ({marks}) AND extracted = 1", chunk))
        # each item's text is its slice of the article (substr counts characters, as Python does)
        for aid, s, e, text, value, gran, reason in conn.execute(
            f'SELECT t.article_id, t.start, t."end", substr(a.text, t.start + 1, t."end" - t.start), t.value,'
            f" t.granularity, t.reason FROM times t JOIN articles a ON a.id = t.article_id"
            f" WHERE t.article_id IN ({marks}) ORDER BY t.article_id, t.pos", chunk,
        ):
            times.setdefault(aid, []).append(TimeExpression(aid, Span(s, e), text, value, gran, reason))
        for aid, s, e, text, low, high, qual, unit, counted in conn.execute(
            f'SELECT q.article_id, q.start, q."end", substr(a.text, q.start + 1, q."end" - q.start), q.low,'
            f" q.high, q.qualifier, q.unit, q.counted FROM quantities q"
            f" JOIN articles a ON a.id = q.article_id"
            f" WHERE q.article_id IN ({marks}) ORDER BY q.article_id, q.pos", chunk,
        ):
            q = Quantity(aid, Span(s, e), text, low, high, qual, unit, counted)
            quantities.setdefault(aid, []).append(q)
        for aid, s, e, text, cue, direct, speaker, ss, se in conn.execute(
            f'SELECT q.article_id, q.start, q."end", substr(a.text, q.start + 1, q."end" - q.start), q.cue,'
            f" q.direct, q.speaker, q.speaker_start, q.speaker_end FROM quotes q"
            f" JOIN articles a ON a.id = q.article_id"
            f" WHERE q.article_id IN ({marks}) ORDER BY q.article_id, q.pos", chunk,
        ):
            sp = Span(ss, se) if ss is not None else None
            quotes.setdefault(aid, []).append(Quote(aid, Span(s, e), text, cue, bool(direct), speaker, sp))
    return {
        aid: Facts(aid, tuple(times.get(aid, ())), tuple(quantities.get(aid, ())), tuple(quotes.get(aid, ())))
        for aid in ids
        if aid in done
    }


def drop_stories(conn: sqlite3.Connection, ids: Sequence[str]) -> None:
    """Delete stories (and, by cascade, their members, passages, summary and duplicates)."""
    conn.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in ids])


def _member_stats(conn: sqlite3.Connection, members: Sequence[str]) -> tuple:
    """(n_articles, n_sources, first_published, first_kind, last_published, last_kind, last_key) of a
    story with these members."""
    info: list[tuple[str, str | None, str | None]] = []  # (source, published, kind)
    for i in range(0, len(members), 500):
        chunk = members[i : i + 500]
        info.extend(
            conn.execute(
                f"SELECT source, published, published_kind FROM articles"
                f" WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    whens = [decode_when(p, k) for _, p, k in info if p is not None]
    keyed = sorted(((sort_key(w), w) for w in whens), key=lambda kw: kw[0] or "")
    first = keyed[0][1] if keyed else None
    last = keyed[-1][1] if keyed else None
    n_sources = len({s for s, _, _ in info})
    return (len(members), n_sources, *encode_when(first), *encode_when(last), sort_key(last))


def insert_story(conn: sqlite3.Connection, story: Story) -> None:
    """Insert one story and everything it holds; the id must not be stored (delete it first)."""
    members = list(story.article_ids)
    n_articles, n_sources, f_iso, f_kind, l_iso, l_kind, last_key = _member_stats(conn, members)
    conn.execute(
        "INSERT INTO stories (id, title, n_articles, n_sources, n_duplicate_groups, first_published,"
        " first_kind, last_published, last_kind, last_key, updated, built_size)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            story.id,
            story.title,
            n_articles,
            n_sources,
            len(story.duplicates),
            f_iso,
            f_kind,
            l_iso,
            l_kind,
            last_key,
            _now(),
            n_articles,
        ),
    )
    conn.executemany(
        "INSERT INTO story_articles (story_id, pos, article_id) VALUES (?, ?, ?)",
        [(story.id, i, aid) for i, aid in enumerate(members)],
    )
    conn.executemany(
        "INSERT INTO passages (story_id, pos, text) VALUES (?, ?, ?)",
        [(story.id, i, p.text) for i, p in enumerate(story.copies)],
    )
    conn.executemany(
        'INSERT INTO passage_evidence (story_id, passage_pos, pos, article_id, start, "end")'
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (story.id, i, j, e.article_id, e.span.start, e.span.end)
            for i, p in enumerate(story.copies)
            for j, e in enumerate(p.evidence)
        ],
    )
    conn.executemany(
        "INSERT INTO summary_sentences (story_id, pos, text) VALUES (?, ?, ?)",
        [(story.id, i, s.text) for i, s in enumerate(story.summary)],
    )
    conn.executemany(
        'INSERT INTO summary_evidence (story_id, sentence_pos, pos, article_id, start, "end")'
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (story.id, i, j, e.article_id, e.span.start, e.span.end)
            for i, s in enumerate(story.summary)
            for j, e in enumerate(s.evidence)
        ],
    )
    conn.executemany(
        "INSERT INTO story_duplicates (story_id, grp, pos, article_id) VALUES (?, ?, ?, ?)",
        [(story.id, g, j, aid) for g, group in enumerate(story.duplicates) for j, aid in enumerate(group)],
    )
    conn.executemany(
        "INSERT INTO story_entities (story_id, pos, entity_id, name, type, aliases, mentions)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (story.id, i, e.id, e.name, e.type, json.dumps(list(e.aliases), ensure_ascii=False),
             json.dumps([list(m) for m in e.mentions], ensure_ascii=False))
            for i, e in enumerate(story.entities)
        ],
    )
    conn.executemany(
        'INSERT INTO story_claims (story_id, pos, subject, verdict, "values") VALUES (?, ?, ?, ?, ?)',
        [
            (story.id, i, c.subject, c.verdict,
             json.dumps([_claim_value(v) for v in c.values], ensure_ascii=False))
            for i, c in enumerate(story.claims)
        ],
    )
    conn.executemany(
        "INSERT INTO story_timeline (story_id, pos, date, text, background, note, evidence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (story.id, i, ev.date, ev.text, int(ev.background), ev.note,
             json.dumps([[e.article_id, e.span.start, e.span.end] for e in ev.evidence], ensure_ascii=False))
            for i, ev in enumerate(story.timeline)
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO entity_forms (form, skeleton, entity_id, type, story_id)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (f, skeleton(f), e.id, e.type, story.id)
            for e in story.entities
            for f in sorted({" ".join(name_tokens(a)) for a in e.aliases})
        ],
    )


def write_stories(conn: sqlite3.Connection, stories: Sequence[Story]) -> None:
    """Replace each story wholesale (all old rows removed first, so members may move between them).

    ValueError if an article would be in two stories.
    """
    for s in stories:
        refs = list(
            dict.fromkeys(
                [
                    *s.article_ids,
                    *(e.article_id for p in s.copies for e in p.evidence),
                    *(e.article_id for x in s.summary for e in x.evidence),
                    *(aid for g in s.duplicates for aid in g),
                ]
            )
        )
        stored = existing_article_ids(conn, refs)
        missing = [aid for aid in refs if aid not in stored]
        if missing:
            raise ValueError(f"story {s.id!r} names articles that are not stored: {missing[:5]}")
    conn.executemany("DELETE FROM stories WHERE id = ?", [(s.id,) for s in stories])
    for s in stories:
        try:
            insert_story(conn, s)
        except sqlite3.IntegrityError as err:
            if "story_articles.article_id" in str(err):
                raise ValueError(_member_conflict(conn, s)) from err
            raise


def _claim_value(v: ClaimValue) -> dict:
    q = v.quantity
    return {
        "quantity": [
            q.article_id, q.span.start, q.span.end, q.text, q.low, q.high, q.qualifier, q.unit, q.counted
        ],
        "evidence": [[e.article_id, e.span.start, e.span.end] for e in v.evidence],
    }


def _claim_value_from(data: dict) -> ClaimValue:
    aid, s, e, text, low, high, qualifier, unit, counted = data["quantity"]
    return ClaimValue(
        Quantity(aid, Span(s, e), text, low, high, qualifier, unit, counted),
        tuple(Evidence(a, Span(x, y)) for a, x, y in data["evidence"]),
    )


def extend_stories(conn: sqlite3.Connection, extend: Mapping[str, Sequence[str]]) -> None:
    """Add members to stored stories and mark them stale: their copies, entities and summary are those of
    the members they had, until `engine.refresh` rebuilds them. ValueError for a story not stored or an
    article already in a story."""
    for sid, new in extend.items():
        row = conn.execute("SELECT MAX(pos) FROM story_articles WHERE story_id = ?", (sid,)).fetchone()
        if row is None or row[0] is None:
            raise ValueError(f"story {sid!r} is not stored: it cannot gain members")
        try:
            conn.executemany(
                "INSERT INTO story_articles (story_id, pos, article_id) VALUES (?, ?, ?)",
                [(sid, row[0] + 1 + i, aid) for i, aid in enumerate(new)],
            )
        except sqlite3.IntegrityError as err:
            raise ValueError(f"story {sid!r}: an article it gains is already in a story") from err
        members = [r[0] for r in conn.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY pos", (sid,))]
        conn.execute(
            "UPDATE stories SET n_articles = ?, n_sources = ?, first_published = ?, first_kind = ?,"
            " last_published = ?, last_kind = ?, last_key = ?, updated = ?, stale = 1 WHERE id = ?",
            (*_member_stats(conn, members), _now(), sid),
        )


def _member_conflict(conn: sqlite3.Connection, story: Story) -> str:
    for aid in story.article_ids:
        row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (aid,)).fetchone()
        if row is not None:
            if row[0] == story.id:
                return f"story {story.id!r}: article {aid!r} is listed twice"
            return (
                f"story {story.id!r}: article {aid!r} is already in story {row[0]!r}; an article belongs"
                " to one story (update or drop the other story in the same batch)"
            )
    return f"story {story.id!r}: an article belongs to one story"


# ---------------------------------------------------------------- reads

ARTICLE_COLUMNS = (
    "id, source, path, title, text, url, published, published_kind, raw, title_derived, published_note"
)


def article_from_rows(row: Sequence, removals: Sequence[Sequence], meta: Sequence[Sequence]) -> Article:
    """Build an Article from its `ARTICLE_COLUMNS` row, removal rows and meta rows (in order)."""
    aid, source, path, title, text, url, published, kind, raw, title_derived, note = row
    return Article(
        id=aid,
        source=source,
        path=path,
        title=title,
        text=text,
        url=url,
        published=decode_when(published, kind),
        raw=raw,
        removed=tuple(Removal(Span(s, e), reason) for s, e, reason in removals),
        title_derived=bool(title_derived),
        published_note=note,
        meta=tuple((k, v) for k, v in meta),
    )


def load_articles(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Article]:
    """The stored articles among `ids`, by id (missing ids are simply absent)."""
    out: dict[str, Article] = {}
    uniq = list(dict.fromkeys(ids))
    for i in range(0, len(uniq), 500):
        chunk = uniq[i : i + 500]
        marks = ",".join("?" * len(chunk))
        removals: dict[str, list[tuple]] = {}
        for aid, s, e, reason in conn.execute(
            f'SELECT article_id, start, "end", reason FROM article_removals'
            f" WHERE article_id IN ({marks}) ORDER BY article_id, pos",
            chunk,
        ):
            removals.setdefault(aid, []).append((s, e, reason))
        meta: dict[str, list[tuple]] = {}
        for aid, k, v in conn.execute(
            f"SELECT article_id, key, value FROM article_meta WHERE article_id IN ({marks})"
            " ORDER BY article_id, pos",
            chunk,
        ):
            meta.setdefault(aid, []).append((k, v))
        for row in conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", chunk):
            out[row[0]] = article_from_rows(row, removals.get(row[0], ()), meta.get(row[0], ()))
    return out


def _evidence(rows: Sequence[Sequence]) -> dict[int, list[Evidence]]:
    by: dict[int, list[Evidence]] = {}
    for item, aid, s, e in rows:
        by.setdefault(item, []).append(Evidence(aid, Span(s, e)))
    return by


def load_story(conn: sqlite3.Connection, story_id: str) -> Story | None:
    """The stored story with this id, or None."""
    row = conn.execute("SELECT title, n_duplicate_groups FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    title, n_groups = row
    members = tuple(
        r[0]
        for r in conn.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY pos", (story_id,)
        )
    )
    p_ev = _evidence(
        conn.execute(
            'SELECT passage_pos, article_id, start, "end" FROM passage_evidence'
            " WHERE story_id = ? ORDER BY passage_pos, pos",
            (story_id,),
        ).fetchall()
    )
    copies = tuple(
        Passage(text, tuple(p_ev.get(pos, ())))
        for pos, text in conn.execute(
            "SELECT pos, text FROM passages WHERE story_id = ? ORDER BY pos", (story_id,)
        )
    )
    s_ev = _evidence(
        conn.execute(
            'SELECT sentence_pos, article_id, start, "end" FROM summary_evidence'
            " WHERE story_id = ? ORDER BY sentence_pos, pos",
            (story_id,),
        ).fetchall()
    )
    summary = tuple(
        SummarySentence(text, tuple(s_ev.get(pos, ())))
        for pos, text in conn.execute(
            "SELECT pos, text FROM summary_sentences WHERE story_id = ? ORDER BY pos", (story_id,)
        )
    )
    groups: list[list[str]] = [[] for _ in range(n_groups)]
    for grp, aid in conn.execute(
        "SELECT grp, article_id FROM story_duplicates WHERE story_id = ? ORDER BY grp, pos", (story_id,)
    ):
        groups[grp].append(aid)
    entities = tuple(
        Entity(eid, name, typ, tuple(json.loads(al)), tuple((a, n) for a, n in json.loads(ms)))
        for eid, name, typ, al, ms in conn.execute(
            "SELECT entity_id, name, type, aliases, mentions FROM story_entities WHERE story_id = ?"
            " ORDER BY pos",
            (story_id,),
        )
    )
    claims = tuple(
        Claim(subject, verdict, tuple(_claim_value_from(v) for v in json.loads(values)))
        for subject, verdict, values in conn.execute(
            'SELECT subject, verdict, "values" FROM story_claims WHERE story_id = ? ORDER BY pos', (story_id,)
        )
    )
    timeline = tuple(
        TimelineEvent(day, text, tuple(Evidence(a, Span(s, e)) for a, s, e in json.loads(ev)), bool(bg), note)
        for day, text, bg, note, ev in conn.execute(
            "SELECT date, text, background, note, evidence FROM story_timeline WHERE story_id = ?"
            " ORDER BY pos",
            (story_id,),
        )
    )
    return Story(
        id=story_id,
        title=title,
        article_ids=members,
        copies=copies,
        summary=summary,
        duplicates=tuple(tuple(g) for g in groups),
        entities=entities,
        claims=claims,
        timeline=timeline,
    )


# --- features (marsad.similarity.Features) ----------------------------------------------------------


def insert_features(conn: sqlite3.Connection, features: Sequence[Features], index_terms: int) -> None:
    """Store (or replace) the features of articles and file them in the candidate index."""
    rows, postings = [], []
    for f in features:
        day = f.day.isoformat() if f.day is not None else ""
        emb = None if f.embedding is None else np.asarray(f.embedding, dtype="<f2").tobytes()
        rows.append(
            (
                f.article_id, day,
                json.dumps([[t, w] for t, w in f.terms.items()], ensure_ascii=False),
                np.asarray(f.char_idx, dtype="<u4").tobytes(), np.asarray(f.char_val, dtype="<f4").tobytes(),
                emb, json.dumps(sorted(f.names), ensure_ascii=False),
                json.dumps(sorted(f.title_terms), ensure_ascii=False),
            )
        )
        postings.extend((t, day, f.article_id) for t in list(f.terms)[:index_terms])
    ids = [(f.article_id,) for f in features]
    conn.executemany("DELETE FROM term_index WHERE article_id = ?", ids)
    conn.executemany("INSERT OR REPLACE INTO features VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT OR IGNORE INTO term_index VALUES (?, ?, ?)", postings)


def load_features(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Features]:
    """The stored features of these articles (articles without any are left out)."""
    out: dict[str, Features] = {}
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        for aid, day, terms, cidx, cval, emb, names, title_terms in conn.execute(
            f"SELECT article_id, day, terms, char_idx, char_val, embedding, names, title_terms FROM features"
            f" WHERE article_id IN ({marks})",
            chunk,
        ):
            out[aid] = Features(
                aid,
                date.fromisoformat(day) if day else None,
                MappingProxyType({t: w for t, w in json.loads(terms)}),
                np.frombuffer(cidx, dtype="<u4").astype(np.uint32),
                np.frombuffer(cval, dtype="<f4").astype(np.float32),
                None if emb is None else np.frombuffer(emb, dtype="<f2").astype(np.float32),
                frozenset(json.loads(names)),
                frozenset(json.loads(title_terms)),
            )
    return out


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
