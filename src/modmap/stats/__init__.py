"""Per-gene rank tests at R parity, exact null distributions and module scores."""

from modmap.stats.calls import gene_calls
from modmap.stats.checks import looks_unlogged
from modmap.stats.collapse import collapse_rows, probe_scores
from modmap.stats.fdr import bh_qvalues, module_multiplicity
from modmap.stats.foldchange import fold_changes, gtools_foldchange
from modmap.stats.genes import comparison_design, gene_tests
from modmap.stats.mannwhitney import mann_whitney
from modmap.stats.ranks import rank_sums, signed_ranks
from modmap.stats.scores import module_scores
from modmap.stats.signedrank import signed_rank
from modmap.stats.student import student
from modmap.stats.welch import paired_t, welch

__all__ = [
    "bh_qvalues",
    "collapse_rows",
    "comparison_design",
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
    "student",
    "welch",
]
