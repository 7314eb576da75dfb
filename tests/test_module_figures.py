"""scripts/module_figures.py: one job draws every module figure, each as if drawn alone.

The oracle is the figure drawn by itself in a fresh interpreter (what the former separate
``module_map``, ``module_dots`` and ``heatmap`` jobs did): the one job must write the same bytes,
so nothing one figure leaves behind in the process (matplotlib state, caches, the tables read
once) changes another.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks" / "bench_figures.py"
PARTS = ("module_map", "module_dots", "heatmap")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_figures", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _job(root: Path, out: Path, parts, *, heat: dict, maps: dict) -> dict:
    """The smk fields of a module_figures job drawing ``parts`` into ``out``."""
    (heatmap,) = heat["jobs"]
    map_job, dots_job = maps["jobs"][:2]
    outputs = {
        "module_map": {k: str(out / Path(v).name) for k, v in map_job["output"].items()},
        "module_dots": {k: str(out / Path(v).name) for k, v in dots_job["output"].items()},
        "heatmap": {k: [str(out / Path(p).name) for p in v] for k, v in heatmap["output"].items()},
    }
    return {
        "script": "module_figures",
        "parts": list(parts),
        "input": {**heatmap["input"], **map_job["input"]},
        "output": {k: v for part in parts for k, v in outputs[part].items()},
        "params": {
            "run": {**map_job["params"]["run"], **heatmap["params"]["run"]},
            "modules": heatmap["params"]["modules"],
        },
        "wildcards": {},
        "log": [str(out / f"{'+'.join(parts)}.log")],
    }


def _run(spec: dict) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--job", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    bench = _bench()
    root = tmp_path_factory.mktemp("module_figures")
    heat = bench.heatmap_inputs(root, features=600, samples=24, modules=["M3.1", "M8.1"])
    maps = bench.map_inputs(root, comparisons=3)
    together, alone = root / "together", root / "alone"
    _run(_job(root, together, PARTS, heat=heat, maps=maps))
    # the workflow's job (threads: 2): the module map drawn by a forked child
    _run({**_job(root, root / "forked", PARTS, heat=heat, maps=maps), "threads": 2})
    for part in PARTS:  # each figure by itself, in a fresh process
        _run(_job(root, alone, [part], heat=heat, maps=maps))
    return together, alone


def test_two_threads_write_the_same_files_with_the_map_drawn_by_a_forked_child(drawn):
    together, alone = drawn
    forked = together.parent / "forked"
    names = sorted(p.name for p in alone.iterdir() if p.suffix != ".log")
    assert names == sorted(p.name for p in forked.iterdir() if p.suffix != ".log")
    for name in names:
        assert (forked / name).read_bytes() == (alone / name).read_bytes(), name
    log = (forked / "module_map+module_dots+heatmap.log").read_text(encoding="utf-8")
    assert "module map: 3 comparisons, 382 modules" in log and "heatmap M8.1" in log


def test_one_job_writes_the_files_of_each_figure_drawn_alone(drawn):
    together, alone = drawn
    names = sorted(p.name for p in together.iterdir() if p.suffix != ".log")
    assert names == [
        "heatmap_M3.1.pdf",
        "heatmap_M3.1.png",
        "heatmap_M8.1.pdf",
        "heatmap_M8.1.png",
        "module_dots.pdf",
        "module_dots.png",
        "module_map.pdf",
        "module_map.png",
        "module_map.svg",
    ]
    for name in names:
        assert (together / name).read_bytes() == (alone / name).read_bytes(), name


def test_the_one_job_draws_the_planted_comparisons_and_logs_each_figure(drawn):
    together, _ = drawn
    svg = (together / "module_map.svg").read_text(encoding="utf-8")
    for comparison in ("c01", "c02", "c03"):  # map_inputs plants three comparisons
        assert f'id="spots|{comparison}"' in svg, comparison
    log = (together / "module_map+module_dots+heatmap.log").read_text(encoding="utf-8")
    assert "module map: 3 comparisons, 382 modules" in log
    assert "module dot matrix: 3 comparisons" in log
    assert "heatmap M3.1: 24 columns" in log and "heatmap M8.1: 24 columns" in log


def test_the_one_job_imports_no_scipy():
    # the heatmaps cluster without scipy (modmap.plots.dendrogram): no 0.3 s scipy import
    code = (
        "import sys;"
        f"sys.path.insert(0, {str(REPO / 'scripts')!r});"
        "import module_figures, modmap.plots.heatmap, modmap.plots.module_map,"
        " modmap.plots.module_dots, modmap.design, modmap.stats.enrichment;"
        "from modmap.stats import collapse_rows;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "[]"
