"""config.yml's tokenizer and count vectors with a response selector, trained in this process
on the project's NLU data with some process questions held out (for the selector's tests and
tests/components/compare_response_selectors.py)."""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Type

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.batch_count_vectors import BatchCountVectorsFeaturizer
from components.bilingual_tokenizer import BilingualSpacyTokenizer
from components.response_selector import LogisticResponseSelector
from passordhjelp.config import PROJECT_ROOT

RETRIEVAL_INTENT = "ask_process"
LANGUAGES = ("en", "nb")
# Each topic's examples, per language, are dealt into FOLDS folds in file order.
FOLDS = 4


def config_steps() -> Dict[str, Dict[str, Any]]:
    """Settings in config.yml of the tokenizer, the two featurizers and the selector."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    found: Dict[str, Dict[str, Any]] = {}
    for step in config["pipeline"]:
        name = step["name"].rsplit(".", 1)[-1]
        if name == BatchCountVectorsFeaturizer.__name__:
            name = f"{name}{sum(key.startswith(name) for key in found)}"
        found[name] = {k: v for k, v in step.items() if k != "name"}
    return found


def process_responses(domain: Domain) -> Dict[str, List[Dict[str, Any]]]:
    """The domain's responses to the retrieval intent, as Rasa passes them to NLU training."""
    prefix = f"utter_{RETRIEVAL_INTENT}/"
    return {k: v for k, v in domain.responses.items() if k.startswith(prefix)}


@lru_cache(maxsize=2)
def _tokenized(process_only: bool) -> Tuple[Tuple[str, Message], ...]:
    """The NLU examples (or only the process questions) with their language, tokenized once
    (the slow part)."""
    examples = []
    for language in LANGUAGES:
        data = load_data(str(PROJECT_ROOT / "data" / "nlu" / language))
        examples.extend(
            (language, example)
            for example in data.training_examples
            if not process_only or example.get(INTENT) == RETRIEVAL_INTENT
        )
    tokenizer(config_steps()).process_training_data(
        TrainingData([example for _language, example in examples])
    )
    return tuple(examples)


def split(
    fold: int, *, process_only: bool = False
) -> Tuple[TrainingData, Dict[str, List[Message]]]:
    """All NLU data (tokenized, not featurized) but the process questions of ``fold``
    (0 to FOLDS - 1), which are returned per language. ``process_only``: only the process
    questions (a smaller vocabulary, quicker)."""
    training_examples: List[Message] = []
    held_out: Dict[str, List[Message]] = {language: [] for language in LANGUAGES}
    seen: Dict[Tuple[str, str], int] = {}
    for language, tokenized in _tokenized(process_only):
        # A fresh message per fold: featurizers add their features to the message.
        example = Message(
            data=dict(tokenized.data), output_properties=set(tokenized.output_properties)
        )
        key = example.get(INTENT_RESPONSE_KEY)
        if example.get(INTENT) == RETRIEVAL_INTENT and key:
            seen[language, key] = seen.get((language, key), 0) + 1
            if seen[language, key] % FOLDS == fold:
                held_out[language].append(example)
                continue
        training_examples.append(example)
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    return TrainingData(training_examples, responses=process_responses(domain)), held_out


def tokenizer(steps: Dict[str, Dict[str, Any]]) -> BilingualSpacyTokenizer:
    return BilingualSpacyTokenizer(
        {**BilingualSpacyTokenizer.get_default_config(), **steps["BilingualSpacyTokenizer"]}
    )


class Pipeline:
    """The tokenizer, the count vectors and a selector, trained on ``training`` (tokenized,
    as ``split`` returns it)."""

    def __init__(
        self,
        training: TrainingData,
        storage_path: Path,
        *,
        selector: Type[GraphComponent] = LogisticResponseSelector,
        selector_config: Optional[Dict[str, Any]] = None,
    ) -> None:
        steps = config_steps()
        storage_path.mkdir(parents=True, exist_ok=True)
        self.storage = LocalModelStorage(storage_path)
        self.context = ExecutionContext(GraphSchema({}), "test")
        self.tokenizer = tokenizer(steps)
        self.featurizers = [
            BatchCountVectorsFeaturizer.create(
                {**BatchCountVectorsFeaturizer.get_default_config(), **steps[name]},
                self.storage,
                Resource(name),
                self.context,
            )
            for name in ("BatchCountVectorsFeaturizer0", "BatchCountVectorsFeaturizer1")
        ]
        for featurizer in self.featurizers:
            featurizer.train(training)
            featurizer.process_training_data(training)
        self.selector_config = (
            steps["LogisticResponseSelector"] if selector_config is None else selector_config
        )
        self.resource = Resource("selector")
        self.selector = selector.create(
            {**selector.get_default_config(), **self.selector_config},
            self.storage,
            self.resource,
            self.context,
        )
        start = time.process_time()
        self.selector.train(training)  # type: ignore[attr-defined]
        self.selector_train_cpu_s = time.process_time() - start

    def featurize(self, text: str, intent: str = RETRIEVAL_INTENT) -> Message:
        """The message as the selector gets it, after the intent classifier chose ``intent``."""
        message = Message(data={TEXT: text})
        self.tokenizer.process([message])
        for featurizer in self.featurizers:
            featurizer.process([message])
        message.set(INTENT, {"name": intent, "confidence": 0.9}, add_to_output=True)
        return message

    def parse(self, text: str, intent: str = RETRIEVAL_INTENT) -> Message:
        """The message as the selector leaves it."""
        return self.selector.process([self.featurize(text, intent)])[0]  # type: ignore[attr-defined]

    def topic(self, message: Message) -> Optional[str]:
        """The ``<intent>/<topic>`` the selector chose for a held-out example."""
        selection = self.parse(message.get(TEXT)).get("response_selector") or {}
        return (
            (selection.get(RETRIEVAL_INTENT) or {}).get("response", {}).get("intent_response_key")
        )
