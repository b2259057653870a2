#!/usr/bin/env bash
# Back up the application database: pg_dump in custom format (-Fc) over TCP.
#   scripts/backup.sh [FILE]
# Without FILE the dump goes to var/backups/<db>-<UTC timestamp>.dump.
# Connection: POSTGRES_HOST/PORT/USER/PASSWORD/DB (see scripts/pg-env.sh).
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/pg-env.sh
source "$ROOT_DIR/scripts/pg-env.sh"

file="${1:-$ROOT_DIR/var/backups/$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"

# Write to a temporary name first so a failed dump never looks like a backup.
tmp="$file.partial"
trap 'rm -f "$tmp"' EXIT
pg_dump --no-password --format=custom --file="$tmp" "$PGDATABASE"
mv "$tmp" "$file"
echo "backup: $PGDATABASE -> $file ($(du -h "$file" | cut -f1))"
