"""Rounding the clinical tables for people (the report); the TSV files keep full precision."""

from __future__ import annotations

import pandas as pd

__all__ = ["display_table", "format_p"]


def format_p(text: str) -> str:
    """A p-value as the paper prints it: 3 decimals, ``<0.001`` below 0.001, empty if none."""
    if text in ("", "nan", "NaN"):
        return ""
    p = float(text)
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _round(text: str, digits: int) -> str:
    if text in ("", "nan", "NaN"):
        return ""
    try:
        value = float(text)
    except ValueError:
        return text
    return f"{value:.{digits}f}"


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of a clinical table (cells as text) rounded for display.

    ``p_value``: 3 decimals (``<0.001``); ``statistic``, ``patient_years``,
    ``rate_per_patient_year``: 2 decimals; columns ending in ``percent``, ``mean_change`` and
    the ``improvement_*`` columns: 0 decimals, as the paper. Other cells are unchanged.
    """
    out = table.copy()
    for column in out.columns:
        if column == "p_value":
            out[column] = out[column].map(format_p)
        elif column in ("statistic", "patient_years", "rate_per_patient_year"):
            out[column] = out[column].map(lambda t: _round(t, 2))
        elif column.endswith(("percent", "mean_change")) or column.startswith("improvement_"):
            out[column] = out[column].map(lambda t: _round(t, 0))
    return out
