"""Recall and false redaction on whole sets, through the message guard, per language and kind.

The sets (tests/security/README.md says how each was made):
- the generated corpus (``generated_corpus.py``) and the hand-written hard cases
  (``dev_hard_cases.yml``): the detector was developed against them, so their figures are
  a regression check, not a measurement;
- ten blind sets (``independent_2026-11*.yml``), each written by someone who saw
  neither the detector nor the templates nor an earlier set. All ten have been scored
  and their misses read and fixed by category (round 10, 2026-11j, read in session 8), so
  they are regression sets; the next blind set (never seen here) is the measurement. Only
  aggregate figures are printed here; their cases are never copied into patterns, word
  lists or templates.
"""

import re

import pytest
import yaml

from security.generated_corpus import generate
from passordhjelp.config import PROJECT_ROOT
from passordhjelp.redaction import redact
from passordhjelp.secrets.evaluation import evaluate


def load_yaml(path):
    """A YAML file parsed by libyaml: PyYAML's own parser took 3 s of CPU for the hard cases."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


DEV_HARD_CASES = PROJECT_ROOT / "tests" / "security" / "dev_hard_cases.yml"
# The issue's targets for a blind set.
TARGET_RECALL, TARGET_FALSE_REDACTION = 0.98, 0.02
# The hand-written hard cases keep every miss their writers could not yet fix (batch 60 of
# session 7 among them: en 0.980, nb 0.978 with it; en 0.985, nb 0.984 after session 8's
# batches 69 to 77; en 0.987, nb 0.985 with both session 8 helpers merged, batches 63 to
# 80), so their floor sits a little lower.
HARD_CASES_RECALL_FLOOR = 0.98
# Blind sets (tests/security/README.md): file, lowest recall and highest false
# redaction per language. Floors and ceilings sit at what was measured, so any drop fails.
# All but the newest have been scored and their categories of misses worked on, so they are
# regression sets; the newest, never read, is the measurement.
BLIND_SETS = {
    "independent_2026-11": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    "independent_2026-11b": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    "independent_2026-11c": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 4 (session 4), scored once after the session's detector work: en 0.935 / 0.045,
    # nb 0.967 / 0.045. Its 9 misses and 6 false redactions were then read in session 4 (by
    # the second secrets helper) to name their categories, fixed in general form: en 1.000 /
    # 0.000, nb 1.000 / 0.000 since. A regression set now, not a measurement.
    "independent_2026-11d": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 5, scored once after all of session 4's detector work: en 0.928 / 0.032, nb
    # 0.947 / 0.000. Its 10 misses and 2 false redactions were read in session 5 to name
    # their categories, fixed in general form: en 1.000 / 0.000, nb 1.000 / 0.000 since. A
    # regression set now, not a measurement.
    "independent_2026-11e": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 6 (independent_2026-11f.HOW_MADE.md), scored once after all of session 5's first
    # detector work: en 0.989 (86/87) / 0.015 (1/66), nb 0.976 (83/85) / 0.000 (0/66). Its 3
    # misses and 1 false redaction were read in session 5, regression: their categories fixed
    # in general form, en 1.000 / 0.000, nb 1.000 / 0.000 since. Not a measurement any more.
    "independent_2026-11f": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 7 (independent_2026-11g.HOW_MADE.md), a regression set (read in session 6):
    # written blind in session 5, scored once as the measurement: en 0.950 (76/80) / 0.015
    # (1/66), nb 0.975 (78/80) / 0.043 (3/69). Its 6 misses and 4 false redactions were read
    # in session 6 and their categories fixed in general form: en 1.000 / 0.000, nb 1.000 /
    # 0.000 since. Not a measurement any more.
    "independent_2026-11g": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 8 (independent_2026-11h.HOW_MADE.md): written blind in session 6, copied in after
    # all of session 6's detector work and scored once as the measurement: en 0.976 (80/82) /
    # 0.015 (1/65), nb 0.975 (78/80) / 0.015 (1/66); by kind recovery keys 0.905 (19/21),
    # passwords 0.972 (69/71), the others 1.000. Its 4 misses and 2 false redactions were read
    # in session 7 and their categories fixed in general form: en 1.000 / 0.000, nb 1.000 /
    # 0.000 since. A regression set now, not a measurement.
    "independent_2026-11h": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 9 (independent_2026-11i.HOW_MADE.md), the measurement: written blind in session 7,
    # copied in after all of session 7's detector work and scored once, never read.
    # Scored once: en 0.962 (76/79) / 0.015 (1/66), nb 0.963 (77/80) / 0.015 (1/67); by kind
    # passwords 0.932 (68/73), connection strings 0.929 (13/14), the others 1.000. Its misses
    # were read later in session 7 (a regression set since) and five of their eight categories
    # fixed in general form: en 1.000 / 0.000, nb 0.988 (79/80) / 0.000. Still missed: a
    # hyphenated compound quoted with its "!" before "is what I type" (a quoted "!" is read as
    # the sentence's, and counting it as the value's redacted quoted banners and buttons);
    # caught since session 8 (the "!" counts when a verb of typing or use stands near): 1.000.
    "independent_2026-11i": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 10 (independent_2026-11j.HOW_MADE.md), the measurement: written blind during
    # session 7's second round of work, copied in after all of its detector work and scored
    # once, never read: en 0.988 (79/80) / 0.060 (4/67), nb 0.963 (77/80) / 0.015 (1/67); by
    # kind PINs 0.786 (11/14), one-time codes 0.950 (19/20), the others 1.000. Its misses and
    # false redactions were read in session 8 (a regression set since) and their categories
    # fixed in general form (hard set batches 69 to 77): en 1.000 / 0.000, nb 1.000 / 0.000.
    "independent_2026-11j": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.0}),
    # Round 11 (independent_2026-11k.HOW_MADE.md), the measurement: written blind at the start
    # of session 8, before any of its detector work, copied in after all of it was merged and
    # scored once, never read: en 1.000 (86/86) / 0.000 (0/68), nb 1.000 (86/86) / 0.015
    # (1/67); every kind 1.000 (PINs 14/14). The issue's targets (0.98, 0.02) met on this set.
    "independent_2026-11k": ({"en": 1.0, "nb": 1.0}, {"en": 0.0, "nb": 0.015}),
}


@pytest.mark.slow  # a whole corpus, thousands of messages: `make test`, not `make check`
@pytest.mark.parametrize("seed", [20261129, 11])
def test_secret_sets_generated_corpus_regression(seed):
    report = evaluate(generate(seed=seed), keep_cases=True)
    print(f"\ngenerated corpus, seed {seed}:\n" + "\n".join(report.lines()))
    for case, stored in report.misses + report.false_alarms:
        print(f"  {case['kind']}: {case['text']!r} -> {stored!r}")
    for language in ("en", "nb"):
        assert report.recall[language].rate >= 0.97
        assert report.false_redaction[language].rate <= 0.02


@pytest.mark.slow  # a whole corpus, thousands of messages: `make test`, not `make check`
def test_secret_sets_hand_written_hard_cases_regression():
    cases = load_yaml(DEV_HARD_CASES)["cases"]
    report = evaluate(cases, keep_cases=True)
    print("\nhand-written hard cases:\n" + "\n".join(report.lines()))
    for case, stored in report.misses + report.false_alarms:
        print(f"  {case['kind']}: {case['text']!r} -> {stored!r}")
    for language in ("en", "nb"):
        assert report.recall[language].total >= 80 and report.false_redaction[language].total >= 60
        assert report.recall[language].rate >= HARD_CASES_RECALL_FLOOR
        assert report.false_redaction[language].rate <= TARGET_FALSE_REDACTION


@pytest.mark.parametrize("name", list(BLIND_SETS))
def test_secret_sets_blind_set_aggregate_figures(name):
    floor_recall, ceiling_false_redaction = BLIND_SETS[name]
    path = PROJECT_ROOT / "tests" / "security" / f"{name}.yml"
    cases = load_yaml(path)["cases"]
    report = evaluate(cases)  # figures only: the cases are never printed
    print(
        f"\n{name} ({len(cases)} messages; targets: recall >= {TARGET_RECALL}, "
        f"false redaction <= {TARGET_FALSE_REDACTION}):\n" + "\n".join(report.lines())
    )
    assert report.misses == [] and report.false_alarms == []
    for language in ("en", "nb"):
        assert report.recall[language].total >= 40 and report.false_redaction[language].total >= 40
        assert report.recall[language].rate >= floor_recall[language]
        assert report.false_redaction[language].rate <= ceiling_false_redaction[language]


def _examples(path):
    """The user messages of a Rasa NLU file, entity annotations removed."""
    for item in load_yaml(path).get("nlu") or []:
        for line in (item.get("examples") or "").splitlines():
            text = ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line.strip().lstrip("- "))
            if text:
                yield text


ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


@pytest.mark.slow  # a whole corpus, thousands of messages: `make test`, not `make check`
def test_secret_sets_project_messages_without_secrets_are_left_alone():
    """The NLU training and held-out examples (about 2,500 messages about passwords, none
    disclosing one) are harmless look-alikes written by others: almost none may change."""
    files = sorted((PROJECT_ROOT / "data" / "nlu").rglob("*.yml")) + [
        PROJECT_ROOT / "tests" / "nlu" / "heldout_en.yml",
        PROJECT_ROOT / "tests" / "nlu" / "heldout_nb.yml",
    ]
    texts = [text for path in files for text in _examples(path)]
    redacted = [(text, redact(text)) for text in texts]
    changed = [(text, result.text) for text, result in redacted if result.found]
    print(f"\nproject messages: {len(changed)} of {len(texts)} changed")
    for text, kept in changed:
        print(f"  {text!r} -> {kept!r}")
    assert len(texts) >= 2000
    assert len(changed) / len(texts) <= 0.003
