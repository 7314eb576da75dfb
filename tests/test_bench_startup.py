"""benchmarks/bench_startup.py runs and reports every field the docs quote (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_startup_benchmark_reports_each_script() -> None:
    cmd = [
        sys.executable,
        str(REPO / "benchmarks" / "bench_startup.py"),
        "--repeats",
        "1",
        "--scripts",
        "report_table,gene_tests",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600).stdout
    report = json.loads(out)
    assert set(report["scripts"]) == {"report_table", "gene_tests"}
    for name, row in report["scripts"].items():
        for key in ("cpu_s", "preamble_cpu_s", "imports_cpu_s"):
            assert row[key]["min"] > 0 and row[key]["median"] >= row[key]["min"], (name, key)
        # the process includes the preamble and the imports
        assert row["cpu_s"]["min"] >= row["imports_cpu_s"]["min"], name
        assert row["max_rss_mb"] > 20 and row["modules"] > 100, name
    # a report table job imports no heavy library; a gene test job needs the numba kernels
    assert report["scripts"]["report_table"]["heavy"] == []
    assert "numba" in report["scripts"]["gene_tests"]["heavy"]
    assert report["parse_cpu_s"]["min"] > 0 and len(report["load"]["before"]) == 3
