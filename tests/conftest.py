"""Shared fixtures: the sample the package ships, settings, and a scratch directory."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from marsad import settings as settings_mod

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def settings():
    return settings_mod.load()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The five seed articles shipped inside the package."""
    return Path(str(resources.files("marsad").joinpath("resources/sample")))


@pytest.fixture(scope="session")
def seed_paths(sample_dir) -> list[Path]:
    return sorted(sample_dir.glob("*.txt"))


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def seed_run(seed_paths, settings):
    """The seeds read, prepared and grouped in memory (no store)."""
    from marsad import pipeline
    from marsad.ingest import read_paths

    return pipeline.run(read_paths(seed_paths, settings), settings)


@pytest.fixture(scope="session")
def seed_articles(seed_run):
    """The five prepared seed articles, by id."""
    return seed_run.articles
