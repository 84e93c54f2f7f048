"""The broad and boundary Norwegian phrasings widen the training data instead of repeating it."""

import pytest

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.nlu_evaluation import load_examples, normalized

TRAINING = PROJECT_ROOT / "data" / "nlu"


def _key(text):
    # As the classifier compares them; an emoji-only line has no words, so it is its own key.
    return normalized(text) or text


@pytest.mark.parametrize(("name", "at_least"), [("broad.yml", 900), ("boundaries.yml", 250)])
def test_training_data_written_phrasings_repeat_no_other_example(name, at_least):
    written = TRAINING / "nb" / name
    elsewhere = {
        _key(e.text) for f in TRAINING.rglob("*.yml") if f != written for e in load_examples(f)
    }
    phrasings = [_key(e.text) for e in load_examples(written)]
    assert len(phrasings) > at_least
    assert len(set(phrasings)) == len(phrasings)
    assert not set(phrasings) & elsewhere
