"""Longitudinal results of a treatment study (issue 15; docs/longitudinal.md).

- :mod:`~modmap.longitudinal.signature`: the core signature and its normalisation at later
  comparisons ("11/13 modules normalised in responders at M6").
- :mod:`~modmap.longitudinal.analytes`: paired tests of serum analytes and single genes between
  two visits within subjects (the trial's Figure 3C/3D).
- :mod:`~modmap.longitudinal.labs`: lab endpoints per visit and group, signed-rank tests against
  baseline.
- :mod:`~modmap.longitudinal.survival`: time from withdrawal to flare (Kaplan-Meier, median).
- :mod:`~modmap.longitudinal.transcripts`: transcripts changed per comparison, set operations.
"""

from modmap.longitudinal.analytes import (
    analyte_analysis,
    analyte_values,
    gene_values,
    paired_tests,
)
from modmap.longitudinal.labs import check_log_scale, lab_analysis, lab_long, lab_summary
from modmap.longitudinal.signature import (
    core_signature_table,
    follow_pairs,
    signature_counts,
    signature_status,
    signature_tables,
)
from modmap.longitudinal.survival import (
    kaplan_meier,
    median_table,
    median_time,
    time_to_flare,
    withdrawal_table,
)
from modmap.longitudinal.transcripts import (
    set_counts,
    transcript_counts,
    transcript_results,
    transcript_set,
)

__all__ = [
    "analyte_analysis",
    "analyte_values",
    "check_log_scale",
    "core_signature_table",
    "follow_pairs",
    "gene_values",
    "kaplan_meier",
    "lab_analysis",
    "lab_long",
    "lab_summary",
    "median_table",
    "median_time",
    "paired_tests",
    "set_counts",
    "signature_counts",
    "signature_status",
    "signature_tables",
    "time_to_flare",
    "transcript_counts",
    "transcript_results",
    "transcript_set",
    "withdrawal_table",
]
