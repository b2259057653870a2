# shellcheck shell=bash
# Sourced by the backup/restore scripts: libpq connection settings for the
# application database, from the same POSTGRES_* variables the settings read
# (defaults match scripts/bootstrap.sh). DATABASE_URL is not used here. Backups and
# restores run as the owner role: only it may create the tables a restore brings back.
export PGHOST="${POSTGRES_HOST:-127.0.0.1}"
export PGPORT="${POSTGRES_PORT:-5432}"
export PGUSER="${POSTGRES_OWNER_USER:-olteams_owner}"
export PGPASSWORD="${POSTGRES_OWNER_PASSWORD:-olteams_owner}"
export PGDATABASE="${POSTGRES_DB:-olteams}"
# Never prompt for a password (CI has no terminal).
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
