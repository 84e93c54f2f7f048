"""The guard's in-process rate limit as the Rasa server runs it: no thread per message on the
event loop, and limits that still end when their window does."""

from __future__ import annotations

import time

from passordhjelp.message_guard import RateLimiter


def test_in_process_rate_limit_starts_no_thread_per_message():
    limiter = RateLimiter(per_sender=10**6, per_address=10**6, window=60)
    sweeps = set()
    start = time.monotonic()
    for index in range(300):
        assert limiter.allow("rest", f"sender-{index}", "203.0.113.8")
        sweeps.add(id(limiter.storage.timer))
        time.sleep(0.001)  # limits' own sweep would start a thread every 10 ms
    elapsed = time.monotonic() - start
    assert len(sweeps) <= elapsed + 2  # at most one sweep a second


def test_in_process_rate_limit_ends_with_its_window():
    limiter = RateLimiter(per_sender=1, per_address=100, window=1)
    assert limiter.allow("rest", "kari")
    assert not limiter.allow("rest", "kari")
    time.sleep(2.1)  # the sliding window weighs the previous window too
    assert limiter.allow("rest", "kari")
