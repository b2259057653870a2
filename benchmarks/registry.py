"""The benchmark registry: ``@benchmark(name)`` on a function that returns a ``Result``.

A benchmark module is any module of this package that is not infrastructure; the runner
imports them all (``discover``), so a new ``benchmarks/<topic>.py`` needs no other edit.
A benchmark takes no arguments, runs against the bench database (Django is set up by the
runner with ``olteams.settings.bench``) and must stay bounded in time.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

# Modules of this package that hold machinery, not benchmarks.
INFRASTRUCTURE = {"__main__", "registry", "environment", "report", "copyload"}


@dataclass(frozen=True)
class Result:
    """What a benchmark measured: a table plus the facts a reader needs to trust it."""

    what: str  # one sentence: what is measured and how
    size: str  # the data and load: rows, connections, duration
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Benchmark:
    name: str
    title: str
    run: Callable[[], Result]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, title: str) -> Callable[[Callable[[], Result]], Callable[[], Result]]:
    """Register ``func`` under ``name`` (unique, kebab-case; the section id in the report)."""

    def register(func: Callable[[], Result]) -> Callable[[], Result]:
        if name in REGISTRY and REGISTRY[name].run is not func:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = Benchmark(name=name, title=title, run=func)
        return func

    return register


def discover() -> dict[str, Benchmark]:
    """Import every benchmark module of this package; return the registry in name order."""
    package = importlib.import_module(__package__ or "benchmarks")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name not in INFRASTRUCTURE and not module.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(sorted(REGISTRY.items()))
