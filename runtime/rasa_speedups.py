"""Rasa 3.6 checks every action-server answer with ``jsonschema.validate``, which also
re-checks the schema itself on every call: about 12 ms per custom action on these
2-core machines, most of a turn (see ``make bench``'s profile). The same check with
a validator built once takes well under a millisecond.

Rasa 3.6 also finds the class of every stored event it reads by walking all subclasses
of ``Event`` (with an abstract-class check for each): for every event of the
conversation, on every message, about 3 % of the server's time (README, "Where a
message's time goes"). The lookup here remembers the class Rasa's own walk found for
each type name.

Rasa 3.6 runs the model's graph (NLU and policies) for every message through dask's
scheduler, whose bookkeeping (ordering the tasks, callbacks, a thread-pool-shaped loop)
and the graph pruning and debug formatting before it were about a tenth of the
server's CPU per message (README, "Where a message's time goes"). ``install`` replaces
``DaskGraphRunner.run`` with a loop over the same pruned graph's nodes in an order
worked out once per set of targets: each node gets the same inputs and the result is
the same.

Rasa 3.6's ``LogisticRegressionClassifier`` predicts with scikit-learn's
``X @ coef_.T``: with the coefficients in row order (as trained and as skops loads
them), SciPy copies the whole transposed matrix (intents × features, 2.6 MB here) for
every message. ``install`` makes the loaded classifier's coefficients column-ordered,
so the transpose is used in place: the same numbers, about 0.3 ms less per message.

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), never as an
import side effect, and only on the Rasa version it was written for."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Text, Tuple, Type

import numpy as np
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.version import __version__ as rasa_release

from runtime.rasa_release import require_written_for

# The Rasa release whose RemoteAction._validate_action_result this replaces.


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
                results[node_name] = node(*(results.get(need, need) for need in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[target] for target in run_targets)


_rasa_load_classifier = LogisticRegressionClassifier.load.__func__


def _load_classifier(cls: Any, *args: Any, **kwargs: Any) -> LogisticRegressionClassifier:
    """Rasa's ``LogisticRegressionClassifier.load``, with the coefficients column-ordered."""
    component = _rasa_load_classifier(cls, *args, **kwargs)
    coefficients = getattr(getattr(component, "clf", None), "coef_", None)
    if coefficients is not None:
        component.clf.coef_ = np.asfortranarray(coefficients)
    return component


# What ``install`` sets: (class, attribute, replacement). Tests put back what was there.
REPLACEMENTS: Tuple[Tuple[type, str, Any], ...] = (
    (RemoteAction, "_validate_action_result", _validate_action_result),
    (Event, "resolve_by_type", staticmethod(_resolve_by_type)),
    (DaskGraphRunner, "run", _run_in_order),
    (LogisticRegressionClassifier, "load", classmethod(_load_classifier)),
)


def install(rasa_version: str = rasa_release) -> None:
    """Replace Rasa's per-call schema check with the cached one (same rules), its
    event class lookup with the remembering one, its dask graph run with a loop, and
    load its logistic regression classifier with column-ordered coefficients.

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
