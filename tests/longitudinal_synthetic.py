"""Synthetic longitudinal tables with planted truth, shaped like the toy trial (CONTRACTS.md).

Used by the end-to-end tests of the longitudinal stage until (and besides) the toy cohort's own
tables. Every value is a plain formula of the subject's position, so the tests can recompute
the expected statistics by hand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: Days to flare and flare flag of the synthetic withdrawal sub-study (NOMID-like: all but two
#: flare within days). Kaplan-Meier by hand: 10 subjects; flares at 2, 3, 3, 4, 5, 7, 9, 12;
#: censored at 6 and 14. S(2) = 0.9, S(3) = 0.7, S(4) = 0.6, S(5) = 0.5 -> plateau at 0.5
#: until the next flare at 7 -> median (5 + 7) / 2 = 6.
WITHDRAWAL = [
    ("W01", 2, 1),
    ("W02", 3, 1),
    ("W03", 3, 1),
    ("W04", 4, 1),
    ("W05", 5, 1),
    ("W06", 6, 0),
    ("W07", 7, 1),
    ("W08", 9, 1),
    ("W09", 12, 1),
    ("W10", 14, 0),
]


def patients(samples: pd.DataFrame) -> pd.DataFrame:
    """subject_id and arm of every patient of the toy sample sheet, sorted by subject."""
    p = samples[samples["group"] == "patient"][["subject_id", "arm"]].drop_duplicates()
    return p.sort_values("subject_id").reset_index(drop=True)


def analyte_table(samples: pd.DataFrame) -> pd.DataFrame:
    """IP10 and TRAIL at D1 and M6: anakinra rises (x2 / +10), placebo wobbles around 0.

    The last anakinra subject has no M6 value (unpaired: left out with a warning).
    """
    rows = []
    subjects = patients(samples)
    last_anakinra = subjects[subjects["arm"] == "anakinra"]["subject_id"].iloc[-1]
    for i, (subject, arm) in enumerate(subjects.itertuples(index=False)):
        ip10 = 100.0 + 10 * i
        trail = 50.0 + i
        wobble = (-1) ** i * (1 + i % 3)
        rows.append((subject, "D1", "IP10", ip10))
        rows.append((subject, "D1", "TRAIL", trail))
        if subject == last_anakinra:
            continue
        if arm == "anakinra":
            rows.append((subject, "M6", "IP10", 2 * ip10 + wobble))
            rows.append((subject, "M6", "TRAIL", trail + 10 + wobble))
        else:
            rows.append((subject, "M6", "IP10", ip10 + wobble))
            rows.append((subject, "M6", "TRAIL", trail + wobble))
    return pd.DataFrame(rows, columns=["subject_id", "visit", "analyte", "value"])


def clinical_table(samples: pd.DataFrame) -> pd.DataFrame:
    """Wide clinical table (subject_id, visit, arm, crp, saa, esr): anakinra falls, placebo not."""
    rows = []
    for i, (subject, arm) in enumerate(patients(samples).itertuples(index=False)):
        for k, visit in enumerate(["D1", "M1", "M6"]):
            fall = 0.25**k if arm == "anakinra" else 1.0
            crp = round((40 + 3 * i) * fall, 2)
            saa = round((150 + 7 * i) * fall, 2)
            esr = round(30 + i - (10 * k if arm == "anakinra" else 0) + (i % 2), 2)
            rows.append((subject, visit, arm, crp, saa, esr))
    return pd.DataFrame(rows, columns=["subject_id", "visit", "arm", "crp", "saa", "esr"])


def withdrawal_table() -> pd.DataFrame:
    return pd.DataFrame(WITHDRAWAL, columns=["subject_id", "days_to_flare", "flared"])


def write_tables(workdir: Path) -> dict[str, str]:
    """Write the three tables into ``workdir/resources/longitudinal/``; return their paths."""
    samples = pd.read_csv(workdir / "config" / "samples.tsv", sep="\t", dtype=str)
    out = workdir / "resources" / "longitudinal"
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "analytes": "resources/longitudinal/analytes.tsv",
        "clinical": "resources/longitudinal/clinical.tsv",
        "withdrawal": "resources/longitudinal/withdrawal.tsv",
    }
    analyte_table(samples).to_csv(workdir / paths["analytes"], sep="\t", index=False)
    clinical_table(samples).to_csv(workdir / paths["clinical"], sep="\t", index=False)
    withdrawal_table().to_csv(workdir / paths["withdrawal"], sep="\t", index=False)
    return paths


def longitudinal_config(paths: dict[str, str]) -> dict:
    """The five sections, all on, for the toy config plus the synthetic tables."""
    return {
        "signature": {"follow": ["responders_M6", "nonresponders_M6", "placebo_M6"]},
        "analytes": {
            "path": paths["analytes"],
            "analytes": ["IP10", "TRAIL"],
            "genes": ["SOCS3"],
            "baseline": "D1",
            "visit": "M6",
            "test": "paired_t",
            "group_by": "arm",
        },
        "labs": {
            "path": paths["clinical"],
            "variables": ["crp", "saa", "esr"],
            "visits": ["D1", "M1", "M6"],
            "baseline": "D1",
            "group_by": "arm",
            "log_scale": ["crp", "saa"],
        },
        "survival": {"path": paths["withdrawal"]},
        "transcripts": {
            "sets": [
                {"name": "anakinra_not_placebo_M1", "in": "anakinra_M1", "not_in": "placebo_M1"}
            ]
        },
    }


__all__ = [
    "WITHDRAWAL",
    "analyte_table",
    "clinical_table",
    "longitudinal_config",
    "np",
    "patients",
    "withdrawal_table",
    "write_tables",
]
