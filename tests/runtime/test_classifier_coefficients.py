"""Rasa's logistic regression classifier loaded with column-ordered coefficients
(runtime/rasa_speedups.py) predicts exactly what it predicted before."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from sklearn.linear_model import LogisticRegression

from runtime.rasa_speedups import _load_classifier


def test_classifier_coefficients_column_ordered_same_probabilities(tmp_path):
    features = sp.random(60, 500, density=0.05, format="csr", random_state=0)
    intents = np.arange(60) % 4
    trained = LogisticRegression(max_iter=200).fit(features, intents)
    storage, resource = LocalModelStorage(tmp_path), Resource("classifier")
    with storage.write_to(resource) as directory:
        sio.dump(trained, directory / "classifier.skops")

    component = _load_classifier(
        LogisticRegressionClassifier,
        LogisticRegressionClassifier.get_default_config(),
        storage,
        resource,
        ExecutionContext(GraphSchema({}), "model"),
    )
    assert component.clf.coef_.T.flags["C_CONTIGUOUS"]  # no copy per prediction
    message = sp.random(3, 500, density=0.05, format="csr", random_state=1)
    assert np.array_equal(component.clf.predict_proba(message), trained.predict_proba(message))
