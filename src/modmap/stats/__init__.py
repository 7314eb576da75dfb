"""Per-gene rank tests at R parity, exact null distributions, module scores and "changed" modules.

``comparison_design`` lives in :mod:`modmap.design` and is re-exported here for the scripts.

The names below load their submodule on first use (:mod:`modmap._lazy`): a job that only scores
modules or collapses probes does not import numba (the rank kernels, :mod:`.ranks`) or scipy.
Before any kernel module loads, :func:`modmap._numba_cache.ensure_writable_cache` makes sure
numba has a writable cache directory (numba refuses to cache, and fails, without one).
"""

from modmap._lazy import lazy_exports
from modmap._numba_cache import ensure_writable_cache

ensure_writable_cache()

_EXPORTS = {
    "bh_qvalues": "modmap.stats.fdr",
    "changed_modules": "modmap.stats.changed",
    "changed_threshold": "modmap.stats.changed",
    "collapse_rows": "modmap.stats.collapse",
    "comparison_design": "modmap.design",
    "core_signature": "modmap.stats.changed",
    "fold_changes": "modmap.stats.foldchange",
    "gene_calls": "modmap.stats.calls",
    "gene_tests": "modmap.stats.genes",
    "gtools_foldchange": "modmap.stats.foldchange",
    "looks_unlogged": "modmap.stats.checks",
    "mann_whitney": "modmap.stats.mannwhitney",
    "module_multiplicity": "modmap.stats.fdr",
    "module_scores": "modmap.stats.scores",
    "paired_t": "modmap.stats.welch",
    "probe_scores": "modmap.stats.collapse",
    "rank_sums": "modmap.stats.ranks",
    "signed_rank": "modmap.stats.signedrank",
    "signed_ranks": "modmap.stats.ranks",
    "spot_values": "modmap.stats.changed",
    "student": "modmap.stats.student",
    "welch": "modmap.stats.welch",
}

__all__ = list(_EXPORTS)

lazy_exports(__name__, _EXPORTS)
