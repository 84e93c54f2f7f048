"""Rasa's logistic regression intent classifier with its regularisation strength as an option.

Rasa 3.6 fixes scikit-learn's ``C`` at 1.0. With twenty intents and short
messages (few n-gram features) that spreads the probability so thin that
"thanks a lot" lands under the fallback threshold; a weaker penalty (larger
``C``) gives the confidences the fallback threshold expects. Chosen by
measurement (tests/nlu/README.md).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import numpy as np

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import coo_matrix, csr_matrix
from sklearn.preprocessing import normalize


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class RegularisedLogisticRegressionClassifier(LogisticRegressionClassifier):
    """``C``: inverse regularisation strength, as in scikit-learn (Rasa's default 1.0)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0,
                "row_norm": None}

    def __init__(self, config: Dict[Text, Any], name: Text,
                 model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=self.config["C"])

    def _create_X(self, messages: List[Message]) -> csr_matrix:  # noqa: N802 (Rasa's name)
        # ``row_norm: l2`` scales each message's counts to unit length, so a long
        # message's many words don't outweigh the few that carry the request.
        features = _one_message_sparse_only(messages)
        if features is None:
            features = super()._create_X(messages)
        if self.config["row_norm"]:
            features = normalize(csr_matrix(features), norm=self.config["row_norm"])
        return features


def _one_message_sparse_only(messages: List[Message]) -> Optional[csr_matrix]:
    """Rasa's ``_create_X`` for the case of every served message: one message with
    sparse sentence features and no dense ones. Rasa combines all the message's sparse
    features (the per-token sequence ones too, which this classifier doesn't use) by
    copying the first and ``hstack``-ing the others on, then stacks the sentence row
    beside an empty dense part and ``vstack``s it: about 0.5 ms of the server's CPU per
    message. This puts the sentence features' entries side by side, in the featurizers'
    order, as the stacking does: the same matrix (columns, values, float64). None for
    any other case, which Rasa's own method builds."""
    if len(messages) != 1:
        return None
    sentence = [
        feature
        for feature in messages[0].features
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE
    ]
    if not sentence or not all(feature.is_sparse() for feature in sentence):
        return None
    blocks = [feature.features.tocoo() for feature in sentence]
    if any(block.shape[0] != 1 for block in blocks):
        return None
    # The stacking's dtype: that of all parts and of the empty float64 dense part.
    dtype = np.result_type(*(block.dtype for block in blocks), np.float64)
    offsets = np.cumsum([0] + [block.shape[1] for block in blocks])
    columns = np.concatenate([block.col + offset for block, offset in zip(blocks, offsets)])
    values = np.concatenate([block.data for block in blocks]).astype(dtype, copy=False)
    return coo_matrix(
        (values, (np.zeros(len(columns), dtype=columns.dtype), columns)),
        shape=(1, int(offsets[-1])),
    ).tocsr()
