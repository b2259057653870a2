"""The benchmark harness: wrk report parsing, the registry and the report merge."""

from __future__ import annotations

import pytest

from benchmarks.registry import REGISTRY, Benchmark, Result, benchmark, discover
from benchmarks.report import render_section, write_report
from benchmarks.web import paired_share, parse_wrk

WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:8765/healthz
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.52ms  812.00us  21.30ms   88.10%
    Req/Sec     1.78k   120.41     2.01k    71.00%
  Latency Distribution
     50%    4.31ms
     75%    4.80ms
     90%    5.51ms
     99%    1.20s
  35412 requests in 10.01s, 9.12MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   3537.66
Transfer/sec:      0.91MB
"""


def test_parse_wrk_reads_throughput_latency_and_errors():
    result = parse_wrk(WRK_REPORT)

    assert result.requests_per_second == 3537.66
    assert result.latency_avg_ms == 4.52
    assert result.latency_ms == {"50%": 4.31, "75%": 4.8, "90%": 5.51, "99%": 1200.0}
    assert result.requests == 35412
    assert result.non_2xx_3xx == 7
    assert result.socket_errors == "connect 0, read 0, write 0, timeout 3"


def test_parse_wrk_without_errors_reports_zero_and_none():
    clean = WRK_REPORT.replace("  Socket errors: connect 0, read 0, write 0, timeout 3\n", "")
    clean = clean.replace("  Non-2xx or 3xx responses: 7\n", "")

    result = parse_wrk(clean)

    assert (result.non_2xx_3xx, result.socket_errors) == (0, "none")


def test_parse_wrk_refuses_output_that_is_not_a_report():
    with pytest.raises(ValueError, match="cannot read the wrk report"):
        parse_wrk("unable to connect to 127.0.0.1:8765 Connection refused\n")


def test_a_name_can_be_registered_only_once():
    def first() -> Result:
        raise NotImplementedError

    def second() -> Result:
        raise NotImplementedError

    benchmark("harness-probe", title="Probe")(first)
    try:
        with pytest.raises(ValueError, match="registered twice"):
            benchmark("harness-probe", title="Probe")(second)
    finally:
        del REGISTRY["harness-probe"]


def test_discover_registers_every_benchmark_module():
    names = set(discover())
    assert {
        "client-list-scale",
        "copy-load",
        "start-page-queries",
        "web-throughput",
        "wmo-deadline-sweep",
    } <= names


def _section(name: str, value: str) -> str:
    bench = Benchmark(name=name, title=f"Titel {name}", run=lambda: None)  # type: ignore[arg-type, return-value]
    result = Result(
        what="wat", size="klein", columns=["A", "B|C"], rows=[[value, "x"]], notes=["noot"]
    )
    return render_section(
        bench, result, date="2026-11-24 12:00 CET", command="make bench", machine={"CPU": "2 cores"}
    )


def test_render_section_is_a_fenced_markdown_block_with_facts_and_results():
    assert _section("alpha", "1") == (
        "<!-- bench:alpha -->\n"
        "## Titel alpha\n"
        "\n"
        "|  |  |\n"
        "|---|---|\n"
        "| What | wat |\n"
        "| Size | klein |\n"
        "| Date | 2026-11-24 12:00 CET |\n"
        "| Command | `make bench` |\n"
        "| Machine | CPU: 2 cores |\n"
        "\n"
        "| A | B\\|C |\n"
        "|---|---|\n"
        "| 1 | x |\n"
        "\n"
        "- noot\n"
        "<!-- /bench:alpha -->\n"
    )


def test_write_report_replaces_only_the_sections_that_ran(tmp_path):
    report = tmp_path / "docs" / "benchmarks.md"
    write_report(report, {"alpha": _section("alpha", "1"), "beta": _section("beta", "2")})

    write_report(report, {"beta": _section("beta", "3")})

    text = report.read_text()
    assert text.startswith("# Benchmarks\n")
    assert text.count("<!-- bench:alpha -->") == 1
    assert "| 1 | x |" in text
    assert "| 2 | x |" not in text
    assert "| 3 | x |" in text
    assert text.index("bench:alpha") < text.index("bench:beta")


def test_the_web_share_is_the_median_of_the_rounds_paired_shares():
    median, shares = paired_share([(1000.0, 180.0), (800.0, 200.0), (1200.0, 252.0)])
    assert shares == [0.18, 0.25, 0.21]
    assert median == 0.21
    assert paired_share([(1000.0, 200.0), (1000.0, 300.0)])[0] == 0.25
    assert paired_share([(0.0, 10.0)]) == (0.0, [0.0])
