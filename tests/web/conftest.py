"""A real `marsad serve` subprocess over stores built by `marsad ingest`: the seeds, and the seeds plus
a corpus of hostile articles (markup, event handlers, javascript: URLs, bidi overrides)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PAYLOAD = '<script>window.__xss=1;alert(1)</script><img src=x onerror="window.__xss=2;alert(2)">'
RLO = "\u202e"
HOSTILE = [
    {
        "id": "xss-1",
        "source": f"منفذ {PAYLOAD}",
        "title": f"عنوان خبيث {PAYLOAD} {RLO}txt.exe",
        "url": "javascript:alert(3)",
        "published": "2022-05-11",
        "text": f"نص خبر عن اجتماع في الرباط. {PAYLOAD}\n\nفقرة ثانية "
                f"<a href=\"javascript:alert(4)\">رابط</a> و<svg onload=alert(5)> ثم {RLO}كلمة معكوسة.",
    },
    {
        "id": "xss-2",
        "source": "\"><script>alert(6)</script>",
        "title": "<iframe src=javascript:alert(7)></iframe> خبر آخر",
        "url": "https://example.org/\"><script>alert(8)</script>",
        "published": "2022-05-12",
        "text": "خبر ثان عن مباراة كرة قدم في جدة انتهت بالتعادل. <body onload=alert(9)> نهاية.",
    },
]


def _marsad(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad", *args]


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory, sample_dir) -> Path:
    db = tmp_path_factory.mktemp("web") / "seeds.db"
    subprocess.run(_marsad("ingest", "--db", str(db), str(sample_dir)), check=True, capture_output=True)
    return db


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory, sample_dir) -> Path:
    d = tmp_path_factory.mktemp("web-hostile")
    records = d / "hostile.json"
    records.write_text(json.dumps(HOSTILE, ensure_ascii=False), encoding="utf-8")
    db = d / "hostile.db"
    subprocess.run(_marsad("ingest", "--db", str(db), str(sample_dir), str(records)), check=True,
                   capture_output=True)
    return db


class Server:
    """`marsad serve` on a free port; `url` is its base URL without a trailing slash."""

    def __init__(self, db: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            _marsad("serve", "--db", str(db), "--port", "0", *extra),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = self.proc.stderr.readline()
        m = re.search(r"(http://\S+?)/? ", line)
        if m is None:
            self.stop()
            raise RuntimeError(f"marsad serve did not start: {line!r}")
        self.url = m.group(1).rstrip("/")
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/api/stories", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("marsad serve did not answer") from None
                time.sleep(0.1)

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8")

    def json(self, path: str):
        status, _, body = self.get(path)
        assert status == 200, (path, status, body[:200])
        return json.loads(body)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture(scope="session")
def seed_server(seed_db):
    server = Server(seed_db)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hostile_server(hostile_db):
    server = Server(hostile_db)
    yield server
    server.stop()


CHROMIUM = os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
"""Screenshots of the main pages, for a person to look at (not compared by the tests)."""


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (`make test` installs it when missing)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM}: no Chromium here; `make test` installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ar")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
