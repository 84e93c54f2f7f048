"""What the server tells the session's sockets it kept of each message (``message_kept``).

The page stores only this, so a password typed into the chat never stays in the browser.
A socket.io client in Python speaks the page's protocol to the real Rasa server.
"""

from __future__ import annotations

import queue

import pytest
import socketio

pytestmark = pytest.mark.slow

TIMEOUT_SECONDS = 30


@pytest.fixture
def chat(web_stack):
    """``say(text, id)``: sends one message and returns the server's ``message_kept``."""
    kept: queue.Queue = queue.Queue()
    confirmed: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.put)
    client.on("message_kept", kept.put)
    client.connect(
        web_stack.anonymous.url,
        transports=["polling"],
        socketio_path="socket.io",
        wait_timeout=TIMEOUT_SECONDS,
    )
    client.emit("session_request", {})
    confirmed.get(timeout=TIMEOUT_SECONDS)

    def say(text: str, message_id="m1", language="en"):
        client.emit("user_uttered", {"message": text, "id": message_id, "language": language})
        return kept.get(timeout=TIMEOUT_SECONDS)

    yield say
    client.disconnect()


def test_webchat_kept_text_is_the_message_without_its_password(chat):
    assert chat("my password is Sommer2024!") == {
        "id": "m1",
        "text": "my password is [secret removed]",
        "failed": False,
        "language": "en",
    }


def test_webchat_kept_text_names_the_conversations_language(chat):
    assert chat("jeg har glemt passordet mitt", "m2")["language"] == "nb"
    # "ok" doesn't tell: the language the page names is kept.
    assert chat("ok", "m3", language="nb")["language"] == "nb"


def test_webchat_kept_text_of_a_lone_password_and_of_a_message_not_kept(chat):
    assert chat("Sommer2024!", "m4")["text"] == "[secret removed]"
    assert chat("x" * 2001, "m5") == {"id": "m5", "text": "", "failed": False, "language": "en"}


def test_webchat_kept_text_answers_only_ids_it_can_echo(chat):
    assert chat("hello", '"><script>')["id"] is None
    assert chat("hello", "a" * 65)["id"] is None
