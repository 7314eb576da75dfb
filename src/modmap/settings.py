"""The validated config and the parameters of every rule, in one place.

The workflow validates the config against ``workflow/schemas/config.schema.yaml`` (which fills in
every default: the schema is the only place defaults are written), then calls, at parse time:

1. :func:`check_required` (before the schema, for a clear message naming the missing keys);
2. :func:`check_config` (files exist, names refer to comparisons, option combinations make sense);
3. :func:`rule_params`, which turns the config into one flat keyword dict per rule. A rule passes
   its dict as ``params: run=PARAMS["gene_tests"]`` and its script calls the library with
   ``**smk.params.run`` (keys that only route files, such as ``comparisons`` for the gene tables
   of ``module_scores``, are popped by the script first).

Nothing here reads a file or knows a ``results/`` path: the rules own the paths.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from modmap.clinical.settings import check_settings as check_clinical_settings
from modmap.clinical.settings import clinical_rule_params
from modmap.design import show_values
from modmap.errors import InputError
from modmap.longitudinal.options import check_longitudinal, longitudinal_params
from modmap.report_tables import report_table_params

__all__ = [
    "REQUIRED_KEYS",
    "bridge_inputs",
    "check_config",
    "check_required",
    "comparison_labels",
    "comparison_names",
    "heatmap_comparisons",
    "heatmap_modules",
    "rule_params",
]

#: Keys a config must set: a run cannot guess its data or its questions.
REQUIRED_KEYS = ("expression.path", "samples.path", "modules.path", "comparisons")

Config = Mapping[str, Any]


def check_required(config: Config) -> None:
    """Raise one :class:`InputError` naming every required key the config does not set.

    Run before the schema validation, whose message for a missing key is less direct.

    Raises
    ------
    InputError
        Lists the missing keys of :data:`REQUIRED_KEYS`, with an example config to start from.
    """
    missing = []
    for key in REQUIRED_KEYS:
        node: Any = config
        for part in key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node in (None, "", [], {}):
            missing.append(key)
    if missing:
        raise InputError(
            f"config: required key(s) {', '.join(missing)} not set. A config names its data "
            "(expression.path, samples.path, modules.path) and its comparisons; pass one with "
            "--configfile (config/config.yaml is the bundled toy cohort's, a complete example)."
        )


def comparison_names(config: Config) -> list[str]:
    """Comparison names in config order (the ``{comparison}`` wildcard values)."""
    return [c["name"] for c in config["comparisons"]]


def comparison_labels(config: Config) -> dict[str, str]:
    """Comparison name -> figure label (the name when no label is set)."""
    return {c["name"]: c["label"] or c["name"] for c in config["comparisons"]}


def heatmap_comparisons(config: Config) -> list[str]:
    """``heatmaps.comparisons``, or every unpaired comparison in config order when null."""
    listed = config["heatmaps"]["comparisons"]
    if listed is not None:
        return list(listed)
    return [c["name"] for c in config["comparisons"] if not c["paired_by"]]


def heatmap_modules(config: Config) -> list[str]:
    """Module IDs that get a heatmap (``heatmaps.modules``; empty = no heatmaps)."""
    return list(config["heatmaps"]["modules"])


def _table(spec: Mapping[str, Any] | None) -> dict | None:
    """A ``bridge.source``/``bridge.target`` section, or None when absent or pathless."""
    return dict(spec) if spec and spec.get("path") else None


def bridge_inputs(config: Config) -> dict[str, str]:
    """Config files rule bridge reads: module file, annotation tables, alias table (if used)."""
    bridge = config["bridge"]
    inputs = {"modules": config["modules"]["path"]}
    for side in ("source", "target"):
        spec = _table(bridge[side])
        if spec is not None:
            inputs[side] = spec["path"]
    if bridge["update_symbols"]:
        inputs["aliases"] = bridge["alias_table"]
    return inputs


def check_config(config: Config) -> list[str]:
    """Check cross-references and input files of a schema-validated config.

    The one place for rules that span keys (the schema checks each key alone).

    Returns
    -------
    list of str
        INFO lines for parts of the run the config switches off (no core signature, no
        heatmaps), for the workflow to log.

    Raises
    ------
    InputError
        An input file that does not exist; a ``module_map.core_signature`` or
        ``heatmaps.comparisons`` entry naming no comparison; ``threshold_on: q_value`` without
        ``fdr: true``; ``expression.offset`` with a log2 matrix; ``fold_change_on:
        fold_change`` used on a log2 matrix; heatmap modules without ``heatmaps.reference``; a
        bad reference in a longitudinal section
        (:func:`modmap.longitudinal.options.check_longitudinal`).
    """
    names = comparison_names(config)
    files = [
        ("expression.path", config["expression"]["path"]),
        ("samples.path", config["samples"]["path"]),
        ("modules.path", config["modules"]["path"]),
    ]
    for side in ("source", "target"):
        spec = _table(config["bridge"][side])
        if spec is not None:
            files.append((f"bridge.{side}.path", spec["path"]))
    if config["bridge"]["update_symbols"]:
        files.append(("bridge.alias_table", config["bridge"]["alias_table"]))
    for key, path in files:
        if not os.path.isfile(path):
            raise InputError(
                f"config {key}: file {path!r} does not exist (relative paths are read from "
                f"{os.getcwd()}). Set {key} in your config file to an existing file."
            )
    for key, listed, hint in (
        (
            "module_map.core_signature",
            config["module_map"]["core_signature"],
            " Set it to your own comparisons, or to [] for no outline.",
        ),
        (
            "heatmaps.comparisons",
            config["heatmaps"]["comparisons"] or [],
            " Set it to your own comparisons, or to null for every unpaired one.",
        ),
    ):
        unknown = [n for n in listed if n not in names]
        if unknown:
            raise InputError(
                f"config {key}: {show_values(unknown)} is not a comparison name (names: "
                f"{show_values(names)}).{hint}"
            )
    check_longitudinal(config)
    stats = config["statistics"]
    if stats["threshold_on"] == "q_value" and not stats["fdr"]:
        raise InputError(
            "config statistics.threshold_on is q_value but statistics.fdr is false: set fdr: true "
            "so q-values are computed, or use threshold_on: p_value."
        )
    linear = config["expression"]["scale"] == "linear"
    if config["expression"]["offset"] and not linear:
        raise InputError(
            f"config expression.offset is {config['expression']['offset']} but expression.scale "
            "is log2: the offset is added to linear values before log2. Set expression.scale: "
            "linear, or expression.offset: 0."
        )
    uses_fold = stats["fold_change_cutoff"] > 0 or stats["direction_from"] == "fold_change"
    if stats["fold_change_on"] == "fold_change" and uses_fold and not linear:
        raise InputError(
            "config statistics.fold_change_on is fold_change (the ratio of linear group means) "
            "but expression.scale is log2, so there is no linear fold change: set "
            "expression.scale: linear for a matrix of linear values, or fold_change_on: log2_fc."
        )
    notes = []
    if not config["module_map"]["core_signature"]:
        notes.append("module_map.core_signature is empty: the module map has no core outline.")
    if not heatmap_modules(config):
        notes.append("heatmaps.modules is empty: no module heatmaps are drawn.")
    elif not config["heatmaps"]["reference"]:
        raise InputError(
            f"config heatmaps.modules lists {show_values(heatmap_modules(config))} but "
            "heatmaps.reference is not set: name the samples each gene is normalised to, e.g. "
            "reference: {group: healthy}, or set heatmaps.modules: []."
        )
    if config.get("clinical"):
        check_clinical_settings(config["clinical"])
    return notes


def rule_params(config: Config) -> dict[str, dict[str, Any]]:
    """Rule name -> the flat keyword dict its script passes to the library (``params.run``).

    Parameters
    ----------
    config
        The config after schema validation with defaults filled in (every key present).

    Returns
    -------
    dict
        One entry per rule that takes options: ``validate``, ``bridge``, ``gene_tests``,
        ``module_scores`` (the job also writes the rank enrichment table, which takes no
        option), ``module_figures`` (``module_map``, ``module_dots`` and ``heatmap``: one
        dict per figure of that job),
        ``report_tables`` (:func:`modmap.report_tables.report_table_params`: one entry per HTML
        table of the report), ``sample_fingerprints``, ``sample_figures`` (``fingerprints`` and
        ``distance``: the keywords of each of its figures; both used only when
        ``fingerprints.reference`` is set), and with a clinical section ``clinical_response``,
        ``clinical_responders``, ``clinical_tables``
        (:func:`modmap.clinical.settings.clinical_rule_params`), and the rules of the
        longitudinal sections that are on (:func:`modmap.longitudinal.options.longitudinal_params`).
    """
    clinical = clinical_rule_params(config)
    merge = clinical.pop("validate_responder", {"responder": None, "clinical_path": None})
    stats, mmap, heat = config["statistics"], config["module_map"], config["heatmaps"]
    bridge, modules, fing = config["bridge"], config["modules"], config["fingerprints"]
    names, labels = comparison_names(config), comparison_labels(config)
    # how both per-sample figures group and order the samples (rule sample_figures)
    sample_layout = {
        "reference": fing["reference"],
        "group_by": list(fing["group_by"]),
        "order_by": list(fing["order_by"]),
    }
    figure = {
        "comparisons": names,
        "labels": labels,
        "value": mmap["value"],
        "min_pct": mmap["min_pct"],
        "changed_pct": mmap["changed_pct"],
    }
    return {
        "validate": {
            "id_column": config["samples"]["id_column"],
            "comparisons": config["comparisons"],
            "min_group_size": stats["min_group_size"],
            "scale": config["expression"]["scale"],
            "offset": config["expression"]["offset"],
            "duplicate_headers": config["expression"]["duplicate_headers"],
            "collapse": config["bridge"]["collapse"],
            # the clinical stage's derived responder column (None without clinical.responder)
            **merge,
        },
        "bridge": {
            "modules_format": modules["format"],
            "min_genes": modules["min_genes"],
            "key": bridge["key"],
            "policy": bridge["policy"],
            "source": _table(bridge["source"]),
            "target": _table(bridge["target"]),
            "update_symbols": bridge["update_symbols"],
            "alias_table": bridge["alias_table"],
            "collapse": bridge["collapse"],
            # checked by the bridge, so a heatmap of a dropped module stops the run early
            "heatmap_modules": heatmap_modules(config),
        },
        "gene_tests": {
            "test": stats["test"],
            "fdr": stats["fdr"],
            "min_group_size": stats["min_group_size"],
            "exact_with_ties": stats["exact_with_ties"],
            "untestable": stats["untestable"],
            # the offset of log2(x + offset) when the matrix came linear, to undo it for the
            # linear fold change; None for a log2 matrix (no linear fold change)
            "linear_offset": (
                config["expression"]["offset"]
                if config["expression"]["scale"] == "linear"
                else None
            ),
        },
        "module_scores": {
            "comparisons": names,
            "alpha": stats["alpha"],
            "threshold_on": stats["threshold_on"],
            "fold_change_cutoff": stats["fold_change_cutoff"],
            "fold_change_on": stats["fold_change_on"],
            "direction_from": stats["direction_from"],
            "percent_of": stats["percent_of"],
            "untestable": stats["untestable"],
        },
        # one job draws the map, the dot matrix and the heatmaps: one dict per figure
        "module_figures": {
            "module_map": {**figure, "core_comparisons": list(mmap["core_signature"])},
            "module_dots": {
                **figure,
                "max_rows": mmap["dots_max_rows"],
                # popped by the script: which enrichment q-value rings a dot (enrichment.mark_dots)
                "enrichment_test": config["enrichment"]["test"],
                "enrichment_alpha": config["enrichment"]["alpha"],
            },
            "heatmap": {
                "comparisons": heatmap_comparisons(config),
                "labels": labels,
                "reference": heat["reference"],
                "normalisation": heat["normalisation"],
                "max_genes": heat["max_genes"],
                "max_columns": heat["max_columns"],
                "threshold_on": stats["threshold_on"],
            },
        },
        # every HTML table of the report, rendered by one job (modmap.report_tables)
        "report_tables": report_table_params(config, labels=labels),
        "sample_fingerprints": {
            "reference": fing["reference"],
            "scale": fing["scale"],
            # the c of log2(x + c) when the matrix was logged with an offset (none: 0)
            "offset": config["expression"].get("offset", 0),
            "fold_change": fing["fold_change"],
            "difference": fing["difference"],
            "distance_sd": fing["distance_sd"],
        },
        # rule sample_figures: the keywords of each of its two figures
        "sample_figures": {
            "fingerprints": {
                **sample_layout,
                "show_reference": fing["show_reference"],
                "cutoff": fing["cutoff"],
            },
            "distance": {
                **sample_layout,
                "subject": fing["subject"],
                "colour_by": fing["colour_by"],
                "sd_threshold": fing["distance_sd"],
            },
        },
        **clinical,
        # the longitudinal sections that are on (docs/longitudinal.md)
        **longitudinal_params(config),
    }
