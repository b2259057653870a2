#!/usr/bin/env bash
# First start of the compose `db` container (/docker-entrypoint-initdb.d): the two roles
# of docs/operations.md and the database, owned by the owner role, and the replication role
# that db-replica streams with. The container's superuser (postgres) is used for nothing else.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username postgres --dbname postgres \
    -v owner="$OLTEAMS_OWNER_USER" -v opw="$OLTEAMS_OWNER_PASSWORD" \
    -v role="$OLTEAMS_USER" -v pw="$OLTEAMS_PASSWORD" -v db="$OLTEAMS_DB" \
    -v repl="$OLTEAMS_REPLICATION_USER" -v rpw="$OLTEAMS_REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'owner', :'opw') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner') \gexec
SELECT format('CREATE ROLE %I REPLICATION LOGIN PASSWORD %L', :'repl', :'rpw') \gexec
SQL
# Streaming replication connects to the pseudo-database "replication", which "all" in the
# image's pg_hba.conf does not match.
echo "host replication $OLTEAMS_REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
