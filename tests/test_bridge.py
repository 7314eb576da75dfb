"""The bridge: hand-worked GEO-layout fixtures, every status counted by hand, bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from modmap.annotation import read_platform
from modmap.bridge import STATUSES, bridge_modules, run_bridge
from modmap.errors import InputError
from modmap.io import write_expression
from modmap.modules import read_modules

ROOT = Path(__file__).resolve().parents[1]

# Source platform: Affymetrix-like full SOFT file (gzipped in one test).
# Key columns per probe set (refseq | entrez | symbol):
#   a1  NM_000001                      | 1       | GENEA
#   a2  NM_000001 /// NR_000099        | 1       | GENEA
#   a3  NM_000003                      | 3       | GENEC
#   a4  ---                            | (empty) | (empty)
#   a5  NM_000005                      | 5       | GENEE
#   a6  NM_000006                      | 6       | 2-Sep   (Excel-mangled)
#   b1  NM_000006.2                    | 6       | GENEF
#   b2  NM_000008 /// NM_000009        | 8 /// 9 | GENEH /// GENEI
#   b3  NM_000002                      | 2       | geneb   (lower case)
#   b5  XM_000777                      | (empty) | GENEX
#   zz  NM_000001                      | 1       | GENEA   (not in any module)
#   (b4 is in module B but not in the platform table at all)
SOURCE_SOFT = """^PLATFORM = GPL96
!Platform_title = toy Affymetrix
#ID = probe set
!platform_table_begin
ID\tGene Symbol\tENTREZ_GENE_ID\tRefSeq Transcript ID
a1\tGENEA\t1\tNM_000001
a2\tGENEA\t1\tNM_000001 /// NR_000099
a3\tGENEC\t3\tNM_000003
a4\t\t\t---
a5\tGENEE\t5\tNM_000005
a6\t2-Sep\t6\tNM_000006
b1\tGENEF\t6\tNM_000006.2
b2\tGENEH /// GENEI\t8 /// 9\tNM_000008 /// NM_000009
b3\tgeneb\t2\tNM_000002
b5\tGENEX\t\tXM_000777
zz\tGENEA\t1\tNM_000001
!platform_table_end
^SAMPLE = GSM1
"""

# Target platform: Illumina-like TSV export with RefSeq versions. ILMN_5 is NOT in the matrix.
TARGET_TSV = """ID\tSymbol\tEntrez_Gene_ID\tRefSeq_ID
ILMN_1\tGENEA\t1\tNM_000001.3
ILMN_2\tGENEB\t2\tNM_000002.1
ILMN_3\tGENEC\t3\tNM_000003.1
ILMN_4\tGENEC\t3\tNM_000003.2
ILMN_5\tGENEE\t5\tNM_000005.1
ILMN_6\tGENEF\t6\tNM_000006.1
ILMN_7\tGENEG\t7\t
ILMN_8\tGENEH\t8\tNM_000008.1
ILMN_9\tGENEI\t9\tNM_000009.4
"""
MATRIX = ["ILMN_1", "ILMN_2", "ILMN_3", "ILMN_4", "ILMN_6", "ILMN_7", "ILMN_8", "ILMN_9", "X"]

MODULES = """module_id\ttitle\tfeature_id
A\tAlpha\ta1
A\tAlpha\ta2
A\tAlpha\ta3
A\tAlpha\ta4
A\tAlpha\ta5
A\tAlpha\ta6
B\tBeta\tb1
B\tBeta\tb2
B\tBeta\tb3
B\tBeta\tb4
B\tBeta\tb5
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "GPL96_family.soft.gz"
    with gzip.open(src, "wt") as fh:
        fh.write(SOURCE_SOFT)
    tgt = tmp_path / "GPL6102.tsv"
    tgt.write_text(TARGET_TSV)
    mod = tmp_path / "modules.tsv"
    mod.write_text(MODULES)
    return {"source": src, "target": tgt, "modules": mod}


def _run(files: dict[str, Path], **kw):
    return bridge_modules(
        read_modules(files["modules"]),
        MATRIX,
        source=read_platform(files["source"]),
        target=read_platform(files["target"], config_key="bridge.target"),
        **kw,
    )


def _counts(result) -> dict[str, int]:
    return dict(zip(result.summary["status"], result.summary["count"], strict=True))


def _status(result) -> dict[str, str]:
    return dict(zip(result.bridge["source_id"], result.bridge["status"], strict=True))


def test_refseq_default_policy_by_hand(files: dict[str, Path]) -> None:
    r = _run(files, key="refseq", min_genes=1)
    # a1, a2 -> ILMN_1 (NR_000099 reaches nothing); b3 -> ILMN_2: unambiguous
    # a3 -> ILMN_3 + ILMN_4 (NM_000003 in two versions); b2 -> ILMN_8 + ILMN_9: ambiguous
    # a5 -> ILMN_5 which is not in the matrix; b5 XM_000777 is nowhere: no_match
    # a4 '---'; b4 not in the source table: no_key
    # a6 (module A) and b1 (module B) both reach ILMN_6: conflict
    assert _status(r) == {
        "a1": "unambiguous",
        "a2": "unambiguous",
        "a3": "ambiguous",
        "a4": "no_key",
        "a5": "no_match",
        "a6": "conflict",
        "b1": "conflict",
        "b2": "ambiguous",
        "b3": "unambiguous",
        "b4": "no_key",
        "b5": "no_match",
    }
    assert _counts(r) == {
        "unambiguous": 3,
        "ambiguous": 2,
        "no_match": 2,
        "no_key": 2,
        "conflict": 2,
        "identity": 0,
        "source_total": 11,
        "kept": 3,
    }
    assert r.summary["status"].tolist() == [*STATUSES, "source_total", "kept"]
    assert r.key == "refseq"
    bridge = r.bridge.set_index("source_id")
    assert bridge.loc["a2", "keys"] == "NM_000001;NR_000099"
    assert bridge.loc["b1", "keys"] == "NM_000006"  # version stripped
    assert bridge.loc["a1", "target_id"] == "ILMN_1"
    assert bridge.loc["a3", "target_id"] == ""  # empty unless kept
    assert bridge.loc["a6", "target_id"] == ""
    # a1 and a2 reach the same target: it counts once in module A. The symbol is the target
    # table's (ILMN_2 is GENEB there; its source b3 says 'geneb').
    assert r.membership.columns.tolist() == ["module_id", "title", "feature_id", "symbol"]
    assert r.membership.values.tolist() == [
        ["A", "Alpha", "ILMN_1", "GENEA"],
        ["B", "Beta", "ILMN_2", "GENEB"],
    ]
    assert r.annotation[["module_id", "n_source", "n_members", "kept"]].values.tolist() == [
        ["A", 6, 1, "true"],
        ["B", 5, 1, "true"],
    ]
    assert r.dropped.empty
    assert r.kept_line() == "kept 3 of 11 source features (key: refseq)"


def test_min_genes_drops_small_modules(files: dict[str, Path]) -> None:
    r = _run(files, key="refseq", min_genes=2)
    # both modules have 1 member, fewer than 2
    assert r.membership.empty
    assert r.dropped[["module_id", "title", "n_members"]].values.tolist() == [
        ["A", "Alpha", 1],
        ["B", "Beta", 1],
    ]
    assert r.annotation["kept"].tolist() == ["false", "false"]


def test_auto_key_is_refseq_when_both_tables_carry_it(files: dict[str, Path]) -> None:
    assert _run(files, min_genes=1).key == "refseq"


def test_entrez_by_hand(files: dict[str, Path]) -> None:
    r = _run(files, key="entrez", min_genes=1)
    # a1, a2 -> 1 -> ILMN_1; b3 -> 2 -> ILMN_2: unambiguous (3)
    # a3 -> 3 -> ILMN_3, ILMN_4; b2 -> 8, 9 -> ILMN_8, ILMN_9: ambiguous (2)
    # a5 -> 5 -> ILMN_5, not in the matrix: no_match (1)
    # a4 empty, b4 not in the table, b5 empty: no_key (3)
    # a6, b1 -> 6 -> ILMN_6 from modules A and B: conflict (2)
    assert _counts(r) == {
        "unambiguous": 3,
        "ambiguous": 2,
        "no_match": 1,
        "no_key": 3,
        "conflict": 2,
        "identity": 0,
        "source_total": 11,
        "kept": 3,
    }


# The same target platform as GEO serves it in a gzipped .annot file (no RefSeq column; Entrez
# in "Gene ID", "///" without spaces between values).
TARGET_ANNOT = """^Annotation
!Annotation_platform = GPL6102
#ID = Identifier
!platform_table_begin
ID\tGene title\tGene symbol\tGene ID\tGenBank Accession
ILMN_1\talpha\tGENEA\t1\tNM_000001.3
ILMN_2\tbeta\tGENEB\t2\tNM_000002.1
ILMN_3\tgamma\tGENEC\t3\tNM_000003.1
ILMN_4\tgamma\tGENEC\t3\tNM_000003.2
ILMN_5\tepsilon\tGENEE\t5\tNM_000005.1
ILMN_6\tzeta\tGENEF\t6\tNM_000006.1
ILMN_7\teta\tGENEG\t7\t
ILMN_8\ttheta\tGENEH\t8\tNM_000008.1
ILMN_9\tiota\tGENEI\t9\tNM_000009.4
!platform_table_end
"""


def test_entrez_by_hand_with_an_annot_gz_target(files: dict[str, Path], tmp_path: Path) -> None:
    annot = tmp_path / "GPL6102.annot.gz"
    with gzip.open(annot, "wt") as fh:
        fh.write(TARGET_ANNOT)
    target = read_platform(annot, config_key="bridge.target")
    assert target.keys_available == ("entrez", "symbol")  # no RefSeq column in an annot file
    # RefSeq is not on both sides: auto takes the first key both tables carry, Entrez
    r = _run({**files, "target": annot}, key="auto", min_genes=1)
    assert r.key == "entrez"
    # by hand, as in test_entrez_by_hand: a1, a2 -> 1 -> ILMN_1 and b3 -> 2 -> ILMN_2 kept;
    # a3 (3 -> ILMN_3, ILMN_4) and b2 (8, 9 -> ILMN_8, ILMN_9) ambiguous; a5 -> ILMN_5 not in
    # the matrix; a4, b4, b5 without a key; a6, b1 -> ILMN_6 claimed by A and B
    assert _status(r) == {
        "a1": "unambiguous",
        "a2": "unambiguous",
        "a3": "ambiguous",
        "a4": "no_key",
        "a5": "no_match",
        "a6": "conflict",
        "b1": "conflict",
        "b2": "ambiguous",
        "b3": "unambiguous",
        "b4": "no_key",
        "b5": "no_key",
    }
    kept = r.bridge[r.bridge["status"] == "unambiguous"]
    assert dict(zip(kept["source_id"], kept["target_id"], strict=True)) == {
        "a1": "ILMN_1",
        "a2": "ILMN_1",
        "b3": "ILMN_2",
    }
    # module A keeps one member (a1 and a2 reach the same probe), B keeps one
    members = r.membership.groupby("module_id")["feature_id"].apply(list).to_dict()
    assert members == {"A": ["ILMN_1"], "B": ["ILMN_2"]}


def test_symbol_by_hand_excel_date_reported(files: dict[str, Path]) -> None:
    r = _run(files, key="symbol", min_genes=1)
    # a1, a2 GENEA -> ILMN_1; b1 GENEF -> ILMN_6 (a6 no longer claims it); b3 'geneb' ->
    # GENEB -> ILMN_2: unambiguous (4). a3 GENEC and b2 GENEH/GENEI: ambiguous (2).
    # a5 GENEE (ILMN_5 not in matrix), b5 GENEX: no_match (2).
    # a4 empty, a6 '2-Sep' rejected, b4 not in the table: no_key (3). No conflict.
    assert _counts(r) == {
        "unambiguous": 4,
        "ambiguous": 2,
        "no_match": 2,
        "no_key": 3,
        "conflict": 0,
        "identity": 0,
        "source_total": 11,
        "kept": 4,
    }
    assert _status(r)["a6"] == "no_key"
    assert r.notes[["side", "id", "issue"]].values.tolist() == [["source", "a6", "excel_date"]]
    assert "2-Sep" in r.notes.loc[0, "detail"]
    assert r.membership.values.tolist() == [
        ["A", "Alpha", "ILMN_1", "GENEA"],
        ["B", "Beta", "ILMN_6", "GENEF"],
        ["B", "Beta", "ILMN_2", "GENEB"],
    ]


def test_policy_all_keeps_every_target(files: dict[str, Path]) -> None:
    r = _run(files, key="refseq", policy="all", min_genes=1)
    # no conflict rule: a6, b1 stay unambiguous; ambiguous a3, b2 are kept with all targets
    c = _counts(r)
    assert (c["unambiguous"], c["ambiguous"], c["conflict"], c["kept"]) == (5, 2, 0, 7)
    bridge = r.bridge.set_index("source_id")
    assert bridge.loc["a3", "target_id"] == "ILMN_3;ILMN_4"
    got = r.membership.groupby("module_id", sort=False)["feature_id"].agg(list).to_dict()
    assert got == {
        "A": ["ILMN_1", "ILMN_3", "ILMN_4", "ILMN_6"],
        "B": ["ILMN_6", "ILMN_8", "ILMN_9", "ILMN_2"],
    }
    # symbols from the target table, one per probe (ILMN_3 and ILMN_4 are both GENEC)
    assert r.membership["symbol"].tolist() == [
        "GENEA",
        "GENEC",
        "GENEC",
        "GENEF",
        "GENEF",
        "GENEH",
        "GENEI",
        "GENEB",
    ]


def test_symbols_from_source_table_without_target_table(files: dict[str, Path]) -> None:
    # Matrix keyed on symbols, no target table: the symbols are the source table's, of the
    # kept sources reaching each feature. Key symbol, policy all (ambiguous b2 kept):
    #   a1, a2 (GENEA) -> GENEA; a3 (GENEC) -> GENEC; b1 (GENEF) -> GENEF;
    #   b2 ('GENEH /// GENEI') -> GENEH and GENEI, both labelled 'GENEH/GENEI';
    #   b3 ('geneb') -> GeneB, labelled 'geneb' (the source table's spelling, not the ID).
    matrix = ["GENEA", "GeneB", "GENEC", "GENEF", "GENEH", "GENEI"]
    r = bridge_modules(
        read_modules(files["modules"]),
        matrix,
        source=read_platform(files["source"]),
        key="symbol",
        policy="all",
        min_genes=1,
    )
    assert r.membership.values.tolist() == [
        ["A", "Alpha", "GENEA", "GENEA"],
        ["A", "Alpha", "GENEC", "GENEC"],
        ["B", "Beta", "GENEF", "GENEF"],
        ["B", "Beta", "GENEH", "GENEH/GENEI"],
        ["B", "Beta", "GENEI", "GENEH/GENEI"],
        ["B", "Beta", "GeneB", "geneb"],
    ]


def test_symbols_of_several_sources_joined_and_fallbacks(tmp_path: Path) -> None:
    # Source table: p1 and p2 share a RefSeq but carry different symbols; p4 has a placeholder
    # symbol, p5 an Excel-mangled one. The target table has no symbol column, so the source
    # table's symbols are used.
    src = tmp_path / "src.tsv"
    src.write_text(
        "ID\tGene Symbol\tRefSeq Transcript ID\n"
        "p1\tGENEA\tNM_000001\n"
        "p2\tGENEA2\tNM_000001\n"
        "p3\tGENEB\tNM_000002\n"
        "p4\t---\tNM_000003\n"
        "p5\t1-Mar\tNM_000004\n"
    )
    tgt = tmp_path / "tgt.tsv"
    tgt.write_text("ID\tRefSeq_ID\nT1\tNM_000001\nT2\tNM_000002\nT3\tNM_000003\nT4\tNM_000004\n")
    mods = _mods(tmp_path, [("A", "p1"), ("A", "p2"), ("A", "p3"), ("A", "p4"), ("A", "p5")])
    r = bridge_modules(
        read_modules(mods),
        ["T1", "T2", "T3", "T4"],
        source=read_platform(src),
        target=read_platform(tgt, config_key="bridge.target"),
        min_genes=1,
    )
    # p1 and p2 -> T1 (same module: counted once, both symbols); p3 -> T2; p4 -> T3 ('---' is
    # no symbol); p5 -> T4 ('1-Mar' is no symbol)
    assert r.key == "refseq"
    assert r.membership[["feature_id", "symbol"]].values.tolist() == [
        ["T1", "GENEA/GENEA2"],
        ["T2", "GENEB"],
        ["T3", ""],
        ["T4", ""],
    ]
    # with no source table either, probe IDs are not symbols: empty
    r2 = bridge_modules(
        read_modules(_mods(tmp_path, [("A", "NM_000001"), ("A", "NM_000002")])),
        ["T1", "T2"],
        target=read_platform(tgt, config_key="bridge.target"),
        min_genes=1,
    )
    assert r2.membership[["feature_id", "symbol"]].values.tolist() == [["T1", ""], ["T2", ""]]


def _mods(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    p = tmp_path / "m.tsv"
    p.write_text("module_id\tfeature_id\n" + "".join(f"{m}\t{f}\n" for m, f in rows))
    return p


def test_conflict_needs_two_sources_overlap_of_repertoire_is_kept(tmp_path: Path) -> None:
    # Symbol-keyed modules through a probe table (source = the symbols themselves).
    # G1 is listed in modules A and B: one source, the repertoire's own overlap -> kept in both.
    # G2 (module A) and G3 (module B) both map to probe P23 -> two sources, two modules: conflict
    # G4 and G5 in module A both map to P45 -> same module: unambiguous, counted once.
    tgt = tmp_path / "t.tsv"
    tgt.write_text("ID\tSymbol\nP1\tG1\nP23\tG2 /// G3\nP45\tG4 /// G5\n")
    mods = _mods(
        tmp_path, [("A", "G1"), ("A", "G2"), ("A", "G4"), ("A", "G5"), ("B", "G1"), ("B", "G3")]
    )
    r = bridge_modules(
        read_modules(mods),
        ["P1", "P23", "P45"],
        target=read_platform(tgt, config_key="bridge.target"),
        min_genes=1,
    )
    assert r.key == "symbol"
    assert _status(r) == {
        "G1": "unambiguous",
        "G2": "conflict",
        "G4": "unambiguous",
        "G5": "unambiguous",
        "G3": "conflict",
    }
    assert r.membership[["module_id", "feature_id"]].values.tolist() == [
        ["A", "P1"],
        ["A", "P45"],
        ["B", "P1"],
    ]


def test_identity_bridge(tmp_path: Path) -> None:
    mods = _mods(tmp_path, [("A", "X1"), ("A", "X2"), ("A", "X3"), ("B", "X3"), ("B", "9-Mar")])
    r = bridge_modules(read_modules(mods), ["X1", "X3", "9-Mar"], min_genes=1)
    # X1, X3 in the matrix: identity; X2 absent: no_match; '9-Mar' is never matched: no_key
    assert r.key == "identity"
    assert _status(r) == {"X1": "identity", "X2": "no_match", "X3": "identity", "9-Mar": "no_key"}
    assert _counts(r)["kept"] == 2
    assert r.membership[["module_id", "feature_id"]].values.tolist() == [
        ["A", "X1"],
        ["A", "X3"],
        ["B", "X3"],
    ]
    assert r.membership["symbol"].tolist() == ["X1", "X3", "X3"]  # symbol-like IDs
    # '9-Mar' is reported on both sides: in the module file and in the matrix
    assert r.notes[["side", "id", "issue"]].values.tolist() == [
        ["source", "9-Mar", "excel_date"],
        ["target", "9-Mar", "excel_date"],
    ]


def test_identity_symbols_only_for_symbol_like_ids(tmp_path: Path) -> None:
    ids = {
        "STAT1": "STAT1",
        "C1orf198": "C1orf198",
        "HLA-DRB1": "HLA-DRB1",
        "ILMN_1651440": "",
        "GI_4502630-S": "",
        "200004_s_at": "",
        "AFFX-BioB-5_at": "",
        "A_23_P100001": "",
        "NM_002038.3": "",
        "ENSG00000111335": "",
        "3434": "",
    }
    r = bridge_modules(
        read_modules(_mods(tmp_path, [("A", i) for i in ids])), list(ids), min_genes=1
    )
    assert r.key == "identity"
    assert dict(zip(r.membership["feature_id"], r.membership["symbol"], strict=True)) == ids


ALIASES = """ENTREZID\tSYMBOL\tALIAS
10\tSEPTIN5\tSEPT5
10\tSEPTIN5\tPNUTL1
20\tCAVIN2\tSDPR
30\tGENEP\tAMB
40\tGENEQ\tAMB
50\tKEEP1\tOLDK
"""


def test_alias_update_opt_in_and_reported(tmp_path: Path) -> None:
    al = tmp_path / "alias.tsv"
    al.write_text(ALIASES)
    mods = _mods(tmp_path, [("A", "SEPT5"), ("A", "SDPR"), ("A", "AMB"), ("A", "KEEP1")])
    matrix = ["SEPTIN5", "CAVIN2", "GENEP", "KEEP1", "OLDK"]
    # Without the update: only KEEP1 matches (identity).
    r0 = bridge_modules(read_modules(mods), matrix, min_genes=1)
    assert _status(r0) == {
        "SEPT5": "no_match",
        "SDPR": "no_match",
        "AMB": "no_match",
        "KEEP1": "identity",
    }
    from modmap.annotation import read_alias_table

    r = bridge_modules(read_modules(mods), matrix, min_genes=1, aliases=read_alias_table(al))
    # SEPT5 -> SEPTIN5 and SDPR -> CAVIN2 (source side), OLDK -> KEEP1 (matrix side), so
    # KEEP1 reaches both the matrix's KEEP1 and OLDK: ambiguous. AMB names two genes: not renamed.
    assert r.key == "symbol"
    assert _status(r) == {
        "SEPT5": "unambiguous",
        "SDPR": "unambiguous",
        "AMB": "no_match",
        "KEEP1": "ambiguous",
    }
    assert r.notes[["side", "id", "issue", "detail"]].values.tolist() == [
        ["source", "SEPT5", "renamed", "SEPT5 -> SEPTIN5"],
        ["source", "SDPR", "renamed", "SDPR -> CAVIN2"],
        ["source", "AMB", "alias_ambiguous", "AMB is an alias of GENEP, GENEQ; kept"],
        ["target", "OLDK", "renamed", "OLDK -> KEEP1"],
    ]
    assert r.bridge.set_index("source_id").loc["SEPT5", "target_id"] == "SEPTIN5"


# ------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------


def test_module_ids_match_nothing_in_source_table(files: dict[str, Path], tmp_path: Path) -> None:
    mods = _mods(tmp_path, [("A", f"probe{i}") for i in range(7)])
    with pytest.raises(InputError) as e:
        bridge_modules(
            read_modules(mods),
            MATRIX,
            source=read_platform(files["source"]),
            target=read_platform(files["target"]),
        )
    msg = str(e.value)
    assert "none of the 7 module feature IDs" in msg
    assert "probe0, probe1, probe2" in msg and "probe3" not in msg


def test_nothing_reaches_the_matrix(tmp_path: Path) -> None:
    mods = _mods(tmp_path, [("A", "Q1"), ("A", "Q2")])
    with pytest.raises(InputError, match="none of the 2 module features reaches"):
        bridge_modules(read_modules(mods), ["Z1", "Z2"])


def test_requested_key_missing_from_table(files: dict[str, Path], tmp_path: Path) -> None:
    tgt = tmp_path / "t.tsv"
    tgt.write_text("ID\tSymbol\nILMN_1\tGENEA\n")
    with pytest.raises(InputError, match="bridge.target.columns.refseq"):
        bridge_modules(
            read_modules(files["modules"]),
            MATRIX,
            source=read_platform(files["source"]),
            target=read_platform(tgt, config_key="bridge.target"),
            key="refseq",
        )


def test_identity_with_tables_is_an_error(files: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="bridge.key is identity"):
        _run(files, key="identity")


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_min_genes_must_be_positive_int(files: dict[str, Path], bad) -> None:
    with pytest.raises(ValueError, match="min_genes"):
        _run(files, min_genes=bad)


def test_run_bridge_reads_the_files(files: dict[str, Path], tmp_path: Path) -> None:
    expr = tmp_path / "expression.arrow"
    write_expression(pd.DataFrame({"s1": [1.0] * len(MATRIX)}, index=MATRIX), expr)
    options = {
        "modules_format": "auto",
        "policy": "unambiguous",
        "update_symbols": False,
        "alias_table": None,
        "collapse": "none",
    }
    r = run_bridge(
        modules_path=files["modules"],
        expression_path=expr,
        source={"path": str(files["source"]), "format": "soft", "columns": {}},
        target={"path": str(files["target"]), "format": "auto", "columns": {"refseq": None}},
        key="refseq",
        min_genes=1,
        **options,
    )
    assert _counts(r)["kept"] == 3
    with pytest.raises(InputError, match="alias_table is not set"):
        run_bridge(
            modules_path=files["modules"],
            expression_path=expr,
            source=None,
            target=None,
            key="auto",
            min_genes=1,
            **{**options, "update_symbols": True},
        )


# ------------------------------------------------------------------------------------------
# the toy cohort: the bridge reproduces its generator's truth
# ------------------------------------------------------------------------------------------

TOY = ROOT / "resources" / "toy"


def test_toy_bridge_reproduces_generator_truth() -> None:
    truth = pd.read_csv(TOY / "bridge_truth.tsv", sep="\t", dtype=str, keep_default_na=False)
    expr = pd.read_csv(TOY / "expression.tsv.gz", sep="\t", usecols=[0], dtype=str)
    r = bridge_modules(
        read_modules(TOY / "modules.tsv"),
        expr.iloc[:, 0].tolist(),
        source=read_platform(TOY / "platform_affymetrix.tsv"),
        target=read_platform(TOY / "platform_illumina.tsv", config_key="bridge.target"),
        key="refseq",
    )
    got = r.bridge.set_index("source_id")[["status", "target_id"]].sort_index()
    want = truth.set_index("source_id")[["status", "target_id"]].sort_index()
    pd.testing.assert_frame_equal(got, want)
    # the module-level truth: members after the bridge, kept or not, members in the file
    mt = pd.read_csv(TOY / "modules_truth.tsv", sep="\t", dtype=str, keep_default_na=False)
    ann = r.annotation.set_index("module_id")
    mt = mt.set_index("module_id")
    assert ann.index.tolist() == mt.index.tolist()
    assert ann["n_members"].astype(str).tolist() == mt["n_members_expected"].tolist()
    assert ann["kept"].tolist() == mt["kept"].tolist()
    assert ann["n_source"].astype(str).tolist() == mt["n_source"].tolist()
    # membership: the kept targets of the truth, each labelled with the Illumina table's Symbol
    illumina = pd.read_csv(
        TOY / "platform_illumina.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    symbol_of = dict(zip(illumina["ID"], illumina["Symbol"], strict=True))
    memb = r.membership
    assert memb.columns.tolist() == ["module_id", "title", "feature_id", "symbol"]
    kept_modules = set(mt.index[mt["kept"] == "true"])
    kept_truth = truth[truth["target_id"] != ""]
    assert set(memb["feature_id"]) == set(
        kept_truth["target_id"][kept_truth["module_id"].isin(kept_modules)]
    )
    assert len(memb) > 600
    assert memb["symbol"].tolist() == [symbol_of[f] for f in memb["feature_id"]]
    assert (memb["symbol"] != "").sum() > 0.9 * len(memb)


# ------------------------------------------------------------------------------------------
# the workflow helpers and the adapter
# ------------------------------------------------------------------------------------------


ALIAS_REAL = ROOT / "resources" / "annotation" / "entrez_symbol_alias.tsv.gz"


@pytest.mark.skipif(not ALIAS_REAL.is_file(), reason=f"{ALIAS_REAL} is missing")
def test_real_alias_table_renames_gen2_symbols(tmp_path: Path) -> None:
    from modmap.annotation import read_alias_table

    # SEPT5 and SDPR are the outdated Gen2 symbols named in shared/data/PROVENANCE.md;
    # HGNC renamed them SEPTIN5 and CAVIN2.
    mods = _mods(tmp_path, [("M1.1", "SEPT5"), ("M1.1", "SDPR"), ("M1.1", "VWF")])
    r = bridge_modules(
        read_modules(mods),
        ["SEPTIN5", "CAVIN2", "VWF"],
        min_genes=1,
        aliases=read_alias_table(ALIAS_REAL),
    )
    renamed = r.notes[r.notes["issue"] == "renamed"]
    assert renamed["detail"].tolist() == ["SEPT5 -> SEPTIN5", "SDPR -> CAVIN2"]
    assert _status(r) == {"SEPT5": "unambiguous", "SDPR": "unambiguous", "VWF": "unambiguous"}
