# The two commands most people need: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The embedded mode, asked for explicitly: SQLite, tasks in-process, console email, and links in
# PDFs and invitations pointing at this port. Production sets its own env (see .env.example).
DEV_ENV := DJANGO_EMBEDDED=true SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-dev-only-not-secret-$$(printf 'x%.0s' {1..40})}

.PHONY: run test worker beat check lint typecheck templates venv lock migrate seed clean bench

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs the exact versions and hashes in the lock file; `make lock` refreshes both lock files
# (requirements.lock for production, requirements-dev.lock with the test and lint tools).
$(VENV)/.installed: requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

lock: | $(PY)
	$(PY) -m pip install --quiet "pip-tools>=7.4,<8"
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--output-file requirements.lock requirements.txt
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--output-file requirements-dev.lock requirements-dev.txt

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

# The scheduler: exactly one per deployment (it only enqueues; workers run the jobs).
beat: venv
	$(PY) -m celery -A rehab_clinic beat --loglevel=INFO \
		--schedule=$${CELERY_BEAT_SCHEDULE_FILE:-celerybeat-schedule}

# The JavaScript lint tools (ESLint, the Nu HTML Checker's jar), pinned in package-lock.json.
# --ignore-scripts: vnu-jar's install script would download a Java; Debian's Java runs the jar.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

lint: venv node_modules/.package-lock.json
	$(PY) -m ruff check .
	$(PY) -m djlint templates --lint
	npx --no-install eslint static/js
	HTML_CHECK_REQUIRED=1 $(PY) -m pytest -q -p no:cacheprovider -m html_check tests/html

typecheck: venv
	$(DEV_ENV) $(PY) -m mypy rehab_clinic patients assessments exercises programs

check: lint typecheck test

# The page benchmark of docs/performance.md: builds rehab_pages with 10,000 patients with
# histories, serves the app and a bare page, prints req/s, p50, p95 and the ratio per page.
bench: venv
	$(PY) bench/pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
