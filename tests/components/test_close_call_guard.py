"""A close call between change_password and forgot_password is asked about, not guessed."""

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.close_call_guard import CloseCallGuard


def guarded(ranking, margin=0.1):
    message = Message(data={TEXT: "…", INTENT: dict(ranking[0]),
                            INTENT_RANKING_KEY: [dict(r) for r in ranking]})
    [message] = CloseCallGuard({"margin": margin}).process([message])
    return message.get(INTENT), message.get(INTENT_RANKING_KEY)


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


@pytest.mark.parametrize("first, second", [
    ("change_password", "forgot_password"),
    ("forgot_password", "change_password"),
])
def test_close_call_guard_asks_when_change_and_forgot_are_close(first, second):
    intent, rest = guarded(ranking((first, 0.47), (second, 0.44), ("password_help", 0.05),
                                   ("ask_process", 0.04)))
    assert intent == {"name": "password_help", "confidence": pytest.approx(0.96)}
    assert [r["name"] for r in rest] == ["password_help", "ask_process"]


@pytest.mark.parametrize("case", [
    # A clear lead keeps the classifier's reading.
    ranking(("forgot_password", 0.6), ("change_password", 0.3), ("password_help", 0.1)),
    # Close, but the runner-up is not the other of the pair.
    ranking(("forgot_password", 0.45), ("ask_process", 0.44), ("change_password", 0.11)),
    ranking(("account_locked", 0.45), ("forgot_password", 0.44), ("change_password", 0.11)),
])
def test_close_call_guard_keeps_other_readings(case):
    intent, rest = guarded(case)
    assert intent == case[0]
    assert rest == case


def test_close_call_guard_margin_is_its_configuration():
    close = ranking(("change_password", 0.5), ("forgot_password", 0.35), ("greet", 0.15))
    assert guarded(close, margin=0.1)[0]["name"] == "change_password"
    assert guarded(close, margin=0.2)[0]["name"] == "password_help"
