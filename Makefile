# Two commands are the contract (see README.md):
#   make run   set everything up on a fresh machine and run the assistant
#   make test  set up what the tests need and run every test
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
RASA := $(BIN)/rasa

# Settings (ports, databases, ...) are read by the programs themselves (settings/, .env.example); the
# launcher (python -m deploy) hands Rasa and the action server theirs. These only quieten Rasa's own
# commands below.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1

MODEL := models/careers.tar.gz
# Test workers: most tests wait on servers, so two share this machine's two cores well.
TEST_WORKERS ?= 2
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' -not -path 'data/nlu/generated/*' 2>/dev/null)
CATALOG_INPUTS := $(shell find careers_catalog -name '*.py' -o -name '*.yml' -o -name '*.csv' 2>/dev/null)
LOOKUPS := data/nlu/generated/catalog_lookups.yml

.PHONY: help setup run run-cluster shell train test lint bench clean

help:
	@echo "make run    set up (Python 3.10 venv, packages, catalogue, model) and start the assistant and"
	@echo "            the web app (http://localhost:8000/demo)"
	@echo "make run-cluster  the same with 2 Rasa servers and 2 action servers behind nginx, sharing a"
	@echo "            PostgreSQL tracker store and a Redis lock store (RASA_PROCESSES=N for more)"
	@echo "make test   set up and run every test"
	@echo "make shell  chat in the terminal (rasa shell) with the action server running"
	@echo "make bench  run the benchmarks"

# --- set-up -------------------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  PYTHON310=$$(scripts/find_python.sh) || exit 1; \
	  echo "Making $(VENV) with $$PYTHON310"; \
	  $$PYTHON310 -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade "pip<24.1" || exit 1; \
	fi
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m pip check
	@touch $@

var/spacy/en_core_web_sm/meta.json: scripts/prepare_spacy_model.py | $(VENV)/.installed
	$(PY) scripts/prepare_spacy_model.py var/spacy/en_core_web_sm

# The catalogue is (re)loaded when its data or code changes (the loader itself skips unchanged data).
# The NLU lookup file is rewritten only when the careers' names change, so only that retrains.
CATALOG_STAMP := var/catalog.stamp
$(CATALOG_STAMP): $(VENV)/.installed $(CATALOG_INPUTS)
	@mkdir -p var
	$(PY) -m careers_catalog load
	$(PY) -m careers_catalog export-nlu data/nlu/generated
	@touch $@

$(LOOKUPS): $(CATALOG_STAMP)
	@test -f $@

setup: $(VENV)/.installed var/spacy/en_core_web_sm/meta.json $(CATALOG_STAMP)

# Train only when training data, config or the catalogue's names changed; a model trained before from
# the same inputs comes from the model cache (deploy/model_cache.py).
$(MODEL): var/spacy/en_core_web_sm/meta.json $(LOOKUPS) $(TRAINING_INPUTS)
	$(BIN)/python -m deploy.model_cache
	@touch $@

train: setup $(MODEL)

run: train
	$(PY) -m deploy run

# Several Rasa and action servers behind nginx (deploy/nginx.conf.template). The conversations go to
# PostgreSQL (CLUSTER_DATABASE_URL, created if missing); the catalogue stays where DATABASE_URL says.
run-cluster: train
	scripts/system_packages.sh nginx
	$(PY) -m deploy run --cluster

shell: train
	$(PY) -m deploy shell

# --- checks -------------------------------------------------------------------------------------
test: train
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(RASA) data validate --fail-on-warnings
	scripts/browser_setup.sh
	scripts/system_packages.sh nginx || true
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: train
	scripts/browser_setup.sh
	scripts/system_packages.sh nginx || true
	$(PY) -m bench

clean:
	rm -rf models var data/nlu/generated .pytest_cache node_modules
