#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh.
#   scripts/restore.sh FILE [TARGET_DB]
# TARGET_DB defaults to POSTGRES_DB; it is created (owned by POSTGRES_OWNER_USER) when
# missing. Existing objects in the target are dropped and recreated (--clean);
# the restore runs in one transaction, so it either completes or changes nothing.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/pg-env.sh
source "$ROOT_DIR/scripts/pg-env.sh"

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 FILE [TARGET_DB]" >&2
    exit 2
fi
file="$1"
target="${2:-$PGDATABASE}"
[[ -r "$file" ]] || { echo "restore: cannot read $file" >&2; exit 1; }

# Does the target exist? (psql variables quote the name safely.)
exists="$(psql --no-password -X -q -t -A -v ON_ERROR_STOP=1 -v db="$target" -d postgres <<'SQL'
SELECT 1 FROM pg_database WHERE datname = :'db';
SQL
)"
if [[ "$exists" != 1 ]]; then
    echo "restore: creating database $target"
    createdb --no-password --owner="$PGUSER" "$target"
fi

pg_restore --no-password --clean --if-exists --no-owner --single-transaction \
    --dbname="$target" "$file"
echo "restore: $file -> $target"
