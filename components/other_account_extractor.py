"""Entity extractor that marks a mention of someone else's account as ``other_account``
(or a looser mention of a third person as ``third_person``, which counts only at
the request form's offer and confirmation)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from passordhjelp.nlp.other_account import find_account_mention


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class OtherAccountExtractor(GraphComponent, EntityExtractorMixin):
    """Rules (spaCy Matcher) rather than a trained model: a refusal must not depend on luck."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "OtherAccountExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            mention = find_account_mention(text) if text else None
            if mention is None:
                continue
            entity = {
                "entity": mention.entity,
                "start": mention.start,
                "end": mention.end,
                "value": mention.text,
            }
            entities = self.add_extractor_name([entity])
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
