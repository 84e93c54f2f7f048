"""Rasa 3.6 checks every action-server answer with ``jsonschema.validate``, which also
re-checks the schema itself on every call: about 12 ms per custom action on these
2-core machines, most of a turn (see ``make bench``'s profile). The same check with
a validator built once takes well under a millisecond, and a quarter of that when each
event is checked against its own type's part of the schema only. The last 512 answers
it accepted are remembered (by a ``repr`` that names every value's type, for answers of
JSON's types only) and accepted again without a check: most answers repeat.

Rasa 3.6 also finds the class of every stored event it reads by walking all subclasses
of ``Event`` (with an abstract-class check for each): for every event of the
conversation, on every message, about 3 % of the server's time (bench/README.md, "Where a
message's time goes"). The lookup here remembers the class Rasa's own walk found for
each type name.

Rasa 3.6 runs the model's graph (NLU and policies) for every message through dask's
scheduler, whose bookkeeping (ordering the tasks, callbacks, a thread-pool-shaped loop)
and the graph pruning and debug formatting before it were about a tenth of the
server's CPU per message (bench/README.md, "Where a message's time goes"). ``install`` replaces
``DaskGraphRunner.run`` with a loop over the same pruned graph's nodes in an order
worked out once per set of targets: each node gets the same inputs and the result is
the same.

Rasa 3.6's ``LogisticRegressionClassifier`` predicts with scikit-learn's
``X @ coef_.T``: with the coefficients in row order (as trained and as skops loads
them), SciPy copies the whole transposed matrix (intents × features, 2.6 MB here) for
every message. ``install`` makes the loaded classifier's coefficients column-ordered,
so the transpose is used in place: the same numbers, about 0.3 ms less per message.

Rasa 3.6's ``RulePolicy`` finds the rules that fit the conversation by checking every
rule against every state of the conversation, last first, taking each rule's states from
a cache that copies and reverses them for every check; its share of the server's CPU was
the largest single part (bench/README.md, "Where a message's time goes"). Here each rule's states
are worked out once per lookup, the last state is compared only with the rules whose
required previous action and intent it has, and the walk stops further back than the
longest rule, where Rasa's own check accepts every rule left: the same keys.

A conversation's dialogue states are replayed once per turn instead of for every
prediction, a state's slots part worked out again only when a slot changed
(``runtime/state_history.py``), and the tracker is not copied before
``action_listen`` when the copy could change nothing (``runtime/listen_without_copy.py``).

Rasa 3.6 checks that the domain is not empty before every parse by building a whole new
empty ``Domain`` (default intents, sanity checks) to compare with: about 2 % of the
server's CPU per message. The empty domain's data is the same every time, so it is
built once.

Rasa 3.6 builds its twelve default actions afresh for every action it looks up by name
(several per message); they keep nothing but the action endpoint, so they are built
once per endpoint.

Rasa 3.6 copies every slot of the domain with ``copy.copy`` whenever it makes a tracker
(reading one from the store, copying one before each action, replaying states), about
ten times per message: ``copy.copy`` goes the general way through ``__reduce_ex__``.
A slot keeps everything in its attribute dict, so ``Slot.__copy__`` makes the same
copy directly (a new object of the slot's class with that dict's entries), about
two fifths of the time.

Rasa 3.6 turns an active form's state into a dict with ``dataclasses.asdict`` whenever
it writes the tracker's state (each call to a custom action while a form runs), which
walks the parse of the message that started the form in Python: 0.24 ms. For a parse of
dicts, lists, tuples and scalars the same dict is built directly (0.03 ms).

Sanic (Rasa's HTTP server) formats an access-log record of every response (its address
and URL) before the access logger's level, which Rasa sets to warnings, drops it: that
record is now made only when the level lets it through.

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), never as an
import side effect, and only on the Rasa version it was written for."""

from __future__ import annotations

import collections
import copy
import dataclasses
import itertools
import logging
from functools import lru_cache
from types import ModuleType
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Text, Tuple, Type

import numpy as np
import rasa.engine.graph as rasa_graph
import rasa.shared.core.trackers as rasa_trackers
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions import action as rasa_actions
from rasa.core.actions.action import Action, RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import GraphNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.exceptions import InvalidConfigException, RasaException
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker, TrackerActiveLoop
from rasa.shared.nlu.constants import ACTION_NAME, INTENT
from rasa.utils.endpoints import EndpointConfig
from rasa.version import __version__ as rasa_release
from sanic.http import Http
from sanic.log import access_logger

from runtime import applied_events, listen_without_copy, state_history
from runtime.rasa_release import require_written_for

# The Rasa release whose RemoteAction._validate_action_result this replaces.


@lru_cache(maxsize=1)
def _response_validator() -> Validator:
    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    validator_class.check_schema(spec)
    return validator_class(spec)


@lru_cache(maxsize=1)
def _validators_by_event() -> Tuple[Validator, Dict[Text, Validator]]:
    """The answer's schema with its events' items left open, and for each event type
    the event schema with that type's branch of its ``oneOf`` in place of the ``oneOf``.

    The branches differ in the ``const`` of ``event``, which every event must have, so
    an event fits exactly one branch only if it fits its own type's branch: the same
    verdict without checking it against all 23 (each miss builds an error object)."""
    spec = RemoteAction.action_response_format_spec()
    validator_class = validator_for(spec)
    events = spec["properties"]["events"]
    answer = {
        **spec,
        "properties": {
            **spec["properties"],
            "events": {key: value for key, value in events.items() if key != "items"},
        },
    }
    event = {key: value for key, value in events["items"].items() if key != "oneOf"}
    by_type = {
        branch["properties"]["event"]["const"]: validator_class({**event, "allOf": [branch]})
        for branch in events["items"]["oneOf"]
    }
    return validator_class(answer), by_type


def _certainly_valid(result: Any) -> bool:
    """True only for an answer Rasa's schema accepts; False also when it is not sure."""
    answer, by_type = _validators_by_event()
    if not answer.is_valid(result):
        return False
    for event in result.get("events", ()):
        kind = event.get("event") if isinstance(event, dict) else None
        validator = by_type.get(kind) if isinstance(kind, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


# Answers the schema accepted, by their ``repr`` (most recent last; at most
# ``ACCEPTED_ANSWERS_KEPT``): many answers repeat ("set these slots, say this").
ACCEPTED_ANSWERS_KEPT = 512
_accepted: "collections.OrderedDict[str, None]" = collections.OrderedDict()
_JSON_SCALARS = (str, int, float, bool, type(None))


def _answer_key(value: Any) -> Optional[str]:
    """A key that tells apart any two answers the schema could judge apart: the ``repr``
    of an answer made of dicts with string keys, lists and JSON scalars only (their
    ``repr`` names each value and its type), None for any other (checked every time)."""

    def plain(item: Any) -> bool:
        kind = type(item)
        if kind is dict:
            return all(type(k) is str and plain(v) for k, v in item.items())
        if kind is list:
            return all(plain(v) for v in item)
        return kind in _JSON_SCALARS

    return repr(value) if plain(value) else None


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    key = _answer_key(result)
    if key is not None and key in _accepted:
        _accepted.move_to_end(key)
        return True
    if _certainly_valid(result):
        _remember_accepted(key)
        return True
    # Checked against the whole schema, for Rasa's own verdict and error message.
    try:
        _response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid. For more information about "
            f"the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    _remember_accepted(key)
    return True


def _remember_accepted(key: Optional[str]) -> None:
    if key is not None:
        _accepted[key] = None
        while len(_accepted) > ACCEPTED_ANSWERS_KEPT:
            _accepted.popitem(last=False)


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


# Rasa's graph module's logger (its node and error lines).
_graph_logger = logging.getLogger(rasa_graph.__name__)

# One step of a graph run: a node's name and the names of the nodes (or inputs) it needs.
_Step = Tuple[Text, Tuple[Text, ...]]
_STEPS = "_passordhjelp_steps"


def _steps(runner: DaskGraphRunner, targets: Tuple[Text, ...]) -> Tuple[List[_Step], FrozenSet]:
    """The nodes Rasa's run would compute for ``targets`` (its pruned schema), each after
    the nodes it needs, and their names; worked out once per runner and targets."""
    cache: Dict[Tuple[Text, ...], Tuple[List[_Step], FrozenSet]] = runner.__dict__.setdefault(
        _STEPS, {}
    )
    if targets not in cache:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        steps: List[_Step] = []
        done: set = set()

        def visit(name: Text) -> None:
            if name in done or name not in nodes:
                return
            done.add(name)
            needs = tuple(nodes[name].needs.values())
            for parent in needs:
                visit(parent)
            steps.append((name, needs))

        for name in nodes:
            visit(name)
        cache[targets] = (steps, frozenset(nodes))
    return cache[targets]


def _run_in_order(
    self: DaskGraphRunner,
    inputs: Optional[Dict[Text, Any]] = None,
    targets: Optional[List[Text]] = None,
) -> Dict[Text, Any]:
    """``DaskGraphRunner.run`` without dask: the same nodes with the same inputs."""
    run_targets = targets if targets else self._graph_schema.target_names
    steps, names = _steps(self, tuple(run_targets))
    # As dask's graph: an input is the pair (name, value), and replaces a node of its name.
    results: Dict[Text, Any] = {}
    for input_name, input_value in (inputs or {}).items():
        if isinstance(input_value, str) and (input_value in names or input_value in results):
            raise GraphRunError(
                f"Input value '{input_value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema."
            )
        results[input_name] = (input_name, input_value)
    try:
        for node_name, needs in steps:
            if node_name not in results:
                # A name nothing provides reaches the node as the name itself, as in dask.
                node = self._instantiated_nodes[node_name]
                results[node_name] = _call_node(
                    node, tuple(results.get(need, need) for need in needs)
                )
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[target] for target in run_targets)


def _call_node(node: GraphNode, inputs: Tuple[Any, ...]) -> Tuple[Text, Any]:
    """``GraphNode.__call__``: for a node loaded eagerly (as every node of a loaded model),
    with no hooks, all its inputs resolved and Rasa's debug lines off, its component's
    function called directly with the same arguments and its errors turned into the same
    exceptions; any other node Rasa's way (the warnings, the lazy load, the hooks)."""
    if node._hooks or not node._eager or _graph_logger.isEnabledFor(logging.DEBUG):
        return node(*inputs)
    received: Dict[Text, Any] = {}
    for given in inputs:
        if not isinstance(given, tuple):
            return node(*inputs)
        received[given[0]] = given[1]
    kwargs: Dict[Text, Any] = {}
    for input_name, provider in node._inputs.items():
        if provider not in received:
            return node(*inputs)
        kwargs[input_name] = received[provider]
    try:
        output = node._fn(node._component, **kwargs)
    except InvalidConfigException:
        raise
    except Exception as e:
        if not isinstance(e, RasaException):
            raise GraphComponentException(
                f"Error running graph component for node {node._node_name}."
            ) from e
        _graph_logger.error("Error running graph component for node %s.", node._node_name)
        raise
    return node._node_name, output


_rasa_load_classifier = LogisticRegressionClassifier.load.__func__


def _load_classifier(cls: Any, *args: Any, **kwargs: Any) -> LogisticRegressionClassifier:
    """Rasa's ``LogisticRegressionClassifier.load``, with the coefficients column-ordered."""
    component = _rasa_load_classifier(cls, *args, **kwargs)
    coefficients = getattr(getattr(component, "clf", None), "coef_", None)
    if coefficients is not None:
        component.clf.coef_ = np.asfortranarray(coefficients)
    return component


_RULES = "_passordhjelp_rules"
# The features of a rule's last state the rules are filed under: the previous action's
# name and the user's intent. A rule that requires one of them fits only a conversation
# whose last state has it (``RulePolicy._does_rule_match_state``).
_FILED_BY = ((PREVIOUS_ACTION, ACTION_NAME), (USER, INTENT))


def _required(state: Dict, sub_state: Text, feature: Text) -> Optional[Text]:
    """The value ``state`` requires of a feature, or None when it fits any value."""
    value = state.get(sub_state, {}).get(feature)
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None


class _Rules:
    """The rules of one lookup, parsed once: each key's states last first, the longest
    rule's length, and the keys filed by what their last state requires."""

    def __init__(self, policy: RulePolicy, lookup: Dict[Text, Any]) -> None:
        self.lookup = lookup
        self.states = {key: policy._rule_key_to_state(key)[::-1] for key in lookup}
        self.longest = max(map(len, self.states.values()), default=0)
        self.filed: Dict[Tuple[Optional[Text], ...], List[Text]] = {}
        for key, states in self.states.items():
            filed_by = tuple(_required(states[0], *feature) for feature in _FILED_BY)
            self.filed.setdefault(filed_by, []).append(key)

    def could_fit_last(self, state: Dict) -> set:
        """The keys whose last state can fit ``state``: each filed under what ``state``
        has or under nothing, for each feature. A conversation's first state has no
        previous action, and Rasa accepts any rule without one there: all keys."""
        if not state.get(PREVIOUS_ACTION):
            return set(self.states)
        # A value that is not a string fits no rule that requires one: as None.
        has = [
            value if isinstance(value, str) else None
            for value in (state.get(sub_state, {}).get(feature) for sub_state, feature in _FILED_BY)
        ]
        keys: set = set()
        for filed_by in itertools.product(*((value, None) for value in has)):
            keys.update(self.filed.get(filed_by, ()))
        return keys


def _rules(policy: RulePolicy, lookup: Dict[Text, Any]) -> _Rules:
    """``lookup``'s rules, parsed once and again only if its keys change (training)."""
    cache: Dict[int, _Rules] = policy.__dict__.setdefault(_RULES, {})
    rules = cache.get(id(lookup))
    if rules is None or rules.lookup is not lookup or rules.states.keys() != lookup.keys():
        rules = cache[id(lookup)] = _Rules(policy, lookup)
    return rules


def _rule_applicable(rule_states: List[Dict], turn: int, state: Dict) -> bool:
    """Rasa's ``RulePolicy._is_rule_applicable`` on a rule's states already last first."""
    if turn >= len(rule_states):
        return True
    rule_previous_action = rule_states[turn].get(PREVIOUS_ACTION)
    current_previous_action = state.get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return RulePolicy._does_rule_match_state(rule_states[turn], state)


def _get_possible_keys(self: RulePolicy, lookup: Dict[Text, Any], states: List[Dict]) -> set:
    """Rasa's ``RulePolicy._get_possible_keys``: the keys of the rules that fit ``states``."""
    if not states:
        return set(lookup.keys())
    rules = _rules(self, lookup)
    possible_keys = rules.could_fit_last(states[-1])
    for turn, state in enumerate(reversed(states)):
        if turn >= rules.longest or not possible_keys:
            # Further back than any rule reaches, Rasa's check accepts every key left.
            break
        possible_keys = {
            key for key in possible_keys if _rule_applicable(rules.states[key], turn, state)
        }
    return possible_keys


@lru_cache(maxsize=1)
def _empty_domain_data() -> Dict[Text, Any]:
    return Domain.empty().as_dict()


def _domain_is_empty(self: Domain) -> bool:
    """Rasa's ``Domain.is_empty``, with the empty domain's data built once."""
    return bool(self.as_dict() == _empty_domain_data())


_rasa_default_actions = rasa_actions.default_actions
_built_defaults: Dict[int, Tuple[Optional[EndpointConfig], List[Action]]] = {}


def _default_actions(action_endpoint: Optional[EndpointConfig] = None) -> List[Action]:
    """Rasa's ``default_actions``, built once for each action endpoint (the only thing
    they keep)."""
    built = _built_defaults.get(id(action_endpoint))
    if built is None or built[0] is not action_endpoint:
        built = (action_endpoint, _rasa_default_actions(action_endpoint))
        _built_defaults[id(action_endpoint)] = built
    return list(built[1])


_sanic_log_response = Http.log_response


def _log_response(self: Http) -> None:
    """Sanic's ``Http.log_response``, only when the access logger keeps the record."""
    if access_logger.isEnabledFor(logging.INFO):
        _sanic_log_response(self)


def _copy_slot(self: Slot) -> Slot:
    """What ``copy.copy`` makes of a slot: a new object of its class with its attributes."""
    copied: Slot = object.__new__(type(self))  # Slot has no __new__ of its own
    copied.__dict__.update(self.__dict__)
    return copied


class _NotPlain(Exception):
    """A value with a dataclass, or a subclass of dict, list or tuple, in it."""


def _asdict_value(value: Any) -> Any:
    """What ``dataclasses.asdict`` makes of a field's value with no dataclass and no
    subclass of dict, list or tuple in it: new dicts, lists and tuples of the same, JSON's
    scalars themselves (``copy.deepcopy`` returns them as they are), a deep copy of any
    other value (NumPy's scalars in a parse), as ``asdict`` does.

    Raises:
        _NotPlain: the value has a dataclass or such a subclass in it.
    """
    kind = type(value)
    if kind is dict:
        return {_asdict_value(key): _asdict_value(item) for key, item in value.items()}
    if kind is list:
        return [_asdict_value(item) for item in value]
    if kind is tuple:
        return tuple(_asdict_value(item) for item in value)
    if kind in _JSON_SCALARS:
        return value
    if dataclasses.is_dataclass(value) or isinstance(value, (dict, list, tuple)):
        raise _NotPlain
    return copy.deepcopy(value)


class _DataclassesForTrackers(ModuleType):
    """``dataclasses`` for Rasa's tracker module, whose one call at run time is
    ``dataclasses.asdict(self.active_loop)`` in ``DialogueStateTracker.current_state``: a
    form's state (with the parse of the message that started it) built directly."""

    def __getattr__(self, name: str) -> Any:
        return getattr(dataclasses, name)

    @staticmethod
    def asdict(obj: Any) -> Dict[str, Any]:
        if type(obj) is TrackerActiveLoop:
            try:
                return {
                    "name": _asdict_value(obj.name),
                    "is_interrupted": _asdict_value(obj.is_interrupted),
                    "rejected": _asdict_value(obj.rejected),
                    "trigger_message": _asdict_value(obj.trigger_message),
                }
            except _NotPlain:
                pass
        return dataclasses.asdict(obj)


# What ``install`` sets: (owner, attribute, replacement). Tests put back what was there.
REPLACEMENTS: Tuple[Tuple[Any, str, Any], ...] = (
    (RemoteAction, "_validate_action_result", _validate_action_result),
    (Event, "resolve_by_type", staticmethod(_resolve_by_type)),
    (DaskGraphRunner, "run", _run_in_order),
    (LogisticRegressionClassifier, "load", classmethod(_load_classifier)),
    (RulePolicy, "_get_possible_keys", _get_possible_keys),
    (Domain, "states_for_tracker_history", state_history.states_for_tracker_history),
    (Domain, "_get_slots_sub_state", staticmethod(state_history.slots_sub_state)),
    (DialogueStateTracker, "applied_events", applied_events.applied_events),
    (Domain, "is_empty", _domain_is_empty),
    (rasa_actions, "default_actions", _default_actions),
    (Http, "log_response", _log_response),
    (Slot, "__copy__", _copy_slot),
    (MessageProcessor, "_run_action", listen_without_copy.run_action),
    (rasa_trackers, "dataclasses", _DataclassesForTrackers("dataclasses")),
)


def install(rasa_version: str = rasa_release) -> None:
    """Replace Rasa's per-call schema check with the cached one (same rules), its
    event class lookup with the remembering one, its dask graph run with a loop, load
    its logistic regression classifier with column-ordered coefficients, find the
    rules that fit a conversation with each rule's states parsed once, replay a
    conversation's states once per turn (``runtime/state_history.py``) and its applied
    events once per tracker (``runtime/applied_events.py``), skip the tracker copy
    before a listen that could change nothing (``runtime/listen_without_copy.py``), build
    the empty domain that ``Domain.is_empty`` compares with and the default actions
    once, copy slots directly, build a form's state directly, and format Sanic's
    access-log record only when it is kept.

    Raises:
        RuntimeError: Rasa is not the release this was written for; check that
            ``RemoteAction._validate_action_result`` still does what this replaces,
            then update ``runtime.rasa_release.WRITTEN_FOR_RASA``.
    """
    require_written_for(
        rasa_version,
        changed_by="runtime/rasa_speedups.py",
        check="it against this release's RemoteAction._validate_action_result",
    )
    for owner, name, replacement in REPLACEMENTS:
        setattr(owner, name, replacement)
