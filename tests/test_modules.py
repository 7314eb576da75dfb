"""Module file readers and the shipped repertoires (Gen2, BloodGen3)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from modmap.bridge import bridge_modules
from modmap.errors import InputError
from modmap.modules import read_modules

ROOT = Path(__file__).resolve().parents[1]
MODS = ROOT / "resources" / "modules"
GEN2 = MODS / "gen2_dc_modules.tsv"
BG3 = MODS / "bloodgen3_modules.tsv"


def _raw_rows(path: Path, delimiter: str = "\t") -> list[dict[str, str]]:
    """Independent oracle: the csv module, no pandas, no modmap."""
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_gen2_loads_as_260_modules_12985_pairs() -> None:
    m = read_modules(GEN2)
    assert (m.n_modules, m.n_pairs) == (260, 12_985)
    raw = _raw_rows(GEN2)
    assert list(zip(m.members["module_id"], m.members["feature_id"], strict=True)) == [
        (r["module_id"], r["feature_id"]) for r in raw
    ]
    assert m.info.columns.tolist() == ["module_id", "title"]


def test_bloodgen3_loads_as_382_modules_14168_pairs_with_layout() -> None:
    m = read_modules(BG3)
    assert (m.n_modules, m.n_pairs) == (382, 14_168)
    assert m.info.columns.tolist() == ["module_id", "title", "position", "aggregate", "color"]
    row = m.info.set_index("module_id").loc["M8.3"]
    # from bloodgen3_annotation_2021.tsv: M8.3 Type 1 Interferon A28.6 #00D7D6
    assert (row["title"], row["position"], row["aggregate"], row["color"]) == (
        "Type 1 Interferon",
        "A28.6",
        "A28",
        "#00D7D6",
    )
    assert m.info["aggregate"].nunique() == 38  # A1-A38


def test_gen2_min_genes_10_drops_exactly_the_small_modules() -> None:
    # Oracle written out: the modules with n_genes < 10 in the upstream wide table
    # (shared/data/modules/gen2_dc_modules_wide.tsv, column n_genes), with their gene counts.
    small_upstream = {
        "M8.111": 9,
        "M8.71": 7,
        "M8.86": 7,
        "M8.90": 8,
        "M8.91": 7,
        "M8.93": 9,
        "M8.95": 9,
        "M8.99": 9,
    }
    small = set(small_upstream)
    wide = ROOT.parent / "shared" / "data" / "modules" / "gen2_dc_modules_wide.tsv"
    if wide.is_file():  # and the upstream table still says so, where it is at hand
        upstream = {r["module_id"]: int(r["n_genes"]) for r in _raw_rows(wide)}
        assert {k: v for k, v in upstream.items() if v < 10} == small_upstream
    counts: dict[str, int] = {}  # the shipped long file has the same counts
    for r in _raw_rows(GEN2):
        counts[r["module_id"]] = counts.get(r["module_id"], 0) + 1
    assert {k: counts[k] for k in small} == small_upstream
    assert len(small) == 8  # PROVENANCE.md: 8 modules have < 10 genes
    m = read_modules(GEN2)
    # a symbol-keyed matrix holding every Gen2 symbol: the identity bridge keeps every gene
    r = bridge_modules(m, m.members["feature_id"].unique(), min_genes=10)
    assert r.key == "identity"
    assert set(r.dropped["module_id"]) == small
    assert r.membership["module_id"].nunique() == 260 - 8
    assert (r.annotation["kept"] == "false").sum() == 8


def test_bloodgen3_excel_date_reported_never_matched() -> None:
    m = read_modules(BG3)
    genes = list(m.members["feature_id"].unique())
    assert "2-Sep" in genes  # the published 2021 list carries one mangled symbol
    r = bridge_modules(m, genes, min_genes=1)
    b = r.bridge.set_index("source_id")
    assert b.loc["2-Sep", "status"] == "no_key"
    assert "2-Sep" not in set(r.membership["feature_id"])
    # reported for the module file and, since this matrix carries it too, for the matrix
    assert r.notes[["side", "id", "issue"]].values.tolist() == [
        ["source", "2-Sep", "excel_date"],
        ["target", "2-Sep", "excel_date"],
    ]
    # every other distinct symbol maps to itself: 11,465 symbols, 1 rejected
    assert (b["status"] == "identity").sum() == 11_465 - 1


def test_bloodgen3_r_package_layout_and_wide_layout(tmp_path: Path) -> None:
    p = tmp_path / "bg3.tsv"
    p.write_text(
        "Module\tGene\tFunction\tposition\n"
        "M3.1\tALPP\tCell cycle\tA29.1\n"
        "M3.1\tALS2CR14\tCell cycle\tA29.1\n"
        "M8.3\tIFI27\tType 1 Interferon\tA28.6\n"
    )
    m = read_modules(p)
    assert m.members.values.tolist() == [["M3.1", "ALPP"], ["M3.1", "ALS2CR14"], ["M8.3", "IFI27"]]
    assert m.info.values.tolist() == [
        ["M3.1", "Cell cycle", "A29.1", "A29"],
        ["M8.3", "Type 1 Interferon", "A28.6", "A28"],
    ]
    w = tmp_path / "wide.tsv"
    w.write_text("module_id\ttitle\tn_genes\tgenes\nM1.1\tPlatelets\t3\tGP9,VWF, ALOX12\n")
    mw = read_modules(w)
    assert mw.members["feature_id"].tolist() == ["GP9", "VWF", "ALOX12"]
    assert mw.info.values.tolist() == [["M1.1", "Platelets"]]


@pytest.mark.parametrize("gz", [False, True])
def test_gmt(tmp_path: Path, gz: bool) -> None:
    text = (
        "HALLMARK_X\thttp://www.gsea-msigdb.org/x\tA\tB\tC\n"
        "SET_Y\tMy set\tC\tD\t\n"  # trailing empty field ignored
        "SET_Y\tMy set\tD\tE\n"  # repeated module: pairs appended, (Y, D) kept once
    )
    p = tmp_path / ("sets.gmt.gz" if gz else "sets.gmt")
    if gz:
        with gzip.open(p, "wt") as fh:
            fh.write(text)
    else:
        p.write_text(text)
    m = read_modules(p)
    # 3 + 2 + 2 rows, one duplicate pair -> 6 pairs in 2 modules
    assert (m.n_modules, m.n_pairs, m.n_duplicate_pairs) == (2, 6, 1)
    # a URL description is not a title: the name is used instead
    assert m.info.values.tolist() == [["HALLMARK_X", "HALLMARK_X"], ["SET_Y", "My set"]]


def test_long_without_title_uses_module_id(tmp_path: Path) -> None:
    p = tmp_path / "m.tsv"
    p.write_text("module_id\tfeature_id\nM1\tP1\nM1\tP2\n")
    assert read_modules(p).info.values.tolist() == [["M1", "M1"]]


@pytest.mark.parametrize("text", ["", "module_id\ttitle\tfeature_id\n", "\n\n"])
def test_empty_module_file(tmp_path: Path, text: str) -> None:
    p = tmp_path / "m.tsv"
    p.write_text(text)
    with pytest.raises(InputError, match="empty|no \\(module, feature\\) rows"):
        read_modules(p)


def test_two_titles_for_one_module(tmp_path: Path) -> None:
    p = tmp_path / "m.tsv"
    p.write_text("module_id\ttitle\tfeature_id\nM1\tA\tP1\nM1\tB\tP2\n")
    with pytest.raises(InputError, match="module 'M1' has more than one value.*title"):
        read_modules(p)


def test_no_module_column(tmp_path: Path) -> None:
    p = tmp_path / "m.tsv"
    p.write_text("set\tgene\nM1\tP1\n")
    with pytest.raises(InputError, match="no module ID column.*columns found: set, gene"):
        read_modules(p)
