# Kawal Kopdes. `make run` (the app with demo data on SQLite) and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST := $(BIN)/python -m pytest
# The suite runs on every core (pytest-xdist); tests marked with one `xdist_group` (those on the
# demo data set, loaded once) stay on one worker.
XDIST  ?= -n auto --dist loadgroup
# Browser tests: one process by default; CI runs them on two (`E2E_XDIST="-n 2 --dist loadgroup"`;
# each worker has its own test database, live server and browser; the tests on the demo data
# stay on one worker, which loads the demo once).
E2E_XDIST ?= -n 0

.PHONY: install run serve demo test test-only e2e bench bench-small lint format messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_regions
	$(BIN)/python manage.py demo_data --if-empty

run: demo
	@echo "Kawal Kopdes: http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install lint test-only

test-only: install
	$(PYTEST) -m "not e2e" $(XDIST) $(PYTEST_ARGS)

e2e: install
	$(PYTEST) -m e2e tests/e2e $(E2E_XDIST) $(PYTEST_ARGS)

bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

bench-small: install
	$(BIN)/python benchmarks/run.py --small $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the Indonesian catalogues after changing source strings, then translate and compile.
messages: install
	$(BIN)/python manage.py kawal_messages

clean:
	rm -rf $(VENV) var staticfiles
