"""Rasa's own checks: data validation and the test stories in both languages."""

import os
import subprocess

import pytest

from passordhjelp.config import PROJECT_ROOT
from runtime.launcher import RASA

pytestmark = pytest.mark.slow


def rasa(*args, cwd=PROJECT_ROOT):
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", ACTION_SERVER_TOKEN="unused-in-tests")
    return subprocess.run([RASA, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_rasa_data_validate_passes():
    result = rasa("data", "validate")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_rasa_test_stories_pass_without_prediction_errors(model_path, tmp_path):
    result = rasa("test", "core", "--model", str(model_path), "--stories", "tests/stories",
                  "--fail-on-prediction-errors", "--out", str(tmp_path))
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, details
