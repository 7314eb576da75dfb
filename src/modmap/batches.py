"""Comparisons grouped into gene_tests jobs (config ``statistics.gene_tests_jobs``).

One ``gene_tests`` job memory-maps the expression cache
once and writes one table per comparison, so a run pays the job start-up (interpreter, pandas,
numba, scipy) and the shared control columns once instead of once per comparison. On a cluster
the comparisons can still be spread over several jobs (docs/statistics.md, "Jobs").
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ONE_BATCH", "batch_rule_name", "comparison_batches"]

#: Label of the batch when every comparison runs in one job (the default).
ONE_BATCH = "all"


def comparison_batches(names: Sequence[str], *, jobs: int) -> dict[str, list[str]]:
    """Split comparisons into at most ``jobs`` contiguous batches of near-equal size.

    Parameters
    ----------
    names
        Comparison names in config order.
    jobs
        Number of jobs wanted (>= 1). More jobs than comparisons gives one job per comparison.

    Returns
    -------
    dict
        Batch label -> comparison names, in config order. One batch is labelled ``"all"``;
        several are labelled ``"1"``, ``"2"``, ... The first ``len(names) % k`` batches hold one
        comparison more than the others (``k`` batches). No names: no batch.

    Raises
    ------
    ValueError
        ``jobs`` is not a positive integer.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"statistics.gene_tests_jobs must be a positive integer, got {jobs!r}")
    names = list(names)
    k = min(jobs, len(names))
    if k == 0:
        return {}
    if k == 1:
        return {ONE_BATCH: names}
    size, extra = divmod(len(names), k)
    batches, start = {}, 0
    for i in range(k):
        stop = start + size + (1 if i < extra else 0)
        batches[str(i + 1)] = names[start:stop]
        start = stop
    return batches


def batch_rule_name(label: str) -> str:
    """Rule name of a gene_tests batch: ``gene_tests`` alone, else ``gene_tests_<label>``."""
    return "gene_tests" if label == ONE_BATCH else f"gene_tests_{label}"
