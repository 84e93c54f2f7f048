"""The messages' sentence-level count vectors side by side, one row per message: the matrix
Rasa's ``LogisticRegressionClassifier._create_X`` builds, without its per-message stacking."""

from __future__ import annotations

from typing import List, Optional, Tuple

import numpy as np
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import coo_matrix, csr_matrix


def sparse_sentence_matrix(
    messages: List[Message], origin: Optional[str] = None
) -> Optional[csr_matrix]:
    """Rasa's ``_create_X`` for messages whose text has sparse sentence features and no
    dense ones, as the count vectorizers leave every message: one row per message, the
    featurizers' blocks side by side in the order they ran (same columns, values, dtype).
    With ``origin``, the blocks of that featurizer alone (by its name or alias).

    Rasa combines each message's sparse features (the per-token sequence ones too, which
    the classifiers don't use) by copying the first and ``hstack``-ing the others on,
    stacks the sentence row beside an empty dense part, then ``vstack``s the rows: about
    0.5 ms per message, so 4-5 s of CPU to train on the NLU data and 0.5 ms of every
    parse. This puts the entries in place at once. None for any other case (no
    messages, dense sentence features, featurizers that differ between messages),
    which Rasa's own stacking handles.
    """
    if not messages:
        return None
    per_message = []
    for message in messages:
        blocks = _sparse_sentence_blocks(message, origin)
        if blocks is None:
            return None
        per_message.append(blocks)
    widths = [block.shape[1] for block in per_message[0]]
    if any(
        [block.shape for block in blocks] != [(1, width) for width in widths]
        for blocks in per_message
    ):
        return None
    # The stacking's dtype: that of all parts and of the empty float64 dense part.
    dtype = np.result_type(*{block.dtype for blocks in per_message for block in blocks}, np.float64)
    offsets = np.cumsum([0] + widths)[:-1]
    blocks = [block for message_blocks in per_message for block in message_blocks]
    columns = np.concatenate(
        [block.col + offset for block, offset in zip(blocks, np.tile(offsets, len(messages)))]
    )
    values = np.concatenate([block.data for block in blocks]).astype(dtype, copy=False)
    entries_per_message = [sum(block.nnz for block in blocks) for blocks in per_message]
    rows = np.repeat(np.arange(len(messages), dtype=columns.dtype), entries_per_message)
    return coo_matrix((values, (rows, columns)), shape=(len(messages), int(sum(widths)))).tocsr()


def sentence_entries(message: Message) -> Optional[Tuple[np.ndarray, np.ndarray, int]]:
    """One message's row of ``sparse_sentence_matrix`` as (columns, values, width) without
    building a sparse matrix: the columns in order, the values as float64. None when
    ``sparse_sentence_matrix`` would leave the message to Rasa's own stacking or its
    values are not float64 (so only a caller that works in float64 takes this way)."""
    blocks = _sparse_sentence_blocks(message)
    if blocks is None or any(block.shape[0] != 1 for block in blocks):
        return None
    if np.result_type(*{block.dtype for block in blocks}, np.float64) != np.float64:
        return None
    columns, values, offset = [], [], 0
    for block in blocks:
        columns.append(block.col.astype(np.intp) + offset)
        values.append(block.data)
        offset += block.shape[1]
    return np.concatenate(columns), np.concatenate(values).astype(np.float64), offset


def _sparse_sentence_blocks(
    message: Message, origin: Optional[str] = None
) -> Optional[List[coo_matrix]]:
    """The message's sentence features of its text (those of featurizer ``origin`` only,
    if given), each as a COO block; None when it has none or one is dense (those are
    left to Rasa's own stacking)."""
    sentence = [
        feature
        for feature in message.features
        if feature.attribute == TEXT
        and feature.type == FEATURE_TYPE_SENTENCE
        and origin in (None, feature.origin)
    ]
    if not sentence or not all(feature.is_sparse() for feature in sentence):
        return None
    return [feature.features.tocoo() for feature in sentence]
