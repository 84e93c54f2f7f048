"""No work for Rasa's debug log lines while debug logging is off.

Rasa 3.6 deep-copies the arguments of its debug log lines before calling the logger
(so its log anonymizer can't change the objects it logs): the turn's events, the
parse, the policy's states, the form's slot candidates, several times a turn; and it
formats every slot's value into one string for a debug line after each action. With
Rasa's log level above DEBUG (``LOG_LEVEL``, INFO by default) structlog drops those
lines without looking at their arguments, so the copies and the string were thrown
away: about 3 % of the Rasa server's CPU per message (bench/README.md, "Where a message's time
goes").

``RulePolicy`` also formats the states of the whole conversation into one string for
its debug line on every prediction (``Policy.format_tracker_states``), a string used by
nothing but that line.

``install`` gives the Rasa modules that use ``copy`` for nothing but debug-log
arguments a ``copy`` whose ``deepcopy`` returns the object itself while structlog drops
debug lines, and Rasa's deep copy otherwise; and skips the slot line and the rule
policy's states line the same way. With debug logging on, everything is as in Rasa.

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), never as an
import side effect, and only on the Rasa version it was written for.
"""

from __future__ import annotations

import copy
import logging
from types import ModuleType
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Text, Tuple

import rasa.core.actions.forms
import rasa.core.policies.memoization
import rasa.core.policies.rule_policy
import rasa.core.processor
import structlog
from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.version import __version__ as rasa_release

from runtime.rasa_release import require_written_for

# The Rasa modules whose every use of ``copy`` is a ``copy.deepcopy`` of an argument of a
# ``structlogger.debug`` line (tests/runtime/test_debug_logs.py reads their source).
DEBUG_LOG_COPIERS: Tuple[ModuleType, ...] = (
    rasa.core.processor,
    rasa.core.actions.forms,
    rasa.core.policies.rule_policy,
    rasa.core.policies.memoization,
)

# structlog's loggers that drop debug lines (Rasa configures one of them by its log level).
_DROPPING_DEBUG: FrozenSet[type] = frozenset(
    structlog.make_filtering_bound_logger(level)
    for level in (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)
)


def debug_lines_dropped() -> bool:
    """Whether structlog, as configured now, drops debug lines unread."""
    return structlog.get_config()["wrapper_class"] in _DROPPING_DEBUG


class _CopyForDebugLog:
    """Stands in for the ``copy`` module where it only copies debug-log arguments."""

    @staticmethod
    def deepcopy(value: Any, memo: Optional[Dict[int, Any]] = None) -> Any:
        """The value itself when the line it is for is dropped, else Rasa's deep copy."""
        if debug_lines_dropped():
            return value
        return copy.deepcopy(value, memo)


_rasa_log_slots: Callable[[DialogueStateTracker], None] = MessageProcessor._log_slots


def _log_slots(tracker: DialogueStateTracker) -> None:
    """Rasa's ``MessageProcessor._log_slots`` (one debug line), only when it is kept."""
    if not debug_lines_dropped():
        _rasa_log_slots(tracker)


def _format_tracker_states(states: List[Dict]) -> Text:
    """Rasa's ``Policy.format_tracker_states`` for ``RulePolicy``'s debug line, only when
    the line is kept (an empty string goes to a dropped line otherwise)."""
    if debug_lines_dropped():
        return ""
    return Policy.format_tracker_states(states)


def install(rasa_version: str = rasa_release) -> None:
    """Copy debug-log arguments and format the slot line only when debug lines are kept.

    Raises:
        RuntimeError: Rasa is not the release this was written for; check that the
            modules in ``DEBUG_LOG_COPIERS`` still use ``copy`` only for debug-log
            arguments, that ``MessageProcessor._log_slots`` only logs and that
            ``RulePolicy`` uses ``format_tracker_states`` only for a debug line.
    """
    require_written_for(
        rasa_version,
        changed_by="runtime/debug_logs.py",
        check=(
            "the uses of copy in DEBUG_LOG_COPIERS, MessageProcessor._log_slots and "
            "RulePolicy's use of format_tracker_states"
        ),
    )
    for module in DEBUG_LOG_COPIERS:
        module.copy = _CopyForDebugLog  # type: ignore[attr-defined]
    MessageProcessor._log_slots = staticmethod(_log_slots)
    RulePolicy.format_tracker_states = staticmethod(_format_tracker_states)
