"""A password the chatter knows that sign-in refuses, over REST: the checks and the offer of
an admin reset in the conversation's language, told at once (also when read as remembering it
or as a change) or in a yes to "do you still know your current password?"; filed only after
the offer's and the confirmation's yes, nothing filed on a no; a plain yes after vague trouble,
a plain "I remember it after all" or a plain change still get the change steps."""

import uuid

import pytest

from tests.conftest import response_text as text_of

pytestmark = pytest.mark.slow


def texts(replies):
    return [r.get("text") for r in replies]


def checks_and_offer(domain, language):
    return [text_of(domain, name, language) for name in (
        "utter_refused_known_checks", "utter_refused_known_admin", "utter_ask_reset_wanted")]


def rows_of(stack, sender):
    return [r for r in stack.request_rows() if r["sender_id"] == sender]


@pytest.mark.parametrize("language, message, confirm, filed", [
    ("en", "I know my password but it keeps saying it's wrong", "yes, file it",
     "Your reset request is filed."),
    ("nb", "jeg vet passordet, men det blir avvist", "ja, send den", "Forespørselen er sendt."),
])
def test_refused_known_told_at_once_gets_the_checks_then_files_after_two_yeses(
    rasa_stack, helpdesk_webhook, domain, language, message, confirm, filed
):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    already = len(helpdesk_webhook.received)
    replies = rasa_stack.say(sender, message)
    assert texts(replies) == checks_and_offer(domain, language)
    assert "Caps Lock" in replies[0]["text"] and "æ" in replies[0]["text"]
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirm", "/deny"]
    assert texts(rasa_stack.say(sender, "/affirm")) == [
        text_of(domain, "utter_ask_reset_confirmed", language)]
    assert not rows_of(rasa_stack, sender)
    [done] = [t for t in texts(rasa_stack.say(sender, confirm)) if t.startswith(filed)]
    [row] = rows_of(rasa_stack, sender)
    assert row["reference"] in done
    # The helpdesk hears of it (in the background): waited for, so that no later test
    # gets this post.
    helpdesk_webhook.wait_for(already + 1)


@pytest.mark.parametrize("language, message, no", [
    ("en", "it says wrong password but I'm sure it's right", "no"),
    ("nb", "passordet godtas ikke selv om jeg skriver det riktig", "nei"),
])
def test_refused_known_offer_declined_files_nothing(rasa_stack, domain, language, message, no):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    assert texts(rasa_stack.say(sender, message)) == checks_and_offer(domain, language)
    assert texts(rasa_stack.say(sender, no))[0] == text_of(domain, "utter_request_not_filed",
                                                          language)
    assert not rows_of(rasa_stack, sender)


@pytest.mark.parametrize("language, message, yes", [
    ("en", "it keeps saying my password is wrong", "yes I'm sure it's right"),
    ("nb", "det står at passordet er feil", "ja"),
])
def test_refused_then_a_yes_to_the_question_gets_the_checks(
    rasa_stack, domain, language, message, yes
):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    assert texts(rasa_stack.say(sender, message)) == [
        text_of(domain, "utter_ask_knows_password", language)]
    assert texts(rasa_stack.say(sender, yes)) == checks_and_offer(domain, language)
    assert not rows_of(rasa_stack, sender)


@pytest.mark.parametrize("language, message, yes", [
    ("en", "my password doesn't work", "yes"),
    ("nb", "passordet mitt virker ikke", "ja"),
])
def test_vague_trouble_then_a_plain_yes_still_gets_the_change_steps(
    rasa_stack, domain, language, message, yes
):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    assert texts(rasa_stack.say(sender, message)) == [
        text_of(domain, "utter_ask_knows_password", language)]
    assert texts(rasa_stack.say(sender, yes))[0] == text_of(
        domain, "utter_change_password_steps", language)


@pytest.mark.parametrize("language, message", [
    ("en", "I know it but the sign-in fails every time"),
    ("nb", "jeg husker det nå, men det står feil passord"),
    ("en", "I want to change my password, I know it but it says it's wrong"),
    ("nb", "jeg vil bytte passordet, jeg husker det men det blir avvist"),
])
def test_known_but_failing_read_as_remembered_or_a_change_gets_the_checks(
    rasa_stack, domain, language, message
):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    replies = rasa_stack.say(sender, message)
    assert texts(replies) == checks_and_offer(domain, language)
    assert "Caps Lock" in replies[0]["text"]
    assert not rows_of(rasa_stack, sender)


@pytest.mark.parametrize("language, message, first", [
    ("en", "I remember it after all", "utter_remembered_password"),
    ("nb", "jeg husker det likevel", "utter_remembered_password"),
    ("en", "I want to change my password", "utter_change_password_steps"),
    ("nb", "jeg vil bytte passord", "utter_change_password_steps"),
])
def test_plainly_remembered_or_a_plain_change_still_gets_the_change_steps(
    rasa_stack, domain, language, message, first
):
    sender = f"user-{uuid.uuid4().hex[:8]}"
    replies = texts(rasa_stack.say(sender, message))
    assert replies[0] == text_of(domain, first, language)
    assert text_of(domain, "utter_change_password_steps", language) in replies
    assert text_of(domain, "utter_refused_known_checks", language) not in replies
