"""The broad Norwegian phrasings widen the training data instead of repeating it."""

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.nlu_evaluation import load_examples, normalized

TRAINING = PROJECT_ROOT / "data" / "nlu"
BROAD = TRAINING / "nb" / "broad.yml"


def _key(text):
    # As the classifier compares them; an emoji-only line has no words, so it is its own key.
    return normalized(text) or text


def test_training_data_broad_phrasings_repeat_no_other_example():
    elsewhere = {_key(e.text) for f in TRAINING.rglob("*.yml") if f != BROAD for e in load_examples(f)}
    broad = [_key(e.text) for e in load_examples(BROAD)]
    assert len(broad) > 900
    assert len(set(broad)) == len(broad)
    assert not set(broad) & elsewhere
