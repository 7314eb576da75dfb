"""The whole pipeline on real data: GSE13015 (Illumina whole blood, sepsis vs controls), BloodGen3.

Run exactly as a user would (``snakemake --configfile config/gse13015.yaml``) in a private copy of
the workflow. Every expectation is computed here from the raw shipped files
(``resources/gse13015/``, ``resources/modules/bloodgen3_modules.tsv``) with pandas and scipy, or
comes from the literature, never from an earlier pipeline output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from scipy.stats import mannwhitneyu

pytestmark = [pytest.mark.e2e, pytest.mark.floor]

CONFIG = "config/gse13015.yaml"
COHORT = REPO / "resources" / "gse13015"
MODULES = REPO / "resources" / "modules" / "bloodgen3_modules.tsv"
COMPARISON = "sepsis_vs_control"


def _tsv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def run(gse13015_run):
    """The pipeline run once on the GSE13015 config (tests/conftest.py); returns the workdir."""
    return gse13015_run


@pytest.fixture(scope="module")
def raw():
    """The raw matrix (linear intensities), the raw sheet (spaces kept) and the module file."""
    matrix = pd.read_csv(COHORT / "expression_symbols.tsv.gz", sep="\t", index_col=0)
    sheet = pd.read_csv(COHORT / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    modules = pd.read_csv(MODULES, sep="\t", dtype=str, keep_default_na=False)
    return matrix, sheet, modules


def test_the_cohort_config_replaces_the_toy_config(run):
    """No key of config/config.yaml leaks in: one comparison, no bridge tables, no toy selector."""
    config = yaml.safe_load((REPO / CONFIG).read_text())
    assert [c["name"] for c in config["comparisons"]] == [COMPARISON]
    genes = sorted(p.name for p in (run / "results" / "genes").glob("*.tsv"))
    assert genes == [f"{COMPARISON}.tsv"]
    long = _tsv(run / "results" / "validated" / "comparisons.tsv")
    assert set(long["comparison"]) == {COMPARISON}
    for module in config["heatmaps"]["modules"]:
        for ext in ("pdf", "png"):
            assert (run / "results" / "figures" / f"heatmap_{module}.{ext}").is_file()
    for ext in ("pdf", "png", "svg"):
        assert (run / "results" / "figures" / f"module_map.{ext}").is_file()


def test_sample_sheet_with_padded_fields_selects_48_sepsis_and_19_controls(run, raw):
    _, sheet, _ = raw
    # Oracle: the raw sheet with the padding stripped by hand.
    stripped = sheet.apply(lambda column: column.str.strip())
    long = _tsv(run / "results" / "validated" / "comparisons.tsv")
    for role, group in (("case", "Sepsis"), ("control", "Control")):
        expected = set(stripped.loc[stripped["Group_test"] == group, "GEO_ID"])
        assert set(long.loc[long["role"] == role, "sample_id"]) == expected
    assert (long["role"] == "case").sum() == 48 and (long["role"] == "control").sum() == 19
    validated = pd.read_csv(
        run / "results" / "validated" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    assert list(validated["sample_id"]) == list(stripped["GEO_ID"])
    assert list(validated["Gender"]) == list(stripped["Gender"])  # " M" -> "M"
    assert validated["Age"].iloc[0] == "Age: 39"  # kept as text, not parsed


def test_bridge_is_the_identity_and_keeps_modules_with_10_genes_in_the_matrix(run, raw):
    matrix, _, modules = raw
    symbols = set(modules["feature_id"])
    present = symbols & set(matrix.index)
    bridge = _tsv(run / "results" / "bridge" / "bridge.tsv")
    kept = bridge[bridge["status"] == "identity"]
    assert set(bridge["status"]) <= {"identity", "no_match", "no_key"}
    assert (kept["target_id"] == kept["source_id"]).all()
    assert set(kept["source_id"]) == present
    summary = _tsv(run / "results" / "bridge" / "summary.tsv").set_index("status")["count"]
    assert summary["kept"] == len(present) and summary["source_total"] == len(symbols)

    # Oracle: BloodGen3 modules with >= 10 distinct member symbols present in the matrix.
    in_matrix = modules[modules["feature_id"].isin(matrix.index)]
    n_genes = in_matrix.groupby("module_id")["feature_id"].nunique()
    expected_kept = set(n_genes[n_genes >= 10].index)
    membership = _tsv(run / "results" / "modules" / "membership.tsv")
    assert set(membership["module_id"]) == expected_kept
    assert len(expected_kept) == 379  # 382 modules, 3 with 9 genes in this subset
    dropped = _tsv(run / "results" / "modules" / "dropped.tsv")
    assert set(dropped["module_id"]) == set(modules["module_id"]) - expected_kept


def _r_wilcox_p(case: np.ndarray, control: np.ndarray) -> tuple[float, float, str]:
    """R's wilcox.test(case, control) (R <= 4.5): exact without ties when both n < 50."""
    ties = len(np.unique(np.concatenate([case, control]))) < len(case) + len(control)
    method = "asymptotic" if ties or len(case) >= 50 or len(control) >= 50 else "exact"
    result = mannwhitneyu(
        case, control, alternative="two-sided", method=method, use_continuity=True
    )
    return float(result.statistic), float(result.pvalue), method


def test_gene_table_matches_r_wilcox_test_on_the_raw_intensities(run, raw):
    matrix, sheet, _ = raw
    group = sheet.set_index("GEO_ID")["Group_test"].str.strip()
    case = matrix.loc[:, group[group == "Sepsis"].index]
    control = matrix.loc[:, group[group == "Control"].index]
    table = _tsv(run / "results" / "genes" / f"{COMPARISON}.tsv").set_index("feature_id")
    assert len(table) == len(matrix)
    assert (table["n_case"] == 48).all() and (table["n_control"] == 19).all()

    # Three genes picked from the raw data: the one with most values on the floor of 10 (ties),
    # the first tie-free gene, and granzyme B (cytotoxic lymphocytes, tie-free, tiny exact p).
    n_floor = (matrix == 10).sum(axis=1)
    tied = n_floor[n_floor < matrix.shape[1]].idxmax()
    tie_free = matrix.index[matrix.nunique(axis=1) == matrix.shape[1]]
    assert "GZMB" in tie_free
    picked = [tied, tie_free[0], "GZMB"]
    # Ranks do not change under log2, so R's test on the raw intensities is the oracle.
    methods = set()
    for gene in picked:
        w, p, method = _r_wilcox_p(case.loc[gene].to_numpy(), control.loc[gene].to_numpy())
        methods.add(method)
        row = table.loc[gene]
        assert row["method"] == method, gene
        assert row["statistic"] == pytest.approx(w), gene
        assert row["p_value"] == pytest.approx(p, rel=1e-9, abs=1e-300), gene
        assert row["direction"] == ("up" if w > 48 * 19 / 2 else "down"), gene
        assert row["median_case"] == pytest.approx(np.median(np.log2(case.loc[gene])))
    assert methods == {"exact", "asymptotic"}


def test_sepsis_fingerprint_neutrophils_up_lymphocytes_down(run):
    """The known blood signature of sepsis, with generous bounds.

    Pankla et al., Genome Biol 2009;10:R127 (the GSE13015 paper) report increased inflammation and
    neutrophil transcripts and decreased cytotoxic-cell and T-cell transcripts in sepsis; the
    BloodGen3 sepsis fingerprint (Altman et al., Nat Commun 2021; BloodGen3Module's GSE13015
    example) shows the inflammation/neutrophil aggregates (A33, A35) red and the lymphoid
    aggregates (A1 T cells, A2 cytotoxic lymphocytes) blue. On this subset the A35 neutrophil
    modules are >= 93 % up and the A1 T-cell / A2 cytotoxic modules >= 80 % down, so 50 % leaves
    a wide margin.
    """
    scores = _tsv(run / "results" / "modules" / "scores.tsv")
    annotation = _tsv(run / "results" / "modules" / "annotation.tsv")
    merged = scores.merge(annotation[["module_id", "aggregate"]], on="module_id")
    neutrophils = merged[(merged["title"] == "Neutrophils") & (merged["aggregate"] == "A35")]
    t_cells = merged[(merged["title"] == "T cells") & (merged["aggregate"] == "A1")]
    cytotoxic = merged[merged["title"] == "Cytotoxic lymphocytes"]
    assert len(neutrophils) == 3 and len(t_cells) == 4 and len(cytotoxic) == 2
    assert (neutrophils["pct_up"] > 50).all(), neutrophils
    assert (t_cells["pct_down"] > 50).all(), t_cells
    assert (cytotoxic["pct_down"] > 50).all(), cytotoxic
    # Aggregate-level direction: lymphoid A1 mostly down, inflammation A35 mostly up.
    by_aggregate = merged.groupby("aggregate")["pct_net"].mean()
    assert by_aggregate["A1"] < -50 and by_aggregate["A35"] > 50


def test_per_sample_fingerprints_equal_bloodgen3module_individualcomparison(run):
    """results/modules/samples.tsv equals Individualcomparison(FC 1.5, DIFF 10) of the package.

    The golden is tests/data/r_golden_bloodgen3_individual/individual.tsv.gz, made by the
    package itself (make_golden.R there); modules the bridge drops (< 10 genes) are not scored.
    """
    golden = pd.read_csv(
        REPO / "tests" / "data" / "r_golden_bloodgen3_individual" / "individual.tsv.gz",
        sep="\t",
        comment="#",
    )
    golden = golden[(golden["fc"] == 1.5) & (golden["diff"] == 10)]
    out = _tsv(run / "results" / "modules" / "samples.tsv")
    kept = set(_tsv(run / "results" / "modules" / "membership.tsv")["module_id"])
    merged = golden[golden["module_id"].isin(kept)].merge(
        out, on=["sample_id", "module_id"], suffixes=("_r", ""), how="outer"
    )
    assert len(merged) == len(out) == 67 * len(kept)
    assert (merged["n_genes"] == merged["n_genes_r"]).all()
    # the calls are identical (counts exact); percentages to the last bits of a double (numpy
    # versions order the division differently)
    for side in ("up", "down"):
        counts = np.round(merged[f"pct_{side}_r"] * merged["n_genes"] / 100)
        np.testing.assert_array_equal(merged[f"n_{side}"], counts)
    np.testing.assert_allclose(merged["pct_up"], merged["pct_up_r"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(merged["pct_down"], merged["pct_down_r"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(merged["net"], merged["net_r"], rtol=0, atol=1e-12)
    for ext in ("pdf", "png"):
        assert (run / "results" / "figures" / f"fingerprints.{ext}").is_file()
        assert (run / "results" / "figures" / f"distance_to_health.{ext}").is_file()
