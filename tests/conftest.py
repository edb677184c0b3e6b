"""Shared test set-up: keep TensorFlow to the machine's two cores, find bundled data."""

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data_dir():
    """The repository's bundled real data (../shared/data), when this checkout has it."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"bundled data directory {SHARED_DATA} is missing")
    return SHARED_DATA
