"""NLU quality on evaluation sets never used for training, per language, with per-intent floors.

The sets and how each was made: tests/nlu/README.md and thresholds.yml. Since
session 9 every set has been read, so each is a regression set and prints its
misses; a set with ``show_texts: false`` (a future blind one) prints counts only.
"""

import asyncio
import logging

import pytest
import yaml

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.nlu_evaluation import evaluate, format_report, load_examples, normalized

EVALUATION = PROJECT_ROOT / "tests" / "nlu"
THRESHOLDS = yaml.safe_load((EVALUATION / "thresholds.yml").read_text(encoding="utf-8"))
TRAINING = PROJECT_ROOT / "data" / "nlu"
LANGUAGES = ("en", "nb")

pytestmark = pytest.mark.slow


def _set_file(set_name, language):
    return EVALUATION / THRESHOLDS[set_name]["file"].format(language=language)


def _languages(set_name):
    """The languages a set has (a development batch may be written in one only)."""
    return THRESHOLDS[set_name].get("languages", LANGUAGES)


@pytest.fixture(scope="module")
def classify(model_path):
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's parse log lines carry the text; the independent set's texts stay unseen.
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model_path))
    loop = asyncio.new_event_loop()

    def intent_of(text):
        return loop.run_until_complete(agent.parse_message(text))["intent"]["name"]

    yield intent_of
    loop.close()


@pytest.mark.parametrize(
    "set_name, language",
    [(set_name, language) for set_name in THRESHOLDS for language in _languages(set_name)],
)
def test_nlu_evaluation_set_meets_thresholds(classify, set_name, language):
    floors = THRESHOLDS[set_name]
    report = evaluate(load_examples(_set_file(set_name, language)), classify)
    print("\n" + format_report(f"{set_name} {language}", report,
                               with_texts=floors["show_texts"]))

    # Plain numbers in the asserts: pytest would print the report's repr, and with
    # it the texts of the misses of a set whose texts must stay unseen.
    confusions, accuracy = report.critical_confusions, report.accuracy
    assert confusions <= floors["critical_confusions"]
    assert accuracy >= floors["accuracy"][language]
    for intent, score in report.per_intent.items():
        if score.support:
            floor = floors["recall"].get(intent, floors["recall"]["default"])
            recall = score.recall
            assert recall >= floor, f"{intent} recall {recall:.2f} < {floor}"


def test_nlu_evaluation_sets_never_overlap_training_data():
    # Compared without case and punctuation: "Hi!" in training would score "hi".
    training = {normalized(e.text) for f in TRAINING.rglob("*.yml") for e in load_examples(f)}
    for set_name in THRESHOLDS:
        if THRESHOLDS[set_name].get("in_training"):
            # A development set copied into data/nlu on purpose (its floors check the fit).
            continue
        evaluation = {normalized(e.text) for language in _languages(set_name)
                      for e in load_examples(_set_file(set_name, language))}
        assert training and evaluation
        # A count, never the phrasings: the blind sets' texts stay unseen.
        shared = len(training & evaluation)
        assert shared == 0, f"{set_name}: {shared} phrasings also in data/nlu/"


def test_nlu_independent_set_covers_every_intent_with_300_phrasings_per_language():
    trained = {e.intent.split("/")[0] for f in TRAINING.rglob("*.yml") for e in load_examples(f)}
    for language in LANGUAGES:
        examples = load_examples(_set_file("independent", language))
        assert len(examples) >= 300
        assert trained <= {e.intent for e in examples}


@pytest.mark.parametrize("directory", LANGUAGES)
def test_nlu_training_data_has_25_examples_per_core_intent(directory):
    counts = {}
    for path in (TRAINING / directory).glob("*.yml"):
        for example in load_examples(path):
            counts[example.intent] = counts.get(example.intent, 0) + 1
    for intent in ("change_password", "forgot_password", "account_locked", "password_help",
                   "reset_request_status", "admin_reset_user_password", "other_person_password"):
        assert counts.get(intent, 0) >= 25, intent
