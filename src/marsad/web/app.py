"""The ASGI app behind `marsad serve`: pages and a JSON API over one marsad database.

Routes only parse the request, call `marsad.web.views` (which reads the store and uses `report`) and
render a template or return JSON. Each worker thread keeps its own read connection. Untrusted article
text is escaped by Jinja's autoescape and stripped of bidi overrides (`report.inert`); pages carry a
Content-Security-Policy that forbids every script.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

import marsad
from marsad import report
from marsad import settings as settings_mod
from marsad.errors import NotFoundError
from marsad.store import STORY_ORDERS, Store
from marsad.web import views

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self';"
    " base-uri 'none'; frame-ancestors 'none'"
)
"""No script of any origin runs on a marsad page: the pages need none, and article text is untrusted."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SAFE_NAME = re.compile(r"[^\w.\-]+")
CACHE_BYTES = 64 * 1024 * 1024
"""Rendered responses kept between database changes (`PageCache`)."""
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", ".zip")
"""What the upload form takes (what `marsad ingest` reads)."""


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.PackageLoader("marsad.web", "templates"), jinja2.PackageLoader("marsad", "templates")]
        ),
        autoescape=True,
        finalize=report.inert,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["outlet"] = report.outlet_label
    return env


class _Stores(threading.local):
    store: Store | None = None


class PageCache:
    """Rendered GET responses by URL, dropped whenever the database changes.

    Every page is a pure function of the URL and the stored data, so a response can be served again
    until a write: the database file and its write-ahead log change (size or time) with every commit,
    which two `stat` calls per request detect. Bounded by `max_bytes` (oldest out first)."""

    def __init__(self, db_path: str, max_bytes: int) -> None:
        self._files = (Path(db_path), Path(db_path + "-wal"))
        self._max = max_bytes
        self._lock = threading.Lock()
        self._items: dict[str, tuple[int, list[tuple[bytes, bytes]], bytes]] = {}
        self._size = 0
        self._version: tuple = ()

    def _stamp(self) -> tuple:
        out = []
        for f in self._files:
            try:
                st = f.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    def get(self, key: str) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        stamp = self._stamp()
        with self._lock:
            if stamp != self._version:
                self._items.clear()
                self._size = 0
                self._version = stamp
                return None
            return self._items.get(key)

    def put(self, key: str, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if len(body) > self._max // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (status, headers, body)
            self._size += len(body)
            while self._size > self._max:
                oldest = next(iter(self._items))
                self._size -= len(self._items.pop(oldest)[2])


class CacheMiddleware:
    """Serve a GET page or API answer from the `PageCache` when it holds one; keep each 200 answer."""

    def __init__(self, app: Any, cache: PageCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] == "/ingest":
            await self.app(scope, receive, send)
            return
        key = scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1")
        hit = self.cache.get(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    self.cache.put(key, 200, list(start.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)


def create_app(
    db_path: str | Path, settings: settings_mod.Settings | None = None, allow_ingest: bool = False
) -> FastAPI:
    """The app over the marsad database at `db_path`, which must exist (StoreError otherwise, at once,
    not at the first request). `allow_ingest` adds the upload form at `/ingest`."""
    db_path = str(db_path)
    Store(db_path, create=False).close()  # fail now, with the store's one-line error
    settings = settings or settings_mod.load()
    env = _env()
    version = marsad.__version__
    local = _Stores()

    def store() -> Store:
        if local.store is None:
            local.store = Store(db_path, create=False)
        return local.store

    app = FastAPI(title="marsad", version=version, description="Stories from Arabic news, as JSON.",
                  docs_url=None, redoc_url=None)
    app.state.db_path = db_path
    app.add_middleware(CacheMiddleware, cache=PageCache(db_path, CACHE_BYTES))

    def fresh(story_id: str) -> Store:
        """The store, with this story rebuilt first if it grew since it was built (`engine.freshen`)."""
        from marsad import engine

        engine.freshen(store(), settings, [story_id])
        return store()

    def render_page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = env.get_template(name).render(version=version, allow_ingest=allow_ingest, **ctx)
        return HTMLResponse(html, status_code=status)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def not_found(request: Request, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=404)
        return render_page("error.html.j2", 404, code=404, message=message, query="")

    @app.exception_handler(NotFoundError)
    async def on_not_found(request: Request, err: NotFoundError) -> Response:
        return not_found(request, "غير موجود (not found)")

    @app.exception_handler(RequestValidationError)
    async def on_bad_parameter(request: Request, err: RequestValidationError) -> Response:
        names = ", ".join(str(e.get("loc", ["", "?"])[-1]) for e in err.errors()) or "?"
        message = f"قيمة غير صالحة (invalid value): {names}"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": f"invalid value: {names}"}, status_code=400)
        return render_page("error.html.j2", 400, code=400, message=message, query="")

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, err: StarletteHTTPException) -> Response:
        if err.status_code == 404:
            return not_found(request, "لا توجد صفحة بهذا العنوان (no such page)")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(err.detail)}, status_code=err.status_code)
        return render_page("error.html.j2", err.status_code, code=err.status_code, message=str(err.detail),
                           query="")

    def filters(since: str | None, until: str | None, source: str | None, entity: str | None,
                multi: str | None) -> tuple[views.StoryFilters, list[str]]:
        problems: list[str] = []

        def day(name: str, value: str | None) -> dt.date | None:
            if not value:
                return None
            if _DAY.fullmatch(value):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    pass
            problems.append(f"{name}: ليس تاريخًا (not a date, expected YYYY-MM-DD): {value}")
            return None

        return views.StoryFilters(
            since=day("since", since), until=day("until", until), source=source or None,
            entity=entity or None, min_articles=2 if multi else 1,
        ), problems

    # ------------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front(since: str | None = None, until: str | None = None, source: str | None = None,
              entity: str | None = None, multi: str | None = None, sort: str = "day",
              page: int = 1) -> HTMLResponse:
        f, problems = filters(since, until, source, entity, multi)
        if sort not in STORY_ORDERS:
            problems.append(f"sort: ترتيب غير معروف (unknown order): {sort}")
            sort = "day"
        data = views.story_list(store(), f, page, order=sort)
        entity_name = None
        if f.entity:
            try:
                entity_name = store().entity(f.entity).entity.name
            except NotFoundError:
                problems.append(f"entity: لا يوجد كيان بهذا المعرف (no such entity): {f.entity}")
        args = {"since": since or "", "until": until or "", "source": source or "", "entity": entity or "",
                "multi": "1" if multi else "", "sort": sort}
        return render_page("front.html.j2", data=data, filters=args, problems=problems,
                           outlets=store().outlets(), entity_name=entity_name, query="",
                           story_url=views.story_url, entity_url=views.entity_url)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story(story_id: str) -> HTMLResponse:
        page = views.story_html(fresh(story_id), story_id, env, version=version, allow_ingest=allow_ingest,
                                query="")
        return HTMLResponse(page)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article(article_id: str, hl: str | None = None) -> HTMLResponse:
        return render_page("article.html.j2", a=views.article_view(store(), article_id, hl), query="")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "") -> HTMLResponse:
        return render_page("search.html.j2", r=views.search(store(), q, settings), query=q,
                    story_url=views.story_url, article_url=views.article_url)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(entity_id: str) -> HTMLResponse:
        return render_page("entity.html.j2", e=views.entity_view(store(), entity_id), query="",
                    story_url=views.story_url)

    # ------------------------------------------------------------------ API (the export contract)

    @app.get("/api/stories")
    def api_stories(since: str | None = None, until: str | None = None, source: str | None = None,
                    entity: str | None = None, multi: str | None = None, sort: str = "day", page: int = 1,
                    per_page: int = views.PER_PAGE) -> Response:
        """Stories one page at a time, with filters; `sort`: day (the latest day first, then the most
        outlets), recent (the latest article first) or size (the most articles first)."""
        f, problems = filters(since, until, source, entity, multi)
        if sort not in STORY_ORDERS:
            problems.append(f"sort: unknown order {sort!r}; one of {', '.join(STORY_ORDERS)}")
        if problems:
            return JSONResponse({"error": "; ".join(problems)}, status_code=400)
        return JSONResponse(views.story_list(store(), f, page, max(1, min(per_page, 200)), sort))

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: str) -> Response:
        """One story as the JSON export gives it (`marsad export`)."""
        story, articles, facts = views.story_page(fresh(story_id), story_id)
        return JSONResponse(report.story_dict(story, articles, facts=facts))

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: str) -> Response:
        """One article with its facts, entity mentions and what cleaning removed."""
        return JSONResponse(views.article_dict(store(), article_id))

    @app.get("/api/search")
    def api_search(q: str = "") -> Response:
        """Articles matching every word of `q` (names under every spelling), grouped by story."""
        return JSONResponse(views.search(store(), q, settings))

    @app.get("/api/entities")
    def api_entities(story: str | None = None, offset: int = 0, limit: int = 100) -> Response:
        """Entities of one story, or of the whole store (most stories first), a page at a time."""
        return JSONResponse(views.entity_list(store(), story, max(0, offset), max(1, min(limit, 1000))))

    @app.get("/api/entities/{entity_id}")
    def api_entity(entity_id: str) -> Response:
        """One entity: its spellings, the stories naming it and its quotes."""
        data = views.entity_view(store(), entity_id)
        return JSONResponse({k: v for k, v in data.items() if k != "picture"})

    # ------------------------------------------------------------------ upload (opt-in)

    if allow_ingest:
        from starlette.datastructures import UploadFile

        @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
        def ingest_form() -> HTMLResponse:
            return render_page("ingest.html.j2", result=None, query="")

        @app.post("/ingest", response_class=HTMLResponse, include_in_schema=False)
        async def ingest_upload(request: Request) -> HTMLResponse:
            if not _same_origin(request):
                return render_page("error.html.j2", 403, code=403, query="",
                                   message="رفض طلب من موقع آخر (cross-site upload refused)")
            form = await request.form()
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
            tmp = Path(tempfile.mkdtemp(prefix="marsad-upload-"))
            try:
                problems, paths, names = [], [], {}
                for i, up in enumerate(uploads):
                    name = _SAFE_NAME.sub("_", Path(up.filename or "").name) or f"upload-{i}"
                    if not name.lower().endswith(UPLOAD_SUFFIXES):
                        problems.append(f"{up.filename}: نوع ملف غير مدعوم (unsupported file type)")
                        continue
                    target = tmp / f"{i:03d}-{name}"
                    target.write_bytes(await up.read())
                    paths.append(target)
                    names[str(target)] = up.filename or name
                result = await _run_ingest(db_path, paths, settings) if paths else None
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            errors = problems + [_named(str(e), names) for e in (result.errors if result else [])]
            summary = None
            if result is not None:
                summary = {"added": len(result.added), "skipped": len(result.skipped),
                           "stories": [views.story_url(s) for s in result.stories]}
            if not uploads:
                errors.append("لم يُختر أي ملف (no file chosen)")
            return render_page("ingest.html.j2", result={"summary": summary, "errors": errors}, query="")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/stories", include_in_schema=False)
    def stories_redirect() -> Response:
        return RedirectResponse("/")

    return app


def _same_origin(request: Request) -> bool:
    """Whether a form post comes from this server's own pages, so that another site cannot make a
    visitor's browser ingest files here. A browser says where a request comes from (`Sec-Fetch-Site`;
    older ones only `Origin`, which is "null" under this server's no-referrer policy); a client that
    says neither (curl, a script) is not a browser acting for a visitor."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1] == request.headers.get("host", "")


def _named(message: str, names: dict[str, str]) -> str:
    """An ingest error about an uploaded file, naming the file as the user chose it."""
    for path, name in names.items():
        message = message.replace(path, name)
    return message


async def _run_ingest(db_path: str, paths: list[Path], settings: settings_mod.Settings):
    """`engine.ingest` on the uploaded files, the way `marsad ingest` runs it, off the event loop."""
    from starlette.concurrency import run_in_threadpool

    from marsad import engine

    def run():
        with Store(db_path, create=False) as writer:
            return engine.ingest(writer, paths, settings)

    return await run_in_threadpool(run)
