"""Tokenizer that picks spaCy's English or Norwegian rules per message, adds lemmas, and
marks the message's language for the ``language`` slot."""

from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_ROLE, EXTRACTOR, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from passordhjelp.language import read_language
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


class LemmaToken(Token):
    """Rasa's ``Token`` with a quicker fingerprint of the same content.

    Rasa fingerprints every node's output while training, each message's tokens
    included: ``Token.fingerprint`` hashes text, start, end, lemma and data one by one,
    then the list of hashes, about 0.1 million tokens after each of three nodes (some
    3 CPU seconds of a training run). This hashes them in one go (the ``repr`` of
    strings, numbers and the data's sorted items, stable from run to run), once: kept
    until ``set`` changes the token's data, as Rasa keeps a message's fingerprint until
    its ``set`` (nothing in Rasa or here assigns a token's text, offsets or lemma anew).
    """

    _fingerprint: Optional[str] = None

    def set(self, prop: Text, info: Any) -> None:
        super().set(prop, info)
        self._fingerprint = None

    def fingerprint(self) -> str:
        if self._fingerprint is None:
            content = (self.text, self.start, self.end, self.lemma, sorted(self.data.items()))
            self._fingerprint = hashlib.md5(
                repr(content).encode("utf-8"), usedforsecurity=False
            ).hexdigest()
        return self._fingerprint


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
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

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        # While training: the tokens of each other attribute's distinct text (see
        # process_training_data); None otherwise.
        self._tokens_of: Optional[Dict[Tuple[str, str], List[Token]]] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "BilingualSpacyTokenizer":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        messages = super().process(messages)
        for message in messages:
            language = message.get(_TOLD_LANGUAGE)
            if language is None:
                continue
            entity = {
                "entity": LANGUAGE_ENTITY,
                "value": language,
                "start": 0,
                "end": len(message.get(TEXT)),
                EXTRACTOR: self.__class__.__name__,
            }
            if not message.get(_TOLD_CLEARLY):
                entity[ENTITY_ATTRIBUTE_ROLE] = HINT_ROLE
            message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Rasa's, with each distinct text of an attribute other than the message text
        put through spaCy once: every example of a retrieval intent carries its
        response's text (1,142 examples, 6 distinct texts, about as many characters as
        all user messages together)."""
        self._tokens_of = {}
        try:
            return super().process_training_data(training_data)
        finally:
            self._tokens_of = None

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        if self._tokens_of is not None and attribute != TEXT:
            key = (attribute, text)
            if key not in self._tokens_of:
                self._tokens_of[key] = self._tokenize(message, attribute)
            return [
                LemmaToken(t.text, t.start, t.end, dict(t.data), t.lemma)
                for t in self._tokens_of[key]
            ]
        return self._tokenize(message, attribute)

    def _tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        # Read once: the language told, whether clearly, and the words for the spelling.
        language, clearly, words = read_language(text)
        if attribute == TEXT:
            message.set(_TOLD_LANGUAGE, language)
            message.set(_TOLD_CLEARLY, language is not None and clearly is not None)
        doc = pipeline(
            language or spelling_language(text, words), negation=self._config["negation_scope"]
        )(text)
        tokens = [
            LemmaToken(t.text, t.idx, lemma=(t.lemma_ or t.text).lower())
            for t in doc
            if not (t.is_space or t.is_punct)
        ]
        if not tokens:
            # Rasa's featurizers need at least one token, even for "?" or "".
            tokens = [LemmaToken(text, 0, lemma=text.lower())]
        return self._apply_token_pattern(tokens)
