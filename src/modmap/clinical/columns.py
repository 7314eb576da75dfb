"""The columns of the long clinical table: names, kinds, units and allowed ranges.

One row per subject and visit. ``workflow/schemas/clinical.schema.yaml`` describes the same
columns for users (a test keeps the two in step). Names here are the canonical ones; a cohort
whose file uses other names maps them in the config (``clinical.columns``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "visit", "arm", "number", "count", "yesno"]


@dataclass(frozen=True)
class Column:
    """One column of the clinical table.

    Attributes
    ----------
    name
        Canonical name.
    kind
        ``id``/``visit``/``arm`` (text, never empty), ``number`` (real, missing allowed),
        ``count`` (non-negative integer, missing allowed), ``yesno`` (``yes``/``no``, missing
        allowed).
    unit
        Unit and scale, for messages and the docs.
    minimum, maximum
        Allowed range (inclusive; ``None`` = unbounded).
    required
        The column must be in the file (values may still be missing). Optional columns that are
        absent are read as all missing, so the definitions that need them come out NA.
    """

    name: str
    kind: Kind
    unit: str
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("subject_id", "id", "subject identifier (text)", required=True),
    Column("visit", "visit", "visit name, one of clinical.visits", required=True),
    Column("arm", "arm", "randomised arm (text)", required=True),
    Column("physician_global", "number", "mm on a 0-100 VAS", 0, 100, required=True),
    Column("patient_global", "number", "mm on a 0-100 VAS", 0, 100, required=True),
    Column("active_joints", "count", "joints", 0, None, required=True),
    Column("limited_joints", "count", "joints", 0, None, required=True),
    Column("chaq", "number", "CHAQ score, 0-3", 0, 3, required=True),
    Column("esr", "number", "mm/h (first hour)", 0, None, required=True),
    Column("crp", "number", "mg/l", 0, None, required=True),
    Column(
        "fever_days",
        "count",
        "days with temperature >= 38 C over the previous 8 days",
        0,
        8,
        required=True,
    ),
    Column("saa", "number", "mg/l", 0, None),
    Column("ferritin", "number", "ng/ml", 0, None),
    Column("prednisone_mg_kg_day", "number", "mg/kg/day of predniso(lo)ne", 0, None),
    Column("weight_kg", "number", "kg", 0, None),
    Column("systemic_symptoms", "yesno", "yes/no"),
    Column("diary_score", "number", "daily diary score", 0, None),
)

BY_NAME = {c.name: c for c in COLUMNS}

#: The six ACRpedi core-set criteria (Giannini et al. 1997), lower = better for all six.
CORE = (
    "physician_global",
    "patient_global",
    "active_joints",
    "limited_joints",
    "chaq",
    "esr",
)
