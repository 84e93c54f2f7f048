"""Asks instead of guessing when the classifier can hardly tell change_password from forgot_password.

When those two intents lead the ranking within ``margin`` of each other, the message
is password_help (``passordhjelp.nlp.close_call``), whose answer asks whether the
chatter still knows the password. password_help gets the two intents' confidence
together, so a close call is asked about rather than sent to the fallback. The margin
is calibrated on the development and read sets and on repeated hold-out of the
training data (tests/nlu/README.md, "Session 9").
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

from passordhjelp.nlp.close_call import close_call


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CloseCallGuard(GraphComponent, IntentClassifier):
    """Place after the other guards, before the FallbackClassifier."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.margin = float(config["margin"])

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"margin": 0.1}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CloseCallGuard":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            asked = close_call(ranking, self.margin)
            if asked is not ranking:
                message.set(INTENT, asked[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, asked, add_to_output=True)
        return messages
