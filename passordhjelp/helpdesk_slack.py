"""The helpdesk's Slack channel: each request as a Block Kit message with Take, Resolve and
Reject buttons, posted by the bot and kept up to date (``chat.postMessage``, ``chat.update``).

The clicks come back to the Slack channel adapter (``channels/slack.py``), which checks who
clicked and calls ``passordhjelp.helpdesk``. Identities are shown as plain text, never mrkdwn.
"""

from __future__ import annotations

import logging
import time

import requests
from typing import Any, Dict, List, Optional, Tuple

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


def move_of(action_id: Any) -> Optional[Move]:
    """The move a button's ``action_id`` stands for, if it is one of ours."""
    if isinstance(action_id, str) and action_id.startswith(ACTION_PREFIX):
        try:
            return Move(action_id[len(ACTION_PREFIX):])
        except ValueError:
            return None
    return None


def _plain(value: str, limit: int = 2000) -> Dict[str, Any]:
    return {"type": "plain_text", "text": value[:limit], "emoji": False}


def blocks(message: HelpdeskMessage) -> List[Dict[str, Any]]:
    """The message as Block Kit: header, facts, what to do, and the buttons still possible."""
    out: List[Dict[str, Any]] = [
        {"type": "header", "text": _plain(message.title, 150)},
        {"type": "section", "fields": [_plain(f"{label}:\n{value}")
                                       for label, value in message.facts[:10]]},
    ]
    if message.to_do:
        out.append({"type": "context", "elements": [_plain(message.to_do)]})
    if message.moves:
        out.append({"type": "actions", "block_id": f"helpdesk:{message.reference}", "elements": [
            {"type": "button", "action_id": f"{ACTION_PREFIX}{move.value}",
             "value": message.reference, "text": _plain(label, 75),
             **({"style": _STYLE[move]} if move in _STYLE else {})}
            for move, label in message.moves]})
    return out


def reject_view(reference: str, language: str) -> Dict[str, Any]:
    """The modal that asks for the reason of a rejection (``views.open``)."""
    return {
        "type": "modal", "callback_id": REJECT_CALLBACK_ID, "private_metadata": reference,
        "title": _plain(text("reject_title", language, reference=reference), 24),
        "submit": _plain(text("reject_submit", language), 24),
        "close": _plain(text("cancel", language), 24),
        "blocks": [{"type": "input", "block_id": REASON_BLOCK,
                    "label": _plain(text("reject_label", language)),
                    "hint": _plain(text("reject_hint", language)),
                    "element": {"type": "plain_text_input", "action_id": REASON_ACTION,
                                "multiline": True, "max_length": 300}}],
    }


def profile_of(users_info: Any) -> Tuple[Optional[str], Optional[str]]:
    """(display name, e-mail) from a ``users.info`` answer (scopes users:read, users:read.email)."""
    user = users_info["user"] or {}
    details = user.get("profile") or {}
    name = details.get("real_name") or details.get("display_name") or user.get("real_name")
    return name or None, details.get("email") or None


class SlackHelpdesk:
    """``HelpdeskChannel`` for a Slack channel the bot was invited to."""

    def __init__(self, client: WebClient, channel: str, *, requests_service: ResetRequestService,
                 store: HelpdeskStore, language: str,
                 teams_token: Optional[BotConnectorToken] = None) -> None:
        self._client = client
        self._teams_token = teams_token
        self._channel = channel
        self._requests = requests_service
        self._store = store
        self._language = language

    def publish(self, reference: str) -> None:
        request = self._requests.get(reference)
        handling = self._with_profile(request, self._store.handling(request.reference))
        message = helpdesk_message(request, handling, self._language)
        post = handling.posts.get(TARGET)
        try:
            if post:
                self._client.chat_update(channel=post["channel"], ts=post["ts"],
                                         text=message.title, blocks=blocks(message))
                return
            answer = self._client.chat_postMessage(
                channel=self._channel, text=message.title, blocks=blocks(message),
                unfurl_links=False, unfurl_media=False)
        except (SlackApiError, SlackClientError) as error:
            reason = _reason(error)
            if reason in _NEEDS_AN_ADMIN:
                raise Undeliverable(
                    f"Slack: {reason} for the helpdesk channel "
                    f"{post['channel'] if post else self._channel}: {_NEEDS_AN_ADMIN[reason]}, "
                    "then run: python -m passordhjelp.admin notifications retry") from None
            raise DeliveryError(f"Slack: {reason}") from None
        self._keep_post(request.reference, {"channel": answer["channel"], "ts": answer["ts"]})

    def _keep_post(self, reference: str, post: Dict[str, Any]) -> None:
        """Keeps where the message is. Slack has no idempotency key: a post that is not
        kept would be posted again when the row is retried, so a database blip is waited
        out here."""
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
                    self._client.users_info(user=request.sender_id.split(":", 1)[1]))
            elif request.channel == TEAMS_CHANNEL_NAME and self._teams_token is not None:
                name, email = member_profile(self._teams_token, handling.reply_to)
            else:
                return handling
        except (SlackApiError, SlackClientError, KeyError, TypeError, ConnectionError,
                requests.RequestException, ValueError) as error:
            # The message still goes out, with what is known.
            logger.warning("looking up a %s requester failed: %s", request.channel,
                           _reason(error))
            return handling
        if not (name or email):
            return handling
        self._store.save_profile(request.reference, name=name or handling.requester_name,
                                 email=email)
        return self._store.handling(request.reference)


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or error.response.status_code)
    return type(error).__name__
