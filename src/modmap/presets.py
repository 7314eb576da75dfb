"""Named presets (``statistics.preset``): sets of config values that reproduce another tool.

A preset fills only the keys the user's config does not set, so an explicit key always wins. It
must therefore be applied to the config as written (before the schema fills its defaults):
:func:`apply_preset` runs in ``workflow/rules/common.smk`` before ``validate``.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from modmap.errors import InputError

__all__ = ["PRESETS", "apply_preset"]

#: Preset name -> section -> key -> value. ``bloodgen3module`` = BloodGen3Module 0.99.42
#: ``Groupcomparison`` (t.test var.equal = TRUE on log2(x + 1), BH over module-gene pairs,
#: q < 0.1, gtools fold change of the linear means > 1.5 or < -1.5, p = 1 when the group means
#: are equal, score = 100 (n_up - n_down) / genes present) and ``gridplot`` (net score, spots
#: below 15 % left empty).
PRESETS: dict[str, dict[str, dict[str, Any]]] = {
    "bloodgen3module": {
        "expression": {"scale": "linear", "offset": 1},
        "modules": {"min_genes": 1},
        "statistics": {
            "test": "student",
            "fdr": True,
            "fdr_over": "module_members",
            "threshold_on": "q_value",
            "alpha": 0.1,
            "fold_change_cutoff": 1.5,
            "fold_change_on": "fold_change",
            "direction_from": "fold_change",
            "untestable": "p_one",
            "percent_of": "present",
        },
        "module_map": {"value": "net", "min_pct": 15},
    },
}


def apply_preset(config: MutableMapping[str, Any]) -> list[str]:
    """Fill the keys of ``statistics.preset`` that ``config`` does not set, in place.

    Parameters
    ----------
    config
        The config as the user wrote it (configfile plus ``--config``), before schema defaults.

    Returns
    -------
    list of str
        The dotted keys the preset filled (``statistics.test``, ...), for the log; empty when no
        preset is set or ``preset: none``.

    Raises
    ------
    InputError
        An unknown preset name, or a section of the config that is not a mapping.
    """
    statistics = config.get("statistics")
    name = statistics.get("preset", "none") if isinstance(statistics, MutableMapping) else "none"
    if name in (None, "none"):
        return []
    if name not in PRESETS:
        raise InputError(
            f"config statistics.preset is {name!r}; use one of: none, {', '.join(PRESETS)}"
        )
    filled = []
    for section, values in PRESETS[name].items():
        block = config.setdefault(section, {})
        if block is None:
            block = config[section] = {}
        if not isinstance(block, MutableMapping):
            raise InputError(
                f"config {section} must be a mapping of keys (statistics.preset {name!r} fills "
                f"some of them), got {block!r}"
            )
        for key, value in values.items():
            if key not in block:
                block[key] = value
                filled.append(f"{section}.{key}")
    return filled
