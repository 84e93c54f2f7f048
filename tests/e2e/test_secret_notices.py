"""Secret notices over the real servers: the kind removed, the conversation's language, the web chat echo."""

import re
import threading
import uuid

import pytest
import socketio

pytestmark = pytest.mark.slow

NORWEGIAN_WARNING = "regn det som avslørt"
ENGLISH_WARNING = "treat it as exposed"


def test_secret_notices_follow_a_norwegian_conversation_when_the_message_does_not_tell(rasa_stack):
    sender = f"notice-nb-{uuid.uuid4().hex[:8]}"
    rasa_stack.say(sender, "jeg har glemt passordet mitt")

    [lone_secret] = rasa_stack.say(sender, "Kanari-4Rt8#mw")      # says nothing of its language
    [empty] = rasa_stack.say(sender, "   ")

    assert NORWEGIAN_WARNING in lone_secret["text"] and "et passord" in lone_secret["text"]
    assert empty["text"].startswith("Jeg fikk ingen tekst")
    assert "Kanari-4Rt8#mw" not in rasa_stack.everything_stored()


def test_secret_notices_are_english_in_an_english_conversation(rasa_stack):
    sender = f"notice-en-{uuid.uuid4().hex[:8]}"
    rasa_stack.say(sender, "I forgot my password")

    [lone_secret] = rasa_stack.say(sender, "Kanari-9Zq2#pv")

    assert ENGLISH_WARNING in lone_secret["text"] and "a password" in lone_secret["text"]


@pytest.mark.parametrize("message, secret, named", [
    ("PIN-koden min er 4821, hjelp", "4821", "engangskode eller PIN-kode"),
    ("my BitLocker recovery key is 123456-234567-345678-456789-567890-678901-789012-890123",
     "123456-234567-345678-456789-567890-678901-789012-890123", "recovery key"),
    ("our client secret is abc8Q~aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5 - is that safe?",
     "abc8Q~aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5", "access token"),
])
def test_secret_notices_name_the_kind_removed(rasa_stack, message, secret, named):
    sender = f"notice-kind-{uuid.uuid4().hex[:8]}"
    replies = rasa_stack.say(sender, message)

    assert named in replies[0]["text"]
    # Not as a token of its own: a short PIN can stand inside the digits of a
    # stored confidence score ("0.0064821...") without being the PIN.
    standalone = re.compile(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])")
    assert not standalone.search(rasa_stack.everything_stored())


def test_secret_notices_are_not_sent_when_nothing_was_removed(rasa_stack):
    sender = f"notice-none-{uuid.uuid4().hex[:8]}"
    replies = rasa_stack.say(sender, "my password expired, reference PH-7K3QXA, error AADSTS50126")

    assert replies and not any(ENGLISH_WARNING in r.get("text", "") for r in replies)


def test_secret_notices_web_chat_keeps_only_the_redacted_text(rasa_stack):
    client = socketio.Client()
    kept, replies = [], []
    confirmed, told = threading.Event(), threading.Event()
    client.on("session_confirm", lambda _: confirmed.set())
    client.on("message_kept", lambda data: (kept.append(data), told.set()))
    client.on("bot_uttered", replies.append)
    client.connect(rasa_stack.url, socketio_path="socket.io", transports=["polling"])
    try:
        session = uuid.uuid4().hex
        client.emit("session_request", {"session_id": session})
        assert confirmed.wait(30)
        client.emit("user_uttered", {"message": "passordet mitt er Kanari-7Wq3#xz, hjelp",
                                     "session_id": session, "id": "m1"})
        assert told.wait(60)
    finally:
        client.disconnect()

    assert kept == [{"id": "m1", "text": "passordet mitt er [secret removed], hjelp",
                     "failed": False, "language": "nb"}]
    assert NORWEGIAN_WARNING in replies[0]["text"]
