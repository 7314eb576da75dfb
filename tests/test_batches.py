"""gene_tests jobs: comparisons split into batches (modmap.batches, statistics.gene_tests_jobs)."""

from __future__ import annotations

import itertools
import shutil

import pandas as pd
import pytest
from conftest import load_config, run_snakemake, write_config

from modmap.batches import batch_columns, batch_rule_name, comparison_batches


def test_seven_comparisons_in_three_jobs_by_hand():
    names = list("abcdefg")
    assert comparison_batches(names, jobs=3) == {
        "1": ["a", "b", "c"],
        "2": ["d", "e"],
        "3": ["f", "g"],
    }


def test_batches_cover_every_comparison_once_in_order_with_near_equal_sizes():
    for n, jobs in itertools.product(range(13), range(1, 16)):
        names = [f"c{i}" for i in range(n)]
        batches = comparison_batches(names, jobs=jobs)
        # every name once, in config order
        assert [c for b in batches.values() for c in b] == names, (n, jobs)
        k = min(n, jobs)
        assert len(batches) == k, (n, jobs)
        if k == 0:
            continue
        sizes = [len(b) for b in batches.values()]
        # near-equal: ceil or floor of n / k, the larger ones first
        assert set(sizes) <= {-(-n // k), n // k}, (n, jobs)
        assert sizes == sorted(sizes, reverse=True), (n, jobs)
        expected = ["all"] if k == 1 else [str(i) for i in range(1, k + 1)]
        assert list(batches) == expected, (n, jobs)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_jobs_must_be_a_positive_integer(jobs):
    with pytest.raises(ValueError, match="gene_tests_jobs"):
        comparison_batches(["a", "b"], jobs=jobs)


def test_rule_names():
    assert batch_rule_name("all") == "gene_tests"
    assert batch_rule_name("2") == "gene_tests_2"


def _design(case, control):
    rows = [(s, "case") for s in case] + [(s, "control") for s in control]
    # rows in sheet order, cases and controls interleaved
    rows.sort(key=lambda row: row[0])
    return pd.DataFrame(rows, columns=["sample_id", "role"])


def test_columns_read_cases_then_controls_per_comparison_shared_ones_once():
    d1 = _design(case=["s5", "s1"], control=["s2", "s9", "s3"])
    d2 = _design(case=["s7", "s4"], control=["s2", "s9", "s3"])  # the same controls
    # worked out by hand: each design in sheet order (s1 s5 | s2 s3 s9), then d2's cases
    assert batch_columns([d1, d2]) == ["s1", "s5", "s2", "s3", "s9", "s4", "s7"]
    assert batch_columns([d2]) == ["s4", "s7", "s2", "s3", "s9"]
    assert batch_columns([]) == []


def test_split_jobs_write_the_same_tables_as_one_job(toy_run, workdir):
    """Toy comparisons in 4 jobs (4 logs, 4 benchmarks) give the bytes of the one-job toy run."""
    shutil.copytree(toy_run / "results", workdir / "results")
    config = load_config(workdir)
    names = [c["name"] for c in config["comparisons"]]
    config["statistics"]["gene_tests_jobs"] = 4
    write_config(workdir, config)
    tables = [f"results/genes/{name}.tsv" for name in names]
    rules = [f"gene_tests_{i}" for i in range(1, 5)]
    run_snakemake(workdir, *tables, "--forcerun", *rules, "--allowed-rules", *rules, check=True)
    for table in tables:
        assert (workdir / table).read_bytes() == (toy_run / table).read_bytes(), table
    for i in range(1, 5):
        assert (workdir / f"results/logs/gene_tests/{i}.log").is_file()
        assert (workdir / f"results/benchmarks/gene_tests/{i}.tsv").is_file()
