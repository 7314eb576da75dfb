"""The clinical stage in one call: check the table, compute every definition and the flares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from modmap.clinical.definitions import response_table
from modmap.clinical.flares import flare_table
from modmap.clinical.reading import check_clinical
from modmap.clinical.systemic import CRP_NORMAL, ESR_NORMAL

__all__ = ["Evaluated", "evaluate"]


@dataclass
class Evaluated:
    """The checked clinical table, the responses (response.tsv) and the flares (flares.tsv)."""

    clinical: pd.DataFrame
    response: pd.DataFrame
    flares: pd.DataFrame

    @property
    def subjects(self) -> list[str]:
        """Subjects in order of first appearance."""
        return list(dict.fromkeys(self.clinical["subject_id"]))


def evaluate(
    raw: pd.DataFrame,
    *,
    path: str,
    visits: Sequence[str],
    baseline: str,
    columns: Mapping[str, str] | None = None,
    crp_normal: float = CRP_NORMAL,
    esr_normal: float = ESR_NORMAL,
    crp_below: float = 15.0,
    prednisone_mg_kg_day: float = 0.3,
    prednisone_mg_day: float = 10.0,
    physician_global_max: float = 0.0,
    flare_reference: Literal["previous", "baseline"] = "previous",
) -> Evaluated:
    """Check ``raw`` (:func:`~modmap.clinical.reading.check_clinical`) and evaluate it.

    The options are those of :func:`~modmap.clinical.definitions.response_table` and of
    :func:`~modmap.clinical.flares.flare_table` (``flare_reference`` = its ``reference``).
    """
    clinical = check_clinical(raw, path=path, visits=visits, baseline=baseline, columns=columns)
    response = response_table(
        clinical,
        visits=visits,
        baseline=baseline,
        crp_normal=crp_normal,
        esr_normal=esr_normal,
        crp_below=crp_below,
        prednisone_mg_kg_day=prednisone_mg_kg_day,
        prednisone_mg_day=prednisone_mg_day,
        physician_global_max=physician_global_max,
    )
    flares = flare_table(clinical, visits=visits, baseline=baseline, reference=flare_reference)
    return Evaluated(clinical, response, flares)
