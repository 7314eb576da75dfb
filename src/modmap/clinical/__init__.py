"""The trial layer: clinical response definitions, flares, responders and the trial tables.

Modules (one idea each): :mod:`.columns` (the clinical table's columns and units),
:mod:`.reading` (read and check it), :mod:`.logic` (three-valued criteria), :mod:`.change`
(relative change, zero-baseline convention), :mod:`.acrpedi`, :mod:`.systemic`,
:mod:`.inactive`, :mod:`.definitions` (every definition per subject and visit), :mod:`.flares`,
:mod:`.responders`, :mod:`.contingency` (Fisher / chi-square as R), :mod:`.power`,
:mod:`.summaries`, :mod:`.sheet` (Table 1 values from the sample sheet), :mod:`.table1`,
:mod:`.table2`, :mod:`.events`, :mod:`.table3`, :mod:`.evaluate` (the stage in one call),
:mod:`.captions`. See docs/clinical.md.

The names below load their submodule on first use (:mod:`modmap._lazy`): reading the clinical
table and deriving responders (parse time, rule validate) does not import scipy.
"""

from modmap._lazy import lazy_exports

_EXPORTS = {
    "DEFINITIONS": "modmap.clinical.definitions",
    "acrpedi": "modmap.clinical.acrpedi",
    "check_clinical": "modmap.clinical.reading",
    "chi_square": "modmap.clinical.contingency",
    "derive_responders": "modmap.clinical.responders",
    "evaluate": "modmap.clinical.evaluate",
    "fisher_exact": "modmap.clinical.contingency",
    "fisher_power": "modmap.clinical.power",
    "fisher_sample_size": "modmap.clinical.power",
    "flare_table": "modmap.clinical.flares",
    "inactive_disease": "modmap.clinical.inactive",
    "merge_responders": "modmap.clinical.responders",
    "read_table": "modmap.clinical.reading",
    "response_table": "modmap.clinical.definitions",
    "table1": "modmap.clinical.table1",
    "table2": "modmap.clinical.table2",
    "table3": "modmap.clinical.table3",
    "two_by_two": "modmap.clinical.contingency",
}

__all__ = list(_EXPORTS)

lazy_exports(__name__, _EXPORTS)
