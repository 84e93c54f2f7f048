"""components/linear_model_files.py: a fitted classifier written as arrays and JSON reads back
as the same classifier (every attribute, dtype and memory order), and the two components
that write it load what they wrote, or a model written with skops before."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from sklearn.linear_model import LogisticRegression

from components import linear_model_files
from components.distinct_columns import fit_on_distinct_columns
from components.regularised_logistic_regression import RegularisedLogisticRegressionClassifier
from components.response_selector import LogisticResponseSelector

INTENTS = ["change_password", "forgot_password", "greet", "account_locked"]


def _fitted(solver: str) -> LogisticRegression:
    features = sp.random(80, 300, density=0.05, format="csr", random_state=0)
    labels = [INTENTS[i % len(INTENTS)] for i in range(80)]
    classifier = LogisticRegression(
        C=150, solver=solver, max_iter=300, class_weight="balanced", random_state=42
    )
    # As the components fit: on the distinct columns (Fortran-ordered coefficients).
    fit_on_distinct_columns(classifier, features, labels)
    return classifier


def _assert_same(loaded: LogisticRegression, fitted: LogisticRegression) -> None:
    assert type(loaded) is type(fitted)
    assert loaded.get_params() == fitted.get_params()
    assert {k: type(v) for k, v in loaded.get_params().items()} == {
        k: type(v) for k, v in fitted.get_params().items()
    }
    assert vars(loaded).keys() == vars(fitted).keys()
    for attribute, value in vars(fitted).items():
        other = getattr(loaded, attribute)
        if isinstance(value, np.ndarray):
            assert other.dtype == value.dtype and other.shape == value.shape, attribute
            # A strided view (a fit's intercept_) is written contiguous, as skops wrote it.
            for order in ("C_CONTIGUOUS", "F_CONTIGUOUS"):
                assert other.flags[order] or not value.flags[order], (attribute, order)
            assert np.array_equal(other, value), attribute
        else:
            assert type(other) is type(value) and other == value, attribute


@pytest.mark.parametrize("solver", ["newton-cg", "lbfgs"])
def test_linear_model_files_read_back_the_same_classifier(tmp_path, solver):
    fitted = _fitted(solver)
    linear_model_files.save(fitted, tmp_path, "classifier")
    loaded = linear_model_files.load(LogisticRegression, tmp_path, "classifier")
    assert loaded is not None
    _assert_same(loaded, fitted)
    rows = sp.random(5, 300, density=0.1, format="csr", random_state=1)
    assert np.array_equal(loaded.predict_proba(rows), fitted.predict_proba(rows))


def test_linear_model_files_nothing_written_is_none(tmp_path):
    assert linear_model_files.load(LogisticRegression, tmp_path, "classifier") is None


def test_linear_model_files_refuse_what_json_and_npz_cannot_hold(tmp_path):
    fitted = _fitted("lbfgs")
    fitted.classes_ = fitted.classes_.astype(object)
    with pytest.raises(ValueError, match="object array"):
        linear_model_files.save(fitted, tmp_path, "classifier")
    weighted = _fitted("lbfgs").set_params(class_weight={1: 2.0})
    with pytest.raises(ValueError, match="JSON"):
        linear_model_files.save(weighted, tmp_path, "classifier")


def _classifier_component(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("intent_classifier")
    context = ExecutionContext(GraphSchema({}), "intent_classifier")
    config = {
        **RegularisedLogisticRegressionClassifier.get_default_config(),
        "C": 150,
        "solver": "newton-cg",
    }
    component = RegularisedLogisticRegressionClassifier.create(config, storage, resource, context)
    return component, config, storage, resource, context


def test_linear_model_files_intent_classifier_loads_what_it_persisted_without_skops(tmp_path):
    component, config, storage, resource, context = _classifier_component(tmp_path)
    component.clf = _fitted("newton-cg")
    component.persist()
    with storage.read_from(resource) as directory:
        assert not list(directory.glob("*.skops"))
    loaded = RegularisedLogisticRegressionClassifier.load(config, storage, resource, context)
    _assert_same(loaded.clf, component.clf)


def test_linear_model_files_intent_classifier_loads_a_skops_model(tmp_path):
    # Models written before session 16: Rasa's persistence, skops.
    component, config, storage, resource, context = _classifier_component(tmp_path)
    fitted = _fitted("newton-cg")
    with storage.write_to(resource) as directory:
        sio.dump(fitted, directory / f"{resource.name}.skops")
    loaded = RegularisedLogisticRegressionClassifier.load(config, storage, resource, context)
    _assert_same(loaded.clf, fitted)


def test_linear_model_files_response_selector_loads_a_skops_model(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("selector")
    context = ExecutionContext(GraphSchema({}), "selector")
    config = {"retrieval_intent": "ask_process"}
    selector = LogisticResponseSelector.create(config, storage, resource, context)
    selector.classifier = _fitted("lbfgs")
    selector.persist()
    fitted = selector.classifier
    with storage.read_from(resource) as directory:
        assert not list(directory.glob("*.skops"))
        _assert_same(
            LogisticResponseSelector.load(config, storage, resource, context).classifier, fitted
        )
        for written in directory.glob("classifier.*"):
            written.unlink()
        sio.dump(fitted, directory / "classifier.skops")
    _assert_same(
        LogisticResponseSelector.load(config, storage, resource, context).classifier, fitted
    )
