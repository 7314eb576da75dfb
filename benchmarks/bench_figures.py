"""Figure jobs at scale (heatmap, module map, module dots); prints JSON on stdout.

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_figures.py                       # default sizes
    .venv/bin/python benchmarks/bench_figures.py --samples 2000 --comparisons 50 --repeats 1

Each figure runs the real adapter of rule ``module_figures`` (``scripts/module_figures.py``:
``main(smk, parts=...)``) in a fresh Python process, as Snakemake runs it, drawing that figure
alone (``parts``), on inputs written here the way the workflow writes them; the map and the dot
matrix are also timed together (``module_map+module_dots``), as the workflow's one job draws
them:

- heatmaps: an expression cache (``modmap.io.write_expression``, row-major) of ``--features``
  features (BloodGen3 gene symbols in module order, then
  filler IDs) x ``--samples`` samples, log2 values; half the samples healthy, the other half
  patients split evenly between 2 comparisons, plus a third comparison (``all``: every patient
  against the healthy) that overlaps both, as the default ``heatmaps.comparisons: null`` shows
  it; one heatmap per module of ``--modules`` (default M10.1, the interferon module A28.1 of
  BloodGen3, and M16.2, 161 genes), all drawn by one job as rule ``module_figures`` does, gene
  tables with uniform p-values;
- module map and dot matrix: BloodGen3 (382 modules, ``position`` layout) with random scores for
  each of ``--comparisons`` comparisons.

Per job: wall ``s`` and ``cpu_s`` of the whole process (start-up and imports included, from
``os.wait4``), ``max_rss_mb``, and the size of each output file (PNG also in pixels). ``load`` is
``os.getloadavg()`` before and after: on a loaded machine wall times stretch, compare ``cpu_s``.
The target of issue 16: all figures together <= 10 s of job time whatever the number of samples.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
MODULES = REPO / "resources" / "modules" / "bloodgen3_modules.tsv"
DEFAULT_SAMPLES = [200, 2000, 4000]
DEFAULT_COMPARISONS = [3, 50]
HEATMAP_MODULES = ["M10.1", "M16.2"]


def _write_tsv(frame, path: Path) -> None:
    from modmap.io import write_tsv

    write_tsv(frame, path)


def heatmap_inputs(root: Path, *, features: int, samples: int, modules: list[str]) -> dict:
    """Write the inputs of the heatmap jobs under ``root``; return the job's smk fields."""
    import pandas as pd

    from modmap.io import write_expression

    rng = np.random.default_rng(16)
    table = pd.read_csv(MODULES, sep="\t", dtype=str, keep_default_na=False)
    symbols = list(dict.fromkeys(table["feature_id"]))
    ids = symbols[:features] + [f"FILL{i:06d}" for i in range(max(0, features - len(symbols)))]
    n_healthy = samples // 2
    sample_ids = [f"S{j:05d}" for j in range(samples)]
    visits = [""] * n_healthy + [
        f"V{1 + 2 * k // (samples - n_healthy)}" for k in range(samples - n_healthy)
    ]
    matrix = pd.DataFrame(
        np.round(rng.normal(8.0, 1.5, (len(ids), samples)), 2),
        index=pd.Index(ids, name="feature_id"),
        columns=sample_ids,
    )
    write_expression(matrix, root / "expression.arrow")
    del matrix
    sheet = pd.DataFrame(
        {
            "sample_id": sample_ids,
            "group": ["patient" if v else "healthy" for v in visits],
            "visit": visits,
        }
    )
    _write_tsv(sheet, root / "samples.tsv")
    rows = []
    for name, wanted in (("c1", {"V1"}), ("c2", {"V2"}), ("all", {"V1", "V2"})):
        for s, v in zip(sample_ids, visits, strict=True):
            role = "case" if v in wanted else ("control" if not v else None)
            if role:
                rows.append({"comparison": name, "sample_id": s, "role": role, "pair": ""})
    _write_tsv(pd.DataFrame(rows), root / "comparisons.tsv")
    kept = table[table["feature_id"].isin(set(ids))]
    membership = kept[["module_id", "title", "feature_id"]].assign(symbol=kept["feature_id"])
    _write_tsv(membership, root / "membership.tsv")
    _write_tsv(annotation_table(table), root / "annotation.tsv")
    genes = []
    for name in ("c1", "c2", "all"):
        path = root / f"genes_{name}.tsv"
        _write_tsv(pd.DataFrame({"feature_id": ids, "p_value": rng.uniform(size=len(ids))}), path)
        genes.append(str(path))
    run = {
        "comparisons": ["c1", "c2", "all"],
        "labels": {"c1": "Visit 1", "c2": "Visit 2", "all": "All patients"},
        "reference": {"group": "healthy"},
        "normalisation": "median",
        "max_genes": 50,
        "max_columns": 200,
        "threshold_on": "p_value",
    }
    out = root / "figures"
    # one job draws every module (rule module_figures, scripts/module_figures.py)
    jobs = [
        {
            "script": "module_figures",
            "parts": ["heatmap"],
            "input": {
                "expression": str(root / "expression.arrow"),
                "samples": str(root / "samples.tsv"),
                "comparisons": str(root / "comparisons.tsv"),
                "membership": str(root / "membership.tsv"),
                "annotation": str(root / "annotation.tsv"),
                "genes": genes,
            },
            "output": {
                f"heatmap_{x}": [str(out / f"heatmap_{module}.{x}") for module in modules]
                for x in ("pdf", "png")
            },
            "params": {"run": {"heatmap": run}, "modules": list(modules)},
            "wildcards": {},
            "log": [str(root / "logs" / "heatmap.log")],
        }
    ]
    return {"jobs": jobs}


def annotation_table(table):
    """``annotation.tsv`` of the bridge for a module file (every module kept)."""
    first = table.drop_duplicates("module_id")
    counts = table.groupby("module_id", sort=False).size()
    return first[["module_id", "title", "position", "aggregate", "color"]].assign(
        n_source=first["module_id"].map(counts).to_numpy(),
        n_members=first["module_id"].map(counts).to_numpy(),
        kept="true",
    )[["module_id", "title", "n_source", "n_members", "kept", "position", "aggregate", "color"]]


def map_inputs(root: Path, *, comparisons: int) -> dict:
    """Write scores.tsv and annotation.tsv of BloodGen3 for ``comparisons`` comparisons."""
    import pandas as pd

    rng = np.random.default_rng(7)
    table = pd.read_csv(MODULES, sep="\t", dtype=str, keep_default_na=False)
    annotation = annotation_table(table)
    _write_tsv(annotation, root / "annotation.tsv")
    names = [f"c{k:02d}" for k in range(1, comparisons + 1)]
    frames = []
    for name in names:
        n = annotation["n_members"].to_numpy()
        up = rng.binomial(n, rng.uniform(0, 0.5, len(n)))
        down = rng.binomial(n - up, rng.uniform(0, 0.3, len(n)))
        frames.append(
            pd.DataFrame(
                {
                    "comparison": name,
                    "module_id": annotation["module_id"].to_numpy(),
                    "title": annotation["title"].to_numpy(),
                    "n_genes": n,
                    "n_up": up,
                    "n_down": down,
                    "pct_up": 100 * up / n,
                    "pct_down": 100 * down / n,
                    "pct_net": 100 * (up - down) / n,
                    "n_present": n,
                    "percent_of": "tested",
                    "untestable": "exclude",
                }
            )
        )
    _write_tsv(pd.concat(frames, ignore_index=True), root / "scores.tsv")
    figure = {
        "comparisons": names,
        "labels": {n: f"Comparison {n}" for n in names},
        "value": "dominant",
        "min_pct": 0,
        "changed_pct": 15,
    }
    inputs = {"scores": str(root / "scores.tsv"), "annotation": str(root / "annotation.tsv")}
    out = root / "figures"
    map_run = {**figure, "core_comparisons": names[:2]}
    dots_run = {**figure, "max_rows": 60, "enrichment_test": "cerno", "enrichment_alpha": 0.05}
    outputs = {
        "module_map": {
            "map_pdf": str(out / "module_map.pdf"),
            "map_png": str(out / "module_map.png"),
            "svg": str(out / "module_map.svg"),
        },
        "module_dots": {
            "dots_pdf": str(out / "module_dots.pdf"),
            "dots_png": str(out / "module_dots.png"),
        },
    }
    jobs = [[part] for part in outputs] + [list(outputs)]  # each alone, then both in one job
    return {
        "jobs": [
            {
                "script": "module_figures",
                "parts": parts,
                "input": inputs,
                "output": {k: v for part in parts for k, v in outputs[part].items()},
                "params": {
                    "run": {"module_map": map_run, "module_dots": dots_run},
                    "modules": [],
                },
                "wildcards": {},
                "log": [str(root / "logs" / f"{'+'.join(parts)}.log")],
            }
            for parts in jobs
        ]
    }


class _Fields(dict):
    """Snakemake's named lists, enough for the adapters: attribute access, ``get``, ``keys``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as err:
            raise AttributeError(name) from err

    def __iter__(self):  # iterating a Snakemake output list yields the paths
        return iter(self.values())


def _paths(output: dict) -> list[str]:
    """Every path of a job's named outputs (a name holds one path or a list of paths)."""
    return [p for v in output.values() for p in ([v] if isinstance(v, str) else v)]


class _Outputs(_Fields):
    """Snakemake's output list: named entries (a path or a list of paths), iterated flat."""

    def __iter__(self):
        return iter(_paths(self))


def run_job(spec: dict) -> None:
    """Child process: run one adapter's ``main(smk)`` on ``spec`` (the job's smk fields)."""
    import importlib.util
    from types import SimpleNamespace

    for path in [*_paths(spec["output"]), *spec["log"]]:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    smk = SimpleNamespace(
        input=_Fields(spec["input"]),
        output=_Outputs(spec["output"]),
        params=_Fields(spec["params"]),
        wildcards=_Fields(spec["wildcards"]),
        log=spec["log"],
        threads=spec.get("threads", 1),  # 2: the module map in a forked child, as the workflow
    )
    file = REPO / "scripts" / f"{spec['script']}.py"
    module_spec = importlib.util.spec_from_file_location(spec["script"], file)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    module.main(smk, parts=spec["parts"])
    # Peak RSS of this process (VmHWM is reset by exec; ru_maxrss of a child is not)
    status = Path("/proc/self/status")
    peak = 0.0
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    sys.stdout.write(json.dumps({"max_rss_mb": peak}) + "\n")


def measure(spec: dict) -> dict:
    """Run one job in a fresh interpreter; wall, CPU and peak RSS of the process, output sizes."""
    for path in _paths(spec["output"]):
        Path(path).unlink(missing_ok=True)
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "MPLBACKEND": "Agg"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--job", json.dumps(spec)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.stdout.close()
    proc.stderr.close()
    if status != 0:
        raise RuntimeError(f"{spec['script']} failed:\n{err[-4000:]}")
    outputs = {}
    for path in _paths(spec["output"]):
        p = Path(path)
        entry = {"mb": round(p.stat().st_size / 1e6, 3)}
        if p.suffix == ".png":
            from PIL import Image

            with Image.open(p) as im:
                entry["px"] = list(im.size)
        outputs[p.name] = entry
    return {
        "s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "max_rss_mb": round(json.loads(out.strip().splitlines()[-1])["max_rss_mb"], 1),
        "outputs": outputs,
    }


def _best(runs: list[dict]) -> dict:
    out = dict(runs[0])
    for key in ("s", "cpu_s"):
        values = [r[key] for r in runs]
        out[key] = {"min": min(values), "median": round(statistics.median(values), 3)}
    out["max_rss_mb"] = max(r["max_rss_mb"] for r in runs)
    return out


def bench(jobs: list[dict], repeats: int) -> list[dict]:
    results = []
    for spec in jobs:
        runs = [measure(spec) for _ in range(repeats)]
        label = " ".join(["+".join(spec["parts"]), *spec["params"].get("modules", [])])
        results.append({"job": label, **_best(runs)})
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, nargs="*", default=DEFAULT_SAMPLES)
    parser.add_argument("--features", type=int, default=48000)
    parser.add_argument("--comparisons", type=int, nargs="*", default=DEFAULT_COMPARISONS)
    parser.add_argument("--modules", nargs="+", default=HEATMAP_MODULES)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="write the inputs under this dir")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.job:
        run_job(json.loads(args.job))
        return
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="bench_figures_", dir=args.keep))
    heatmaps, maps = [], []
    try:
        for n in args.samples:
            root = tmp / f"samples_{n}"
            root.mkdir()
            jobs = heatmap_inputs(root, features=args.features, samples=n, modules=args.modules)[
                "jobs"
            ]
            rows = bench(jobs, args.repeats)
            heatmaps.append(
                {
                    "features": args.features,
                    "samples": n,
                    "cpu_s_all": round(sum(r["cpu_s"]["median"] for r in rows), 3),
                    "jobs": rows,
                }
            )
            if args.keep is None:
                shutil.rmtree(root, ignore_errors=True)
        for n in args.comparisons:
            root = tmp / f"comparisons_{n}"
            root.mkdir()
            rows = bench(map_inputs(root, comparisons=n)["jobs"], args.repeats)
            maps.append(
                {
                    "comparisons": n,
                    "modules": 382,
                    "cpu_s_all": round(sum(r["cpu_s"]["median"] for r in rows), 3),
                    "jobs": rows,
                }
            )
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    report = {
        "benchmark": "bench_figures",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        "repeats": args.repeats,
        "target": "all figure jobs together <= 10 s of job time whatever the number of samples",
        "heatmaps": heatmaps,
        "maps": maps,
    }
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
