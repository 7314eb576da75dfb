"""The trial layer: clinical response definitions, flares, responders and the trial tables.

Modules (one idea each): :mod:`.columns` (the clinical table's columns and units),
:mod:`.reading` (read and check it), :mod:`.logic` (three-valued criteria), :mod:`.change`
(relative change, zero-baseline convention), :mod:`.acrpedi`, :mod:`.systemic`,
:mod:`.inactive`, :mod:`.definitions` (every definition per subject and visit), :mod:`.flares`,
:mod:`.responders`, :mod:`.contingency` (Fisher / chi-square as R), :mod:`.power`,
:mod:`.summaries`, :mod:`.sheet` (Table 1 values from the sample sheet), :mod:`.table1`,
:mod:`.table2`, :mod:`.events`, :mod:`.table3`, :mod:`.evaluate` (the stage in one call),
:mod:`.captions`. See docs/clinical.md.
"""

from modmap.clinical.acrpedi import acrpedi
from modmap.clinical.contingency import chi_square, fisher_exact, two_by_two
from modmap.clinical.definitions import DEFINITIONS, response_table
from modmap.clinical.evaluate import evaluate
from modmap.clinical.flares import flare_table
from modmap.clinical.inactive import inactive_disease
from modmap.clinical.power import fisher_power, fisher_sample_size
from modmap.clinical.reading import check_clinical, read_table
from modmap.clinical.responders import derive_responders, merge_responders
from modmap.clinical.table1 import table1
from modmap.clinical.table2 import table2
from modmap.clinical.table3 import table3

__all__ = [
    "DEFINITIONS",
    "acrpedi",
    "check_clinical",
    "chi_square",
    "derive_responders",
    "evaluate",
    "fisher_exact",
    "fisher_power",
    "fisher_sample_size",
    "flare_table",
    "inactive_disease",
    "merge_responders",
    "read_table",
    "response_table",
    "table1",
    "table2",
    "table3",
    "two_by_two",
]
