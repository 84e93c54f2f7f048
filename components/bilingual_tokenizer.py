"""Tokenizer that picks spaCy's English or Norwegian rules per message and adds lemmas."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from passordhjelp.language import detect_language
from passordhjelp.nlp.pipelines import pipeline


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class BilingualSpacyTokenizer(Tokenizer):
    """One model serves both languages: each message gets its own language's tokenizer.

    Lemmas ("forgot" -> "forget", "passordet" -> "passord") feed the count
    vectors, so inflections and common typos share features; words in a
    negator's scope get their own lemma ("har ikke glemt" -> neg_glemme).
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

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        doc = pipeline(detect_language(text), negation=self._config["negation_scope"])(text)
        tokens = [
            Token(t.text, t.idx, lemma=(t.lemma_ or t.text).lower())
            for t in doc
            if not (t.is_space or t.is_punct)
        ]
        if not tokens:
            # Rasa's featurizers need at least one token, even for "?" or "".
            tokens = [Token(text, 0, lemma=text.lower())]
        return self._apply_token_pattern(tokens)
