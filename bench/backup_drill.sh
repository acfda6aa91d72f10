#!/usr/bin/env bash
# Backup and restore drill (docs/operations.md, Backups): pg_dump a database, restore it into a
# fresh one, check that the audit trail's hash chain is intact there and that the app serves
# /healthz from the restored copy. Exits non-zero at the first step that fails.
#
#   bash bench/backup_drill.sh                      # builds a demo source database first
#   SOURCE_DB=rehab bash bench/backup_drill.sh      # drills an existing database (read only)
#
# Needs the PostgreSQL client tools (pg_dump, pg_restore, createdb, dropdb, psql) and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
SOURCE_DB=${SOURCE_DB:-}
RESTORED_DB=${RESTORED_DB:-rehab_drill_restored}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
PY=${PY:-.venv/bin/python}
PG=(-h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER")
url() { echo "postgres://$PG_USER@$PG_HOST:$PG_PORT/$1"; }

# The restored copy must be checked with the same AUDIT_HMAC_KEY as the source (keep it in the
# secret store beside the backups): a different key reports the first row as tampered.
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-drill-only-secret-$(printf 'k%.0s' {1..40})}
export AUDIT_HMAC_KEY=${AUDIT_HMAC_KEY:-$DJANGO_SECRET_KEY}
export REDIS_URL SITE_URL=${SITE_URL:-http://127.0.0.1} DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_BEHIND_TLS_PROXY=true  # the drill's curl says https through X-Forwarded-Proto

WORK=$(mktemp -d)
GUNICORN_PID=
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { echo; echo "=== $*"; }

if [ -z "$SOURCE_DB" ]; then
  SOURCE_DB=${DEMO_SOURCE_DB:-rehab_drill_source}
  step "building a source database ($SOURCE_DB): migrate + seed_demo"
  dropdb "${PG[@]}" --if-exists "$SOURCE_DB"
  createdb "${PG[@]}" "$SOURCE_DB"
  DATABASE_URL=$(url "$SOURCE_DB") "$PY" manage.py migrate --no-input -v 0
  # Seeded with in-process tasks, so its PDFs are rendered without a worker.
  env -u REDIS_URL DATABASE_URL="$(url "$SOURCE_DB")" DJANGO_EMBEDDED=true "$PY" manage.py seed_demo
fi

count() {  # rows in a table of a database
  psql "${PG[@]}" -d "$1" -tAc "SELECT count(*) FROM $2"
}

step "backup: pg_dump --format=custom $SOURCE_DB"
started=$(date +%s.%N)
pg_dump "${PG[@]}" --format=custom --no-owner --file "$WORK/rehab.dump" "$SOURCE_DB"
printf 'dump: %s bytes in %.1f s\n' "$(stat -c %s "$WORK/rehab.dump")" \
  "$(echo "$(date +%s.%N) - $started" | bc)"

step "restore into a fresh database ($RESTORED_DB)"
dropdb "${PG[@]}" --if-exists "$RESTORED_DB"
createdb "${PG[@]}" "$RESTORED_DB"
started=$(date +%s.%N)
pg_restore "${PG[@]}" --no-owner --exit-on-error -d "$RESTORED_DB" "$WORK/rehab.dump"
printf 'restored in %.1f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"

step "same rows in both"
for table in accounts_clinic accounts_user patients_patient audit_auditevent; do
  source_rows=$(count "$SOURCE_DB" "$table")
  restored_rows=$(count "$RESTORED_DB" "$table")
  echo "$table: source $source_rows, restored $restored_rows"
  [ "$source_rows" = "$restored_rows" ] || { echo "row counts differ"; exit 1; }
done

step "verify_audit on the restored database"
DATABASE_URL=$(url "$RESTORED_DB") "$PY" manage.py verify_audit

step "the append-only trigger came back with the restore"
if psql "${PG[@]}" -d "$RESTORED_DB" -v ON_ERROR_STOP=1 -qc \
  "UPDATE audit_auditevent SET detail = 'edited' WHERE id = (SELECT min(id) FROM audit_auditevent)" \
  2>"$WORK/trigger.err"; then
  echo "an UPDATE of the audit trail was accepted"; exit 1
fi
echo "UPDATE refused: $(head -1 "$WORK/trigger.err")"

step "the app serves from the restored database (gunicorn, production settings)"
PORT=$("$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
DATABASE_URL=$(url "$RESTORED_DB") .venv/bin/gunicorn rehab_clinic.wsgi --workers 1 \
  --bind "127.0.0.1:$PORT" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 1 40); do
  curl -sf -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/healthz" && break
  sleep 0.5
done
health=$(curl -s -H "X-Forwarded-Proto: https" -w ' HTTP %{http_code}' "http://127.0.0.1:$PORT/healthz")
echo "GET /healthz -> $health"
case "$health" in *'"database": "ok"'*'HTTP 200') ;; *) echo "not healthy"; exit 1 ;; esac

if [ "${KEEP_RESTORED:-0}" != 1 ]; then
  kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true; GUNICORN_PID=
  dropdb "${PG[@]}" "$RESTORED_DB"
fi
step "drill passed"
