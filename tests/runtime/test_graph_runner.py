"""The graph run without dask (runtime/rasa_speedups.py) computes what Rasa's dask run does."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import logging

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import (
    ExecutionContext,
    GraphComponent,
    GraphNode,
    GraphNodeHook,
    GraphSchema,
    SchemaNode,
)
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.exceptions import InvalidConfigException, RasaException

from runtime.rasa_speedups import _call_node, _run_in_order

CALLS: List[Text] = []


class _Configured(GraphComponent):
    """A test component made from its configuration alone."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Configured:
        return cls(config)


class Constant(_Configured):
    """Provides its configured value."""

    def provide(self) -> Any:
        CALLS.append(f"constant {self.config['value']}")
        return self.config["value"]


class Join(_Configured):
    """Joins its inputs, in the order of their parameter names; fails on "boom"."""

    def join(self, **parts: Any) -> Any:
        name = self.config["name"]
        CALLS.append(f"join {name}")
        if "boom" in parts.values():
            raise ValueError("boom")
        if "invalid" in parts.values():
            raise InvalidConfigException("invalid")
        if "rasa" in parts.values():
            raise RasaException("rasa")
        return [name] + [parts[key] for key in sorted(parts)]


def node(
    uses: type, fn: Text, needs: Dict[Text, Text], *, is_target: bool = False, **config: Any
) -> SchemaNode:
    return SchemaNode(needs, uses, "create", fn, config, is_target=is_target)


SCHEMA = GraphSchema(
    {
        "a": node(Constant, "provide", {}, value="A"),
        "b": node(Constant, "provide", {}, value="B"),
        "ab": node(Join, "join", {"x": "a", "y": "b"}, name="ab"),
        "with_input": node(Join, "join", {"x": "ab", "y": "__message__"}, name="with_input"),
        "unused": node(Join, "join", {"x": "b"}, name="unused"),
        "top": node(Join, "join", {"x": "with_input", "y": "a"}, name="top", is_target=True),
    }
)


@pytest.fixture
def runner(tmp_path) -> DaskGraphRunner:
    return DaskGraphRunner(SCHEMA, LocalModelStorage(tmp_path), ExecutionContext(SCHEMA, "m"))


def both(runner: DaskGraphRunner, inputs: Optional[Dict] = None, targets: Optional[List] = None):
    CALLS.clear()
    dask_result = DaskGraphRunner.run(runner, inputs, targets)
    dask_calls = sorted(CALLS)
    CALLS.clear()
    ours = _run_in_order(runner, inputs, targets)
    assert sorted(CALLS) == dask_calls  # the same nodes, each once
    return ours, dask_result


@pytest.mark.parametrize(
    "inputs, targets",
    [
        ({"__message__": "M"}, None),
        ({"__message__": "M"}, ["top"]),
        ({"__message__": "M"}, ["ab", "unused"]),
        ({"__message__": "M"}, ["__message__", "a"]),
        (None, ["ab"]),
        ({"a": "input replaces node"}, ["ab"]),
        ({"__message__": "M", "extra": 1}, None),
    ],
)
def test_graph_runner_computes_what_dask_computes(runner, inputs, targets):
    ours, dask_result = both(runner, inputs, targets)
    assert ours == dask_result
    assert ours  # not vacuous


def test_graph_runner_runs_each_node_after_the_nodes_it_needs(runner):
    CALLS.clear()
    _run_in_order(runner, {"__message__": "M"}, None)
    assert CALLS.index("join ab") > max(CALLS.index("constant A"), CALLS.index("constant B"))
    assert CALLS.index("join top") > CALLS.index("join with_input") > CALLS.index("join ab")
    assert "join unused" not in CALLS


def test_graph_runner_missing_input_and_failures_as_dask(runner):
    # No __message__: the node gets the bare name, which Rasa's node refuses.
    for run in (DaskGraphRunner.run, _run_in_order):
        with pytest.raises(GraphRunError, match="Missing input to run node 'with_input'"):
            run(runner, None, ["top"])
        with pytest.raises(GraphComponentException, match="node with_input"):
            run(runner, {"__message__": "boom"}, ["top"])
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            run(runner, {"__message__": "ab"}, ["top"])


@pytest.mark.parametrize("given, raised", [("invalid", InvalidConfigException),
                                           ("rasa", RasaException)])
def test_graph_runner_passes_rasas_own_errors_on_as_rasas_node(runner, given, raised, caplog):
    for run in (DaskGraphRunner.run, _run_in_order):
        caplog.clear()
        with pytest.raises(raised, match=given) as error:
            run(runner, {"__message__": given}, ["top"])
        assert type(error.value) is raised
        logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert logged == ([] if raised is InvalidConfigException
                          else ["Error running graph component for node with_input."])


class _Recording(GraphNodeHook):
    def __init__(self) -> None:
        self.seen: List[Text] = []

    def on_before_node(self, node_name, execution_context, config, received_inputs):
        self.seen.append(f"before {node_name}")
        return {}

    def on_after_node(self, node_name, execution_context, config, output, input_hook_data):
        self.seen.append(f"after {node_name}")


def test_graph_runner_a_node_with_hooks_or_debug_lines_is_called_rasas_way(tmp_path, caplog):
    hook = _Recording()
    schema_node = node(Join, "join", {"x": "a"}, name="hooked")
    made = GraphNode.from_schema_node("hooked", schema_node, LocalModelStorage(tmp_path),
                                      ExecutionContext(SCHEMA, "m"), hooks=[hook])
    assert _call_node(made, (("a", "A"),)) == ("hooked", ["hooked", "A"])
    assert hook.seen == ["before hooked", "after hooked"]
    plain = GraphNode.from_schema_node("plain", schema_node, LocalModelStorage(tmp_path),
                                       ExecutionContext(SCHEMA, "m"))
    with caplog.at_level(logging.DEBUG, logger="rasa.engine.graph"):
        assert _call_node(plain, (("a", "A"),)) == ("plain", ["hooked", "A"])
    assert "Node 'plain' running 'Join.join'." in caplog.messages
