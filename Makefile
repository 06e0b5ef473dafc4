# The two README commands: `make demo` and `make test`. Both build their own virtualenv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= demo.db

CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint bench clean browser train-ner

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "marsad needs $(PYTHON) on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

demo: $(STAMP)
	rm -f $(DB)
	$(BIN)/marsad ingest --db $(DB) src/marsad/resources/sample
	$(BIN)/marsad stories --db $(DB)
	$(BIN)/marsad show --db $(DB) $$($(BIN)/marsad stories --db $(DB) --ids | head -n 1)
	$(BIN)/marsad show --db $(DB) --format html $$($(BIN)/marsad stories --db $(DB) --ids | head -n 1) > demo-story.html
	@echo "HTML report written to demo-story.html"

# The web tests drive Debian's Chromium; install it when the machine has none.
browser:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium for the browser tests" >&2; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest ran no tests" >&2; fi; exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

# Retrain the shipped neural NER model (an hour on 2 cores; needs ../shared/data). Not part of demo or test.
TRAIN_VENV := .venv-train
$(TRAIN_VENV)/.installed: requirements-train.txt requirements.txt pyproject.toml
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet -r requirements-train.txt
	$(TRAIN_VENV)/bin/python -m pip install --quiet --no-deps -e .
	@touch $@

train-ner: $(TRAIN_VENV)/.installed
	$(TRAIN_VENV)/bin/python scripts/train_ner_lstm.py

clean:
	rm -rf $(VENV) demo.db demo-story.html
