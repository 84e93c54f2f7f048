"""The whole helpdesk loop per helpdesk channel: a request filed in the signed-in web chat,
its message in the helpdesk channel, Resolve clicked there, the message updated, and the
requester told in the web chat (a socket.io client on the real server)."""

from __future__ import annotations

import threading
import time
import uuid

import jwt
import pytest
import socketio

from tests.channels.conftest import WEBCHAT_JWT_SECRET
from tests.channels.test_slack_helpdesk import (ADA, buttons, click, fields, helpdesk_post,
                                                wait_for_update)

pytestmark = pytest.mark.slow

SAY = {"en": ["I forgot my password", "yes", "yes"],
       "nb": ["jeg har glemt passordet mitt", "ja", "ja"]}
FILED = {"en": "Your reset request is filed", "nb": "Forespørselen er sendt"}
DONE = {"en": "an admin has reset your password", "nb": "En administrator har tilbakestilt"}


class WebChat:
    """A signed-in web chat user on the real socket.io channel."""

    def __init__(self, url: str, claims: dict) -> None:
        token = jwt.encode({**claims, "exp": int(time.time()) + 600}, WEBCHAT_JWT_SECRET,
                           algorithm="HS256")
        self.received: list = []
        self._arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self._on_reply)
        self.client.connect(url, transports=["polling"], auth={"token": token},
                            wait_timeout=20)
        self.client.emit("session_request", {})

    def _on_reply(self, data) -> None:
        with self._arrived:
            self.received.append(data.get("text") or "")
            self._arrived.notify_all()

    def say(self, text: str, *, until: str) -> str:
        """Sends ``text`` and returns the first new reply containing ``until``."""
        already = len(self.received)
        self.client.emit("user_uttered", {"message": text})
        return self.wait_for(until, after=already)

    def wait_for(self, text: str, *, after: int = 0, timeout: float = 40) -> str:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = [r for r in self.received[after:] if text in r]
                if found:
                    return found[0]
                left = deadline - time.monotonic()
                assert left > 0, f"no reply with {text!r}; got {self.received[after:]}"
                self._arrived.wait(left)

    def close(self) -> None:
        # Without abort, the client waits for the open long-poll (up to 25 s) to end.
        self.client.eio.disconnect(abort=True)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_helpdesk_loop_web_chat_to_slack_and_back(channel_stack, language):
    subject = f"kari.{uuid.uuid4().hex[:6]}@contoso.no"
    chat = WebChat(channel_stack.url, {"sub": subject, "name": "Kari Web",
                                       "preferred_username": subject})
    try:
        first, confirm, file = SAY[language]
        chat.say(first, until="")
        chat.say(confirm, until="")
        filed = chat.say(file, until=FILED[language])
        reference = filed.split("**")[1]

        post = helpdesk_post(channel_stack, reference)
        assert f"Kari Web <{subject}> ({subject})" in fields(post)
        assert "Channel:\nWeb chat" in fields(post)

        assert click(channel_stack, "resolve", reference, ADA).status_code == 200

        updated = wait_for_update(channel_stack, reference, "Closed by Ada Admin")
        assert buttons(updated) == []
        told = chat.wait_for(DONE[language])
        assert reference in told
    finally:
        chat.close()
