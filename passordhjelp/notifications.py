"""Helpdesk notifications through an incoming webhook (Slack or Teams), via the outbox.

Actions only queue rows in the outbox (``passordhjelp.outbox``), in the same
transaction as the request they announce, so a slow or failing webhook never
delays a reply and a committed request is never left unannounced. Background
workers deliver due rows with retries and backoff; a row that keeps failing for
a day is marked failed and shown to admins (``python -m passordhjelp.admin
notifications``, ``... notifications retry``). No message text is ever part of
a notification.
"""

from __future__ import annotations

import enum
import logging
import re
import threading
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional, Protocol

import jwt
import requests
import yaml

from passordhjelp.helpdesk_message import channel_label, language_label
from passordhjelp.identity import Requester, printable
from passordhjelp.outbox import (
    DeliveryError,
    DeliveryStatus,
    Outbox,
    OutboxEntry,
    QueuedEntry,
    RetryPolicy,
    Route,
    deliver_due,
)
from passordhjelp.reset_requests import ResetRequest, utcnow

logger = logging.getLogger(__name__)
# The incoming webhook's texts (helpdesk.yml) are English.
WEBHOOK_LANGUAGE = "en"
_TEXTS_FILE = Path(__file__).with_name("content") / "helpdesk.yml"


class Kind(str, enum.Enum):
    REQUEST_FILED = "request_filed"  # to the helpdesk channel
    REQUEST_WITHDRAWN = "request_withdrawn"  # to the helpdesk channel
    HANDOFF = "handoff"  # to the helpdesk channel
    USER_UPDATE = "user_update"  # to the requester's conversation, through Rasa
    # The interactive message about a request in the helpdesk's Slack or Teams channel,
    # posted or brought up to date (target: the channel, payload: the reference).
    HELPDESK_MESSAGE = "helpdesk_message"

    @property
    def for_helpdesk(self) -> bool:
        """Posted to the incoming webhook."""
        return self in (Kind.REQUEST_FILED, Kind.REQUEST_WITHDRAWN, Kind.HANDOFF)


def helpdesk_message_group(target: str, reference: str) -> str:
    """The outbox group of a request's message in one interactive helpdesk channel."""
    return f"{Kind.HELPDESK_MESSAGE.value}:{target}:{reference}"


# The target of rows for the helpdesk channel; a user update's target is the conversation.
HELPDESK = "helpdesk"

# The action the Rasa server runs in the requester's conversation.
USER_UPDATE_ACTION = "action_tell_request_update"
# Lifetime of the token that lets one call run that action in one conversation.
RASA_TOKEN_LIFETIME = timedelta(minutes=2)


def rasa_api_authorization(secret: str, conversation_id: str, *, now: datetime) -> str:
    """``Authorization`` header for Rasa's HTTP API started with ``--jwt-secret secret``.

    A short-lived HS256 token with Rasa's ``user`` role for that one conversation: in a
    header, so it never lands in a URL, a log line or a stored error.
    """
    claims = {
        "user": {"username": conversation_id, "role": "user"},
        "iat": now,
        "exp": now + RASA_TOKEN_LIFETIME,
    }
    return "Bearer " + jwt.encode(claims, secret, algorithm="HS256")


def failure_summary(error: requests.RequestException) -> str:
    """What went wrong, without the URL (webhook URLs carry secrets) or any token."""
    if isinstance(error, requests.HTTPError):
        return str(error) if str(error).startswith("HTTP ") else "HTTP error"
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        return "could not connect"
    return type(error).__name__


@lru_cache(maxsize=1)
def _texts() -> Dict:
    return yaml.safe_load(_TEXTS_FILE.read_text(encoding="utf-8"))


_TEAMS_MARKDOWN = re.compile(r"([\\`*_\[\]()~#>|!-])")


def _escaped(value: str, webhook_format: str) -> str:
    """``value`` as literal text in the target format: one line, no mentions, links or
    emphasis."""
    value = " ".join(printable(str(value)).split())
    if webhook_format == "teams":  # Adaptive Card TextBlock markdown
        return _TEAMS_MARKDOWN.sub(r"\\\1", value)
    # Slack mrkdwn: &, < and > are the control characters (<!channel>, <@U1>, <url|x>)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(kind: Kind, facts: Dict[str, str], webhook_format: str) -> Dict:
    """The JSON body for a Slack or Teams incoming webhook."""
    texts = _texts()[kind.value]
    # The requester id is the only fact that comes from outside (e.g. a token's sub).
    if "requester" in facts:
        facts = {**facts, "requester": _escaped(facts["requester"], webhook_format)}
    title = texts["title"].format(**facts)
    lines = [line.format(**facts) for line in texts["lines"]]
    if webhook_format == "teams":
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "body": [
                            {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True}
                        ]
                        + [{"type": "TextBlock", "text": line, "wrap": True} for line in lines],
                    },
                }
            ],
        }
    return {
        "text": title,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
        ],
    }


# Characters a URL path segment may hold as they are (RFC 3986 pchar, no "/").
# Sanic hands Rasa's ``/conversations/<id>`` route the raw path, so an id with
# ``:`` or ``@`` (``T1:U1``, ``kari@contoso.no``) must reach it unencoded.
_PATH_SAFE = ":@!$&'()*+,;=-._~"


def conversation_path(sender_id: str) -> str:
    """``sender_id`` as the path segment of Rasa's conversation routes."""
    return requests.utils.quote(sender_id, safe=_PATH_SAFE)


class HelpdeskChannel(Protocol):
    """An interactive helpdesk channel (``passordhjelp.helpdesk_slack``)."""

    def publish(self, reference: str, *, posted_since: Optional[datetime]) -> None:
        """Post the request's message, or update it to the request's current state.

        ``posted_since``: when an earlier worker began trying this row (it may have posted
        the message and died before keeping where); a channel that can find its own
        messages looks there before posting. Raises ``DeliveryError`` when it should be
        tried again.
        """

    def requester_label(self, reference: str) -> Optional[str]:
        """The requester in words (looked up in the channel when needed), or None."""


class Notifier:
    """Queues helpdesk notifications and delivers them to the webhook, the interactive
    helpdesk channels and the requesters' conversations."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        webhook_url: Optional[str],
        webhook_format: str,
        rasa_url: Optional[str] = None,
        rasa_token: Optional[str] = None,
        helpdesk_channels: Optional[Dict[str, HelpdeskChannel]] = None,
        retry: RetryPolicy = RetryPolicy(),
        timeout_seconds: float = 5.0,
        post: Callable[..., requests.Response] = requests.post,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._outbox = outbox
        self._url = webhook_url
        self._format = webhook_format
        self._rasa_url = rasa_url.rstrip("/") if rasa_url else None
        self._rasa_token = rasa_token
        self._retry = retry
        self._timeout = timeout_seconds
        self._post = post
        self._clock = clock
        self._channels = dict(helpdesk_channels or {})
        self._waiting_checked_at: Optional[datetime] = None

    @property
    def enabled(self) -> bool:
        """Whether the helpdesk channel is told of requests and handoffs."""
        return bool(self._url)

    @property
    def delivers(self) -> bool:
        """Whether anything is ever queued (and a worker must deliver it)."""
        return self.enabled or self.tells_users or bool(self._channels)

    def filed_notices(
        self, request: ResetRequest, *, display_name: Optional[str] = None
    ) -> List[OutboxEntry]:
        """What to queue, with the request in one transaction, when it is filed."""
        return self.changed_notices(request) + self._for_helpdesk(
            Kind.REQUEST_FILED,
            request,
            {
                "reference": request.reference,
                "requester": display_name or request.sender_id,
                "channel": channel_label(request.channel, WEBHOOK_LANGUAGE),
                "language": language_label(request.language, WEBHOOK_LANGUAGE),
                "filed": f"{request.created_at:%Y-%m-%d %H:%M} UTC",
            },
        )

    def withdrawn_notices(
        self, request: ResetRequest, *, display_name: Optional[str] = None
    ) -> List[OutboxEntry]:
        """What to queue, with the status change, when the requester withdraws ``request``:
        the helpdesk no longer needs to reset the password."""
        return self.changed_notices(request) + self._for_helpdesk(
            Kind.REQUEST_WITHDRAWN,
            request,
            {
                "reference": request.reference,
                "requester": display_name or request.sender_id,
                "channel": channel_label(request.channel, WEBHOOK_LANGUAGE),
                "withdrawn": f"{request.updated_at:%Y-%m-%d %H:%M} UTC",
            },
        )

    @property
    def tells_users(self) -> bool:
        return bool(self._rasa_url and self._rasa_token)

    def changed_notices(self, request: ResetRequest) -> List[OutboxEntry]:
        """Post (or update) the request's message in each interactive helpdesk channel.

        One row per version of the request (its status and when it last changed): queueing
        the same version again writes nothing. A request's rows go out one at a time, in
        order, so two workers never both find the message unposted, and an older state
        never lands after a newer one.
        """
        return [
            OutboxEntry(
                Kind.HELPDESK_MESSAGE.value,
                target,
                {"reference": request.reference},
                key=f"{helpdesk_message_group(target, request.reference)}:"
                f"{request.status.value}:{request.updated_at:%Y%m%dT%H%M%S.%f}",
                group=helpdesk_message_group(target, request.reference),
            )
            for target in self._channels
        ]

    def request_changed(self, request: ResetRequest) -> None:
        """Queue ``changed_notices`` now (for changes outside a filing or a move); a no-op
        when that version of the request is queued already."""
        entries = self.changed_notices(request)
        if entries:
            self._outbox.add(entries, at=self._clock())

    def closed_notices(self, request: ResetRequest) -> List[OutboxEntry]:
        """The message that tells the requester, in their conversation, what happened."""
        if not self.tells_users:
            return []
        return [
            OutboxEntry(
                Kind.USER_UPDATE.value,
                request.sender_id,
                {"sender_id": request.sender_id, "reference": request.reference},
                key=f"{Kind.USER_UPDATE.value}:{request.reference}:{request.status.value}",
            )
        ]

    def handoff(self, requester: Optional[Requester], *, language: str, summary: List[str]) -> None:
        """``summary``: intent and action names only, never what the user wrote."""
        entries = self._for_helpdesk(
            Kind.HANDOFF,
            None,
            {
                "requester": requester.sender_id if requester else "anonymous",
                "channel": channel_label(requester.channel, WEBHOOK_LANGUAGE)
                if requester
                else "unverified",
                "language": language_label(language, WEBHOOK_LANGUAGE),
                "summary": " > ".join(summary) or "-",
            },
        )
        if entries:
            self._outbox.add(entries, at=self._clock())

    def _for_helpdesk(
        self, kind: Kind, request: Optional[ResetRequest], payload: Dict[str, str]
    ) -> List[OutboxEntry]:
        """A webhook post; about a request, once per request and kind (a request is filed
        and withdrawn once)."""
        key = f"{kind.value}:{request.reference}" if request is not None else None
        return [OutboxEntry(kind.value, HELPDESK, payload, key=key)] if self.enabled else []

    @property
    def lease(self) -> timedelta:
        """How long a worker holds a batch: every send in it may take the whole timeout."""
        return timedelta(seconds=self._timeout * _BATCH + 30)

    @property
    def routes(self) -> List[Route]:
        """The rows this process can deliver: the webhook's with a webhook URL, the
        requesters' updates with Rasa's URL and token, and the messages of the interactive
        helpdesk channels it is configured with. Other rows wait for another process."""
        routes = [Route(kind.value) for kind in Kind if kind.for_helpdesk and self.enabled]
        if self.tells_users:
            routes.append(Route(Kind.USER_UPDATE.value))
        routes += [Route(Kind.HELPDESK_MESSAGE.value, target) for target in self._channels]
        return routes

    def deliver_due(self) -> int:
        """Deliver what is due now; returns how many were sent."""
        self._tell_of_waiting_rows()
        return deliver_due(
            self._outbox,
            self._send,
            policy=self._retry,
            clock=self._clock,
            lease=self.lease,
            routes=self.routes,
            limit=_BATCH,
        )

    def _tell_of_waiting_rows(self) -> None:
        """Logs, at most every ``_WAITING_LOG_INTERVAL``, the due rows this process leaves
        to others (kinds and helpdesk channels, never a payload or a requester)."""
        now = self._clock()
        if self._waiting_checked_at and now - self._waiting_checked_at < _WAITING_LOG_INTERVAL:
            return
        self._waiting_checked_at = now
        counts: Dict[str, int] = {}
        for (kind, target), count in self._outbox.waiting(now, routes=self.routes).items():
            label = f"{kind} to {target}" if kind == Kind.HELPDESK_MESSAGE.value else kind
            counts[label] = counts.get(label, 0) + count
        if counts:
            logger.warning(
                "outbox: %s wait for a process configured to deliver them (this one delivers: %s)",
                ", ".join(f"{n} {label}" for label, n in sorted(counts.items())),
                ", ".join(
                    sorted({f"{r.kind} to {r.target}" if r.target else r.kind for r in self.routes})
                )
                or "nothing",
            )

    def _send(self, entry: QueuedEntry) -> None:
        if entry.kind == Kind.HELPDESK_MESSAGE.value:
            self._channels[entry.target].publish(
                entry.payload["reference"], posted_since=entry.claimed_before
            )
            return
        try:
            response = self._request(entry)
        except requests.RequestException as error:
            raise DeliveryError(failure_summary(error)) from error
        if response.status_code >= 300:
            raise DeliveryError(f"HTTP {response.status_code}")

    def _request(self, entry: QueuedEntry) -> requests.Response:
        kind = Kind(entry.kind)
        if kind.for_helpdesk:
            return self._post(
                self._url,
                json=render(kind, self._with_label(kind, entry.payload), self._format),
                timeout=self._timeout,
            )
        # Rasa's HTTP API runs the action in the conversation and sends its
        # messages through the channel the user last wrote in.
        sender_id = entry.target
        if not (self._rasa_url and self._rasa_token):
            raise DeliveryError("RASA_URL and RASA_API_TOKEN are needed to tell users")
        authorization = rasa_api_authorization(
            self._rasa_token, sender_id, now=datetime.now(timezone.utc)
        )
        return self._post(
            f"{self._rasa_url}/conversations/{conversation_path(sender_id)}/execute",
            params={"output_channel": "latest"},
            headers={"Authorization": authorization},
            json={"name": USER_UPDATE_ACTION},
            timeout=self._timeout,
        )

    def _with_label(self, kind: Kind, payload: Dict[str, str]) -> Dict[str, str]:
        """A filed request's requester in words, once a helpdesk channel knows them."""
        if kind is Kind.REQUEST_FILED:
            for channel in self._channels.values():
                label = channel.requester_label(payload["reference"])
                if label:
                    return dict(payload, requester=label)
        return payload

    def failed(self) -> List[QueuedEntry]:
        return self._outbox.by_status(DeliveryStatus.FAILED)

    def retry_failed(self, ids: Optional[List[int]] = None) -> int:
        """Queue failed rows (all, or ``ids``) again, due now; returns how many."""
        return self._outbox.retry_failed(self._clock(), ids=ids)


# Rows one worker claims at a time.
_BATCH = 20
# How often a process says which due rows it leaves to others.
_WAITING_LOG_INTERVAL = timedelta(minutes=10)


def start_delivery_worker(notifier: Notifier, *, interval_seconds: float = 1.0) -> threading.Event:
    """Deliver in a daemon thread until the returned event is set."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval_seconds):
            try:
                notifier.deliver_due()
            except Exception:  # the worker must outlive a bad round
                logger.exception("helpdesk notification round failed")

    threading.Thread(target=loop, name="helpdesk-notifications", daemon=True).start()
    return stop
