"""Shared test helpers: where the repository, the seeds and the shared corpora are."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def shared_dir() -> Path:
    """The read-only ``shared/`` folder beside the repository (``../shared``)."""
    return ROOT.parent / "shared"


def require_shared(*parts: str) -> Path:
    """Path under ../shared; skip the test where it is absent, but fail under CI (CI=true)."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent: this test needs the shared corpora beside the repository"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: they must be there)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_docs():
    from analysis.corpus import load_corpus

    return load_corpus(SEEDS)
