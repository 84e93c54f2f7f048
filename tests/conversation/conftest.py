"""Fixtures for tests that need the trained model."""

import pytest

from runtime.launcher import MODEL


@pytest.fixture(scope="session")
def model_path():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    return MODEL
