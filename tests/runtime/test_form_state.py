"""A form's state in the tracker's state is built directly (runtime/rasa_speedups.py)
and equals what ``dataclasses.asdict`` makes of it, the parse of the form's first message
included; Rasa's tracker module calls ``dataclasses`` for nothing else at run time."""

from __future__ import annotations

import ast
import collections
import dataclasses
import inspect
from typing import Any

import numpy as np
import pytest
import rasa.shared.core.trackers as rasa_trackers
from rasa.shared.core.events import ActiveLoop, LoopInterrupted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity, TrackerActiveLoop

from runtime import rasa_speedups


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    for owner, name, _ in rasa_speedups.REPLACEMENTS:
        monkeypatch.setattr(owner, name, owner.__dict__.get(name), raising=False)
    rasa_speedups.install()


@dataclasses.dataclass
class _Part:
    value: int


PARSES = [
    {
        "text": "ja, send den",
        "intent": {"name": "affirm", "confidence": 0.93},
        "entities": [{"entity": "third_person", "value": "x", "start": 0, "end": 3}],
        "intent_ranking": [{"name": f"i{k}", "confidence": 0.01 * k} for k in range(10)],
        "response_selector": {"default": {"response": {"responses": None}, "ranking": []}},
        "metadata": {},
        "message_id": None,
    },
    # As the NLU gives it: NumPy's scalars, the tokens' spans as tuples.
    {
        "intent": {"name": np.str_("affirm"), "confidence": np.float64(0.93)},
        "text_tokens": ((0, 2), (4, 8)),
        "nested": {1: "one"},
        "set": {1, 2},
    },
    {},
]
# With a dataclass or a subclass of dict, list or tuple in it: made by dataclasses.asdict.
RASAS_WAY = [
    {"parts": [_Part(3)]},
    {"ordered": collections.OrderedDict(a=1)},
    {"pair": collections.namedtuple("Pair", "a b")(1, [2])},
]


@pytest.mark.parametrize("parse", PARSES + RASAS_WAY)
def test_form_state_is_what_dataclasses_asdict_makes(installed: None, parse: Any) -> None:
    tracker = DialogueStateTracker("ola", [])
    tracker.update(UserUttered("hei", parse_data=parse))
    tracker.update(ActiveLoop("reset_request_form"))
    tracker.update(LoopInterrupted(True))
    loop = tracker.active_loop
    assert isinstance(loop, TrackerActiveLoop)
    built = tracker.current_state(EventVerbosity.ALL)["active_loop"]
    expected = dataclasses.asdict(loop)
    assert built == expected and list(built) == list(expected)
    assert repr(built) == repr(expected)  # the same types all through
    # A copy: editing it changes nothing of the tracker's.
    built["trigger_message"]["edited"] = True
    assert "edited" not in loop.trigger_message


def test_form_state_of_an_nlu_parse_is_built_directly() -> None:
    for parse in PARSES:
        rasa_speedups._asdict_value(parse)  # no _NotPlain: not Rasa's way
    for parse in RASAS_WAY:
        with pytest.raises(rasa_speedups._NotPlain):
            rasa_speedups._asdict_value(parse)


def test_form_state_without_a_form_is_empty(installed: None) -> None:
    assert DialogueStateTracker("ola", []).current_state()["active_loop"] == {}


def test_rasas_tracker_module_calls_dataclasses_only_for_the_form_state() -> None:
    tree = ast.parse(inspect.getsource(rasa_trackers))
    uses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "dataclasses"
    ]
    assert sorted(node.attr for node in uses) == ["asdict", "dataclass"]
    (call,) = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and node.func in uses]
    assert ast.unparse(call) == "dataclasses.asdict(self.active_loop)"
