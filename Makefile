# jangbogi: `make demo` (set up, run the pipeline on the embedded default, open the dashboard)
# and `make test` (set up, run the whole suite). See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DAYS ?= 30
PORT ?= 8501
export JANGBOGI_ENV ?= local

.PHONY: setup setup-test demo pipeline publish dashboard test soak lint format bench bench-full clean airflow airflow-down airflow-status stack-up stack-down stack-status

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

## The whole pipeline over the last $(DAYS) days on the embedded default, then publish to DuckDB.
pipeline: setup
	$(VENV)/bin/jangbogi run --days $(DAYS)

publish: setup
	$(VENV)/bin/jangbogi publish

dashboard: setup
	$(VENV)/bin/jangbogi dashboard --port $(PORT)

demo: pipeline
	@echo "대시보드: http://localhost:$(PORT)"
	$(VENV)/bin/jangbogi dashboard --port $(PORT)

test: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	scripts/run_tests.sh

## The long form of the reliability trials (issue 13): more crash trials over more days, plus the
## fault, key-search, hostile-input and concurrency trials. JANGBOGI_CRASH_SEED=<n> replays a run.
SOAK_TRIALS ?= 24
SOAK_DAYS ?= 21
soak: setup-test
	JANGBOGI_SOAK=1 JANGBOGI_CRASH_TRIALS=$(SOAK_TRIALS) JANGBOGI_TRIAL_DAYS=$(SOAK_DAYS) \
		PYTHONPATH=$(CURDIR) $(VENV)/bin/pytest -s -m reliability tests/reliability

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Airflow 3 (own venv .venv-airflow): api-server, scheduler, dag-processor, each by PID; AIRFLOW_HOME=var/airflow.
airflow: setup
	scripts/airflow.sh up

airflow-down:
	scripts/airflow.sh down

airflow-status:
	scripts/airflow.sh status

## The non-Docker stack (scripts/stack.sh): PostgreSQL, Hive Metastore 3.1.3 and Trino 476, each by
## PID under var/stack. Needs METASTORE_DB_PASSWORD and SERVING_DB_PASSWORD in the environment.
stack-up: setup
	scripts/fetch_stack.sh
	scripts/stack.sh up

stack-down:
	scripts/stack.sh down

stack-status:
	scripts/stack.sh status

bench: setup-test
	$(PY) bench/run.py

bench-full: setup-test
	$(PY) bench/run.py --full

clean:
	rm -rf var spark-warehouse metastore_db derby.log screenshots
