"""Web latency under load: `marsad serve` over a store, 20 concurrent clients on loopback for 30 s.

    .venv/bin/python bench/web.py --db FILE [--clients 20] [--seconds 30]

FILE is a store built by `marsad ingest` (for the issue's figure: all 17 SaudiNewsNet days, e.g. the
database `bench/cluster.py --db FILE` leaves). The server runs as `marsad serve` in its own process;
each client is a thread with a keep-alive connection that requests, in turn, the front page (pages 1-5,
with and without the multi-article filter), a story page (one of the front page's first 50 stories)
and a search (a name from the store's 40 most common entities). First every one of those pages is
visited once by one client (their latency is printed: what the first visitor of a page waits; the
server then keeps the page until the database changes), then the 20 clients run (`--cold` skips the
first visits, so the clients meet uncached pages). Prints p50/p95/p99 and max latency per kind,
requests/s and the number of errors (any status but 200). Asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path


def _start(db: str) -> tuple[subprocess.Popen, str, int]:
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", db, "--port", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"http://([\d.]+):(\d+)/", line)
    if m is None:
        proc.kill()
        sys.exit(f"bench/web.py: marsad serve did not start: {line.strip()}")
    return proc, m.group(1), int(m.group(2))


def _get_json(host: str, port: int, path: str):
    conn = http.client.HTTPConnection(host, port, timeout=120)
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status != 200:
        sys.exit(f"bench/web.py: {path}: HTTP {r.status}")
    return json.loads(body)


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a marsad database")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cold", action="store_true",
                    help="no first visits before the load: the clients meet uncached pages too")
    args = ap.parse_args()
    if not Path(args.db).is_file():
        sys.exit(f"bench/web.py: {args.db}: no such database (build one with bench/cluster.py --db FILE)")

    proc, host, port = _start(args.db)
    try:
        listing = _get_json(host, port, "/api/stories?per_page=50")
        biggest = _get_json(host, port, "/api/stories?per_page=200&multi=1")
        entities = _get_json(host, port, "/api/entities?limit=40")["entities"]
        stories = [s["id"] for s in listing["stories"]]
        largest = max(biggest["stories"], key=lambda s: s["n_articles"], default=None)
        names = [e["name"] for e in entities] or ["الرياض"]
        print(f"store: {listing['total']} stories; largest listed: "
              f"{largest['n_articles'] if largest else 0} articles; {len(names)} search names")
        rng = random.Random(args.seed)
        fronts = [f"/?page={n}" for n in range(1, 6)] + [f"/?multi=1&page={n}" for n in range(1, 6)]
        urls = {
            "front": fronts,
            "story": ["/stories/" + urllib.parse.quote(sid) for sid in stories],
            "search": ["/search?q=" + urllib.parse.quote(name) for name in names],
        }
        kinds = {kind: (lambda pool=pool: rng.choice(pool)) for kind, pool in urls.items()}
        if not args.cold:
            # every page once, one at a time: what a first visitor waits (the server keeps the answer
            # until the database changes), then the load runs on kept pages
            conn = http.client.HTTPConnection(host, port, timeout=300)
            for kind, pool in urls.items():
                first = []
                for path in pool:
                    t = time.perf_counter()
                    conn.request("GET", path)
                    conn.getresponse().read()
                    first.append((time.perf_counter() - t) * 1000)
                print(f"  first visit, one client: {kind:<7} n={len(first):<4}"
                      f" p50 {statistics.median(first):6.1f} ms  p95 {_pct(first, .95):6.1f} ms"
                      f"  max {max(first):6.1f} ms")
            conn.close()

        times: dict[str, list[float]] = {k: [] for k in kinds}
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def client(i: int) -> None:
            local = random.Random(args.seed + i)
            conn = http.client.HTTPConnection(host, port, timeout=120)
            order = list(kinds)
            while time.monotonic() < stop_at:
                kind = order[local.randrange(len(order))]
                with lock:
                    path = kinds[kind]()
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path)
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 200
                    status = str(r.status)
                except (OSError, http.client.HTTPException) as err:
                    ok, status = False, type(err).__name__
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=120)
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    times[kind].append(ms)
                    if not ok:
                        errors.append(f"{path}: {status}")
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        total = sum(len(v) for v in times.values())
        print(f"{args.clients} clients, {elapsed:.1f} s: {total} requests, {total / elapsed:.1f} req/s,"
              f" {len(errors)} errors")
        for kind, values in times.items():
            if values:
                print(f"  {kind:<7} n={len(values):<5} p50 {statistics.median(values):6.1f} ms"
                      f"  p95 {_pct(values, .95):6.1f} ms  p99 {_pct(values, .99):6.1f} ms"
                      f"  max {max(values):6.1f} ms")
        every = [v for values in times.values() for v in values]
        if every:
            print(f"  all     p50 {statistics.median(every):6.1f} ms  p99 {_pct(every, .99):6.1f} ms")
        for e in errors[:5]:
            print("  error:", e)
        if largest:
            conn = http.client.HTTPConnection(host, port, timeout=120)
            t = time.perf_counter()
            conn.request("GET", "/stories/" + urllib.parse.quote(largest["id"]))
            conn.getresponse().read()
            print(f"largest story page ({largest['n_articles']} articles), alone: "
                  f"{(time.perf_counter() - t) * 1000:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
