"""One stack of real processes per module (see stack.py); tests talk to it over HTTP and SQL."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests

from tests.resilience.stack import (
    DB_NAME,
    OWNER,
    ROOT,
    RUNTIME,
    Postgres,
    Process,
    Redis,
    app_env,
    free_port,
    port_open,
    python,
    wait_for,
)


@dataclass
class Stack:
    base: Path
    pg: Postgres
    redis: Redis
    web: Process
    worker: Process
    beat: Process
    web_port: int
    session_key: str
    month: str

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def http(self) -> requests.Session:
        http = requests.Session()
        http.cookies.set("sessionid", self.session_key, domain="127.0.0.1")
        return http

    def csrf(self, http: requests.Session, path: str) -> str:
        page = http.get(self.url(path), timeout=10)
        assert page.status_code == 200, page.status_code
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        with psycopg.connect(self.pg.url(OWNER), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + p.log.read_text(errors="replace")[-4000:]
            for p in (self.web, self.worker, self.beat)
            if p.log.exists()
        )


def _setup_database(pg: Postgres) -> None:
    with psycopg.connect(pg.url("postgres", "postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {OWNER} LOGIN PASSWORD '{OWNER}'")
        conn.execute(f"CREATE ROLE {RUNTIME} LOGIN PASSWORD '{RUNTIME}'")
        conn.execute(f"CREATE DATABASE {DB_NAME} OWNER {OWNER}")


@dataclass
class Seeded:
    """One migrated and seeded PostgreSQL cluster shared by the resilience modules (the
    migrations are most of a stack's start-up time). ``seed`` is the JSON of seed.py."""

    pg: Postgres
    seed: dict[str, str]


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    base = tmp_path_factory.mktemp("seeded")
    pg, redis = Postgres(), Redis(base)
    pg.init()
    try:
        _setup_database(pg)
        redis.start()  # the seed may enqueue; a Redis of its own, stopped after
        env = app_env(pg, redis, base)
        run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "timeout": 180}
        subprocess.run(python("manage.py", "migrate", "--noinput"), **run)  # noqa: S603
        seed = json.loads(
            subprocess.run(python("-m", "tests.resilience.seed"), **run).stdout  # noqa: S603
        )
        redis.stop()
        yield Seeded(pg, seed)
    finally:
        if redis.proc is not None:
            redis.stop()
        if port_open(pg.port):
            pg.stop()
        pg.remove()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, seeded: Seeded) -> Iterator[Stack]:
    base = tmp_path_factory.mktemp("stack")
    pg, redis = seeded.pg, Redis(base)
    processes: list[Process] = []
    try:
        redis.start()
        env = app_env(pg, redis, base)
        web_port = free_port()
        web = Process(
            "web",
            python(
                "-m",
                "gunicorn",
                "olteams.wsgi:application",
                "-b",
                f"127.0.0.1:{web_port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "30",
            ),
            env,
            base / "web.log",
        )
        worker = Process(
            "worker",
            python(
                "-m",
                "celery",
                "-A",
                "tests.resilience.slow_worker",
                "worker",
                "-l",
                "info",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
            ),
            env,
            base / "worker.log",
        )
        beat = Process(
            "beat",
            python(
                "-m",
                "celery",
                "-A",
                "olteams",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(base / "beat-schedule"),
            ),
            env,
            base / "beat.log",
        )
        processes = [web, worker, beat]
        for process in processes:
            process.start()
        wait_for(lambda: port_open(web_port), 30, "gunicorn")
        stack = Stack(
            base,
            pg,
            redis,
            web,
            worker,
            beat,
            web_port,
            seeded.seed["session"],
            seeded.seed["month"],
        )
        wait_for(lambda: "ready." in worker.log.read_text(errors="replace"), 60, "the worker")
        yield stack
    finally:
        for process in processes:
            process.stop()
        redis.stop()
