"""REST channel for development and tests: validated bodies, no client-chosen identity."""

from __future__ import annotations

import json
import logging
from typing import Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import OnNewMessage, TryAgain, channel_blueprint
from passordhjelp.bootstrap import services
from passordhjelp.identity import MAX_SENDER_ID_LENGTH, is_sane_sender_id

logger = logging.getLogger(__name__)


def _bad_request(message: str) -> HTTPResponse:
    return response.json({"error": message}, status=400)


class GuardedRestInput(RestInput):
    """``POST /webhooks/rest/webhook`` with ``{"sender": str, "message": str}``.

    The sender is whatever the client says, so REST identities are for local
    development only; with PASSORDHJELP_ENV=production the channel is off. A
    client can't pick another channel name or metadata.
    """

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint, deliver = channel_blueprint("passordhjelp_rest", on_new_message)

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if services().settings.is_production:
                return response.json(
                    {"error": "the REST channel is for development; it is off in production"},
                    status=404,
                )
            try:
                body = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return _bad_request("the body must be JSON")
            if not isinstance(body, dict):
                return _bad_request('the body must be a JSON object {"sender", "message"}')
            sender, text = body.get("sender"), body.get("message")
            sender = sender.strip() if isinstance(sender, str) else sender
            if not is_sane_sender_id(sender):
                return _bad_request(
                    f"sender must be 1-{MAX_SENDER_ID_LENGTH} letters, digits or @ . _ - : + = ' "
                    "(no spaces or markup)"
                )
            if not isinstance(text, str):
                return _bad_request("message must be a string")
            collector = CollectingOutputChannel()
            try:
                await deliver(UserMessage(text, collector, sender, input_channel="rest"))
            except TryAgain as again:
                # Retryable, and what a chat client shows says so in the user's language.
                return response.json(
                    [{"recipient_id": sender, "text": again.notice}],
                    status=503,
                    headers={"Retry-After": "2"},
                )
            except Exception:  # never echo the text into logs
                logger.exception("REST message from %s could not be handled", sender)
                return response.json(
                    {"error": "the assistant could not answer; try again"}, status=503
                )
            return response.json(collector.messages)

        return blueprint
