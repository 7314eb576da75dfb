"""gene_tests jobs: comparisons split into batches (modmap.batches, statistics.gene_tests_jobs)."""

from __future__ import annotations

import itertools
import shutil

import pytest
from conftest import load_config, run_snakemake, write_config

from modmap.batches import batch_rule_name, comparison_batches


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
