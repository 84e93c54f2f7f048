"""Helpdesk notifications through an incoming webhook (Slack or Teams), via an outbox.

Actions only add a row to the outbox, so a slow or failing webhook never
delays a reply. A background worker delivers due rows with retries and
exponential backoff; a row that keeps failing is marked failed and shown to
admins (``python -m passordhjelp.admin notifications``). No message text is
ever part of a notification.
"""

from __future__ import annotations

import enum
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional, Protocol

import requests
import yaml

from passordhjelp.helpdesk import Handling
from passordhjelp.identity import Requester
from passordhjelp.reset_requests import ResetRequest, utcnow

logger = logging.getLogger(__name__)
_TEXTS_FILE = Path(__file__).with_name("content") / "helpdesk.yml"


class Kind(str, enum.Enum):
    REQUEST_FILED = "request_filed"      # to the helpdesk channel
    HANDOFF = "handoff"                  # to the helpdesk channel
    USER_UPDATE = "user_update"          # to the requester's conversation, through Rasa
    # The interactive message about a request in the helpdesk's Slack or Teams channel,
    # posted or brought up to date (facts: reference, target).
    HELPDESK_MESSAGE = "helpdesk_message"

    @property
    def for_helpdesk(self) -> bool:
        return self in (Kind.REQUEST_FILED, Kind.HANDOFF)


# The action the Rasa server runs in the requester's conversation.
USER_UPDATE_ACTION = "action_tell_request_update"


class DeliveryStatus(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class Notification:
    id: int
    kind: Kind
    facts: Dict[str, str]
    status: DeliveryStatus
    attempts: int
    last_error: Optional[str]
    created_at: datetime


class Outbox(Protocol):
    def add(self, kind: Kind, facts: Dict[str, str], *, at: datetime) -> None: ...

    def due(self, now: datetime, *, limit: int) -> List[Notification]: ...

    def mark_sent(self, notification_id: int, *, at: datetime) -> None: ...

    def mark_failed_attempt(self, notification_id: int, *, error: str,
                            retry_at: Optional[datetime]) -> None: ...

    def by_status(self, status: DeliveryStatus) -> List[Notification]: ...


@lru_cache(maxsize=1)
def _texts() -> Dict:
    return yaml.safe_load(_TEXTS_FILE.read_text(encoding="utf-8"))


def render(kind: Kind, facts: Dict[str, str], webhook_format: str) -> Dict:
    """The JSON body for a Slack or Teams incoming webhook."""
    texts = _texts()[kind.value]
    title = texts["title"].format(**facts)
    lines = [line.format(**facts) for line in texts["lines"]]
    if webhook_format == "teams":
        return {
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "type": "AdaptiveCard", "version": "1.4",
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "body": [{"type": "TextBlock", "text": title, "weight": "Bolder",
                              "wrap": True}]
                    + [{"type": "TextBlock", "text": line, "wrap": True} for line in lines],
                },
            }],
        }
    return {"text": title, "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
    ]}


# Characters a URL path segment may hold as they are (RFC 3986 pchar, no "/").
# Sanic hands Rasa's ``/conversations/<id>`` route the raw path, so an id with
# ``:`` or ``@`` (``T1:U1``, ``kari@contoso.no``) must reach it unencoded.
_PATH_SAFE = ":@!$&'()*+,;=-._~"


def conversation_path(sender_id: str) -> str:
    """``sender_id`` as the path segment of Rasa's conversation routes."""
    return requests.utils.quote(sender_id, safe=_PATH_SAFE)


class HelpdeskChannel(Protocol):
    """An interactive helpdesk channel (``passordhjelp.helpdesk_slack``, ``helpdesk_teams``)."""

    def publish(self, reference: str) -> None:
        """Post the request's message, or update it to the request's current state.

        Raises ``requests.RequestException`` (or a subclass) when it should be retried.
        """

    def requester_label(self, reference: str) -> Optional[str]:
        """The requester in words (looked up in the channel when needed), or None."""


class Notifier:
    """Queues helpdesk notifications and delivers them to the webhook."""

    def __init__(self, outbox: Outbox, *, webhook_url: Optional[str], webhook_format: str,
                 rasa_url: Optional[str] = None, rasa_token: Optional[str] = None,
                 helpdesk_channels: Optional[Dict[str, HelpdeskChannel]] = None,
                 max_attempts: int = 5, timeout_seconds: float = 5.0,
                 post: Callable[..., requests.Response] = requests.post,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._outbox = outbox
        self._url = webhook_url
        self._format = webhook_format
        self._rasa_url = rasa_url.rstrip("/") if rasa_url else None
        self._rasa_token = rasa_token
        self._max_attempts = max_attempts
        self._timeout = timeout_seconds
        self._post = post
        self._clock = clock
        self._channels = dict(helpdesk_channels or {})

    @property
    def enabled(self) -> bool:
        """Whether the helpdesk channel is told of requests and handoffs."""
        return bool(self._url)

    @property
    def delivers(self) -> bool:
        """Whether anything is ever queued (and a worker must deliver it)."""
        return self.enabled or self.tells_users or bool(self._channels)

    def request_filed(self, request: ResetRequest, handling: Optional[Handling] = None, *,
                      display_name: Optional[str] = None) -> None:
        """Queue the webhook post and the interactive helpdesk messages of a new request."""
        if handling is not None:
            display_name = handling.requester_label(request)
        self.request_changed(request)
        self._add(Kind.REQUEST_FILED, {
            "reference": request.reference,
            "requester": display_name or request.sender_id,
            "channel": request.channel,
            "language": request.language,
            "filed": f"{request.created_at:%Y-%m-%d %H:%M} UTC",
        })

    @property
    def tells_users(self) -> bool:
        return bool(self._rasa_url and self._rasa_token)

    def request_changed(self, request: ResetRequest) -> None:
        """Queue posting (or updating) the request's message in each helpdesk channel."""
        for target in self._channels:
            self._outbox.add(Kind.HELPDESK_MESSAGE, {"reference": request.reference,
                                                     "target": target}, at=self._clock())

    def request_closed(self, request: ResetRequest) -> None:
        """Queue the message that tells the requester, in their conversation, what happened."""
        if self.tells_users:
            self._outbox.add(Kind.USER_UPDATE, {"sender_id": request.sender_id,
                                                "reference": request.reference},
                             at=self._clock())

    def handoff(self, requester: Optional[Requester], *, language: str,
                summary: List[str]) -> None:
        """``summary``: intent and action names only, never what the user wrote."""
        self._add(Kind.HANDOFF, {
            "requester": requester.sender_id if requester else "anonymous",
            "channel": requester.channel if requester else "unverified",
            "language": language,
            "summary": " > ".join(summary) or "-",
        })

    def _add(self, kind: Kind, facts: Dict[str, str]) -> None:
        if self.enabled:
            self._outbox.add(kind, facts, at=self._clock())

    def deliver_due(self, *, limit: int = 20) -> int:
        """Deliver what is due now; returns how many were sent."""
        sent = 0
        for notification in self._outbox.due(self._clock(), limit=limit):
            try:
                self._send(notification)
            except requests.RequestException as error:
                attempts = notification.attempts + 1
                retry_at = None
                if attempts < self._max_attempts:
                    retry_at = self._clock() + timedelta(seconds=min(2 ** attempts, 300))
                logger.warning("helpdesk notification %s failed (attempt %d): %s",
                               notification.id, attempts, error)
                self._outbox.mark_failed_attempt(notification.id, error=str(error)[:300],
                                                 retry_at=retry_at)
                continue
            self._outbox.mark_sent(notification.id, at=self._clock())
            sent += 1
        return sent

    def _send(self, notification: Notification) -> None:
        """Deliver one notification; raises ``requests.RequestException`` on failure."""
        facts = notification.facts
        if notification.kind is Kind.HELPDESK_MESSAGE:
            self._channels[facts["target"]].publish(facts["reference"])
            return
        if notification.kind is Kind.REQUEST_FILED:
            # Who asked, in words, once a channel has looked them up (e.g. Slack users.info).
            for channel in self._channels.values():
                label = channel.requester_label(facts["reference"])
                if label:
                    facts = dict(facts, requester=label)
                    break
        if notification.kind.for_helpdesk:
            response = self._post(self._url, json=render(notification.kind, facts,
                                                         self._format), timeout=self._timeout)
        else:
            # Rasa's HTTP API runs the action in the conversation and sends its
            # messages through the channel the user last wrote in.
            sender = conversation_path(notification.facts["sender_id"])
            response = self._post(
                f"{self._rasa_url}/conversations/{sender}/execute",
                params={"output_channel": "latest", "token": self._rasa_token},
                json={"name": USER_UPDATE_ACTION}, timeout=self._timeout)
        if response.status_code >= 300:
            raise requests.HTTPError(f"HTTP {response.status_code}")

    def failed(self) -> List[Notification]:
        return self._outbox.by_status(DeliveryStatus.FAILED)


def start_delivery_worker(notifier: Notifier, *, interval_seconds: float = 1.0
                          ) -> threading.Event:
    """Deliver in a daemon thread until the returned event is set."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval_seconds):
            try:
                notifier.deliver_due()
            except Exception:  # noqa: BLE001 - the worker must outlive a bad round
                logger.exception("helpdesk notification round failed")

    threading.Thread(target=loop, name="helpdesk-notifications", daemon=True).start()
    return stop
