"""Session 23, third-person helper ("people"): someone else's password never read as the chatter's
own. A third person named by a user name, a name that is also a word, a direct report, a role
whose password is to be changed, a mailbox of theirs; a process question or an administrator's
reading that tells such a person's trouble; the chatter fine beside the other's trouble. Each with
neighbours that must stay as they were (the rankings are given, no model)."""

import pytest

from components.someone_else_guard import SomeoneElseGuard
from guarded import classified_by
from passordhjelp.nlp.other_account import find_other_account
from passordhjelp.nlp.someone_else import asks_to_act
from passordhjelp.nlp.third_person import find_third_person


def guarded(text, ranking, entities=()):
    return classified_by(SomeoneElseGuard(), text, ranking, entities)["name"]


def ranked(*pairs):
    return [{"name": name, "confidence": share} for name, share in pairs]


def other_account(text):
    mention = find_other_account(text)
    assert mention is not None
    return [{"entity": "other_account", "start": mention.start, "end": mention.end, "value": mention.text}]


# 1. A user name shaped like an address's first half.
USER_HANDLES = [
    "could you unlock mia.solberg, she's been trying all morning",
    "password for user t_lund has expired",
    "nils.aas's account is blocked",
    "kan dere sette nytt passord på brukeren tone.vik?",
    "kristin.haug sitt passord virker ikke",
]
NOT_USER_HANDLES = [
    "my password for login.microsoftonline.com doesn't work",
    "reset password for e.g. teams",
    "passordet til vg.no husker jeg ikke",
    "I changed my password for the intranet",
]


@pytest.mark.parametrize("text", USER_HANDLES)
def test_a_user_name_is_someone_elses_account(text):
    assert find_other_account(text) is not None


@pytest.mark.parametrize("text", NOT_USER_HANDLES)
def test_a_domain_or_a_service_is_no_one(text):
    assert find_other_account(text) is None


# 2. A third person as the subject of the trouble, or whose password is to be changed.
THIRD_PERSONS = [
    "Per has been locked out since lunch",
    "Per kommer seg ikke inn på Teams",
    "Per can't sign in after the update",
    "my direct report can't remember the new one",
    "our report needs a new password before Monday",
    "kan du endre passordet til sommervikaren?",
    "please reset the password for my new assistant",
    "we need to get into his inbox while he's away",
    "vi må inn i innboksen hans mens han er borte",
    "I sign in fine but he has lost his",
]
NOT_THIRD_PERSONS = [
    "Per i dag er jeg fortsatt låst ute",
    "prices are 10 kr per user per month",
    "my report is due soon and I'm locked out",
    "jeg delte passordet til kollegaen min og vil bytte det",
    "hvordan tilbakestiller jeg passordet til en nyansatt?",
    "I can log in on the phone but not on the laptop",
]


@pytest.mark.parametrize("text", THIRD_PERSONS)
def test_a_third_persons_trouble_is_theirs(text):
    assert find_third_person(text) is not None


@pytest.mark.parametrize("text", NOT_THIRD_PERSONS)
def test_own_or_generic_messages_name_no_third_person(text):
    assert find_third_person(text) is None


# 3. The guard: a process question or an administrator's reading of someone else's trouble.
@pytest.mark.parametrize(
    "text",
    [
        "Kari says her password is rejected, could you look at it?",
        "sjefen lurer på hvorfor kontoen hennes er sperret",
    ],
)
def test_a_process_question_telling_anothers_trouble_is_theirs(text):
    ranking = ranked(("ask_process", 0.7), ("other_person_password", 0.2), ("password_help", 0.1))
    assert guarded(text, ranking, other_account(text)) == "other_person_password"


def test_a_process_question_about_own_password_stays():
    text = "how long does a reset take for my account?"
    ranking = ranked(("ask_process", 0.7), ("other_person_password", 0.2), ("password_help", 0.1))
    assert guarded(text, ranking) == "ask_process"


@pytest.mark.parametrize(
    "text", ["unlock user mia.solberg please", "kan dere nullstille passordet til kari.nordmann?"]
)
def test_an_administrators_reading_of_a_request_for_someone_is_theirs(text):
    assert asks_to_act(text)
    ranking = ranked(("admin_reset_user_password", 0.8), ("other_person_password", 0.1), ("forgot_password", 0.1))
    assert guarded(text, ranking, other_account(text)) == "other_person_password"


@pytest.mark.parametrize(
    "text",
    [
        "as admin, how do I reset the password for mia.solberg?",
        "jeg er global admin, hvor nullstiller jeg passordet til kari.nordmann?",
    ],
)
def test_an_administrators_how_to_stays(text):
    assert not asks_to_act(text)
    ranking = ranked(("admin_reset_user_password", 0.8), ("other_person_password", 0.1), ("forgot_password", 0.1))
    assert guarded(text, ranking, other_account(text)) == "admin_reset_user_password"


def test_a_name_that_is_a_word_in_trouble_is_given_to_them():
    text = "Per er låst ute, kan du hjelpe?"
    ranking = ranked(("account_locked", 0.9), ("other_person_password", 0.05), ("ask_process", 0.05))
    assert guarded(text, ranking, other_account(text)) == "other_person_password"
