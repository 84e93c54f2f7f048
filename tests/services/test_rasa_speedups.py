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
