# Two commands matter: `make run` and `make test`. Both set up .venv when it is missing.
# `make test-e2e` adds the speech extra (PocketSphinx) and runs the end-to-end speech test
# (it needs espeak-ng and sox: apt-get install espeak-ng sox; without them it says so and skips).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SPEECH_STAMP := $(VENV)/.installed-speech

.PHONY: run test test-e2e bench clean messages catalogues

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic,serve,team]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/playbook run

test: $(STAMP)
	$(BIN)/python -m pytest

$(SPEECH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic,serve,team,speech]'
	touch $(SPEECH_STAMP)

test-e2e: $(SPEECH_STAMP)
	$(BIN)/python -m pytest -m e2e -rs tests/test_e2e_speech.py

bench: $(STAMP)
	$(BIN)/python -m bench

# The interface's message catalogues (playbook/locale/): `make messages` extracts every marked
# string into playbook.pot and merges it into each language's .po (then translate what is new or
# fuzzy); `make catalogues` compiles the .po files into the .mo files the app loads (both committed).
LOCALE := playbook/locale
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --sort-output --add-location=file --no-wrap --omit-header \
		--project=playbook -o $(LOCALE)/playbook.pot playbook tui
	$(BIN)/pybabel -q update -D playbook -i $(LOCALE)/playbook.pot -d $(LOCALE) --no-wrap --ignore-obsolete

catalogues: $(STAMP)
	$(BIN)/pybabel compile -D playbook -d $(LOCALE) --statistics

clean:
	rm -rf $(VENV) build *.egg-info
