"""Longitudinal results of a treatment study (issue 15; docs/longitudinal.md).

- :mod:`~modmap.longitudinal.signature`: the core signature and its normalisation at later
  comparisons ("11/13 modules normalised in responders at M6").
- :mod:`~modmap.longitudinal.analytes`: paired tests of serum analytes and single genes between
  two visits within subjects (the trial's Figure 3C/3D).
- :mod:`~modmap.longitudinal.labs`: lab endpoints per visit and group, signed-rank tests against
  baseline.
- :mod:`~modmap.longitudinal.survival`: time from withdrawal to flare (Kaplan-Meier, median).
- :mod:`~modmap.longitudinal.transcripts`: transcripts changed per comparison, set operations.

The names below load their submodule on first use (:mod:`modmap._lazy`): a job imports only the
analysis it runs (numba and scipy only where a test needs them).
"""

from modmap._lazy import lazy_exports

_EXPORTS = {
    "analyte_analysis": "modmap.longitudinal.analytes",
    "analyte_values": "modmap.longitudinal.analytes",
    "check_log_scale": "modmap.longitudinal.labs",
    "core_signature_table": "modmap.longitudinal.signature",
    "follow_pairs": "modmap.longitudinal.signature",
    "gene_values": "modmap.longitudinal.analytes",
    "kaplan_meier": "modmap.longitudinal.survival",
    "lab_analysis": "modmap.longitudinal.labs",
    "lab_long": "modmap.longitudinal.labs",
    "lab_summary": "modmap.longitudinal.labs",
    "median_table": "modmap.longitudinal.survival",
    "median_time": "modmap.longitudinal.survival",
    "paired_tests": "modmap.longitudinal.analytes",
    "set_counts": "modmap.longitudinal.transcripts",
    "signature_counts": "modmap.longitudinal.signature",
    "signature_status": "modmap.longitudinal.signature",
    "signature_tables": "modmap.longitudinal.signature",
    "time_to_flare": "modmap.longitudinal.survival",
    "transcript_counts": "modmap.longitudinal.transcripts",
    "transcript_results": "modmap.longitudinal.transcripts",
    "transcript_set": "modmap.longitudinal.transcripts",
    "withdrawal_table": "modmap.longitudinal.survival",
}

__all__ = list(_EXPORTS)

lazy_exports(__name__, _EXPORTS)
