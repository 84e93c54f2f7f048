"""A slot copied by ``Slot.__copy__`` (runtime/rasa_speedups.py) is the copy ``copy.copy``
made before: same class, same attributes, a separate object; trackers come out the same."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

from runtime import rasa_speedups
from runtime.rasa_speedups import _copy_slot

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


def with_values(slots):
    """The domain's slots, each set to a value of its kind as a conversation sets them."""
    values = {"bool": True, "text": "nb", "float": 0.5, "list": ["a"], "any": {"k": 1}}
    for slot in slots:
        values["categorical"] = slot.__dict__.get("values", [None])[0]
        slot.value = next((v for kind, v in values.items() if kind in slot.type_name),
                          slot.value)
        yield slot


@pytest.mark.parametrize("slot", list(with_values(copy.deepcopy(DOMAIN.slots))),
                         ids=lambda slot: slot.name)
def test_slot_copy_is_the_copy_copy_made(slot):
    assert "__copy__" not in Slot.__dict__          # copy.copy's own way, as in Rasa
    rasas, ours = copy.copy(slot), _copy_slot(slot)
    assert type(ours) is type(rasas) is type(slot)
    assert ours.__dict__ == rasas.__dict__ == slot.__dict__
    assert ours is not slot and ours.__dict__ is not slot.__dict__
    ours.value = None
    assert slot.value is not None and rasas.value == slot.value


CONVERSATION = [UserUttered("hei", {"name": "greet"}), SlotSet("language", "nb"),
                ActiveLoop("reset_request_form"), SlotSet("self_service_reset", False)]


def test_slot_copy_trackers_are_the_same_with_it_installed(monkeypatch):
    rasas = DialogueStateTracker.from_events("c", CONVERSATION, DOMAIN.slots)
    for owner, name, _ in rasa_speedups.REPLACEMENTS:
        monkeypatch.setattr(owner, name, owner.__dict__.get(name), raising=False)
    rasa_speedups.install()
    assert copy.copy(DOMAIN.slots[0]).__class__ is DOMAIN.slots[0].__class__
    ours = DialogueStateTracker.from_events("c", CONVERSATION, DOMAIN.slots)
    assert ours.current_state() == rasas.current_state()
    assert ours.copy().current_state() == rasas.copy().current_state()
    assert all(ours.slots[n] is not slot for n, slot in ours.copy().slots.items())
    assert DOMAIN.slots[0].value == DOMAIN.slots[0].initial_value   # the domain's untouched
