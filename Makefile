# Two commands: `make run` and `make test`. Both set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PHC := $(VENV)/bin/phc
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export GX_ANALYTICS_ENABLED := false

.PHONY: run test test-time dev manifest lint setup clean sql docs bench rebuild status

run: manifest  ## one refresh on the embedded default (data/ and the reference extracts)
	@$(PHC) run $(if $(FORCE),--force) $(if $(VERBOSE),--verbose)

test: manifest  ## the test suite (one layer: make test T=tests/unit, or T="-m integration")
	$(PY) -m pytest $(T)

test-time: manifest  ## the whole suite, timed -> bench/results/make_test.json
	$(PY) bench/time_tests.py

dev: manifest  ## the Dagster UI on http://127.0.0.1:3000
	$(PHC) dev

rebuild: manifest  ## the warehouse, published file and exports again, from the archive alone
	@$(PHC) rebuild $(if $(VERBOSE),--verbose)

status: $(STAMP)  ## the last refresh, what is loaded, the coding queue, the last alerts
	@$(PHC) status

sql: $(STAMP)  ## SQL prompt on the published file, or: make sql Q="select ..."
	$(PHC) sql $(if $(Q),-c "$$Q")

docs: manifest  ## dbt docs with lineage -> data/dbt_docs/static_index.html
	$(PHC) docs

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found): install it or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# dbt parse at build time, never at import time; `phc manifest` parses only when a dbt input
# changed (the list of inputs is orchestration/runtime/settings.py's DBT_INPUTS).
manifest: $(STAMP)  ## the dbt manifest
	$(PHC) manifest

bench: manifest  ## fixed and marginal cost of the refresh (300k; BENCH_FULL=1 adds 1M) -> bench/results/latest.json
	$(PHC) bench

lint: $(STAMP)
	$(VENV)/bin/ruff check orchestration tests reference seeds bench
	$(VENV)/bin/ruff format --check orchestration tests reference seeds bench
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs
