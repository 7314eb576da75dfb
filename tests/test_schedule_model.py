"""benchmarks/schedule_model.py: the greedy replay against schedules worked out by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "schedule_model", REPO / "benchmarks" / "schedule_model.py"
)
model = importlib.util.module_from_spec(_spec)
sys.modules["schedule_model"] = model  # dataclasses look their module up
_spec.loader.exec_module(model)

LISTING = """
Building DAG of jobs...
Job stats:

rule a:
    input: in.txt
    output: A
    jobid: 1
    benchmark: results/benchmarks/a.tsv
    reason: Forced execution
    resources: tmpdir=/tmp, mem_mb=1000

rule b:
    input: A
    output: B
    jobid: 2
    reason: Forced execution
    priority: -1
    threads: 2
    resources: tmpdir=/tmp, mem_mb=1000

localrule c:
    output: C, C2
    jobid: 3
    reason: Forced execution

rule d:
    input: in.txt
    output: D
    jobid: 4
    reason: Forced execution

localrule all:
    input: B, C, D
    jobid: 0
    reason: Forced execution
"""


def _jobs(**changes):
    jobs = {j.rule: j for j in model.parse_listing(LISTING)}
    for rule, duration in {"a": 1.0, "b": 2.0, "c": 3.0, "d": 1.0, "all": 0.0}.items():
        jobs[rule].duration = duration
    for rule, fields in changes.items():
        for key, value in fields.items():
            setattr(jobs[rule], key, value)
    return list(jobs.values())


def test_listing_gives_each_job_its_files_priority_threads_and_benchmark():
    jobs = {j.rule: j for j in model.parse_listing(LISTING)}
    assert list(jobs) == ["a", "b", "c", "d", "all"]
    assert jobs["a"].inputs == ["in.txt"] and jobs["a"].outputs == ["A"]
    assert jobs["a"].benchmark == "results/benchmarks/a.tsv" and jobs["b"].benchmark is None
    assert (jobs["b"].priority, jobs["b"].threads) == (-1, 2)
    assert (jobs["a"].priority, jobs["a"].threads) == (0, 1)
    assert jobs["c"].inputs == [] and jobs["c"].outputs == ["C", "C2"]
    assert jobs["all"].inputs == ["B", "C", "D"]


def test_two_thread_job_waits_until_both_cores_are_free():
    # t=0: a and c start (b waits for A, the higher-priority ready jobs come first: a, c, d in
    # listing order). t=1: a ends; b needs 2 cores, 1 is free: d starts. t=2: d ends, c still
    # runs: b still waits. t=3: c ends, b starts; t=5: b ends, then all (0 s).
    makespan, order = model.simulate(_jobs(), cores=2)
    assert makespan == 5.0
    assert order == [(0.0, "a"), (0.0, "c"), (1.0, "d"), (3.0, "b"), (5.0, "all")]


def test_one_thread_and_priority_change_the_order_as_worked_out():
    # b on 1 thread at priority 0: at t=1 b (listed before d) takes the free core, ends at 3;
    # d starts at 3 when c ends, ends at 4.
    makespan, order = model.simulate(_jobs(b={"threads": 1, "priority": 0}), cores=2)
    assert makespan == 4.0
    assert order == [(0.0, "a"), (0.0, "c"), (1.0, "b"), (3.0, "d"), (4.0, "all")]
    # d at priority 1 is taken before a at t=0: d and a run first, c starts at 1 (ends 4),
    # b (1 thread) at 1 ends 3
    makespan, order = model.simulate(
        _jobs(b={"threads": 1, "priority": 0}, d={"priority": 1}), cores=2
    )
    assert order[:2] == [(0.0, "d"), (0.0, "a")]
    assert makespan == 4.0


def test_critical_path_is_the_longest_chain():
    # a (1) -> b (2) -> all (0) = 3 against c (3) -> all: both 3; lengthen b to 4
    assert model.critical_path(_jobs()) == 3.0
    assert model.critical_path(_jobs(b={"duration": 4.0})) == 5.0
