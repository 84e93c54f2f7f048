"""An intent about someone else's account needs someone else in the message."""

import pytest

from components.someone_else_guard import SomeoneElseGuard
from guarded import classified_by


def classified(text, ranking, entities=()):
    return classified_by(SomeoneElseGuard(), text, ranking, entities)


OTHER_FIRST = [{"name": "other_person_password", "confidence": 0.8},
               {"name": "forgot_password", "confidence": 0.15},
               {"name": "account_locked", "confidence": 0.05}]
ADMIN_FIRST = [{"name": "admin_reset_user_password", "confidence": 0.8},
               {"name": "account_locked", "confidence": 0.1},
               {"name": "forgot_password", "confidence": 0.1}]


@pytest.mark.parametrize("text", ["locked out of outlook, forgot pw",
                                  "glemt passordet og kommer ikke inn på teams"])
def test_someone_else_guard_takes_back_other_person_with_no_one_else(text):
    intent = classified(text, OTHER_FIRST)
    assert intent["name"] == "forgot_password"
    assert intent["confidence"] == pytest.approx(0.75)


@pytest.mark.parametrize("text", ["I'm locked out and forgot my password, the portal says ask admin",
                                  "jeg er låst ute og har glemt passordet, det står kontakt admin"])
def test_someone_else_guard_takes_back_an_admin_intent_telling_own_trouble(text):
    assert classified(text, ADMIN_FIRST)["name"] == "account_locked"


@pytest.mark.parametrize("text, ranking", [
    ("my colleague forgot her password", OTHER_FIRST),
    ("Kari kommer ikke inn", OTHER_FIRST),
    ("one of the users is locked out", OTHER_FIRST),
    ("en av de ansatte har glemt passordet", OTHER_FIRST),
    ("kompisen min på salg er låst ute", OTHER_FIRST),
    ("må nullstille passordet til en i avdelingen min", OTHER_FIRST),
    ("how do I reset a password in the admin center?", ADMIN_FIRST),
    ("hvordan nullstiller jeg passordet til en bruker?", ADMIN_FIRST),
])
def test_someone_else_guard_keeps_an_intent_with_someone_else_or_an_admin_question(text, ranking):
    assert classified(text, ranking)["name"] == ranking[0]["name"]


def test_someone_else_guard_keeps_it_when_the_nlu_marked_another_account():
    entity = {"entity": "other_account", "value": "x", "start": 0, "end": 1}
    assert classified("reset x@example.com", OTHER_FIRST, [entity])["name"] == \
        "other_person_password"


FORGOT_FIRST = [{"name": "forgot_password", "confidence": 0.5},
                {"name": "other_person_password", "confidence": 0.2},
                {"name": "out_of_scope", "confidence": 0.2},
                {"name": "change_password", "confidence": 0.1}]
OTHER_ACCOUNT = {"entity": "other_account", "value": "x", "start": 0, "end": 1}


@pytest.mark.parametrize("text", ["teamlederen vår vil bytte passord, hvordan gjør han det?",
                                  "my boss wants to change his password",
                                  # The trouble word is the other person's, "me" only asked.
                                  "my manager is locked out and asked me to sort it",
                                  "lederen min er sperret ute og ba meg ordne det"])
def test_someone_else_guard_gives_own_trouble_naming_another_account_to_other_person(text):
    intent = classified(text, FORGOT_FIRST, [OTHER_ACCOUNT])
    assert intent["name"] == "other_person_password"
    assert intent["confidence"] == pytest.approx(0.8)


@pytest.mark.parametrize("text, entities", [
    # The chatter's own trouble told beside someone else's account.
    ("Kari's account is locked, and I forgot my password too", [OTHER_ACCOUNT]),
    ("jeg har glemt passordet mitt, ikke bare Kari", [OTHER_ACCOUNT]),
    # No other account marked: the classifier's reading stands.
    ("teamlederen vår vil bytte passord", []),
])
def test_someone_else_guard_keeps_own_trouble_told_as_own_or_with_no_other_account(text, entities):
    assert classified(text, FORGOT_FIRST, entities)["name"] == "forgot_password"


def test_someone_else_guard_leaves_out_of_scope_naming_an_account_alone():
    ranking = [{"name": "out_of_scope", "confidence": 0.6}] + FORGOT_FIRST[:2]
    assert classified("glemt passordet til Vipps", ranking, [OTHER_ACCOUNT])["name"] == "out_of_scope"


@pytest.mark.parametrize("text", [
    "My colleague tried his password on my PC a bunch of times and now my account is locked",
    "my son kept typing on my laptop and locked me out",
    "kollegaen min prøvde passordet sitt på min pc, og nå er kontoen min sperret",
])
def test_someone_else_guard_takes_back_other_person_when_the_chatters_account_is_locked(text):
    assert classified(text, OTHER_FIRST)["name"] == "forgot_password"


def test_someone_else_guard_keeps_other_person_when_only_the_colleague_is_locked():
    assert classified("my colleague is locked out, my account works", OTHER_FIRST)["name"] == \
        "other_person_password"
