"""A killed or interrupted `marsad ingest` leaves the store as it was before the batch, and a rerun completes.

The second batch is synthetic: seed and unrelated paragraphs recombined under made-up titles and numbers.
Each run is watched through its progress bar (`--progress`) so it is stopped at a known stage.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from marsad import engine, pipeline
from marsad.ingest import read_paths
from marsad.store import Store

UNRELATED = Path(__file__).parent / "data" / "unrelated"
N_SYNTHETIC = 10  # each article costs ~0.4 s in the sentence encoder: the batch takes a few seconds
TOPICS = ("اجتماع", "مؤتمر", "قمة", "لقاء", "ندوة")
CITIES = ("مراكش", "الرباط", "عمان", "الرياض", "القاهرة", "تونس")


def _paragraphs(paths):
    out = []
    for p in paths:
        out += [x.strip() for x in p.read_text(encoding="utf-8").split("\n\n") if len(x.strip()) > 120]
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory, seed_paths):
    """N_SYNTHETIC distinct articles, one .txt each."""
    paras = _paragraphs([*seed_paths, *sorted(UNRELATED.glob("*.txt"))])
    out = tmp_path_factory.mktemp("batch")
    for i in range(N_SYNTHETIC):
        title = f"{TOPICS[i % 5]} رقم {i + 1} في {CITIES[i % 6]} بمشاركة {12 + 7 * i} وفدا"
        body = [paras[(i * k + k) % len(paras)] for k in (1, 3, 7)]
        body.append(f"وحضر الجلسة {100 + 3 * i} مشارك من {i % 40 + 5} دولة، وفق البيان رقم {i + 1}.")
        (out / f"syn{i:03d}.txt").write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def first_db(tmp_path_factory, seed_paths, settings):
    """The first batch (the seeds), ingested completely."""
    path = tmp_path_factory.mktemp("first") / "first.db"
    with Store(path) as store:
        engine.ingest(store, seed_paths, settings)
    return path


@pytest.fixture(scope="module")
def expected(first_db, batch, settings):
    """(articles, sentences) after the first batch, and after both."""
    with Store(first_db) as store:
        first = store.counts()
        stories = {r.id: store.get_story(r.id) for r in store.list_stories()}
    new = [pipeline.prepare(a, settings) for a in read_paths([batch], settings)]
    assert len({p.article.id for p in new}) == N_SYNTHETIC
    full = (first["articles"] + N_SYNTHETIC, first["sentences"] + sum(len(p.sentences) for p in new))
    return {"first": (first["articles"], first["sentences"]), "full": full, "stories": stories}


class Run:
    """`marsad ingest` of the second batch in a subprocess, its stderr collected as it comes."""

    def __init__(self, db, batch, progress=True, settings=None, group=False):
        argv = [sys.executable, "-m", "marsad", "ingest", "--db", str(db), str(batch)]
        argv += ["--settings", str(settings)] if settings else []
        # a shell's background job inherits SIGINT ignored, and Python then keeps it ignored: restore it.
        # `group`: its own process group, as a terminal's foreground job, which a Ctrl-C signals whole
        self.proc = subprocess.Popen(argv + (["--progress"] if progress else []),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                                     process_group=0 if group else None)
        self.db = Path(db).resolve()
        self._err = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while chunk := os.read(self.proc.stderr.fileno(), 4096):
            self._err += chunk

    @property
    def stderr(self):
        return self._err.decode("utf-8", "replace")

    def wait_for(self, ready, timeout=60):
        """Poll until `ready()`; False if the process ended first."""
        end = time.monotonic() + timeout
        while not ready():
            if self.proc.poll() is not None:
                return False
            assert time.monotonic() < end, f"timed out; stderr so far: {self.stderr!r}"
            time.sleep(0.01)
        return True

    def at_stage(self, words):
        return self.wait_for(lambda: words in self.stderr)

    def has_db_open(self):
        """Inside `cli.main` with the store open (the db file among the process's open files)."""
        fds = Path(f"/proc/{self.proc.pid}/fd")

        def opened():
            try:
                return any(Path(os.readlink(f)) == self.db for f in fds.iterdir())
            except OSError:
                return False
        return self.wait_for(opened)

    def finish(self, timeout=60):
        """Exit code, stdout and stderr once the process has ended (stderr is read by our thread only)."""
        out = self.proc.stdout.read()
        self.proc.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode, out.decode(), self.stderr


def check_store(db, expected):
    """The store is intact and holds either the first batch or both: never part of the second."""
    with Store(db) as store:
        assert store._conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        counts = store.counts()
        state = (counts["articles"], counts["sentences"])
        assert state in (expected["first"], expected["full"])
        ids = store.article_ids()
        owner = store.stories_of(ids)
        assert set(owner) == ids
        members = [a for r in store.list_stories() for a in store.story_members(r.id)]
        assert sorted(members) == sorted(ids)
        assert len(store.list_stories()) == counts["stories"] == len(set(owner.values()))
        if state == expected["first"]:
            assert {r.id: store.get_story(r.id) for r in store.list_stories()} == expected["stories"]
    return state


def rerun_completes(db, batch, expected, settings=None):
    code, out, err = Run(db, batch, progress=False, settings=settings).finish()
    assert code == 0, err
    summary = re.match(r"(\d+) articles added, (\d+) already stored, 0 rejected", out)
    added, stored = map(int, summary.groups())
    assert added + stored == N_SYNTHETIC
    assert check_store(db, expected) == expected["full"]


# (stage shown by the progress bar, seconds after it appears)
KILL_POINTS = [
    ("cleaning", 0.0),  # reading done, nothing computed
    ("comparing features", 1.0),  # inside the sentence encoder
    ("grouping", 0.0),  # holding the writer lock, reading the stored stories
    ("storing", 0.0),  # writing the batch's transaction
]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_crash_killed_ingest_leaves_the_first_batch_and_a_rerun_completes(tmp_path, first_db, batch, expected,
                                                                          sig):
    db = tmp_path / "m.db"
    shutil.copy(first_db, db)
    for stage, delay in KILL_POINTS if sig == signal.SIGKILL else KILL_POINTS[1::2]:
        run = Run(db, batch)
        if run.at_stage(stage):
            time.sleep(delay)
            run.proc.send_signal(sig)
        code, _, err = run.finish()
        if code == 0:  # finished before the signal landed: the whole batch is stored
            assert check_store(db, expected) == expected["full"]
            continue
        if sig == signal.SIGINT:
            # the message follows the progress bar here; alone on stderr, see the test below
            assert code == 130 and "Traceback" not in err, err
            assert err.count("marsad: error: interrupted\n") == 1 and err.count("marsad: error") == 1, err
        else:
            assert code == -signal.SIGKILL
        check_store(db, expected)
    rerun_completes(db, batch, expected)


def test_crash_sigint_is_one_line_error_exit_130_and_nothing_stored(tmp_path, first_db, batch, expected):
    db = tmp_path / "m.db"
    # the batch may finish before a late signal lands on a fast machine: signal sooner until one lands
    for delay in (0.3, 0.1, 0.0):
        shutil.copy(first_db, db)
        run = Run(db, batch, progress=False)
        assert run.has_db_open()
        time.sleep(delay)
        run.proc.send_signal(signal.SIGINT)
        code, out, err = run.finish()
        if code == 0:
            assert check_store(db, expected) == expected["full"]
            continue
        assert (code, out, err) == (130, "", "marsad: error: interrupted\n")
        assert check_store(db, expected) == expected["first"]
        break
    else:
        pytest.fail("every run finished before SIGINT landed")


def test_killed_ingest_of_many_batches_keeps_the_stored_ones_leaves_no_worker_and_a_rerun_completes(
        tmp_path, first_db, batch, expected):
    """`marsad ingest` of many files stores them batch by batch (`engine.ingest_batches`), the next one
    prepared in worker processes meanwhile: killed there, the batches stored stay whole, its workers die
    with it (else they would wait for jobs forever, holding its pipes: `finish` would hang), and a rerun
    adds the rest."""
    db = tmp_path / "m.db"
    shutil.copy(first_db, db)
    conf = tmp_path / "batches.toml"
    conf.write_text("[engine]\nbatch_mb = 0.000001\nworkers = 2\n", encoding="utf-8")  # one file a batch
    run = Run(db, batch, settings=conf)
    assert run.wait_for(lambda: run.stderr.count("storing") >= 2, timeout=120)
    run.proc.send_signal(signal.SIGKILL)
    run.proc.wait(timeout=60)
    run._reader.join(timeout=20)
    assert not run._reader.is_alive(), "a worker outlived the killed ingest and holds its stderr"
    code, _, _ = run.finish()
    assert code == -signal.SIGKILL
    with Store(db) as store:
        assert store._conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        counts = store.counts()
        ids = store.article_ids()
        assert set(store.stories_of(ids)) == ids
        assert sorted(a for r in store.list_stories() for a in store.story_members(r.id)) == sorted(ids)
    assert expected["first"][0] + 1 <= counts["articles"] < expected["full"][0]
    rerun_completes(db, batch, expected, settings=conf)


def test_ctrl_c_in_a_terminal_stops_an_ingest_of_many_batches_with_one_line(
        tmp_path, first_db, batch, expected):
    """A terminal's Ctrl-C signals the whole process group, the worker processes too: they leave it to
    the parent, so the user sees one line, not a traceback per worker."""
    db = tmp_path / "m.db"
    conf = tmp_path / "batches.toml"
    conf.write_text("[engine]\nbatch_mb = 0.000001\nworkers = 2\n", encoding="utf-8")
    for delay in (3.0, 1.5, 0.5):
        shutil.copy(first_db, db)
        run = Run(db, batch, progress=False, settings=conf, group=True)
        assert run.has_db_open()
        time.sleep(delay)  # the workers are forked once the first batch is read
        os.killpg(run.proc.pid, signal.SIGINT)
        code, out, err = run.finish()
        if code == 0:
            continue
        assert (code, out, err) == (130, "", "marsad: error: interrupted\n")
        break
    else:
        pytest.fail("every run finished before SIGINT landed")
    rerun_completes(db, batch, expected, settings=conf)
