"""Questions about the process over REST: the answer of the topic asked about, in the
conversation's language, on its own and in the middle of the request dialogue (which then
asks its question again and still files)."""

import uuid

import pytest

from tests.conftest import response_text

pytestmark = pytest.mark.slow


def answer(domain, topic, language):
    """The text of ``utter_ask_process/<topic>`` in ``language``."""
    return response_text(domain, f"utter_ask_process/{topic}", language)


@pytest.mark.parametrize(
    "language, question, topic",
    [
        ("en", "can the admin see my password?", "password_privacy"),
        ("nb", "kan administratoren se passordet mitt?", "password_privacy"),
        ("en", "why do I need an admin for this?", "why_admin"),
        ("nb", "hvorfor trenger jeg en administrator?", "why_admin"),
        ("en", "which account will be reset?", "which_account"),
        ("nb", "hvilken konto blir tilbakestilt?", "which_account"),
        # Session 22: the process in general, worded near a question about one's own request
        # (components/shape_readings.py, process_question.yml).
        ("en", "how long does a password reset normally take?", "how_long"),
        ("nb", "hvor lenge må man vanligvis vente på et nytt passord?", "how_long"),
    ],
)
def test_process_question_gets_the_answer_of_its_topic(
    rasa_stack, domain, language, question, topic
):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    replies = rasa_stack.say(sender, question)
    assert [r.get("text") for r in replies] == [answer(domain, topic, language)]


@pytest.mark.parametrize(
    "language, forgot, question, confirm, filed",
    [
        (
            "en",
            "I forgot my password",
            "how long does that take?",
            "yes, file it",
            "Your reset request is filed.",
        ),
        (
            "nb",
            "jeg har glemt passordet mitt",
            "hvor lang tid tar det?",
            "ja, send den",
            "Forespørselen er sendt.",
        ),
    ],
)
def test_process_question_during_the_request_dialogue_then_filed(
    rasa_stack, helpdesk_webhook, domain, language, forgot, question, confirm, filed
):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    already = len(helpdesk_webhook.received)
    offer = rasa_stack.say(sender, forgot)
    asked = rasa_stack.say(sender, question)
    assert asked[0]["text"] == answer(domain, "how_long", language)
    # The dialogue's pending question again, with its buttons.
    assert asked[-1]["text"] == offer[-1]["text"]
    assert [b["payload"] for b in asked[-1]["buttons"]] == ["/affirm", "/deny"]
    rasa_stack.say(sender, "/affirm")
    [done] = [
        r["text"] for r in rasa_stack.say(sender, confirm) if r.get("text", "").startswith(filed)
    ]
    # The helpdesk hears of it (in the background): waited for, so that no later test
    # gets this post.
    reference = done.split("**")[1]
    posts = helpdesk_webhook.wait_for(already + 1)
    assert any(reference in str(post["body"]) for post in posts[already:])
