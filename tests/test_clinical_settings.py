"""The clinical config section: flat option dicts and the cross-checks the schema cannot make."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from snakemake.utils import validate

from modmap.clinical.settings import check_settings, evaluate_params, table_params
from modmap.errors import InputError

REPO = Path(__file__).resolve().parents[1]


def _config(tmp_path, **clinical):
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    path = tmp_path / "clin.tsv"
    path.write_text("subject_id\n")
    config["clinical"] = {
        "path": str(path),
        "visits": ["D1", "M1", "M6"],
        "baseline": "D1",
        **clinical,
    }
    validate(config, str(REPO / "workflow" / "schemas" / "config.schema.yaml"))
    return config["clinical"]


def test_defaults_are_the_papers(tmp_path):
    clinical = _config(tmp_path, responder={"visit": "M6"})
    run = evaluate_params(clinical)
    assert (run["crp_normal"], run["esr_normal"], run["crp_below"]) == (6.0, 10.0, 15.0)
    assert (run["prednisone_mg_kg_day"], run["prednisone_mg_day"]) == (0.3, 10.0)
    assert clinical["responder"] == {
        "visit": "M6",
        "definition": "primary",
        "column": "responder",
        "subject_column": "subject_id",
    }
    tables = table_params(clinical)
    assert tables["table2_visit"] == "M1"  # first visit after the baseline
    assert [r["test"] for r in tables["table2_rows"]] == ["chisq"] * 5 + ["fisher"] * 3
    check_settings(clinical)


@pytest.mark.parametrize(
    "clinical,expected",
    [
        ({"responder": {"visit": "M3"}}, "clinical.responder.visit: 'M3' is not one of"),
        ({"responder": {"visit": "D1"}}, "clinical.responder.visit: 'D1' is the baseline"),
        ({"table2": {"visit": "M12"}}, "clinical.table2.visit: 'M12' is not one of"),
        ({"baseline": "M6"}, "clinical.baseline: 'M6' is the last of clinical.visits"),
        ({"visits": ["D1", "M1", "M1"]}, "a visit is listed twice"),
        ({"followup": "nowhere.tsv"}, "clinical.followup: file 'nowhere.tsv' does not exist"),
        ({"double_blind_until": "M2"}, "clinical.double_blind_until: 'M2' is not one of"),
        (
            {"double_blind_until": "D1"},
            "clinical.double_blind_until: 'D1' is the baseline; the double-blind period runs",
        ),
    ],
)
def test_bad_settings(tmp_path, clinical, expected):
    with pytest.raises(InputError, match=expected):
        check_settings(_config(tmp_path, **clinical))


def test_adverse_events_need_followup(tmp_path):
    events = tmp_path / "ae.tsv"
    events.write_text("subject_id\n")
    with pytest.raises(InputError, match="adverse_events and followup go together"):
        check_settings(_config(tmp_path, adverse_events=str(events)))


def test_rule_params_per_clinical_rule(tmp_path):
    from modmap.clinical.settings import clinical_rule_params

    assert clinical_rule_params({"comparisons": []}) == {}
    clinical = _config(tmp_path, responder={"visit": "M6", "column": "resp"})
    params = clinical_rule_params({"clinical": clinical})
    assert params["clinical_responders"] == {
        "visits": ["D1", "M1", "M6"],
        "baseline": "D1",
        "columns": {},
        "definition": "primary",
        "visit": "M6",
    }
    assert params["validate_responder"]["responder"] == {
        "column": "resp",
        "subject_column": "subject_id",
    }
    assert params["clinical_tables"]["table2_visit"] == "M1"
    # no sheet rows, no period split by default
    assert params["clinical_tables"]["table1_sheet"] is None
    assert params["clinical_tables"]["double_blind_until"] is None
    clinical = _config(
        tmp_path,
        double_blind_until="M1",
        table1_samples={"rows": [{"column": "age"}], "visit_column": "timepoint"},
    )
    tables = clinical_rule_params({"clinical": clinical})["clinical_tables"]
    assert tables["double_blind_until"] == "M1"
    assert tables["table1_sheet"]["subject_column"] == "subject_id"
    assert tables["table1_sheet"]["visit_column"] == "timepoint"
    assert [(r["column"], r["summary"]) for r in tables["table1_sheet"]["rows"]] == [
        ("age", "mean_sd")
    ]
    clinical = _config(tmp_path, responder={"visit": "M6"})
    clinical.pop("responder")
    assert clinical_rule_params({"clinical": clinical})["validate_responder"]["responder"] is None
