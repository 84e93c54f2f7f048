"""Averages two intent classifiers' rankings (the ensemble measured in tests/nlu/README.md).

Rasa runs classifiers one after another and each overwrites the intent of the
one before, so ``IntentRankingSnapshot`` keeps the first classifier's full
ranking on the message and ``IntentEnsemble``, after the second classifier,
averages the two.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

SNAPSHOT = "first_classifier_intent_ranking"


class _Stateless(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentRankingSnapshot(_Stateless, IntentClassifier):
    """Place right after the first classifier (with ``ranking_length: 0``)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.set(SNAPSHOT, list(message.get(INTENT_RANKING_KEY) or []))
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentEnsemble(_Stateless, IntentClassifier):
    """Place right after the second classifier; ``first_weight`` is the first one's share."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"first_weight": 0.5, "ranking_length": 10}

    def process(self, messages: List[Message]) -> List[Message]:
        weight = self.config["first_weight"]
        for message in messages:
            scores: Dict[str, float] = {}
            for share, ranking in (
                (weight, message.get(SNAPSHOT) or []),
                (1 - weight, message.get(INTENT_RANKING_KEY) or []),
            ):
                for entry in ranking:
                    scores[entry["name"]] = (
                        scores.get(entry["name"], 0.0) + share * entry["confidence"]
                    )
            if not scores:
                continue
            ranking = [
                {"name": name, "confidence": confidence}
                for name, confidence in sorted(scores.items(), key=lambda kv: -kv[1])
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True
            )
        return messages
