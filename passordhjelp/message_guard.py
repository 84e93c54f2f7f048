"""Checks every incoming chat message before Rasa sees it: size, odd characters, rate, secrets."""

from __future__ import annotations

import enum
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Callable, Optional, Tuple, cast

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from passordhjelp.redaction import Redaction, redact

logger = logging.getLogger(__name__)

# Zero-width characters, bidirectional overrides and isolates: invisible, and
# used to make text read differently from what it is. The zero-width joiner is
# kept between two emoji, where it builds one picture (👩‍💻, 🙋‍♀️): removing it
# there would change a harmless message.
_EMOJI = "\u2190-\u2bff\U0001f000-\U0001faff"
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
    f"|(?<![{_EMOJI}\ufe0f])\u200d|\u200d(?![{_EMOJI}])"
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a button sends: "/intent" and nothing else. Entities or slots in a
# payload ("/affirm{...}") are never accepted from a user.
_BARE_INTENT_PAYLOAD = re.compile(r"^/[a-z_]{1,64}$")


class Verdict(enum.Enum):
    FORWARD = "forward"  # pass (possibly cleaned and redacted) text to Rasa
    EMPTY = "empty"
    TOO_LONG = "too_long"
    RATE_LIMITED = "rate_limited"
    ONLY_SECRET = "only_secret"  # nothing left to answer once the secret is removed
    UNCHECKED = "unchecked"  # the secret detector failed: the text can't be kept


# How much of a refused message is kept to work out the notice's language.
SAMPLE_LENGTH = 200


@dataclass(frozen=True)
class Inspection:
    verdict: Verdict
    text: str
    secret_kinds: Tuple[str, ...] = ()  # what was removed, one per secret ("password", ...)
    # The start of the cleaned text, for the notice's language only; never forwarded.
    sample: str = ""

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


class _InProcessStorage(MemoryStorage):
    """``limits``' in-process storage, sweeping expired counts once a second.

    Its own sweep runs 10 ms after any count that finds no sweep pending, in a new
    thread: under load that was a thread started, and waited for, on the Rasa server's
    event loop for most messages (7 % of the server's time; bench/README.md, "Where a message's
    time goes"). Counts still expire on time (``get`` drops an expired count itself);
    the sweep only frees the memory of senders that wrote no more.
    """

    SWEEP_SECONDS = 1.0

    # Overrides limits' private hook (limits 5.x: ``MemoryStorage.__schedule_expiry``).
    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the hook's own name
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_SECONDS, self._MemoryStorage__expire_events)  # type: ignore[attr-defined]
            self.timer.daemon = True
            self.timer.start()


class RateLimiter:
    """At most ``per_sender`` messages per sender and ``per_address`` per client address in
    any ``window`` seconds (a sliding window, counted by the ``limits`` library).

    ``storage_url`` ``memory://`` counts in this process, forgetting a sender or an address
    once its window has passed (bounded memory); ``redis://...`` shares the counts among
    every Rasa process that uses the same Redis. If that Redis can't be reached the
    message is let through (a warning is logged): the chat stays up without its limit.
    """

    def __init__(
        self,
        *,
        per_sender: int,
        per_address: int,
        window: int = 60,
        storage_url: str = "memory://",
        key_prefix: str = "passordhjelp-rate",
    ) -> None:
        if storage_url.startswith("memory"):
            self.storage: Storage = _InProcessStorage()
        else:
            self.storage = cast(Storage, storage_from_string(storage_url, key_prefix=key_prefix))
        self._limiter = SlidingWindowCounterRateLimiter(self.storage)
        self._per_sender = RateLimitItemPerSecond(per_sender, window, namespace="sender")
        self._per_address = RateLimitItemPerSecond(per_address, window, namespace="address")

    def allow(self, channel: str, sender_id: str, client_address: Optional[str] = None) -> bool:
        """Counts one message; False once the sender or the address is over its limit."""
        try:
            if not self._limiter.hit(self._per_sender, channel, sender_id):
                return False
            return client_address is None or self._limiter.hit(self._per_address, client_address)
        except Exception as error:  # noqa: BLE001 - the storage's errors vary by backend
            logger.warning("message rate limit not checked (%s)", type(error).__name__)
            return True


class MessageGuard:
    """Decides what of a message may reach Rasa; nothing it rejects is stored anywhere."""

    def __init__(
        self,
        *,
        max_length: int,
        rate_limiter: RateLimiter,
        redactor: Callable[[str], Redaction] = redact,
    ) -> None:
        self._max_length = max_length
        self._rate_limiter = rate_limiter
        self._redact = redactor

    def inspect(
        self,
        text: Optional[str],
        *,
        channel: str,
        sender_id: str,
        client_address: Optional[str] = None,
    ) -> Inspection:
        """What of ``text`` may reach Rasa; the text is cleaned before anything else reads it.

        ``client_address`` is the network address of a client that talks to us directly
        (web chat, REST); Slack's and Microsoft's servers are no one's address.
        """
        if not isinstance(text, str):
            text = ""
        too_long = len(text) > self._max_length
        # Cleaned once, here: a lone surrogate (valid JSON "\ud800") breaks spaCy, logs
        # and the tracker store alike.
        cleaned = clean_text(text[: SAMPLE_LENGTH * 2] if too_long else text)
        sample = cleaned[:SAMPLE_LENGTH]
        if not self._rate_limiter.allow(channel, sender_id, client_address):
            return Inspection(Verdict.RATE_LIMITED, "", sample=sample)
        if too_long:
            return Inspection(Verdict.TOO_LONG, "", sample=sample)
        if not cleaned:
            return Inspection(Verdict.EMPTY, "")
        try:
            redaction = self._redact(cleaned)
        except Exception as error:  # noqa: BLE001 - any detector bug must fail closed
            # Unchecked text may hold a password: it is not passed on, stored or logged.
            logger.error(
                "secret detection failed (%s); the message was not passed on", type(error).__name__
            )
            return Inspection(Verdict.UNCHECKED, "", sample=sample)
        if redaction.only_secrets:
            return Inspection(Verdict.ONLY_SECRET, redaction.text, redaction.kinds)
        return Inspection(Verdict.FORWARD, neutralise_payload(redaction.text), redaction.kinds)
