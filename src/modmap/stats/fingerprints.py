"""Per-sample module fingerprints and the molecular distance to health.

Each sample is compared gene by gene with a reference group (the healthy controls), not with a
group of cases: the view of BloodGen3Module's ``Individualcomparison`` and ``fingerprintplot``
(Rinchai et al., Bioinformatics 2021) and of the molecular distance to health (Pankla et al.,
Genome Biol 2009). Everything is vectorised over genes and samples and runs in row chunks, so a
60,000 x 2,000 matrix needs a few chunk-sized temporaries beyond the matrix itself.

Fingerprints (:func:`sample_fingerprints`), as ``Individualcomparison`` 0.99.42 computes them:

* on the **linear** scale (``scale="linear"``, the default: BloodGen3Module takes non-log
  intensities; modmap's matrix is log2, so values are taken back as ``2**x - offset``), for every
  gene the mean ``m`` of the reference samples (no SD is used);
* for every sample value ``x``: the difference ``x - m`` and the fold change as
  ``gtools::foldchange(x, m)``: ``x / m`` when ``x >= m``, else ``-m / x``;
* up when fold change ``> fold_change`` **and** difference ``> difference``; down when fold change
  ``< -fold_change`` **and** difference ``< -difference`` (defaults 1.5 and 10, the package's);
* per module and sample: ``pct_up`` / ``pct_down`` = 100 * genes up / down over the module's genes
  with a value, ``net = pct_up - pct_down`` (``Individualcomparison`` returns only ``net``).

The reference samples are compared with their own mean too (they get fingerprints, as in the
package). ``scale="log2"`` does the same on the log2 values (difference in log2 units, fold change
``2**(x - m)`` signed as above).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from modmap.design import select_samples
from modmap.errors import InputError

__all__ = [
    "DISTANCE_COLUMNS",
    "FINGERPRINT_COLUMNS",
    "check_fingerprint_settings",
    "distance_to_health",
    "fold_change_calls",
    "per_sample_tables",
    "sample_fingerprints",
]

log = logging.getLogger(__name__)

#: Columns of ``results/modules/samples.tsv``.
FINGERPRINT_COLUMNS = [
    "sample_id",
    "module_id",
    "n_genes",
    "n_up",
    "n_down",
    "pct_up",
    "pct_down",
    "net",
]
#: Columns of ``results/samples/distance.tsv``.
DISTANCE_COLUMNS = ["sample_id", "distance", "n_beyond", "n_features"]

Scale = Literal["linear", "log2"]
#: Rows (features) processed at once; bounds the temporaries to a few chunk x samples arrays.
CHUNK_ROWS = 2048


def _reference_mask(columns: pd.Index, reference: Sequence[str]) -> np.ndarray:
    ref = list(dict.fromkeys(map(str, reference)))
    known = set(columns)
    missing = [s for s in ref if s not in known]
    if missing:
        raise InputError(
            f"fingerprints.reference: {len(missing)} reference sample(s) are not columns of the "
            f"expression matrix (e.g. {', '.join(missing[:3])}); check fingerprints.reference."
        )
    mask = columns.isin(ref)
    if mask.sum() < 2:
        raise InputError(
            f"fingerprints.reference selects {int(mask.sum())} sample(s); at least 2 are needed "
            "(a mean and an SD per gene). Widen the selector, e.g. {group: healthy}."
        )
    return np.asarray(mask)


def _row_mean(values: np.ndarray) -> np.ndarray:
    """Row means ignoring NaN, refined by one correction pass as R's ``mean`` does.

    ``m = sum / n``, then ``m += sum(x - m) / n``: a row of equal values gets that value exactly
    (``0.1`` three times gives ``0.1``, not ``0.1 + 2e-17``). All-NaN rows give NaN, no warning.
    """
    n = np.sum(~np.isnan(values), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.where(n > 0, np.nansum(values, axis=1) / n, np.nan)
        return m + np.where(n > 0, np.nansum(values - m[:, None], axis=1) / n, 0.0)


def fold_change_calls(
    values: np.ndarray,
    reference: np.ndarray,
    *,
    scale: Scale = "linear",
    offset: float = 0.0,
    fold_change: float = 1.5,
    difference: float = 10.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each value up / down against its gene's reference mean (``Individualcomparison``'s calls).

    Parameters
    ----------
    values
        Genes x samples, **log2** (as the parquet cache holds them); NaN = missing.
    reference
        Boolean mask over the columns: the reference samples (healthy controls).
    scale
        ``"linear"`` (default, as BloodGen3Module): the mean, difference and fold change are
        computed on ``2**values - offset``; ``"log2"``: on the log2 values (difference in log2
        units, fold change ``2**(x - m)``).
    offset
        Subtracted after ``2**values`` on the linear scale (the ``c`` of ``log2(x + c)`` when the
        matrix was logged with an offset); 0 by default.
    fold_change
        Cut-off on ``gtools::foldchange(x, m)`` (``x/m`` if ``x >= m`` else ``-m/x``): up needs
        ``> fold_change``, down ``< -fold_change``. Default 1.5.
    difference
        Cut-off on ``x - m`` (intensity units on the linear scale): up needs ``> difference``,
        down ``< -difference``. Default 10.

    Returns
    -------
    up, down, valid
        Boolean arrays of the shape of ``values``. ``valid`` is False where the value or the
        gene's reference mean (mean of its non-missing reference values) is missing; such cells
        are neither up nor down.
    """
    if fold_change < 0 or difference < 0:
        raise InputError(
            f"fingerprints.fold_change ({fold_change}) and fingerprints.difference "
            f"({difference}) must be >= 0 (they are applied as +cut-off for up, -cut-off for down)"
        )
    x = np.asarray(values, dtype=np.float64)
    if scale == "linear":
        x = np.exp2(x)
        if offset:
            x -= offset
    elif scale != "log2":
        raise ValueError(f"fingerprints.scale must be 'linear' or 'log2', got {scale!r}")
    m = _row_mean(x[:, reference])[:, None]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        diff = x - m
        # gtools::foldchange(x, m) is x/m when x >= m, else -m/x. With difference >= 0, "diff >
        # difference" implies x > m and "diff < -difference" implies x < m (IEEE subtraction
        # keeps the sign), so up is x/m > fold_change and down is -m/x < -fold_change, i.e.
        # m/x > fold_change (negation is exact): the same decisions, bit for bit.
        up = diff > difference
        down = diff < -difference
        if scale == "linear":
            up &= x / m > fold_change
            down &= m / x > fold_change
        else:
            up &= np.exp2(diff) > fold_change
            down &= np.exp2(-diff) > fold_change
    valid = ~np.isnan(diff)
    return up, down, valid


def _membership_matrix(
    membership: pd.DataFrame, features: pd.Index
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Modules, the (module, used feature) pairs as two position arrays, the used features' rows.

    Returns ``order`` (module IDs), ``rows`` (module position of each membership pair), ``cols``
    (position of its feature among the used features, ascending within the pairs' order) and
    ``positions`` (row of each used feature in the expression matrix).
    """
    missing = {"module_id", "feature_id"} - set(membership.columns)
    if missing:
        raise InputError(
            f"results/modules/membership.tsv: missing column(s) {sorted(missing)}; expected "
            "module_id, title, feature_id"
        )
    members = membership[["module_id", "feature_id"]].astype(str).drop_duplicates()
    order = list(pd.unique(members["module_id"]))
    absent = features.get_indexer(members["feature_id"]) < 0
    if absent.any():
        log.warning(
            "%d module members are not in the expression matrix (e.g. %s); they are ignored",
            int(absent.sum()),
            ", ".join(members.loc[absent, "feature_id"].head(5)),
        )
        members = members[~absent]
    used = pd.Index(pd.unique(members["feature_id"]))
    rows = pd.Index(order).get_indexer(members["module_id"])
    cols = used.get_indexer(members["feature_id"])
    return order, rows, cols, features.get_indexer(used)


def _indicator(
    rows: np.ndarray, cols: np.ndarray, n_modules: int, start: int, stop: int
) -> np.ndarray:
    """Modules x features ``start:stop`` 0/1 matrix of the membership pairs (dense, one chunk).

    Products with it count calls exactly (sums of 0/1 below 2**53), so any summation order gives
    the same numbers; a dense chunk (modules x ``CHUNK_ROWS``) keeps scipy.sparse, and its import
    (0.15-0.2 s per job, issue 16), out of the fingerprint job.
    """
    inside = (cols >= start) & (cols < stop)
    block = np.zeros((n_modules, stop - start))
    block[rows[inside], cols[inside] - start] = 1.0  # pairs are unique (drop_duplicates)
    return block


def sample_fingerprints(
    expression: pd.DataFrame,
    reference: Sequence[str],
    membership: pd.DataFrame,
    *,
    scale: Scale = "linear",
    offset: float = 0.0,
    fold_change: float = 1.5,
    difference: float = 10.0,
    chunk_rows: int = CHUNK_ROWS,
) -> pd.DataFrame:
    """Percent of each module's genes up and down in every sample against the reference group.

    BloodGen3Module ``Individualcomparison`` (see the module docstring and
    :func:`fold_change_calls` for the calls).

    Parameters
    ----------
    expression
        Features x samples, log2 (``results/validated/expression.arrow``), index
        ``feature_id``; every sample gets a fingerprint, the reference samples included.
    reference
        Sample IDs of the reference group (config ``fingerprints.reference``); at least 2.
    membership
        ``module_id``, ``feature_id`` (``results/modules/membership.tsv``); modules in order of
        first appearance; a feature listed twice in a module counts once; members absent from
        ``expression`` are ignored with a warning.
    scale, offset, fold_change, difference
        See :func:`fold_change_calls`.
    chunk_rows
        Features processed at once (memory bound, not a result parameter).

    Returns
    -------
    pandas.DataFrame
        :data:`FINGERPRINT_COLUMNS`, one row per (sample, module), samples in matrix order, then
        modules in membership order. ``n_genes`` = module genes with a value in that sample (all
        of them unless values are missing; BloodGen3Module's denominator is the genes present, and
        it returns NA for a module with a missing value); ``pct_up``, ``pct_down`` in 0-100 of
        ``n_genes``, ``net = pct_up - pct_down`` (``Individualcomparison``'s value); empty when
        ``n_genes`` is 0.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be >= 1, got {chunk_rows}")
    features = pd.Index(expression.index.astype(str))
    ref = _reference_mask(pd.Index(expression.columns.astype(str)), reference)
    order, pair_rows, pair_cols, positions = _membership_matrix(membership, features)
    values = expression.to_numpy(dtype=np.float64, copy=False)
    n_samples = values.shape[1]
    n_up = np.zeros((len(order), n_samples))
    n_down = np.zeros_like(n_up)
    n_valid = np.zeros_like(n_up)
    for start in range(0, len(positions), chunk_rows):
        stop = min(start + chunk_rows, len(positions))
        block = values[positions[start:stop]]
        up, down, valid = fold_change_calls(
            block,
            ref,
            scale=scale,
            offset=offset,
            fold_change=fold_change,
            difference=difference,
        )
        part = _indicator(pair_rows, pair_cols, len(order), start, stop)
        n_up += part @ up.astype(np.float64)
        n_down += part @ down.astype(np.float64)
        n_valid += part @ valid.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_up = np.where(n_valid > 0, 100.0 * n_up / n_valid, np.nan)
        pct_down = np.where(n_valid > 0, 100.0 * n_down / n_valid, np.nan)
    samples = np.asarray(expression.columns.astype(str))
    n_mod = len(order)
    return pd.DataFrame(
        {
            "sample_id": np.repeat(samples, n_mod),
            "module_id": np.tile(np.asarray(order, dtype=object), n_samples),
            "n_genes": n_valid.T.ravel().astype(np.int64),
            "n_up": n_up.T.ravel().astype(np.int64),
            "n_down": n_down.T.ravel().astype(np.int64),
            "pct_up": pct_up.T.ravel(),
            "pct_down": pct_down.T.ravel(),
            "net": (pct_up - pct_down).T.ravel(),
        }
    )[FINGERPRINT_COLUMNS]


def distance_to_health(
    expression: pd.DataFrame,
    reference: Sequence[str],
    *,
    sd_threshold: float = 2.0,
    chunk_rows: int = CHUNK_ROWS,
) -> pd.DataFrame:
    """Molecular distance to health of every sample (Pankla et al., Genome Biol 2009).

    For every feature, the mean ``m`` and standard deviation ``s`` (``n - 1`` denominator, as R's
    ``sd``) of the reference samples' non-missing **log2** values; for every sample value
    ``z = (x - m) / s``. The distance of a sample is the sum of ``|z|`` over the features with
    ``|z| > sd_threshold``: how many reference SDs its transcriptome lies outside the healthy
    range, counting only features outside ``m +/- sd_threshold * s``.

    Parameters
    ----------
    expression
        Features x samples, log2 (every feature of the matrix is used, not only module genes).
    reference
        Sample IDs of the reference (healthy) group; at least 2.
    sd_threshold
        Features count when ``|z|`` exceeds it (default 2, as Pankla et al.).
    chunk_rows
        Features processed at once (memory bound, not a result parameter).

    Returns
    -------
    pandas.DataFrame
        :data:`DISTANCE_COLUMNS`: ``distance`` (sum of ``|z|`` in SD units, >= 0), ``n_beyond``
        (number of features beyond the threshold), ``n_features`` (features evaluated in the
        sample: value present, at least 2 reference values and ``s > 0``), one row per sample in
        matrix order. Reference samples get a distance too (within-sample, so it is small).
    """
    if not sd_threshold >= 0:
        raise InputError(f"fingerprints.distance_sd is {sd_threshold}; it must be >= 0 (e.g. 2)")
    ref = _reference_mask(pd.Index(expression.columns.astype(str)), reference)
    values = expression.to_numpy(dtype=np.float64, copy=False)
    n_samples = values.shape[1]
    total = np.zeros(n_samples)
    beyond = np.zeros(n_samples, dtype=np.int64)
    evaluated = np.zeros(n_samples, dtype=np.int64)
    for start in range(0, values.shape[0], chunk_rows):
        block = values[start : start + chunk_rows]
        r = block[:, ref]
        n = np.sum(~np.isnan(r), axis=1)
        m = _row_mean(r)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.nansum((r - m[:, None]) ** 2, axis=1) / (n - 1)
            # constant reference (exactly equal values): SD 0, feature not used, as in R
            spread = np.fmax.reduce(r, axis=1) > np.fmin.reduce(r, axis=1)
            s = np.where((n >= 2) & spread & (var > 0), np.sqrt(var), np.nan)
            z = block - m[:, None]  # in place from here: one chunk-sized temporary
            np.abs(z, out=z)
            z /= s[:, None]
        ok = ~np.isnan(z)  # value present, reference usable (s > 0 and finite)
        out = z > sd_threshold  # NaN compares False
        beyond += out.sum(axis=0)
        evaluated += ok.sum(axis=0)
        z[~out] = 0.0
        total += z.sum(axis=0)
    return pd.DataFrame(
        {
            "sample_id": np.asarray(expression.columns.astype(str)),
            "distance": total,
            "n_beyond": beyond,
            "n_features": evaluated,
        }
    )[DISTANCE_COLUMNS]


def per_sample_tables(
    expression: pd.DataFrame,
    sheet: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    reference: Mapping[str, object],
    scale: Scale = "linear",
    offset: float = 0.0,
    fold_change: float = 1.5,
    difference: float = 10.0,
    distance_sd: float = 2.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fingerprints and distances of every sample of ``sheet`` (the rule's one call).

    Parameters
    ----------
    expression
        Features x samples, log2, holding the samples of ``sheet``.
    sheet
        ``results/validated/samples.tsv`` (``sample_id`` and the columns ``reference`` names).
    membership
        ``results/modules/membership.tsv``.
    reference
        Selector of the reference samples (config ``fingerprints.reference``).
    scale, offset, fold_change, difference
        See :func:`sample_fingerprints`.
    distance_sd
        ``sd_threshold`` of :func:`distance_to_health`.

    Returns
    -------
    fingerprints, distance
        :func:`sample_fingerprints` and :func:`distance_to_health` tables.
    """
    mask = select_samples(
        sheet, reference, where="fingerprints.reference", sheet_path="results/validated/samples.tsv"
    )
    ref = sheet.loc[mask, "sample_id"].astype(str).tolist()
    log.info(
        "fingerprints: %d samples against %d reference samples (%s scale, FC %g, difference %g)",
        expression.shape[1],
        len(ref),
        scale,
        fold_change,
        difference,
    )
    fingerprints = sample_fingerprints(
        expression,
        ref,
        membership,
        scale=scale,
        offset=offset,
        fold_change=fold_change,
        difference=difference,
    )
    distance = distance_to_health(expression, ref, sd_threshold=distance_sd)
    return fingerprints, distance


def check_fingerprint_settings(
    sheet: pd.DataFrame,
    section: Mapping[str, Any],
    *,
    sheet_path: str,
    derived_column: str | None = None,
) -> bool:
    """Check the ``fingerprints`` section against the sample sheet; True when it is switched on.

    Parameters
    ----------
    sheet
        Checked sample sheet (see :func:`check_sample_sheet`).
    section
        ``config["fingerprints"]`` (schema defaults applied). No ``reference`` = off.
    sheet_path
        Path of the sample sheet, for messages.
    derived_column
        The responder column the clinical stage derives (config ``clinical.responder.column``),
        or None. The workflow merges it into ``sheet`` at parse time, so ``colour_by`` may name
        it; here it only words the message.

    Returns
    -------
    bool
        False when ``reference`` is not set (per-sample fingerprints are skipped), else True.

    Raises
    ------
    InputError
        A reference selector that selects fewer than 2 samples or every sample, a
        ``group_by``/``order_by``/``subject`` column missing from the sheet, or a ``colour_by``
        column that is neither in the sheet nor the derived responder column.
    """
    reference = section.get("reference")
    if not reference:
        return False
    mask = select_samples(sheet, reference, where="fingerprints.reference", sheet_path=sheet_path)
    if int(mask.sum()) < 2 or bool(mask.all()):
        raise InputError(
            f"config fingerprints.reference selects {int(mask.sum())} of {len(mask)} samples of "
            f"{sheet_path}; it needs at least 2 reference samples and at least one other sample "
            "(e.g. {group: healthy})."
        )
    named = [
        *[("group_by", c) for c in section.get("group_by") or []],
        *[("order_by", c) for c in section.get("order_by") or []],
        *([("subject", section["subject"])] if section.get("subject") else []),
    ]
    for key, column in named:
        if column not in sheet.columns:
            raise InputError(
                f"config fingerprints.{key}: column {column!r} is not in the sample sheet "
                f"{sheet_path} (columns: {', '.join(map(str, sheet.columns))}). Fix the name or "
                "add the column."
            )
    colour_by = section.get("colour_by")
    if colour_by and colour_by not in sheet.columns:
        derived = (
            f"the responder column the clinical stage derives is {derived_column!r}"
            if derived_column
            else "no responder column is derived (config clinical.responder is not set)"
        )
        raise InputError(
            f"config fingerprints.colour_by: column {colour_by!r} is not in the sample sheet "
            f"{sheet_path} (columns: {', '.join(map(str, sheet.columns))}) and {derived}. Fix "
            "the name, add the column, or set colour_by: null."
        )
    return True
