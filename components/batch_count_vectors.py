"""Rasa's CountVectorsFeaturizer, featurizing the training data in one pass per attribute."""

from __future__ import annotations

from typing import Dict, List, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class BatchCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Same settings, vocabulary and features as Rasa's; only training is quicker.

    Rasa featurizes the training examples one at a time: scikit-learn analyses every
    token of every example (~55,000, of ~2,900 distinct words), then every example's
    joined text again, in two ``transform`` calls per example and attribute. Here each
    distinct token is analysed once and every example gets its tokens' rows; with
    ``char_wb`` (n-grams inside words) an example's sentence row is the sum of its token
    rows, as the analyser reads the joined text word by word; other analysers
    ``transform`` all the joined texts at once. The same matrices as Rasa's
    (tests/components/test_batch_count_vectors.py). A served message goes through
    Rasa's ``process`` as before.
    """

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for attribute in self._attributes:
            if self.vectorizers.get(attribute):
                self._featurize_together(training_data.training_examples, attribute)
        return training_data

    def _featurize_together(self, messages: List[Message], attribute: str) -> None:
        featurized: List[Tuple[Message, List[str]]] = []
        for message in messages:
            tokens = self._get_processed_message_tokens_by_attribute(message, attribute)
            if tokens:
                featurized.append((message, tokens))
        if not featurized:
            return
        vectorizer = self.vectorizers[attribute]
        distinct: Dict[str, int] = {}
        positions = np.array(
            [distinct.setdefault(token, len(distinct)) for _m, tokens in featurized for token in tokens]
        )
        sequences = vectorizer.transform(list(distinct))[positions]
        starts = np.cumsum([0] + [len(tokens) for _m, tokens in featurized])
        sentences = None
        if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            sentences = (
                _row_sums(sequences, starts)
                if self.analyzer == "char_wb"
                else vectorizer.transform([" ".join(tokens) for _m, tokens in featurized])
            )
        for index, (message, _tokens) in enumerate(featurized):
            sequence = sequences[starts[index] : starts[index + 1]]
            sequence.sort_indices()
            sentence = None
            if sentences is not None:
                sentence = sentences[index]
                sentence.sort_indices()
                sentence = sentence.tocoo()
            self.add_features_to_message(sequence.tocoo(), sentence, attribute, message)


def _row_sums(rows: csr_matrix, starts: np.ndarray) -> csr_matrix:
    """One row per group of consecutive ``rows`` (group i: ``starts[i]`` up to
    ``starts[i + 1]``), its sum; in ``rows``' dtype."""
    groups = len(starts) - 1
    membership = csr_matrix(
        (np.ones(rows.shape[0], dtype=rows.dtype), np.arange(rows.shape[0]), starts),
        shape=(groups, rows.shape[0]),
    )
    return (membership @ rows).tocsr()
