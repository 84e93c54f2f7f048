"""Rasa's debug-log arguments are copied, and its slot line formatted, only when debug
lines are kept (runtime/debug_logs.py); Rasa's modules use ``copy`` for nothing else."""

from __future__ import annotations

import ast
import inspect
import logging
from typing import Any, Iterator

import pytest
import structlog
import rasa.core.policies.rule_policy
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor

from runtime import debug_logs


@pytest.fixture
def installed() -> Iterator[None]:
    modules = {module: module.copy for module in debug_logs.DEBUG_LOG_COPIERS}
    log_slots = MessageProcessor.__dict__["_log_slots"]
    had_own_format = "format_tracker_states" in RulePolicy.__dict__
    config = structlog.get_config()
    debug_logs.install()
    try:
        yield
    finally:
        for module, original in modules.items():
            module.copy = original
        MessageProcessor._log_slots = log_slots
        if not had_own_format:
            del RulePolicy.format_tracker_states
        structlog.configure(**config)


def _log_at(level: int) -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(level))


class _SlotsRead(Exception):
    pass


class _Tracker:
    """A tracker whose slots can't be read without notice."""

    @property
    def slots(self) -> Any:
        raise _SlotsRead


@pytest.mark.parametrize("module", debug_logs.DEBUG_LOG_COPIERS, ids=lambda m: m.__name__)
def test_debug_log_arguments_are_not_copied_while_debug_is_off(
    installed: None, module: Any
) -> None:
    events = [{"event": "slot", "value": [1, 2]}]
    _log_at(logging.INFO)
    assert module.copy.deepcopy(events) is events


@pytest.mark.parametrize("module", debug_logs.DEBUG_LOG_COPIERS, ids=lambda m: m.__name__)
def test_debug_log_arguments_are_copied_while_debug_is_on(installed: None, module: Any) -> None:
    events = [{"event": "slot", "value": [1, 2]}]
    _log_at(logging.DEBUG)
    copied = module.copy.deepcopy(events)
    assert (
        copied == events and copied is not events and copied[0]["value"] is not events[0]["value"]
    )


def test_the_slot_line_is_formatted_only_while_debug_is_on(installed: None) -> None:
    _log_at(logging.WARNING)
    MessageProcessor._log_slots(_Tracker())
    _log_at(logging.DEBUG)
    with pytest.raises(_SlotsRead):
        MessageProcessor._log_slots(_Tracker())


class _States(list):
    """States that can't be read without notice."""

    def __iter__(self) -> Any:
        raise _SlotsRead


STATES = [
    {"user": {"intent": "greet"}, "prev_action": {"action_name": "action_listen"}},
    {"user": {"text": "hei"}, "slots": {"language": (1.0,)}, "active_loop": {"name": "f"}},
    {"prev_action": {"action_text": "Hei!"}},
    {},
]


def test_the_rule_policys_states_line_is_formatted_only_while_debug_is_on(installed: None) -> None:
    _log_at(logging.INFO)
    assert RulePolicy.format_tracker_states(_States(STATES)) == ""
    _log_at(logging.DEBUG)
    assert RulePolicy.format_tracker_states(STATES) == Policy.format_tracker_states(STATES)
    assert "user intent: greet" in RulePolicy.format_tracker_states(STATES)


def test_rasas_rule_policy_uses_the_formatted_states_only_for_a_debug_line() -> None:
    """``format_tracker_states`` is called once, its result named and that name read only
    as a keyword argument of a ``structlogger.debug`` line: what ``install`` may skip."""
    tree = ast.parse(inspect.getsource(rasa.core.policies.rule_policy))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "format_tracker_states"
    ]
    assert len(calls) == 1
    (assigned,) = [
        node.targets[0].id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and node.value.func is calls[0]
    ]
    in_debug_lines = {
        id(name)
        for node in ast.walk(tree)
        if _is_debug_line(node)
        for name in ast.walk(node)
        if isinstance(name, ast.Name)
    }
    reads = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == assigned and isinstance(node.ctx, ast.Load)
    ]
    assert reads and all(id(node) in in_debug_lines for node in reads)


def _is_debug_line(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "debug"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "structlogger"
    )


@pytest.mark.parametrize("module", debug_logs.DEBUG_LOG_COPIERS, ids=lambda m: m.__name__)
def test_rasa_uses_copy_only_for_debug_log_arguments(module: Any) -> None:
    """Every ``copy.X`` in the module is ``copy.deepcopy(...)``, a keyword argument of a
    ``structlogger.debug`` call: what ``install`` may stop copying."""
    tree = ast.parse(inspect.getsource(module))
    allowed = {
        id(keyword.value.func)
        for node in ast.walk(tree)
        if _is_debug_line(node)
        for keyword in node.keywords
        if isinstance(keyword.value, ast.Call)
    }
    uses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "copy"
    ]
    assert uses, f"{module.__name__} no longer uses copy: take it off DEBUG_LOG_COPIERS"
    for node in uses:
        assert node.attr == "deepcopy" and id(node) in allowed, (
            f"{module.__name__} line {node.lineno} uses copy.{node.attr} for more than a debug line"
        )
