"""The one path from any chat channel into Rasa: checks, redaction, notices, identity flag."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Coroutine

from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError

from passordhjelp.bootstrap import services
from passordhjelp.identity import CONTACT, VERIFIED_IDENTITY
from passordhjelp.language import detect_language
from passordhjelp.message_guard import Inspection, Verdict
from runtime.tracker_store import ConversationStoreUnavailable

logger = logging.getLogger(__name__)

_NOTICE_FOR_VERDICT = {
    Verdict.EMPTY: "empty",
    Verdict.TOO_LONG: "too_long",
    Verdict.RATE_LIMITED: "rate_limited",
}

OnNewMessage = Callable[[UserMessage], Coroutine[Any, Any, Any]]
Deliver = Callable[[UserMessage], Awaitable[Inspection]]


class TryAgain(Exception):
    """The message was not handled (its conversation could not be read, saved or locked)
    and nothing of it was kept: the channel asks the platform or the user to send it again.

    ``notice`` is the "try again" sentence in the message's language.
    """

    def __init__(self, notice: str) -> None:
        super().__init__("the message was not handled; it can be sent again")
        self.notice = notice


def guarded(on_new_message: OnNewMessage, *, verified_identity: bool) -> Deliver:
    """``on_new_message`` behind the message guard, for a channel's blueprint.

    With ``verified_identity``, the ``contact`` the channel code put into the message's
    metadata is kept; everything else in the metadata is replaced.

    The returned function answers with the inspection: what of the text was kept.
    """

    async def deliver(message: UserMessage) -> Inspection:
        app = services()
        inspection = app.message_guard.inspect(
            message.text, channel=message.input_channel or "unknown",
            sender_id=message.sender_id,
        )
        def notice(key: str) -> str:
            # Only a message that gets a notice needs its language worked out.
            raw = message.text if isinstance(message.text, str) else ""
            language = detect_language(inspection.text or raw[:200],
                                       default=app.settings.default_language)
            return app.content.notice(key, language, limit=app.settings.max_message_length)

        async def notify(key: str) -> None:
            await message.output_channel.send_text_message(message.sender_id, notice(key))

        if inspection.secrets:
            logger.warning("removed %d secret(s) from a %s message", inspection.secrets,
                           message.input_channel)
            await notify("secret_exposed")
        if inspection.verdict in _NOTICE_FOR_VERDICT:
            logger.info("message not passed on: %s", inspection.verdict.value)
            await notify(_NOTICE_FOR_VERDICT[inspection.verdict])
        if inspection.verdict is not Verdict.FORWARD:
            return inspection
        message.text = inspection.text
        # Whatever metadata a client sent is replaced; a verifying channel's contact stays.
        contact = (message.metadata or {}).get(CONTACT) if verified_identity else None
        message.metadata = {VERIFIED_IDENTITY: verified_identity}
        if isinstance(contact, dict):
            message.metadata[CONTACT] = contact
        try:
            await on_new_message(message)
        except (ConversationStoreUnavailable, LockError) as error:
            logger.warning("a %s message was not handled (%s); asking to try again",
                           message.input_channel, type(error).__name__)
            raise TryAgain(notice("try_again")) from error
        return inspection

    return deliver
