"""Checks every incoming chat message before Rasa sees it: size, odd characters, rate, secrets."""

from __future__ import annotations

import enum
import re
import threading
import time
import unicodedata
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict, Optional, Tuple

from passordhjelp.redaction import redact

# Zero-width characters, bidirectional overrides and isolates: invisible, and
# used to make text read differently from what it is.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a button sends: "/intent" and nothing else. Entities or slots in a
# payload ("/affirm{...}") are never accepted from a user.
_BARE_INTENT_PAYLOAD = re.compile(r"^/[a-z_]{1,64}$")


class Verdict(enum.Enum):
    FORWARD = "forward"            # pass (possibly cleaned and redacted) text to Rasa
    EMPTY = "empty"
    TOO_LONG = "too_long"
    RATE_LIMITED = "rate_limited"
    ONLY_SECRET = "only_secret"    # nothing left to answer once the secret is removed


@dataclass(frozen=True)
class Inspection:
    verdict: Verdict
    text: str
    secret_kinds: Tuple[str, ...] = ()    # what was removed, one per secret ("password", ...)

    @property
    def secrets(self) -> int:
        return len(self.secret_kinds)


def clean_text(text: str) -> str:
    """NFC text without control, invisible or unpaired surrogate characters."""
    text = _SURROGATE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _CONTROL.sub(" ", text).strip()


def neutralise_payload(text: str) -> str:
    """Keep button payloads ("/affirm"); anything else after "/" is read as plain text."""
    if text.startswith("/") and not _BARE_INTENT_PAYLOAD.match(text):
        bare = re.match(r"^/[a-z_]{1,64}(?=[{@\[])", text)
        return bare.group(0) if bare else text.lstrip("/ ")
    return text


class RateLimiter:
    """At most ``limit`` messages per sender in any ``window`` seconds (per process)."""

    def __init__(self, limit: int, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._limit, self._window, self._clock = limit, window, clock
        self._seen: Dict[Tuple[str, str], Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, channel: str, sender_id: str) -> bool:
        now = self._clock()
        with self._lock:
            seen = self._seen[(channel, sender_id)]
            while seen and now - seen[0] > self._window:
                seen.popleft()
            if len(seen) >= self._limit:
                return False
            seen.append(now)
            return True


class MessageGuard:
    """Decides what of a message may reach Rasa; nothing it rejects is stored anywhere."""

    def __init__(self, *, max_length: int, rate_limiter: RateLimiter) -> None:
        self._max_length = max_length
        self._rate_limiter = rate_limiter

    def inspect(self, text: Optional[str], *, channel: str, sender_id: str) -> Inspection:
        if not self._rate_limiter.allow(channel, sender_id):
            return Inspection(Verdict.RATE_LIMITED, "")
        if not isinstance(text, str):
            return Inspection(Verdict.EMPTY, "")
        if len(text) > self._max_length:
            return Inspection(Verdict.TOO_LONG, "")
        cleaned = clean_text(text)
        if not cleaned:
            return Inspection(Verdict.EMPTY, "")
        redaction = redact(cleaned)
        if redaction.only_secrets:
            return Inspection(Verdict.ONLY_SECRET, redaction.text, redaction.kinds)
        return Inspection(Verdict.FORWARD, neutralise_payload(redaction.text), redaction.kinds)
