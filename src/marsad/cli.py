"""The `marsad` command: a thin shell over the library.

Each command opens the store, calls the same functions a Python user would, and turns marsad's own
errors into one line on stderr (`marsad: error: <file>[:<where>]: <reason>`); a traceback only with
`--verbose`. Exit codes: 0 success, 1 when any input was rejected or a record is missing, 2 usage.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from marsad import __version__, engine, pipeline, report
from marsad import settings as settings_mod
from marsad.errors import InputError, MarsadError
from marsad.ingest import batch_paths, count_inputs, read_path
from marsad.model import Article, Facts
from marsad.similarity import Features, compare, featurize
from marsad.store import STORY_ORDERS, Store
from marsad.summarize import METHODS

PROG = "marsad"
# More input files than this get a progress bar (when stderr is a terminal).
_PROGRESS_MIN_FILES = 3
# `marsad stories` names this many outlets of a story, then says how many more.
_OUTLETS_SHOWN = 3
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _default_db() -> str:
    return os.environ.get("MARSAD_DB", "marsad.db")


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="SQLite database (default: $MARSAD_DB or ./marsad.db)",
    )
    p.add_argument(
        "--settings",
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="TOML file overriding some of the shipped settings",
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="show tracebacks for errors"
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Arabic news articles from many outlets turned into stories you can trust.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "ingest",
        parents=[common],
        help="read articles into the database and group them",
        description="Read .txt, .html, .json, .jsonl and .zip files (or directories of them), "
        "clean them, group them into stories and store everything in one transaction.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="file or directory to ingest")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="always show a progress bar"
    )
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show one")

    p = sub.add_parser(
        "stories",
        parents=[common],
        help="list stories, most recent first",
        description="List the stored stories (most recent and largest first) with their outlets and "
        "date range; filter by date and outlet.",
    )
    p.add_argument("--ids", action="store_true", help="print only story ids, one per line")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="show at most N stories")
    p.add_argument(
        "--since", metavar="DATE", help="only stories with an article on or after DATE (YYYY-MM-DD)"
    )
    p.add_argument(
        "--until", metavar="DATE", help="only stories with an article on or before DATE (YYYY-MM-DD)"
    )
    p.add_argument(
        "--source",
        dest="sources",
        action="append",
        default=None,
        metavar="NAME",
        help="only stories with an article from this outlet (repeat for several)",
    )
    p.add_argument(
        "--sort",
        choices=tuple(STORY_ORDERS),
        default="recent",
        help="recent: latest article first, then larger; size: most articles and outlets first, "
        "then recent (default: recent)",
    )

    p = sub.add_parser(
        "show",
        parents=[common],
        help="show one story",
        description="Render one story: summary with sources, articles, shared passages.",
    )
    p.add_argument("story_id", metavar="STORY_ID")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="output format (default: text)")
    p.add_argument(
        "--summarizer",
        choices=sorted(METHODS),
        default=None,
        help="re-summarise with this method instead of the stored summary",
    )

    p = sub.add_parser(
        "search",
        parents=[common],
        help="full-text search, forgiving of spelling",
        description="Search titles and texts; hamza, ta marbuta, diacritics and digit forms do not matter.",
    )
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default: 20)")

    p = sub.add_parser(
        "export",
        parents=[common],
        help="export every story",
        description="Write every story with its articles, copies and summary.",
    )
    p.add_argument("--format", choices=report.EXPORT_FORMATS, default="json", help="(default: json)")
    p.add_argument("--output", "-o", metavar="FILE", default=None, help="write here instead of stdout")

    p = sub.add_parser(
        "similar",
        parents=[common],
        help="how alike two articles are, and why",
        description="Score two articles (ids in the store, or files) and print the parts of the score.",
    )
    p.add_argument("first", metavar="A", help="an article id in the store, or a file")
    p.add_argument("second", metavar="B", help="an article id in the store, or a file")
    p.add_argument("--json", action="store_true", help="print the score and its parts as JSON")

    p = sub.add_parser(
        "recluster",
        parents=[common],
        help="group every stored article again (after a settings change)",
        description="Regroup the whole store with the current settings in one transaction; reports every "
        "story split, merged, rebuilt or dropped.",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    p = sub.add_parser(
        "entities",
        parents=[common],
        help="list the people, organisations and places the stories name, under every spelling",
        description="List the stored entities, each with its type, display name, every spelling seen "
        "and how many stories, articles and mentions name it; --story: those of one story.",
    )
    p.add_argument("--story", metavar="STORY_ID", default=None, help="only the entities of this story")
    p.add_argument("--type", choices=("PER", "ORG", "LOC", "MISC"), default=None, help="only this type")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="show at most N entities")
    p.add_argument("--json", action="store_true", help="one JSON object per line (the export's entity keys)")

    p = sub.add_parser(
        "tag",
        parents=[common],
        help="find named entities (people, organisations, places) in a file",
        description="conll: read tokens one per line (a blank line between sentences; a second column, "
        "if any, is ignored) and write `token TAG` lines in BIO (PER, ORG, LOC, MISC). spans: read articles "
        "(any file `ingest` reads) and write one JSON line per mention with its character span.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("conll", "spans"), default="conll", help="(default: conll)")
    p.add_argument("--model", choices=("lstm", "crf"), default="lstm",
                   help="with conll: the shipped BiLSTM-CRF or the feature CRF, to compare (default: lstm)")

    p = sub.add_parser(
        "extract",
        parents=[common],
        help="find dates, figures and quotes in files (no database)",
        description="Read the files (any file `ingest` reads), clean each article and print its time "
        "expressions (resolved against its publication date), figures and quotes, each with character "
        "offsets into the cleaned text. json: {\"articles\": [{\"id\", \"times\", \"quantities\", "
        "\"quotes\", ...}]}. Nothing is stored.",
    )
    p.add_argument("paths", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("text", "json"), default="text", help="(default: text)")

    p = sub.add_parser(
        "summarize",
        parents=[common],
        help="summarise each article of some files on its own (no database)",
        description="Read the files (any file `ingest` reads), clean each article and pick its summary "
        "sentences within a word budget, printed in text order with character offsets into the cleaned "
        "text. json: {\"articles\": [{\"id\", \"summary\": [{\"text\", \"start\", \"end\"}]}]}. "
        "Nothing is stored.",
    )
    p.add_argument("paths", nargs="+", metavar="FILE")
    p.add_argument("--words", type=int, default=None, metavar="N",
                   help="word budget per article (default: the [summary] max_words setting)")
    p.add_argument("--method", choices=sorted(METHODS), default=None,
                   help="summariser (default: the [summary] method setting)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="(default: text)")

    p = sub.add_parser(
        "serve",
        parents=[common],
        help="serve the stories as a local web app (read-only unless --allow-ingest)",
        description="Start the web newsroom over the database: front page, story, article, search and "
        "entity pages, and the JSON API under /api/ (OpenAPI at /openapi.json). Stop with Ctrl-C.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 = any free port)")
    p.add_argument("--allow-ingest", action="store_true",
                   help="add an upload form at /ingest that ingests files as `marsad ingest` does")
    return parser


def _error(msg: str) -> None:
    print(f"{PROG}: error: {msg}", file=sys.stderr)


def _open_store(args: argparse.Namespace, must_exist: bool) -> Store:
    return Store(getattr(args, "db", None) or _default_db(), create=not must_exist)


def _cmd_ingest(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        _error(f"{p}: no such file or directory")
    paths = [p for p in args.paths if p not in missing]
    n_files = count_inputs(paths)
    show = (
        args.progress
        if args.progress is not None
        else (sys.stderr.isatty() and n_files > _PROGRESS_MIN_FILES)
    )
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=n_files, unit="file", file=sys.stderr, desc="ingest")
    seen_files: set[str] = set()

    def progress(item: Article | InputError) -> None:
        path = getattr(item, "path", "")
        fname = path.split(".zip/")[0] + ".zip" if ".zip/" in path else path.rsplit(":", 1)[0]
        if bar is not None and fname not in seen_files:
            seen_files.add(fname)
            bar.update(1)

    def on_stage(what: str) -> None:
        if bar is not None:
            bar.set_postfix_str(what)

    try:
        with _open_store(args, must_exist=False) as store:
            result = engine.IngestReport()
            batches = batch_paths(paths, float(settings.engine.batch_mb))
            for rep in engine.ingest_batches(store, batches, settings, progress=progress, on_stage=on_stage):
                result.add(rep)
        if bar is not None:
            bar.set_postfix_str("done")
    finally:  # an error line must not be glued to a live bar
        if bar is not None:
            bar.close()
    for err in result.errors:
        _error(str(err))
    n_err = len(result.errors) + len(missing)
    print(
        f"{len(result.added)} articles added, {len(result.skipped)} already stored, "
        f"{n_err} rejected; {len(result.stories)} stories updated"
    )
    return 1 if n_err else 0


def _day_arg(option: str, value: str | None) -> datetime.date | None:
    """The day an option names (YYYY-MM-DD); ValueError with a one-line message otherwise."""
    if value is None:
        return None
    if _DAY.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{option}: not a date: {value!r} (expected YYYY-MM-DD, e.g. 2022-05-11)")


def _outlet_names(names: Sequence[str], shown: int = _OUTLETS_SHOWN) -> str:
    """The first `shown` outlet names (the unknown outlet in words, as pages show it), and how many more
    there are."""
    more = f" +{len(names) - shown}" if len(names) > shown else ""
    return "، ".join(map(report.outlet_label, names[:shown])) + more


def _cmd_stories(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    try:
        since = _day_arg("--since", args.since)
        until = _day_arg("--until", args.until)
        if since is not None and until is not None and since > until:
            raise ValueError(f"--since {since} is after --until {until}")
        if args.limit is not None and args.limit < 0:
            raise ValueError(f"--limit: must be 0 or more, not {args.limit}")
    except ValueError as err:
        _error(str(err))
        return 2
    with _open_store(args, must_exist=True) as store:
        rows = store.list_stories(
            since=since, until=until, sources=args.sources or (), order=args.sort, limit=args.limit
        )
    if not rows and (since or until or args.sources):
        print("no stories match", file=sys.stderr)
    for r in rows:
        if args.ids:
            print(r.id)
            continue
        first = r.first_published.isoformat()[:10] if r.first_published else "?"
        last = r.last_published.isoformat()[:10] if r.last_published else "?"
        dates = first if first == last else f"{first}..{last}"
        print(
            f"{r.id}  {dates}  {r.n_sources} outlets, {r.n_articles} articles"
            f"  [{_outlet_names(r.sources)}]  {r.title}"
        )
    return 0


def _facts(store: Store, articles: Mapping[str, Article]) -> dict[str, Facts]:
    """The stored facts of these articles; an article stored before facts were kept gets them extracted
    now, for this report (not stored)."""
    facts = store.facts(articles)
    missing = [aid for aid in articles if aid not in facts]
    if missing:
        mentions = store.mentions(missing)
        for aid in missing:
            facts[aid] = pipeline.extract_facts(articles[aid], mentions.get(aid, ()))
    return facts


def _cmd_show(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    with _open_store(args, must_exist=True) as store:
        engine.freshen(store, settings, [args.story_id])
        story = store.get_story(args.story_id)
        articles = {a.id: a for a in store.get_articles(story.article_ids)}
        facts = _facts(store, articles)
        if args.summarizer:
            from marsad.summarize import summarize

            sentences = {i: store.sentences(i) for i in story.article_ids}
            story = summarize(story, articles, sentences, settings, args.summarizer)
    out = report.render(story, articles, args.format, facts)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def _cmd_search(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    query = " ".join(args.query)
    with _open_store(args, must_exist=True) as store:
        hits = store.search(query, limit=args.limit, settings=settings)
    if not hits:
        print(f"no results for {query!r}", file=sys.stderr)
        return 0
    for h in hits:
        snippet = [f"[{text}]" if hit else text for text, hit in h.pieces()]
        date = h.published.isoformat()[:10] if h.published else "?"
        outlet = report.outlet_label(h.source)
        print(f"{h.article_id}  story {h.story_id or '-'}  {outlet}  {date}  {h.title}")
        print("    " + " ".join("".join(snippet).split()))
    return 0


def _cmd_export(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    with _open_store(args, must_exist=True) as store:
        engine.freshen(store, settings)

        def stories():
            for s in store.iter_stories():
                arts = {a.id: a for a in store.get_articles(s.article_ids)}
                yield s, arts, _facts(store, arts)

        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                report.export(stories(), args.format, out)
        else:
            report.export(stories(), args.format, sys.stdout)
    return 0


def _resolve(store: Store | None, ref: str, settings: settings_mod.Settings) -> tuple[Article, Features]:
    """A stored article (by id) with its stored features, else the one article in the file `ref`."""
    if store is not None and store.has_article(ref):
        article = store.get_article(ref)
        feats = store.features([ref]).get(ref) or featurize([article], settings)[0]
        return article, feats
    path = Path(ref)
    if not path.exists():
        raise InputError(ref, "neither an article id in the store nor a file")
    items = list(read_path(path, settings))
    for item in items:
        if isinstance(item, InputError):
            raise item
    if len(items) != 1:
        raise InputError(ref, f"holds {len(items)} articles; give one article (or its id in the store)")
    article = pipeline.prepare(items[0], settings).article
    return article, featurize([article], settings)[0]


def _cmd_similar(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    db = getattr(args, "db", None) or _default_db()
    store = Store(db, create=False) if Path(db).exists() else None
    try:
        a, fa = _resolve(store, args.first, settings)
        b, fb = _resolve(store, args.second, settings)
    finally:
        if store is not None:
            store.close()
    parts = compare(fa, fb, settings, explain=True).as_dict()
    if args.json:
        print(json.dumps({"a": a.id, "b": b.id, **parts}, ensure_ascii=False))
        return 0
    print(f"A  {a.id}  [{report.outlet_label(a.source)}]  {a.title}")
    print(f"B  {b.id}  [{report.outlet_label(b.source)}]  {b.title}")
    verdict = "same story" if parts["score"] >= settings.cluster.threshold else "different stories"
    print(f"score        {parts['score']:.3f}  ({verdict} at cluster.threshold {settings.cluster.threshold})")
    labels = {
        "terms": "word stems (TF-IDF cosine)",
        "chars": "char 3-5-grams (TF-IDF cosine)",
        "semantic": "sentence encoder, title and lead (cosine)",
        "names": "named things shared",
        "title": "each title found in the other",
        "days_apart": "days apart",
        "time_factor": "time factor",
        "places_apart": "both name places, none within another "
                        f"(score x {settings.similarity.places_apart_factor})",
    }
    for key, label in labels.items():
        value = parts[key]
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        else:
            shown = "n/a" if value is None else (str(value) if isinstance(value, int) else f"{value:.3f}")
        print(f"  {key:11s} {shown:>6s}  {label}")
    return 0


def _cmd_entities(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    if args.limit is not None and args.limit < 0:
        _error(f"--limit: must be 0 or more, not {args.limit}")
        return 2
    with _open_store(args, must_exist=True) as store:
        engine.freshen(store, settings, None if args.story is None else [args.story])
        rows = store.entities(args.story)
    rows = [r for r in rows if args.type is None or r.entity.type == args.type][: args.limit]
    for r in rows:
        e = r.entity
        if args.json:
            print(json.dumps({**report.entity_dict(e), "stories": list(r.stories)}, ensure_ascii=False))
            continue
        others = [a for a in e.aliases if a != e.name]
        spelled = f" — {' / '.join(others)}" if others else ""
        n = sum(c for _, c in e.mentions)
        counts = f"{len(r.stories)} stories, {len(e.mentions)} articles, {n} mentions"
        print(f"{e.id}  {e.type:<4}  {e.name}{spelled}  ({counts})")
    return 0


def _cmd_tag(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    from marsad.extract.entities import crf_tagger, find_mentions, read_conll, tagger

    if args.format == "conll":
        try:
            sents = read_conll(args.file)
        except ValueError as exc:
            raise InputError(args.file, str(exc)) from None
        t = crf_tagger() if args.model == "crf" else tagger()
        out = []
        for i in range(0, len(sents), 64):
            chunk = [words for words, _ in sents[i : i + 64]]
            for words, tags in zip(chunk, t.tag_many(chunk), strict=True):
                out.extend(f"{w} {tag}" for w, tag in zip(words, tags, strict=True))
                out.append("")
        sys.stdout.write("\n".join(out) + ("\n" if out else ""))
        return 0
    failed = 0
    for item in read_path(args.file, settings):
        try:
            if isinstance(item, InputError):
                raise item
            prep = pipeline.prepare(item, settings)
        except InputError as err:
            _error(str(err))
            failed += 1
            continue
        art = prep.article
        for m in find_mentions(art, prep.sentences):
            print(json.dumps({"article": art.id, "start": m.span.start, "end": m.span.end, "label": m.label,
                              "text": art.text[m.span.start : m.span.end]}, ensure_ascii=False))
    return 1 if failed else 0


def _prepared_files(
    paths: Sequence[str], settings: settings_mod.Settings
) -> tuple[list[pipeline.Prepared], int]:
    """Every article of the files, read and prepared (no database), and how many files or records were
    rejected, each with its one-line error on stderr."""
    out, failed = [], 0
    for path in paths:
        if not Path(path).exists():
            _error(f"{path}: no such file or directory")
            failed += 1
            continue
        for item in read_path(path, settings):
            try:
                if isinstance(item, InputError):
                    raise item
                out.append(pipeline.prepare(item, settings))
            except InputError as err:
                _error(str(err))
                failed += 1
    return out, failed


def _cmd_extract(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    prepared, failed = _prepared_files(args.paths, settings)
    found = []
    for prep in prepared:
        a = prep.article
        facts = prep.facts or pipeline.extract_facts(a, prep.mentions)
        found.append({"id": a.id, "source": a.source, "path": a.path, "title": a.title,
                      "published": a.published.isoformat() if a.published else None,
                      **report.facts_dict(facts)})
    if args.format == "json":
        print(json.dumps({"articles": found}, ensure_ascii=False, indent=2))
    else:
        for i, a in enumerate(found):
            head = f"{a['id']} · {a['source']} · {a['published'] or 'no date'} · {a['title']}"
            print(("\n" if i else "") + head)
            for t in a["times"]:
                why = f" ({t['reason']})" if t["reason"] else ""
                where = f"{t['start']}-{t['end']}"
                print(f"  time      {where}  {t['text']} → {t['value']} [{t['granularity']}]{why}")
            for q in a["quantities"]:
                what = " ".join(str(x) for x in (q["unit"], q["counted"]) if x)
                print(f"  figure    {q['start']}-{q['end']}  {q['text']} → {q['low']}..{q['high']} "
                      f"[{q['qualifier']}] {what}".rstrip())
            for q in a["quotes"]:
                kind = "direct" if q["direct"] else "reported"
                who = f"{q['speaker'] or '?'} ({q['cue']}, {kind})"
                print(f"  quote     {q['start']}-{q['end']}  {who}: {q['text']}")
    return 1 if failed else 0


def _cmd_summarize(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    from marsad.summarize import summarize_article

    if args.words is not None and args.words < 1:
        _error(f"--words: must be 1 or more, not {args.words}")
        return 2
    prepared, failed = _prepared_files(args.paths, settings)
    found = []
    for prep in prepared:
        a = prep.article
        chosen = summarize_article(a, prep.sentences, settings, args.words, args.method)
        found.append({"id": a.id, "source": a.source, "path": a.path, "title": a.title,
                      "summary": [{"text": s.span.of(a.text), "start": s.span.start, "end": s.span.end}
                                  for s in chosen]})
    if args.format == "json":
        print(json.dumps({"articles": found}, ensure_ascii=False, indent=2))
    else:
        for i, a in enumerate(found):
            print(("\n" if i else "") + f"{a['id']} · {a['source']} · {a['title']}")
            for s in a["summary"]:
                print(f"  {s['start']}-{s['end']}  {' '.join(s['text'].split())}")
    return 1 if failed else 0


def _cmd_recluster(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    with _open_store(args, must_exist=True) as store:
        rep = engine.recluster(store, settings, dry_run=args.dry_run)
    head = "would change" if args.dry_run else "regrouped"
    print(
        f"{head} {rep.articles} articles: {rep.before} stories before, {rep.after} after; "
        f"{rep.unchanged} unchanged, {len(rep.rebuilt)} rebuilt, {len(rep.dropped)} dropped, "
        f"{len(rep.split)} split, {len(rep.merged)} merged"
        + (f"; features computed for {rep.features_computed}" if rep.features_computed else "")
    )
    for sid, n in sorted(rep.split.items()):
        print(f"  split   {sid} into {n} stories")
    for sid, n in sorted(rep.merged.items()):
        print(f"  merged  {n} stories into {sid}")
    return 0


def _cmd_serve(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    import uvicorn

    from marsad.web import create_app

    if not 0 <= args.port <= 65535:
        _error(f"--port: not a port number: {args.port}")
        return 2
    app = create_app(getattr(args, "db", None) or _default_db(), settings, allow_ingest=args.allow_ingest)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit it: a response's head and body go out at once, not 40 ms apart
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((args.host, args.port))
        sock.listen(2048)  # connections wait in the backlog until the server accepts them
    except OSError as err:
        sock.close()
        _error(f"{args.host}:{args.port}: cannot listen ({err.strerror or err})")
        return 1
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    print(f"marsad serving {app.state.db_path} at http://{host}:{port}/ (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    server.run(sockets=[sock])
    return 0


COMMANDS = {
    "similar": _cmd_similar,
    "recluster": _cmd_recluster,
    "ingest": _cmd_ingest,
    "stories": _cmd_stories,
    "show": _cmd_show,
    "search": _cmd_search,
    "export": _cmd_export,
    "entities": _cmd_entities,
    "tag": _cmd_tag,
    "extract": _cmd_extract,
    "summarize": _cmd_summarize,
    "serve": _cmd_serve,
}


def entry() -> None:
    """The console script (and `python -m marsad`): `main`, after which a Ctrl-C is ignored. One that
    lands once the work is done would otherwise find the interpreter shutting down, with Python's handler
    gone, and kill it: a finished run would end as killed by SIGINT."""
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `marsad` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = getattr(args, "verbose", False)
    try:
        settings = settings_mod.load(getattr(args, "settings", None))
        return COMMANDS[args.command](args, settings)
    except MarsadError as err:
        if verbose:
            raise
        _error(str(err))
        return 1
    except BrokenPipeError:  # `marsad export | head`
        return 0
    except OSError as err:  # an output file we cannot write, a directory given as a file, ...
        if verbose:
            raise
        where = err.filename if err.filename is not None else "marsad"
        _error(f"{where}: {err.strerror or err}")
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
