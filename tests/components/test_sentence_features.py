"""The classifiers' features for served messages and for the training data are the matrix
Rasa's own method builds."""

from __future__ import annotations

from typing import List, Optional, Tuple

import numpy as np
import pytest
import scipy.sparse
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from components.sentence_features import sparse_sentence_matrix


def a_message(*, dtypes=(np.int64, np.float64), dense: str = "", seed: int = 0,
              widths: Optional[Tuple[int, int]] = None) -> Message:
    """A message as the two count vectorizers leave it: sequence (per token) and sentence
    features from each, in the order the featurizers ran, with duplicate and unsorted
    columns as COO allows; ``dense``: a dense feature of that type as well; ``widths``:
    the featurizers' vocabulary sizes (random without)."""
    rng = np.random.default_rng(seed)
    message = Message(data={TEXT: "glemt passord"})
    for index, (origin, dtype) in enumerate(zip(("words", "chars"), dtypes)):
        width = widths[index] if widths else int(rng.integers(20, 60))
        for kind, rows in (("sequence", 2), ("sentence", 1)):
            columns = rng.integers(0, width, size=8)
            values = rng.integers(1, 4, size=8).astype(dtype)
            matrix = scipy.sparse.coo_matrix(
                (values, (rng.integers(0, rows, size=8), columns)), shape=(rows, width)
            )
            message.add_features(Features(matrix, kind, TEXT, origin))
    if dense:
        rows = 2 if dense == "sequence" else 1
        message.add_features(Features(np.ones((rows, 3)), dense, TEXT, "dense"))
    return message


def rasas(messages: List[Message]) -> scipy.sparse.csr_matrix:
    return LogisticRegressionClassifier._create_X(None, messages)  # uses no state


@pytest.mark.parametrize(
    "dtypes", [(np.int64, np.float64), (np.float32, np.float32), (np.int64, np.int64)]
)
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dense", ["", "sequence"])
@pytest.mark.parametrize("count", [1, 4])
def test_sentence_features_as_rasa(dtypes, seed, dense, count):
    # One message: every parse; several: the training data.
    messages = [
        a_message(dtypes=dtypes, seed=seed + 10 * i, dense=dense, widths=(30, 50))
        for i in range(count)
    ]
    ours, theirs = sparse_sentence_matrix(messages), rasas(messages)
    assert (ours.format, ours.shape, ours.dtype) == (theirs.format, theirs.shape, theirs.dtype)
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)


def test_sentence_features_other_cases_left_to_rasa():
    assert sparse_sentence_matrix([]) is None
    assert sparse_sentence_matrix([a_message(dense="sentence")]) is None
    assert sparse_sentence_matrix([Message(data={TEXT: "no features"})]) is None
    # Featurizers of other widths: not one model's messages.
    assert sparse_sentence_matrix([a_message(widths=(30, 50)), a_message(widths=(30, 51))]) is None
