# The two commands most people need: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The embedded default: SQLite, tasks in-process, console email. Production sets its own env.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-dev-only-not-secret-$$(printf 'x%.0s' {1..40})}

.PHONY: run test worker check lint typecheck templates venv migrate seed clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

run: venv
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C stops)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

worker: venv
	$(PY) -m celery -A rehab_clinic worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

lint: venv
	$(PY) -m ruff check .
	$(PY) -m djlint templates --lint

typecheck: venv
	$(DEV_ENV) $(PY) -m mypy rehab_clinic patients assessments exercises programs

check: lint typecheck test

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
