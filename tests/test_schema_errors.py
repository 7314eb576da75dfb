"""Config schema errors in one line: key path, value, expectation, closest valid key.

The defaults filled in are compared with snakemake.utils.validate's on the same config (the
behaviour modmap.schema replaces).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from modmap.errors import InputError
from modmap.schema import key_path, validate_config

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


@pytest.fixture
def config() -> dict:
    return yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def _error(config: dict) -> str:
    with pytest.raises(InputError) as info:
        validate_config(config, SCHEMA)
    message = str(info.value)
    assert "\n" not in message and len(message) < 700, message
    return message


def test_valid_config_gets_the_same_defaults_as_snakemake(config):
    from snakemake.utils import validate

    minimal = {
        "expression": {"path": "m.tsv"},
        "samples": {"path": "s.tsv"},
        "modules": {"path": "mods.tsv"},
        "comparisons": config["comparisons"],
    }
    ours, theirs = copy.deepcopy(minimal), copy.deepcopy(minimal)
    validate_config(ours, SCHEMA)
    validate(theirs, str(SCHEMA))
    assert ours == theirs
    assert ours["statistics"]["alpha"] == 0.05  # a default was filled in


def test_top_level_typo_names_the_key_and_the_closest_one_not_the_schema(config):
    config["heatmap"] = config.pop("heatmaps")
    message = _error(config)
    assert message.startswith("config: unknown key 'heatmap' (value {'modules': ['M3.1']")
    assert "Did you mean 'heatmaps'?" in message
    assert "$schema" not in message and "description" not in message


def test_nested_typo(config):
    config["statistics"]["alpah"] = 0.01
    message = _error(config)
    assert "unknown key 'statistics.alpah' (value 0.01). Did you mean 'alpha'?" in message
    valid = message.split("Valid keys at statistics: ")[1].split(". Fix")[0].split(", ")
    assert {"test", "alpha", "threshold_on"} <= set(valid)


def test_unknown_key_without_a_close_match_gets_no_guess(config):
    config["zzzz"] = 1
    assert "Did you mean" not in _error(config)


@pytest.mark.parametrize(
    ("where", "value", "says"),
    [
        (
            ("statistics", "alpha"),
            "high",
            "key 'statistics.alpha': 'high' is not of type 'number'; expected a number",
        ),
        (("statistics", "alpha"), 1.5, "key 'statistics.alpha': 1.5 is"),
        (("statistics", "test"), "ttest", "; expected one of 'wilcoxon', 'welch'"),
        (("module_map", "value"), 3, "key 'module_map.value': 3 is"),
        (
            ("comparisons", 0, "name"),
            "bad name",
            "key 'comparisons[0].name': 'bad name' does not match",
        ),
    ],
)
def test_bad_value_names_key_value_and_expectation(config, where, value, says):
    node = config
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    assert says in _error(config)


def test_missing_required_key(config):
    del config["comparisons"][1]["case"]
    assert "required key 'comparisons[1].case' is missing" in _error(config)


def test_several_problems_are_counted(config):
    config["statistics"]["alpha"] = "x"
    config["module_map"]["value"] = 3
    assert "(problems at 1 more key(s) after this one.)" in _error(config)


def test_key_path():
    assert key_path(["heatmaps", "modules", 0]) == "heatmaps.modules[0]"
    assert key_path([]) == "(top level)"
