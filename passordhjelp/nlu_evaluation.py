"""NLU evaluation on labelled examples: accuracy, macro-F1, per-intent figures, confusions.

Rasa-free: it takes any ``classify(text) -> intent`` function, so the test suite
and the benchmark score a trained model the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Tuple

import yaml

# The one confusion the assistant must never make: it would send a user who
# forgot their password to self-service steps, or one who knows it to an admin.
CRITICAL_PAIRS = (("change_password", "forgot_password"), ("forgot_password", "change_password"))


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


@dataclass
class IntentScore:
    support: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0


@dataclass
class Report:
    total: int
    correct: int
    per_intent: Dict[str, IntentScore]
    confusions: Counter = field(default_factory=Counter)
    errors: List[Tuple[str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def macro_f1(self) -> float:
        scores = [s.f1 for s in self.per_intent.values() if s.support]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def critical_confusions(self) -> int:
        return sum(self.confusions[pair] for pair in CRITICAL_PAIRS)


def normalized(text: str) -> str:
    """The words of ``text``, lower-cased: what the classifier sees once punctuation is gone."""
    return " ".join(re.findall(r"\w+", text.lower()))


def load_examples(path: Path) -> List[Example]:
    """Examples from a Rasa NLU YAML file (entity annotations are not used here)."""
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    examples = []
    for block in document.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            text = line.strip()
            if text.startswith("- "):
                examples.append(Example(text[2:].strip(), block["intent"]))
    return examples


def evaluate(examples: Iterable[Example], classify: Callable[[str], str]) -> Report:
    """Score ``classify`` on ``examples``."""
    examples = list(examples)
    predictions = [(e, classify(e.text)) for e in examples]
    intents = sorted({e.intent for e in examples} | {p for _, p in predictions})
    per_intent = {}
    for intent in intents:
        true_positive = sum(1 for e, p in predictions if e.intent == intent and p == intent)
        predicted = sum(1 for _, p in predictions if p == intent)
        support = sum(1 for e in examples if e.intent == intent)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = IntentScore(support, precision, recall, f1)
    confusions = Counter((e.intent, p) for e, p in predictions if e.intent != p)
    errors = [(e.text, e.intent, p) for e, p in predictions if e.intent != p]
    return Report(
        total=len(examples),
        correct=len(examples) - len(errors),
        per_intent=per_intent,
        confusions=confusions,
        errors=errors,
    )


def format_report(name: str, report: Report, *, with_texts: bool = True) -> str:
    """A plain-text table for test output and the benchmark.

    ``with_texts=False`` lists confusions as counts only, for evaluation sets
    whose texts must not steer the training data.
    """
    lines = [
        f"{name}: {report.correct}/{report.total} correct, accuracy {report.accuracy:.3f}, "
        f"macro-F1 {report.macro_f1:.3f}, change<->forgot confusions {report.critical_confusions}",
        f"  {'intent':28} {'support':>7} {'prec':>6} {'recall':>6} {'f1':>6}",
    ]
    for intent, score in report.per_intent.items():
        lines.append(
            f"  {intent:28} {score.support:7d} {score.precision:6.2f} "
            f"{score.recall:6.2f} {score.f1:6.2f}"
        )
    if not with_texts:
        for (expected, predicted), count in report.confusions.most_common():
            lines.append(f"  {count:3d} x {expected} -> {predicted}")
        return "\n".join(lines)
    for text, expected, predicted in report.errors:
        lines.append(f"  MISS {expected} -> {predicted}: {text}")
    return "\n".join(lines)
