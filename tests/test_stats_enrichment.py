"""Module rank enrichment (tmod CERNO and U test) against independent oracles.

* R golden (``tests/data/r_golden_enrichment/``, made by its ``make_golden.R``: tmod's formulas
  re-implemented in base R, its U-test p-values cross-checked there against R's ``wilcox.test``)
  on the GSE13015 subset with the 382 BloodGen3 modules, once on Welch p-values without ties and
  once on p-values rounded to one significant digit (heavy ties, average ranks).
* Formulas written out here: CERNO by its definition and the chi-square upper tail in closed form
  (for even degrees of freedom ``2n``: ``exp(-x/2) sum_{k<n} (x/2)^k / k!``), the AUC by counting
  pairs, the U-test p-value from ``scipy.stats.mannwhitneyu`` on the ranks.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import imported_after
from scipy.stats import mannwhitneyu

from modmap.errors import InputError
from modmap.stats.enrichment import module_enrichment, rank_enrichment

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "data" / "r_golden_enrichment"
COLUMNS = ["n_genes", "n_ranked", "cerno", "ces", "p_cerno", "q_cerno", "u", "auc"]


@pytest.mark.parametrize("ranking", ["p_value", "p_rounded"])
def test_matches_r_golden_on_gse13015(ranking):
    genes = pd.read_csv(GOLDEN / "genes.tsv.gz", sep="\t", comment="#")
    golden = pd.read_csv(GOLDEN / "enrichment.tsv.gz", sep="\t", comment="#")
    golden = golden[golden["ranking"] == ranking]
    modules = pd.read_csv(REPO / "resources" / "modules" / "bloodgen3_modules.tsv", sep="\t")
    table = genes.assign(p_value=genes[ranking])[["feature_id", "p_value", "direction"]]
    out = module_enrichment({"sepsis": table}, modules)
    assert len(golden) == 382 and golden["n_ranked"].iloc[0] == genes["p_value"].notna().sum()
    merged = golden.merge(out, on="module_id", suffixes=("_r", ""))
    assert len(merged) == 382
    for col in COLUMNS:
        np.testing.assert_allclose(merged[col], merged[f"{col}_r"], rtol=1e-12, err_msg=col)
    # p-values down to 1e-300: relative tolerance through the tails
    for col in ("p_utest", "q_utest"):
        np.testing.assert_allclose(merged[col], merged[f"{col}_r"], rtol=1e-12, err_msg=col)
    assert (merged["q_cerno"] < 0.05).sum() > 20  # sepsis moves many modules: not a null golden


def _chi2_sf_even(x: float, df: int) -> float:
    """Upper tail of chi-square with an even number of degrees of freedom (closed form)."""
    n = df // 2
    return math.exp(-x / 2) * sum((x / 2) ** k / math.factorial(k) for k in range(n))


def test_cerno_auc_and_u_by_their_definitions():
    rng = np.random.default_rng(11)
    n_genes = 60
    p = rng.uniform(size=n_genes)
    p[[3, 17, 40]] = np.nan  # not tested: left out of the list
    members = np.zeros((3, n_genes))
    members[0, [0, 1, 2, 3, 5]] = 1  # one untested member
    members[1, np.argsort(np.nan_to_num(p, nan=2))[:6]] = 1  # the six best-ranked genes
    members[2, [17, 40]] = 1  # only untested members
    out = rank_enrichment(p, members)
    ok = ~np.isnan(p)
    big_n = ok.sum()
    order = np.argsort(p[ok])
    ranks = np.empty(big_n)
    ranks[order] = np.arange(1, big_n + 1)  # no ties: positions as tmod uses them
    for i in (0, 1):
        sel = members[i, ok] == 1
        r = ranks[sel]
        n = sel.sum()
        cerno = -2 * sum(math.log(v / big_n) for v in r)
        assert out["n_genes"][i] == n and out["n_ranked"][i] == big_n
        assert out["cerno"][i] == pytest.approx(cerno, rel=1e-13)
        assert out["ces"][i] == pytest.approx(cerno / (2 * n), rel=1e-13)
        assert out["p_cerno"][i] == pytest.approx(_chi2_sf_even(cerno, 2 * n), rel=1e-10)
        pairs = sum(a < b for a in r for b in ranks[~sel])  # module gene ranked first
        assert out["u"][i] == pairs
        assert out["auc"][i] == pytest.approx(pairs / (n * (big_n - n)))
        # one-sided p in the observed direction = half of the two-sided corrected p (no ties)
        two = mannwhitneyu(r, ranks[~sel], use_continuity=True, method="asymptotic").pvalue
        assert out["p_utest"][i] == pytest.approx(min(two / 2, 1.0), rel=1e-10)
    assert out["auc"][1] == 1.0  # the top six genes
    assert np.isnan(out["cerno"][2]) and np.isnan(out["p_utest"][2]) and out["n_genes"][2] == 0


def test_ties_get_average_ranks_and_the_tie_corrected_u_variance():
    p = np.array([0.01, 0.01, 0.01, 0.2, 0.2, 0.5, 0.9, 0.9])
    members = np.array([[1, 1, 0, 0, 1, 0, 0, 0]])
    out = rank_enrichment(p, members)
    ranks = np.array([2.0, 2.0, 2.0, 4.5, 4.5, 6.0, 7.5, 7.5])
    sel = members[0] == 1
    assert out["cerno"][0] == pytest.approx(-2 * np.log(ranks[sel] / 8).sum())
    two = mannwhitneyu(ranks[sel], ranks[~sel], use_continuity=True, method="asymptotic").pvalue
    assert out["p_utest"][0] == pytest.approx(two / 2, rel=1e-12)  # scipy corrects for ties too


def test_module_enrichment_table_direction_and_bh():
    genes = pd.DataFrame(
        {
            "feature_id": list("abcdefghij"),
            "p_value": [1e-6, 1e-5, 1e-4, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, np.nan],
            "direction": ["up", "up", "down", "down", "down", "up", "up", "down", "up", "none"],
        }
    )
    members = pd.DataFrame(
        {
            "module_id": ["A", "A", "A", "B", "B", "B", "C"],
            "title": ["top", "top", "top", "low", "low", "low", "untested"],
            "feature_id": ["a", "b", "c", "d", "e", "h", "j"],
        }
    )
    out = module_enrichment({"x": genes}, members).set_index("module_id")
    assert list(out.index) == ["A", "B", "C"]
    assert out.loc["A", "direction"] == "up" and out.loc["B", "direction"] == "down"
    assert out.loc["C", "direction"] == "none" and out.loc["C", "n_genes"] == 0
    assert out.loc["A", "auc"] == 1.0 and out.loc["A", "n_ranked"] == 9
    # BH over the two modules with a p-value: q = min over ranks of p * m / rank, monotone
    p = out.loc[["A", "B"], "p_cerno"].to_numpy()
    lo, hi = np.sort(p)
    expected = {lo: min(lo * 2, hi), hi: hi}
    assert out.loc["A", "q_cerno"] == pytest.approx(expected[p[0]])
    assert out.loc["B", "q_cerno"] == pytest.approx(expected[p[1]])
    assert np.isnan(out.loc["C", "q_cerno"])


def test_missing_columns_are_one_clear_error():
    with pytest.raises(InputError, match="p_value"):
        module_enrichment(
            {"x": pd.DataFrame({"feature_id": ["a"], "direction": ["up"]})},
            pd.DataFrame({"module_id": ["A"], "title": ["t"], "feature_id": ["a"]}),
        )


def test_no_tested_gene_gives_empty_statistics_without_warnings():
    out = rank_enrichment(np.full(4, np.nan), np.array([[1, 1, 0, 0]]))
    assert out["n_genes"][0] == 0 and out["n_ranked"][0] == 0
    assert all(np.isnan(out[k][0]) for k in ("cerno", "p_cerno", "auc", "p_utest"))
    # every tested gene in the module: CERNO defined, U test undefined (no other gene)
    full = rank_enrichment(np.array([0.1, 0.2]), np.array([[1, 1]]))
    assert full["cerno"][0] == pytest.approx(-2 * (np.log(0.5) + np.log(1.0)))
    assert np.isnan(full["auc"][0]) and np.isnan(full["p_utest"][0])


def test_average_ranks_by_counting():
    """The scipy.stats-free average ranks: 1 + (values below) + (other values equal) / 2."""
    from modmap.stats.enrichment import _average_ranks

    rng = np.random.default_rng(7)
    for _ in range(50):
        x = np.round(rng.random(int(rng.integers(1, 60))), int(rng.integers(1, 3)))
        by_count = [1 + np.sum(x < v) + (np.sum(x == v) - 1) / 2 for v in x]
        assert _average_ranks(x).tolist() == by_count


def test_enrichment_does_not_import_scipy_stats_or_statsmodels():
    """An import-time promise (issue 16): the enrichment job pays neither (1-3 s of start-up)."""

    code = (
        "import pandas as pd\n"
        "from modmap.stats.enrichment import module_enrichment\n"
        "genes = {'c': pd.DataFrame({'feature_id': ['a', 'b', 'c', 'd'],\n"
        "    'p_value': [0.01, 0.2, 0.5, 0.9], 'direction': ['up', 'up', 'down', 'up']})}\n"
        "membership = pd.DataFrame({'module_id': ['M1', 'M1', 'M2'], 'title': ['x', 'x', 'y'],\n"
        "    'feature_id': ['a', 'b', 'c']})\n"
        "table = module_enrichment(genes, membership)\n"
        "assert table['q_cerno'].notna().all()\n"
    )
    assert imported_after(code, ["scipy.stats", "statsmodels"]) == []
