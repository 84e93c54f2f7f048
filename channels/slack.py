"""Slack (Events API and interactivity) behind the message guard, with verified identities.

credentials.yml::

    channels.slack.GuardedSlackInput:

Everything else comes from the environment (``passordhjelp.config``): SLACK_BOT_TOKEN,
SLACK_SIGNING_SECRET, SLACK_API_URL, SLACK_TEAM_IDS. Slack posts events and button clicks to
``/webhooks/slack/webhook``.

What this adds to Rasa's ``SlackInput``:

- requests whose ``X-Slack-Signature`` doesn't verify, or whose
  ``X-Slack-Request-Timestamp`` is more than 5 minutes off, get 401 and go nowhere;
- the sender id, which is the requester identity, is ``TEAM:USER`` (``T123:U456``), the
  user's own team; a user whose team is not in SLACK_TEAM_IDS (required in production),
  e.g. someone of another organisation in a Slack Connect channel, gets no answer;
- every user message is handled once: Slack's retries (``X-Slack-Retry-Num``), a replayed
  request and the same message delivered as two events are acknowledged and dropped;
- a message whose conversation can't be read or saved (database down) gets 503 when
  that is known within 2 s, so Slack delivers it again; later, the user is asked in
  the conversation to send it again;
- ``<@U…>`` mentions are taken out before NLU (the bot's own entirely, anyone else's
  become "Person", so "reset <@U999>'s password" still reads as someone else's account),
  and Slack's markup (links, channel references, ``&amp;``) becomes plain text;
- replies go into the message's thread in channels and straight into direct messages;
- the Web API base URL is configurable, and replies use Slack's mrkdwn.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import html
import json
import logging
import re
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.shared.core.events import UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.common import (ChannelConfigError, RecentKeys, channel_settings, first,
                             limit_request_size, require)
from channels.guard import OnNewMessage, TryAgain, guarded
from passordhjelp.bootstrap import services

logger = logging.getLogger(__name__)

# Slack's own limit for X-Slack-Request-Timestamp: older (or newer) requests may be replays.
MAX_REQUEST_AGE_SECONDS = 5 * 60
# What another person's mention becomes; a title-case word in both languages, so the
# other-account patterns ("reset Person's password", "passordet til Person") still match.
OTHER_PERSON = "Person"
NO_RETRY = {"X-Slack-No-Retry": "1"}
# How long a request waits for its turn before Slack gets its 200 (it allows 3 s).
ANSWER_WAIT_SECONDS = 2.0

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")
# Bounded repeats: each "<" is looked at a bounded number of characters ahead, so a
# message of unclosed "<@" or "<http:" costs linear time, not quadratic.
_USER_MENTION = re.compile(r"<@([A-Z0-9]{1,32})(?:\|[^>]{0,256})?>")
_CHANNEL_REFERENCE = re.compile(r"<#[A-Z0-9]{1,32}(?:\|([^>]{0,256}))?>")
_SPECIAL_MENTION = re.compile(r"<!([^>|]{0,64})(?:\|([^>]{0,256}))?>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^>|]{0,2048})(?:\|([^>]{0,256}))?>")
_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def plain_text(text: str, bot_user_ids: Iterable[str] = (), *, max_length: int = 2000) -> str:
    """A Slack message's text as the user meant it, for NLU.

    The bot's own mentions go; other people's become ``OTHER_PERSON``; links, channel
    references and special mentions become their labels; HTML entities are decoded.
    A text longer than ``max_length`` is returned as it is: the guard refuses it.
    """
    if len(text) > max_length:
        return text
    bots = set(bot_user_ids)
    text = _USER_MENTION.sub(lambda m: " " if m.group(1) in bots else OTHER_PERSON, text)
    text = _CHANNEL_REFERENCE.sub(lambda m: f"#{m.group(1)}" if m.group(1) else "", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1).removeprefix("mailto:"), text)
    text = _SPECIAL_MENTION.sub(lambda m: m.group(2) or "", text)
    text = html.unescape(text)
    return re.sub(r"[ \t]+", " ", text).strip()


def to_mrkdwn(text: str) -> str:
    """Our responses' Markdown as Slack mrkdwn, with &, < and > escaped as Slack asks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_LINK.sub(r"<\2|\1>", text)
    return _MARKDOWN_BOLD.sub(r"*\1*", text)


@dataclass(frozen=True)
class Delivery:
    """One user message or button click as Slack delivered it."""

    team_id: str
    user_id: str
    channel: str
    key: str                    # the same for every delivery of the same message or click
    thread_ts: Optional[str]    # where replies go; None in direct messages
    raw_text: Optional[str]     # the event's text (None for a button click)

    @property
    def sender_id(self) -> str:
        return f"{self.team_id}:{self.user_id}"


def _is_direct_message(channel: str, channel_type: Any) -> bool:
    return channel_type == "im" or channel.startswith("D")


def delivery_from(request: Request) -> Optional[Delivery]:
    """Who wrote what where, from an event callback or an interactivity payload."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
    if content_type == "application/json":
        body = request.json or {}
        event = body.get("event") or {}
        team_id = first(event.get("user_team"), event.get("team"), body.get("team_id"))
        user_id, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
        thread_ts = first(event.get("thread_ts"), ts)
        raw_text = event.get("text")
        key = f"{channel}:{ts}" if channel and ts else first(body.get("event_id"))
        channel_type = event.get("channel_type")
    elif content_type == "application/x-www-form-urlencoded":
        payload = json.loads(request.form["payload"][0])
        user = payload.get("user") or {}
        team_id = first(user.get("team_id"), (payload.get("team") or {}).get("id"))
        user_id, channel = user.get("id"), (payload.get("channel") or {}).get("id")
        message = payload.get("message") or payload.get("container") or {}
        thread_ts = first(message.get("thread_ts"), message.get("ts"), message.get("message_ts"))
        action = (payload.get("actions") or [{}])[0]
        key = first(f"action:{action['action_ts']}" if action.get("action_ts") else None,
                    payload.get("trigger_id"))
        raw_text, channel_type = None, None
    else:
        return None
    if not (isinstance(user_id, str) and _USER_ID.match(user_id) and isinstance(team_id, str)
            and _TEAM_ID.match(team_id) and isinstance(channel, str) and channel and key):
        return None
    if _is_direct_message(channel, channel_type):
        thread_ts = None
    return Delivery(team_id, user_id, channel, key, thread_ts,
                    raw_text if isinstance(raw_text, str) else None)


class SlackReplies(SlackBot):
    """Replies through the Web API at ``api_url``, in the thread when there is one."""

    def __init__(self, token: Text, channel: Optional[Text], thread_ts: Optional[Text],
                 api_url: Text, proxy: Optional[Text] = None) -> None:
        super().__init__(token, channel, thread_ts, proxy)
        self.client = AsyncWebClient(token=token, base_url=api_url, proxy=proxy)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        # as_user is for classic apps only; "type" is no chat.postMessage argument
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        if isinstance(kwargs.get("text"), str):
            kwargs["text"] = to_mrkdwn(kwargs["text"])
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        await self.client.chat_postMessage(channel=channel, unfurl_links=False,
                                           unfurl_media=False, **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        if len(buttons) > 5:  # Slack drops all buttons of a message with more than five
            return await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
        elements = [{"type": "button", "action_id": f"button_{index}",
                     "text": {"type": "plain_text", "text": button["title"][:75]},
                     "value": button["payload"]} for index, button in enumerate(buttons)]
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": to_mrkdwn(text)}},
                  {"type": "actions", "elements": elements}]
        await self._post_message(channel=self.slack_channel or recipient_id, text=text,
                                 blocks=blocks)


class GuardedSlackInput(SlackInput):
    """Slack's Events API and interactivity behind the guard; identities are verified."""

    CREDENTIALS = {"slack_token": "SLACK_BOT_TOKEN",
                   "slack_signing_secret": "SLACK_SIGNING_SECRET",
                   "slack_api_url": "SLACK_API_URL",
                   "slack_team_ids": "SLACK_TEAM_IDS"}

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedSlackInput":
        """From the environment; an empty credentials.yml entry is the normal case."""
        settings = channel_settings("channels.slack.GuardedSlackInput", credentials,
                                    cls.CREDENTIALS)
        enabled = "credentials.yml enables the Slack channel (channels.slack.GuardedSlackInput)"
        token = require(settings.slack_bot_token, "SLACK_BOT_TOKEN",
                        f"{enabled}; set it to the app's Bot User OAuth Token (xoxb-...)")
        secret = require(settings.slack_signing_secret, "SLACK_SIGNING_SECRET",
                         f"{enabled}; set it to the app's Signing Secret, without which "
                         "requests from Slack can't be verified")
        if settings.is_production and not settings.slack_team_ids:
            raise ChannelConfigError(
                f"SLACK_TEAM_IDS must be set in production: {enabled}; set it to your "
                "workspace's team id (T…), or several separated by commas, so people of "
                "other organisations (Slack Connect) are not answered")
        return cls(token, secret, api_url=settings.slack_api_url,
                   team_ids=settings.slack_team_ids)

    def __init__(self, slack_token: Text, slack_signing_secret: Text, *,
                 api_url: Text = "https://slack.com/api/", proxy: Optional[Text] = None,
                 team_ids: Iterable[str] = ()) -> None:
        super().__init__(slack_token, slack_channel=None, proxy=proxy,
                         slack_retry_reason_header="x-slack-retry-reason",
                         slack_retry_number_header="x-slack-retry-num",
                         use_threads=True, slack_signing_secret=slack_signing_secret,
                         conversation_granularity="sender")
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self._recent = RecentKeys(ttl=3600.0)
        self._auth_test_user_ids: Optional[Set[str]] = None
        # Empty (development only): every team is answered.
        self.team_ids = frozenset(team_ids)

    # -- requests from Slack -------------------------------------------------------------

    def is_request_from_slack_authentic(self, request: Request) -> bool:
        """HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing secret, timestamp fresh."""
        timestamp = request.headers.get("X-Slack-Request-Timestamp") or ""
        signature = request.headers.get("X-Slack-Signature") or ""
        if not (timestamp.isascii() and timestamp.isdigit()) or not signature.startswith("v0="):
            return False
        if abs(time.time() - int(timestamp)) > MAX_REQUEST_AGE_SECONDS:
            return False
        base = b"v0:" + timestamp.encode("ascii") + b":" + (request.body or b"")
        expected = "v0=" + hmac.new(self.slack_signing_secret.encode("utf-8"), base,
                                    hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        deliver = guarded(on_new_message, verified_identity=True)
        blueprint = super().blueprint(deliver)
        deliver.attach(blueprint)

        @blueprint.middleware("request")
        async def verify_signature(request: Request) -> Optional[HTTPResponse]:
            # Before Rasa's handler (which would answer 400): unsigned, badly signed and
            # stale requests get 401 and are not read any further.
            if not request.path.rstrip("/").endswith("/webhook"):
                return None
            if not self.is_request_from_slack_authentic(request):
                logger.warning("refused a Slack request without a valid signature")
                return response.json({"error": "the request is not signed by Slack"},
                                     status=HTTPStatus.UNAUTHORIZED)
            if "application/json" in (request.headers.get("content-type") or ""):
                body = request.json if request.body else None
                if isinstance(body, dict) and body.get("type") == "url_verification":
                    return response.json({"challenge": body.get("challenge")})
            return None

        return limit_request_size(blueprint)

    async def process_message(self, request: Request, on_new_message: OnNewMessage,
                              text: Text, sender_id: Optional[Text],
                              metadata: Optional[Dict]) -> Any:
        """Hands one verified message to the guard, once, as ``TEAM:USER``."""
        delivery = delivery_from(request)
        if delivery is None:
            logger.warning("Slack message without a team, user or channel; not answered")
            return response.text("")
        if self.team_ids and delivery.team_id not in self.team_ids:
            logger.warning("refused a Slack message from team %s (not in SLACK_TEAM_IDS)",
                           delivery.team_id)
            return response.text("", headers=NO_RETRY)
        retry = request.headers.get(self.retry_num_header)
        first_delivery = self._recent.add(delivery.key)
        handled: Optional[bool] = False
        if first_delivery and retry:
            handled = await self._handled_elsewhere(request, delivery)
        if handled is None:
            # Answering could duplicate a reply, dropping could lose the message.
            self._recent.discard(delivery.key)
            return response.text("try again", status=HTTPStatus.SERVICE_UNAVAILABLE)
        if not first_delivery or handled:
            logger.info("Slack delivery %s (retry %s) was handled already; not answered again",
                        delivery.key, retry or "-")
            return response.text("", headers=NO_RETRY)
        if delivery.raw_text is not None:
            text = plain_text(delivery.raw_text,
                              await self._bot_user_ids((metadata or {}).get("users") or []),
                              max_length=services().settings.max_message_length)
        message = UserMessage(text, self.get_output_channel(delivery.channel, delivery.thread_ts),
                              delivery.sender_id, input_channel=self.name(),
                              message_id=delivery.key)
        task: asyncio.Task = asyncio.create_task(on_new_message(message))
        self._background_tasks.add(task)
        # Most turns finish well within Slack's 3 s: a message whose conversation
        # could not be read or saved is then answered 503, and Slack sends it again.
        await asyncio.wait({task}, timeout=ANSWER_WAIT_SECONDS)
        if task.done() and not task.cancelled() and isinstance(task.exception(), TryAgain):
            self._background_tasks.discard(task)
            self._recent.discard(delivery.key)
            logger.warning("Slack delivery %s not handled; Slack will retry", delivery.key)
            return response.text("try again", status=HTTPStatus.SERVICE_UNAVAILABLE)
        task.add_done_callback(functools.partial(self._finished, message))
        return response.text("")

    def _finished(self, message: UserMessage, task: asyncio.Task) -> None:
        self._background_tasks.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        error = task.exception()
        if isinstance(error, TryAgain):
            # Slack has its 200 already; the user is asked to send it again.
            notice = message.output_channel.send_text_message(message.sender_id, error.notice)
            retry_notice = asyncio.ensure_future(notice)
            self._background_tasks.add(retry_notice)
            retry_notice.add_done_callback(self._background_tasks.discard)
            return
        logger.error("a Slack message could not be answered: %s", type(error).__name__,
                     exc_info=error)

    async def _handled_elsewhere(self, request: Request, delivery: Delivery) -> Optional[bool]:
        """Whether the tracker store (shared by all Rasa servers) has this message already;
        None when it can't be read."""
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None:
            return None
        try:
            tracker = await agent.tracker_store.retrieve(delivery.sender_id)
        except Exception:  # unsure: Slack is asked to retry later
            logger.warning("could not check the tracker for Slack delivery %s", delivery.key,
                           exc_info=True)
            return None
        return tracker is not None and any(
            isinstance(event, UserUttered) and event.message_id == delivery.key
            for event in tracker.events)

    async def _bot_user_ids(self, from_payload: List[Text]) -> Set[str]:
        """The bot's user id: from the event's ``authorizations``, else from auth.test (once)."""
        ids = {u for u in from_payload if isinstance(u, str)}
        if ids:
            return ids
        if self._auth_test_user_ids is None:
            try:
                answer = await AsyncWebClient(token=self.slack_token, base_url=self.api_url,
                                              proxy=self.proxy).auth_test()
                self._auth_test_user_ids = {answer["user_id"]} if answer.get("user_id") else set()
            except Exception:  # mentions of the bot then read as "Person"
                logger.warning("Slack auth.test failed; cannot tell the bot's own mentions",
                               exc_info=True)
                return set()
        return self._auth_test_user_ids

    def get_output_channel(self, channel: Optional[Text] = None,
                           thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackReplies(self.slack_token, channel or self.slack_channel, thread_id,
                            self.api_url, self.proxy)
