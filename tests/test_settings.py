"""The rule glue (modmap.settings) on configs that have been through the schema, as the workflow
sees them: every rule's keyword dict is accepted by the library function its script calls."""

from __future__ import annotations

import copy
import inspect
from pathlib import Path

import pytest
import yaml
from snakemake.utils import validate

from modmap import settings
from modmap.bridge import run_bridge
from modmap.design import check_sample_sheet, heatmap_columns, resolve_comparisons
from modmap.errors import InputError
from modmap.longitudinal.options import longitudinal_params
from modmap.plots import plot_module_dots, plot_module_heatmap, plot_module_map
from modmap.plots.fingerprint import distance_figure, fingerprint_figure
from modmap.plots.tables import table_html
from modmap.stats import gene_tests, module_scores
from modmap.stats.enrichment import enriched_modules, module_enrichment
from modmap.stats.fingerprints import per_sample_tables
from modmap.validate import prepare_expression, resolve_headers

REPO = Path(__file__).resolve().parents[1]
SCHEMA = str(REPO / "workflow" / "schemas" / "config.schema.yaml")

MINIMAL = {
    "expression": {"path": "matrix.tsv"},
    "samples": {"path": "sheet.tsv"},
    "modules": {"path": "modules.gmt"},
    "comparisons": [
        {"name": "sick", "case": {"group": "sick"}, "control": {"group": "well"}},
        {
            "name": "later",
            "case": {"visit": 2},
            "control": {"visit": 1},
            "paired_by": "subject",
        },
    ],
}


def _validated(config: dict) -> dict:
    config = copy.deepcopy(config)
    validate(config, SCHEMA)  # fills in the schema's defaults, as the workflow does
    return config


def _toy() -> dict:
    return _validated(yaml.safe_load((REPO / "config" / "config.yaml").read_text()))


def _accepts(func, run: dict, *, given: set[str] = frozenset(), popped=()) -> None:
    """``func(..., **run)`` binds: no unknown key, and every required keyword is supplied."""
    run = {k: v for k, v in run.items() if k not in popped}
    params = inspect.signature(func).parameters
    unknown = set(run) - set(params)
    assert not unknown, (func.__name__, unknown)
    required = {
        name
        for name, p in params.items()
        if p.kind is p.KEYWORD_ONLY and p.default is inspect.Parameter.empty
    }
    assert required <= set(run) | set(given), (func.__name__, required - set(run) - set(given))


@pytest.mark.parametrize("config", [_toy, lambda: _validated(MINIMAL)], ids=["toy", "minimal"])
def test_every_rule_dict_binds_to_the_library_call_of_its_script(config):
    params = settings.rule_params(config())
    # the clinical rules (toy config's clinical section) are checked by the clinical tests;
    # the longitudinal rules' dicts in test_longitudinal_options.py
    assert {k for k in params if not k.startswith("clinical_")} == {
        "validate",
        "bridge",
        "gene_tests",
        "module_scores",
        "module_figures",
        "report_tables",
        "sample_fingerprints",
        "sample_figures",
    } | set(longitudinal_params(config()))
    # scripts/gene_tests.py: gene_tests(expression, design, comparison=, threads=, **run)
    _accepts(gene_tests, params["gene_tests"], given={"comparison", "threads"})
    # scripts/module_scores.py pops the comparisons that name the gene tables
    _accepts(module_scores, params["module_scores"], popped={"comparisons"})
    # scripts/module_figures.py: one dict per figure of the job
    figures = params["module_figures"]
    assert set(figures) == {"module_map", "module_dots", "heatmap"}
    _accepts(plot_module_map, figures["module_map"])
    # the dot matrix pops the enrichment keys that choose the ringed modules
    ring = ("enrichment_test", "enrichment_alpha")
    _accepts(plot_module_dots, figures["module_dots"], popped=ring)
    _accepts(
        enriched_modules,
        {"test": figures["module_dots"][ring[0]], "alpha": figures["module_dots"][ring[1]]},
    )
    # scripts/module_scores.py also calls module_enrichment(genes, membership, annotation)
    _accepts(module_enrichment, {})
    # scripts/report_table.py: table_html(table, title=, significant=) per table
    for name, table in params["report_tables"].items():
        _accepts(table_html, table, popped={"display", "caption"})
        assert table["display"] in ("plain", "clinical"), name
    _accepts(per_sample_tables, params["sample_fingerprints"])
    # scripts/sample_figures.py: one keyword dict per figure
    assert set(params["sample_figures"]) == {"fingerprints", "distance"}
    _accepts(fingerprint_figure, params["sample_figures"]["fingerprints"])
    _accepts(distance_figure, params["sample_figures"]["distance"])
    # scripts/bridge.py pops the heatmap modules it checks; the paths come from the rule
    _accepts(
        run_bridge,
        params["bridge"],
        given={"modules_path", "expression_path"},
        popped={"heatmap_modules"},
    )
    # scripts/module_figures.py (the heatmaps): the three selection keys go to heatmap_columns,
    # the rest to the plot
    shown = ("reference", "comparisons", "labels")
    _accepts(heatmap_columns, {k: figures["heatmap"][k] for k in shown})
    _accepts(plot_module_heatmap, figures["heatmap"], given={"module"}, popped=shown)
    # scripts/validate.py
    run = params["validate"]
    _accepts(check_sample_sheet, {"id_column": run["id_column"]}, given={"path"})
    _accepts(
        resolve_comparisons,
        {"min_group_size": run["min_group_size"]},
        given={"sheet_path"},
    )
    _accepts(
        prepare_expression,
        {"scale": run["scale"], "offset": run["offset"], "collapse": run["collapse"]},
        given={"sample_ids", "path", "first_line"},
    )
    _accepts(resolve_headers, {"policy": run["duplicate_headers"]}, given={"path", "sheet_path"})
    _accepts(table_html, {"title": "x"})


def test_toy_values_reach_the_rules_unchanged():
    config = _toy()
    params = settings.rule_params(config)
    assert params["gene_tests"] == {
        "test": "wilcoxon",
        "fdr": False,
        "min_group_size": 3,
        "exact_with_ties": False,
        "untestable": "exclude",
        "linear_offset": None,
    }
    assert params["module_scores"] == {
        "comparisons": [c["name"] for c in config["comparisons"]],
        "alpha": 0.05,
        "threshold_on": "p_value",
        "fold_change_cutoff": 0,
        "fold_change_on": "log2_fc",
        "direction_from": "statistic",
        "percent_of": "tested",
        "untestable": "exclude",
    }
    assert params["bridge"]["collapse"] == "none" and params["validate"]["offset"] == 0
    assert params["module_figures"]["module_map"]["core_comparisons"] == [
        "anakinra_D1",
        "placebo_D1",
    ]
    assert params["module_figures"]["heatmap"]["comparisons"] == config["heatmaps"]["comparisons"]
    assert params["bridge"]["source"] == {
        "path": "resources/toy/platform_affymetrix.tsv",
        "format": "auto",
        "columns": {},
    }
    assert params["bridge"]["heatmap_modules"] == ["M3.1"]
    assert params["module_scores"]["comparisons"] == [c["name"] for c in config["comparisons"]]


def test_minimal_config_gets_neutral_defaults():
    config = _validated(MINIMAL)
    params = settings.rule_params(config)
    assert params["module_figures"]["module_map"]["core_comparisons"] == []
    assert params["bridge"]["heatmap_modules"] == []
    assert params["module_figures"]["heatmap"]["reference"] is None
    # heatmaps.comparisons null = every unpaired comparison
    assert params["module_figures"]["heatmap"]["comparisons"] == ["sick"]
    assert params["module_figures"]["module_map"]["labels"] == {"sick": "sick", "later": "later"}
    assert params["bridge"]["source"] is None and params["bridge"]["target"] is None
    assert settings.bridge_inputs(config) == {"modules": "modules.gmt"}


def test_schema_defaults_name_no_cohort():
    # No default may describe the toy cohort: its paths, comparisons, modules or groups.
    text = yaml.safe_dump(_validated(MINIMAL))
    for toy in ("resources/toy", "samples.tsv", "anakinra", "placebo", "M3.1", "healthy"):
        assert toy not in text, toy


@pytest.mark.parametrize("key", settings.REQUIRED_KEYS)
def test_each_required_key_is_named_when_missing(key):
    config = copy.deepcopy(MINIMAL)
    section, _, leaf = key.partition(".")
    if leaf:
        del config[section][leaf]
    else:
        del config[section]
    with pytest.raises(InputError, match=f"required key\\(s\\) {key.replace('.', '[.]')} not"):
        settings.check_required(config)


def test_empty_config_names_every_required_key():
    with pytest.raises(InputError) as err:
        settings.check_required({})
    assert all(k in str(err.value) for k in settings.REQUIRED_KEYS)


def _checked(tmp_path, **changes) -> dict:
    for name in ("matrix.tsv", "sheet.tsv", "modules.gmt"):
        (tmp_path / name).write_text("x\n")
    config = copy.deepcopy(MINIMAL)
    for key in ("expression", "samples", "modules"):
        config[key]["path"] = str(tmp_path / config[key]["path"])
    for dotted, value in changes.items():
        section, leaf = dotted.split("__")
        config.setdefault(section, {})[leaf] = value
    return _validated(config)


def test_check_config_says_which_parts_are_off(tmp_path):
    notes = settings.check_config(_checked(tmp_path))
    assert any("core_signature is empty" in n for n in notes)
    assert any("no module heatmaps" in n for n in notes)


def test_q_value_without_fdr_is_caught_once_in_settings(tmp_path):
    config = _checked(tmp_path, statistics__threshold_on="q_value")
    with pytest.raises(InputError, match="set fdr: true"):
        settings.check_config(config)
    config["statistics"]["fdr"] = True
    settings.check_config(config)


def test_unknown_core_signature_name(tmp_path):
    config = _checked(tmp_path, module_map__core_signature=["sick", "nope"])
    with pytest.raises(InputError, match="module_map.core_signature: 'nope'"):
        settings.check_config(config)


def test_heatmap_modules_need_a_reference(tmp_path):
    config = _checked(tmp_path, heatmaps__modules=["M1"])
    with pytest.raises(InputError, match="heatmaps.reference is not set"):
        settings.check_config(config)
    config["heatmaps"]["reference"] = {"group": "well"}
    assert not any("heatmaps" in n for n in settings.check_config(config))


def test_fold_change_and_offset_need_linear_data(tmp_path):
    for changes, match in (
        ({"expression__offset": 1}, "expression.offset is 1 but expression.scale is log2"),
        (
            {"statistics__fold_change_on": "fold_change", "statistics__fold_change_cutoff": 1.5},
            "fold_change_on: log2_fc",
        ),
    ):
        with pytest.raises(InputError, match=match):
            settings.check_config(_checked(tmp_path, **changes))
    ok = _checked(
        tmp_path,
        expression__scale="linear",
        expression__offset=1,
        statistics__fold_change_on="fold_change",
        statistics__direction_from="fold_change",
    )
    settings.check_config(ok)


def test_bloodgen3_preset_reaches_the_rules():
    from modmap.presets import apply_preset

    config = yaml.safe_load((REPO / "config" / "gse13015_bloodgen3.yaml").read_text())
    apply_preset(config)
    params = settings.rule_params(_validated(config))
    assert params["gene_tests"]["test"] == "student"
    assert params["gene_tests"]["linear_offset"] == 1
    assert params["gene_tests"]["untestable"] == "p_one"
    assert params["validate"]["scale"] == "linear" and params["validate"]["offset"] == 1
    assert params["bridge"]["min_genes"] == 1
    assert params["module_scores"]["fold_change_cutoff"] == 1.5
    assert params["module_scores"]["percent_of"] == "present"
