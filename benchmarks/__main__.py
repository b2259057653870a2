"""``python -m benchmarks [name ...]``: run the benchmarks, write ``docs/benchmarks.md``.

Without names every registered benchmark runs (``make bench``). ``--list`` prints the
names. A benchmark that fails is reported and the others still run; the exit status is 1
when any failed, and a failed benchmark leaves its old section in the report untouched.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from benchmarks.environment import REPO_ROOT, machine_facts, now_text, setup_django
from benchmarks.registry import discover
from benchmarks.report import render_section, write_report

REPORT = REPO_ROOT / "docs" / "benchmarks.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)

    setup_django()
    registry = discover()
    if args.list:
        for bench in registry.values():
            print(f"{bench.name:<28} {bench.title}")
        return 0
    unknown = sorted(set(args.names) - set(registry))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; see --list")
    selected = [registry[name] for name in (args.names or registry)]
    command = "make bench" if not args.names else f"python -m benchmarks {' '.join(args.names)}"
    machine = machine_facts()

    sections: dict[str, str] = {}
    failed: list[str] = []
    for bench in selected:
        print(f"bench: {bench.name} …", flush=True)
        started = time.perf_counter()
        try:
            result = bench.run()
        except Exception:  # one broken benchmark must not lose the others' numbers
            traceback.print_exc()
            failed.append(bench.name)
            continue
        print(f"bench: {bench.name} done in {time.perf_counter() - started:.1f} s", flush=True)
        sections[bench.name] = render_section(
            bench, result, date=now_text(), command=command, machine=machine
        )
    write_report(REPORT, sections)
    print(f"bench: wrote {REPORT.relative_to(REPO_ROOT)} ({len(sections)} section(s))")
    if failed:
        print(f"bench: FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
