"""The second opinion on change against forgot, from word counts alone (session 13)."""

import numpy as np
import pytest
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import coo_matrix
from sklearn.linear_model import LogisticRegression

from components.second_opinion import SecondOpinionGuard

# Three word columns: "change", "forget", "hello".
CLASSES = ["change_password", "forgot_password", "greet"]


def fitted():
    clf = LogisticRegression(C=10.0)
    counts = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]], float)
    clf.fit(counts, [c for c in CLASSES for _ in range(2)])
    return clf


def message(counts, ranking, origin="word_counts"):
    m = Message(data={TEXT: "…", INTENT: dict(ranking[0]),
                      INTENT_RANKING_KEY: [dict(r) for r in ranking]})
    m.add_features(Features(coo_matrix(np.array([counts], float)), FEATURE_TYPE_SENTENCE,
                            TEXT, origin))
    return m


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def judged(counts, ranked, disagree=0.2, origin="word_counts"):
    guard = SecondOpinionGuard({**SecondOpinionGuard.get_default_config(), "disagree": disagree},
                               None, None, fitted())
    [m] = guard.process([message(counts, ranked, origin)])
    return m.get(INTENT), m.get(INTENT_RANKING_KEY)


CHANGE_FIRST = ranking(("change_password", 0.9), ("forgot_password", 0.07), ("greet", 0.03))


def test_disagreement_is_asked_about():
    # The words say "forget"; the pipeline said change.
    intent, rest = judged([0, 1, 0], CHANGE_FIRST)
    assert intent == {"name": "password_help", "confidence": pytest.approx(0.97)}
    assert [r["name"] for r in rest] == ["password_help", "greet"]


def test_agreement_keeps_the_answer():
    intent, rest = judged([1, 0, 0], CHANGE_FIRST)
    assert intent["name"] == "change_password"
    assert rest == CHANGE_FIRST


def test_other_intents_are_not_judged():
    greet = ranking(("greet", 0.9), ("forgot_password", 0.07), ("change_password", 0.03))
    assert judged([0, 1, 0], greet)[0]["name"] == "greet"


def test_threshold_is_its_configuration():
    assert judged([0, 1, 0], CHANGE_FIRST, disagree=1.01)[0]["name"] == "change_password"


def test_without_the_word_features_no_opinion():
    assert judged([0, 1, 0], CHANGE_FIRST, origin="char_counts")[0]["name"] == "change_password"


def test_training_fits_on_the_word_counts_of_examples_with_an_intent(tmp_path):
    """Only the word-count featurizer's rows (the character counts beside them are not
    read), of examples with an intent and those counts; the same fit as on each row in
    turn, with a training pair repeated to show the rows keep their order."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from scipy.sparse import vstack
    from sklearn.preprocessing import normalize

    from components.second_opinion import word_features

    words = [[2, 0, 0], [1, 0, 1], [0, 1, 0], [0, 3, 1], [0, 0, 1], [1, 0, 2]]
    examples = []
    for counts, intent in zip(words, [c for c in CLASSES for _ in range(2)]):
        example = message(counts, ranking((intent, 1.0)))
        example.set(INTENT, intent)
        example.add_features(
            Features(coo_matrix(np.array([[1, 1, 1, 1]])), FEATURE_TYPE_SENTENCE, TEXT, "chars")
        )
        examples.append(example)
    unlabelled = message([5, 5, 5], ranking(("greet", 1.0)))
    unlabelled.set(INTENT, None)
    without_words = message([5, 5, 5], ranking(("greet", 1.0)), origin="chars")
    without_words.set(INTENT, "greet")
    config = SecondOpinionGuard.get_default_config()
    guard = SecondOpinionGuard(config, LocalModelStorage(tmp_path), Resource("second"))
    guard.train(TrainingData(examples + [unlabelled, without_words]))

    expected = LogisticRegression(C=config["C"], solver="newton-cg", max_iter=config["max_iter"])
    rows = [word_features(example, "word_counts") for example in examples]
    expected.fit(normalize(vstack(rows).tocsr()), [e.get(INTENT) for e in examples])
    assert guard.clf.coef_.shape == (3, 3)
    assert np.array_equal(guard.clf.coef_, expected.coef_)
    assert np.array_equal(guard.clf.intercept_, expected.intercept_)
