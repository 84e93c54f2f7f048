"""Rasa's ResponseSelector (TensorFlow) against ours (logistic regression) on the process
questions: topic accuracy on held-out folds, training and per-message CPU time.

Not a test: run by hand, it takes a few minutes (the README's benchmark section has
the figures).

    .venv/bin/python tests/components/compare_response_selectors.py

Both are trained on the same tokens and count vectors (config.yml's), on all NLU data
but one fold of the process questions, and asked about the held-out fold, for each
of the FOLDS folds. Times are CPU seconds of this process, so a loaded machine
changes them less than wall time.
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Dict

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from runtime.quiet import silence_third_party_warnings  # noqa: E402

silence_third_party_warnings()

from rasa.nlu.selectors.response_selector import ResponseSelector  # noqa: E402
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY  # noqa: E402
from selector_pipeline import FOLDS, LANGUAGES, Pipeline, split  # noqa: E402

from components.response_selector import LogisticResponseSelector  # noqa: E402

# Rasa's, as config.yml had it before.
SELECTORS: Dict[str, Any] = {
    "ResponseSelector (DIET, 60 epochs)": (
        ResponseSelector,
        {"retrieval_intent": "ask_process", "epochs": 60, "random_seed": 42},
    ),
    "LogisticResponseSelector (C=10)": (LogisticResponseSelector, None),
}


def main() -> None:
    warnings.simplefilter("ignore")
    for name, (selector, config) in SELECTORS.items():
        right = dict.fromkeys(LANGUAGES, 0)
        total = dict.fromkeys(LANGUAGES, 0)
        train_cpu = predict_cpu = 0.0
        asked = 0
        with tempfile.TemporaryDirectory() as directory:
            for fold in range(FOLDS):
                # Fresh messages: the featurizers add their features to them.
                training, held_out = split(fold)
                # The featurizers' share is the same for both; time the selector's training.
                pipeline = Pipeline(
                    training, Path(directory) / f"{fold}", selector=selector, selector_config=config
                )
                train_cpu += pipeline.selector_train_cpu_s
                for language, examples in held_out.items():
                    messages = [pipeline.featurize(e.get("text")) for e in examples]
                    start = time.process_time()
                    for message in messages:
                        pipeline.selector.process([message])
                    predict_cpu += time.process_time() - start
                    asked += len(messages)
                    total[language] += len(examples)
                    right[language] += sum(
                        ((m.get("response_selector") or {}).get("ask_process") or {})
                        .get("response", {})
                        .get("intent_response_key")
                        == e.get(INTENT_RESPONSE_KEY)
                        for m, e in zip(messages, examples)
                    )
        accuracy = ", ".join(
            f"{language} {right[language]}/{total[language]} "
            f"({right[language] / total[language]:.3f})"
            for language in LANGUAGES
        )
        print(
            f"{name}: held-out topic accuracy {accuracy}; training "
            f"{train_cpu / FOLDS:.2f} CPU s per fold; "
            f"{predict_cpu / asked * 1000:.2f} CPU ms per message"
        )


if __name__ == "__main__":
    main()
