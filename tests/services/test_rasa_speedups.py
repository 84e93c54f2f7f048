"""The cached action-result check accepts and refuses exactly what Rasa's own does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from runtime import rasa_speedups
from runtime.rasa_speedups import _validate_action_result

from runtime.rasa_speedups import _certainly_valid, _validators_by_event

USER = {"event": "user", "text": "hei", "timestamp": 1.5, "metadata": {},
        "parse_data": {"intent": {"name": "greet", "confidence": 0.9},
                       "entities": [{"entity": "other_account", "value": "x", "start": 0}]}}
VALID = [
    {"events": [{"event": "slot", "name": "language", "value": "nb"}],
     "responses": [{"response": "utter_greet"}]},
    {"events": [USER, {"event": "action", "name": "utter_greet", "policy": None},
                {"event": "active_loop", "name": "reset_request_form"},
                {"event": "bot", "text": "Hei", "data": {}}, {"event": "session_started"},
                {"event": "slot", "name": "requested_slot", "value": None, "timestamp": None}]},
    {"events": []},
    {},
    {"responses": [], "extra": "fine"},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": "nope"},
    {"events": [{"event": "slot", "name": "language"}]},  # no value
    {"events": [{"event": "slot", "name": 3, "value": "nb"}]},
    {"events": [{"name": "language", "value": "nb"}]},  # no event type
    {"events": [{"event": 3}]},
    {"events": ["slot"]},
    {"events": [{**USER, "parse_data": {"entities": [{"entity": "x"}]}}]},  # no value
    {"events": [{"event": "user", "timestamp": "yesterday"}]},
    {"events": [{"event": "action", "name": "x", "hide_rule_turn": "yes"}]},
    {"events": [{"event": "slot", "name": "a", "value": 1}, {"event": "entities"}]},
    [],
    "not an object",
]


def rasa_own_check(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())


@pytest.mark.parametrize("result", VALID)
def test_rasa_speedups_accepts_what_rasa_accepts(result):
    rasa_own_check(result)
    assert _certainly_valid(result)  # without the whole schema's check
    assert _validate_action_result(None, result) is True


def test_rasa_speedups_each_event_type_has_a_branch_of_its_own():
    # Why checking an event against its own type's branch gives oneOf's verdict.
    branches = RemoteAction.action_response_format_spec()["properties"]["events"]["items"]
    types = [branch["properties"]["event"]["const"] for branch in branches["oneOf"]]
    assert len(set(types)) == len(types) == len(_validators_by_event()[1])


@pytest.mark.parametrize("result", INVALID)
def test_rasa_speedups_refuses_what_rasa_refuses(result):
    with pytest.raises(jsonschema.ValidationError):
        rasa_own_check(result)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        _validate_action_result(None, result)


def test_rasa_speedups_an_accepted_answer_is_remembered_and_accepted_again_unchecked(monkeypatch):
    answer = {"events": [{"event": "slot", "name": "language", "value": "nb"}], "responses": []}
    assert _validate_action_result(None, answer) is True
    assert rasa_speedups._answer_key(answer) in rasa_speedups._accepted

    def no_check(result):
        raise AssertionError("checked again")

    monkeypatch.setattr(rasa_speedups, "_certainly_valid", no_check)
    assert _validate_action_result(None, {**answer}) is True


@pytest.mark.parametrize("result", INVALID)
def test_rasa_speedups_a_refused_answer_is_refused_again(result):
    for _ in range(2):
        with pytest.raises(jsonschema.ValidationError):
            _validate_action_result(None, result)
    assert rasa_speedups._answer_key(result) not in rasa_speedups._accepted


@pytest.mark.parametrize("near", [
    # Each the same text as a valid answer to a key that read types loosely, refused by Rasa.
    {"events": [{"event": "slot", "name": "language", "value": "nb", "timestamp": "1"}]},
    {"events": ({"event": "slot", "name": "language", "value": "nb"},)},
    {"events": [{"event": "slot", 1: "language", "value": "nb"}]},
])
def test_rasa_speedups_an_answer_like_an_accepted_one_is_checked_on_its_own(near):
    accepted = {"events": [{"event": "slot", "name": "language", "value": "nb", "timestamp": 1}]}
    assert _validate_action_result(None, accepted) is True
    with pytest.raises(jsonschema.ValidationError):
        rasa_own_check(near)
    with pytest.raises(jsonschema.ValidationError):
        _validate_action_result(None, near)


def test_rasa_speedups_remembers_a_bounded_number_of_answers():
    for number in range(rasa_speedups.ACCEPTED_ANSWERS_KEPT + 10):
        _validate_action_result(None, {"events": [], "n": number})
    assert len(rasa_speedups._accepted) == rasa_speedups.ACCEPTED_ANSWERS_KEPT


def test_rasa_speedups_installed_only_on_the_rasa_release_it_was_written_for(monkeypatch):
    from runtime import rasa_speedups

    # Whatever install sets is put back after the test (monkeypatch restores it).
    for owner, name, _ in rasa_speedups.REPLACEMENTS:
        monkeypatch.setattr(owner, name, owner.__dict__.get(name), raising=False)
    original = RemoteAction._validate_action_result
    with pytest.raises(RuntimeError, match="written for Rasa 3.6.21, found 3.7.0"):
        rasa_speedups.install("3.7.0")
    assert RemoteAction._validate_action_result is original

    rasa_speedups.install()
    assert RemoteAction._validate_action_result is _validate_action_result


def test_rasa_speedups_not_installed_by_importing_the_channels():
    # Importing the channels (as Rasa does for credentials.yml) changes nothing in Rasa:
    # only runtime/rasa_server.py installs the speed-up and the action-failure wrapper.
    import channels.guard
    import channels.rest
    import channels.socketio  # noqa: F401
    from runtime import action_failures

    assert RemoteAction._validate_action_result is not _validate_action_result
    assert RemoteAction.run is action_failures._ORIGINAL_RUN
