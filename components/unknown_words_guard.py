"""Sends messages with no word the model was trained on to the fallback.

A linear classifier still spreads all its confidence over the known intents for
"qwpoeiru zxmnv", often onto "affirm"; at a confirmation step that would be
taken as a yes. A message none of whose words (or lemmas) occur in the
training data, not even up to a typo (passordhjelp/nlp/vocabulary.py), is
unclear by definition.
"""

from __future__ import annotations

import json
from typing import Any, Dict, FrozenSet, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from passordhjelp.nlp.vocabulary import Vocabulary

FALLBACK_INTENT = "nlu_fallback"
_VOCABULARY_FILE = "vocabulary.json"


def _words(message: Message) -> List[Any]:
    return [t for t in message.get(TOKENS_NAMES[TEXT], []) if t.text.isalpha()]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsGuard(GraphComponent, IntentClassifier):
    """Place after the intent classifier; keeps its ranking for topic suggestions."""

    def __init__(
        self,
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: FrozenSet[str] = frozenset(),
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._vocabulary = Vocabulary(vocabulary)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnknownWordsGuard":
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = set()
        for example in training_data.intent_examples:
            for token in _words(example):
                vocabulary.update({token.text.lower(), (token.lemma or "").lower()} - {""})
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _VOCABULARY_FILE).write_text(
                json.dumps(sorted(vocabulary)), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnknownWordsGuard":
        with model_storage.read_from(resource) as directory:
            words = json.loads((directory / _VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(model_storage, resource, frozenset(words))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            words = _words(message)
            known = any(
                t.text.lower() in self._vocabulary or (t.lemma or "").lower() in self._vocabulary
                for t in words
            )
            if words and not known:
                fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
                ranking = message.get(INTENT_RANKING_KEY) or []
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
        return messages
