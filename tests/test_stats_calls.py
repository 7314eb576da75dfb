"""Gene calls (p/q threshold, direction, fold-change cut-off) against a table worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.stats import gene_calls

# feature, p, method, direction (of the statistic), log2_fc, fold_change (gtools scale)
GENES = pd.DataFrame(
    [
        ("a", 0.01, "student", "up", 1.0, 1.8),  # significant, clearly up
        ("b", 0.01, "student", "up", 0.3, 1.2),  # significant, small fold
        ("c", 0.01, "student", "down", -1.0, -2.5),  # significant, clearly down
        ("d", 0.01, "student", "up", 0.2, -1.6),  # t up on log2, linear means down
        ("e", 0.20, "student", "up", 3.0, 8.0),  # not significant
        ("f", np.nan, "not_tested", "none", 0.0, 1.0),
        ("g", 0.01, "student", "down", -0.58496250072115619, -1.5),  # exactly the cut-off
    ],
    columns=["feature_id", "p_value", "method", "direction", "log2_fc", "fold_change"],
)


def _names(mask):
    return list(GENES.loc[mask, "feature_id"])


def test_default_is_p_and_direction_only():
    up, down = gene_calls(GENES)
    assert _names(up) == ["a", "b", "d"] and _names(down) == ["c", "g"]


def test_cut_off_on_log2_fc_keeps_the_statistic_direction():
    up, down = gene_calls(GENES, fold_change_cutoff=1.5)
    # |2^log2_fc| > 1.5: a (2), c (1/2); b 2^0.3 = 1.23 no; d 2^0.2 no; g exactly 1.5 (strict) no.
    assert _names(up) == ["a"] and _names(down) == ["c"]


def test_bloodgen3_rule_on_linear_fold_change():
    up, down = gene_calls(
        GENES, fold_change_cutoff=1.5, fold_change_on="fold_change", direction_from="fold_change"
    )
    # FC > 1.5: a; FC < -1.5: c, d (-1.6); g = -1.5 is not < -1.5.
    assert _names(up) == ["a"] and _names(down) == ["c", "d"]
    up0, down0 = gene_calls(GENES, fold_change_on="fold_change", direction_from="fold_change")
    # FC 0: the sign of the fold change decides: d counts down although its t is positive.
    assert _names(up0) == ["a", "b"] and _names(down0) == ["c", "d", "g"]


def test_errors_name_the_fix():
    with pytest.raises(InputError, match="fold_change_on: log2_fc"):
        gene_calls(
            GENES.assign(fold_change=np.nan), fold_change_cutoff=2, fold_change_on="fold_change"
        )
    with pytest.raises(InputError, match="statistics.fdr: true"):
        gene_calls(GENES, threshold_on="q_value")
    with pytest.raises(InputError, match="fold_change_cutoff"):
        gene_calls(GENES, fold_change_cutoff=-1)
