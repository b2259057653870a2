#!/usr/bin/env bash
# Run the application for development: migrate, load the demo data, then run the
# web server, a Celery worker and Celery beat together in the foreground.
# Ctrl+C (or TERM) stops all three; if one of them exits on its own, the others
# are stopped too and the script exits non-zero.
#
# Expects scripts/bootstrap.sh to have run (make run does that). Environment:
#   HOST (default 127.0.0.1), PORT (default 8000)
#   RUN_WEB=gunicorn   serve with gunicorn instead of runserver (static files are
#                      then not served; runserver serves them when DEBUG=true)
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
BIN="$ROOT_DIR/.venv/bin"
[[ -x "$BIN/python" ]] || { echo "run: .venv missing; run 'make bootstrap' first" >&2; exit 1; }

mkdir -p var
"$BIN/python" manage.py migrate --noinput
# seed_demo is idempotent and prints the demo logins itself.
"$BIN/python" manage.py seed_demo

declare -A NAMES=()   # pid -> name, for messages
PIDS=()

start() {  # start NAME CMD...: run in the background, remember the real pid
    local name="$1"; shift
    "$@" &
    PIDS+=("$!")
    NAMES[$!]="$name"
}

stopping=0
stop_all() {
    ((stopping)) && return
    stopping=1
    local pid alive
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # Give them up to 15 s to finish (the worker finishes its current task).
    for _ in $(seq 1 75); do
        alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop_all' EXIT
trap 'echo; echo "run: stopping..."; stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

if [[ "${RUN_WEB:-runserver}" == gunicorn ]]; then
    start web "$BIN/gunicorn" olteams.wsgi:application -b "$HOST:$PORT" --workers 2 --access-logfile -
else
    start web "$BIN/python" manage.py runserver "$HOST:$PORT" --noreload
fi
start worker "$BIN/celery" -A olteams worker -l info --concurrency 2
start beat "$BIN/celery" -A olteams beat -l info --schedule var/celerybeat-schedule

echo
echo "Optimaal Leven draait op http://$HOST:$PORT"
echo "Portaal voor cliënten en naasten: http://$HOST:$PORT/mijn/aanmelden/ (test-DigiD)"
echo "Demo-inloggegevens (medewerkers, demo-cliënt en demo-naaste met hun BSN):"
echo "zie de uitvoer van seed_demo hierboven. Stoppen: Ctrl+C."
echo

# Wait for the first of the three to exit; then stop the others.
exited=""
set +e
wait -n -p exited "${PIDS[@]}"
status=$?
set -e
name="a process"
[[ -n "$exited" ]] && name="${NAMES[$exited]}"
echo "run: $name stopped (exit $status); stopping the others" >&2
stop_all
exit $((status == 0 ? 1 : status))
