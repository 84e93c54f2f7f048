"""What the scale tests share: a key prefix of the test's own in the test Redis."""

from __future__ import annotations

import uuid
from typing import Iterator

import pytest

from tests.conftest import require_service
from tests.scale.test_two_instances import REDIS_URL, redis_available, redis_client


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of the test's own in the test Redis, emptied afterwards."""
    require_service(redis_available(), f"Redis at {REDIS_URL}")
    prefix = f"scaletest{uuid.uuid4().hex[:8]}"
    yield prefix
    red = redis_client()
    for key in red.scan_iter(match=f"{prefix}:*"):
        red.delete(key)
