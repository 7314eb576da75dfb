"""Per-gene fold changes: the log2 fold change and BloodGen3Module's linear fold change.

``log2_fc`` is the difference of the group means of the log2 values (``mean(log2 case) -
mean(log2 control)``, the quantity the t-tests test and limma's ``logFC``); on linear data
transformed with an offset it is the difference of the means of ``log2(x + offset)``.
``fold_change`` (linear data only) is ``gtools::foldchange(mean(case), mean(control))`` of the
untransformed group means, as BloodGen3Module's ``fold_change``: the ratio when it is >= 1, else
``-1 / ratio`` (so ``-2`` = halved); it is never in ``(-1, 1)``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

__all__ = ["fold_changes", "gtools_foldchange", "signed_fold"]


def gtools_foldchange(num: np.ndarray, denom: np.ndarray) -> np.ndarray:
    """``gtools::foldchange(num, denom)``: ``num / denom`` if ``num >= denom``, else ``-denom/num``.

    Parameters
    ----------
    num, denom
        Positive quantities (e.g. mean linear intensities of cases and of controls); NaN gives NaN.

    Returns
    -------
    numpy.ndarray
        Signed fold change, >= 1 when ``num >= denom`` and <= -1 otherwise.
    """
    num = np.asarray(num, dtype=np.float64)
    denom = np.asarray(denom, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(num >= denom, num / denom, -denom / num)


def signed_fold(log2_fc: np.ndarray) -> np.ndarray:
    """A log2 fold change on the signed gtools scale: ``2^l`` when ``l >= 0``, else ``-2^-l``."""
    lfc = np.asarray(log2_fc, dtype=np.float64)
    return np.where(lfc >= 0, np.exp2(lfc), -np.exp2(-lfc))


def _nanmean(a: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing rows give NaN, as wanted
        return np.nanmean(a, axis=1)


def fold_changes(
    case: np.ndarray, control: np.ndarray, *, linear_offset: float | None = None
) -> pd.DataFrame:
    """Fold changes of cases over controls for every gene (row), vectorised over genes.

    Parameters
    ----------
    case, control
        Genes x samples float64 arrays on the log2 scale of the validated matrix (NaN = missing,
        dropped per gene).
    linear_offset
        ``None`` when the matrix was given on the log2 scale (``fold_change`` is then NaN);
        otherwise the offset of ``expression.scale: linear`` (values were ``log2(x + offset)``),
        so that the untransformed values ``2^v - offset`` are recovered for ``fold_change``.

    Returns
    -------
    pandas.DataFrame
        ``log2_fc`` (difference of group means of the log2 values; positive = higher in cases)
        and ``fold_change`` (gtools fold change of the untransformed group means, or NaN), one row
        per gene, default integer index.
    """
    case = np.asarray(case, dtype=np.float64)
    control = np.asarray(control, dtype=np.float64)
    log2_fc = _nanmean(case) - _nanmean(control)
    if linear_offset is None:
        ratio = np.full(log2_fc.shape, np.nan)
    else:
        ratio = gtools_foldchange(
            _nanmean(np.exp2(case) - linear_offset), _nanmean(np.exp2(control) - linear_offset)
        )
    return pd.DataFrame({"log2_fc": log2_fc, "fold_change": ratio})
