"""The benchmark environment: Django on the bench database, and the facts of the machine."""

from __future__ import annotations

import glob
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "olteams.settings.bench"


def setup_django() -> None:
    """Point Django at the bench settings (whatever the shell says), create and migrate
    the bench database when needed, then set Django up."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django
    from django.conf import settings

    ensure_database(settings.DATABASES["default"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def ensure_database(db: dict) -> None:
    """Create the bench database with the application role (it has CREATEDB) if missing."""
    import psycopg
    from psycopg import sql

    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or "5432",
        "user": db["USER"],
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if exists.fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"bench: created database {db['NAME']}", file=sys.stderr)


def _run(*command: str) -> str:
    try:
        return subprocess.run(  # noqa: S603 — fixed commands, no shell
            command, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    for line in _run("free", "-g").splitlines():
        if line.startswith("Mem:"):
            return f"{line.split()[1]} GiB"
    return "unknown"


def _postgres_version() -> str:
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    binary = binaries[-1] if binaries else "postgres"
    return _run(binary, "--version")


def machine_facts() -> dict[str, str]:
    """What the numbers depend on: CPU, memory, software versions and the code's commit."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    commit = _run("git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD")
    dirty = _run("git", "-C", str(REPO_ROOT), "status", "--porcelain")
    return {
        "CPU": f"{_run('nproc')} cores, {_cpu_model()}",
        "Memory": _memory_gib(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": _run(sys.executable, "--version"),
        "PostgreSQL": f"{_postgres_version()} (server {server_version})",
        "Load average before the run": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "Commit": f"{commit}{' + uncommitted changes' if dirty not in ('', 'unknown') else ''}",
    }


def now_text() -> str:
    from django.utils import timezone

    return timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
