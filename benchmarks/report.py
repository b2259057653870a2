"""``docs/benchmarks.md``: one section per benchmark, replaced when that benchmark runs.

Sections are fenced by ``<!-- bench:<name> -->`` markers, so running a subset of the
benchmarks keeps the other sections (with their own date, command and machine) intact.
"""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.registry import Benchmark, Result

HEADER = """# Benchmarks

Written by `make bench` (which runs `python -m benchmarks`); do not edit by hand. Each
section below is replaced when its benchmark runs again and records its own date, command
and machine, so numbers from different machines are never mixed silently. The benchmarks
run against their own database (`olteams_bench`, settings `olteams.settings.bench`, DEBUG
off) and only on the loopback interface.

Add a benchmark: a module `benchmarks/<topic>.py` with a function decorated with
`@benchmark("<name>", title=...)` that returns a `Result`; bulk data goes in with
`benchmarks.copyload.copy_rows` (PostgreSQL COPY). `python -m benchmarks --list` shows the
registered ones, `python -m benchmarks <name> ...` runs a subset.
"""

_SECTION = re.compile(r"<!-- bench:(?P<name>[\w.-]+) -->\n.*?<!-- /bench:(?P=name) -->\n", re.S)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_section(
    bench: Benchmark, result: Result, *, date: str, command: str, machine: dict[str, str]
) -> str:
    facts = [
        ["What", result.what],
        ["Size", result.size],
        ["Date", date],
        ["Command", f"`{command}`"],
        ["Machine", "; ".join(f"{key}: {value}" for key, value in machine.items())],
    ]
    parts = [
        f"<!-- bench:{bench.name} -->",
        f"## {bench.title}",
        "",
        table(["", ""], facts),
        "",
        table(result.columns, result.rows),
    ]
    if result.notes:
        parts += ["", *[f"- {note}" for note in result.notes]]
    parts.append(f"<!-- /bench:{bench.name} -->")
    return "\n".join(parts) + "\n"


def write_report(path: Path, sections: dict[str, str]) -> None:
    """Merge the freshly rendered ``sections`` with the ones already in ``path``."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    merged = {m["name"]: m.group(0) for m in _SECTION.finditer(existing)}
    merged.update(sections)
    body = "\n".join(merged[name] for name in sorted(merged))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{HEADER}\n{body}", encoding="utf-8")
