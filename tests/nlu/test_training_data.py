"""The broad and boundary phrasings widen the training data instead of repeating it."""

import pytest

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.nlu_evaluation import load_examples, normalized

TRAINING = PROJECT_ROOT / "data" / "nlu"


def _key(text):
    # As the classifier compares them; an emoji-only line has no words, so it is its own key.
    return normalized(text) or text


@pytest.mark.parametrize(
    "path, minimum",
    [(TRAINING / "nb" / "broad.yml", 900), (TRAINING / "nb" / "boundaries.yml", 250),
     (TRAINING / "en" / "boundaries.yml", 300), (TRAINING / "en" / "categories.yml", 150),
     (TRAINING / "nb" / "others_told_indirectly.yml", 50),
     (TRAINING / "nb" / "process_and_lookalikes.yml", 50),
     (TRAINING / "en" / "session7.yml", 200)],
)
def test_training_data_added_phrasings_repeat_no_other_example(path, minimum):
    elsewhere = {_key(e.text) for f in TRAINING.rglob("*.yml") if f != path for e in load_examples(f)}
    added = [_key(e.text) for e in load_examples(path)]
    assert len(added) > minimum
    assert len(set(added)) == len(added)
    assert not set(added) & elsewhere
