"""Trains NLU pipeline variants and scores them on the evaluation sets (tests/nlu/README.md).

Not a test: run by hand, it takes minutes.

    .venv/bin/python tests/nlu/compare_classifiers.py [variant ...]

For each variant: NLU training time (wall clock and CPU seconds of one
`rasa train nlu`, Rasa's start-up included; wall clock depends on the load), parse
latency per message (median and 95th percentile, in process), and per set and
language the accuracy, change<->forgot confusions and per-intent recall. Only
aggregates are printed for the independent sets: their texts must never steer
the training data.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from passordhjelp.nlu_evaluation import evaluate, load_examples  # noqa: E402

SETS = {
    "independent": "independent_2026-11_{language}.yml",
    "regression": "heldout_{language}.yml",
}
LANGUAGES = ("en", "nb")
LOGISTIC_REGRESSION = {"name": "LogisticRegressionClassifier", "max_iter": 300,
                       "solver": "lbfgs", "tol": 0.0001, "random_state": 42}
REGULARISED = "components.regularised_logistic_regression.RegularisedLogisticRegressionClassifier"
DIET = {"name": "DIETClassifier", "epochs": 60, "entity_recognition": False,
        "constrain_similarities": True, "random_seed": 42}


def _pipeline(base, classifiers, *, negation=True):
    steps = []
    for step in base:
        if step["name"] in ("LogisticRegressionClassifier", REGULARISED):
            steps.extend(copy.deepcopy(classifiers))
            continue
        step = dict(step)
        if step["name"].endswith("BilingualSpacyTokenizer") and not negation:
            step["negation_scope"] = False
        steps.append(step)
    return steps


def variants(base):
    """Name -> pipeline; each replaces the configured classifier."""
    ranked_lr = dict(LOGISTIC_REGRESSION, ranking_length=0)
    ranked_diet = dict(DIET, ranking_length=0)
    return {
        "lr_no_negation": _pipeline(base, [LOGISTIC_REGRESSION], negation=False),
        "lr": _pipeline(base, [LOGISTIC_REGRESSION]),
        "lr_c10": _pipeline(base, [dict(LOGISTIC_REGRESSION, name=REGULARISED, C=10)]),
        "lr_c30": _pipeline(base, [dict(LOGISTIC_REGRESSION, name=REGULARISED, C=30)]),
        "diet": _pipeline(base, [DIET]),
        "ensemble": _pipeline(base, [
            ranked_lr, {"name": "components.intent_ensemble.IntentRankingSnapshot"},
            ranked_diet, {"name": "components.intent_ensemble.IntentEnsemble"}]),
    }


def train(pipeline, out):
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["pipeline"] = pipeline
    config_path = out / "config.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([str(Path(sys.executable).with_name("rasa")), "train", "nlu",
                    "--config", str(config_path), "--nlu", "data/nlu", "--domain", "domain.yml",
                    "--out", str(out), "--fixed-model-name", "nlu"],
                   cwd=ROOT, check=True, capture_output=True,
                   env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"))
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return time.perf_counter() - started, cpu, out / "nlu.tar.gz"


def score(model):
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's parse log lines carry the text; the independent set's texts stay unseen.
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    latencies = []

    def classify(text):
        started = time.perf_counter()
        intent = loop.run_until_complete(agent.parse_message(text))["intent"]["name"]
        latencies.append(time.perf_counter() - started)
        return intent

    results = {}
    for set_name, pattern in SETS.items():
        for language in LANGUAGES:
            path = ROOT / "tests" / "nlu" / pattern.format(language=language)
            if path.exists():
                results[f"{set_name} {language}"] = evaluate(load_examples(path), classify)
    loop.close()
    latencies.sort()
    return results, statistics.median(latencies), latencies[int(len(latencies) * 0.95)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant", nargs="*")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    base = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    chosen = variants(base)
    figures = {}
    for name in args.variant or chosen:
        with tempfile.TemporaryDirectory() as directory:
            seconds, cpu_seconds, model = train(chosen[name], Path(directory))
            results, median, p95 = score(model)
        figures[name] = {
            "train_s": round(seconds, 1), "train_cpu_s": round(cpu_seconds, 1),
            "parse_ms_median": round(median * 1000, 1),
            "parse_ms_p95": round(p95 * 1000, 1),
            "sets": {
                set_name: {
                    "accuracy": round(report.accuracy, 4), "correct": report.correct,
                    "total": report.total, "change_forgot": report.critical_confusions,
                    "recall": {i: round(s.recall, 2) for i, s in report.per_intent.items()
                               if s.support},
                    "confusions": {f"{a}->{b}": n for (a, b), n in report.confusions.most_common()},
                }
                for set_name, report in results.items()
            },
        }
        print(json.dumps({name: figures[name]}, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
