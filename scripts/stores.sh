#!/usr/bin/env bash
# Provisions the local stores the services need. Idempotent: safe to run again at any time.
#   scripts/stores.sh up     create the PostgreSQL databases, build FerretDB if missing, start it, migrate
#   scripts/stores.sh down   stop the FerretDB this script started
# PostgreSQL and Redis are expected to be running already (they are on this kind of machine).
set -euo pipefail
cd "$(dirname "$0")/.."
# Go may be installed outside the default PATH (it is at /usr/local/go on this kind of machine).
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"

FERRETDB_VERSION=v1.24.2
POSTGRES_ADMIN_URL="${POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
MONGODB_ADDR="${MONGODB_ADDR:-127.0.0.1:27017}"
FERRETDB_BIN="${FERRETDB_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/flores-victoria/ferretdb-$FERRETDB_VERSION}"
STATE_DIR="${STORES_STATE_DIR:-$PWD/.stores}"
PG_DATABASES=(fv_auth fv_users fv_products fv_orders)
MIGRATED_SUBGRAPHS=(auth users products orders)

log() { printf '[stores] %s\n' "$*" >&2; }
die() { printf '[stores] error: %s\n' "$*" >&2; exit 1; }

pg_url_for() { # database name -> URL on the same server as POSTGRES_ADMIN_URL
  python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$POSTGRES_ADMIN_URL" "$1"
}

port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

ensure_postgres() {
  psql "$POSTGRES_ADMIN_URL" -qtAc 'select 1' >/dev/null 2>&1 \
    || die "PostgreSQL does not answer at $POSTGRES_ADMIN_URL (set POSTGRES_ADMIN_URL, or start it)"
  for db in "${PG_DATABASES[@]}" ferretdb; do
    if [ "$(psql "$POSTGRES_ADMIN_URL" -qtAc "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      psql "$POSTGRES_ADMIN_URL" -qc "create database \"$db\"" && log "created database $db"
    fi
  done
}

ensure_redis() {
  local hostport="${REDIS_URL#redis://}"; hostport="${hostport%%/*}"; hostport="${hostport##*@}"
  port_open "$hostport" || die "Redis does not answer at $REDIS_URL (set REDIS_URL, or start it)"
}

build_ferretdb() {
  [ -x "$FERRETDB_BIN" ] && return
  command -v go >/dev/null || die "Go is needed to build FerretDB $FERRETDB_VERSION (apt-get install golang, or /usr/local/go)"
  log "building FerretDB $FERRETDB_VERSION (once; about two minutes)"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  # `go install …@version` builds a binary that panics on start: the module omits the generated
  # build/version/version.txt. Build from a copy of the module with that file written.
  local src work
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
  work="$(mktemp -d)"
  cp -r "$src/." "$work/" && chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" > "$work/build/version/version.txt"
  (cd "$work" && CGO_ENABLED=0 go build -trimpath -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb)
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$work"
  "$FERRETDB_BIN" --version >/dev/null || die "the FerretDB build at $FERRETDB_BIN does not run"
}

ensure_ferretdb() {
  if port_open "$MONGODB_ADDR"; then return; fi
  build_ferretdb
  mkdir -p "$STATE_DIR/ferretdb"
  log "starting FerretDB on $MONGODB_ADDR (PostgreSQL backend, database ferretdb)"
  FERRETDB_TELEMETRY=disable setsid "$FERRETDB_BIN" \
    --handler=postgresql --postgresql-url="$(pg_url_for ferretdb)" \
    --listen-addr="$MONGODB_ADDR" --debug-addr="${FERRETDB_DEBUG_ADDR:-127.0.0.1:8088}" \
    --telemetry=disable --state-dir="$STATE_DIR/ferretdb" --log-level=warn \
    >>"$STATE_DIR/ferretdb.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/ferretdb.pid"
  for _ in $(seq 1 100); do
    port_open "$MONGODB_ADDR" && return
    kill -0 "$(cat "$STATE_DIR/ferretdb.pid")" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$STATE_DIR/ferretdb.log" >&2 || true
  die "FerretDB did not start (log: $STATE_DIR/ferretdb.log)"
}

migrate() {
  for name in "${MIGRATED_SUBGRAPHS[@]}"; do
    [ -f "subgraphs/$name/src/db/migrate.ts" ] || continue
    DATABASE_URL="$(pg_url_for "fv_$name")" LOG_LEVEL=warn pnpm --silent --filter "@fv/$name" migrate \
      || die "migrating the $name database failed"
  done
  log "PostgreSQL databases migrated"
}

case "${1:-up}" in
  up)
    ensure_postgres
    ensure_redis
    ensure_ferretdb
    [ "${SKIP_MIGRATIONS:-}" = 1 ] || migrate
    log "stores ready: PostgreSQL $POSTGRES_ADMIN_URL, Redis $REDIS_URL, FerretDB mongodb://$MONGODB_ADDR"
    ;;
  down)
    if [ -f "$STATE_DIR/ferretdb.pid" ]; then
      kill "$(cat "$STATE_DIR/ferretdb.pid")" 2>/dev/null && log "FerretDB stopped" || true
      rm -f "$STATE_DIR/ferretdb.pid"
    fi
    ;;
  *) die "usage: $0 [up|down]" ;;
esac
