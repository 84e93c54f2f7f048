"""Secret detection on a labelled set in both languages: recall and false redactions."""

import pytest
import yaml

from passordhjelp.config import PROJECT_ROOT
from passordhjelp.redaction import PLACEHOLDER, redact

CASES = yaml.safe_load((PROJECT_ROOT / "tests" / "security" / "redaction_cases.yml")
                       .read_text(encoding="utf-8"))
MIN_RECALL = 0.95
MAX_FALSE_REDACTION = 0.05


def test_redaction_recall_and_false_redaction_rate():
    missed = [c for c in CASES["disclosures"] if c["secret"] in redact(c["text"]).text]
    wrongly = [t for t in CASES["benign"] if redact(t).found]
    recall = 1 - len(missed) / len(CASES["disclosures"])
    false_rate = len(wrongly) / len(CASES["benign"])
    print(f"\nredaction: {len(CASES['disclosures'])} disclosures, recall {recall:.3f}; "
          f"{len(CASES['benign'])} benign, false redaction {false_rate:.3f}")
    for case in missed:
        print(f"  MISSED: {case['text']}")
    for text in wrongly:
        print(f"  FALSE:  {text} -> {redact(text).text}")
    assert recall >= MIN_RECALL
    assert false_rate <= MAX_FALSE_REDACTION


@pytest.mark.parametrize("text, expected", [
    ("my password is Sommer2024!", f"my password is {PLACEHOLDER}"),
    ("passordet mitt er Sommer2024! hjelp", f"passordet mitt er {PLACEHOLDER} hjelp"),
    ("old pw A1b2c3d4 new pw Z9y8x7w6", f"old pw {PLACEHOLDER} new pw {PLACEHOLDER}"),
])
def test_redaction_replaces_only_the_value(text, expected):
    assert redact(text).text == expected


def test_redaction_lone_secret_leaves_nothing_to_answer():
    assert redact("Canary-7Q9x!pz").only_secrets
    assert not redact("I forgot it, my password is Canary-7Q9x!pz").only_secrets
