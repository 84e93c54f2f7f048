"""Rasa server start-up without TensorFlow when the model doesn't run it, and without
skops' slow import.

Passordhjelp's model has no TensorFlow component, yet Rasa 3.6's server imported
TensorFlow three ways, about 400 MB of its 675 MB and several CPU seconds of its start:

- Rasa core: ``rasa.core.agent`` → policies → featurizers → ``rasa.nlu.extractors.extractor``
  → ``rasa.utils.train_utils``, which imports Keras callbacks for training. Here
  ``train_utils`` is registered as a module that runs its code the first time one of its
  own names is used (a TensorFlow policy or classifier still gets it, then).
- The model's *training* graph, which Rasa deserialises (importing every class in it)
  although a server only runs the prediction graph: its ``DefaultV1RecipeValidator``
  imports ``DIETClassifier``. Here it is deserialised the first time it is read.
- spaCy's ``thinc`` probes for TensorFlow (``thinc.compat``) to offer its TensorFlow
  model wrappers, which spaCy's tokenizers don't use: it is imported while TensorFlow is
  hidden, so the probe finds none.

skops (which Rasa's and our logistic regression components load their classifiers with)
looks up, when first imported, each of NumPy's and SciPy's ufuncs in every loaded module
(pickle's ``whichmodule``): 2.6 CPU seconds once Rasa and spaCy are loaded, none
to speak of when it is imported first. Its lists of trusted types come out the same.

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), never as an
import side effect, before Rasa core is imported, and only on the Rasa version it was
written for.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, FrozenSet, Optional, Text

from runtime.rasa_release import require_written_for

# The Rasa release whose import chain and ModelMetadata.from_dict this was written for.
DEFERRED_MODULE = "rasa.utils.train_utils"


def _top_level_names(source: str) -> FrozenSet[str]:
    """Every name a module's top-level code can bind (a superset: both branches of an
    ``if``/``try``, ``TYPE_CHECKING`` imports included)."""
    names = set()
    pending = list(ast.parse(source).body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Import):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody"):
                pending.extend(getattr(node, field, []))
            pending.extend(
                item for handler in getattr(node, "handlers", []) for item in handler.body
            )
    return frozenset(names)


def defer_module(name: str) -> ModuleType:
    """Register module ``name`` so that its code runs when one of its names is first read.

    Until then it is an empty module with the real one's ``__spec__`` and ``__file__``,
    so ``import name`` and ``import name as alias`` cost nothing. A name the module's
    code never binds raises ``AttributeError`` without running it: libraries that look
    for an object in every loaded module (``pickle.whichmodule``, skops) don't load it.
    A module already imported is returned as it is.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.origin is None:
        raise ImportError(f"no module named {name!r}")
    names = _top_level_names(Path(spec.origin).read_text(encoding="utf-8"))
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def load_on_first_use(attribute: str) -> Any:
        if attribute not in names:
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}")
        del module.__dict__["__getattr__"]
        loader.exec_module(module)
        return getattr(module, attribute)

    module.__getattr__ = load_on_first_use  # type: ignore[method-assign]
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(importlib.import_module(parent), child, module)
    return module


def _import_hidden(module: str, hidden: str) -> None:
    """Import ``module`` while ``hidden`` cannot be imported (``import hidden`` fails)."""
    if module in sys.modules or hidden in sys.modules:
        return
    sys.modules[hidden] = None  # type: ignore[assignment]
    try:
        importlib.import_module(module)
    finally:
        del sys.modules[hidden]


def _deferred_graph_schema_class() -> Any:
    from rasa.engine.graph import GraphSchema

    class DeferredGraphSchema(GraphSchema):
        """A ``GraphSchema`` deserialised (its classes imported) when first read."""

        def __init__(self, serialized: Dict[Text, Any]) -> None:
            self._serialized = serialized
            self._nodes: Optional[Dict[Text, Any]] = None

        @property
        def nodes(self) -> Dict[Text, Any]:
            if self._nodes is None:
                self._nodes = GraphSchema.from_dict(self._serialized).nodes
            return self._nodes

    return DeferredGraphSchema


def install(rasa_version: Optional[str] = None) -> None:
    """Keep TensorFlow out of the Rasa server until a component of the model needs it,
    and import skops while it is cheap.

    Call before Rasa core (``rasa.core``, ``rasa.nlu``) and spaCy are imported.

    Raises:
        RuntimeError: Rasa is not the release this was written for; check its import
            chain (``python -X importtime``) and ``ModelMetadata.from_dict``, then update
            ``runtime.rasa_release.WRITTEN_FOR_RASA``.
    """
    if rasa_version is None:
        from rasa.version import __version__

        rasa_version = __version__
    require_written_for(
        rasa_version,
        changed_by="runtime/lean_imports.py",
        check="what imports TensorFlow in this release",
    )
    importlib.import_module("skops.io")  # first, while few modules are loaded
    _import_hidden("thinc.compat", hidden="tensorflow")
    defer_module(DEFERRED_MODULE)

    from rasa.engine.storage.storage import ModelMetadata

    rasa_from_dict = ModelMetadata.from_dict.__func__
    deferred_schema = _deferred_graph_schema_class()

    def from_dict(cls: Any, serialized: Dict[Text, Any]) -> ModelMetadata:
        metadata = rasa_from_dict(cls, dict(serialized, train_schema={"nodes": {}}))
        metadata.train_schema = deferred_schema(serialized["train_schema"])
        return metadata

    ModelMetadata.from_dict = classmethod(from_dict)
