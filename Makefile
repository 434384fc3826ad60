# `make run`: the demo on SQLite with tasks run in process. `make test`: lint and the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format deps frontend clean-demo messages

deps: $(VENV)/.installed node_modules/.installed static/build/css/app.css

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $$(scripts/find-python.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

static/build/css/app.css: node_modules/.installed static/scss/app.scss scripts/build-frontend.mjs
	npm run build

frontend: node_modules/.installed
	npm run build

run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(PY) scripts/check_architecture.py

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: deps lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

clean-demo:
	rm -f db.sqlite3
	rm -rf var/mail

# The English catalogue (locale/en), complete: every marked string with its English text (ADR 0019).
messages:
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=static --ignore=tests --ignore=bench
	msgattrib --clear-fuzzy --empty --clear-previous --no-obsolete -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	msgen -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -l en

# The whole service under load and faults (docs/adr/0022). `make stack` serves a production-like stack
# for STACK_SECONDS (own PostgreSQL and Redis, gunicorn, two workers, beat, STACK_EVENTS records);
# `make load` runs the full plan (10 minutes of load, 1,000,000 records) and writes bench/load/report.md.
STACK_EVENTS ?= 20000
STACK_SECONDS ?= 600
LOAD_PLAN ?= bench/load/plans/full.yaml

.PHONY: stack load
stack: deps
	$(PY) bench/load/stack.py --events $(STACK_EVENTS) --seconds $(STACK_SECONDS) --cache var/load

load: deps
	$(PY) bench/load/run.py --plan $(LOAD_PLAN) --cache var/load
