#!/usr/bin/env bash
# Bring a Debian 12 development/CI machine to the state the project needs:
#   Python >= 3.12 virtualenv with the project installed (.venv), the Debian
#   packages used by tests and benchmarks, PostgreSQL on 127.0.0.1:5432,
#   Redis on 127.0.0.1:6379, and the two database roles and the database.
#
# Idempotent and quick when everything is already in place (a second run does
# no installs and starts nothing). Environment:
#   POSTGRES_USER / POSTGRES_PASSWORD    runtime role the app connects as (olteams_app)
#   POSTGRES_OWNER_USER / _PASSWORD      owner role: owns the tables, runs migrations
#                                        and creates test databases (olteams_owner)
#   POSTGRES_DB                          database (default: olteams)
#   POSTGRES_PORT                                     (default: 5432, on 127.0.0.1)
#   BOOTSTRAP_QUIET=1                                 print only what changed
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

export DEBIAN_FRONTEND=noninteractive
QUIET="${BOOTSTRAP_QUIET:-0}"
VENV="$ROOT_DIR/.venv"
PG_HOST=127.0.0.1
PG_PORT="${POSTGRES_PORT:-5432}"
REDIS_DIR="${REDIS_DIR:-/tmp/olteams-redis}"
DB_USER="${POSTGRES_USER:-olteams_app}"
DB_PASSWORD="${POSTGRES_PASSWORD:-olteams_app}"
OWNER_USER="${POSTGRES_OWNER_USER:-olteams_owner}"
OWNER_PASSWORD="${POSTGRES_OWNER_PASSWORD:-olteams_owner}"
DB_NAME="${POSTGRES_DB:-olteams}"

# say: a routine "step ok" line (hidden when quiet); note: something changed
# or needs attention (always shown); die: stop with a message.
say() { [[ "$QUIET" == 1 ]] || echo "bootstrap: $*"; }
note() { echo "bootstrap: $*"; }
die() { echo "bootstrap: ERROR: $*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# True when the interpreter runs and is 3.12 or 3.13 (pyproject: >=3.12,<3.14).
python_ok() {
    "$1" -c 'import sys; sys.exit(not ((3, 12) <= sys.version_info[:2] < (3, 14)))' \
        >/dev/null 2>&1
}

# --- a. Python ------------------------------------------------------------------
find_python() {
    local pyenv_root candidates=() c
    pyenv_root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    shopt -s nullglob
    # pyenv interpreters first: the python3.12 shim fails without PYENV_VERSION.
    candidates=(
        python3.12 python3.13
        "$pyenv_root"/versions/3.12*/bin/python3
        "$pyenv_root"/versions/3.13*/bin/python3
        /usr/bin/python3.12 /usr/local/bin/python3.12
    )
    shopt -u nullglob
    for c in "${candidates[@]}"; do
        if python_ok "$c"; then
            # Resolve to the real interpreter so the venv does not point at a shim.
            "$c" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}

# pip with its two noisiest harmless lines removed; pipefail keeps pip's status.
pip_install() {
    "$VENV/bin/python" -m pip install "$@" 2>&1 |
        { grep -vE '^(Requirement already satisfied|WARNING: Location .* is ignored)' || true; }
}

# --- b. Debian packages ------------------------------------------------------------
missing_pkgs=()
need_pkg() { missing_pkgs+=("$1"); }
have_pkg() { dpkg -s "$1" >/dev/null 2>&1; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    need_pkg postgresql
fi
command -v redis-server >/dev/null 2>&1 || need_pkg redis-server
command -v chromium >/dev/null 2>&1 || need_pkg chromium
have_pkg libharfbuzz-subset0 || need_pkg libharfbuzz-subset0
command -v pdftoppm >/dev/null 2>&1 || need_pkg poppler-utils
have_pkg fonts-dejavu-core || need_pkg fonts-dejavu-core
command -v wrk >/dev/null 2>&1 || need_pkg wrk

if ((${#missing_pkgs[@]})); then
    if ! is_root; then
        die "missing system packages; as root run: apt-get update && apt-get install -y --no-install-recommends ${missing_pkgs[*]}"
    fi
    note "installing system packages: ${missing_pkgs[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >/dev/null
fi
say "system packages ok"

# --- c. virtualenv and project install ---------------------------------------------
if [[ ! -x "$VENV/bin/python" ]] || ! python_ok "$VENV/bin/python"; then
    PYTHON="$(find_python)" || die "no Python >= 3.12 (< 3.14) found; tried python3.12, python3.13, pyenv versions 3.12*/3.13*, /usr/bin/python3.12, /usr/local/bin/python3.12"
    note "creating .venv with $PYTHON"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
if [[ ! -e "$VENV/.pip-upgraded" ]]; then
    pip_install --quiet --upgrade pip
    touch "$VENV/.pip-upgraded"
fi

# Reinstall only when pyproject.toml changed since the last successful install.
pyproject_sha="$(sha256sum pyproject.toml | cut -d' ' -f1)"
stamp="$VENV/.installed-$pyproject_sha"
if [[ ! -e "$stamp" ]]; then
    note "installing the project and dev tools into .venv (pip install -e '.[dev]')"
    pip_flags=(--progress-bar off)
    [[ "$QUIET" == 1 ]] && pip_flags+=(--quiet)
    pip_install "${pip_flags[@]}" -e '.[dev]'
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi
say "python ok ($("$VENV/bin/python" -c 'import platform; print(platform.python_version())'), .venv)"

# --- d. PostgreSQL ---------------------------------------------------------------
pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }

if ! pg_ready; then
    is_root || die "PostgreSQL is not running on $PG_HOST:$PG_PORT; start it (as root: pg_ctlcluster <version> main start)"
    # Use the cluster configured for this port; if there is none, create the
    # newest installed version's "main" cluster on it.
    cluster="$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p {print $1 " " $2; exit}')"
    if [[ -z "$cluster" ]]; then
        ver="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
        if [[ -d "/etc/postgresql/$ver/main" ]]; then
            die "PostgreSQL cluster $ver/main exists but not on port $PG_PORT; set its port (pg_conftool $ver main set port $PG_PORT) or set POSTGRES_PORT"
        fi
        note "creating PostgreSQL $ver cluster 'main' on port $PG_PORT"
        pg_createcluster -p "$PG_PORT" "$ver" main >/dev/null
        cluster="$ver main"
    fi
    read -r ver name <<<"$cluster"
    # A plain start on a running cluster exits 2, hence the status guard.
    if ! pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" status >/dev/null 2>&1; then
        note "starting PostgreSQL $ver/$name"
        pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
    fi
    for _ in $(seq 1 60); do pg_ready && break; sleep 0.5; done
    pg_ready || die "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT within 30 s (see /var/log/postgresql/postgresql-$ver-$name.log)"
fi
say "postgres ok ($PG_HOST:$PG_PORT)"

# --- e. Redis --------------------------------------------------------------------
redis_ready() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]; }

if ! redis_ready; then
    mkdir -p "$REDIS_DIR"
    note "starting redis-server (data and log in $REDIS_DIR)"
    # AOF persistence: a Redis restart keeps the queued tasks.
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly yes \
        --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" >/dev/null
    for _ in $(seq 1 40); do redis_ready && break; sleep 0.25; done
    redis_ready || die "Redis did not answer PING on 127.0.0.1:6379 within 10 s (see $REDIS_DIR/redis.log)"
fi
say "redis ok (127.0.0.1:6379)"

# --- f. database roles and database ----------------------------------------------
# Two roles (docs/operations.md): the owner owns the database and its tables, runs the
# migrations and creates test_<db> (LOGIN CREATEDB); the runtime role the app connects
# as owns nothing (LOGIN only) and gets its table rights from `manage.py migrate`.
# format(%I, %L) quotes names and the password safely; \gexec runs the generated
# statement only when the NOT EXISTS guard returned a row. Passwords and attributes are
# (re)asserted each run so the environment stays the source of truth.
if is_root; then
    (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
        -v owner="$OWNER_USER" -v opw="$OWNER_PASSWORD" \
        -v role="$DB_USER" -v pw="$DB_PASSWORD" -v db="$DB_NAME") <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'owner', :'opw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'owner', :'opw') \gexec
SELECT format('CREATE ROLE %I LOGIN NOCREATEDB PASSWORD %L', :'role', :'pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOCREATEDB NOCREATEROLE NOSUPERUSER PASSWORD %L', :'role', :'pw')
WHERE :'role' <> :'owner' \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
else
    # Not root: we cannot act as postgres; just check that both roles can connect.
    for pair in "$OWNER_USER:$OWNER_PASSWORD" "$DB_USER:$DB_PASSWORD"; do
        PGPASSWORD="${pair#*:}" psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "${pair%%:*}" \
            -d "$DB_NAME" -c 'SELECT 1' >/dev/null 2>&1 ||
            die "cannot connect as ${pair%%:*} to database $DB_NAME; as root create the roles ($OWNER_USER LOGIN CREATEDB owning $DB_NAME, $DB_USER LOGIN), or rerun this script as root"
    done
fi
say "database ok (owner $OWNER_USER, runtime role $DB_USER, database $DB_NAME)"

[[ "$QUIET" == 1 ]] && note "ready"
exit 0
