"""Rasa's CountVectorsFeaturizer, featurizing the training data in one pass per attribute."""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache
from itertools import repeat
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import coo_matrix, csr_matrix, isspmatrix_coo
from sklearn.feature_extraction.text import CountVectorizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class BatchCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Same settings, vocabulary and features as Rasa's; only training is quicker.

    Rasa featurizes the training examples one at a time: scikit-learn analyses every
    token of every example (~55,000, of ~2,900 distinct words), then every example's
    joined text again, in two ``transform`` calls per example and attribute. Here each
    distinct token is analysed once and every example gets its tokens' rows; with
    ``char_wb`` (n-grams inside words) an example's sentence row is the sum of its token
    rows, as the analyser reads the joined text word by word; other analysers
    ``transform`` all the joined texts at once. The same matrices as Rasa's
    (tests/components/test_batch_count_vectors.py), as ``CountFeatures``.

    A served message gets only the sentence features of its text (or of another
    attribute that has them): Rasa's ``process`` also counts every token on its own
    for the per-token sequence features, which no component of ``config.yml`` reads
    (the classifier and the response selector read the sentence row), one more
    ``transform`` per featurizer and message. The sentence features are Rasa's own.
    That row is counted directly (``_SentenceCounter``): scikit-learn's ``transform``
    builds its analyser, checks and converts a whole document-term matrix for every
    call, several times the work of counting one short message.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._counters: Dict[int, _SentenceCounter] = {}

    def _sentence_row(self, vectorizer: CountVectorizer, text: str) -> coo_matrix:
        counter = self._counters.get(id(vectorizer))
        if counter is None or counter.vectorizer is not vectorizer:
            counter = self._counters[id(vectorizer)] = _SentenceCounter(vectorizer)
        return counter.row(text)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.vectorizers is None:
            return super().process(messages)
        for message in messages:
            for attribute in self._attributes:
                vectorizer = self.vectorizers.get(attribute)
                tokens = self._get_processed_message_tokens_by_attribute(message, attribute)
                if not vectorizer or not tokens:
                    continue
                if attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
                    # Sequence features are all such an attribute has: Rasa's own.
                    sequence, sentence = self._create_features(attribute, [tokens])
                    self.add_features_to_message(sequence[0], sentence[0], attribute, message)
                    continue
                row = self._sentence_row(vectorizer, " ".join(tokens))
                self.add_features_to_message(None, row, attribute, message)
        return messages

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
            [
                distinct.setdefault(token, len(distinct))
                for _m, tokens in featurized
                for token in tokens
            ]
        )
        sequences = vectorizer.transform(list(distinct))[positions]
        sequences.sort_indices()
        starts = np.cumsum([0] + [len(tokens) for _m, tokens in featurized])
        sentences = None
        if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            sentences = (
                _row_sums(sequences, starts)
                if self.analyzer == "char_wb"
                else vectorizer.transform([" ".join(tokens) for _m, tokens in featurized])
            )
            sentences.sort_indices()
        for index, (message, _tokens) in enumerate(featurized):
            rows = [(FEATURE_TYPE_SEQUENCE, sequences, starts[index], starts[index + 1])]
            if sentences is not None:
                rows.append((FEATURE_TYPE_SENTENCE, sentences, index, index + 1))
            for kind, matrix, first, end in rows:
                message.add_features(
                    CountFeatures(_coo_rows(matrix, first, end), kind, attribute, self._identifier)
                )


# The column of a feature not in the vocabulary, while counting.
_UNKNOWN = -1


class _SentenceCounter:
    """One text's row of a fitted ``CountVectorizer``, as its ``transform`` makes it (the
    analyser's features looked up in the vocabulary and counted, columns in order, the
    vectorizer's dtype), with the analyser built once."""

    def __init__(self, vectorizer: CountVectorizer) -> None:
        self.vectorizer = vectorizer
        self.analyze: Callable[[str], List[str]] = vectorizer.build_analyzer()
        self.vocabulary: Dict[str, int] = vectorizer.vocabulary_
        self.shape = (1, len(self.vocabulary))
        # ``char_wb`` n-grams stay inside words: a text's are its words' in turn (the
        # analyser splits the preprocessed text at white space), so each word's columns
        # are looked up once and kept (a word's n-grams depend on the word alone).
        self._by_words = (
            vectorizer.analyzer == "char_wb"
            and type(vectorizer)._char_wb_ngrams is CountVectorizer._char_wb_ngrams
        )
        self._preprocess: Callable[[str], str] = vectorizer.build_preprocessor()
        self._word_columns = lru_cache(maxsize=50_000)(self._columns_of_word)

    def _columns_of_word(self, word: str) -> Tuple[int, ...]:
        columns = map(self.vocabulary.get, self.vectorizer._char_wb_ngrams(word), repeat(_UNKNOWN))
        return tuple(column for column in columns if column != _UNKNOWN)

    def row(self, text: str) -> coo_matrix:
        if self._by_words:
            counts: Counter = Counter()
            for word in self._preprocess(self.vectorizer.decode(text)).split():
                counts.update(self._word_columns(word))
        else:
            counts = Counter(map(self.vocabulary.get, self.analyze(text), repeat(_UNKNOWN)))
            counts.pop(_UNKNOWN, None)
        columns = sorted(counts)
        data = [1] * len(columns) if self.vectorizer.binary else [counts[c] for c in columns]
        return coo_matrix(
            (
                np.array(data, dtype=self.vectorizer.dtype),
                # 32-bit indices, as scikit-learn's for fewer than 2**31 entries.
                (np.zeros(len(columns), np.int32), np.array(columns, np.int32)),
            ),
            shape=self.shape,
        )


class CountFeatures(Features):
    """Sparse features whose fingerprint is a hash of the matrix's arrays.

    Rasa fingerprints every node's output while training, the training examples'
    features included, a sparse matrix by formatting every entry as text (``str``):
    about 0.12 ms a feature, 5 of the ~60 CPU seconds of a training run. This hashes
    the same content (kind, attribute, origin, shape, dtypes, entries) directly, from a
    COO matrix's arrays as they are (``coo_matrix(features)`` would check them again:
    64 instead of 25 µs a feature), with the dtypes by their short code (``<i4``; NumPy's
    name ``int32`` is formatted in Python: half of the rest) in one header.
    """

    _cached_fingerprint: Optional[str]

    def fingerprint(self) -> str:
        if self._cached_fingerprint is None:
            matrix = self.features
            if not isspmatrix_coo(matrix):
                matrix = coo_matrix(matrix)
            arrays = (matrix.row, matrix.col, matrix.data)
            header = "\0".join(
                [str(part) for part in (self.type, self.attribute, self.origin, matrix.shape)]
                + [matrix.dtype.str]
                + [array.dtype.str for array in arrays]
            )
            digest = hashlib.sha256(header.encode())
            for array in arrays:
                digest.update(array.tobytes())  # C order, whatever the array's own
            self._cached_fingerprint = digest.hexdigest()
        return self._cached_fingerprint


def _coo_rows(matrix: csr_matrix, first: int, end: int) -> coo_matrix:
    """Rows ``first`` up to ``end`` of ``matrix`` (indices sorted) as a COO matrix of their
    own: what ``matrix[first:end].tocoo()`` gives, index dtypes included, built from the
    arrays directly: about 45 instead of 120 µs a slice (scipy's row slicing builds and
    checks a CSR matrix first), for each training example's sequence and sentence rows."""
    begin, stop = matrix.indptr[first], matrix.indptr[end]
    rows = np.repeat(
        np.arange(end - first, dtype=matrix.indices.dtype), np.diff(matrix.indptr[first : end + 1])
    )
    return coo_matrix(
        (matrix.data[begin:stop].copy(), (rows, matrix.indices[begin:stop].copy())),
        shape=(end - first, matrix.shape[1]),
    )


def _row_sums(rows: csr_matrix, starts: np.ndarray) -> csr_matrix:
    """One row per group of consecutive ``rows`` (group i: ``starts[i]`` up to
    ``starts[i + 1]``), its sum; in ``rows``' dtype."""
    groups = len(starts) - 1
    membership = csr_matrix(
        (np.ones(rows.shape[0], dtype=rows.dtype), np.arange(rows.shape[0]), starts),
        shape=(groups, rows.shape[0]),
    )
    return (membership @ rows).tocsr()
