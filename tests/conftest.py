"""Shared fixtures: real databases, the real domain, trackers as channels deliver them."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest
import sqlalchemy as sa
import yaml

from passordhjelp import bootstrap
from passordhjelp.config import PROJECT_ROOT
from runtime import lean_imports

# As the Rasa server does (runtime/lean_imports.py): TensorFlow stays out of the test
# processes until a test needs it, and skops is imported while its import is cheap (it
# looks up NumPy's and SciPy's functions in every loaded module). Each pytest process
# collected in about 20 CPU seconds without this, most of it these two imports.
lean_imports.install()

POSTGRES_URL = os.environ.get(
    "PASSORDHJELP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def require_service(available: bool, what: str) -> None:
    """Skip when a local service is missing, unless REQUIRE_SERVICES=1 (CI) makes it a failure."""
    if available:
        return
    message = f"{what} is not available on this machine"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1 requires it")
    pytest.skip(f"{message} (set REQUIRE_SERVICES=1 to make this a failure)")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'requests.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a fresh schema on the local PostgreSQL server, dropped afterwards."""
    engine = sa.create_engine(POSTGRES_URL, future=True)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError:
        require_service(False, f"PostgreSQL at {POSTGRES_URL}")
    schema = f"passordhjelp_test_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    """Each store test runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def configured(monkeypatch, sqlite_url) -> Iterator[bootstrap.Services]:
    """The process-wide services, configured through the environment as in production."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("PASSORDHJELP_DEFAULT_LANGUAGE", raising=False)
    bootstrap.services.cache_clear()
    yield bootstrap.services()
    bootstrap.services.cache_clear()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def response_text(domain: Dict[str, Any], response: str, language: str) -> str:
    """The text of ``response`` in ``language`` (the Norwegian variation has the condition)."""
    variations = domain["responses"][response]
    return next(v["text"] for v in variations if bool(v.get("condition")) == (language == "nb"))
