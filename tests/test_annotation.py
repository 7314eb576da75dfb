"""GEO platform readers: SOFT, annot.gz, TSV/CSV, key normalisation and bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from modmap.annotation import is_excel_date, read_alias_table, read_platform, split_keys
from modmap.errors import InputError

# A GPL96-like full SOFT file: header, column descriptions, the platform table, then a sample
# section whose table must never be read (the reader stops at !platform_table_end).
SOFT = """^DATABASE = GeoMiame
!Database_name = Gene Expression Omnibus (GEO)
^PLATFORM = GPL96
!Platform_title = [HG-U133A] Affymetrix Human Genome U133A Array
#ID = Affymetrix Probe Set ID
#Gene Symbol = A gene symbol, when one is available (from UniGene).
#ENTREZ_GENE_ID = Entrez Gene Database UID
#RefSeq Transcript ID = References to multiple sequences in RefSeq.
!platform_table_begin
ID\tGB_ACC\tGene Symbol\tENTREZ_GENE_ID\tRefSeq Transcript ID
1007_s_at\tU48705\tDDR1 /// MIR4640\t780 /// 100616237\tNM_001202521 /// NM_001954.5
1053_at\tM87338\tRFC2\t5982\tNM_002914 /// NM_181471
117_at\tX51757\tHSPA6\t3310\tNM_002155
121_at\tX69699\t---\t---\t---
1255_g_at\tL36861\t2-Sep\t\t
!platform_table_end
^SAMPLE = GSM1
!sample_table_begin
ID_REF\tVALUE
1007_s_at\t1.0
!sample_table_end
"""

# A GEO .annot.gz (GDS-style annotation) layout.
ANNOT = """^Annotation
!Annotation_date = Jun 30 2023
!Annotation_platform = GPL6102
#ID = Identifier
#Gene symbol = Gene symbol
!platform_table_begin
ID\tGene title\tGene symbol\tGene ID\tGenBank Accession
ILMN_1\tfoo\tDDR1\t780\tNM_001954.5
ILMN_2\tbar\tRFC2///FAKE1\t5982///99\tNM_002914.4
!platform_table_end
"""

# An Illumina GPL6102-like plain export (GEO "full table" download: '#' lines then the table).
ILLUMINA_TSV = """#ID = Probe ID
#Symbol = gene symbol
ID\tSpecies\tSymbol\tEntrez_Gene_ID\tRefSeq_ID
ILMN_1343291\tHomo sapiens\tEEF1A1\t1915\tNM_001402.5
ILMN_1343295\tHomo sapiens\tGAPDH\t2597\tNM_002046.3
ILMN_1651199\tHomo sapiens\tLOC643334\t643334\tXM_926785.1
"""


def _write(path: Path, text: str, *, gz: bool = False) -> Path:
    if gz:
        with gzip.open(path, "wt") as fh:
            fh.write(text)
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_soft_reads_only_the_platform_table(tmp_path: Path, gz: bool) -> None:
    # gzip must be transparent whatever the name: the .soft name is kept for the gz variant
    p = _write(tmp_path / "GPL96_family.soft", SOFT, gz=gz)
    t = read_platform(p)
    # 5 rows between the markers, the sample table's row is not read
    assert t.table["id"].tolist() == ["1007_s_at", "1053_at", "117_at", "121_at", "1255_g_at"]
    assert t.columns_used == {
        "id": "ID",
        "refseq": "RefSeq Transcript ID",
        "entrez": "ENTREZ_GENE_ID",
        "symbol": "Gene Symbol",
    }
    assert t.keys_available == ("refseq", "entrez", "symbol")
    assert t.table.loc[0, "refseq"] == "NM_001202521 /// NM_001954.5"


def test_annot_gz_layout(tmp_path: Path) -> None:
    p = _write(tmp_path / "GPL6102.annot.gz", ANNOT, gz=True)
    t = read_platform(p, format="annot")
    # GEO annot files carry 'Gene symbol' and 'Gene ID' but no RefSeq column
    assert t.columns_used == {"id": "ID", "entrez": "Gene ID", "symbol": "Gene symbol"}
    assert t.keys_available == ("entrez", "symbol")
    # a RefSeq column can be named explicitly; non-RefSeq accessions are dropped by split_keys
    t2 = read_platform(p, columns={"refseq": "GenBank Accession"})
    assert t2.keys_available == ("refseq", "entrez", "symbol")
    assert split_keys(t2.table.loc[1, "refseq"], "refseq") == (["NM_002914"], [])


@pytest.mark.parametrize("sep,name", [("\t", "gpl.tsv"), (",", "gpl.csv")])
def test_plain_exports(tmp_path: Path, sep: str, name: str) -> None:
    text = ILLUMINA_TSV.replace("\t", sep)
    p = _write(tmp_path / name, text)
    t = read_platform(p)
    assert t.table["id"].tolist() == ["ILMN_1343291", "ILMN_1343295", "ILMN_1651199"]
    assert t.columns_used == {
        "id": "ID",
        "refseq": "RefSeq_ID",
        "entrez": "Entrez_Gene_ID",
        "symbol": "Symbol",
    }
    assert [split_keys(v, "refseq")[0] for v in t.table["refseq"]] == [
        ["NM_001402"],
        ["NM_002046"],
        ["XM_926785"],
    ]


def test_split_keys_by_hand() -> None:
    assert split_keys("NM_001202521 /// NM_001954.5", "refseq") == (
        ["NM_001202521", "NM_001954"],
        [],
    )
    # duplicates after version stripping count once; placeholders give nothing
    assert split_keys("NM_1.1///NM_1.2 /// ---", "refseq") == (["NM_1"], [])
    assert split_keys("780 /// 100616237", "entrez") == (["780", "100616237"], [])
    assert split_keys("---", "entrez") == ([], [])
    assert split_keys("DDR1 /// MIR4640", "symbol") == (["DDR1", "MIR4640"], [])
    assert split_keys("c1orf198", "symbol") == (["C1ORF198"], [])
    assert split_keys("2-Sep /// SEPT2", "symbol") == (["SEPT2"], ["2-Sep"])


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2-Sep", True),
        ("1-Mar", True),
        ("1-DEC", True),
        ("Sep-02", True),
        ("2002-09-02", True),
        ("SEPT2", False),
        ("MARCH1", False),
        ("C1orf198", False),
        ("1007_s_at", False),
        ("HLA-DRB1", False),
    ],
)
def test_excel_dates(value: str, expected: bool) -> None:
    assert is_excel_date(value) is expected


def test_no_usable_key_column_names_columns_and_config_key(tmp_path: Path) -> None:
    p = _write(tmp_path / "t.tsv", "ID\tDescription\tSPOT_ID\nP1\tfoo\tx\n")
    with pytest.raises(InputError) as e:
        read_platform(p, config_key="bridge.target")
    msg = str(e.value)
    assert "ID, Description, SPOT_ID" in msg
    assert "bridge.target.columns.refseq" in msg


def test_configured_column_missing(tmp_path: Path) -> None:
    p = _write(tmp_path / "t.tsv", ILLUMINA_TSV)
    with pytest.raises(InputError, match="'Accession' set in bridge.source.columns.refseq"):
        read_platform(p, columns={"refseq": "Accession"})


def test_duplicate_ids(tmp_path: Path) -> None:
    text = "ID\tSymbol\nP1\tA\nP2\tB\nP1\tC\n"
    p = _write(tmp_path / "t.tsv", text)
    with pytest.raises(InputError, match=r"1 feature ID\(s\) occur more than once.*P1"):
        read_platform(p)


def test_truncated_soft(tmp_path: Path) -> None:
    p = _write(tmp_path / "t.soft", SOFT.split("!platform_table_end")[0])
    with pytest.raises(InputError, match="truncated"):
        read_platform(p)


def test_soft_format_forced_on_plain_file(tmp_path: Path) -> None:
    p = _write(tmp_path / "t.tsv", ILLUMINA_TSV)
    with pytest.raises(InputError, match="no '!platform_table_begin'"):
        read_platform(p, format="soft")


def test_alias_table(tmp_path: Path) -> None:
    p = _write(
        tmp_path / "a.tsv.gz", "ENTREZID\tSYMBOL\tALIAS\n1\tA1BG\tA1B\n1\tA1BG\tABG\n", gz=True
    )
    a = read_alias_table(p)
    assert a.values.tolist() == [["1", "A1BG", "A1B"], ["1", "A1BG", "ABG"]]
    # gzip is recognised by content, not by the name
    renamed = p.rename(tmp_path / "aliases.txt")
    assert read_alias_table(renamed).values.tolist() == a.values.tolist()
    bad = _write(tmp_path / "b.tsv", "gene\talias\nA\tB\n")
    with pytest.raises(InputError, match="ENTREZID, SYMBOL, ALIAS"):
        read_alias_table(bad)
