"""Model of Snakemake's greedy scheduler on a run's DAG; prints JSON on stdout.

Usage (from the repository root, after a run of the config, so ``results/benchmarks/`` holds a
job time for each rule):

    .venv/bin/python benchmarks/schedule_model.py --configfile config/config.yaml
    .venv/bin/python benchmarks/schedule_model.py --configfile config/config.yaml \\
        --durations 'gene_tests=2.07,module_map=3.26' --threads gene_tests=1

It lists the jobs of a dry run (``snakemake -n --forceall``: each job's rule, inputs, outputs,
priority and threads) and replays them on ``--cores`` cores as Snakemake's greedy scheduler picks
them (``snakemake/scheduling/greedy.py``): whenever a job ends, the ready jobs are taken by
decreasing (priority, total size of the existing input files) and each is started if its threads
fit the free cores. A job's duration is its rule's job time (``--durations``, else the ``s``
column of its ``results/benchmarks/`` file, else ``--default``). Snakemake's own time between
jobs and its start-up are not modelled: the makespan is the job phase of an ideal run.
``--threads rule=N`` replays a rule with N threads (e.g. ``gene_tests=1``).

Printed: the makespan (s), the summed job time, half of it (the bound on 2 cores), the critical
path (longest chain of job times) and the start time of each job.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Job:
    """One job of a dry-run listing; ``duration`` in seconds, ``size`` in bytes of input."""

    rule: str
    inputs: list[str]
    outputs: list[str]
    priority: float = 0.0
    threads: int = 1
    duration: float = 0.0
    size: int = 0
    benchmark: str | None = None


def _field(block: str, key: str) -> str | None:
    match = re.search(rf"^\s+{key}: (.*)$", block, re.M)
    return match[1].strip() if match else None


def parse_listing(text: str) -> list[Job]:
    """The jobs of a ``snakemake -n`` listing (blocks starting ``rule x:`` or ``localrule x:``)."""
    jobs = []
    for block in re.split(r"\n\s*\n", text):
        head = re.search(r"^(?:local)?rule (\w+):", block, re.M)
        if head is None:
            continue

        def files(key: str, block: str = block) -> list[str]:
            return [f.strip() for f in (_field(block, key) or "").split(",") if f.strip()]

        jobs.append(
            Job(
                rule=head[1],
                inputs=files("input"),
                outputs=files("output"),
                priority=float(_field(block, "priority") or 0),
                threads=int(_field(block, "threads") or 1),
                benchmark=_field(block, "benchmark"),
            )
        )
    return jobs


def critical_path(jobs: list[Job]) -> float:
    """Longest chain of job durations through the DAG (s)."""
    deps = _dependencies(jobs)
    longest: dict[int, float] = {}
    for i in _topological(deps):
        longest[i] = jobs[i].duration + max((longest[d] for d in deps[i]), default=0.0)
    return max(longest.values(), default=0.0)


def simulate(jobs: list[Job], *, cores: int = 2) -> tuple[float, list[tuple[float, str]]]:
    """Makespan (s) and (start time, rule) of each job under the greedy scheduler's choices.

    A job is ready when every job writing one of its inputs has ended; the ready jobs are taken
    by decreasing (priority, input size) and started when their threads (at most ``cores``) fit
    the free cores.
    """
    deps = _dependencies(jobs)
    done: set[int] = set()
    started: set[int] = set()
    running: list[tuple[float, int]] = []
    order: list[tuple[float, str]] = []
    free, now = cores, 0.0
    while len(done) < len(jobs):
        ready = [i for i in range(len(jobs)) if i not in started and deps[i] <= done]
        ready.sort(key=lambda i: (jobs[i].priority, jobs[i].size), reverse=True)
        for i in ready:
            need = min(jobs[i].threads, cores)
            if need <= free:
                free -= need
                started.add(i)
                running.append((now + jobs[i].duration, i))
                order.append((now, jobs[i].rule))
        if not running:
            raise ValueError("no job can start: the listing's DAG has a cycle or a missing job")
        running.sort()
        now = running[0][0]
        while running and running[0][0] == now:
            _, i = running.pop(0)
            done.add(i)
            free += min(jobs[i].threads, cores)
    return now, order


def _dependencies(jobs: list[Job]) -> list[set[int]]:
    producer = {out: i for i, job in enumerate(jobs) for out in job.outputs}
    return [{producer[f] for f in job.inputs if f in producer} for job in jobs]


def _topological(deps: list[set[int]]) -> list[int]:
    order: list[int] = []
    seen: set[int] = set()

    def visit(i: int) -> None:
        if i not in seen:
            seen.add(i)
            for d in sorted(deps[i]):
                visit(d)
            order.append(i)

    for i in range(len(deps)):
        visit(i)
    return order


def _pairs(text: str, kind: type) -> dict:
    return {k: kind(v) for k, v in (p.split("=", 1) for p in text.split(",") if p)}


def _benchmark_s(workdir: Path, path: str | None) -> float | None:
    if path is None or not (workdir / path).is_file():
        return None
    with open(workdir / path, newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return float(rows[0]["s"]) if rows else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configfile", default="config/config.yaml")
    parser.add_argument("--directory", default=".", help="the run's working directory")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--durations", default="", help="rule=seconds,... (override)")
    parser.add_argument("--threads", default="", help="rule=threads,... (override)")
    parser.add_argument("--default", type=float, default=0.7, help="seconds of an unknown job")
    args = parser.parse_args(argv)
    workdir = Path(args.directory).resolve()
    snakemake = Path(sys.executable).with_name("snakemake")
    listing = subprocess.run(
        [str(snakemake), "-n", "--forceall", "--cores", str(args.cores), "--nolock"]
        + ["--snakefile", str(REPO / "Snakefile"), "--directory", str(workdir)]
        + ["--configfile", args.configfile],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    durations, threads = _pairs(args.durations, float), _pairs(args.threads, int)
    jobs = parse_listing(listing)
    for job in jobs:
        measured = _benchmark_s(workdir, job.benchmark)
        job.duration = durations.get(
            job.rule,
            measured if measured is not None else (0.0 if job.rule == "all" else args.default),
        )
        job.threads = threads.get(job.rule, job.threads)
        job.size = sum(os.path.getsize(workdir / f) for f in job.inputs if (workdir / f).is_file())
    makespan, order = simulate(jobs, cores=args.cores)
    total = sum(job.duration for job in jobs)
    json.dump(
        {
            "cores": args.cores,
            "jobs": len(jobs),
            "makespan_s": round(makespan, 3),
            "job_time_s": round(total, 3),
            "bound_s": round(max(total / args.cores, critical_path(jobs)), 3),
            "critical_path_s": round(critical_path(jobs), 3),
            "threads": threads,
            "starts": [[round(t, 3), rule] for t, rule in order],
            "load": os.getloadavg(),
        },
        sys.stdout,
        indent=1,
    )
    print()


if __name__ == "__main__":
    main()
