"""The one path from any chat channel into Rasa: checks, redaction, notices, identity flag."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

from passordhjelp.bootstrap import services
from passordhjelp.language import detect_language
from passordhjelp.message_guard import Verdict

logger = logging.getLogger(__name__)

# Set by our channel code only; whatever metadata a client sends is replaced.
VERIFIED_IDENTITY = "verified_identity"

_NOTICE_FOR_VERDICT = {
    Verdict.EMPTY: "empty",
    Verdict.TOO_LONG: "too_long",
    Verdict.RATE_LIMITED: "rate_limited",
}

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def guarded(on_new_message: OnNewMessage, *, verified_identity: bool) -> OnNewMessage:
    """``on_new_message`` behind the message guard, for a channel's blueprint.

    The returned ``deliver(message, client_address=None)`` takes the address of a client
    that talks to the server directly (web chat, REST), so it is rate limited too.
    """

    async def deliver(message: UserMessage, client_address: Optional[str] = None) -> None:
        app = services()
        inspection = app.message_guard.inspect(
            message.text, channel=message.input_channel or "unknown",
            sender_id=message.sender_id, client_address=client_address,
        )

        async def notify(key: str) -> None:
            # Only a message that gets a notice needs its language worked out.
            language = detect_language(inspection.text or inspection.sample,
                                       default=app.settings.default_language)
            await message.output_channel.send_text_message(
                message.sender_id,
                app.content.notice(key, language, limit=app.settings.max_message_length))

        if inspection.secrets:
            logger.warning("removed %d secret(s) from a %s message", inspection.secrets,
                           message.input_channel)
            await notify("secret_exposed")
        if inspection.verdict in _NOTICE_FOR_VERDICT:
            logger.info("message not passed on: %s", inspection.verdict.value)
            await notify(_NOTICE_FOR_VERDICT[inspection.verdict])
        if inspection.verdict is not Verdict.FORWARD:
            return
        message.text = inspection.text
        message.metadata = {VERIFIED_IDENTITY: verified_identity}
        await on_new_message(message)

    return deliver
