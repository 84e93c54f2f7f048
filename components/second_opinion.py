"""A second opinion on change_password against forgot_password, from word features only.

The intent classifier reads word lemmas and character n-grams together; on a message with
mixed signals ("IT told me to change it, but I can't, I've forgotten the current one") the
n-grams of one intent's words can carry it confidently to the wrong one of the pair. This
component fits a second logistic regression on the word counts alone (the featurizer named
by ``featurizer``, its ``alias`` in config.yml). When the pipeline's answer is change or
forgot and this model gives the other of the two at least ``disagree``, the message is
password_help, whose answer asks whether the chatter still knows the password
(``passordhjelp.nlp.close_call``). Calibrated in session 13 (tests/nlu/README.md,
"Session 13: the change/forgot safety net"). Place before the ShapeReadings (a pasted
password that fails stays forgotten) and the CloseCallGuard.
"""

from __future__ import annotations

import pickle
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from components.distinct_columns import TransposeKept
from components.regularised_logistic_regression import multinomial_probabilities
from components.sentence_features import sparse_sentence_matrix
from passordhjelp.nlp.close_call import CLOSE_PAIR, asked
from passordhjelp.nlp.forgotten_told import tells_known_plainly
from passordhjelp.nlp.someone_else import change_after_others_trouble

_FILE = "second_opinion.pkl"
_CHANGE = "change_password"


def word_features(message: Message, featurizer: str) -> Optional[csr_matrix]:
    """The message's sentence counts from ``featurizer`` (one row), None without them."""
    feature = _word_counts(message, featurizer)
    return None if feature is None else csr_matrix(feature.features, dtype=np.float64)


def _word_counts(message: Message, featurizer: str) -> Optional[Features]:
    for feature in message.features:
        if (
            feature.attribute == TEXT
            and feature.type == FEATURE_TYPE_SENTENCE
            and feature.origin == featurizer
            and feature.is_sparse()
        ):
            return feature
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SecondOpinionGuard(GraphComponent, IntentClassifier):
    """``featurizer``: alias of the word-count featurizer; ``C``: the fit's inverse
    regularisation; ``disagree``: the other intent's probability that makes a question."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"featurizer": "word_counts", "C": 150.0, "disagree": 0.2, "max_iter": 300}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        clf: Optional[LogisticRegression] = None,
    ) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.clf = clf

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SecondOpinionGuard":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SecondOpinionGuard":
        clf = None
        try:
            with model_storage.read_from(resource) as directory:
                clf = pickle.loads((directory / _FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            pass
        return cls(config, model_storage, resource, clf)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on the word counts of the examples that have them (all rows stacked at
        once: 0.1 instead of 0.9 CPU seconds for 11,000 rows converted and stacked one by one)."""
        featurizer = self.config["featurizer"]
        examples = [
            example
            for example in training_data.intent_examples
            if example.get(INTENT) and _word_counts(example, featurizer) is not None
        ]
        labels = [example.get(INTENT) for example in examples]
        if examples and len(set(labels)) > 1:
            rows = sparse_sentence_matrix(examples, origin=featurizer)
            if rows is None:
                raise ValueError(f"the word counts of `{featurizer}` differ in width")
            clf = LogisticRegression(
                C=float(self.config["C"]),
                solver="newton-cg",
                max_iter=int(self.config["max_iter"]),
            )
            clf.fit(TransposeKept(normalize(rows)), labels)
            self.clf = clf
            with self._model_storage.write_to(self._resource) as directory:
                (directory / _FILE).write_bytes(pickle.dumps(clf))
        return self._resource

    def other_probability(self, message: Message, intent: str) -> float:
        """This model's probability of the other of change and forgot than ``intent``."""
        if self.clf is None:
            return 0.0
        features = word_features(message, self.config["featurizer"])
        if features is None or features.shape[1] != self.clf.coef_.shape[1]:
            return 0.0
        [other] = CLOSE_PAIR - {intent}
        classes = list(self.clf.classes_)
        if other not in classes:
            return 0.0
        probabilities = multinomial_probabilities(
            self.clf, features.indices, features.data, unit_length=True
        )
        return float(probabilities[classes.index(other)])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in CLOSE_PAIR:
                continue
            # Session 20: "sjefen glemte sitt, så jeg vil bytte mitt": the forgetting is the
            # other person's, the change the chatter's own.
            if intent == _CHANGE and change_after_others_trouble(message.get(TEXT) or ""):
                continue
            if self.other_probability(message, intent) < float(self.config["disagree"]):
                continue
            # Session 21: "my username I always forget, my password never": the forgetting is
            # of something else, the password told known plainly (read only where the second
            # opinion would ask).
            if intent == _CHANGE and tells_known_plainly(message.get(TEXT) or ""):
                continue
            ranking = asked(message.get(INTENT_RANKING_KEY) or [])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
