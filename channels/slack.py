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
  a request's update, sent later through Rasa's API, goes where the request was asked for
  (the thread, or the direct messages), as stored with the request;
- the Web API base URL is configurable, and replies use Slack's mrkdwn.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import logging
import re
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import (
    Any,
    Callable,
    Coroutine,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Optional,
    Set,
    Text,
    Tuple,
)
from urllib.parse import parse_qs

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.shared.core.events import UserUttered
import aiohttp
from cachetools import TTLCache
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from channels.common import (
    PEOPLE_KEPT,
    ChannelConfigError,
    channel_settings,
    first,
    recent_keys,
    require,
)
from channels.guard import OnNewMessage, TryAgain, channel_blueprint
from passordhjelp import helpdesk_slack
from passordhjelp.bootstrap import services
from passordhjelp.helpdesk import Actor, Move, require_helpdesk
from passordhjelp.helpdesk_message import member_language
from passordhjelp.helpdesk_message import refusal as refusal_text
from passordhjelp.helpdesk_message import text as helpdesk_text
from passordhjelp.identity import CONTACT, Requester
from passordhjelp.reset_requests import StoreUnavailable

logger = logging.getLogger(__name__)

# What another person's mention becomes; a title-case word in both languages, so the
# other-account patterns ("reset Person's password", "passordet til Person") still match.
OTHER_PERSON = "Person"
NO_RETRY = {"X-Slack-No-Retry": "1"}
MEMBERS_CACHE_SECONDS = 5 * 60
# A person's profile that takes longer is not waited for: the message goes on without it,
# well within the three seconds Slack gives a request (ANSWER_WAIT_SECONDS).
PROFILE_TIMEOUT_SECONDS = 1.0
# How long a request waits for its turn before Slack gets its 200 (it allows 3 s).
ANSWER_WAIT_SECONDS = 2.0

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")
_SENDER_ID = re.compile(r"^[TE][A-Z0-9]{2,}:[UW][A-Z0-9]{2,}$")
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
    key: str  # the same for every delivery of the same message or click
    thread_ts: Optional[str]  # where replies go; None in direct messages
    raw_text: Optional[str]  # the event's text (None for a button click)

    @property
    def sender_id(self) -> str:
        return f"{self.team_id}:{self.user_id}"


def _is_direct_message(channel: str, channel_type: Any) -> bool:
    return channel_type == "im" or channel.startswith("D")


def delivery_from(body: Dict[str, Any], *, interactive: bool) -> Optional[Delivery]:
    """Who wrote what where, from an event callback or an interactivity payload."""
    if not interactive:
        event = body.get("event") or {}
        team_id = first(event.get("user_team"), event.get("team"), body.get("team_id"))
        user_id, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
        thread_ts = first(event.get("thread_ts"), ts)
        raw_text = event.get("text")
        key = f"{channel}:{ts}" if channel and ts else first(body.get("event_id"))
        channel_type = event.get("channel_type")
    else:
        user = body.get("user") or {}
        team_id = first(user.get("team_id"), (body.get("team") or {}).get("id"))
        user_id, channel = user.get("id"), (body.get("channel") or {}).get("id")
        message = body.get("message") or body.get("container") or {}
        thread_ts = first(message.get("thread_ts"), message.get("ts"), message.get("message_ts"))
        action = (body.get("actions") or [{}])[0]
        key = first(
            f"action:{action['action_ts']}" if action.get("action_ts") else None,
            body.get("trigger_id"),
        )
        raw_text, channel_type = None, None
    if not (
        isinstance(user_id, str)
        and _USER_ID.match(user_id)
        and isinstance(team_id, str)
        and _TEAM_ID.match(team_id)
        and isinstance(channel, str)
        and channel
        and key
    ):
        return None
    if _is_direct_message(channel, channel_type):
        thread_ts = None
    return Delivery(
        team_id, user_id, channel, key, thread_ts, raw_text if isinstance(raw_text, str) else None
    )


class SlackReplies(SlackBot):
    """Replies through the Web API at ``api_url``, in the thread when there is one."""

    def __init__(
        self,
        token: Text,
        channel: Optional[Text],
        thread_ts: Optional[Text],
        api_url: Text,
        proxy: Optional[Text] = None,
    ) -> None:
        super().__init__(token, channel, thread_ts, proxy)
        self.client = AsyncWebClient(token=token, base_url=api_url, proxy=proxy)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        if _SENDER_ID.match(channel):
            # A requester's id (TEAM:USER): chat.postMessage to a user id opens the DM.
            channel = channel.split(":", 1)[1]
        # as_user is for classic apps only; "type" is no chat.postMessage argument
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        if isinstance(kwargs.get("text"), str):
            kwargs["text"] = to_mrkdwn(kwargs["text"])
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        await self.client.chat_postMessage(
            channel=channel, unfurl_links=False, unfurl_media=False, **kwargs
        )

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) > 5:  # Slack drops all buttons of a message with more than five
            return await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
        elements = [
            {
                "type": "button",
                "action_id": f"button_{index}",
                "text": {"type": "plain_text", "text": button["title"][:75]},
                "value": button["payload"],
            }
            for index, button in enumerate(buttons)
        ]
        blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": to_mrkdwn(text)}},
            {"type": "actions", "elements": elements},
        ]
        await self._post_message(
            channel=self.slack_channel or recipient_id, text=text, blocks=blocks
        )


_CONVERSATION_ID = re.compile(r"^[CDG][A-Z0-9]{2,}$")
# chat.postMessage errors of a conversation the bot can no longer post to.
_GONE = frozenset({"channel_not_found", "not_in_channel", "is_archived", "thread_not_found"})
_TS = re.compile(r"^[0-9]{1,12}\.[0-9]{1,9}$")


def reply_target(recipient_id: str, reply_to: Dict[str, Any]) -> Tuple[str, Optional[str]]:
    """Where a message to a requester outside a turn goes: (channel, thread ts).

    ``reply_to`` is what the channel stored with their latest request (the conversation
    and thread they asked in): in a channel, the reply goes into that thread; in a direct
    message, or when nothing usable is stored, into their direct messages with the app.
    """
    channel, thread_ts = reply_to.get("channel"), reply_to.get("thread_ts")
    if isinstance(channel, str) and _CONVERSATION_ID.match(channel):
        if _is_direct_message(channel, None):
            return channel, None
        if isinstance(thread_ts, str) and _TS.match(thread_ts):
            return channel, thread_ts
    return recipient_id, None


class ProactiveSlackReplies(SlackReplies):
    """Messages to a Slack requester outside a turn (a closed request, told through Rasa's
    API): into the thread they asked in, or their direct messages with the app."""

    def __init__(self, token: Text, api_url: Text, proxy: Optional[Text] = None) -> None:
        super().__init__(token, None, None, api_url, proxy)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        # Without a conversation of its own, ``channel`` is the recipient's id (TEAM:USER).
        reply_to: Dict[str, Any] = {}
        if _SENDER_ID.match(channel):
            try:
                reply_to = await asyncio.to_thread(
                    require_helpdesk(services().helpdesk).reply_to, Requester(self.name(), channel)
                )
            except StoreUnavailable:
                logger.warning(
                    "where the requester asked is unknown (database unavailable); "
                    "telling them in a direct message"
                )
        target, thread_ts = reply_target(channel, reply_to)
        # The thread of this one message; the next may go to another requester.
        self.thread_id = thread_ts
        try:
            await super()._post_message(target, **kwargs)
        except SlackApiError as error:
            if target == channel or error.response.get("error") not in _GONE:
                raise
            # The channel was archived or left since: their direct messages, then.
            logger.warning(
                "Slack: the requester's conversation is gone (%s); telling them "
                "in a direct message",
                error.response.get("error"),
            )
            self.thread_id = None
            await super()._post_message(channel, **kwargs)


@dataclass(frozen=True)
class Profile:
    """A Slack user as ``users.info`` describes them (language: their Slack locale's)."""

    name: Optional[str]
    email: Optional[str]
    language: str


class Profiles:
    """Who a Slack user is (``users.info``: name, e-mail, locale), cached for five minutes.

    Used for a helpdesk member who clicks and for a person who chats: their e-mail goes into
    the message's contact, so the address they type is known as their own and the helpdesk
    sees it. A failed look-up is not cached and leaves the e-mail unknown.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        language: str = "en",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._language = language
        self._profiles: TTLCache[str, Profile] = TTLCache(
            maxsize=PEOPLE_KEPT, ttl=MEMBERS_CACHE_SECONDS, timer=clock
        )

    async def of(self, user_id: str) -> Profile:
        cached = self._profiles.get(user_id)
        if cached is not None:
            return cached
        try:
            info = await asyncio.wait_for(
                self._client.users_info(user=user_id, include_locale=True), PROFILE_TIMEOUT_SECONDS
            )
            name, email = helpdesk_slack.profile_of(info)
            locale = (info["user"] or {}).get("locale")
        except (
            SlackClientError,
            aiohttp.ClientError,
            OSError,
            asyncio.TimeoutError,
            KeyError,
            TypeError,
        ) as error:
            logger.warning("Slack users.info failed: %s", type(error).__name__)
            return Profile(None, None, self._language)
        profile = Profile(name, email, member_language(locale) if locale else self._language)
        self._profiles[user_id] = profile
        return profile


class HelpdeskClicks:
    """Clicks on the helpdesk's messages (``passordhjelp.helpdesk_slack``): who may act,
    the Reject modal, and what a member is told when a click can't be carried out.

    Only helpdesk members may act: the user ids in HELPDESK_SLACK_MEMBERS, or else the
    members of HELPDESK_SLACK_CHANNEL (``conversations.members``, cached for five minutes).
    Every click is acknowledged at once; the work runs after the answer. What only the
    clicking person sees (a refusal, the Reject modal) is in their Slack language
    (``users.info`` ``locale``, cached for five minutes), as in Teams; the message
    everyone sees is in the helpdesk's.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        channel: str,
        *,
        members: Iterable[str] = (),
        language: str = "en",
        team_ids: Iterable[str] = (),
        channel_state_url: Optional[str] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._team_ids = frozenset(team_ids)
        self._channel = channel
        self._allow_list = frozenset(members)
        self._clock = clock
        self._members: Tuple[float, FrozenSet[str]] = (float("-inf"), frozenset())
        self._profiles = Profiles(client, language=language, clock=clock)
        # Slack retries a click it had no answer to within three seconds, maybe to
        # another Rasa server.
        self._recent = recent_keys(channel_state_url, namespace="slack-clicks")
        self.tasks: Set[asyncio.Task] = set()

    @staticmethod
    def handles(body: Dict[str, Any]) -> bool:
        if body.get("type") == "block_actions":
            action = (body.get("actions") or [{}])[0]
            return helpdesk_slack.move_of(action.get("action_id")) is not None
        return (
            body.get("type") == "view_submission"
            and (body.get("view") or {}).get("callback_id") == helpdesk_slack.REJECT_CALLBACK_ID
        )

    async def is_member(self, user_id: str) -> bool:
        if self._allow_list:
            return user_id in self._allow_list
        fetched_at, members = self._members
        if self._clock() - fetched_at > MEMBERS_CACHE_SECONDS:
            try:
                found: Set[str] = set()
                async for page in await self._client.conversations_members(
                    channel=self._channel, limit=1000
                ):
                    found.update(page.get("members") or [])
                self._members = (self._clock(), frozenset(found))
            except SlackClientError as error:
                # Unsure who is a member: nobody is, until Slack answers again.
                logger.error("Slack conversations.members failed: %s", type(error).__name__)
                return user_id in members
        return user_id in self._members[1]

    async def on_interaction(self, body: Dict[str, Any]) -> HTTPResponse:
        """Answers a verified click or modal submission within Slack's three seconds."""
        user = body.get("user") or {}
        user_id, team_id = (
            user.get("id"),
            first(user.get("team_id"), (body.get("team") or {}).get("id")),
        )
        if not (
            isinstance(user_id, str)
            and _USER_ID.match(user_id)
            and isinstance(team_id, str)
            and _TEAM_ID.match(team_id)
        ):
            return response.text("")
        if self._team_ids and team_id not in self._team_ids:
            logger.warning("refused a helpdesk click from team %s (not in SLACK_TEAM_IDS)", team_id)
            return response.text("", headers=NO_RETRY)
        if body["type"] == "view_submission":
            view = body.get("view") or {}
            reason = (
                ((view.get("state") or {}).get("values") or {}).get(helpdesk_slack.REASON_BLOCK)
                or {}
            ).get(helpdesk_slack.REASON_ACTION) or {}
            refusal = await self._move(
                team_id,
                user_id,
                Move.REJECT,
                str(view.get("private_metadata") or ""),
                reason=reason.get("value"),
            )
            if refusal:
                return response.json(
                    {"response_action": "errors", "errors": {helpdesk_slack.REASON_BLOCK: refusal}}
                )
            return response.text("")
        action = (body.get("actions") or [{}])[0]
        move = helpdesk_slack.move_of(action.get("action_id"))
        if move is None:
            return response.text("")  # not one of our buttons (handles() lets none through)
        reference = str(action.get("value") or "")
        if not await self._recent.add(f"{action.get('action_ts')}|{user_id}|{reference}"):
            return response.text("", headers=NO_RETRY)  # a retried click: done already
        channel = (body.get("channel") or {}).get("id") or self._channel
        if move is Move.REJECT:
            # The modal has to open within three seconds of the click (its trigger_id).
            if await self.is_member(user_id):
                profile = await self._profile(user_id)
                await self._client.views_open(
                    trigger_id=body.get("trigger_id"),
                    view=helpdesk_slack.reject_view(reference, profile.language),
                )
            else:
                self._later(self._refuse_stranger(channel, user_id))
            return response.text("")

        async def work() -> None:
            refusal = await self._move(team_id, user_id, move, reference)
            if refusal:
                await self._tell(channel, user_id, refusal)

        self._later(work())
        return response.text("")

    async def _move(
        self,
        team_id: str,
        user_id: str,
        move: Move,
        reference: str,
        *,
        reason: Optional[str] = None,
    ) -> Optional[str]:
        """Moves the request as the clicking member; the refusal to show, if any."""
        if not await self.is_member(user_id):
            logger.info("a Slack user outside the helpdesk clicked %s", move.value)
            return helpdesk_text("not_member", (await self._profile(user_id)).language)
        profile = await self._profile(user_id)
        actor = Actor("slack", f"{team_id}:{user_id}", name=profile.name, email=profile.email)
        try:
            result = await asyncio.to_thread(
                require_helpdesk(services().helpdesk).move, reference, move, actor, reason=reason
            )
        except StoreUnavailable:
            return helpdesk_text("unavailable", profile.language)
        return refusal_text(result, reference, profile.language)

    async def _refuse_stranger(self, channel: str, user_id: str) -> None:
        logger.info("a Slack user outside the helpdesk clicked reject")
        language = (await self._profile(user_id)).language
        await self._tell(channel, user_id, helpdesk_text("not_member", language))

    async def _profile(self, user_id: str) -> Profile:
        """The clicking person's name, e-mail and language (``users.info``), cached."""
        return await self._profiles.of(user_id)

    async def _tell(self, channel: str, user_id: str, message: str) -> None:
        """Only the clicking member sees it."""
        await self._client.chat_postEphemeral(channel=channel, user=user_id, text=message)

    def _later(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(lambda done: _finished(self.tasks, done, "a helpdesk click"))


def _finished(tasks: Set[asyncio.Task], task: asyncio.Task, what: str) -> None:
    tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        error = task.exception()
        logger.error("%s could not be handled: %s", what, type(error).__name__, exc_info=error)


def parsed_body(request: Request) -> Tuple[Optional[Dict[str, Any]], bool]:
    """The request's JSON body, or its form's ``payload``, and whether it was the form."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
    try:
        if content_type == "application/json":
            body = json.loads(request.body or b"")
            return (body if isinstance(body, dict) else None), False
        if content_type == "application/x-www-form-urlencoded":
            payload = parse_qs((request.body or b"").decode("utf-8")).get("payload") or [""]
            body = json.loads(payload[0])
            return (body if isinstance(body, dict) else None), True
    except (ValueError, UnicodeDecodeError):
        pass
    return None, False


class GuardedSlackInput(SlackInput):
    """Slack's Events API and interactivity behind the guard; identities are verified."""

    CREDENTIALS = {
        "slack_token": "SLACK_BOT_TOKEN",
        "slack_signing_secret": "SLACK_SIGNING_SECRET",
        "slack_api_url": "SLACK_API_URL",
        "slack_team_ids": "SLACK_TEAM_IDS",
    }

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedSlackInput":
        """From the environment; an empty credentials.yml entry is the normal case."""
        settings = channel_settings(
            "channels.slack.GuardedSlackInput", credentials, cls.CREDENTIALS
        )
        enabled = "credentials.yml enables the Slack channel (channels.slack.GuardedSlackInput)"
        token = require(
            settings.slack_bot_token,
            "SLACK_BOT_TOKEN",
            f"{enabled}; set it to the app's Bot User OAuth Token (xoxb-...)",
        )
        secret = require(
            settings.slack_signing_secret,
            "SLACK_SIGNING_SECRET",
            f"{enabled}; set it to the app's Signing Secret, without which "
            "requests from Slack can't be verified",
        )
        if settings.is_production and not settings.slack_team_ids:
            raise ChannelConfigError(
                f"SLACK_TEAM_IDS must be set in production: {enabled}; set it to your "
                "workspace's team id (T…), or several separated by commas, so people of "
                "other organisations (Slack Connect) are not answered"
            )
        return cls(
            token,
            secret,
            api_url=settings.slack_api_url,
            team_ids=settings.slack_team_ids,
            helpdesk_channel=settings.helpdesk_slack_channel,
            helpdesk_members=settings.helpdesk_slack_members,
            helpdesk_language=settings.helpdesk_language,
            channel_state_url=settings.channel_state_url,
        )

    def __init__(
        self,
        slack_token: Text,
        slack_signing_secret: Text,
        *,
        api_url: Text = "https://slack.com/api/",
        proxy: Optional[Text] = None,
        team_ids: Iterable[str] = (),
        helpdesk_channel: Optional[Text] = None,
        helpdesk_members: Iterable[str] = (),
        helpdesk_language: str = "en",
        channel_state_url: Optional[str] = None,
    ) -> None:
        super().__init__(
            slack_token,
            slack_channel=None,
            proxy=proxy,
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
            use_threads=True,
            slack_signing_secret=slack_signing_secret,
            conversation_granularity="sender",
        )
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.verifier = SignatureVerifier(slack_signing_secret)
        self.client = AsyncWebClient(token=slack_token, base_url=self.api_url, proxy=proxy)
        self.profiles = Profiles(self.client)
        # Empty (development only): every team is answered.
        self.team_ids = frozenset(team_ids)
        self.helpdesk = (
            HelpdeskClicks(
                self.client,
                helpdesk_channel,
                members=helpdesk_members,
                language=helpdesk_language,
                team_ids=self.team_ids,
                channel_state_url=channel_state_url,
            )
            if helpdesk_channel
            else None
        )
        # Slack retries an event it had no answer to within three seconds, maybe to
        # another Rasa server (CHANNEL_STATE_URL shares what was handled).
        self._recent = recent_keys(channel_state_url, namespace="slack-events")
        self._auth_test_user_ids: Optional[Set[str]] = None

    # -- requests from Slack -------------------------------------------------------------

    def is_request_from_slack_authentic(self, request: Request) -> bool:
        """Signed with the signing secret (slack_sdk's verifier), timestamp within 5 minutes."""
        timestamp = request.headers.get("X-Slack-Request-Timestamp") or ""
        if not (timestamp.isascii() and timestamp.isdigit()):
            return False
        return self.verifier.is_valid(
            request.body or b"", timestamp, request.headers.get("X-Slack-Signature") or ""
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint, deliver = channel_blueprint("slack_webhook", on_new_message)

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            # Verified and parsed once; unsigned, badly signed and stale requests get 401
            # and are not read any further.
            if not self.is_request_from_slack_authentic(request):
                logger.warning("refused a Slack request without a valid signature")
                return response.json(
                    {"error": "the request is not signed by Slack"}, status=HTTPStatus.UNAUTHORIZED
                )
            body, interactive = parsed_body(request)
            if body is None:
                return response.json(
                    {"error": "the body is not a Slack event or payload"},
                    status=HTTPStatus.BAD_REQUEST,
                )
            if body.get("type") == "url_verification":
                return response.json({"challenge": body.get("challenge")})
            if interactive:
                if self.helpdesk is not None and self.helpdesk.handles(body):
                    return await self.helpdesk.on_interaction(body)
                action = (body.get("actions") or [{}])[0]
                if body.get("type") != "block_actions" or not isinstance(action.get("value"), str):
                    return response.text("")
                return await self.process_message(
                    request, deliver, action["value"], None, {"body": body, "interactive": True}
                )
            if not (
                self._is_user_message(body)
                and (self._is_direct_message(body) or self._is_app_mention(body))
            ):
                return response.text("")
            return await self.process_message(
                request, deliver, "", None, {"body": body, "interactive": False}
            )

        return blueprint

    async def process_message(
        self,
        request: Request,
        on_new_message: OnNewMessage,
        text: Text,
        sender_id: Optional[Text],
        metadata: Optional[Dict],
    ) -> Any:
        """Hands one verified message to the guard, once, as ``TEAM:USER``.

        ``metadata`` carries the parsed ``body`` and whether it was an ``interactive``
        payload (a button click, whose ``text`` is the button's value).
        """
        body = (metadata or {}).get("body") or {}
        delivery = delivery_from(body, interactive=bool((metadata or {}).get("interactive")))
        if delivery is None:
            logger.warning("Slack message without a team, user or channel; not answered")
            return response.text("")
        if self.team_ids and delivery.team_id not in self.team_ids:
            logger.warning(
                "refused a Slack message from team %s (not in SLACK_TEAM_IDS)", delivery.team_id
            )
            return response.text("", headers=NO_RETRY)
        retry = request.headers.get(self.retry_num_header)
        first_delivery = await self._recent.add(delivery.key)
        handled: Optional[bool] = False
        if first_delivery and retry:
            handled = await self._handled_elsewhere(request, delivery)
        if handled is None:
            # Answering could duplicate a reply, dropping could lose the message.
            await self._recent.discard(delivery.key)
            return response.text("try again", status=HTTPStatus.SERVICE_UNAVAILABLE)
        if not first_delivery or handled:
            logger.info(
                "Slack delivery %s (retry %s) was handled already; not answered again",
                delivery.key,
                retry or "-",
            )
            return response.text("", headers=NO_RETRY)
        if delivery.raw_text is not None:
            authorizations = body.get("authorizations") or []
            text = plain_text(
                delivery.raw_text,
                await self._bot_user_ids(
                    [a.get("user_id") for a in authorizations if isinstance(a, dict)]
                ),
                max_length=services().settings.max_message_length,
            )
        message = UserMessage(
            text,
            self.get_output_channel(delivery.channel, delivery.thread_ts),
            delivery.sender_id,
            input_channel=self.name(),
            message_id=delivery.key,
            metadata={
                CONTACT: {
                    "reply_to": {"channel": delivery.channel, "thread_ts": delivery.thread_ts}
                }
            },
        )
        task: asyncio.Task = asyncio.create_task(
            self._with_profile(message, delivery.user_id, on_new_message)
        )
        self._background_tasks.add(task)
        # Most turns finish well within Slack's 3 s: a message whose conversation
        # could not be read or saved is then answered 503, and Slack sends it again.
        await asyncio.wait({task}, timeout=ANSWER_WAIT_SECONDS)
        if task.done() and not task.cancelled() and isinstance(task.exception(), TryAgain):
            self._background_tasks.discard(task)
            await self._recent.discard(delivery.key)
            logger.warning("Slack delivery %s not handled; Slack will retry", delivery.key)
            return response.text("try again", status=HTTPStatus.SERVICE_UNAVAILABLE)
        task.add_done_callback(functools.partial(self._finished, message))
        return response.text("")

    async def _with_profile(
        self, message: UserMessage, user_id: str, on_new_message: OnNewMessage
    ) -> Any:
        """Hands the message on with the sender's name and e-mail in its contact: Slack
        events carry neither, and a typed address is the chatter's own only if it is the
        one their profile has (``users.info``, cached; unknown when that fails)."""
        profile = await self.profiles.of(user_id)
        contact = (message.metadata or {}).get(CONTACT) or {}
        contact.update(
            {
                key: value
                for key, value in (("name", profile.name), ("email", profile.email))
                if value
            }
        )
        return await on_new_message(message)

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
        logger.error(
            "a Slack message could not be answered: %s", type(error).__name__, exc_info=error
        )

    async def _handled_elsewhere(self, request: Request, delivery: Delivery) -> Optional[bool]:
        """Whether the tracker store (shared by all Rasa servers) has this message already;
        None when it can't be read."""
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None:
            return None
        try:
            tracker = await agent.tracker_store.retrieve(delivery.sender_id)
        except Exception:  # unsure: Slack is asked to retry later
            logger.warning(
                "could not check the tracker for Slack delivery %s", delivery.key, exc_info=True
            )
            return None
        return tracker is not None and any(
            isinstance(event, UserUttered) and event.message_id == delivery.key
            for event in tracker.events
        )

    async def _bot_user_ids(self, from_payload: Iterable[Any]) -> Set[str]:
        """The bot's user id: from the event's ``authorizations``, else from auth.test (once)."""
        ids = {u for u in from_payload if isinstance(u, str)}
        if ids:
            return ids
        if self._auth_test_user_ids is None:
            try:
                answer = await self.client.auth_test()
                self._auth_test_user_ids = {answer["user_id"]} if answer.get("user_id") else set()
            except Exception:  # mentions of the bot then read as "Person"
                logger.warning(
                    "Slack auth.test failed; cannot tell the bot's own mentions", exc_info=True
                )
                return set()
        return self._auth_test_user_ids

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        """Replies where the message came from; without a channel (a request update sent
        through Rasa's API), where the requester asked: the thread, or the direct messages."""
        if not (channel or self.slack_channel):
            return ProactiveSlackReplies(self.slack_token, self.api_url, self.proxy)
        return SlackReplies(
            self.slack_token, channel or self.slack_channel, thread_id, self.api_url, self.proxy
        )
