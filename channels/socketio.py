"""Rasa's socket.io channel (the web chat) behind the message guard."""

from __future__ import annotations

from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels.guard import OnNewMessage, guarded


class GuardedSocketIOInput(SocketIOInput):
    """Web chat: the browser picks its session id, so the identity is not verified and
    the assistant files no requests for it (it points to the helpdesk instead)."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        return super().blueprint(guarded(on_new_message, verified_identity=False))
