"""Microsoft Teams (Azure Bot Service, Bot Framework protocol) behind the message guard.

credentials.yml::

    channels.teams.GuardedBotFrameworkInput:

Everything else comes from the environment (``passordhjelp.config``): TEAMS_APP_ID,
TEAMS_APP_PASSWORD, TEAMS_TENANT_ID, TEAMS_OPENID_METADATA_URL, TEAMS_AUTHORITY. The
Azure Bot's messaging endpoint is ``https://HOST/webhooks/botframework/webhook``.

Rasa's ``BotFrameworkInput`` falls short for a channel that files requests for the person
chatting: it fetches signing keys with blocking calls at start-up, checks neither the
token's issuer nor its service URL, knows nothing of tenants, uses the Teams user id
rather than the Entra object id, reads no button values and posts replies with blocking
calls to a hard-coded Microsoft login URL. This subclass keeps its name and URL
(``/webhooks/botframework/webhook``) and replaces the rest:

- every activity must carry ``Authorization: Bearer <JWT>`` signed (RS256) by a key from
  the OpenID metadata's ``jwks_uri``, issued by https://api.botframework.com for
  TEAMS_APP_ID (audience), unexpired (5 minutes' leeway), for the activity's
  ``serviceUrl`` and, when the key lists endorsements, for its ``channelId``: else 401;
- the activity must come from Teams (``channelId`` ``msteams``): other Bot Framework
  channels (Direct Line, Web Chat) let the client write ``from`` and ``channelData``, so
  they get 403;
- the activity's tenant (``conversation.tenantId``, ``channelData.tenant.id``) must be
  TEAMS_TENANT_ID: else 403;
- the sender id, the requester identity, is ``TENANT:AAD_OBJECT_ID``;
- ``<at>…</at>`` mentions of the bot are removed (other people's keep their name, so a
  request about someone else still reads as one); a button click (``value.payload``)
  becomes its payload;
- replies go to ``{serviceUrl}/v3/conversations/{id}/activities/{replyToId}`` with a token
  from MSAL (client credentials at TEAMS_AUTHORITY, cached and renewed); buttons are Hero card messageBack actions
  carrying ``{"payload": "/intent"}``;
- with TEAMS_HELPDESK_ADMIN_IDS, clicks on the helpdesk's cards (``passordhjelp.helpdesk_teams``:
  ``invoke`` ``adaptiveCard/action``, or a message with the ``Action.Submit`` fallback's
  ``value``) go to ``TeamsCardActions``; an invoke is answered at once with the card as it
  now stands or a refusal, a fallback's refusal is a reply. The app added to a team by a
  helpdesk admin (``conversationUpdate``) makes that team the helpdesk's; the app removed
  from that team (``membersRemoved``, ``installationUpdate`` remove) makes its cards wait.
"""

from __future__ import annotations

import asyncio
import datetime
import html
import json
import logging
import re
import time
from http import HTTPStatus
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple, cast
from urllib.parse import quote

import aiohttp
import jwt
import requests
from cachetools import TTLCache
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt import PyJWTError
from jwt.algorithms import RSAAlgorithm
from rasa.core.channels.botframework import BotFrameworkInput
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.common import PEOPLE_KEPT, channel_settings, first, json_object, recent_keys, require
from channels.guard import OnNewMessage, TryAgain, channel_blueprint
from passordhjelp.bootstrap import services
from passordhjelp.bot_connector import BotConnectorToken, member
from passordhjelp.helpdesk import require_helpdesk
from passordhjelp.helpdesk_teams import TeamsCardActions, card_action
from passordhjelp.identity import CONTACT, Requester
from passordhjelp.reset_requests import StoreUnavailable

logger = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
TEAMS_CHANNEL_ID = "msteams"
CLOCK_LEEWAY_SECONDS = 5 * 60
KEYS_MAX_AGE_SECONDS = 24 * 3600
# An unknown key id triggers a refresh at most this often (a forged kid can't make us
# hammer the metadata endpoint).
KEYS_REFRESH_INTERVAL_SECONDS = 5 * 60
HTTP_TIMEOUT_SECONDS = 15
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=HTTP_TIMEOUT_SECONDS)
# A chatter's e-mail is looked up once in this long, and not waited for longer than that.
MEMBER_CACHE_SECONDS = 5 * 60
MEMBER_TIMEOUT_SECONDS = 5.0

_BEARER = re.compile(r"^Bearer\s+([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
# Bounded repeats, no lazy ".*?": a message of unclosed "<at>" costs linear time.
_AT_MENTION = re.compile(r"<at(?:\s[^>]{0,256})?>([^<]{0,256})</at>", re.IGNORECASE)


class Refused(Exception):
    """The activity is not answered; ``status`` and ``reason`` go back to the caller."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def activity_text(activity: Dict[str, Any], *, max_length: int = 2000) -> str:
    """What the user said: a button's payload, or the text without mentions of the bot.

    A text longer than ``max_length`` is returned as it is: the guard refuses it.
    """
    value = activity.get("value")
    if (
        isinstance(value, dict)
        and isinstance(value.get("payload"), str)
        and value["payload"].strip()
    ):
        return value["payload"].strip()
    text = activity.get("text")
    if not isinstance(text, str):
        return ""
    if len(text) > max_length:
        return text
    bot = json_object(activity.get("recipient"))
    for entity in activity.get("entities") or []:
        if (
            isinstance(entity, dict)
            and entity.get("type") == "mention"
            and isinstance(entity.get("mentioned"), dict)
            and entity["mentioned"].get("id") == bot.get("id")
            and isinstance(entity.get("text"), str)
            and entity["text"]
        ):
            text = text.replace(entity["text"], " ")
    bot_name = (bot.get("name") or "").strip().casefold()
    text = _AT_MENTION.sub(
        lambda m: " " if bot_name and m.group(1).strip().casefold() == bot_name else m.group(1),
        text,
    )
    text = html.unescape(text).replace("\xa0", " ")
    return re.sub(r"[ \t]+", " ", text).strip()


def activity_tenant(activity: Dict[str, Any]) -> Optional[str]:
    """The activity's tenant, or None if it names none or two different ones."""
    conversation = json_object(activity.get("conversation"))
    tenant = json_object(json_object(activity.get("channelData")).get("tenant"))
    named = {
        t.lower()
        for t in (conversation.get("tenantId"), tenant.get("id"))
        if isinstance(t, str) and t
    }
    return named.pop() if len(named) == 1 else None


class TeamsReplies(OutputChannel):
    """Replies to one activity through the Bot Connector at its ``serviceUrl``."""

    @classmethod
    def name(cls) -> Text:
        return "botframework"

    def __init__(self, connector: "GuardedBotFrameworkInput", activity: Dict[str, Any]) -> None:
        self.connector = connector
        self.activity = activity

    def _reply(self, **fields: Any) -> Dict[str, Any]:
        activity = self.activity
        reply = {
            "type": "message",
            "from": activity.get("recipient"),
            "recipient": activity.get("from"),
            "conversation": activity.get("conversation"),
            "replyToId": activity.get("id"),
            "text": "",
            "textFormat": "markdown",
        }
        if not reply["replyToId"]:
            del reply["replyToId"]  # a proactive message starts its own thread
        if activity.get("locale"):
            reply["locale"] = activity["locale"]
        reply.update(fields)
        return reply

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.connector.post_reply(self.activity, self._reply(text=text))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        card_buttons = [
            {
                "type": "messageBack",
                "title": b["title"],
                "displayText": b["title"],
                "text": b["payload"],
                "value": {"payload": b["payload"]},
            }
            for b in buttons
        ]
        card = {
            "contentType": "application/vnd.microsoft.card.hero",
            "content": {"text": text, "buttons": card_buttons},
        }
        await self.connector.post_reply(self.activity, self._reply(attachments=[card]))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        card = {
            "contentType": "application/vnd.microsoft.card.hero",
            "content": {"images": [{"url": image}]},
        }
        await self.connector.post_reply(self.activity, self._reply(attachments=[card]))

    async def send_attachment(self, recipient_id: Text, attachment: Any, **kwargs: Any) -> None:
        attachments = attachment if isinstance(attachment, list) else [attachment]
        await self.connector.post_reply(self.activity, self._reply(attachments=attachments))

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        await self.connector.post_reply(self.activity, self._reply(**json_message))


def contact_of(activity: Dict[str, Any]) -> Dict[str, Any]:
    """The sender's name and the conversation reference, to reach them again later (the
    user's display name is in the signed activity; the e-mail is not: ``MemberEmails``)."""
    sender = json_object(activity.get("from"))
    return {
        "name": first(sender.get("name")),
        "reply_to": {
            "serviceUrl": activity.get("serviceUrl"),
            "conversation": {"id": json_object(activity.get("conversation")).get("id")},
            "recipient": activity.get("recipient"),
            "from": {"id": sender.get("id"), "name": sender.get("name")},
        },
    }


class MemberEmails:
    """A Teams chatter's e-mail or user principal name, which the activity does not carry:
    the Bot Connector's ``GET /v3/conversations/{id}/members/{userId}``, cached per user.

    It goes into the message's contact, so an address the chatter types is known as their
    own and the helpdesk sees it. A failed look-up is not cached and leaves it unknown.
    """

    def __init__(self, token: BotConnectorToken) -> None:
        self._token = token
        self._emails: TTLCache[str, str] = TTLCache(maxsize=PEOPLE_KEPT, ttl=MEMBER_CACHE_SECONDS)

    async def of(self, activity: Dict[str, Any], sender_id: str) -> Optional[str]:
        if (cached := self._emails.get(sender_id)) is not None:
            return cached
        service_url = str(activity.get("serviceUrl") or "")
        conversation = str(json_object(activity.get("conversation")).get("id") or "")
        user = str(json_object(activity.get("from")).get("id") or "")
        try:
            _, email = await asyncio.to_thread(
                member, self._token, service_url, conversation, user, timeout=MEMBER_TIMEOUT_SECONDS
            )
        except (requests.RequestException, ConnectionError, ValueError) as error:
            logger.warning("looking up a Teams chatter's e-mail failed: %s", type(error).__name__)
            return None
        if email:
            self._emails[sender_id] = email
        return email


class ProactiveReplies(OutputChannel):
    """Messages to a Teams requester outside a turn (a closed request, told through Rasa's
    API): posted into the conversation they filed the request in."""

    @classmethod
    def name(cls) -> Text:
        return "botframework"

    def __init__(self, connector: "GuardedBotFrameworkInput") -> None:
        self.connector = connector

    async def _replies(self, recipient_id: Text) -> TeamsReplies:
        reference = await asyncio.to_thread(
            require_helpdesk(services().helpdesk).reply_to, Requester(self.name(), recipient_id)
        )
        if not reference.get("serviceUrl") or not reference.get("conversation", {}).get("id"):
            raise ConnectionError("no Teams conversation is known for this requester")
        return TeamsReplies(self.connector, reference)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await (await self._replies(recipient_id)).send_text_message(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await (await self._replies(recipient_id)).send_text_with_buttons(
            recipient_id, text, buttons
        )


class GuardedBotFrameworkInput(BotFrameworkInput):
    """Teams through the Bot Framework: verified tokens, one tenant, Entra identities."""

    CREDENTIALS = {
        "app_id": "TEAMS_APP_ID",
        "app_password": "TEAMS_APP_PASSWORD",
        "tenant_id": "TEAMS_TENANT_ID",
        "openid_metadata_url": "TEAMS_OPENID_METADATA_URL",
        "authority": "TEAMS_AUTHORITY",
    }

    @classmethod
    def name(cls) -> Text:
        return "botframework"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedBotFrameworkInput":
        """From the environment; an empty credentials.yml entry is the normal case."""
        settings = channel_settings(
            "channels.teams.GuardedBotFrameworkInput", credentials, cls.CREDENTIALS
        )
        enabled = (
            "credentials.yml enables the Teams channel (channels.teams.GuardedBotFrameworkInput)"
        )
        return cls(
            require(
                settings.teams_app_id,
                "TEAMS_APP_ID",
                f"{enabled}; set it to the Azure Bot's Microsoft App ID",
            ),
            require(
                settings.teams_app_password,
                "TEAMS_APP_PASSWORD",
                f"{enabled}; set it to a client secret of that app registration",
            ),
            tenant_id=require(
                settings.teams_tenant_id,
                "TEAMS_TENANT_ID",
                f"{enabled}; set it to your Microsoft Entra tenant ID, the only "
                "tenant whose users the assistant answers",
            ),
            openid_metadata_url=settings.teams_openid_metadata_url,
            authority=settings.teams_authority,
            helpdesk_admin_ids=settings.teams_helpdesk_admin_ids,
            helpdesk_language=settings.helpdesk_language,
            channel_state_url=settings.channel_state_url,
        )

    def __init__(
        self,
        app_id: Text,
        app_password: Text,
        *,
        tenant_id: Text,
        openid_metadata_url: Text,
        authority: Text,
        helpdesk_admin_ids: Sequence[str] = (),
        helpdesk_language: str = "en",
        channel_state_url: Optional[str] = None,
    ) -> None:
        # Rasa's __init__ downloads the signing keys with blocking calls; keys are fetched
        # (asynchronously) on the first activity instead.
        self.app_id = app_id
        self.app_password = app_password
        self.tenant_id = tenant_id.lower()
        self.openid_metadata_url = openid_metadata_url
        self.authority = authority
        self.jwt_keys: Dict[Text, Any] = {}
        self.jwt_update_time = datetime.datetime.fromtimestamp(0)
        self._keys_fetched_at = 0.0
        self._keys_lock = asyncio.Lock()
        self.token = BotConnectorToken(
            app_id, app_password, authority=authority, timeout=HTTP_TIMEOUT_SECONDS
        )
        # The Bot Connector delivers an activity again when it had no answer in time, maybe
        # to another Rasa server (CHANNEL_STATE_URL shares what was handled).
        self._recent = recent_keys(channel_state_url, namespace="teams-activities")
        self.helpdesk_cards = TeamsCardActions(
            helpdesk_admin_ids, language=helpdesk_language, token=self.token
        )
        self.member_emails = MemberEmails(self.token)

    # -- incoming: who sent this? -----------------------------------------------------------

    async def _signing_keys(self, *, refresh: bool = False) -> Dict[str, Dict[str, Any]]:
        async with self._keys_lock:
            age = time.monotonic() - self._keys_fetched_at
            stale = not self.jwt_keys or age > KEYS_MAX_AGE_SECONDS
            if stale or (refresh and age > KEYS_REFRESH_INTERVAL_SECONDS):
                try:
                    self.jwt_keys = await self._fetch_signing_keys()
                    self._keys_fetched_at = time.monotonic()
                    self.jwt_update_time = datetime.datetime.now()
                except (
                    aiohttp.ClientError,
                    asyncio.TimeoutError,
                    ValueError,
                    KeyError,
                    TypeError,
                ) as error:
                    logger.error(
                        "could not fetch the Bot Framework signing keys from %s: %s",
                        self.openid_metadata_url,
                        error,
                    )
                    if not self.jwt_keys:
                        raise Refused(
                            HTTPStatus.SERVICE_UNAVAILABLE, "the signing keys are not available"
                        ) from None
            return self.jwt_keys

    async def _fetch_signing_keys(self) -> Dict[str, Dict[str, Any]]:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            async with session.get(self.openid_metadata_url) as answer:
                answer.raise_for_status()
                metadata = await answer.json(content_type=None)
            async with session.get(metadata["jwks_uri"]) as answer:
                answer.raise_for_status()
                jwks = await answer.json(content_type=None)
        keys = {
            key["kid"]: key
            for key in jwks["keys"]
            if isinstance(key, dict) and key.get("kty") == "RSA" and key.get("kid")
        }
        if not keys:
            raise ValueError("the key set has no RSA keys")
        return keys

    async def verified_claims(
        self, authorization: Optional[str]
    ) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """The token's claims and the key that signed it; ``Refused`` (401) if not valid."""
        match = _BEARER.match((authorization or "").strip())
        if not match:
            raise Refused(HTTPStatus.UNAUTHORIZED, "a Bot Framework bearer token is required")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except PyJWTError:
            raise Refused(HTTPStatus.UNAUTHORIZED, "the token is malformed") from None
        kid = header.get("kid")
        if header.get("alg") != "RS256" or not isinstance(kid, str):
            raise Refused(HTTPStatus.UNAUTHORIZED, "the token is not signed with RS256")
        keys = await self._signing_keys()
        if kid not in keys:
            keys = await self._signing_keys(refresh=True)
        if kid not in keys:
            raise Refused(HTTPStatus.UNAUTHORIZED, "the token's signing key is unknown")
        try:
            claims = jwt.decode(
                token,
                key=cast(RSAPublicKey, RSAAlgorithm.from_jwk(keys[kid])),
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=BOT_FRAMEWORK_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except PyJWTError as error:
            raise Refused(
                HTTPStatus.UNAUTHORIZED, f"the token is not valid ({type(error).__name__})"
            ) from None
        return claims, keys[kid]

    def check_activity(
        self, activity: Dict[str, Any], claims: Dict[str, Any], key: Dict[str, Any]
    ) -> str:
        """The activity's tenant, after checking it against the token and our tenant."""
        service_url = activity.get("serviceUrl")
        if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
            raise Refused(HTTPStatus.BAD_REQUEST, "the activity has no serviceUrl")
        if str(claims.get("serviceurl", "")).rstrip("/") != service_url.rstrip("/"):
            raise Refused(HTTPStatus.UNAUTHORIZED, "the token was issued for another serviceUrl")
        endorsements = key.get("endorsements")
        if isinstance(endorsements, list) and activity.get("channelId") not in endorsements:
            raise Refused(
                HTTPStatus.UNAUTHORIZED, "the signing key is not endorsed for the channel"
            )
        # Microsoft signs activities of every Bot Framework channel with the same keys; in
        # Direct Line or Web Chat the client writes `from` and `channelData` itself. Only
        # Teams fills in the tenant and the Entra object id.
        if activity.get("channelId") != TEAMS_CHANNEL_ID:
            raise Refused(HTTPStatus.FORBIDDEN, "this assistant answers Microsoft Teams only")
        tenant = activity_tenant(activity)
        if tenant != self.tenant_id:
            logger.warning("refused an activity from tenant %s", tenant or "(none)")
            raise Refused(HTTPStatus.FORBIDDEN, "this assistant serves one organisation only")
        return tenant

    # -- outgoing: replies through the Bot Connector ------------------------------------------

    async def _access_token(self, *, renew: bool = False) -> str:
        """A Bot Connector token (client credentials), cached and renewed by MSAL."""
        return await asyncio.to_thread(self.token.get, renew=renew)

    async def post_reply(self, activity: Dict[str, Any], reply: Dict[str, Any]) -> None:
        """POST the reply to {serviceUrl}/v3/conversations/{id}/activities/{activityId}."""
        conversation_id = quote(str(activity["conversation"]["id"]), safe="")
        url = f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{conversation_id}/activities"
        if activity.get("id"):
            url += f"/{quote(str(activity['id']), safe='')}"
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            for renew in (False, True):
                token = await self._access_token(renew=renew)
                async with session.post(
                    url, json=reply, headers={"Authorization": f"Bearer {token}"}
                ) as answer:
                    if answer.status == HTTPStatus.UNAUTHORIZED and not renew:
                        continue
                    if answer.status >= 300:
                        raise ConnectionError(
                            f"the Bot Connector answered HTTP {answer.status} to a reply"
                        )
                    return

    def get_output_channel(self) -> OutputChannel:
        """Used by Rasa's API (a closed request told to its requester): a proactive message."""
        return ProactiveReplies(self)

    # -- the webhook --------------------------------------------------------------------------

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint, deliver = channel_blueprint("passordhjelp_botframework", on_new_message)

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            try:
                claims, key = await self.verified_claims(request.headers.get("Authorization"))
                try:
                    activity = json.loads(request.body or b"")
                except (ValueError, UnicodeDecodeError):
                    raise Refused(
                        HTTPStatus.BAD_REQUEST, "the body must be a JSON activity"
                    ) from None
                if not isinstance(activity, dict):
                    raise Refused(HTTPStatus.BAD_REQUEST, "the body must be a JSON activity")
                tenant = self.check_activity(activity, claims, key)
            except Refused as refused:
                if refused.status == HTTPStatus.UNAUTHORIZED:
                    logger.warning("refused a Bot Framework request: %s", refused.reason)
                return response.json({"error": refused.reason}, status=refused.status)
            if self.helpdesk_cards.enabled:
                answered = await self._helpdesk(activity, tenant)
                if answered is not None:
                    return answered
            if activity.get("type") != "message":
                return response.json({}, status=HTTPStatus.OK)
            sender = json_object(activity.get("from"))
            aad_object_id = first(sender.get("aadObjectId"))
            conversation = activity.get("conversation")
            if not (
                aad_object_id
                and _GUID.match(aad_object_id)
                and isinstance(conversation, dict)
                and conversation.get("id")
            ):
                logger.warning("Teams message without an Entra user or conversation; not answered")
                return response.json({}, status=HTTPStatus.OK)
            if not await self._recent.add(f"{conversation['id']}|{activity.get('id')}"):
                logger.info("Teams activity %s was handled already", activity.get("id"))
                return response.json({}, status=HTTPStatus.OK)
            text = activity_text(activity, max_length=services().settings.max_message_length)
            sender_id = f"{tenant}:{aad_object_id.lower()}"
            contact = contact_of(activity)
            email = await self.member_emails.of(activity, sender_id)
            if email:
                contact["email"] = email
            message = UserMessage(
                text,
                TeamsReplies(self, activity),
                sender_id,
                input_channel=self.name(),
                message_id=first(activity.get("id")),
                metadata={CONTACT: contact},
            )
            try:
                await deliver(message)
            except TryAgain:
                # Not handled and nothing kept: the Connector may deliver it again.
                await self._recent.discard(f"{conversation['id']}|{activity.get('id')}")
                return response.json({"error": "try again"}, status=HTTPStatus.SERVICE_UNAVAILABLE)
            except Exception as error:  # answer the Connector either way
                logger.exception("a Teams message could not be answered: %s", type(error).__name__)
            return response.json({}, status=HTTPStatus.OK)

        return blueprint

    async def _helpdesk(self, activity: Dict[str, Any], tenant: str) -> Optional[HTTPResponse]:
        """A click on a helpdesk card, or the app added to a team or removed from one; None for
        anything else."""
        action = card_action(activity)
        if action is None and activity.get("type") not in (
            "conversationUpdate",
            "installationUpdate",
        ):
            return None
        fallback = activity.get("type") == "message"
        key = f"{activity.get('id')}|{action.reference if action else ''}"
        if fallback and not await self._recent.add(key):
            return response.json({}, status=HTTPStatus.OK)  # a redelivered fallback click
        try:
            helpdesk = require_helpdesk(services().helpdesk)
            if action is None:
                await asyncio.to_thread(self.helpdesk_cards.team_changed, helpdesk, activity)
                return response.json({}, status=HTTPStatus.OK)
            reply = await asyncio.to_thread(
                self.helpdesk_cards.act, helpdesk, activity, action, tenant=tenant
            )
        except StoreUnavailable:
            await self._recent.discard(key)
            return response.json({"error": "try again"}, status=HTTPStatus.SERVICE_UNAVAILABLE)
        if not fallback:
            return response.json(reply.invoke_response(), status=HTTPStatus.OK)
        # The Action.Submit fallback: the card is updated for everyone through the outbox;
        # a refusal goes into the card's thread.
        if reply.text:
            await TeamsReplies(self, activity).send_text_message("", reply.text)
        return response.json({}, status=HTTPStatus.OK)
