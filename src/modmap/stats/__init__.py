"""Per-gene rank tests at R parity, exact null distributions, module scores and "changed" modules.

``comparison_design`` lives in :mod:`modmap.design` and is re-exported here for the scripts.
"""

from modmap.design import comparison_design
from modmap.stats.calls import gene_calls
from modmap.stats.changed import changed_modules, changed_threshold, core_signature, spot_values
from modmap.stats.checks import looks_unlogged
from modmap.stats.collapse import collapse_rows, probe_scores
from modmap.stats.fdr import bh_qvalues, module_multiplicity
from modmap.stats.foldchange import fold_changes, gtools_foldchange
from modmap.stats.genes import gene_tests
from modmap.stats.mannwhitney import mann_whitney
from modmap.stats.ranks import rank_sums, signed_ranks
from modmap.stats.scores import module_scores
from modmap.stats.signedrank import signed_rank
from modmap.stats.student import student
from modmap.stats.welch import paired_t, welch

__all__ = [
    "bh_qvalues",
    "changed_modules",
    "changed_threshold",
    "collapse_rows",
    "comparison_design",
    "core_signature",
    "fold_changes",
    "gene_calls",
    "gene_tests",
    "gtools_foldchange",
    "looks_unlogged",
    "mann_whitney",
    "module_multiplicity",
    "module_scores",
    "paired_t",
    "probe_scores",
    "rank_sums",
    "signed_rank",
    "signed_ranks",
    "spot_values",
    "student",
    "welch",
]
