"""The helpdesk hears of filed requests and handoffs without slowing the user's reply."""

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
    [reply] = rasa_stack.say(sender, "I want to talk to a real person")

    assert "I've told the IT helpdesk" in reply["text"]
    text = str(helpdesk_webhook.wait_for(already + 1)[already]["body"])
    assert "account_locked" in text and "human_handoff" in text and sender in text
    assert "my account is locked" not in text
