"""Rasa 3.6 checks every action-server answer with ``jsonschema.validate``, which also
re-checks the schema itself on every call: about 12 ms per custom action on these
2-core machines, most of a turn (see ``make bench``'s profile). The same check with
a validator built once takes well under a millisecond.

Rasa 3.6 also finds the class of every stored event it reads by walking all subclasses
of ``Event`` (with an abstract-class check for each): for every event of the
conversation, on every message, about 3 % of the server's time (README, "Where a
message's time goes"). The lookup here remembers the class Rasa's own walk found for
each type name.

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), never as an
import side effect, and only on the Rasa version it was written for."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, Optional, Text, Type

from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.version import __version__ as rasa_release

# The Rasa release whose RemoteAction._validate_action_result this replaces.
WRITTEN_FOR_RASA = "3.6.21"


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


# Rasa's own lookup, kept before install() replaces it.
_rasa_resolve_by_type: Callable[..., Optional[Type[Event]]] = Event.resolve_by_type
_event_types: Dict[Text, Type[Event]] = {}


def _resolve_by_type(
    type_name: Text, default: Optional[Type[Event]] = None
) -> Optional[Type[Event]]:
    """Rasa's ``Event.resolve_by_type``, remembering each class it finds."""
    found = _event_types.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_types[type_name] = found
    return found


def install(rasa_version: str = rasa_release) -> None:
    """Replace Rasa's per-call schema check with the cached one (same rules), and its
    event class lookup with the remembering one.

    Raises:
        RuntimeError: Rasa is not the release this was written for; check that
            ``RemoteAction._validate_action_result`` still does what this replaces,
            then update ``WRITTEN_FOR_RASA``.
    """
    if rasa_version != WRITTEN_FOR_RASA:
        raise RuntimeError(
            f"runtime/rasa_speedups.py was written for Rasa {WRITTEN_FOR_RASA}, "
            f"found {rasa_version}: check it against this release's "
            "RemoteAction._validate_action_result"
        )
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
