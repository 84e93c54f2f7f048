"""The helpdesk's Slack channel: each request as a Block Kit message with Take, Resolve and
Reject buttons, posted by the bot and kept up to date (``chat.postMessage``, ``chat.update``).

The clicks come back to the Slack channel adapter (``channels/slack.py``), which checks who
clicked and calls ``passordhjelp.helpdesk``. Identities are shown as plain text, never mrkdwn.

Slack has no idempotency key, so each message carries message metadata naming its request:
a worker that takes over a row an earlier worker may have posted (killed before keeping the
message's ``ts``) finds that message in ``conversations.history`` and keeps it instead of
posting a second one.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

import requests

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from passordhjelp.bot_connector import BotConnectorToken, member_profile
from passordhjelp.helpdesk import Handling, HelpdeskStore, Move
from passordhjelp.helpdesk_message import HelpdeskMessage, helpdesk_message, text
from passordhjelp.outbox import DeliveryError, Undeliverable
from passordhjelp.reset_requests import ResetRequest, ResetRequestService, StoreUnavailable

logger = logging.getLogger(__name__)

TARGET = "slack"
# Rasa's names for the Slack and Teams channels: the ``channel`` of requests filed there.
SLACK_CHANNEL_NAME = "slack"
TEAMS_CHANNEL_NAME = "botframework"
# action_id of the buttons; the value is the request's reference.
ACTION_PREFIX = "helpdesk_"
REJECT_CALLBACK_ID = "helpdesk_reject"
REASON_BLOCK, REASON_ACTION = "reason", "reason"
_STYLE = {Move.RESOLVE: "primary", Move.REJECT: "danger"}
# chat.postMessage and chat.update errors no retry gets past: what the admin has to do.
_NEEDS_AN_ADMIN = {
    "channel_not_found": "check HELPDESK_SLACK_CHANNEL (a channel id such as C0123ABCD) and "
    "invite the app there",
    "not_in_channel": "invite the app to the channel (/invite @the app)",
    "is_archived": "unarchive the channel or set HELPDESK_SLACK_CHANNEL to another one",
}
# Seconds between tries to keep a posted message's ts when the database is briefly away.
_KEEP_POST_WAITS = (0.2, 0.5, 1.0, 2.0)
# The message metadata's event_type on every helpdesk message (see ``metadata``).
EVENT_TYPE = "password_reset_request"
# Looking for a message posted since an earlier worker's first try starts this much earlier:
# the ts is Slack's clock, the try was timed by ours.
_CLOCK_SKEW = timedelta(minutes=10)
# At most this many conversations.history pages (newest first) are read per look-up: the
# window is minutes long, so the message is on the first page unless the channel is busy.
_HISTORY_PAGES, _HISTORY_PAGE_SIZE = 5, 200


def move_of(action_id: Any) -> Optional[Move]:
    """The move a button's ``action_id`` stands for, if it is one of ours."""
    if isinstance(action_id, str) and action_id.startswith(ACTION_PREFIX):
        try:
            return Move(action_id[len(ACTION_PREFIX) :])
        except ValueError:
            return None
    return None


def _plain(value: str, limit: int = 2000) -> Dict[str, Any]:
    return {"type": "plain_text", "text": value[:limit], "emoji": False}


def blocks(message: HelpdeskMessage) -> List[Dict[str, Any]]:
    """The message as Block Kit: header, facts, what to do, and the buttons still possible."""
    out: List[Dict[str, Any]] = [
        {"type": "header", "text": _plain(message.title, 150)},
        {
            "type": "section",
            "fields": [_plain(f"{label}:\n{value}") for label, value in message.facts[:10]],
        },
    ]
    if message.to_do:
        out.append({"type": "context", "elements": [_plain(message.to_do)]})
    if message.moves:
        out.append(
            {
                "type": "actions",
                "block_id": f"helpdesk:{message.reference}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"{ACTION_PREFIX}{move.value}",
                        "value": message.reference,
                        "text": _plain(label, 75),
                        **({"style": _STYLE[move]} if move in _STYLE else {}),
                    }
                    for move, label in message.moves
                ],
            }
        )
    return out


def metadata(reference: str) -> Dict[str, Any]:
    """The message metadata of ``reference``'s helpdesk message: what finds it again. One
    message per request and channel, so the reference alone names it; ``chat.update`` keeps
    it (it is left out of updates)."""
    return {"event_type": EVENT_TYPE, "event_payload": {"reference": reference}}


def reject_view(reference: str, language: str) -> Dict[str, Any]:
    """The modal that asks for the reason of a rejection (``views.open``)."""
    return {
        "type": "modal",
        "callback_id": REJECT_CALLBACK_ID,
        "private_metadata": reference,
        "title": _plain(text("reject_title", language, reference=reference), 24),
        "submit": _plain(text("reject_submit", language), 24),
        "close": _plain(text("cancel", language), 24),
        "blocks": [
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": _plain(text("reject_label", language)),
                "hint": _plain(text("reject_hint", language)),
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_ACTION,
                    "multiline": True,
                    "max_length": 300,
                },
            }
        ],
    }


def profile_of(users_info: Any) -> Tuple[Optional[str], Optional[str]]:
    """(display name, e-mail) from a ``users.info`` answer (scopes users:read, users:read.email)."""
    user = users_info["user"] or {}
    details = user.get("profile") or {}
    name = details.get("real_name") or details.get("display_name") or user.get("real_name")
    return name or None, details.get("email") or None


class SlackHelpdesk:
    """``HelpdeskChannel`` for a Slack channel the bot was invited to."""

    def __init__(
        self,
        client: WebClient,
        channel: str,
        *,
        requests_service: ResetRequestService,
        store: HelpdeskStore,
        language: str,
        teams_token: Optional[BotConnectorToken] = None,
    ) -> None:
        self._client = client
        self._teams_token = teams_token
        self._channel = channel
        self._requests = requests_service
        self._store = store
        self._language = language

    def publish(self, reference: str, *, posted_since: Optional[datetime]) -> None:
        request = self._requests.get(reference)
        handling = self._with_profile(request, self._store.handling(request.reference))
        message = helpdesk_message(request, handling, self._language)
        post = handling.posts.get(TARGET)
        if post is None and posted_since is not None:
            post = self._posted_earlier(request.reference, posted_since)
            if post:
                # Kept, then brought up to date below like any posted message.
                self._keep_post(request.reference, post)
        try:
            if post:
                self._client.chat_update(
                    channel=post["channel"],
                    ts=post["ts"],
                    text=message.title,
                    blocks=blocks(message),
                )
                return
            answer = self._client.chat_postMessage(
                channel=self._channel,
                text=message.title,
                blocks=blocks(message),
                metadata=metadata(request.reference),
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackApiError, SlackClientError) as error:
            reason = _reason(error)
            if reason in _NEEDS_AN_ADMIN:
                raise Undeliverable(
                    f"Slack: {reason} for the helpdesk channel "
                    f"{post['channel'] if post else self._channel}: {_NEEDS_AN_ADMIN[reason]}, "
                    "then run: python -m passordhjelp.admin notifications retry"
                ) from None
            raise DeliveryError(f"Slack: {reason}") from None
        self._keep_post(request.reference, {"channel": answer["channel"], "ts": answer["ts"]})

    def _posted_earlier(self, reference: str, since: datetime) -> Optional[Dict[str, Any]]:
        """Where ``reference``'s message is, if a worker posted it since ``since`` (naive
        UTC) and died before keeping where: found by its metadata in the helpdesk channel's
        ``conversations.history`` (bot scope ``channels:history``, ``groups:history`` for a
        private channel). None when it is not there or can't be looked for: then it is
        posted, twice maybe, rather than never. Only the messages' ``ts`` and metadata are
        read."""
        oldest = (since - _CLOCK_SKEW).replace(tzinfo=timezone.utc).timestamp()
        cursor = None
        try:
            for _ in range(_HISTORY_PAGES):
                page = self._client.conversations_history(
                    channel=self._channel,
                    oldest=f"{oldest:.6f}",
                    limit=_HISTORY_PAGE_SIZE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
                for found in page.get("messages") or []:
                    data = found.get("metadata") or {}
                    if (
                        data.get("event_type") == EVENT_TYPE
                        and (data.get("event_payload") or {}).get("reference") == reference
                    ):
                        logger.info(
                            "the Slack message of %s was posted by a worker that did "
                            "not keep it; keeping it instead of posting again",
                            reference,
                        )
                        return {"channel": self._channel, "ts": found["ts"]}
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return None
        except (SlackApiError, SlackClientError) as error:
            reason = _reason(error)
            logger.warning(
                "looking for an earlier Slack message of %s failed (%s%s): posting it, so it "
                "may show twice",
                reference,
                reason,
                "; the app needs the bot scope channels:history, or groups:history for a "
                "private helpdesk channel"
                if reason == "missing_scope"
                else "",
            )
        return None

    def _keep_post(self, reference: str, post: Dict[str, Any]) -> None:
        """Keeps where the message is. A post that is not kept is looked for in the
        channel's history before the row is retried, but that costs a Slack call (and needs a
        scope), so a database blip is waited out here."""
        for wait in _KEEP_POST_WAITS:
            try:
                self._store.save_post(reference, TARGET, post)
                return
            except StoreUnavailable:
                logger.warning("keeping the Slack message of %s failed; trying again", reference)
                time.sleep(wait)
        self._store.save_post(reference, TARGET, post)

    def requester_label(self, reference: str) -> Optional[str]:
        request = self._requests.get(reference)
        handling = self._with_profile(request, self._store.handling(request.reference))
        return handling.known_requester_label(request)

    def _with_profile(self, request: ResetRequest, handling: Handling) -> Handling:
        """Looks the requester up in their channel (Slack users.info, the Teams members of
        their conversation) until their e-mail is known, and keeps it with the request."""
        if handling.requester_email:
            return handling
        try:
            if request.channel == SLACK_CHANNEL_NAME and ":" in request.sender_id:
                name, email = profile_of(
                    self._client.users_info(user=request.sender_id.split(":", 1)[1])
                )
            elif request.channel == TEAMS_CHANNEL_NAME and self._teams_token is not None:
                name, email = member_profile(self._teams_token, handling.reply_to)
            else:
                return handling
        except (
            SlackApiError,
            SlackClientError,
            KeyError,
            TypeError,
            ConnectionError,
            requests.RequestException,
            ValueError,
        ) as error:
            # The message still goes out, with what is known.
            logger.warning("looking up a %s requester failed: %s", request.channel, _reason(error))
            return handling
        if not (name or email):
            return handling
        self._store.save_profile(
            request.reference, name=name or handling.requester_name, email=email
        )
        return self._store.handling(request.reference)


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or error.response.status_code)
    return type(error).__name__
