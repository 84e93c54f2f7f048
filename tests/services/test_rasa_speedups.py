"""The cached action-result check accepts and refuses exactly what Rasa's own does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

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
