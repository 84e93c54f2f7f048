"""The one path from any chat channel into Rasa: checks, redaction, notices, identity flag."""

from __future__ import annotations

import logging
from typing import Any, Callable, Coroutine, List, Optional, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.common import limit_request_size

from passordhjelp.bootstrap import services
from passordhjelp.identity import CONTACT, VERIFIED_IDENTITY
from passordhjelp.language import language_of
from passordhjelp.message_guard import Inspection, Verdict
from runtime.tracker_store import ConversationStoreUnavailable

logger = logging.getLogger(__name__)

# The slot every conversation keeps its language in (domain.yml).
LANGUAGE_SLOT = "language"

_NOTICE_FOR_VERDICT = {
    Verdict.EMPTY: "empty",
    Verdict.TOO_LONG: "too_long",
    Verdict.RATE_LIMITED: "rate_limited",
    Verdict.UNCHECKED: "unchecked",
}

OnNewMessage = Callable[[UserMessage], Coroutine[Any, Any, Any]]


class TryAgain(Exception):
    """The message was not handled (its conversation could not be read, saved or locked)
    and nothing of it was kept: the channel asks the platform or the user to send it again.

    ``notice`` is the "try again" sentence in the conversation's language.
    """

    def __init__(self, notice: str) -> None:
        super().__init__("the message was not handled; it can be sent again")
        self.notice = notice


class ConversationLanguage:
    """The ``language`` slot of a conversation, read from the tracker store Rasa uses.

    Every Rasa server of a deployment shares that store, so a notice is in the
    conversation's language whichever server answers. The Sanic app (and with it
    Rasa's agent) is remembered when the channel's blueprint starts with the server.
    """

    def __init__(self) -> None:
        self._app: Any = None

    def attach(self, blueprint: Blueprint) -> None:
        @blueprint.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            self._app = app

    async def of(self, sender_id: str) -> Optional[str]:
        agent = getattr(getattr(self._app, "ctx", None), "agent", None)
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return None
        try:
            tracker = await store.retrieve(sender_id)
        except Exception:  # a notice must not fail on the tracker store
            logger.warning("could not read the conversation's language", exc_info=True)
            return None
        return tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None


class Guarded:
    """A channel's ``on_new_message`` behind the message guard.

    Calling it answers with the inspection: what of the text was kept. With
    ``verified_identity``, the ``contact`` the channel code put into the message's metadata
    is kept; everything else in the metadata is replaced.
    """

    def __init__(self, on_new_message: OnNewMessage, *, verified_identity: bool) -> None:
        self._on_new_message = on_new_message
        self._verified_identity = verified_identity
        self._conversation_language = ConversationLanguage()

    def attach(self, blueprint: Blueprint) -> None:
        """Let notices read the conversation's language once the server runs."""
        self._conversation_language.attach(blueprint)

    async def _language(self, message: UserMessage, inspection: Inspection) -> str:
        """The message's own language, else the conversation's, else the default."""
        stated = language_of(inspection.text or inspection.sample)
        if stated:
            return stated
        remembered = await self._conversation_language.of(message.sender_id)
        return remembered or services().settings.default_language

    async def __call__(
        self, message: UserMessage, client_address: Optional[str] = None
    ) -> Inspection:
        """``client_address``: the address of a client that talks to the server directly
        (web chat), so it is rate limited too."""
        app = services()
        inspection = app.message_guard.inspect(
            message.text,
            channel=message.input_channel or "unknown",
            sender_id=message.sender_id,
            client_address=client_address,
        )
        notices: List[Callable[[str], str]] = []
        if inspection.secrets:
            logger.warning(
                "removed %d secret(s) (%s) from a %s message",
                inspection.secrets,
                ", ".join(sorted(set(inspection.secret_kinds))),
                message.input_channel,
            )
            notices.append(
                lambda language: app.content.secret_notice(inspection.secret_kinds, language)
            )
        if inspection.verdict in _NOTICE_FOR_VERDICT:
            logger.info("message not passed on: %s", inspection.verdict.value)
            key = _NOTICE_FOR_VERDICT[inspection.verdict]
            notices.append(
                lambda language: app.content.notice(
                    key, language, limit=app.settings.max_message_length
                )
            )
        if notices:
            # Only a message that gets a notice needs its language worked out.
            language = await self._language(message, inspection)
            for notice in notices:
                await message.output_channel.send_text_message(message.sender_id, notice(language))
        if inspection.verdict is not Verdict.FORWARD:
            return inspection
        message.text = inspection.text
        # Whatever metadata a client sent is replaced; a verifying channel's contact stays.
        contact = (message.metadata or {}).get(CONTACT) if self._verified_identity else None
        message.metadata = {VERIFIED_IDENTITY: self._verified_identity}
        if isinstance(contact, dict):
            message.metadata[CONTACT] = contact
        try:
            await self._on_new_message(message)
        except (ConversationStoreUnavailable, LockError) as error:
            logger.warning(
                "a %s message was not handled (%s); asking to try again",
                message.input_channel,
                type(error).__name__,
            )
            # The conversation can't be read now: the message's own language or the default.
            language = (
                language_of(inspection.text or inspection.sample) or app.settings.default_language
            )
            raise TryAgain(app.content.notice("try_again", language)) from error
        return inspection


def guarded(on_new_message: OnNewMessage, *, verified_identity: bool) -> Guarded:
    """``on_new_message`` behind the message guard, for a channel's blueprint.

    Call ``attach(blueprint)`` on the result so notices can use the conversation's
    language; without it they use the message's own language or the default.
    """
    return Guarded(on_new_message, verified_identity=verified_identity)


def channel_blueprint(name: str, on_new_message: OnNewMessage) -> Tuple[Blueprint, Guarded]:
    """The blueprint of a channel that verifies who writes, and its one way into Rasa.

    ``on_new_message`` behind the message guard (notices in the conversation's language),
    ``GET /`` for health checks, and bodies over the size limit refused with 413. The
    channel adds its webhook route.
    """
    blueprint = limit_request_size(Blueprint(name))
    deliver = guarded(on_new_message, verified_identity=True)
    deliver.attach(blueprint)

    @blueprint.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return blueprint, deliver
