"""Tokenizer that picks spaCy's English or Norwegian rules per message, adds lemmas, and
marks the message's language for the ``language`` slot."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_ROLE, EXTRACTOR, TEXT
from rasa.shared.nlu.training_data.message import Message

from passordhjelp.language import language_of
from passordhjelp.nlp.pipelines import pipeline, spelling_language

# Entity naming the language a message is written in (en or nb); domain.yml maps it to
# the `language` slot, which keeps its value for messages that don't tell.
LANGUAGE_ENTITY = "language"
# The entity's role when the message only hints at its language ("ok gotta run"):
# such a message sets the language of a new conversation but does not switch it
# (runtime/language_slot.py).
HINT_ROLE = "hint"
# Where tokenize() leaves its decision for process() (not part of the parse output).
_TOLD_LANGUAGE = "told_language"
_TOLD_CLEARLY = "told_language_clearly"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class BilingualSpacyTokenizer(Tokenizer):
    """One model serves both languages: each message gets its own language's tokenizer.

    Lemmas ("forgot" -> "forget", "passordet" -> "passord") feed the count
    vectors, so inflections and common typos share features; words in a
    negator's scope get their own lemma ("har ikke glemt" -> neg_glemme). A message
    that tells its language gets a ``language`` entity, so the reply language is set
    inside Rasa, without a call to the action server.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # Negation-scope marking ("haven't forgotten" -> neg_forget); off only
            # to measure what it brings (tests/nlu/compare_classifiers.py).
            "negation_scope": True,
        }

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext
               ) -> "BilingualSpacyTokenizer":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        messages = super().process(messages)
        for message in messages:
            language = message.get(_TOLD_LANGUAGE)
            if language is None:
                continue
            entity = {"entity": LANGUAGE_ENTITY, "value": language, "start": 0,
                      "end": len(message.get(TEXT)), EXTRACTOR: self.__class__.__name__}
            if not message.get(_TOLD_CLEARLY):
                entity[ENTITY_ATTRIBUTE_ROLE] = HINT_ROLE
            message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        language = language_of(text)
        if attribute == TEXT:
            message.set(_TOLD_LANGUAGE, language)
            message.set(_TOLD_CLEARLY, language is not None
                        and language_of(text, clearly=True) is not None)
        doc = pipeline(language or spelling_language(text),
                       negation=self._config["negation_scope"])(text)
        tokens = [
            Token(t.text, t.idx, lemma=(t.lemma_ or t.text).lower())
            for t in doc
            if not (t.is_space or t.is_punct)
        ]
        if not tokens:
            # Rasa's featurizers need at least one token, even for "?" or "".
            tokens = [Token(text, 0, lemma=text.lower())]
        return self._apply_token_pattern(tokens)
