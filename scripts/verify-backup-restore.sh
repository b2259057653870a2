#!/usr/bin/env bash
# End-to-end check of scripts/backup.sh and scripts/restore.sh on scratch
# databases (the application database is not touched):
#   1. create olteams_restorecheck_src with a table of known rows,
#   2. back it up with backup.sh,
#   3. restore into olteams_restorecheck_dst with restore.sh (twice: the second
#      restore goes over existing objects and exercises --clean),
#   4. compare row count and checksum, then drop both databases.
# Exits non-zero on any mismatch. Needs the app role to have CREATEDB
# (scripts/bootstrap.sh grants it). Runs in a few seconds.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/pg-env.sh
source "$ROOT_DIR/scripts/pg-env.sh"
export PGOPTIONS="-c client_min_messages=warning"  # no "does not exist, skipping" notices

SRC=olteams_restorecheck_src
DST=olteams_restorecheck_dst
workdir="$(mktemp -d)"
dump="$workdir/restorecheck.dump"

sql() {  # sql DB: run the SQL on stdin, print unaligned tuples
    psql --no-password -X -q -t -A -v ON_ERROR_STOP=1 -d "$1"
}
drop_all() {
    dropdb --no-password --if-exists --force "$SRC" || true
    dropdb --no-password --if-exists --force "$DST" || true
    rm -rf "$workdir"
}
trap drop_all EXIT

# Leftovers from an interrupted run would make createdb fail.
dropdb --no-password --if-exists --force "$SRC"
dropdb --no-password --if-exists --force "$DST"
createdb --no-password "$SRC"

sql "$SRC" <<'SQL'
CREATE TABLE restorecheck (
    id integer PRIMARY KEY,
    name text NOT NULL,
    amount numeric(12, 2) NOT NULL,
    created timestamptz NOT NULL
);
INSERT INTO restorecheck
SELECT i, 'cliënt ' || i || ' €', i * 12.34, timestamptz '2026-01-01 00:00+01' + i * interval '1 hour'
FROM generate_series(1, 250) AS i;
CREATE INDEX restorecheck_name ON restorecheck (name);
SQL

# count|md5 over every row in a fixed order.
read -r -d '' fingerprint <<'SQL' || true
SELECT count(*) || '|' || md5(coalesce(string_agg(r::text, ',' ORDER BY id), ''))
FROM restorecheck AS r;
SQL
expected="$(sql "$SRC" <<<"$fingerprint")"

POSTGRES_DB="$SRC" bash "$ROOT_DIR/scripts/backup.sh" "$dump"
bash "$ROOT_DIR/scripts/restore.sh" "$dump" "$DST"
# Change the restored copy, then restore again: --clean must bring it back.
sql "$DST" <<<"DELETE FROM restorecheck WHERE id <= 10; UPDATE restorecheck SET amount = 0;"
bash "$ROOT_DIR/scripts/restore.sh" "$dump" "$DST"
actual="$(sql "$DST" <<<"$fingerprint")"

if [[ "$actual" != "$expected" ]]; then
    echo "verify-backup-restore: MISMATCH: source $expected, restored $actual" >&2
    exit 1
fi
echo "verify-backup-restore: ok (rows|md5 $expected)"
