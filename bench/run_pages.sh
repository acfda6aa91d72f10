#!/usr/bin/env bash
# Page load benchmark: PostgreSQL, demo data plus 10,000 synthetic patients, gunicorn with 3
# workers, locust with 20 users for 60 s. Writes bench/out/pages_stats.csv; figures go in
# docs/performance.md. Usage: bash bench/run_pages.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rehab_pages}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-bench-only-$(printf 'x%.0s' {1..50})}
export DJANGO_DEBUG=false DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false
export DJANGO_MANIFEST_STATIC=false AXES_ENABLED=false
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS rehab_pages" -c "CREATE DATABASE rehab_pages"
$PY manage.py migrate -v0
$PY manage.py seed_demo --patients 10000 >/dev/null
mkdir -p bench/out
$PY -m gunicorn rehab_clinic.wsgi --workers 3 --bind 127.0.0.1:8899 --pid bench/out/gunicorn.pid \
  --daemon --access-logfile /dev/null
sleep 2
$PY -m locust -f bench/locustfile.py --headless -u 20 -r 10 -t 60s --host http://127.0.0.1:8899 \
  --only-summary --csv bench/out/pages || true
kill "$(cat bench/out/gunicorn.pid)"
