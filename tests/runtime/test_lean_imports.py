"""runtime/lean_imports.py: the Rasa server imports no TensorFlow for a model that doesn't
run it, and what it defers behaves as Rasa's own when it is used."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import pytest
from rasa.engine.graph import GraphSchema, SchemaNode
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)

from passordhjelp.config import PROJECT_ROOT
from runtime import lean_imports
from runtime.launcher import MODEL

MODULE = textwrap.dedent(
    """
    import sys
    from typing import TYPE_CHECKING

    RUNS = getattr(sys, "deferred_test_runs", 0) + 1
    sys.deferred_test_runs = RUNS
    LIMIT: int = 3
    first, (second, third) = 1, (2, 3)
    if TYPE_CHECKING:
        from pathlib import Path
    try:
        import json as decoder
    except ImportError:
        decoder = None

    def double(x):
        return 2 * x

    class Thing:
        pass
    """
)


@pytest.fixture
def deferred_package(tmp_path, monkeypatch):
    package = tmp_path / "deferredpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "heavy.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "deferred_test_runs", 0, raising=False)
    yield "deferredpkg.heavy"
    for name in ("deferredpkg.heavy", "deferredpkg"):
        sys.modules.pop(name, None)


def test_lean_imports_deferred_module_runs_on_first_use_of_one_of_its_names(deferred_package):
    lean_imports.defer_module(deferred_package)
    import deferredpkg.heavy
    import deferredpkg.heavy as alias

    assert sys.deferred_test_runs == 0  # importing it ran nothing
    assert alias is deferredpkg.heavy is sys.modules[deferred_package]
    assert alias.double(4) == 8
    assert sys.deferred_test_runs == 1
    assert (alias.LIMIT, alias.third, alias.decoder.__name__) == (3, 3, "json")
    from deferredpkg.heavy import Thing

    assert Thing.__module__ == deferred_package
    assert sys.deferred_test_runs == 1  # once


def test_lean_imports_deferred_module_unknown_name_is_an_attribute_error_without_running(
    deferred_package,
):
    module = lean_imports.defer_module(deferred_package)
    # As pickle's and skops' whichmodule ask every loaded module.
    assert getattr(module, "agm", None) is None
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        module.nothing  # noqa: B018
    assert sys.deferred_test_runs == 0
    assert module.first == 1
    with pytest.raises(AttributeError):
        module.nothing  # noqa: B018


@pytest.mark.slow  # runs the real module, and so imports TensorFlow
def test_lean_imports_names_cover_everything_rasas_train_utils_defines():
    # Every name the real module binds must be one that runs the deferred module, or a
    # caller would get an AttributeError.
    real = importlib.import_module(lean_imports.DEFERRED_MODULE)
    assert real.__spec__ is not None and real.__spec__.origin is not None
    with open(real.__spec__.origin, encoding="utf-8") as source:
        names = lean_imports._top_level_names(source.read())
    getattr(real, min(names))  # runs its code if still deferred (tests/conftest.py defers it)
    defined = {name for name in vars(real) if not name.startswith("__")}
    assert defined - names == set()


@pytest.mark.slow  # Rasa's recipe validator imports DIET, and so TensorFlow
def test_lean_imports_deferred_train_schema_is_rasas():
    from rasa.graph_components.validators.default_recipe_validator import (
        DefaultV1RecipeValidator,
    )

    schema = GraphSchema(
        {
            "validator": SchemaNode({}, DefaultV1RecipeValidator, "create", "validate", {}),
            "featurizer": SchemaNode(
                {"messages": "validator"},
                CountVectorsFeaturizer,
                "load",
                "process",
                {"analyzer": "char_wb"},
                resource=Resource("featurizer", "fingerprint"),
            ),
        }
    )
    deferred = lean_imports._deferred_graph_schema_class()(schema.as_dict())
    assert deferred.nodes == GraphSchema.from_dict(schema.as_dict()).nodes == schema.nodes
    assert deferred.as_dict() == schema.as_dict()
    assert deferred.target_names == schema.target_names
    assert deferred.minimal_graph_schema(["validator"]) == schema.minimal_graph_schema(
        ["validator"]
    )


def test_lean_imports_refuses_another_rasa_release():
    with pytest.raises(RuntimeError, match="written for Rasa 3.6.21, found 3.7.0"):
        lean_imports.install("3.7.0")


SERVER_IMPORTS = textwrap.dedent(
    """
    import asyncio, sys
    from runtime.quiet import silence_third_party_warnings
    silence_third_party_warnings()
    if sys.argv[2] == "lean":
        from runtime import lean_imports
        lean_imports.install()
    import rasa.core.run  # what `rasa run` imports
    from rasa.core.agent import Agent

    agent = Agent.load(sys.argv[1])
    texts = ["hi", "thanks", "jeg har glemt passordet", "how do I change my password"]
    parsed = [asyncio.run(agent.parse_message(text)) for text in texts]
    print("=", [(p["intent"]["name"], round(p["intent"]["confidence"], 6)) for p in parsed])
    print("=", "tensorflow" in sys.modules)
    print("=", len(agent.processor.model_metadata.train_schema.nodes) > 0)
    """
)


@pytest.mark.slow
def test_lean_imports_server_loads_the_model_without_tensorflow_and_parses_as_rasa():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")

    def run(mode: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", SERVER_IMPORTS, str(MODEL), mode],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={"RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "WARNING", "PATH": ""},
        )
        assert done.returncode == 0, done.stderr[-3000:]
        # Rasa's structlog writes debug lines to stdout too.
        return [line[2:] for line in done.stdout.splitlines() if line.startswith("= ")]

    lean, rasa = run("lean"), run("rasa")
    assert lean[0] == rasa[0]  # the same intents and confidences
    assert (lean[1], rasa[1]) == ("False", "True")  # TensorFlow imported
    assert lean[2] == rasa[2] == "True"  # the training graph is there when read


SKOPS_TRUSTED = textwrap.dedent(
    """
    import json, sys
    from runtime.quiet import silence_third_party_warnings
    silence_third_party_warnings()
    if sys.argv[1] == "late":
        import rasa.core.agent, rasa.core.run, spacy  # what is loaded when a component loads it
    from runtime import lean_imports
    lean_imports.install()
    import rasa.core.agent, rasa.core.run, spacy
    import skops.io._trusted_types as trusted
    print(json.dumps({k: getattr(trusted, k) for k in dir(trusted) if k.endswith("_NAMES")}))
    """
)


@pytest.mark.slow
def test_lean_imports_skops_trusts_the_same_types_when_imported_first():
    def trusted(order: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", SKOPS_TRUSTED, order],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={"RASA_TELEMETRY_ENABLED": "false", "PATH": ""},
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.splitlines()[-1]

    assert trusted("first") == trusted("late")
