"""The batch featurizer gives every training example exactly the features Rasa's gives it."""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ACTION_NAME, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.batch_count_vectors import BatchCountVectorsFeaturizer, CountFeatures, _coo_rows
from passordhjelp.config import PROJECT_ROOT

# config.yml's two featurizers (single words; character n-grams inside words), word
# bigrams, character n-grams across words, an out-of-vocabulary token.
SETTINGS = [
    {},
    {"min_ngram": 1, "max_ngram": 2},
    {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5},
    {"analyzer": "char", "min_ngram": 1, "max_ngram": 3},
    {"OOV_token": "oov", "OOV_words": ["glemt"]},
]


def training_data() -> TrainingData:
    """Examples of several intents, repeated words and a word that occurs once, a number,
    an empty text, lemmas of two words and of none, and the action names Rasa adds from
    the stories (no text)."""
    texts = {
        "forgot_password": ["I forgot my password", "har glemt passordet mitt 2 ganger"],
        "change_password": ["I want to change my password", "bytte passord nå"],
        "greet": ["hi", "hei hei", ""],
    }
    examples = [
        Message(data={TEXT: text, INTENT: intent})
        for intent, phrasings in texts.items()
        for text in phrasings
    ]
    examples += [Message(data={ACTION_NAME: name}) for name in ("utter_greet", "action_reset")]
    data = TrainingData(examples)
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(data)
    first_tokens = examples[0].get(TOKENS_NAMES[TEXT])
    first_tokens[1].lemma, first_tokens[2].lemma = "have  forgotten", ""
    return data


def features_of(messages: List[Message]) -> List[List[Any]]:
    return [
        [
            (f.type, f.attribute, f.origin, f.features.format, f.features.dtype,
             f.features.shape, f.features.row.dtype, f.features.col.dtype,
             f.features.row.tolist(), f.features.col.tolist(), f.features.data.tolist())
            for f in message.features
        ]
        for message in messages
    ]


def trained_featurizers(tmp_path, settings: Dict[str, Any]):
    """Rasa's featurizer and ours, each trained with ``settings`` on its own copy of the
    training data, which it has featurized: (class, featurizer, data) for each."""
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "featurizer")
    for cls in (CountVectorsFeaturizer, BatchCountVectorsFeaturizer):
        featurizer = cls.create(
            {**cls.get_default_config(), **settings}, storage, Resource(cls.__name__), context
        )
        data = training_data()
        featurizer.train(data)
        featurizer.process_training_data(data)
        yield cls, featurizer, data


@pytest.mark.parametrize("settings", SETTINGS)
def test_batch_count_vectors_training_features_are_rasas(tmp_path, settings: Dict[str, Any]):
    featurized = {}
    for cls, _, data in trained_featurizers(tmp_path, settings):
        featurized[cls] = features_of(data.training_examples)
        fingerprints = [f.fingerprint() for m in data.training_examples for f in m.features]
        assert len(set(fingerprints)) > len(fingerprints) / 2
    assert all(isinstance(f, CountFeatures) for m in data.training_examples for f in m.features)
    ours, rasas = featurized[BatchCountVectorsFeaturizer], featurized[CountVectorsFeaturizer]
    assert ours == rasas
    attributes = {feature[1] for message in ours for feature in message}
    word_level = settings.get("analyzer", "word") == "word"
    assert attributes == ({TEXT, INTENT, ACTION_NAME} if word_level else {TEXT})
    assert ours[0][0][5][0] == 4  # the first example's tokens, the lemma of none too


def test_batch_count_vectors_fingerprint_tells_contents_apart():
    def fingerprint(values, columns, kind="sentence", dtype=np.int64) -> str:
        matrix = scipy.sparse.coo_matrix(
            (np.array(values, dtype=dtype), ([0] * len(values), columns)), shape=(1, 9)
        )
        return CountFeatures(matrix, kind, TEXT, "chars").fingerprint()

    same = fingerprint([1, 2], [3, 5])
    assert fingerprint([1, 2], [3, 5]) == same
    assert same not in {
        fingerprint([1, 3], [3, 5]),
        fingerprint([1, 2], [3, 6]),
        fingerprint([1, 2], [3, 5], kind="sequence"),
        fingerprint([1, 2], [3, 5], dtype=np.float64),
    }


def served(texts: List[str]) -> List[Message]:
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process(messages)
    return messages


@pytest.mark.parametrize("settings", SETTINGS)
def test_batch_count_vectors_served_message_gets_rasas_sentence_features_only(
    tmp_path, settings: Dict[str, Any]
):
    texts = ["I want to change my password", "hei, jeg har glemt det", "unseen words only", ""]
    featurized, trained = {}, {}
    for cls, featurizer, data in trained_featurizers(tmp_path, settings):
        trained[cls] = features_of(data.training_examples[2:3])[0]
        featurized[cls] = features_of(featurizer.process(served(texts)))
    ours, rasas = featurized[BatchCountVectorsFeaturizer], featurized[CountVectorsFeaturizer]
    assert ours == [[f for f in message if f[0] == "sentence"] for message in rasas]
    assert all(f[0] == "sentence" for message in ours for f in message)
    assert any(f[0] == "sequence" for message in rasas for f in message)
    # Served and trained, "I want to change my password" has the same sentence row.
    trained_sentence = [f for f in trained[BatchCountVectorsFeaturizer] if f[0] == "sentence"]
    assert ours[0] == trained_sentence


@pytest.mark.parametrize("settings", SETTINGS[:1] + SETTINGS[2:3])
def test_batch_count_vectors_served_rows_are_rasas_on_the_held_out_phrasings(tmp_path, settings):
    """config.yml's two settings, trained on the English held-out phrasings and serving
    both languages' (words and n-grams seen, unseen, repeated)."""
    held_out = {
        language: load_data(str(PROJECT_ROOT / "tests" / "nlu" / f"heldout_{language}.yml"))
        for language in ("en", "nb")
    }
    texts = [m.get(TEXT) for data in held_out.values() for m in data.training_examples]
    assert len(texts) > 200
    training = held_out["en"]
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(training)
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "featurizer")
    featurized = {}
    for cls in (CountVectorsFeaturizer, BatchCountVectorsFeaturizer):
        featurizer = cls.create(
            {**cls.get_default_config(), **settings}, storage, Resource(cls.__name__), context
        )
        featurizer.train(training)
        featurized[cls] = features_of(featurizer.process(served(texts)))
    ours, rasas = featurized[BatchCountVectorsFeaturizer], featurized[CountVectorsFeaturizer]
    assert ours == [[f for f in message if f[0] == "sentence"] for message in rasas]
    assert sum(len(feature[-1]) for message in ours for feature in message) > 3 * len(texts)


def test_batch_count_vectors_fingerprint_of_a_matrix_alike_in_coo_and_csr_form():
    matrix = scipy.sparse.random(3, 40, density=0.2, format="csr", random_state=7)
    fingerprints = {
        CountFeatures(form, "sequence", TEXT, "words").fingerprint()
        for form in (matrix, matrix.tocoo(), matrix.tocoo(copy=True))
    }
    assert len(fingerprints) == 1


def test_batch_count_vectors_rows_taken_from_the_arrays_are_scipys_slices():
    matrix = scipy.sparse.random(12, 30, density=0.15, format="csr", random_state=3)
    matrix.data = np.arange(1, matrix.nnz + 1, dtype=np.int64)  # counts, none zero
    matrix[4] = 0  # an empty row
    matrix.eliminate_zeros()
    matrix.sort_indices()
    assert matrix[4].nnz == 0 and matrix.nnz > 30
    for first, end in [(0, 1), (4, 5), (3, 7), (0, 12), (11, 12)]:
        ours, scipys = _coo_rows(matrix, first, end), matrix[first:end].tocoo()
        assert ours.format == "coo"
        for part in ("shape", "dtype", "row.dtype", "col.dtype", "row", "col", "data"):
            assert repr(_attribute(ours, part)) == repr(_attribute(scipys, part)), part


def _attribute(matrix: Any, path: str) -> Any:
    for name in path.split("."):
        matrix = getattr(matrix, name)
    return matrix
