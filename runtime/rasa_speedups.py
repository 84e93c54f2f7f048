"""Rasa 3.6 checks every action-server answer with ``jsonschema.validate``, which also
re-checks the schema itself on every call: about 12 ms per custom action on these
2-core machines, most of a turn (see ``make bench``'s profile). The same check with
a validator built once takes well under a millisecond."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _response_validator() -> Validator:
    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    validator_class.check_schema(spec)
    return validator_class(spec)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    try:
        _response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid. For more information about "
            f"the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise


def install() -> None:
    """Replace Rasa's per-call schema check with the cached one (same rules)."""
    RemoteAction._validate_action_result = _validate_action_result
