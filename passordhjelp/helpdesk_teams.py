"""The helpdesk's Teams channel: each request as an Adaptive Card (1.5) with Take, Resolve and
Reject, posted by the bot into the helpdesk team's channel and kept up to date for everyone.

Cards go out through the outbox (``publish``) with the Bot Connector's REST API
(``passordhjelp.bot_connector``): ``POST /v3/conversations/{id}/activities`` the first time,
then ``PUT /v3/conversations/{id}/activities/{activityId}`` after every move, whoever made
it (a click here, in Slack, or the admin command). Where the cards go: the conversation in
TEAMS_HELPDESK_CONVERSATION_ID (at TEAMS_HELPDESK_SERVICE_URL), or else the team a helpdesk
admin installed the app in (its ``conversationUpdate``, kept by ``TeamsCardActions``).

The buttons are ``Action.Execute`` (Universal Actions), each with an ``Action.Submit``
``fallback`` for clients without them; Reject opens a field for the reason under the card.
A click comes back to the Teams channel adapter (``channels/teams.py``) as an ``invoke``
``adaptiveCard/action`` (or, from the fallback, a message with a ``value``), verified like
every activity; ``TeamsCardActions`` checks who clicked (TEAMS_HELPDESK_ADMIN_IDS), moves the
request with ``passordhjelp.helpdesk`` and says what the clicking admin sees: the card as it
now stands (in the helpdesk's language, as everyone sees it), or why nothing changed, in
their own language (the activity's ``locale``).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Protocol, Tuple

import requests

from passordhjelp.bot_connector import (
    BotConnectorToken,
    member,
    member_profile,
    send_activity,
    update_activity,
)
from passordhjelp.helpdesk import (
    MAX_REASON_LENGTH,
    Actor,
    Handling,
    HelpdeskService,
    Move,
    MoveOutcome,
)
from passordhjelp.helpdesk_message import (
    HelpdeskMessage,
    helpdesk_message,
    member_language,
    refusal,
    text,
)
from passordhjelp.identity import printable
from passordhjelp.outbox import DeliveryError, Undeliverable
from passordhjelp.reset_requests import (
    ResetRequest,
    ResetRequestService,
    StoreUnavailable,
    utcnow,
)

logger = logging.getLogger(__name__)

TARGET = "teams"
# Rasa's name of the Teams channel: the ``channel`` of requests filed there, and of actors.
TEAMS_CHANNEL_NAME = "botframework"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_CONTENT_TYPE = "application/vnd.microsoft.activity.message"
CARD_ACTION_INVOKE = "adaptiveCard/action"
# The Bot Connector's answer (403) to a bot posting where it is no longer a member.
NOT_IN_CONVERSATION = "BotNotInConversationRoster"
# Action.Execute verbs (and the Action.Submit fallback's ``verb`` in its data).
VERB_PREFIX = "helpdesk_"
REASON_INPUT = "reason"
# How long an admin's e-mail, looked up in the Bot Connector, is kept.
PROFILE_CACHE_SECONDS = 5 * 60
# The click waits for the lookup; Teams gives an invoke a few seconds.
PROFILE_TIMEOUT_SECONDS = 3.0

_MOVE_STYLE = {Move.RESOLVE: "positive", Move.REJECT: "destructive"}
_REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,16}$")
_GUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


def _object(value: Any) -> Dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (for fields a client may omit)."""
    return value if isinstance(value, dict) else {}


def language_of(locale: Any) -> str:
    """``nb`` for a Norwegian Teams client (``nb-NO``, ``nn-NO``, ``no``), else ``en``."""
    return member_language(locale)


def _literal(value: str, **style: Any) -> Dict[str, Any]:
    """``value`` shown as it is: a ``TextRun`` renders no Markdown, so a display name or a
    reason can't become a link, a list or emphasis."""
    return {
        "type": "RichTextBlock",
        "inlines": [{"type": "TextRun", "text": " ".join(printable(str(value)).split()), **style}],
    }


def _execute(
    move: Move, title: str, reference: str, *, with_reason: bool = False
) -> Dict[str, Any]:
    """An ``Action.Execute`` with an ``Action.Submit`` fallback carrying the same verb."""
    inputs = "auto" if with_reason else "none"
    verb = f"{VERB_PREFIX}{move.value}"
    action: Dict[str, Any] = {
        "type": "Action.Execute",
        "verb": verb,
        "title": title,
        "data": {"reference": reference},
        "associatedInputs": inputs,
        "fallback": {
            "type": "Action.Submit",
            "title": title,
            "associatedInputs": inputs,
            "data": {"verb": verb, "reference": reference},
        },
    }
    if move in _MOVE_STYLE:
        action["style"] = action["fallback"]["style"] = _MOVE_STYLE[move]
    return action


def card(message: HelpdeskMessage, language: str) -> Dict[str, Any]:
    """The request as an Adaptive Card 1.5: title, facts, what to do, the moves still possible."""
    body: List[Dict[str, Any]] = [_literal(message.title, weight="Bolder", size="Medium")]
    # Label and value side by side, like a FactSet, whose values would render Markdown.
    body += [
        {
            "type": "ColumnSet",
            "spacing": "Small",
            "columns": [
                {"type": "Column", "width": "100px", "items": [_literal(label, weight="Bolder")]},
                {"type": "Column", "width": "stretch", "items": [_literal(value)]},
            ],
        }
        for label, value in message.facts
    ]
    if message.to_do:
        body.append(
            {
                "type": "TextBlock",
                "text": message.to_do,
                "wrap": True,
                "isSubtle": True,
                "size": "Small",
            }
        )
    actions: List[Dict[str, Any]] = []
    for move, label in message.moves:
        if move is not Move.REJECT:
            actions.append(_execute(move, label, message.reference))
            continue
        # Reject asks for the reason first, in a field that opens under the card.
        actions.append(
            {
                "type": "Action.ShowCard",
                "title": label,
                "card": {
                    "type": "AdaptiveCard",
                    "body": [
                        {
                            "type": "Input.Text",
                            "id": REASON_INPUT,
                            "isMultiline": True,
                            "maxLength": MAX_REASON_LENGTH,
                            "isRequired": True,
                            "label": text("reject_label", language),
                            "placeholder": text("reject_hint", language),
                            "errorMessage": text("reason_needed", language),
                        }
                    ],
                    "actions": [
                        _execute(
                            Move.REJECT,
                            text("reject_submit", language),
                            message.reference,
                            with_reason=True,
                        )
                    ],
                },
            }
        )
    out: Dict[str, Any] = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "body": body,
        # The whole width of the channel: the facts have room beside their labels.
        "msteams": {"width": "Full"},
    }
    if actions:
        out["actions"] = actions
    return out


def card_activity(message: HelpdeskMessage, language: str) -> Dict[str, Any]:
    """A message activity carrying the card (for posting and for updating)."""
    return {
        "type": "message",
        "summary": message.title,
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card(message, language)}],
    }


class ConversationStore(Protocol):
    """Where the Teams helpdesk's cards and their requests are kept
    (``passordhjelp.repository.SqlHelpdeskStore``)."""

    def handling(self, reference: str) -> Handling: ...

    def save_profile(
        self, reference: str, *, name: Optional[str], email: Optional[str]
    ) -> None: ...

    def save_post(self, reference: str, target: str, post: Dict[str, Any]) -> None: ...

    def helpdesk_conversation(self, target: str) -> Dict[str, Any]: ...


class TeamsHelpdesk:
    """``HelpdeskChannel`` for a channel of the helpdesk's team in Teams."""

    def __init__(
        self,
        token: BotConnectorToken,
        *,
        requests_service: ResetRequestService,
        store: ConversationStore,
        language: str,
        conversation_id: Optional[str] = None,
        service_url: Optional[str] = None,
        timeout: float = 10.0,
    ) -> None:
        self._token = token
        self._requests = requests_service
        self._store = store
        self._language = language
        self._configured = (
            (service_url, conversation_id) if conversation_id and service_url else None
        )
        self._timeout = timeout

    def publish(self, reference: str, *, posted_since: Optional[datetime]) -> None:
        # ``posted_since`` goes unused: the Bot Connector can't read a channel's messages
        # back (that takes Microsoft Graph and a permission to read them, which this app
        # does not ask for), so a worker killed between sending and keeping the activity id
        # sends the card again.
        request = self._requests.get(reference)
        handling = self._with_profile(request, self._store.handling(request.reference))
        activity = card_activity(
            helpdesk_message(request, handling, self._language), self._language
        )
        post = handling.posts.get(TARGET)
        if post:
            removed = self._store.helpdesk_conversation(TARGET)
            if _object(removed.get("removed")).get("conversation") == post.get("conversation"):
                raise DeliveryError(_removed_error(removed))
        try:
            if post:
                update_activity(
                    self._token,
                    post["serviceUrl"],
                    post["conversation"],
                    post["activityId"],
                    activity,
                    timeout=self._timeout,
                )
                return
            service_url, conversation = self._where()
            activity_id = send_activity(
                self._token, service_url, conversation, activity, timeout=self._timeout
            )
        except (requests.RequestException, ConnectionError, ValueError) as error:
            if _error_code(error) == NOT_IN_CONVERSATION:
                # The app was removed while nobody was told (the server was down, say).
                raise Undeliverable(
                    f"Teams: {NOT_IN_CONVERSATION}: the app is no longer in the helpdesk "
                    "team; have a helpdesk admin add it again (or set "
                    "TEAMS_HELPDESK_CONVERSATION_ID), then run: python -m passordhjelp.admin "
                    "notifications retry"
                ) from None
            raise DeliveryError(f"Teams: {_reason(error)}") from None
        self._store.save_post(
            request.reference,
            TARGET,
            {"serviceUrl": service_url, "conversation": conversation, "activityId": activity_id},
        )

    def requester_label(self, reference: str) -> Optional[str]:
        request = self._requests.get(reference)
        handling = self._with_profile(request, self._store.handling(request.reference))
        return handling.known_requester_label(request)

    def _where(self) -> Tuple[str, str]:
        """(service URL, conversation id) of the helpdesk channel."""
        if self._configured:
            return self._configured
        reference = self._store.helpdesk_conversation(TARGET)
        if reference.get("removed"):
            raise DeliveryError(_removed_error(reference))
        service_url = reference.get("serviceUrl")
        conversation = _object(reference.get("conversation")).get("id")
        if not (
            isinstance(service_url, str)
            and service_url
            and isinstance(conversation, str)
            and conversation
        ):
            raise DeliveryError(
                "Teams: no helpdesk conversation yet; set "
                "TEAMS_HELPDESK_CONVERSATION_ID or have a helpdesk admin add "
                "the app to the helpdesk team"
            )
        return service_url, conversation

    def _with_profile(self, request: ResetRequest, handling: Handling) -> Handling:
        """A Teams requester's name and user principal name from the Bot Connector (the
        members of the conversation they filed from), kept with the request once known."""
        if handling.requester_email or request.channel != TEAMS_CHANNEL_NAME:
            return handling
        try:
            name, email = member_profile(self._token, handling.reply_to, timeout=self._timeout)
        except (requests.RequestException, ConnectionError, ValueError) as error:
            # The card still goes out, with what is known.
            logger.warning("looking up a Teams requester failed: %s", _reason(error))
            return handling
        if not (name or email):
            return handling
        self._store.save_profile(
            request.reference, name=name or handling.requester_name, email=email
        )
        return self._store.handling(request.reference)


def _removed_error(reference: Dict[str, Any]) -> str:
    """Why a card waits once the app was removed from the helpdesk's team."""
    return (
        f"Teams: the app was removed from the helpdesk team "
        f"({_object(reference.get('removed')).get('at')}); have a helpdesk admin add it to "
        "the helpdesk team again, or set TEAMS_HELPDESK_CONVERSATION_ID"
    )


def _error_code(error: Exception) -> Optional[str]:
    """The Bot Connector's ``error.code`` in a refused call's answer, if any."""
    if not (isinstance(error, requests.HTTPError) and error.response is not None):
        return None
    try:
        code = _object(_object(error.response.json()).get("error")).get("code")
    except ValueError:
        return None
    return code if isinstance(code, str) else None


def _reason(error: Exception) -> str:
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"HTTP {error.response.status_code}"
    return type(error).__name__


def _team_of(activity: Dict[str, Any]) -> Tuple[Optional[str], str]:
    """(team id, conversation id) of a team's ``conversationUpdate`` or ``installationUpdate``."""
    team = _object(_object(activity.get("channelData")).get("team")).get("id")
    conversation = str(_object(activity.get("conversation")).get("id") or "")
    return (team if isinstance(team, str) and team else None), conversation.split(";", 1)[0]


@dataclass(frozen=True)
class CardAction:
    """A click on a helpdesk card: the move, the request and, for Reject, the reason."""

    move: Move
    reference: str
    reason: Optional[str] = None


def card_action(activity: Dict[str, Any]) -> Optional[CardAction]:
    """The helpdesk click an activity carries: an ``adaptiveCard/action`` invoke, or the
    message an ``Action.Submit`` fallback sends; None if it carries none of ours."""
    value = activity.get("value")
    if not isinstance(value, dict):
        return None
    if activity.get("type") == "invoke" and activity.get("name") == CARD_ACTION_INVOKE:
        action = _object(value.get("action"))
        verb, data = action.get("verb"), action.get("data")
    elif activity.get("type") == "message":
        verb, data = value.get("verb"), value
    else:
        return None
    if not (isinstance(verb, str) and verb.startswith(VERB_PREFIX) and isinstance(data, dict)):
        return None
    try:
        move = Move(verb[len(VERB_PREFIX) :])
    except ValueError:
        return None
    reference, reason = data.get("reference"), data.get(REASON_INPUT)
    if not (isinstance(reference, str) and _REFERENCE.match(reference)):
        return None
    reason = reason.strip()[:MAX_REASON_LENGTH] if isinstance(reason, str) else None
    return CardAction(move, reference.upper(), reason or None)


@dataclass(frozen=True)
class CardReply:
    """What the clicking admin sees: the card as it now stands, or why nothing changed."""

    card: Optional[Dict[str, Any]] = None
    text: Optional[str] = None

    def invoke_response(self) -> Dict[str, Any]:
        """The body of the HTTP 200 answering an ``adaptiveCard/action`` invoke."""
        if self.card is not None:
            return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": self.card}
        return {"statusCode": 200, "type": MESSAGE_CONTENT_TYPE, "value": self.text or ""}


class TeamsCardActions:
    """Clicks on the helpdesk's cards, and the app being added to the helpdesk team.

    Only the Entra object ids in TEAMS_HELPDESK_ADMIN_IDS may act; the requester never acts
    on their own request (the helpdesk service refuses it, also by e-mail, which is looked up
    in the Bot Connector when a token is given).
    """

    def __init__(
        self,
        admin_ids: Iterable[str],
        *,
        language: str = "en",
        token: Optional[BotConnectorToken] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._admins: FrozenSet[str] = frozenset(i.lower() for i in admin_ids)
        self._language = language
        self._token = token
        self._clock = clock
        self._emails: Dict[str, Tuple[float, Optional[str]]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self._admins)

    def is_admin(self, object_id: Any) -> bool:
        return isinstance(object_id, str) and object_id.lower() in self._admins

    def act(
        self,
        helpdesk: HelpdeskService,
        activity: Dict[str, Any],
        action: CardAction,
        *,
        tenant: str,
    ) -> CardReply:
        """Moves the request as the clicking admin (blocking: call it from a thread)."""
        language = language_of(activity.get("locale"))
        sender = _object(activity.get("from"))
        object_id = str(sender.get("aadObjectId") or "").lower()
        if not (_GUID.match(object_id) and self.is_admin(object_id)):
            logger.info(
                "a Teams user outside TEAMS_HELPDESK_ADMIN_IDS clicked %s", action.move.value
            )
            return CardReply(text=text("not_member", language))
        if action.move is Move.REJECT and not action.reason:
            return CardReply(text=text("reason_needed", language))
        name = sender.get("name") if isinstance(sender.get("name"), str) else None
        actor = Actor(
            TEAMS_CHANNEL_NAME,
            f"{tenant}:{object_id}",
            name=name or None,
            email=self._email(activity, object_id),
        )
        try:
            result = helpdesk.move(action.reference, action.move, actor, reason=action.reason)
        except StoreUnavailable:
            return CardReply(text=text("unavailable", language))
        request, handling = result.request, result.handling
        done = result.outcome is MoveOutcome.DONE or (
            # The same click again (a retry): it did move the request, so the same answer.
            result.outcome is MoveOutcome.ALREADY
            and handling is not None
            and str(actor)
            == (handling.taken_by if action.move is Move.TAKE else handling.closed_by)
        )
        if done and request is not None and handling is not None:
            # The card as everyone will see it once its update arrives (the same language).
            return CardReply(
                card=card(helpdesk_message(request, handling, self._language), self._language)
            )
        return CardReply(text=refusal(result, action.reference, language))

    def team_changed(self, helpdesk: HelpdeskService, activity: Dict[str, Any]) -> bool:
        """The app added to a team or removed from it; whether the helpdesk's team changed."""
        return self.installed(helpdesk, activity) or self.removed(helpdesk, activity)

    def installed(self, helpdesk: HelpdeskService, activity: Dict[str, Any]) -> bool:
        """Keeps the team's conversation as the helpdesk's when a helpdesk admin added the
        app to a team (a ``conversationUpdate`` with the bot among ``membersAdded``)."""
        if activity.get("type") != "conversationUpdate":
            return False
        bot = _object(activity.get("recipient")).get("id")
        added = [_object(m).get("id") for m in activity.get("membersAdded") or []]
        team, conversation = _team_of(activity)
        if not (bot and bot in added and team and conversation):
            return False
        sender = _object(activity.get("from"))
        if not self.is_admin(sender.get("aadObjectId")):
            logger.warning(
                "the app was added to a team by someone outside "
                "TEAMS_HELPDESK_ADMIN_IDS; its cards don't go there"
            )
            return False
        helpdesk.save_helpdesk_conversation(
            TARGET,
            {
                "serviceUrl": activity.get("serviceUrl"),
                "conversation": {"id": conversation},
                "team": {"id": team},
            },
        )
        logger.info("the helpdesk's Teams cards go to the team the app was added to")
        return True

    def removed(self, helpdesk: HelpdeskService, activity: Dict[str, Any]) -> bool:
        """Forgets the helpdesk's team when the app is removed from it (a
        ``conversationUpdate`` with the bot among ``membersRemoved``, or an
        ``installationUpdate`` ``remove``), whoever removed it: the bot can't post there
        any more. Its cards then wait, saying so, until a helpdesk admin adds the app to a
        team again; a removal from another team changes nothing."""
        kind = activity.get("type")
        bot = _object(activity.get("recipient")).get("id")
        if kind == "conversationUpdate":
            gone = bool(bot) and bot in [
                _object(m).get("id") for m in activity.get("membersRemoved") or []
            ]
        else:
            gone = kind == "installationUpdate" and activity.get("action") == "remove"
        team, conversation = _team_of(activity)
        if not (gone and team):
            return False
        stored = helpdesk.helpdesk_conversation(TARGET)
        if _object(stored.get("team")).get("id") != team:
            return False
        helpdesk.save_helpdesk_conversation(
            TARGET,
            {
                "removed": {
                    "team": team,
                    "conversation": conversation,
                    "at": f"{utcnow():%Y-%m-%d %H:%M} UTC",
                }
            },
        )
        logger.warning(
            "the app was removed from the helpdesk's team; Teams cards wait until a "
            "helpdesk admin adds it to a team again"
        )
        return True

    def _email(self, activity: Dict[str, Any], object_id: str) -> Optional[str]:
        """The clicking admin's e-mail or user principal name (cached), so that nobody works
        a request they filed from another channel under the same address."""
        if self._token is None:
            return None
        with self._lock:
            cached = self._emails.get(object_id)
        if cached and self._clock() - cached[0] < PROFILE_CACHE_SECONDS:
            return cached[1]
        user = _object(activity.get("from")).get("id")
        conversation = str(_object(activity.get("conversation")).get("id") or "").split(";")[0]
        try:
            _, email = member(
                self._token,
                str(activity.get("serviceUrl") or ""),
                conversation,
                str(user or ""),
                timeout=PROFILE_TIMEOUT_SECONDS,
            )
        except (requests.RequestException, ConnectionError, ValueError) as error:
            logger.warning("looking up a helpdesk admin in Teams failed: %s", _reason(error))
            return None
        with self._lock:
            self._emails[object_id] = (self._clock(), email)
        return email
