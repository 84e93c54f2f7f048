"""A fitted scikit-learn linear classifier written as NumPy arrays and JSON, and read back.

Rasa's ``LogisticRegressionClassifier`` writes its classifier with skops, whose first
import looks up NumPy's and SciPy's functions in every loaded module: 3 to 5 of
``rasa train``'s CPU seconds once Rasa has loaded TensorFlow (bench/README.md, "Session
16: training time"). The classifier is its parameters (``get_params``: strings, numbers,
booleans, None) and its fitted attributes (arrays and numbers); here those go to a JSON
file and an ``.npz`` file, each array as it is (dtype, shape and memory order), read
back with ``allow_pickle=False``: no code is run and no type has to be trusted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional, Type, TypeVar

import numpy as np
from sklearn.base import BaseEstimator

Estimator = TypeVar("Estimator", bound=BaseEstimator)


def save(classifier: BaseEstimator, directory: Path, name: str) -> None:
    """Write ``classifier`` to ``<name>.json`` and ``<name>.npz`` in ``directory``.

    Raises:
        ValueError: a parameter or fitted attribute is not a JSON value or a plain NumPy
            array (an object array, a dict with other than string keys).
    """
    params = classifier.get_params(deep=False)
    arrays: Dict[str, np.ndarray] = {}
    numbers: Dict[str, Any] = {}
    for attribute, value in vars(classifier).items():
        if not attribute.endswith("_") or attribute.startswith("_") or attribute in params:
            continue
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise ValueError(f"{attribute} is an object array")
            arrays[attribute] = value
        else:
            numbers[attribute] = value
    content = {"params": params, "fitted": numbers}
    text = json.dumps(content)
    if json.loads(text) != content:
        raise ValueError(f"the parameters of {type(classifier).__name__} are not JSON values")
    (directory / f"{name}.json").write_text(text, encoding="utf-8")
    with (directory / f"{name}.npz").open("wb") as file:
        np.savez(file, **arrays)


def load(kind: Type[Estimator], directory: Path, name: str) -> Optional[Estimator]:
    """The classifier ``save`` wrote as ``name`` in ``directory``, None when it wrote none."""
    arrays_file, json_file = directory / f"{name}.npz", directory / f"{name}.json"
    if not (arrays_file.is_file() and json_file.is_file()):
        return None
    content = json.loads(json_file.read_text(encoding="utf-8"))
    classifier = kind(**content["params"])
    for attribute, value in content["fitted"].items():
        setattr(classifier, attribute, value)
    with np.load(arrays_file, allow_pickle=False) as arrays:
        for attribute in arrays.files:
            setattr(classifier, attribute, arrays[attribute])
    return classifier
