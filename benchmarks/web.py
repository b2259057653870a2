"""Requests per second of the sign-in page and ``/healthz`` under a loopback load.

A gunicorn with 2 sync workers (DEBUG off, bench settings) is started for the measurement
and stopped afterwards; ``wrk -t2 -c16 -d10s --latency`` drives each URL after a short
warm-up. Client and server share the machine's cores, so the numbers are a floor for a
real deployment, and they are comparable between runs on the same machine.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.environment import REPO_ROOT, SETTINGS_MODULE
from benchmarks.registry import Result, benchmark

HOST = "127.0.0.1"
PREFERRED_PORT = 8765
WORKERS = 2
WRK_ARGS = ["-t2", "-c16", "-d10s", "--latency", "--timeout", "5s"]
WARMUP_ARGS = ["-t1", "-c4", "-d2s"]
URLS = [
    ("Sign-in page (GET /aanmelden/)", "/aanmelden/"),
    ("Health check (GET /healthz)", "/healthz"),
]
STARTUP_TIMEOUT = 30.0


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    latency_avg_ms: float
    latency_ms: dict[str, float]  # percentile ("50%") → milliseconds
    requests: int
    non_2xx_3xx: int
    socket_errors: str


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match[1]) * _UNIT_MS[match[2]]


def parse_wrk(output: str) -> WrkResult:
    """The numbers of a ``wrk --latency`` report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    avg = re.search(r"^\s+Latency\s+(\S+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if not (rps and avg and total):
        raise ValueError(f"cannot read the wrk report:\n{output}")
    percentiles = {p: _to_ms(v) for p, v in re.findall(r"^\s+(\d+%)\s+(\S+)$", output, re.M)}
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:\s+(.+)$", output, re.M)
    return WrkResult(
        requests_per_second=float(rps[1]),
        latency_avg_ms=_to_ms(avg[1]),
        latency_ms=percentiles,
        requests=int(total[1]),
        non_2xx_3xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=errors[1].strip() if errors else "none",
    )


def _wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", "wrk"], check=True)  # noqa: S607
        found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: apt-get install wrk (as root)")
    return found


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        if probe.connect_ex((HOST, PREFERRED_PORT)) != 0:
            return PREFERRED_PORT
    with contextlib.closing(socket.socket()) as sock:  # taken: let the kernel pick one
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_up(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/aanmelden/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_TIMEOUT:.0f} s")


@contextlib.contextmanager
def gunicorn() -> Iterator[str]:
    """A gunicorn on the loopback interface for the duration of the block; yields its URL."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
    with tempfile.TemporaryDirectory(prefix="olteams-bench-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        with log.open("w") as log_file:
            process = subprocess.Popen(  # noqa: S603 — fixed command line
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "olteams.wsgi",
                    "-w",
                    str(WORKERS),
                    "-b",
                    f"{HOST}:{port}",
                ],
                cwd=REPO_ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            try:
                base_url = f"http://{HOST}:{port}"
                _wait_until_up(base_url, process, log)
                yield base_url
            finally:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def run_wrk(url: str) -> WrkResult:
    wrk = _wrk()
    subprocess.run([wrk, *WARMUP_ARGS, url], check=True, capture_output=True, timeout=60)  # noqa: S603
    done = subprocess.run(  # noqa: S603
        [wrk, *WRK_ARGS, url], check=True, capture_output=True, text=True, timeout=120
    )
    return parse_wrk(done.stdout)


def _ms(value: float) -> str:
    return f"{value:.2f} ms"


@benchmark("web-throughput", title="Requests per second: sign-in page and /healthz")
def web_throughput() -> Result:
    rows = []
    with gunicorn() as base_url:
        for label, path in URLS:
            result = run_wrk(f"{base_url}{path}")
            rows.append(
                [
                    label,
                    f"{result.requests_per_second:,.0f}",
                    _ms(result.latency_avg_ms),
                    _ms(result.latency_ms.get("50%", 0.0)),
                    _ms(result.latency_ms.get("90%", 0.0)),
                    _ms(result.latency_ms.get("99%", 0.0)),
                    f"{result.requests:,}",
                    f"{result.non_2xx_3xx:,}",
                    result.socket_errors,
                ]
            )
    return Result(
        what=(
            "Throughput and latency of a trivial view (the sign-in form: template, CSRF "
            "cookie, session and CSP middleware) and of the health check (one SELECT 1, one "
            "Redis write and read) through the whole middleware stack."
        ),
        size=(
            f"gunicorn {WORKERS} sync workers (DEBUG off); wrk {' '.join(WRK_ARGS[:3])} "
            "after a 2 s warm-up; client and server on the same machine, loopback only"
        ),
        columns=[
            "Endpoint",
            "Requests/s",
            "Latency avg",
            "p50",
            "p90",
            "p99",
            "Requests",
            "Non-2xx/3xx",
            "Socket errors",
        ],
        rows=rows,
        notes=["Non-2xx/3xx must be 0: a 503 from /healthz means the database or Redis was down."],
    )
