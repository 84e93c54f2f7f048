"""The cached action-result check accepts and refuses exactly what Rasa's own does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from runtime.rasa_speedups import _validate_action_result

VALID = {"events": [{"event": "slot", "name": "language", "value": "nb"}],
         "responses": [{"response": "utter_greet"}]}
INVALID = [{"events": "not a list"}, {"events": [{"event": "no_such_event"}]},
           {"responses": "nope"}]


def rasa_own_check(result):
    jsonschema.validate(result, RemoteAction.action_response_format_spec())


def test_rasa_speedups_accepts_what_rasa_accepts():
    rasa_own_check(VALID)
    assert _validate_action_result(None, VALID) is True


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
        monkeypatch.setattr(owner, name, owner.__dict__[name])
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
