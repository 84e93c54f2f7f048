"""The remembering event class lookup (runtime/rasa_speedups.py) finds what Rasa's finds."""

import pytest
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.utils.common import all_subclasses

from runtime import rasa_speedups
from runtime.rasa_speedups import _rasa_resolve_by_type, _resolve_by_type

TYPE_NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


@pytest.mark.parametrize("type_name", TYPE_NAMES)
def test_event_type_lookup_finds_rasas_class_every_time(type_name):
    assert _resolve_by_type(type_name) is _rasa_resolve_by_type(type_name)
    assert _resolve_by_type(type_name) is _rasa_resolve_by_type(type_name)  # remembered


def test_event_type_lookup_unknown_names_as_rasa():
    with pytest.raises(ValueError, match="Unknown event name 'no_such'"):
        _resolve_by_type("no_such")
    assert _resolve_by_type("topic") is None
    assert _resolve_by_type("no_such", UserUttered) is UserUttered
    assert "no_such" not in rasa_speedups._event_types  # a default is never remembered


def test_event_type_lookup_installed_with_the_speedups(monkeypatch):
    # The patches are undone afterwards (monkeypatch restores what it set).
    for owner, name, _ in rasa_speedups.REPLACEMENTS:
        monkeypatch.setattr(owner, name, owner.__dict__.get(name), raising=False)
    rasa_speedups.install()
    assert Event.resolve_by_type is _resolve_by_type
    event = Event.from_parameters({"event": "action", "name": "action_listen"})
    assert isinstance(event, ActionExecuted)
