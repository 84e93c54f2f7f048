"""Rasa's logistic regression intent classifier with its regularisation strength as an option.

Rasa 3.6 fixes scikit-learn's ``C`` at 1.0. With twenty intents and short
messages (few n-gram features) that spreads the probability so thin that
"thanks a lot" lands under the fallback threshold; a weaker penalty (larger
``C``) gives the confidences the fallback threshold expects. Chosen by
measurement (tests/nlu/README.md). It fits on the training matrix's distinct columns
(components/distinct_columns.py): the same model in about 60 % of the time. It writes its
classifier as arrays and JSON (components/linear_model_files.py), not with skops, whose
first import cost 3 to 5 of ``rasa train``'s CPU seconds; a model written by Rasa's
skops persistence still loads.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import numpy as np

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from components import linear_model_files
from components.distinct_columns import fit_on_distinct_columns
from components.sentence_features import sentence_entries, sparse_sentence_matrix


def multinomial_probabilities(
    clf: LogisticRegression, columns: np.ndarray, values: np.ndarray, *, unit_length: bool
) -> np.ndarray:
    """A multinomial model's probabilities for one row given by its few entries: what
    ``predict_proba`` gives (after scaling the row to unit length), without building and
    validating a sparse matrix for it."""
    if unit_length:
        length = np.sqrt(np.dot(values, values))
        if length != 0.0:
            values = values / length
    scores = clf.coef_[:, columns] @ values + clf.intercept_
    scores = np.exp(scores - scores.max())
    return scores / scores.sum()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RegularisedLogisticRegressionClassifier(LogisticRegressionClassifier):
    """``C``: inverse regularisation strength, as in scikit-learn (Rasa's default 1.0)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0, "row_norm": None}

    def __init__(
        self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=self.config["C"])

    def persist(self) -> None:
        """The classifier as arrays and JSON (Rasa's writes it with skops)."""
        with self._model_storage.write_to(self._resource) as directory:
            linear_model_files.save(self.clf, directory, self._resource.name)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "RegularisedLogisticRegressionClassifier":
        """The classifier ``persist`` wrote; a model with Rasa's skops file goes Rasa's way,
        and so does one with no classifier (Rasa's then starts untrained).

        The coefficients come back in the order they were written: column order, as the fit
        on distinct columns leaves them (what the server's ``rasa_speedups`` gives Rasa's
        own classifier on loading, so no per-message copy either way).
        """
        try:
            with model_storage.read_from(resource) as directory:
                clf = linear_model_files.load(LogisticRegression, directory, resource.name)
        except ValueError:  # no directory for the resource
            clf = None
        if clf is None:
            return super().load(config, model_storage, resource, execution_context, **kwargs)
        component = cls(config, execution_context.node_name, model_storage, resource)
        component.clf = clf
        return component

    def _create_X(self, messages: List[Message]) -> csr_matrix:  # noqa: N802 (Rasa's name)
        # ``row_norm: l2`` scales each message's counts to unit length, so a long
        # message's many words don't outweigh the few that carry the request.
        features = sparse_sentence_matrix(messages)
        if features is None:
            features = super()._create_X(messages)
        if self.config["row_norm"]:
            features = normalize(csr_matrix(features), norm=self.config["row_norm"])
        return features

    def process(self, messages: List[Message]) -> List[Message]:
        """Rasa's, with a served message's probabilities computed from its few entries.

        Rasa's way builds a sparse matrix for the one message, checks it, normalises it
        and multiplies it through scikit-learn's validation: about 0.3 ms of a parse
        for some 60 non-zero entries. One message with its sentence counts and a
        multinomial model is scored directly (the same arithmetic: row scaled to unit
        length, the coefficients of its columns times its values plus the intercepts,
        softmax), to within rounding; anything else goes Rasa's way.
        """
        if len(messages) != 1:
            return super().process(messages)
        probabilities = self._probabilities(messages[0])
        if probabilities is None:
            return super().process(messages)
        ranking = sorted(
            (
                {"name": name, "confidence": value}
                for name, value in zip(self.clf.classes_, probabilities)
            ),
            key=lambda entry: -entry["confidence"],
        )
        intent = ranking[0]
        if self.config[RANKING_LENGTH] > 0:
            ranking = ranking[: self.config[RANKING_LENGTH]]
        messages[0].set("intent", intent, add_to_output=True)
        messages[0].set("intent_ranking", ranking, add_to_output=True)
        return messages

    def _probabilities(self, message: Message) -> Optional[np.ndarray]:
        clf = self.clf
        # scikit-learn's predict_proba takes the softmax unless it reads one-vs-rest.
        one_vs_rest = clf.multi_class in ("ovr", "warn") or (
            clf.multi_class == "auto" and (clf.classes_.size <= 2 or clf.solver == "liblinear")
        )
        if (
            self.config["row_norm"] not in (None, "l2")
            or one_vs_rest
            or getattr(clf, "coef_", None) is None
        ):
            return None
        entries = sentence_entries(message)
        if entries is None or entries[2] != clf.coef_.shape[1]:
            return None
        columns, values, _width = entries
        return multinomial_probabilities(
            clf, columns, values, unit_length=self.config["row_norm"] == "l2"
        )

    def train(self, training_data: TrainingData) -> Resource:
        """Rasa's, with the fit on the distinct columns."""
        X, y = self._create_training_matrix(training_data)  # noqa: N806 (Rasa's name)
        if X.shape[0] == 0:
            return super().train(training_data)  # Rasa's note that there is nothing to fit
        fit_on_distinct_columns(self.clf, X, y)
        self.persist()
        return self._resource
