"""read_path / read_paths / count_inputs: files, directories, missing paths, unknown types."""

from __future__ import annotations

import shutil

from marsad.errors import InputError
from marsad.ingest import batch_paths, count_inputs, read_path, read_paths
from marsad.model import Article

ARTICLE = "عنوان الخبر\n\nنص الخبر الأول هنا، وهو نص قصير مكتوب للاختبار فقط.\n"


def test_ingest_directory_is_walked_sorted_recursively(tmp_path, settings):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "0.TXT").write_text(ARTICLE, encoding="utf-8")  # extension case does not matter
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")  # unknown type inside a directory: skipped
    items = list(read_path(tmp_path, settings))
    assert all(isinstance(a, Article) for a in items)
    assert [a.id for a in items] == ["0", "1", "2"]
    assert count_inputs([tmp_path]) == 3


def test_ingest_sample_directory(sample_dir, settings):
    items = list(read_path(str(sample_dir), settings))
    assert len(items) == 5 and all(isinstance(a, Article) for a in items)
    assert count_inputs([sample_dir]) == 5


def test_ingest_missing_path_is_an_error(tmp_path, settings):
    missing = tmp_path / "nope.txt"
    (err,) = read_path(missing, settings)
    assert isinstance(err, InputError)
    assert str(err) == f"{missing}: no such file or directory"
    assert count_inputs([missing]) == 0


def test_ingest_explicit_unknown_extension_is_an_error(tmp_path, settings):
    f = tmp_path / "notes.docx"
    f.write_bytes(b"PK\x03\x04")
    (err,) = read_path(f, settings)
    assert isinstance(err, InputError)
    assert err.path == str(f) and "unsupported file type '.docx'" in err.reason
    assert count_inputs([f]) == 1


def test_ingest_read_paths_goes_on_after_errors(tmp_path, seed_paths, settings):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    items = list(read_paths([tmp_path / "missing", seed_paths[0], str(good)], settings))
    assert isinstance(items[0], InputError)
    assert [a.id for a in items[1:]] == [seed_paths[0].stem, "good"]


def test_ingest_fixture_tree_counts_and_never_raises(data_dir, tmp_path, settings):
    tree = tmp_path / "data"
    shutil.copytree(data_dir / "bad", tree / "bad")
    shutil.copytree(data_dir / "good", tree / "good")
    shutil.copytree(data_dir / "encodings", tree / "encodings")
    items = list(read_path(tree, settings))
    n_files = count_inputs([tree])
    assert n_files == 15  # 8 bad + 3 good + 4 encodings
    errors = [e for e in items if isinstance(e, InputError)]
    assert {e.reason for e in errors} >= {
        "empty file",
        "binary file, not text",
        "not UTF-8, UTF-16 or Windows-1256 text",
        "not a zip archive (or a damaged one)",
    }
    assert all("\n" not in str(e) for e in errors)


def test_ingest_large_file_is_refused(tmp_path, settings):
    small = settings.with_overrides({"ingest": {"max_file_mb": 0}})
    f = tmp_path / "big.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    (err,) = read_path(f, small)
    assert isinstance(err, InputError) and "larger than" in err.reason


def test_ingest_read_paths_reads_each_file_once(tmp_path, settings, monkeypatch):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.txt").write_text(ARTICLE.replace("الأول", "الثاني"), encoding="utf-8")
    (d / "bad.txt").write_bytes(b"")
    # the same file twice, a file and then its directory, a different spelling of the same path
    items = list(read_paths([d / "a.txt", d, d / "a.txt", tmp_path / "in" / ".." / "in" / "b.txt"], settings))
    arts = [a for a in items if isinstance(a, Article)]
    errs = [e for e in items if isinstance(e, InputError)]
    assert [a.path for a in arts] == [str(d / "a.txt"), str(d / "b.txt")]  # the first mention wins
    assert [e.path for e in errs] == [str(d / "bad.txt")]  # its error is reported once
    assert count_inputs([d / "a.txt", d, d / "a.txt"]) == 3
    monkeypatch.chdir(tmp_path)
    items = list(read_paths(["in", "./in/", str(d)], settings))
    assert len(items) == 3
    missing = list(read_paths([tmp_path / "gone.txt", tmp_path / "gone.txt"], settings))
    assert len(missing) == 1 and isinstance(missing[0], InputError)


def test_batch_paths_groups_whole_files_by_size_in_reading_order(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    for name, kb in (("a.txt", 3), ("b.txt", 3), ("c.json", 9), ("d.txt", 1), ("e.txt", 1), ("notes.pdf", 1)):
        (d / name).write_bytes(b"x" * kb * 1024)
    missing = tmp_path / "gone.txt"
    batches = batch_paths([d, missing, d / "a.txt"], 6 / 1024)  # 6 KB a batch
    # a.txt + b.txt fill one; c.json (larger than a batch) is alone; d, e and the missing path share one;
    # the unsupported file of the folder is not read; a.txt named again is read once
    assert batches == [[d / "a.txt", d / "b.txt"], [d / "c.json"], [d / "d.txt", d / "e.txt", missing]]
