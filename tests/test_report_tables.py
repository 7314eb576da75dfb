"""modmap.report_tables: the report's tables a config turns on, their titles and caption strings.

Rule report_tables renders exactly these tables (its inputs and outputs are keyed by the same
names); the end-to-end check that the pages and captions are the same as one job per table made is
in the workflow tests (tests/test_workflow_*.py).
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from snakemake.utils import validate

from modmap.report_tables import TABLES, report_table_params
from modmap.settings import comparison_labels

REPO = Path(__file__).resolve().parents[1]
SCHEMA = str(REPO / "workflow" / "schemas" / "config.schema.yaml")
ALWAYS = ["module_scores", "bridge_summary", "module_enrichment"]
LONGITUDINAL = {
    "signature": ["signature_counts"],
    "analytes": ["analyte_tests"],
    "labs": ["lab_summary"],
    "survival": ["time_to_flare"],
    "transcripts": ["transcript_counts", "transcript_sets"],
}


def _toy(edit=None) -> dict:
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    if edit is not None:
        edit(config)
    config = copy.deepcopy(config)
    validate(config, SCHEMA)  # the schema's defaults, as the workflow fills them in
    return config


def _params(config: dict) -> dict:
    return report_table_params(config, labels=comparison_labels(config))


def test_the_toy_config_turns_every_table_on_in_order():
    params = _params(_toy())
    assert list(params) == list(TABLES) and len(TABLES) == 13
    assert {n for n, t in params.items() if t["significant"]} == {"module_enrichment"}
    assert {n for n, t in params.items() if t["display"] == "clinical"} == {
        "clinical_table1",
        "clinical_table2",
        "clinical_table3",
        "clinical_responders",
    }
    assert params["module_scores"]["title"] == (
        "Module scores (% of tested genes changed, per comparison)"
    )


def _without(*sections):
    def edit(config):
        for name in sections:
            config.pop(name, None)

    return edit


def test_sections_that_are_off_have_no_table():
    params = _params(_toy(_without("clinical", *LONGITUDINAL)))
    assert list(params) == ALWAYS
    for name, tables in LONGITUDINAL.items():
        others = [s for s in LONGITUDINAL if s != name]
        assert list(_params(_toy(_without("clinical", *others)))) == ALWAYS + tables, name


def test_table3_needs_adverse_events_and_responders_a_responder_definition():
    def edit(config):
        for key in ("adverse_events", "followup", "responder", "double_blind_until"):
            del config["clinical"][key]

    params = _params(_toy(edit))
    assert [n for n in params if n.startswith("clinical_")] == [
        "clinical_table1",
        "clinical_table2",
    ]


def test_caption_strings_are_escaped_user_text():
    def edit(config):
        labels = {"responders_M6": "resp*M6", "nonresponders_M6": "non_resp", "placebo_M1": "p<1>"}
        for comparison in config["comparisons"]:
            if comparison["name"] in labels:
                comparison["label"] = labels[comparison["name"]]
        config["signature"]["baseline"] = "placebo_M1"
        config["analytes"]["group_by"] = None
        config["labs"]["baseline"] = "D_1"

    params = _params(_toy(edit))
    sig = params["signature_counts"]["caption"]
    # every character but letters, digits and spaces backslash-escaped (reStructuredText)
    assert sig["follow"] == [
        ["resp\\*M6", "p\\<1\\>"],
        ["non\\_resp", "p\\<1\\>"],
        ["p\\<1\\>", "p\\<1\\>"],
    ]
    assert params["analyte_tests"]["caption"] == {
        "test": "paired_t",
        "baseline": "D1",
        "visit": "M6",
        "group_by": "all subjects",
    }
    assert params["lab_summary"]["caption"]["baseline"] == "D\\_1"
    responders = params["clinical_responders"]["caption"]
    assert (responders["definition"], responders["visit"]) == ("primary", "M6")
    assert responders["subject_column"] == "subject\\_id"
    # Table 2's visit: the first after the baseline when clinical.table2.visit is not set
    table2 = params["clinical_table2"]["caption"]
    assert (table2["visit"], table2["baseline"], table2["missing"]) == (
        "M1",
        "D1",
        "non_responder",
    )
    assert params["clinical_table3"]["caption"] == {"double_blind_until": "M1"}
