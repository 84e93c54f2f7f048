"""NLU quality on held-out examples in both languages, with per-intent floors."""

import asyncio

import pytest
import yaml

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.nlu_evaluation import evaluate, format_report, load_examples

HELDOUT = PROJECT_ROOT / "tests" / "nlu"
THRESHOLDS = yaml.safe_load((HELDOUT / "thresholds.yml").read_text(encoding="utf-8"))
TRAINING = PROJECT_ROOT / "data" / "nlu"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def classify(model_path):
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    loop = asyncio.new_event_loop()

    def intent_of(text):
        return loop.run_until_complete(agent.parse_message(text))["intent"]["name"]

    yield intent_of
    loop.close()


@pytest.mark.parametrize("language", ["en", "nb"])
def test_nlu_heldout_meets_thresholds(classify, language):
    report = evaluate(load_examples(HELDOUT / f"heldout_{language}.yml"), classify)
    print("\n" + format_report(f"held-out {language}", report))

    assert report.critical_confusions <= THRESHOLDS["critical_confusions"]
    assert report.accuracy >= THRESHOLDS["accuracy"]
    for intent, score in report.per_intent.items():
        if score.support:
            floor = THRESHOLDS["recall"].get(intent, THRESHOLDS["recall"]["default"])
            assert score.recall >= floor, f"{intent} recall {score.recall:.2f} < {floor}"


def test_nlu_heldout_never_overlaps_training_data():
    training = {e.text.lower() for f in TRAINING.rglob("*.yml") for e in load_examples(f)}
    heldout = {e.text.lower() for f in HELDOUT.glob("heldout_*.yml") for e in load_examples(f)}
    assert training and heldout
    assert not training & heldout


@pytest.mark.parametrize("directory", ["en", "nb"])
def test_nlu_training_data_has_25_examples_per_core_intent(directory):
    counts = {}
    for path in (TRAINING / directory).glob("*.yml"):
        for example in load_examples(path):
            counts[example.intent] = counts.get(example.intent, 0) + 1
    for intent in ("change_password", "forgot_password", "account_locked", "password_help",
                   "reset_request_status", "admin_reset_user_password"):
        assert counts.get(intent, 0) >= 25, intent
