"""The ACRpedi core-set response (Giannini et al. 1997, as used by Quartier et al. 2011).

Quartier et al., Methods: "an improvement of 30%, 50%, 70% or more and 100% respectively, in at
least three of the six core criteria for juvenile rheumatoid arthritis and a worsening of 30 or
more in no more than one of the criteria."
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from modmap.clinical.change import improved, worsened
from modmap.clinical.columns import CORE
from modmap.clinical.logic import at_least, at_most

__all__ = ["LEVELS", "acrpedi"]

#: The response levels of the paper (percent improvement).
LEVELS = (30, 50, 70, 100)


def acrpedi(
    reference: Mapping[str, np.ndarray],
    value: Mapping[str, np.ndarray],
    *,
    level: float = 30,
    min_improved: int = 3,
    max_worsened: int = 1,
    worsening_pct: float = 30,
) -> pd.arrays.BooleanArray:
    """ACRpedi ``level`` response of each row against its reference visit.

    Parameters
    ----------
    reference, value
        Per core criterion (keys of :data:`modmap.clinical.columns.CORE`: physician_global,
        patient_global, active_joints, limited_joints, chaq, esr), the values at the reference
        (baseline) visit and at the visit assessed, aligned row by row. Lower = better.
    level
        Improvement required, in percent (30, 50, 70 or 100).
    min_improved
        Criteria that must improve by ``level`` percent or more (3 of 6).
    max_worsened
        Criteria allowed to worsen by ``worsening_pct`` percent or more (1).
    worsening_pct
        Worsening threshold in percent (30, whatever the level).

    Returns
    -------
    pandas.arrays.BooleanArray
        True = responder, False = not, NA when the answer depends on criteria that cannot be
        computed (a missing value at either visit). A rule already decided by the criteria that
        are known is reported decided (e.g. 3 improved and none worsened among the 5 known: True,
        whatever the sixth is; 2 improved among 4 known: NA).
    """
    up = [improved(reference[c], value[c], level) for c in CORE]
    down = [worsened(reference[c], value[c], worsening_pct) for c in CORE]
    return at_least(up, min_improved) & at_most(down, max_worsened)
