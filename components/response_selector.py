"""Picks the answer to a retrieval intent's question (``ask_process/<topic>``) with a logistic
regression on the message's sparse features: Rasa's ResponseSelector without TensorFlow.

Rasa's ``ResponseSelector`` is a DIET network: it builds a TensorFlow graph at
start-up and runs it on every message. With five topics and about seventy examples
per language, a linear model on the count vectors the intent classifier already
uses chooses as well (``bench/response_selector.py`` compares them on a held-out
split) and costs a sparse dot product.

It writes the ``response_selector`` parse output Rasa 3.6 reads
(``ActionRetrieveResponse`` picks ``utter_<intent>/<topic>`` from it, and the processor
sets ``full_retrieval_intent_name``), so domain responses and rules stay as they are::

    {"all_retrieval_intents": ["ask_process"],
     "ask_process": {"response": {"responses": [...], "confidence": 0.93,
                                  "intent_response_key": "ask_process/how_long",
                                  "utter_action": "utter_ask_process/how_long"},
                     "ranking": [{"confidence": 0.93,
                                  "intent_response_key": "ask_process/how_long"}, ...]}}

Unlike Rasa's, it answers only messages classified as the retrieval intent: nothing
else reads the selection, and every message's parse data is kept in the tracker.
Place it after the intent classifiers and before ``FallbackClassifier``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data import util
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.linear_model import LogisticRegression

from components import linear_model_files
from components.distinct_columns import fit_on_distinct_columns
from components.sentence_features import sparse_sentence_matrix

logger = logging.getLogger(__name__)

# The classifier as arrays and JSON (components/linear_model_files.py); models written
# before session 16 have it as a skops file.
_CLASSIFIER = "classifier"
_SKOPS_FILE = "classifier.skops"
_METADATA_FILE = "selector.json"


def features(messages: List[Message]) -> csr_matrix:
    """The sentence-level sparse and dense features of each message's text, one row each
    (as Rasa's LogisticRegressionClassifier builds them)."""
    stacked = sparse_sentence_matrix(messages)
    if stacked is not None:
        return stacked
    rows = []
    for message in messages:
        sparse = message.get_sparse_features(attribute=TEXT)[1]
        dense = message.get_dense_features(attribute=TEXT)[1]
        rows.append(
            hstack(
                [
                    csr_matrix(sparse.features if sparse else []),
                    csr_matrix(dense.features if dense else []),
                ]
            )
        )
    return vstack(rows).tocsr()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LogisticResponseSelector(GraphComponent, IntentClassifier):
    """``retrieval_intent``: the intent whose examples carry ``<intent>/<topic>`` labels.
    ``C``: scikit-learn's inverse regularisation strength. ``ranking_length``: entries in
    the ranking (0: all)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "retrieval_intent": None,
            "C": 10.0,
            "max_iter": 300,
            "random_state": 42,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        *,
        classifier: Optional[LogisticRegression] = None,
        all_retrieval_intents: Optional[List[str]] = None,
        responses: Optional[Dict[str, List[Dict[str, Any]]]] = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        if not self.config["retrieval_intent"]:
            raise ValueError("LogisticResponseSelector needs `retrieval_intent` in config.yml")
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier
        self.all_retrieval_intents = list(all_retrieval_intents or [])
        self.responses = dict(responses or {})

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LogisticResponseSelector":
        return cls(config, model_storage, resource)

    @property
    def retrieval_intent(self) -> str:
        return str(self.config["retrieval_intent"])

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on the retrieval intent's examples, labelled ``<intent>/<topic>``."""
        self.all_retrieval_intents = sorted(training_data.retrieval_intents)
        prefix = util.intent_response_key_to_template_key(f"{self.retrieval_intent}/")
        self.responses = {
            key: value for key, value in training_data.responses.items() if key.startswith(prefix)
        }
        examples = [
            example
            for example in training_data.intent_examples
            if example.get(INTENT) == self.retrieval_intent
            and example.get(INTENT_RESPONSE_KEY)
            and example.get(TEXT)
        ]
        labels = [example.get(INTENT_RESPONSE_KEY) for example in examples]
        if len(set(labels)) < 2:
            raise ValueError(
                f"LogisticResponseSelector needs examples of at least two "
                f"`{self.retrieval_intent}/<topic>` labels, found {sorted(set(labels))}"
            )
        self.classifier = LogisticRegression(
            C=self.config["C"],
            max_iter=self.config["max_iter"],
            random_state=self.config["random_state"],
            class_weight="balanced",
            solver="lbfgs",
        )
        # The retrieval intent's examples use about a fifth of the count vectors'
        # columns (the others are empty), and many of those are equal.
        fit_on_distinct_columns(self.classifier, features(examples), labels)
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self.classifier is None:
            raise ValueError("nothing to persist: the selector is not trained")
        with self._model_storage.write_to(self._resource) as directory:
            linear_model_files.save(self.classifier, directory, _CLASSIFIER)
            metadata = {
                "all_retrieval_intents": self.all_retrieval_intents,
                "responses": self.responses,
            }
            (directory / _METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LogisticResponseSelector":
        """Load the trained model.

        Raises:
            ValueError: a model written before session 16 whose skops file holds types
                skops does not trust (Rasa's own classifier then silently starts
                untrained; an untrained selector would answer no process question, so
                this one refuses to load).
        """
        with model_storage.read_from(resource) as directory:
            classifier = linear_model_files.load(LogisticRegression, directory, _CLASSIFIER)
            if classifier is None:
                classifier = _load_skops(directory / _SKOPS_FILE)
            metadata = json.loads((directory / _METADATA_FILE).read_text(encoding="utf-8"))
        return cls(
            config,
            model_storage,
            resource,
            classifier=classifier,
            all_retrieval_intents=metadata["all_retrieval_intents"],
            responses=metadata["responses"],
        )

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the selection to each message classified as the retrieval intent."""
        asked = [
            message
            for message in messages
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.retrieval_intent
        ]
        if not asked or self.classifier is None:
            return messages
        probabilities = self.classifier.predict_proba(features(asked))
        labels = [str(label) for label in self.classifier.classes_]
        for message, row in zip(asked, probabilities):
            self._set_selection(message, labels, [float(p) for p in row])
        return messages

    def _set_selection(self, message: Message, labels: List[str], scores: List[float]) -> None:
        ranking = sorted(zip(labels, scores), key=lambda pair: -pair[1])
        key, confidence = ranking[0]
        if self.config["ranking_length"] > 0:
            ranking = ranking[: self.config["ranking_length"]]
        utter_action = util.intent_response_key_to_template_key(key)
        selection = {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: self.responses.get(utter_action, []),
                PREDICTED_CONFIDENCE_KEY: confidence,
                INTENT_RESPONSE_KEY: key,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
            },
            RESPONSE_SELECTOR_RANKING_KEY: [
                {PREDICTED_CONFIDENCE_KEY: score, INTENT_RESPONSE_KEY: label}
                for label, score in ranking
            ],
        }
        properties = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
        properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self.all_retrieval_intents
        properties[self.retrieval_intent] = selection
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)


def _load_skops(path: Path) -> LogisticRegression:
    """A classifier a model written before session 16 holds as a skops file."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    if untrusted:
        raise ValueError(f"{path.name} holds untrusted types: {untrusted}")
    classifier: LogisticRegression = sio.load(path, trusted=[])
    return classifier
