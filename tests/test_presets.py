"""statistics.preset: fills only the keys the user did not write, before schema defaults."""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import pytest
import yaml

from modmap.errors import InputError
from modmap.presets import PRESETS, apply_preset

REPO = Path(__file__).resolve().parents[1]

# BloodGen3Module 0.99.42 Groupcomparison, read off its source
# (/work/shared/reference/bloodgen3module/Groupcomparison.R), written out here by hand.
BLOODGEN3 = {
    "expression.scale": "linear",  # data.matrix: "not Log2 transformed"
    "expression.offset": 1,  # log(df_raw + 1, 2)
    "modules.min_genes": 1,  # every module with a gene in the matrix is scored
    "statistics.test": "student",  # t.test(..., var.equal = TRUE)
    "statistics.fdr": True,  # p.adjust(x, method = "fdr")
    "statistics.fdr_over": "module_members",  # over the rows of df.mod (module-gene pairs)
    "statistics.threshold_on": "q_value",  # FDR = TRUE
    "statistics.alpha": 0.1,  # Pvalue_cutoff < pval, pval = 0.1
    "statistics.fold_change_cutoff": 1.5,  # FCgroup > FC_cutoff, FC = 1.5 (its docs' default)
    "statistics.fold_change_on": "fold_change",  # gtools::foldchange of raw means
    "statistics.direction_from": "fold_change",  # up/down from FCgroup, not from t
    "statistics.untestable": "p_one",  # mean(T1) == mean(T2) -> p = 1
    "statistics.percent_of": "present",  # sums / genes present * 100
    "module_map.value": "net",  # (n_up - n_down) / genes
    "module_map.min_pct": 15,  # gridplot cutoff = 15
}


def _flat(config: dict) -> dict:
    return {
        f"{section}.{key}": value
        for section, block in config.items()
        if isinstance(block, dict)
        for key, value in block.items()
    }


def test_bloodgen3_preset_fills_every_setting_of_groupcomparison():
    config = {"statistics": {"preset": "bloodgen3module"}, "comparisons": []}
    filled = apply_preset(config)
    assert sorted(filled) == sorted(BLOODGEN3)
    flat = _flat(config)
    assert {k: flat[k] for k in BLOODGEN3} == BLOODGEN3


def test_explicit_keys_win_over_the_preset():
    config = {
        "statistics": {"preset": "bloodgen3module", "alpha": 0.05, "test": "welch"},
        "expression": {"path": "x.tsv", "offset": 0},
        "module_map": None,
    }
    filled = apply_preset(config)
    assert config["statistics"]["alpha"] == 0.05 and config["statistics"]["test"] == "welch"
    assert config["expression"] == {"path": "x.tsv", "offset": 0, "scale": "linear"}
    assert "statistics.alpha" not in filled and "expression.offset" not in filled
    assert config["module_map"] == {"value": "net", "min_pct": 15}


def test_no_preset_changes_nothing_and_unknown_preset_is_an_error():
    config = {"statistics": {"test": "wilcoxon"}}
    before = copy.deepcopy(config)
    assert apply_preset(config) == [] and config == before
    assert apply_preset({"statistics": {"preset": "none"}}) == []
    with pytest.raises(InputError, match="statistics.preset is 'limma'; use one of: none"):
        apply_preset({"statistics": {"preset": "limma"}})


def test_preset_values_are_valid_config_values():
    schema = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
    config = yaml.safe_load((REPO / "config" / "gse13015_bloodgen3.yaml").read_text())
    apply_preset(config)
    jsonschema.validate(config, schema)
    assert set(PRESETS) == {"bloodgen3module"}
