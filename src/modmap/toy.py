"""Deterministic generator of the toy SJIA cohort shipped in ``resources/toy/``.

The toy cohort mimics the anakinra trial in systemic-onset juvenile idiopathic arthritis (Quartier
et al., Ann Rheum Dis 2011) and its design (placebo patients switch to open-label anakinra at M1):
12 anakinra and 12 placebo patients sampled at D1, M1 and M6 (a few visits missing), 21
age/sex-matched healthy controls, an Illumina-style expression matrix, 28 first-generation modules
keyed on Affymetrix-style probe sets, the two platform tables that bridge them through RefSeq, and
the trial's clinical tables (:mod:`modmap.toy_trial`). Everything that is planted (bridge outcome
of every module probe set, module sizes after the bridge, direction of every module in every
comparison, every patient's response by every Table 2 definition, the direction of SOCS3, IP10
and TRAIL) is written next to the data so tests can check the pipeline against it. See
``docs/toy.md``.

Run ``python -m modmap.toy --outdir resources/toy`` from the repository root. The output is
byte-identical on every run: seeded :func:`numpy.random.default_rng` streams, fixed float
formats, stable orders and gzip with ``mtime=0``.
"""

from __future__ import annotations

import argparse
import gzip
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from modmap import toy_trial
from modmap._toy_genes import MARKERS, MODULES
from modmap.errors import InputError
from modmap.io import atomic_path

SEED = 2011
#: Whether samples.tsv carries the planted ``responder`` column (M6 primary endpoint). Set to
#: False (or pass --no-responder-column) once the clinical stage derives it from clinical.tsv,
#: then run ``make toy``; truth.tsv is the same either way.
RESPONDER_COLUMN = True
N_ILLUMINA = 3000
N_EXTRA_PROBE_SETS = 400
N_MISSING_CELLS = 24
FRACTION_TWO_DECIMALS = 0.10

Kind = Literal[
    "unambiguous", "duplicate", "no_key", "no_match", "two_genes", "two_probes", "conflict"
]
Direction = Literal["up", "down", "none", "partial"]

#: Probability of each bridge construction for a module probe set (ordinary modules).
KIND_PROBABILITIES: dict[str, float] = {
    "unambiguous": 0.72,
    "no_key": 0.07,
    "no_match": 0.11,
    "two_genes": 0.05,
    "two_probes": 0.05,
}
#: Fixed constructions of the modules built to fall below 10 genes after the bridge.
SMALL_MODULE_KINDS: dict[str, dict[str, int]] = {
    "M2.9": {"unambiguous": 7, "no_key": 3, "no_match": 3, "two_genes": 2, "two_probes": 1},
    "M3.6": {"unambiguous": 9, "duplicate": 1, "no_key": 2, "no_match": 2, "two_probes": 1},
}
#: Pairs of modules sharing one Illumina target (a conflict: it leaves both modules).
CONFLICT_PAIRS: tuple[tuple[str, str], ...] = (
    ("M1.5", "M2.6"),
    ("M2.8", "M3.8"),
    ("M1.6", "M3.4"),
    ("M2.4", "M1.7"),
)
#: Modules that get a second probe set for one of their genes (same target, counted once).
DUPLICATE_MODULES: tuple[str, ...] = ("M1.5", "M2.2", "M2.6", "M2.8", "M3.1", "M3.2")

STATUS_OF_KIND: dict[str, str] = {
    "unambiguous": "unambiguous",
    "duplicate": "unambiguous",
    "no_key": "no_key",
    "no_match": "no_match",
    "two_genes": "ambiguous",
    "two_probes": "ambiguous",
    "conflict": "conflict",
}

# Noise model, in units of each probe's SD: subject (shared across visits) share, latent module
# factor loading range, planted shift range for affected genes and fraction of weak genes.
SUBJECT_SHARE = 0.4
LOADING_RANGE = (0.3, 0.55)
SHIFT_RANGE = (1.2, 2.0)
WEAK_FRACTION = 0.15
WEAK_RANGE = (0.0, 0.3)
ACTIVITY_RANGE = (0.75, 1.25)


@dataclass
class Gene:
    """A real gene: symbol, Entrez ID and its NM_ RefSeq accessions (sorted, unversioned)."""

    symbol: str
    entrez: str
    refseqs: tuple[str, ...]


@dataclass
class Design:
    """The platform-level construction of the toy cohort (no expression values yet)."""

    modules: pd.DataFrame  # module_id, title, feature_id
    affymetrix: pd.DataFrame  # GPL96-like
    illumina: pd.DataFrame  # GPL6102-like, one row per expression probe, sorted by ID
    bridge_truth: pd.DataFrame  # source_id, status, target_id, module_id, construction
    modules_truth: pd.DataFrame  # module_id, n_members_expected, kept, n_source
    probe_module: dict[str, str] = field(default_factory=dict)  # ILMN ID -> module biology


def _streams(seed: int) -> dict[str, np.random.Generator]:
    # New streams go at the end: the others keep their seeds (and their output) unchanged.
    names = ["samples", "design", "ids", "expression", "format", "trial", "clinical", "events"]
    return {name: np.random.default_rng([seed, i]) for i, name in enumerate(names)}


# --------------------------------------------------------------------------------------------
# reading


def read_annotation(path: str | os.PathLike) -> pd.DataFrame:
    """Read the RefSeq/Entrez/symbol table (``REFSEQ``, ``ENTREZID``, ``SYMBOL``) as strings.

    Parameters
    ----------
    path
        ``resources/annotation/refseq_entrez_symbol.tsv.gz`` (org.Hs.eg.db 3.16.0 export):
        tab-separated, gzip-compressed or plain (inferred from the name by pandas).

    Returns
    -------
    pandas.DataFrame
        Every column of the file as strings, empty cells as ``""`` (no NaN), file order.

    Raises
    ------
    InputError
        One of the columns ``REFSEQ``, ``ENTREZID``, ``SYMBOL`` is missing.
    """
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    missing = {"REFSEQ", "ENTREZID", "SYMBOL"} - set(table.columns)
    if missing:
        raise InputError(
            f"{path}: columns {sorted(missing)} missing (found {list(table.columns)}); use the "
            "org.Hs.eg.db export shipped in resources/annotation/refseq_entrez_symbol.tsv.gz"
        )
    return table


def read_comparisons(path: str | os.PathLike) -> list[dict[str, Any]]:
    """Read the ``comparisons`` list of a modmap config file (YAML).

    Parameters
    ----------
    path
        Config file (UTF-8 YAML), e.g. ``config/config.yaml``. Nothing else in it is read or
        checked.

    Returns
    -------
    list of dict
        The comparisons as written (``name``, ``case``, ``control``, optional ``paired_by`` and
        ``label``), in file order.

    Raises
    ------
    InputError
        The file is empty or has no (or an empty) ``comparisons`` list.
    """
    with open(path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    comparisons = config.get("comparisons")
    if not comparisons:
        raise InputError(
            f"{path}: no 'comparisons' list found; the toy truth is written per comparison, "
            "so point --config at a config with comparisons (e.g. config/config.yaml)"
        )
    return list(comparisons)


# --------------------------------------------------------------------------------------------
# samples


def make_subjects(rng: np.random.Generator) -> pd.DataFrame:
    """Draw the 24 patients: arm (12:12), sex (15 F / 9 M) and age (2-17 years, mean near 8.5).

    Parameters
    ----------
    rng
        Random stream of the sample sheet (the same stream then draws the missing visits and the
        controls in :func:`make_samples`).

    Returns
    -------
    pandas.DataFrame
        ``subject_id`` (``SJIA01`` ... ``SJIA24``), ``arm`` (``anakinra``/``placebo``), ``sex``
        (``F``/``M``), ``age`` (int, whole years).
    """
    n = 24
    arms = np.array(["anakinra"] * 12 + ["placebo"] * 12)[rng.permutation(n)]
    sexes = np.array(["F"] * 15 + ["M"] * 9)[rng.permutation(n)]
    ages = np.clip(np.rint(rng.normal(8.5, 4.5, size=n)), 2, 17).astype(int)
    ids = [f"SJIA{i + 1:02d}" for i in range(n)]
    return pd.DataFrame({"subject_id": ids, "arm": arms, "sex": sexes, "age": ages})


def make_samples(
    subjects: pd.DataFrame, responder: Mapping[str, str], *, rng: np.random.Generator
) -> pd.DataFrame:
    """Build the toy sample sheet (all columns strings; see docs/architecture.md).

    The 24 patients at D1, M1 and M6 with six visits missing (one subject each: two anakinra M6
    responders, one at M1 and one at M6; an anakinra non-responder at D1; placebo
    non-responders at M1 and at M6; a placebo M6 responder at M6), then 21 healthy controls
    matched to 21 patients on sex and age (+-1 year).

    Parameters
    ----------
    subjects
        From :func:`make_subjects`.
    responder
        Subject ID -> ``yes``/``no``: the planted primary endpoint at M6
        (:func:`modmap.toy_trial.planted_responses`), written on every visit row of the subject.
    rng
        Random stream choosing the missing visits and the controls' matching.

    Returns
    -------
    pandas.DataFrame
        One row per sample, patients first (``SJIA01_D1``, ``SJIA01_M1``, ... by subject, then
        visit) then controls (``HC01`` ...): ``sample_id``, ``subject_id`` (the sample ID for a
        control), ``group`` (``patient``/``healthy``), ``arm`` (``anakinra``/``placebo``, the
        randomised arm), ``timepoint`` (``D1``/``M1``/``M6``), ``responder`` (``yes``/``no``),
        ``age`` (whole years, at least 2), ``sex`` (``F``/``M``); ``arm``, ``timepoint`` and
        ``responder`` are empty for controls. 66 patient samples and 21 controls.
    """
    n = len(subjects)
    ids = subjects["subject_id"].to_numpy()
    arms, sexes, ages = (subjects[c].to_numpy() for c in ("arm", "sex", "age"))
    resp = np.array([responder[s] for s in ids])
    # Missing visits: (arm, responder at M6, timepoint) -> one subject each, chosen at random.
    missing_plan = [
        ("anakinra", "yes", "M1"),
        ("anakinra", "yes", "M6"),
        ("anakinra", "no", "D1"),
        ("placebo", "no", "M1"),
        ("placebo", "no", "M6"),
        ("placebo", "yes", "M6"),
    ]
    missing: set[tuple[int, str]] = set()
    used: set[int] = set()
    for arm, r, tp in missing_plan:
        pool = [i for i in range(n) if arms[i] == arm and resp[i] == r and i not in used]
        i = int(rng.choice(pool))
        used.add(i)
        missing.add((i, tp))
    rows = []
    for i in range(n):
        for tp in ("D1", "M1", "M6"):
            if (i, tp) in missing:
                continue
            rows.append(
                [f"{ids[i]}_{tp}", ids[i], "patient", arms[i], tp, resp[i], ages[i], sexes[i]]
            )
    matched = np.sort(rng.permutation(n)[:21])
    for k, i in enumerate(matched):
        hc = f"HC{k + 1:02d}"
        age = max(2, int(ages[i]) + int(rng.integers(-1, 2)))
        rows.append([hc, hc, "healthy", "", "", "", age, sexes[i]])
    columns = ["sample_id", "subject_id", "group", "arm", "timepoint", "responder", "age", "sex"]
    return pd.DataFrame(rows, columns=columns).astype(str)


# --------------------------------------------------------------------------------------------
# platform design


def _gene_table(annotation: pd.DataFrame) -> dict[str, Gene]:
    nm = annotation[annotation["REFSEQ"].str.startswith("NM_")]
    nm = nm[~nm["SYMBOL"].str.startswith("LOC")]
    genes: dict[str, Gene] = {}
    for (symbol, entrez), group in nm.groupby(["SYMBOL", "ENTREZID"], sort=True):
        genes[symbol] = Gene(symbol, entrez, tuple(sorted(group["REFSEQ"])))
    return genes


def _module_kinds(module_id: str, n: int, rng: np.random.Generator) -> list[str]:
    if module_id in SMALL_MODULE_KINDS:
        kinds = [k for k, c in SMALL_MODULE_KINDS[module_id].items() for _ in range(c)]
        return [kinds[i] for i in rng.permutation(len(kinds))]
    names = list(KIND_PROBABILITIES)
    p = np.array([KIND_PROBABILITIES[k] for k in names])
    kinds = [names[i] for i in rng.choice(len(names), size=n, p=p / p.sum())]
    if module_id in DUPLICATE_MODULES:
        kinds[-1] = "duplicate"
    n_conflict = sum(module_id in pair for pair in CONFLICT_PAIRS)
    for j in range(n_conflict):
        kinds[-2 - j] = "conflict"
    return kinds


def build_design(
    annotation: pd.DataFrame, *, rng: np.random.Generator, id_rng: np.random.Generator
) -> Design:
    """Construct modules, both platform tables and the bridge truth from real genes.

    Parameters
    ----------
    annotation
        ``REFSEQ``, ``ENTREZID``, ``SYMBOL`` (see :func:`read_annotation`); only NM_ accessions
        of non-``LOC`` genes are used.
    rng, id_rng
        Random streams for the construction and for the probe IDs and RefSeq versions.

    Returns
    -------
    Design
        Every module probe set gets one construction (``Kind``); its bridge status follows from
        it (``STATUS_OF_KIND``), so the truth never depends on a bridge implementation.
    """
    genes = _gene_table(annotation)
    marker_set = {g for markers in MARKERS.values() for g in markers}
    filler = [s for s in genes if s not in marker_set]
    filler = [filler[i] for i in rng.permutation(len(filler))]

    def take_filler(*, min_refseqs: int = 1) -> Gene:
        for k, symbol in enumerate(filler):
            if len(genes[symbol].refseqs) >= min_refseqs:
                return genes[filler.pop(k)]
        raise RuntimeError("gene pool exhausted")  # pragma: no cover - 20k genes available

    # Each record: one Affymetrix probe set (module or extra) with its listed genes/RefSeqs.
    probe_sets: list[dict[str, Any]] = []
    # Each record: one Illumina probe (gene, RefSeq accession or "", module whose biology).
    ilmn: list[dict[str, Any]] = []
    ilmn_of_gene: dict[str, int] = {}

    def add_ilmn(gene: Gene | None, refseq: str, biology: str) -> int:
        ilmn.append({"gene": gene, "refseq": refseq, "biology": biology, "version_bump": 0})
        return len(ilmn) - 1

    def listed_refseqs(gene: Gene) -> list[str]:
        k = int(rng.integers(1, min(3, len(gene.refseqs)) + 1))
        return sorted(rng.choice(gene.refseqs, size=k, replace=False).tolist())

    conflict_genes = [take_filler() for _ in CONFLICT_PAIRS]
    conflict_slots: dict[str, list[int]] = {}
    for c, pair in enumerate(CONFLICT_PAIRS):
        for module_id in pair:
            conflict_slots.setdefault(module_id, []).append(c)
    conflict_target: dict[int, int] = {}

    for module_id, (_title, _role, n) in MODULES.items():
        kinds = _module_kinds(module_id, n, rng)
        markers = [genes[s] for s in MARKERS[module_id] if s in genes]
        first_unambiguous: Gene | None = None
        pending_conflicts = list(conflict_slots.get(module_id, []))
        for kind in kinds:
            if kind == "conflict":
                c = pending_conflicts.pop(0)
                gene = conflict_genes[c]
                if c not in conflict_target:
                    conflict_target[c] = add_ilmn(gene, rng.choice(gene.refseqs), "")
                ref = ilmn[conflict_target[c]]["refseq"]
                extra = [r for r in listed_refseqs(gene) if r != ref][:1]
                probe_sets.append(_ps(module_id, kind, [gene], sorted([ref, *extra])))
                continue
            if kind == "duplicate":
                continue  # added after the module's unambiguous genes exist
            gene = markers.pop(0) if markers else take_filler()
            if kind == "unambiguous":
                refs = listed_refseqs(gene)
                ilmn_of_gene[gene.symbol] = add_ilmn(gene, rng.choice(refs), module_id)
                first_unambiguous = first_unambiguous or gene
                probe_sets.append(_ps(module_id, kind, [gene], refs))
            elif kind == "no_key":
                if rng.random() < 0.5:
                    add_ilmn(gene, rng.choice(gene.refseqs), module_id)
                blank = rng.random() < 0.35
                probe_sets.append(_ps(module_id, kind, [] if blank else [gene], [], named=gene))
            elif kind == "no_match":
                probe_sets.append(_ps(module_id, kind, [gene], listed_refseqs(gene)))
            elif kind == "two_genes":
                other = take_filler()
                ref_a, ref_b = rng.choice(gene.refseqs), rng.choice(other.refseqs)
                add_ilmn(gene, ref_a, module_id)
                add_ilmn(other, ref_b, "")
                probe_sets.append(_ps(module_id, kind, [gene, other], [ref_a, ref_b]))
            elif kind == "two_probes":
                ref = rng.choice(gene.refseqs)
                add_ilmn(gene, ref, module_id)
                second = add_ilmn(gene, ref, module_id)
                ilmn[second]["version_bump"] = int(rng.integers(0, 2))
                probe_sets.append(_ps(module_id, kind, [gene], [ref]))
        if "duplicate" in kinds:
            if first_unambiguous is None:  # pragma: no cover - every module has some
                raise RuntimeError(f"{module_id}: no unambiguous gene to duplicate")
            target = ilmn[ilmn_of_gene[first_unambiguous.symbol]]["refseq"]
            probe_sets.append(_ps(module_id, "duplicate", [first_unambiguous], [target]))

    # Background: Illumina probes on genes outside the modules (some with two probes on two
    # RefSeqs of the gene, a few unannotated), and extra Affymetrix probe sets on them.
    background: list[Gene] = []
    while len(ilmn) < N_ILLUMINA - 12:
        gene = take_filler()
        background.append(gene)
        refs = rng.permutation(gene.refseqs)
        add_ilmn(gene, refs[0], "")
        if len(refs) > 1 and rng.random() < 0.08 and len(ilmn) < N_ILLUMINA - 12:
            add_ilmn(gene, refs[1], "")
    while len(ilmn) < N_ILLUMINA:
        add_ilmn(None, "", "")
    for i in rng.permutation(len(background))[:N_EXTRA_PROBE_SETS]:
        gene = background[i]
        probe_sets.append(_ps("", "extra", [gene], listed_refseqs(gene)))
    for _ in range(40):  # probe sets on genes absent from the Illumina table
        gene = take_filler()
        probe_sets.append(_ps("", "extra", [gene], listed_refseqs(gene)))
    return _assemble(probe_sets, ilmn, id_rng)


def _ps(
    module_id: str,
    kind: str,
    genes: Sequence[Gene],
    refseqs: Sequence[str],
    *,
    named: Gene | None = None,
) -> dict[str, Any]:
    return {
        "module_id": module_id,
        "kind": kind,
        "genes": list(genes),
        "refseqs": [str(r) for r in refseqs],
        "named": named,
    }


def _assemble(
    probe_sets: list[dict[str, Any]], ilmn: list[dict[str, Any]], rng: np.random.Generator
) -> Design:
    # Probe IDs: Affymetrix U133A-style numbers with _at / _s_at / _x_at suffixes; Illumina IDs
    # ILMN_ + 7 digits; RefSeq versions 1-5 per accession (a second Illumina probe on the same
    # accession may carry the next version, as real GPL6102 rows do).
    numbers = rng.choice(np.arange(200000, 222400), size=len(probe_sets), replace=False)
    suffixes = rng.choice(["_at", "_s_at", "_x_at"], size=len(probe_sets), p=[0.7, 0.22, 0.08])
    ps_ids = [f"{n}{s}" for n, s in zip(numbers, suffixes, strict=True)]
    ilmn_numbers = rng.choice(np.arange(1651000, 2416000), size=len(ilmn), replace=False)
    ilmn_ids = [f"ILMN_{n}" for n in ilmn_numbers]
    all_refs = sorted({p["refseq"] for p in ilmn if p["refseq"]})
    versions = dict(zip(all_refs, rng.integers(1, 6, size=len(all_refs)).tolist(), strict=True))

    ilmn_rows = []
    target_of_ref: dict[str, list[str]] = {}
    probe_module: dict[str, str] = {}
    for pid, probe in zip(ilmn_ids, ilmn, strict=True):
        gene, ref = probe["gene"], probe["refseq"]
        if ref:
            target_of_ref.setdefault(ref, []).append(pid)
        versioned = f"{ref}.{versions[ref] + probe['version_bump']}" if ref else ""
        ilmn_rows.append([pid, gene.symbol if gene else "", gene.entrez if gene else "", versioned])
        if probe["biology"]:
            probe_module[pid] = probe["biology"]
    illumina = pd.DataFrame(ilmn_rows, columns=["ID", "Symbol", "Entrez_Gene_ID", "RefSeq_ID"])
    illumina = illumina.sort_values("ID", kind="stable").reset_index(drop=True)

    affy_rows, module_rows, truth_rows = [], [], []
    for pid, ps in zip(ps_ids, probe_sets, strict=True):
        genes = ps["genes"]
        affy_rows.append(
            [
                pid,
                " /// ".join(g.symbol for g in genes),
                " /// ".join(g.entrez for g in genes),
                " /// ".join(ps["refseqs"]),
            ]
        )
        if not ps["module_id"]:
            continue
        module_id = ps["module_id"]
        module_rows.append([module_id, MODULES[module_id][0], pid])
        targets = sorted({t for r in ps["refseqs"] for t in target_of_ref.get(r, [])})
        status = STATUS_OF_KIND[ps["kind"]]
        target = targets[0] if status == "unambiguous" else ""
        truth_rows.append([pid, status, target, module_id, ps["kind"]])
    affymetrix = pd.DataFrame(
        affy_rows, columns=["ID", "Gene Symbol", "ENTREZ_GENE_ID", "RefSeq Transcript ID"]
    )
    controls = pd.DataFrame(
        [[f"AFFX-{name}", "", "", ""] for name in ("BioB-5_at", "BioC-5_at", "CreX-3_at")],
        columns=affymetrix.columns,
    )
    affymetrix = pd.concat([affymetrix, controls]).sort_values("ID", kind="stable")
    order = {m: i for i, m in enumerate(MODULES)}
    modules = pd.DataFrame(module_rows, columns=["module_id", "title", "feature_id"])
    modules = modules.sort_values(
        ["module_id", "feature_id"], key=lambda s: s.map(order) if s.name == "module_id" else s
    ).reset_index(drop=True)
    bridge = pd.DataFrame(
        truth_rows, columns=["source_id", "status", "target_id", "module_id", "construction"]
    )
    bridge = bridge.sort_values("source_id", kind="stable").reset_index(drop=True)

    kept = bridge[bridge["status"] == "unambiguous"]
    n_members = kept.groupby("module_id")["target_id"].nunique()
    n_source = modules.groupby("module_id").size()
    mt = pd.DataFrame({"module_id": list(MODULES)})
    mt["n_members_expected"] = mt["module_id"].map(n_members).fillna(0).astype(int)
    mt["kept"] = np.where(mt["n_members_expected"] >= 10, "true", "false")
    mt["n_source"] = mt["module_id"].map(n_source).astype(int)
    return Design(
        modules=modules,
        affymetrix=affymetrix.reset_index(drop=True),
        illumina=illumina,
        bridge_truth=bridge,
        modules_truth=mt,
        probe_module=probe_module,
    )


# --------------------------------------------------------------------------------------------
# planted biology


def planted_states(samples: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Planted state of every module in every sample: +1 up, -1 down, 0 as healthy.

    The trial's design: placebo patients switch to open-label anakinra at M1, so a patient is
    treated at anakinra M1 and M6 and at placebo M6 (:data:`modmap.toy_trial.TREATED_VISITS`).
    ``up`` modules are +1 and ``down`` modules -1 in every patient sample except a treated visit
    at which the patient meets the primary endpoint (modified ACRpedi 30 vs D1), where they are
    back to 0; untreated visits (D1, placebo M1) stay as at D1 whatever the clinical course. The
    interferon module is +1 in every treated sample whatever the response, 0 otherwise. Healthy
    controls are 0.

    Parameters
    ----------
    samples
        Toy sample sheet (:func:`make_samples`): ``sample_id``, ``subject_id``, ``group``,
        ``arm``, ``timepoint``.
    responses
        Planted responses (:func:`modmap.toy_trial.planted_responses`): ``subject_id``,
        ``visit``, ``primary`` (``yes``/``no``).

    Returns
    -------
    pandas.DataFrame
        Modules (rows, ``MODULES`` order) x samples (sample-sheet order), int.
    """
    treated = treated_mask(samples)
    yes = responses[responses["primary"] == "yes"]
    met = set(zip(yes["subject_id"], yes["visit"], strict=True))
    responded = np.array(
        [(s, v) in met for s, v in zip(samples["subject_id"], samples["timepoint"], strict=True)]
    )
    patient = samples["group"].eq("patient").to_numpy()
    disease = patient & ~(treated & responded)
    sign = {
        "up": disease.astype(int),
        "down": -disease.astype(int),
        "interferon": treated.astype(int),
    }
    zeros = np.zeros(len(samples), dtype=int)
    data = np.array([sign.get(role, zeros) for _t, role, _n in MODULES.values()])
    return pd.DataFrame(data, index=list(MODULES), columns=samples["sample_id"].to_list())


def treated_mask(samples: pd.DataFrame) -> np.ndarray:
    """Whether each sample is a patient on anakinra (anakinra M1/M6, placebo M6), as bool array."""
    return np.array(
        [
            g == "patient" and toy_trial.is_treated(a, t)
            for g, a, t in zip(samples["group"], samples["arm"], samples["timepoint"], strict=True)
        ]
    )


def gene_states(design: Design, samples: pd.DataFrame) -> dict[str, tuple[float, np.ndarray]]:
    """Planted single-gene effects that override the gene's module biology.

    SOCS3 (on the toy platform, a member of M3.2): +1 in untreated patient samples (D1, placebo
    M1), 0 in treated ones whatever the response (IL-1 blockade lowers it, the paper's Figure
    3D) and in controls, with gene effect :data:`modmap.toy_trial.SOCS3_EFFECT` SD.

    Returns
    -------
    dict
        Illumina probe ID -> (gene effect in SD units, state per sample in sheet order).
    """
    untreated = samples["group"].eq("patient").to_numpy() & ~treated_mask(samples)
    probes = design.illumina.loc[design.illumina["Symbol"] == "SOCS3", "ID"]
    return {pid: (toy_trial.SOCS3_EFFECT, untreated.astype(int)) for pid in probes}


def _select(samples: pd.DataFrame, selector: Mapping[str, Any], where: str) -> np.ndarray:
    mask = np.ones(len(samples), dtype=bool)
    for column, value in selector.items():
        if column not in samples.columns:
            raise InputError(
                f"{where}: column '{column}' is not in the toy sample sheet "
                f"(columns: {', '.join(samples.columns)}); fix the selector in the config"
            )
        values = value if isinstance(value, list) else [value]
        mask &= samples[column].isin([str(v) for v in values]).to_numpy()
    if not mask.any():
        raise InputError(f"{where}: selector {dict(selector)} matches no toy sample")
    return mask


def derive_truth(
    states: pd.DataFrame,
    samples: pd.DataFrame,
    comparisons: Sequence[Mapping[str, Any]],
    modules: Sequence[str],
) -> pd.DataFrame:
    """Expected direction of each module in each comparison, from the planted states.

    Per case unit (a case sample, or a pair for ``paired_by`` comparisons) the planted
    difference is case state minus control state (the median control state when unpaired).
    ``up``/``down``: every unit shifts that way; ``none``: no unit shifts; ``partial``: only
    some units shift (e.g. non-responders among anakinra patients at M1); ``shift`` gives the
    sign of the units that shift and ``fraction_affected`` their share.

    Parameters
    ----------
    states
        Planted states, modules x samples (:func:`planted_states`); its columns must be in the
        row order of ``samples``.
    samples
        Toy sample sheet (:func:`make_samples`), holding the selector and ``paired_by`` columns.
    comparisons
        The config's ``comparisons`` list: ``name``, ``case`` and ``control`` selectors
        (``column: value`` or ``column: [values]``, compared as text), optional ``paired_by``.
        In a paired comparison a case sample whose subject has no control sample is left out.
    modules
        Module IDs to evaluate (rows of ``states``), in output order; :func:`generate` passes
        the modules kept by the bridge.

    Returns
    -------
    pandas.DataFrame
        ``module_id``, ``comparison``, ``direction`` (``up``/``down``/``none``/``partial``),
        ``shift`` (``up``/``down``, or ``none`` when no unit shifts or shifts go both ways),
        ``fraction_affected`` (share of units that shift, text with 3 decimals, e.g.
        ``"0.750"``) in comparison (config) order, then module order.

    Raises
    ------
    InputError
        A selector naming a column that is not in the toy sample sheet, or matching no sample.
    """
    rows = []
    for k, comp in enumerate(comparisons):
        name = comp["name"]
        where = f"config comparisons[{k}] ({name})"
        case = _select(samples, comp["case"], f"{where} case")
        control = _select(samples, comp["control"], f"{where} control")
        paired_by = comp.get("paired_by")
        for module_id in modules:
            s = states.loc[module_id].to_numpy()
            if paired_by:
                key = samples[paired_by].to_numpy()
                ctrl = {key[i]: s[i] for i in np.flatnonzero(control)}
                diffs = np.array(
                    [s[i] - ctrl[key[i]] for i in np.flatnonzero(case) if key[i] in ctrl]
                )
            else:
                diffs = s[case] - np.median(s[control])
            rows.append([module_id, name, *_direction(diffs)])
    return pd.DataFrame(
        rows, columns=["module_id", "comparison", "direction", "shift", "fraction_affected"]
    )


def _direction(diffs: np.ndarray) -> tuple[str, str, str]:
    affected = diffs != 0
    fraction = f"{affected.mean():.3f}" if len(diffs) else "0.000"
    if not affected.any():
        return "none", "none", fraction
    shift = "up" if (diffs >= 0).all() else "down" if (diffs <= 0).all() else "none"
    if affected.all() and shift != "none":
        return shift, shift, fraction
    return "partial", shift, fraction


# --------------------------------------------------------------------------------------------
# expression


def simulate_expression(
    design: Design,
    samples: pd.DataFrame,
    states: pd.DataFrame,
    *,
    rng: np.random.Generator,
    genes: Mapping[str, tuple[float, np.ndarray]] | None = None,
) -> pd.DataFrame:
    """Simulate log2 intensities for every Illumina probe (rows) and sample (columns).

    Each probe has a mean (log2: 6.2-7.5 for 30 % of probes outside modules, near background;
    7.5-12.5 otherwise) and an SD (0.2-0.45 near background, else 0.3-0.7). In SD units a
    value is the sum of a subject effect shared by a patient's visits (variance 0.4), a
    per-sample latent factor of the probe's module (loading 0.3-0.55, so module genes are
    co-expressed), residual noise, and the planted shift: state x sample activity (0.75-1.25) x
    gene effect (1.2-2.0 SD for 85 % of planted genes, 0-0.3 SD for the rest). Values are
    float64, not yet rounded, none missing.

    Parameters
    ----------
    design
        Platform design (:func:`build_design`): ``illumina`` gives the probes and their order,
        ``probe_module`` the module whose biology each module probe follows (other probes carry
        no latent factor and no shift).
    samples
        Toy sample sheet (:func:`make_samples`): ``subject_id`` (visits of a subject share the
        subject effect) and ``group`` (only patients get a random activity).
    states
        Planted states, modules (``MODULES`` order) x samples in sheet order
        (:func:`planted_states`); +1 shifts a module probe up by activity x gene effect (in
        SD units), -1 down by as much, 0 not at all.
    rng
        Random stream of the expression values; the same stream state gives the same matrix.
    genes
        Probe ID -> (gene effect, state per sample) replacing the planted shift of that probe
        (:func:`gene_states`: SOCS3); drawn after the same random numbers, so the other probes
        do not change with it. Default: none.

    Returns
    -------
    pandas.DataFrame
        Probes x samples, log2 scale: index ``feature_id`` (Illumina IDs in ``design.illumina``
        order), columns the columns of ``states`` (sample IDs).
    """
    ids = design.illumina["ID"].to_list()
    n_p, n_s = len(ids), len(samples)
    in_module = np.array([pid in design.probe_module for pid in ids])
    low = (rng.random(n_p) < 0.3) & ~in_module
    mu = np.where(low, rng.uniform(6.2, 7.5, n_p), rng.uniform(7.5, 12.5, n_p))
    sd = np.where(low, rng.uniform(0.2, 0.45, n_p), rng.uniform(0.3, 0.7, n_p))
    subjects, subject_idx = np.unique(samples["subject_id"].to_numpy(), return_inverse=True)
    u = rng.standard_normal((n_p, len(subjects)))[:, subject_idx]
    module_ids = list(MODULES)
    z = rng.standard_normal((len(module_ids), n_s))
    activity = np.where(
        samples["group"].eq("patient").to_numpy(), rng.uniform(*ACTIVITY_RANGE, n_s), 1.0
    )
    loading = rng.uniform(*LOADING_RANGE, n_p)
    weak = rng.random(n_p) < WEAK_FRACTION
    effect = np.where(weak, rng.uniform(*WEAK_RANGE, n_p), rng.uniform(*SHIFT_RANGE, n_p))
    e = rng.standard_normal((n_p, n_s))
    values = np.empty((n_p, n_s))
    state_matrix = states.to_numpy()
    for j, pid in enumerate(ids):
        module_id = design.probe_module.get(pid)
        if module_id is None:
            latent = np.zeros(n_s)
            lam, shift = 0.0, np.zeros(n_s)
        else:
            m = module_ids.index(module_id)
            latent, lam = z[m], loading[j]
            shift = effect[j] * activity * state_matrix[m]
        if genes and pid in genes:
            gene_effect, gene_state = genes[pid]
            shift = gene_effect * activity * gene_state
        resid = np.sqrt(1.0 - SUBJECT_SHARE - lam**2)
        values[j] = mu[j] + sd[j] * (
            np.sqrt(SUBJECT_SHARE) * u[j] + lam * latent + resid * e[j] + shift
        )
    return pd.DataFrame(values, index=pd.Index(ids, name="feature_id"), columns=states.columns)


def format_expression(values: pd.DataFrame, *, rng: np.random.Generator) -> list[list[str]]:
    """Format the matrix as text cells: ties on some probes, a few missing cells.

    A random 10 % of probes are rounded to 2 decimals (ties, as in exported array data); every
    other probe gets the fewest decimals (3 to 9) that leave it without ties. ``N_MISSING_CELLS``
    random cells are left empty.

    Parameters
    ----------
    values
        Probes x samples, log2 (:func:`simulate_expression`); the index gives the feature IDs.
    rng
        Random stream choosing the 2-decimal probes and the missing cells.

    Returns
    -------
    list of list of str
        One row per probe, in ``values`` order: the feature ID, then one cell per sample
        (``""`` = missing). Ties are only checked among a probe's non-missing cells; a probe
        still tied at 9 decimals keeps 9.
    """
    matrix = values.to_numpy()
    n_p, n_s = matrix.shape
    two = rng.random(n_p) < FRACTION_TWO_DECIMALS
    missing = rng.choice(n_p * n_s, size=N_MISSING_CELLS, replace=False)
    blank = np.zeros(n_p * n_s, dtype=bool)
    blank[missing] = True
    blank = blank.reshape(n_p, n_s)
    lines = []
    for j, pid in enumerate(values.index):
        row = matrix[j]
        if two[j]:
            cells = [f"{v:.2f}" for v in row]
        else:
            for decimals in range(3, 10):
                cells = [f"{v:.{decimals}f}" for v in row]
                kept = [c for c, b in zip(cells, blank[j], strict=True) if not b]
                if len(set(kept)) == len(kept):
                    break
        lines.append([pid, *("" if b else c for c, b in zip(cells, blank[j], strict=True))])
    return lines


# --------------------------------------------------------------------------------------------
# writing


def _tsv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    lines = ["\t".join(header)] + ["\t".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _frame_bytes(df: pd.DataFrame) -> bytes:
    return _tsv_bytes(list(df.columns), df.astype(str).to_numpy().tolist())


def _write_bytes(path: Path, data: bytes) -> None:
    if path.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
        os.chmod(tmp, 0o644)


def generate(
    annotation: pd.DataFrame,
    comparisons: Sequence[Mapping[str, Any]],
    *,
    seed: int = SEED,
    responder_column: bool = RESPONDER_COLUMN,
) -> dict[str, bytes]:
    """Generate every file of the toy cohort in memory.

    Parameters
    ----------
    annotation
        See :func:`read_annotation`.
    comparisons
        The config's ``comparisons`` list; ``truth.tsv`` has one row per kept module and
        comparison, evaluated on the toy sample sheet (with the planted ``responder`` column
        whether or not ``samples.tsv`` carries it).
    seed
        Seed of all random streams (default 2011, the trial's publication year).
    responder_column
        Write the planted ``responder`` column into ``samples.tsv`` (default
        :data:`RESPONDER_COLUMN`); without it the clinical stage derives it from
        ``clinical.tsv``.

    Returns
    -------
    dict
        File name -> exact file content (gzip-compressed for ``.gz`` names by the writer).
    """
    rng = _streams(seed)
    subjects = make_subjects(rng["samples"])
    plan = toy_trial.plan_courses(subjects, rng=rng["trial"])
    responses = toy_trial.planted_responses(plan)
    m6 = responses[responses["visit"] == "M6"]
    samples = make_samples(
        subjects, dict(zip(m6["subject_id"], m6["primary"], strict=True)), rng=rng["samples"]
    )
    design = build_design(annotation, rng=rng["design"], id_rng=rng["ids"])
    states = planted_states(samples, responses)
    kept = design.modules_truth.loc[design.modules_truth["kept"] == "true", "module_id"]
    truth = derive_truth(states, samples, comparisons, kept.to_list())
    values = simulate_expression(
        design, samples, states, rng=rng["expression"], genes=gene_states(design, samples)
    )
    expression = format_expression(values, rng=rng["format"])
    ages = dict(zip(subjects["subject_id"], subjects["age"], strict=True))
    clinical = toy_trial.make_clinical(plan, ages, rng=rng["clinical"])
    toy_trial.check_margins(clinical, responses)
    events = rng["events"]
    sheet = samples if responder_column else samples.drop(columns="responder")
    return {
        "samples.tsv": _frame_bytes(sheet),
        "expression.tsv.gz": _tsv_bytes(["feature_id", *values.columns], expression),
        "modules.tsv": _frame_bytes(design.modules),
        "platform_affymetrix.tsv": _frame_bytes(design.affymetrix),
        "platform_illumina.tsv": _frame_bytes(design.illumina),
        "bridge_truth.tsv": _frame_bytes(design.bridge_truth),
        "modules_truth.tsv": _frame_bytes(design.modules_truth),
        "truth.tsv": _frame_bytes(truth),
        "clinical.tsv": _frame_bytes(clinical),
        "adverse_events.tsv": _frame_bytes(toy_trial.make_adverse_events(plan, rng=events)),
        "followup.tsv": _frame_bytes(toy_trial.make_followup(plan, rng=events)),
        "analytes.tsv": _frame_bytes(toy_trial.make_analytes(plan, rng=events)),
        "withdrawal.tsv": _frame_bytes(toy_trial.make_withdrawal(responses, rng=events)),
        "response_truth.tsv": _frame_bytes(responses),
        "clinical_truth.tsv": _frame_bytes(toy_trial.responder_counts(responses)),
        "paired_truth.tsv": _frame_bytes(toy_trial.paired_truth()),
    }


def write_toy(files: Mapping[str, bytes], outdir: str | os.PathLike) -> None:
    """Write the generated files into ``outdir`` (atomically, one by one).

    Parameters
    ----------
    files
        File name -> content, as from :func:`generate`. Content of a name ending in ``.gz`` is
        gzip-compressed on writing (level 9, ``mtime=0``, so the bytes are reproducible).
    outdir
        Output directory, created (with its parents) if needed. Files of the same name are
        replaced; other files in it are left alone. Written files get mode ``0o644``.
    """
    for name, data in files.items():
        _write_bytes(Path(outdir) / name, data)


def main(argv: Sequence[str] | None = None, *, prog: str = "python -m modmap.toy") -> None:
    """Command line: ``python -m modmap.toy --outdir resources/toy`` (or ``modmap toy``).

    Parameters
    ----------
    argv
        Arguments without the program name (default ``None``: ``sys.argv[1:]``). Options:
        ``--outdir`` (default ``resources/toy``), ``--annotation`` (default
        ``resources/annotation/refseq_entrez_symbol.tsv.gz``), ``--config`` (default
        ``config/config.yaml``, whose comparisons ``truth.tsv`` covers), ``--seed`` (default
        2011) and ``--[no-]responder-column`` (default :data:`RESPONDER_COLUMN`).
    prog
        Program name shown in usage and help messages.

    Raises
    ------
    InputError
        From :func:`read_annotation`, :func:`read_comparisons` or :func:`derive_truth`.
    SystemExit
        Invalid arguments, or ``--help``.
    """
    parser = argparse.ArgumentParser(
        prog=prog, description="Write the deterministic toy SJIA cohort."
    )
    parser.add_argument("--outdir", default="resources/toy", help="output directory")
    parser.add_argument(
        "--annotation",
        default="resources/annotation/refseq_entrez_symbol.tsv.gz",
        help="RefSeq/Entrez/symbol table (org.Hs.eg.db export)",
    )
    parser.add_argument(
        "--config", default="config/config.yaml", help="config whose comparisons truth.tsv covers"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default %(default)s)")
    parser.add_argument(
        "--responder-column",
        action=argparse.BooleanOptionalAction,
        default=RESPONDER_COLUMN,
        help="write the planted responder column into samples.tsv (default %(default)s)",
    )
    args = parser.parse_args(argv)
    files = generate(
        read_annotation(args.annotation),
        read_comparisons(args.config),
        seed=args.seed,
        responder_column=args.responder_column,
    )
    write_toy(files, args.outdir)


if __name__ == "__main__":
    main()
