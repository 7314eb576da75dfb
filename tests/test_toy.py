"""The toy SJIA cohort in resources/toy: reproducible, shaped like the trial, hard cases present.

Oracles: byte comparison with the committed files; counts stated by the trial design (written
out here); bridge statuses re-derived from the two platform tables with a few lines of pandas
(not the generator's code); planted directions written out from the paper; an independent
Mann-Whitney test (scipy) for the planted effects.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import mannwhitneyu

from modmap import toy, toy_trial
from modmap.errors import InputError

REPO = Path(__file__).resolve().parents[1]
TOY = REPO / "resources" / "toy"
FILES = [
    "samples.tsv",
    "expression.tsv.gz",
    "modules.tsv",
    "platform_affymetrix.tsv",
    "platform_illumina.tsv",
    "bridge_truth.tsv",
    "modules_truth.tsv",
    "truth.tsv",
    "clinical.tsv",
    "adverse_events.tsv",
    "followup.tsv",
    "analytes.tsv",
    "withdrawal.tsv",
    "response_truth.tsv",
    "clinical_truth.tsv",
    "paired_truth.tsv",
]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(TOY / name, sep="\t", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def samples() -> pd.DataFrame:
    return _read("samples.tsv")


@pytest.fixture(scope="module")
def expression() -> pd.DataFrame:
    return pd.read_csv(TOY / "expression.tsv.gz", sep="\t", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def comparisons() -> list[dict]:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text())["comparisons"]


@pytest.fixture(scope="module")
def bridge_from_tables() -> pd.DataFrame:
    """Status of every module probe set, re-derived from the platform tables (issue 3 policy)."""
    affy = _read("platform_affymetrix.tsv").set_index("ID")
    ilmn = _read("platform_illumina.tsv")
    ilmn = ilmn[ilmn["RefSeq_ID"] != ""]
    targets_of_key = (
        ilmn.assign(key=ilmn["RefSeq_ID"].str.replace(r"\.\d+$", "", regex=True))
        .groupby("key")["ID"]
        .apply(set)
    )
    rows = []
    for _, row in _read("modules.tsv").iterrows():
        keys = [k for k in affy.loc[row["feature_id"], "RefSeq Transcript ID"].split(" /// ") if k]
        targets = set().union(*(targets_of_key.get(k, set()) for k in keys)) if keys else set()
        status = (
            "no_key"
            if not keys
            else "no_match"
            if not targets
            else "ambiguous"
            if len(targets) > 1
            else "unambiguous"
        )
        target = next(iter(targets)) if status == "unambiguous" else ""
        rows.append([row["module_id"], row["feature_id"], status, target])
    out = pd.DataFrame(rows, columns=["module_id", "source_id", "status", "target_id"])
    # a target kept by two or more modules is a conflict and leaves all of them
    kept = out[out["status"] == "unambiguous"]
    n_modules = kept.groupby("target_id")["module_id"].nunique()
    conflict = out["target_id"].map(n_modules).fillna(0) > 1
    out.loc[conflict, "status"] = "conflict"
    out.loc[conflict, "target_id"] = ""
    return out


@pytest.mark.parametrize("how", ["python -m modmap.toy", "modmap toy"])
def test_regeneration_is_byte_identical(tmp_path, how):
    args = [
        "--outdir",
        str(tmp_path),
        "--annotation",
        str(REPO / "resources" / "annotation" / "refseq_entrez_symbol.tsv.gz"),
        "--config",
        str(REPO / "config" / "config.yaml"),
    ]
    if how == "modmap toy":  # the installed console script, in a fresh process
        exe = Path(sys.executable).with_name("modmap")
        subprocess.run([str(exe), "toy", *args], check=True, timeout=120)
    else:
        toy.main(args)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (TOY / name).read_bytes(), name


def test_config_sample_sheet_is_the_toy_sheet():
    link = REPO / "config" / "samples.tsv"
    assert link.is_symlink()
    assert str(link.readlink()) == "../resources/toy/samples.tsv"


def test_toy_stays_small():
    assert sum((TOY / name).stat().st_size for name in FILES) < 3_000_000


def _planted_m6_responders() -> pd.Series:
    truth = _read("response_truth.tsv").query("visit == 'M6'")
    return truth.set_index("subject_id")["primary"]


def test_sample_sheet_follows_the_trial(samples):
    columns = ["sample_id", "subject_id", "group", "arm", "timepoint", "age", "sex"]
    if toy.RESPONDER_COLUMN:  # until the clinical stage derives it (see toy.RESPONDER_COLUMN)
        columns.insert(5, "responder")
    assert list(samples.columns) == columns
    assert samples["sample_id"].is_unique
    patients = samples[samples["group"] == "patient"]
    healthy = samples[samples["group"] == "healthy"]
    assert len(healthy) == 21 and healthy["sample_id"].str.fullmatch(r"HC\d{2}").all()
    assert (healthy[["arm", "timepoint"]] == "").all().all()
    assert patients["sample_id"].str.fullmatch(r"SJIA\d{2}_(D1|M1|M6)").all()
    assert (patients["sample_id"] == patients["subject_id"] + "_" + patients["timepoint"]).all()
    subjects = patients.drop_duplicates("subject_id")
    assert subjects.groupby("arm").size().to_dict() == {"anakinra": 12, "placebo": 12}
    # responders at M6 (primary endpoint, planted): 7 anakinra, 4 placebo (resources/toy/README)
    planted = _planted_m6_responders()
    arm_of = subjects.set_index("subject_id")["arm"]
    per_arm = planted.groupby(arm_of.reindex(planted.index)).apply(lambda s: (s == "yes").sum())
    assert per_arm.to_dict() == {"anakinra": 7, "placebo": 4}
    if "responder" in samples.columns:
        assert (healthy["responder"] == "").all()
        assert (patients["responder"] == patients["subject_id"].map(planted)).all()
    # some visits missing, but enough samples where the comparisons need them
    assert 24 * 3 - 8 <= len(patients) < 24 * 3
    resp = patients["subject_id"].map(planted)
    m6 = patients["timepoint"] == "M6"
    assert (m6 & (resp == "yes")).sum() >= 8 and (m6 & (resp == "no")).sum() >= 8
    ana = patients[patients["arm"] == "anakinra"]
    visits = ana.groupby("subject_id")["timepoint"].apply(set)
    assert sum({"D1", "M1"} <= v for v in visits) >= 8
    # controls age/sex-matched: every control has a patient of the same sex within 1 year
    assert samples["sex"].isin(["F", "M"]).all()
    ages = samples["age"].astype(int)
    assert ages.between(1, 18).all()
    for _, hc in healthy.iterrows():
        same_sex = subjects[subjects["sex"] == hc["sex"]]
        assert (abs(same_sex["age"].astype(int) - int(hc["age"])) <= 1).any(), hc["sample_id"]


def test_expression_matrix_shape_ties_and_missing(expression, samples):
    assert list(expression.columns) == ["feature_id", *samples["sample_id"]]
    assert expression["feature_id"].str.fullmatch(r"ILMN_\d{7}").all()
    assert expression["feature_id"].is_unique and 2000 <= len(expression) <= 5000
    cells = expression.drop(columns="feature_id")
    assert 0 < (cells == "").sum().sum() <= 50  # a few missing values
    values = cells.replace("", np.nan).astype(float)
    assert 4 < np.nanmin(values) and np.nanmax(values) < 16
    assert 6 < np.nanmedian(values) < 14
    decimals = cells.apply(lambda col: col.str.len() - col.str.find(".") - 1).where(cells != "")
    two = decimals.max(axis=1) == 2
    has_ties = values.apply(lambda row: row.dropna().duplicated().any(), axis=1)
    assert 0.03 < two.mean() < 0.25  # some probes at 2 decimals ...
    assert has_ties[two].mean() > 0.5  # ... which tie, as exported array data do
    assert (decimals.min(axis=1)[~two] >= 3).all()  # the others have 3+ decimals
    assert not has_ties[~two].any()  # and no ties


def test_platform_tables_look_like_geo(expression):
    affy = _read("platform_affymetrix.tsv")
    ilmn = _read("platform_illumina.tsv")
    assert list(affy.columns) == ["ID", "Gene Symbol", "ENTREZ_GENE_ID", "RefSeq Transcript ID"]
    assert list(ilmn.columns) == ["ID", "Symbol", "Entrez_Gene_ID", "RefSeq_ID"]
    assert affy["ID"].is_unique and ilmn["ID"].is_unique
    assert set(ilmn["ID"]) == set(expression["feature_id"])
    probe_sets = affy.loc[~affy["ID"].str.startswith("AFFX-"), "ID"]
    assert probe_sets.str.fullmatch(r"2\d{5}(_at|_s_at|_x_at)").all()
    assert probe_sets.str.endswith("_s_at").any() and probe_sets.str.endswith("_x_at").any()
    refs = ilmn.loc[ilmn["RefSeq_ID"] != "", "RefSeq_ID"]
    assert refs.str.fullmatch(r"NM_\d+\.\d+").all()
    affy_refs = affy["RefSeq Transcript ID"].str.split(" /// ").explode()
    assert affy_refs[affy_refs != ""].str.fullmatch(r"NM_\d+").all()
    modules = _read("modules.tsv")
    assert set(modules["feature_id"]) <= set(affy["ID"])
    assert len(affy) > modules["feature_id"].nunique()  # extra probe sets too


def test_real_symbols_and_refseqs():
    annotation = pd.read_csv(
        REPO / "resources" / "annotation" / "refseq_entrez_symbol.tsv.gz", sep="\t", dtype=str
    ).set_index("REFSEQ")
    ilmn = _read("platform_illumina.tsv")
    ilmn = ilmn[ilmn["RefSeq_ID"] != ""]
    real = annotation.loc[ilmn["RefSeq_ID"].str.replace(r"\.\d+$", "", regex=True)]
    assert (real["SYMBOL"].to_numpy() == ilmn["Symbol"].to_numpy()).all()
    assert (real["ENTREZID"].to_numpy() == ilmn["Entrez_Gene_ID"].to_numpy()).all()
    affy = _read("platform_affymetrix.tsv").set_index("ID")
    modules = _read("modules.tsv")
    symbols = modules.assign(symbol=affy.loc[modules["feature_id"], "Gene Symbol"].to_numpy())
    members = symbols.groupby("module_id")["symbol"].apply(set)
    markers = {"M3.1": "IFI44L", "M2.3": "HBB", "M2.8": "CD3E", "M2.2": "MPO", "M1.3": "CD19"}
    assert all(symbol in members[module] for module, symbol in markers.items())


def test_modules_file(bridge_from_tables):
    modules = _read("modules.tsv")
    assert list(modules.columns) == ["module_id", "title", "feature_id"]
    expected_ids = (
        [f"M1.{i}" for i in range(1, 9)]
        + [f"M2.{i}" for i in range(1, 12)]
        + [f"M3.{i}" for i in range(1, 10)]
    )
    assert modules["module_id"].drop_duplicates().to_list() == expected_ids
    titles = modules.drop_duplicates("module_id").set_index("module_id")["title"]
    paper = {
        "M3.1": "Interferon", "M3.2": "Inflammation", "M3.3": "Inflammation",
        "M2.2": "Neutrophils", "M2.8": "T cells", "M1.3": "B cells", "M2.1": "Cytotoxic cells",
        "M2.3": "Erythrocytes", "M1.2": "Platelets", "M1.5": "Myeloid lineage",
        "M2.6": "Myeloid lineage", "M3.8": "Lymphoid lineage",
    }  # fmt: skip
    assert {m: titles[m] for m in paper} == paper
    sizes = modules.groupby("module_id").size()
    assert sizes.between(15, 60).all()
    assert not modules.duplicated(["module_id", "feature_id"]).any()


def test_hard_cases_are_present(bridge_from_tables):
    b = bridge_from_tables
    affy = _read("platform_affymetrix.tsv").set_index("ID")
    ilmn = _read("platform_illumina.tsv")
    status = b.set_index("source_id")["status"]
    assert (status == "no_key").sum() >= 5
    assert (status == "no_match").sum() >= 5
    # probe sets listing RefSeqs of two genes that reach two Illumina probes
    symbols = affy.loc[b["source_id"], "Gene Symbol"].str.split(" /// ").str.len()
    two_gene = b[(b["status"] == "ambiguous") & (symbols.to_numpy() == 2)]
    assert len(two_gene) >= 3
    # RefSeqs hit by two Illumina probes (with or without the same version suffix)
    key = ilmn.loc[ilmn["RefSeq_ID"] != "", "RefSeq_ID"].str.replace(r"\.\d+$", "", regex=True)
    hit_twice = key[key.duplicated(keep=False)]
    assert hit_twice.nunique() >= 5
    one_gene_ambiguous = b[(b["status"] == "ambiguous") & (symbols.to_numpy() == 1)]
    assert len(one_gene_ambiguous) >= 3
    # two probe sets of one module reaching the same Illumina probe (counted once)
    kept = b[b["status"] == "unambiguous"]
    assert kept.duplicated(["module_id", "target_id"]).sum() >= 3
    # Illumina probes claimed by two modules
    assert (b["status"] == "conflict").sum() >= 6
    # at least two modules below 10 genes after matching
    n_members = kept.groupby("module_id")["target_id"].nunique()
    n_members = n_members.reindex(b["module_id"].unique(), fill_value=0)
    assert (n_members < 10).sum() >= 2


def test_bridge_truth_matches_the_tables(bridge_from_tables):
    truth = _read("bridge_truth.tsv")
    assert list(truth.columns[:3]) == ["source_id", "status", "target_id"]
    merged = truth.merge(bridge_from_tables, on="source_id", suffixes=("", "_tables"))
    assert len(merged) == len(truth) == len(bridge_from_tables)
    assert (merged["status"] == merged["status_tables"]).all()
    assert (merged["target_id"] == merged["target_id_tables"]).all()
    assert (merged["module_id"] == merged["module_id_tables"]).all()

    modules_truth = _read("modules_truth.tsv").set_index("module_id")
    kept = bridge_from_tables[bridge_from_tables["status"] == "unambiguous"]
    n_members = kept.groupby("module_id")["target_id"].nunique()
    n_members = n_members.reindex(modules_truth.index, fill_value=0)
    assert (modules_truth["n_members_expected"].astype(int) == n_members).all()
    assert (modules_truth["kept"] == np.where(n_members >= 10, "true", "false")).all()


def test_truth_covers_every_comparison(comparisons):
    truth = _read("truth.tsv")
    kept = _read("modules_truth.tsv").query("kept == 'true'")["module_id"].to_list()
    names = [c["name"] for c in comparisons]
    assert truth["comparison"].drop_duplicates().to_list() == names
    pairs = set(zip(truth["module_id"], truth["comparison"], strict=True))
    assert pairs == {(m, c) for m in kept for c in names} and len(truth) == len(pairs)
    assert truth["direction"].isin(["up", "down", "none", "partial"]).all()


def test_truth_follows_the_paper():
    """The paper's story with its design: placebo switches to anakinra at M1 (M6 treated)."""
    truth = _read("truth.tsv").set_index(["module_id", "comparison"])["direction"]
    shift = _read("truth.tsv").set_index(["module_id", "comparison"])["shift"]
    up, down = ["M1.5", "M2.6", "M2.2", "M3.2", "M3.3", "M2.3", "M1.2"], [
        "M2.8", "M3.8", "M1.3", "M1.4", "M2.1",
    ]  # fmt: skip
    # untreated (D1, placebo M1) and non-responders at M6: the D1 signature
    for comp in ["anakinra_D1", "placebo_D1", "placebo_M1", "nonresponders_M6"]:
        assert all(truth[m, comp] == "up" for m in up), comp
        assert all(truth[m, comp] == "down" for m in down), comp
    # treated groups mixing responders and non-responders: only some patients normalise
    for comp in ["anakinra_M1", "anakinra_M6", "placebo_M6"]:
        assert all(truth[m, comp] == "partial" and shift[m, comp] == "up" for m in up), comp
        assert all(truth[m, comp] == "partial" and shift[m, comp] == "down" for m in down), comp
    assert all(truth[m, "responders_M6"] == "none" for m in up + down)
    assert all(truth[m, "anakinra_M1_vs_D1"] == "partial" for m in up + down)
    assert all(shift[m, "anakinra_M1_vs_D1"] == "down" for m in up)
    assert all(shift[m, "anakinra_M1_vs_D1"] == "up" for m in down)
    # interferon rises after anakinra "in every group" (anakinra M1/M6 and placebo M6)
    ifn = {c: truth["M3.1", c] for c in truth.index.get_level_values(1).unique()}
    assert ifn == {
        "anakinra_D1": "none", "anakinra_M1": "up", "anakinra_M6": "up", "placebo_D1": "none",
        "placebo_M1": "none", "placebo_M6": "up", "responders_M6": "up",
        "nonresponders_M6": "up", "anakinra_M1_vs_D1": "up",
    }  # fmt: skip
    others = [m for m in truth.index.get_level_values(0).unique() if m not in up + down]
    assert all(truth[m, c] == "none" for m in others if m != "M3.1" for c in ifn)


def _flags(values, case, control) -> pd.Series:
    test = mannwhitneyu(
        values[case].to_numpy(), values[control].to_numpy(), axis=1, nan_policy="omit"
    )
    sign = np.sign(test.statistic - len(case) * len(control) / 2)
    return pd.Series(np.where(test.pvalue < 0.05, sign, 0), index=values.index)


def test_interferon_rises_after_the_switch_to_anakinra(expression, samples, bridge_from_tables):
    """M3.1 genes vs healthy (scipy Mann-Whitney): up in placebo at M6 (on open-label anakinra
    since M1) and anakinra at M1, not in placebo at M1 (still on placebo)."""
    values = expression.set_index("feature_id").replace("", np.nan).astype(float)
    healthy = samples.loc[samples["group"] == "healthy", "sample_id"]
    kept = bridge_from_tables[bridge_from_tables["status"] == "unambiguous"]
    ifn = kept.loc[kept["module_id"] == "M3.1", "target_id"].unique()

    def share_up(arm: str, visit: str) -> float:
        case = samples.query("arm == @arm and timepoint == @visit")["sample_id"]
        return float((_flags(values.loc[ifn], case, healthy) > 0).mean())

    assert share_up("placebo", "M6") > 0.5 and share_up("anakinra", "M1") > 0.5
    assert share_up("placebo", "M1") < 0.15 and share_up("placebo", "D1") < 0.15


def test_planted_effects_are_detectable(expression, samples, bridge_from_tables):
    values = expression.set_index("feature_id").replace("", np.nan).astype(float)
    healthy = samples.loc[samples["group"] == "healthy", "sample_id"]
    d1 = samples.query("arm == 'anakinra' and timepoint == 'D1'")["sample_id"]
    test = mannwhitneyu(
        values[d1].to_numpy(), values[healthy].to_numpy(), axis=1, nan_policy="omit"
    )
    flagged = pd.Series(
        np.where(test.pvalue < 0.05, np.sign(test.statistic - len(d1) * len(healthy) / 2), 0),
        index=values.index,
    )
    kept = bridge_from_tables[bridge_from_tables["status"] == "unambiguous"]
    truth = _read("truth.tsv").query("comparison == 'anakinra_D1'")
    null_rates = []
    for _, row in truth.iterrows():
        genes = flagged[kept.loc[kept["module_id"] == row["module_id"], "target_id"].unique()]
        if row["direction"] == "up":
            assert (genes > 0).mean() > 0.5, row["module_id"]
        elif row["direction"] == "down":
            assert (genes < 0).mean() > 0.5, row["module_id"]
        else:
            null_rates.append((genes != 0).mean())
    assert 0.01 < np.mean(null_rates) < 0.10  # ~5 % by chance


def test_bad_config_is_reported(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("samples: {path: x}\n")
    with pytest.raises(InputError, match="no 'comparisons' list"):
        toy.read_comparisons(config)
    rng = np.random.default_rng(1)
    subjects = toy.make_subjects(rng)
    responses = toy_trial.planted_responses(toy_trial.plan_courses(subjects, rng=rng))
    m6 = responses[responses["visit"] == "M6"]
    sheet = toy.make_samples(
        subjects, dict(zip(m6["subject_id"], m6["primary"], strict=True)), rng=rng
    )
    states = toy.planted_states(sheet, responses)
    bad = [{"name": "x", "case": {"visit": "D1"}, "control": {"group": "healthy"}}]
    with pytest.raises(InputError, match="column 'visit' is not in the toy sample sheet"):
        toy.derive_truth(states, sheet, bad, ["M1.1"])


def test_module_probe_ids_look_affymetrix():
    ids = _read("modules.tsv")["feature_id"]
    assert all(re.fullmatch(r"\d{6}(_s|_x)?_at", i) for i in ids)
