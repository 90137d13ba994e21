# Two commands matter: `make run` and `make test`. Both set up .venv when it is missing.
# `make test-e2e` adds the speech extra (PocketSphinx) and runs the end-to-end speech test
# (it needs espeak-ng and sox: apt-get install espeak-ng sox; without them it says so and skips).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SPEECH_STAMP := $(VENV)/.installed-speech

.PHONY: run test test-e2e bench clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic,serve]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/playbook run

test: $(STAMP)
	$(BIN)/python -m pytest

$(SPEECH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic,serve,speech]'
	touch $(SPEECH_STAMP)

test-e2e: $(SPEECH_STAMP)
	$(BIN)/python -m pytest -m e2e -rs tests/test_e2e_speech.py

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info
