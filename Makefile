# Developer and CI entry points. Every target that needs the environment runs
# scripts/bootstrap.sh first (idempotent; well under a second when nothing changed).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
APPS := olteams clients herstelplan wmo caseload finance
PYTEST_ARGS ?=
# Two pytest-xdist workers (one per core); each has its own test database and Redis database.
# Whole test files stay on one worker (module fixtures such as the seeded crawl are built once).
PYTEST_WORKERS ?= 2

.PHONY: help bootstrap run test lint typecheck fmt demo bench backup restore

help:
	@echo "make bootstrap  install/start everything the project needs (venv, PostgreSQL, Redis)"
	@echo "make run        migrate, seed demo data, run web + Celery worker + beat"
	@echo "make test       makemigrations --check, then pytest (PYTEST_ARGS='-k ...')"
	@echo "make lint       ruff, ruff format --check, import-linter, compose config"
	@echo "make typecheck  mypy with django-stubs"
	@echo "make fmt        ruff format and ruff check --fix"
	@echo "make demo       migrate and load the demo data"
	@echo "make bench      run the benchmarks (python -m benchmarks)"
	@echo "make backup     pg_dump to var/backups/ (or FILE=path)"
	@echo "make restore    FILE=path [TARGET_DB=name]: pg_restore a backup"

bootstrap:
	@bash scripts/bootstrap.sh

# Development only: DEBUG on unless the caller set it.
run demo: export DEBUG ?= true

run: bootstrap
	bash scripts/run.sh

test: bootstrap
	$(PY) manage.py makemigrations --check --dry-run --settings=olteams.settings.test
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	bash scripts/check-compose.sh

typecheck: bootstrap
	$(VENV)/bin/mypy $(APPS)

fmt:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

demo: bootstrap
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

bench: bootstrap
	$(PY) -m benchmarks

backup: bootstrap
	bash scripts/backup.sh $(FILE)

restore: bootstrap
	@if [[ -z "$(FILE)" ]]; then echo "usage: make restore FILE=var/backups/<file>.dump [TARGET_DB=name]" >&2; exit 2; fi
	bash scripts/restore.sh "$(FILE)" $(TARGET_DB)
