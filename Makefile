# Passordhjelp: `make run` sets up and starts the assistant; `make test` sets up and runs every test;
# `make check` lints, type-checks and runs the fast tests (pytest-xdist, one process per core;
# mypy beside them).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MODEL := models/passordhjelp.tar.gz
# The code `ruff format` keeps formatted (make lint and make check fail on a difference; run
# `.venv/bin/ruff format $(FORMATTED)` to fix it).
FORMATTED := passordhjelp actions channels components runtime
# The web chat's front-end assets (socket.io-client), pinned in web/package-lock.json.
WEB_ASSETS := web/node_modules/.installed
# Everything the trained model depends on: retrain only when one of these changes.
TRAINING_INPUTS := config.yml domain.yml $(shell find data components passordhjelp/nlp -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help install train run test check lint validate clean bench browser

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(INSTALLED)  ## create .venv and install the pinned dependencies

# A command tried up to three times: pip does not retry a download that arrives damaged and fails
# its hash check (seen in CI: a 100 MB wheel that did not match requirements.txt's hash, which
# PyPI's file does). Later tries bypass pip's cache (PIP_NO_CACHE_DIR), so the damaged file is
# not reused.
retried = for attempt in 1 2 3; do $(1) && exit 0; \
		echo "attempt $$attempt of 3 failed: $(1)" >&2; export PIP_NO_CACHE_DIR=1; sleep 5; \
	done; exit 1

$(INSTALLED): requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==24.0
	# Rasa 3.6 declares Python <3.11 but runs on 3.11; its dependencies come from requirements.txt.
	$(call retried,$(BIN)/pip install --quiet --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2)
	$(call retried,$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt)
	$(call retried,$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt)
	touch $@

train: $(MODEL)  ## train the model if data, domain or config changed

$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	# --force: Rasa's cache fingerprints config and data, not our components' code or word lists,
	# so without it a changed component could be served from a stale cached step.
	# --skip-validation: `make validate` and `make test` (tests/conversation/test_rasa_cli.py)
	# check the data and domain; checking them again here took 15 of 70 s.
	$(BIN)/rasa train --force --skip-validation --fixed-model-name passordhjelp --out models
	touch $@

$(WEB_ASSETS): web/package.json web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

browser:  ## install Debian's chromium for the web chat tests, if missing (apt-get, as root)
	@command -v chromium >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } \
		|| echo "chromium could not be installed: the web chat tests skip (fail with REQUIRE_SERVICES=1)"

run: install train $(WEB_ASSETS)  ## start the action server and Rasa (REST and socket.io on :5005)
	$(BIN)/python -m passordhjelp.serve

test: install lint train $(WEB_ASSETS) browser  ## lint, then every test (unit, actions, stories, NLU evaluation, end to end)
	$(BIN)/python -m pytest

# make check's tests write their temporary files (SQLite databases, mostly) to RAM when
# /dev/shm has a gigabyte free: waiting for SQLite's disk flushes was half of the service
# tests' time (bench/README.md, "make check in under a minute"). `make test` keeps them on disk.
CHECK_TMPDIR := $(shell df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 && $$4 > 1048576 {print "/dev/shm"}')

check: install  ## lint, type-check and the fast tests: no training, no servers, no browser, one process per core
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	@# mypy runs beside the tests (its report follows theirs). PYTHONDONTWRITEBYTECODE is
	@# emptied so that compiled modules and pytest's rewritten test modules are kept in
	@# __pycache__ (ignored by git) for the next run, as Python does by default.
	@mypy_log=$$(mktemp); $(BIN)/mypy >"$$mypy_log" 2>&1 & mypy_pid=$$!; \
	$(if $(CHECK_TMPDIR),TMPDIR=$(CHECK_TMPDIR)) PYTHONDONTWRITEBYTECODE= \
		$(BIN)/python -m pytest -m "not slow" -q -n auto; tests=$$?; \
	wait $$mypy_pid; types=$$?; echo "$(BIN)/mypy"; cat "$$mypy_log"; rm -f "$$mypy_log"; \
	exit $$(( tests != 0 ? tests : types ))

lint: install  ## ruff (lint and format) and mypy (types) on the code; settings in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	$(BIN)/mypy

bench: install train  ## benchmark against Rasa's starter bot (NLU, load, memory, start-up, training)
	$(BIN)/python bench/run.py

validate: install  ## check the training data and domain
	$(BIN)/rasa data validate

clean:  ## remove the model, runtime data and test results (not the virtual environment)
	rm -rf models results var .pytest_cache tests/artifacts
