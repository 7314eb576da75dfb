"""Module-level significance: rank enrichment of each module in a comparison's gene list (tmod).

The module scores say how much of a module moved; this says whether its genes rank higher in the
comparison than chance would put them. Re-implemented from the formulas of the R package tmod
(Weiner and Domaszewska, PeerJ 2016; ``tmodCERNOtest`` and ``tmodUtest`` of tmod 0.50,
R/statisticaltests.R), which is not a dependency:

* the tested genes of the comparison (``p_value`` present) are ranked by ``p_value``, smallest
  first (rank 1 = most significant; two-sided p-values, so up and down genes rank alike, as a
  p-sorted limma table fed to tmod). Tied p-values get the mean of the ranks they span (tmod uses
  the row order of its input, which is arbitrary for ties); ``N`` = number of tested genes;
* for a module with ``n`` tested genes at ranks ``r_i`` (rank sum ``R1``):
  ``cerno = -2 * sum(ln(r_i / N))``, ``p_cerno`` = upper tail of chi-square with ``2n`` degrees of
  freedom at ``cerno`` (Fisher's combination of the rank "p-values" ``r_i / N``),
  ``ces = cerno / (2n)`` (tmod's CERNO effect size, 1 under the null);
* ``U = n (N - n) + n (n + 1) / 2 - R1`` (module genes ranked before the others),
  ``auc = U / (n (N - n))`` (0.5 = no enrichment, 1 = module genes all on top);
* ``p_utest`` as tmodUtest: normal approximation ``Phi((0.5 - |U - n(N-n)/2|) / s_U)`` with
  ``s_U^2 = n (N - n) / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))`` (the tie term is 0 without
  ties, which is tmod's case); one-sided in the observed direction, as tmod's;
* q-values: Benjamini-Hochberg over the modules of the comparison with at least one tested gene
  (tmod: ``p.adjust(method = "fdr")``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError
from modmap.stats.fdr import bh_qvalues
from modmap.stats.members import module_members
from modmap.stats.tails import chi2_sf

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["ENRICHMENT_COLUMNS", "enriched_modules", "module_enrichment", "rank_enrichment"]

log = logging.getLogger(__name__)

#: Columns of ``results/modules/enrichment.tsv``.
ENRICHMENT_COLUMNS = [
    "comparison",
    "module_id",
    "title",
    "n_genes",
    "n_ranked",
    "direction",
    "auc",
    "cerno",
    "ces",
    "p_cerno",
    "q_cerno",
    "u",
    "p_utest",
    "q_utest",
]


def rank_enrichment(
    p_values: np.ndarray, members: sparse.csr_matrix | np.ndarray
) -> dict[str, np.ndarray]:
    """CERNO and U-test of every module on one ranked gene list (see the module docstring).

    Parameters
    ----------
    p_values
        One p-value per gene (the list to rank; NaN = not tested, left out of the list).
    members
        Modules x genes indicator (0/1), same gene order as ``p_values``.

    Returns
    -------
    dict of numpy.ndarray
        Per module: ``n_genes`` (tested members), ``n_ranked`` (``N``), ``cerno``, ``ces``,
        ``p_cerno``, ``u``, ``auc``, ``p_utest``. NaN for modules without a tested member (and
        ``auc``/``p_utest`` also when every tested gene is a member).
    """
    # scipy is imported here, not at module level: module_dots reads the enrichment table
    # through enriched_modules() and should not pay scipy's import. scipy.stats is not imported
    # at all (1.2 s of start-up, issue 16): its chi-squared tail is scipy.special's chdtrc and
    # its average ranks a few lines of NumPy (modmap.stats.tails, _average_ranks: the same
    # numbers).
    from scipy import sparse
    from scipy.special import ndtr

    p = np.asarray(p_values, dtype=np.float64)
    tested = ~np.isnan(p)
    m = sparse.csr_matrix(members, dtype=np.float64)[:, np.flatnonzero(tested)]
    m.data[:] = 1.0
    m.sum_duplicates()
    m.data[:] = 1.0
    n_total = int(tested.sum())
    ranks = _average_ranks(p[tested])
    n = np.asarray(m.sum(axis=1)).ravel()
    r1 = m @ ranks
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ranks = np.log(ranks / n_total) if n_total else ranks
        cerno = -2.0 * (m @ log_ranks)
        n2 = n_total - n
        u = n * n2 + n * (n + 1) / 2.0 - r1
        auc = u / (n * n2)
        _, counts = np.unique(ranks, return_counts=True)
        tie = float(np.sum(counts.astype(np.float64) ** 3 - counts))
        tie_term = tie / (n_total * (n_total - 1)) if n_total > 1 else 0.0
        s_u = np.sqrt(n * n2 / 12.0 * ((n_total + 1) - tie_term))
        z = (0.5 - np.abs(u - n * n2 / 2.0)) / s_u
        p_u = np.minimum(ndtr(z), 1.0)
    has = n > 0
    both = has & (n2 > 0) & (s_u > 0)
    return {
        "n_genes": n.astype(np.int64),
        "n_ranked": np.full(n.shape, n_total, dtype=np.int64),
        "cerno": np.where(has, cerno, np.nan),
        "ces": np.where(has, cerno / np.where(has, 2 * n, 1), np.nan),
        "p_cerno": np.where(has, chi2_sf(np.where(has, cerno, 0.0), 2 * np.maximum(n, 1)), np.nan),
        "u": np.where(both, u, np.nan),
        "auc": np.where(both, auc, np.nan),
        "p_utest": np.where(both, p_u, np.nan),
    }


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``x`` (no NaN), ties sharing the mean of their ranks (R's ``rank``).

    ``scipy.stats.rankdata(x, method="average")`` without importing scipy.stats: every rank is
    a whole number or a half, exact in float64, so the values are the same.
    """
    order = np.argsort(x, kind="stable")
    xs = x[order]
    first = np.r_[True, xs[1:] != xs[:-1]]  # first element of each run of equal values
    starts = np.r_[np.flatnonzero(first), xs.size]  # 0-based start of each run, then n
    run = np.cumsum(first) - 1  # run of each sorted element
    ranks = np.empty(xs.size, dtype=np.float64)
    # a run covering sorted positions s..e-1 holds ranks s+1..e: their mean is (s + 1 + e) / 2
    ranks[order] = 0.5 * (starts[run] + 1 + starts[run + 1])
    return ranks


def module_enrichment(
    gene_tables: Mapping[str, pd.DataFrame],
    membership: pd.DataFrame,
    annotation: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rank enrichment of every module in every comparison (``results/modules/enrichment.tsv``).

    Parameters
    ----------
    gene_tables
        Comparison name -> ``results/genes/{comparison}.tsv`` (``feature_id``, ``p_value``,
        ``direction``), in config order.
    membership
        ``module_id``, ``title``, ``feature_id``; modules in order of first appearance.
    annotation
        Optional ``annotation.tsv``: module titles from the module file.

    Returns
    -------
    pandas.DataFrame
        :data:`ENRICHMENT_COLUMNS`, one row per comparison and module. ``n_genes``: tested
        members; ``n_ranked``: tested genes of the comparison (``N``); ``direction``: ``up`` when
        more of the module's tested genes have direction ``up`` than ``down``, ``down`` in the
        opposite case, else ``none`` (the ranking itself is two-sided); ``auc``, ``cerno``,
        ``ces``, ``p_cerno``, ``u``, ``p_utest`` as the module docstring; ``q_cerno`` and
        ``q_utest`` are BH over the comparison's modules with a p-value.
    """
    from scipy import sparse  # see rank_enrichment: scipy only where a test runs

    members, order, titles = module_members(
        membership, annotation, where="results/modules/membership.tsv"
    )
    frames = []
    for comparison, genes in gene_tables.items():
        absent = {"feature_id", "p_value", "direction"} - set(genes.columns)
        if absent:
            raise InputError(
                f"results/genes/{comparison}.tsv: missing column(s) {sorted(absent)}; re-run "
                "the gene_tests rule."
            )
        g = genes.drop_duplicates("feature_id")
        feats = pd.Index(g["feature_id"].astype(str))
        inside = members["feature_id"].isin(feats)
        rows = order.get_indexer(members.loc[inside, "module_id"])
        cols = feats.get_indexer(members.loc[inside, "feature_id"])
        m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(order), len(feats)))
        p = pd.to_numeric(g["p_value"], errors="coerce").to_numpy(dtype=np.float64)
        res = rank_enrichment(p, m)
        tested = ~np.isnan(p)
        direction = g["direction"].astype(str).to_numpy()
        n_up = m @ (tested & (direction == "up")).astype(np.float64)
        n_down = m @ (tested & (direction == "down")).astype(np.float64)
        frames.append(
            pd.DataFrame(
                {
                    "comparison": comparison,
                    "module_id": order,
                    "title": titles.reindex(order).to_numpy(),
                    **res,
                    "direction": np.where(
                        n_up > n_down, "up", np.where(n_down > n_up, "down", "none")
                    ),
                    "q_cerno": bh_qvalues(res["p_cerno"]),
                    "q_utest": bh_qvalues(res["p_utest"]),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=ENRICHMENT_COLUMNS)
    return pd.concat(frames, ignore_index=True)[ENRICHMENT_COLUMNS]


def enriched_modules(
    enrichment: pd.DataFrame, *, test: Literal["cerno", "utest"] = "cerno", alpha: float = 0.05
) -> set[tuple[str, str]]:
    """``(comparison, module_id)`` pairs whose ``q_{test}`` is below ``alpha``.

    Parameters
    ----------
    enrichment
        ``results/modules/enrichment.tsv``.
    test
        ``"cerno"`` (default) or ``"utest"``: which q-value column decides.
    alpha
        Threshold on the q-value (strictly below; default 0.05).
    """
    if test not in ("cerno", "utest"):
        raise ValueError(f"enrichment.test must be 'cerno' or 'utest', got {test!r}")
    q = pd.to_numeric(enrichment[f"q_{test}"], errors="coerce")
    hit = enrichment[(q < alpha).to_numpy()]
    return set(zip(hit["comparison"].astype(str), hit["module_id"].astype(str), strict=True))
