"""The helpdesk hears of filed requests and handoffs without slowing the user's reply."""

import time
import uuid

import pytest

pytestmark = pytest.mark.slow


def test_helpdesk_is_notified_of_a_filed_request_in_the_background(rasa_stack, helpdesk_webhook):
    sender = f"loop-{uuid.uuid4().hex[:8]}"
    already = len(helpdesk_webhook.received)
    helpdesk_webhook.script = ["hang"]
    rasa_stack.say(sender, "I forgot my password")
    rasa_stack.say(sender, "yes")
    [filed] = rasa_stack.say(sender, "yes")           # answered while the webhook hangs
    reference = filed["text"].split("**")[1]

    posts = helpdesk_webhook.wait_for(already + 1)
    assert not helpdesk_webhook.release.is_set()      # the reply did not wait for it
    helpdesk_webhook.release.set()
    text = str(posts[already]["body"])
    assert reference in text and sender in text
    assert "I forgot my password" not in text


def test_helpdesk_gets_a_handoff_summary_without_text(rasa_stack, helpdesk_webhook):
    sender = f"handoff-{uuid.uuid4().hex[:8]}"
    already = len(helpdesk_webhook.received)
    rasa_stack.say(sender, "my account is locked")
    # The pending offer ends first ("Then I won't file a request ..."), then the handoff.
    [cancelled, reply] = rasa_stack.say(sender, "I want to talk to a real person")

    assert "I won't file a request" in cancelled["text"]
    assert "I've told the IT helpdesk" in reply["text"]
    text = str(helpdesk_webhook.wait_for(already + 1)[already]["body"])
    assert "account_locked" in text and "human_handoff" in text and sender in text
    assert "my account is locked" not in text


def told(stack, sender, text, timeout=20):
    """The requester's latest bot message once it contains ``text`` (an action server's
    worker may have claimed the update before the admin command could send it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        last = (bot_texts(stack, sender) or [""])[-1]
        if text in last:
            return last
        time.sleep(0.2)
    return (bot_texts(stack, sender) or [""])[-1]


def bot_texts(stack, sender):
    import sqlite3
    with sqlite3.connect(stack.tracker_db) as db:
        return [row[0] for row in db.execute(
            "select json_extract(data, '$.text') from events "
            "where sender_id = ? and type_name = 'bot' order by id", (sender,))]


@pytest.mark.parametrize("language, texts, done, sender", [
    ("en", ["I forgot my password", "yes", "yes"], "an admin has reset your password",
     "T0ACME:U{}"),
    ("nb", ["jeg har glemt passordet mitt", "ja", "ja"], "En administrator har tilbakestilt",
     "kari.{}@contoso.no"),
])
def test_helpdesk_whole_loop_file_notify_resolve_tell(rasa_stack, helpdesk_webhook, language,
                                                      texts, done, sender):
    # ids as Slack (TEAM:USER) and the web chat (an e-mail sub) deliver them
    sender = sender.format(uuid.uuid4().hex[:8].upper())
    for text in texts:
        replies = rasa_stack.say(sender, text)
    reference = replies[-1]["text"].split("**")[1]

    deadline = time.monotonic() + 10
    while reference not in str(helpdesk_webhook.received) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert reference in str(helpdesk_webhook.received)
    assert rasa_stack.admin("take", reference).returncode == 0
    result = rasa_stack.admin("resolve", reference)

    assert result.returncode == 0, result.stderr
    last = told(rasa_stack, sender, done)
    assert done in last and reference in last


def test_helpdesk_rejecting_tells_the_user(rasa_stack):
    sender = f"rej-{uuid.uuid4().hex[:8]}"
    for text in ("my account is locked", "yes", "yes"):
        replies = rasa_stack.say(sender, text)
    reference = replies[-1]["text"].split("**")[1]

    assert rasa_stack.admin("reject", reference, "--reason", "no such user").returncode == 0
    assert "was closed without a password reset" in told(rasa_stack, sender,
                                                         "was closed without a password reset")
