"""Same input, same output: whatever the process's hash seed or the order files are listed in."""

import json
import os
import subprocess
import sys


def _export(tmp_path, paths, seed):
    db = tmp_path / f"d{seed}.db"
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    for cmd in (["ingest", *map(str, paths)], ["export", "--format", "json"]):
        proc = subprocess.run(
            [sys.executable, "-m", "marsad", *cmd, "--db", str(db)],
            capture_output=True, text=True, env=env, check=False,
        )
        assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_determinism_export_is_identical_across_hash_seeds_and_path_order(tmp_path, seed_paths, data_dir):
    paths = [*seed_paths, *sorted((data_dir / "unrelated").glob("*.txt"))]
    first = _export(tmp_path, paths, 1)
    assert _export(tmp_path, list(reversed(paths)), 2) == first
    assert _export(tmp_path, paths, 3) == first
