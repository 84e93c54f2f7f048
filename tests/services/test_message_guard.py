"""The message guard without servers: text cleaning and the rate limits (in process and Redis)."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from passordhjelp.message_guard import MessageGuard, RateLimiter, Verdict
from tests.conftest import require_service

REDIS_URL = os.environ.get("PASSORDHJELP_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def guard(*, per_sender: int = 30, per_address: int = 120, **options) -> MessageGuard:
    return MessageGuard(max_length=2000, rate_limiter=RateLimiter(
        per_sender=per_sender, per_address=per_address, **options))


@pytest.mark.parametrize("text, verdict, forwarded", [
    ("\ud800", Verdict.EMPTY, ""),
    ("\udfff\ud800", Verdict.EMPTY, ""),
    ("\ud800 I forgot my password", Verdict.FORWARD, "I forgot my password"),
    ("glemt\udc00 passordet", Verdict.FORWARD, "glemt passordet"),
])
def test_message_guard_lone_surrogates_are_cleaned_before_anything_reads_them(text, verdict,
                                                                               forwarded):
    inspection = guard().inspect(text, channel="rest", sender_id="s")
    assert (inspection.verdict, inspection.text) == (verdict, forwarded)
    # What the notice's language is worked out from is clean text too: it encodes.
    inspection.sample.encode("utf-8")


@pytest.mark.parametrize("text, forwarded", [
    # Emoji joined into one picture stay as sent.
    ("locked out again 🙋\u200d♀️", "locked out again 🙋\u200d♀️"),
    ("glemt passordet 👨\u200d💻 hjelp", "glemt passordet 👨\u200d💻 hjelp"),
    # A joiner, a zero-width space or a bidi override anywhere else is removed.
    ("glemt\u200d passordet", "glemt passordet"),
    ("I forgot my \u202epassword", "I forgot my password"),
    ("\u200bhei\ufeff", "hei"),
])
def test_message_guard_keeps_harmless_text_as_sent_but_drops_invisible_tricks(text, forwarded):
    inspection = guard().inspect(text, channel="rest", sender_id="s")
    assert (inspection.verdict, inspection.text) == (Verdict.FORWARD, forwarded)


def test_message_guard_a_secret_split_by_a_zero_width_space_is_still_removed():
    inspection = guard().inspect("my password is Kvit\u200bveis-2291", channel="rest", sender_id="s")
    assert "Kvit" not in inspection.text and "2291" not in inspection.text
    assert inspection.secret_kinds


def test_message_guard_refused_messages_keep_only_a_clean_sample():
    inspection = guard().inspect("\ud800hei " + "x" * 5000, channel="rest", sender_id="s")
    assert inspection.verdict is Verdict.TOO_LONG and inspection.text == ""
    assert inspection.sample.startswith("hei x") and len(inspection.sample) == 200


def test_message_guard_fails_closed_when_the_secret_detector_fails(caplog):
    def broken_detector(text):
        raise IndexError("a bug in a pattern")

    strict = MessageGuard(max_length=2000, rate_limiter=RateLimiter(per_sender=30, per_address=120),
                          redactor=broken_detector)
    inspection = strict.inspect("rom B2-104: koden er Fjell2024!", channel="rest", sender_id="s")
    assert inspection.verdict is Verdict.UNCHECKED and inspection.text == ""
    assert "Fjell2024" not in caplog.text and "IndexError" in caplog.text


@pytest.mark.parametrize("language", ["en", "nb"])
def test_message_guard_every_refusal_has_a_notice_in_both_languages(language):
    from channels.guard import _NOTICE_FOR_VERDICT
    from passordhjelp.content import load_content

    refusals = set(Verdict) - {Verdict.FORWARD, Verdict.ONLY_SECRET}
    assert refusals == set(_NOTICE_FOR_VERDICT)
    for key in _NOTICE_FOR_VERDICT.values():
        assert load_content().notice(key, language, limit=2000).strip()


def test_message_guard_limits_each_sender():
    checks = guard(per_sender=5)
    verdicts = [checks.inspect("hi", channel="rest", sender_id="a").verdict for _ in range(6)]
    assert verdicts == [Verdict.FORWARD] * 5 + [Verdict.RATE_LIMITED]
    assert checks.inspect("hi", channel="rest", sender_id="b").verdict is Verdict.FORWARD


def test_message_guard_limits_a_client_address_whatever_sender_id_it_uses():
    checks = guard(per_sender=5, per_address=10)
    verdicts = [checks.inspect("hi", channel="socketio", sender_id=uuid.uuid4().hex,
                               client_address="203.0.113.7").verdict for _ in range(100)]
    assert verdicts.count(Verdict.FORWARD) == 10
    assert checks.inspect("hi", channel="socketio", sender_id="new",
                          client_address="203.0.113.8").verdict is Verdict.FORWARD


def test_rate_limiter_forgets_senders_once_their_window_has_passed():
    limiter = RateLimiter(per_sender=1, per_address=1, window=1)
    for index in range(2000):
        assert limiter.allow("socketio", f"sender-{index}", f"10.0.{index // 250}.{index % 250}")
    assert len(limiter.storage.storage) == 4000
    time.sleep(2.5)  # past the sliding window's two windows
    # Expired counts are dropped as the next messages come in.
    deadline = time.monotonic() + 10
    while len(limiter.storage.storage) > 2 and time.monotonic() < deadline:
        limiter.allow("socketio", "sender-0", "10.0.0.0")
        time.sleep(0.5)
    assert len(limiter.storage.storage) == 2


@pytest.fixture
def redis_url() -> str:
    import redis
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        require_service(False, f"Redis at {REDIS_URL}")
    return REDIS_URL


def test_rate_limiter_counts_are_shared_by_processes_through_redis(redis_url):
    prefix = f"test-rate-{uuid.uuid4().hex[:8]}"
    first, second = (RateLimiter(per_sender=3, per_address=100, storage_url=redis_url,
                                 key_prefix=prefix) for _ in range(2))
    allowed = [(first if i % 2 else second).allow("socketio", "kari") for i in range(6)]
    assert allowed == [True, True, True, False, False, False]
    assert first.allow("socketio", "ola")
    import redis
    client = redis.Redis.from_url(redis_url)
    keys = client.keys(f"{prefix}*")
    assert keys and all(client.ttl(key) > 0 for key in keys)  # Redis forgets them too
    client.delete(*keys)


def test_rate_limiter_lets_messages_through_when_redis_is_unreachable():
    limiter = RateLimiter(per_sender=1, per_address=1,
                          storage_url="redis://127.0.0.1:1/0", key_prefix="nowhere")
    assert limiter.allow("socketio", "kari") and limiter.allow("socketio", "kari")
