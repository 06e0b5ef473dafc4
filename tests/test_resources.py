import hashlib

import pytest

from marsad import resources
from marsad.cluster import background_df


def test_resources_every_manifest_entry_matches_its_file():
    for name, entry in resources.manifest().items():
        data = resources.load_artifact(name)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_resources_a_tampered_artifact_is_refused(monkeypatch):
    real = resources.manifest()
    fake = {k: {**v, "sha256": "0" * 64} for k, v in real.items()}
    monkeypatch.setattr(resources, "manifest", lambda: fake)
    with pytest.raises(resources.ArtifactError, match="does not match"):
        resources.load_artifact("idf.json.gz")
    with pytest.raises(resources.ArtifactError, match="not listed"):
        resources.load_artifact("nope.bin")


def test_resources_background_table_holds_counts_not_text():
    bg = background_df()
    assert bg.n_docs > 20_000
    assert all(isinstance(v, int) for v in list(bg.df.values())[:1000])
    assert all(" " not in k for k in list(bg.df)[:1000])  # single stems, no sentences
