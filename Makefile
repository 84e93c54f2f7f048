# Passordhjelp: `make run` sets up and starts the assistant; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MODEL := models/passordhjelp.tar.gz
# Everything the trained model depends on: retrain only when one of these changes.
TRAINING_INPUTS := config.yml domain.yml $(shell find data components passordhjelp/nlp -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help install train run test validate clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(INSTALLED)  ## create .venv and install the pinned dependencies

$(INSTALLED): requirements.txt constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==24.0
	# Rasa 3.6 declares Python <3.11 but runs on 3.11; its dependencies come from requirements.txt.
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

train: $(MODEL)  ## train the model if data, domain or config changed

$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	$(BIN)/rasa train --fixed-model-name passordhjelp --out models
	touch $@

run: install train  ## start the action server and Rasa (REST and socket.io on :5005)
	$(BIN)/python -m passordhjelp.serve

test: install train  ## run every test (unit, actions, stories, NLU evaluation, end to end)
	$(BIN)/python -m pytest

validate: install  ## check the training data and domain
	$(BIN)/rasa data validate

clean:  ## remove the model, runtime data and test results (not the virtual environment)
	rm -rf models results var .pytest_cache tests/artifacts
