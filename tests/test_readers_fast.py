"""The pyarrow fast path of delimited matrices (modmap.readers.fast_text) against its oracles.

- Every number is parsed to the double Python's ``float()`` gives for the same text (tricky
  decimals: halfway cases, 17-20 significant digits, subnormals, the extremes).
- On a corpus of dialects (separators, gzip, CRLF, quotes, missing tokens, ragged rows, text
  cells, infinities, BOM, R's header without a name over the row names ...) the fast path either
  declines (``None``, and pandas reads the file) or gives the frame pandas gives, and
  ``read_matrix`` gives the same frame, or raises the same error, with either engine.
- Planted values written with ``repr`` come back bit for bit.
"""

from __future__ import annotations

import gzip
import random

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.readers import read_matrix, sniff
from modmap.readers.delimited import read_header_line
from modmap.readers.fast_text import read_numeric_text


def _fast(path):
    sniffed = sniff(path, what="expression matrix", numeric=True)
    return read_numeric_text(sniffed, read_header_line(sniffed))


def _tricky_decimals(n_random: int = 20000) -> list[str]:
    rng = random.Random(16)
    tokens = [
        "0.1", "0.2", "0.3", "-0.0", "+1.5", ".5", "5.", "1E5", "1e+05", "-1.25e-3", "007",
        "1e-320", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
        "2.2250738585072011e-308", "2.2250738585072014e-308", "1.7976931348623157e308",
        "9007199254740993", "9007199254740993.0000000001", "0.30000000000000004",
        "123456789012345678901234567890", "18446744073709551617", "-9223372036854775809",
        # halfway between two doubles, and one digit either side
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "0.500000000000000166533453693773481063544750213623046875",
        "3.518437208883201171875e13", "62.5364939768271845828", "8.10109172351e-10",
        "7.038531e-26", "1448997445238699",
    ]  # fmt: skip
    for _ in range(n_random):
        digits = str(rng.getrandbits(70))[: rng.choice([1, 3, 6, 12, 15, 16, 17, 18, 19, 20, 25])]
        cut = rng.randint(0, len(digits))
        exponent = f"e{rng.randint(-40, 40)}" if rng.random() < 0.5 else ""
        tokens.append(f"{digits[:cut]}.{digits[cut:]}{exponent}")
        x = rng.uniform(-20, 20)
        tokens += [repr(x), f"{x:.17g}", f"{x:.20f}", f"{x:.2f}"]
    return tokens


def test_numbers_parse_to_python_float_bit_for_bit(tmp_path):
    tokens = _tricky_decimals()
    half = len(tokens) // 2
    path = tmp_path / "tricky.tsv"
    lines = ["id\ta\tb"] + [
        f"g{i}\t{a}\t{b}"
        for i, (a, b) in enumerate(zip(tokens[:half], tokens[half:], strict=False))
    ]
    path.write_text("\n".join(lines) + "\n")
    frame = _fast(path)
    assert frame is not None
    expected = np.array(
        [[float(a), float(b)] for a, b in zip(tokens[:half], tokens[half:], strict=False)]
    )
    got = frame.to_numpy()
    differ = np.flatnonzero((got.view(np.int64) != expected.view(np.int64)).any(axis=1))
    assert differ.size == 0, [lines[i + 1] for i in differ[:5]]
    # pandas' C parser (the other engine) agrees on every value too
    slow = read_matrix(path, engine="pandas").values.astype(np.float64).to_numpy()
    assert (slow.view(np.int64) == expected.view(np.int64)).all()


def test_planted_values_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    values = rng.normal(8, 2, (300, 7)) * 10.0 ** rng.integers(-5, 6, (300, 7))
    values[rng.random(values.shape) < 0.05] = np.nan
    ids = [f"GENE{i}" for i in range(300)]
    body = "\n".join(
        f"{g}\t" + "\t".join("NA" if np.isnan(v) else repr(float(v)) for v in row)
        for g, row in zip(ids, values, strict=True)
    )
    path = tmp_path / "planted.tsv.gz"
    path.write_bytes(
        gzip.compress(("id\t" + "\t".join(f"S{j}" for j in range(7)) + "\n" + body + "\n").encode())
    )
    frame = read_matrix(path).values
    assert list(frame.index) == ids and list(frame.columns) == [f"S{j}" for j in range(7)]
    got = frame.to_numpy()
    assert np.array_equal(np.isnan(got), np.isnan(values))
    assert (got[~np.isnan(values)].view(np.int64) == values[~np.isnan(values)].view(np.int64)).all()
    assert _fast(path) is not None  # the fast path read it


HEADER = "id\tS1\tS2\tS3\n"
#: name -> (file text, does the fast path apply)
CORPUS: dict[str, tuple[str, bool]] = {
    "plain": (HEADER + "g1\t1.5\t2\t3e-2\ng2\t-4\t5.25\t6\n", True),
    "crlf": (HEADER.replace("\n", "\r\n") + "g1\t1.5\t2\t3\r\ng2\t4\t5\t6\r\n", True),
    "no_final_newline": (HEADER + "g1\t1\t2\t3\ng2\t4\t5\t6", True),
    "blank_lines_inside": (HEADER + "g1\t1\t2\t3\n\n\ng2\t4\t5\t6\n\n", True),
    "missing_tokens": (
        HEADER + "g1\t\tNA\tNaN\ng2\tnull\tN/A\t#N/A\ng3\tNULL\tnan\t-NaN\ng4\tNone\t<NA>\t1\n",
        True,
    ),
    "missing_id": (HEADER + "NA\t1\t2\t3\n\t4\t5\t6\ng3\t7\t8\t9\n", True),
    "quoted": ('"id"\t"S1"\t"S2"\t"S3"\n"g1"\t"1.5"\t2\t3\n"g 2"\t4\t"NA"\t6\n', True),
    "quoted_separator_in_id": ('id,S1,S2,S3\n"g,1",1,2,3\ng2,4,5,6\n', True),
    "csv": ("id,S1,S2,S3\ng1,1.5,2,3\ng2,4,5,6\n", True),
    "semicolon": ("id;S1;S2;S3\ng1;1.5;2;3\ng2;4;5;6\n", True),
    "integers": (HEADER + "g1\t1\t2\t3\ng2\t4\t5\t9007199254740993\n", True),
    "numeric_ids": (HEADER + "1\t1\t2\t3\n1.0\t4\t5\t6\n007\t7\t8\t9\n", True),
    "duplicate_headers": ("id\tS1\tS1\tS3\ng1\t1\t2\t3\n", True),
    "trailing_separator": ("id\tS1\tS2\tS3\t\ng1\t1\t2\t3\t\ng2\t4\t5\t6\t\n", True),
    "all_missing_column": (HEADER + "g1\t1\t\t3\ng2\t4\t\t6\n", True),
    "unicode_ids": (HEADER + "gène\t1\t2\t3\nβ-actin\t4\t5\t6\n", True),
    "spaces_around_numbers": (HEADER + "g1\t 1.5\t2 \t3\ng2\t4\t5\t6\n", True),
    "spaces_in_ids": (HEADER + " g1 \t1\t2\t3\ng2\t4\t5\t6\n", True),
    "quote_inside_id": (HEADER + "5'-NT\t1\t2\t3\na\"b\t4\t5\t6\n", True),
    "empty_row": (HEADER + "g1\t1\t2\t3\n\t\t\t\ng2\t4\t5\t6\n", True),
    "bom": ("\ufeff" + HEADER + "g1\t1\t2\t3\n", True),
    # the fast path declines; pandas reads or rejects these
    "r_write_table": ("S1\tS2\tS3\ng1\t1\t2\t3\ng2\t4\t5\t6\n", False),
    "short_row": (HEADER + "g1\t1\t2\ng2\t4\t5\t6\n", False),
    "long_row": (HEADER + "g1\t1\t2\t3\t4\ng2\t4\t5\t6\n", False),
    "text_cell": (HEADER + "g1\t1\tabc\t3\ng2\t4\t5\t6\n", False),
    "decimal_comma_late": (HEADER + "g1\t1.5\t2.5\t3.5\ng2\t4\t5,5\t6\n", False),
    "booleans": (HEADER + "g1\t1\tTRUE\t3\ng2\t4\tFALSE\t6\n", False),
    "inf": (HEADER + "g1\t1\tinf\t3\ng2\t4\t5\t6\n", False),
    "minus_infinity": (HEADER + "g1\t1\t-Infinity\t3\ng2\t4\t5\t6\n", False),
    "plus_nan": (HEADER + "g1\t1\t+nan\t3\ng2\t4\t5\t6\n", False),
    "nan_upper": (HEADER + "g1\t1\tNAN\t3\ng2\t4\t5\t6\n", False),
    "overflow": (HEADER + "g1\t1\t1e400\t3\ng2\t4\t5\t6\n", False),
    "hex": (HEADER + "g1\t0x10\t2\t3\ng2\t4\t5\t6\n", False),
    "header_only": (HEADER, False),
    "cr_only": (HEADER.replace("\n", "\r") + "g1\t1\t2\t3\rg2\t4\t5\t6\r", False),
    "blank_first_line": ("\n" + HEADER + "g1\t1\t2\t3\n", False),
    "whitespace_line": (HEADER + "g1\t1\t2\t3\n   \ng2\t4\t5\t6\n", False),
}


def _write(tmp_path, name: str, text: str, *, gz: bool):
    path = tmp_path / (f"{name}.tsv.gz" if gz else f"{name}.tsv")
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _outcome(path, engine):
    try:
        read = read_matrix(path, engine=engine)
    except InputError as err:
        return "error", str(err)
    return "frame", read


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("name", list(CORPUS))
def test_fast_path_equals_pandas_or_declines(tmp_path, name, gz):
    text, applies = CORPUS[name]
    path = _write(tmp_path, name, text, gz=gz)
    fast = _fast(path)
    assert (fast is not None) == applies
    kind, slow = _outcome(path, "pandas")
    auto_kind, auto = _outcome(path, "auto")
    assert auto_kind == kind
    if kind == "error":
        assert auto == slow  # the same message, from the same (pandas) path
        return
    assert auto.header == slow.header and auto.kind == slow.kind
    assert auto.first_line == slow.first_line and auto.notes == slow.notes
    if fast is None:  # pandas read it, for both engines
        pd.testing.assert_frame_equal(auto.values, slow.values)
        return
    # pandas' frame, made float64 as prepare_expression makes it (integers and all-missing
    # columns come as int64 / float64 / object from pandas)
    expected = slow.values.astype(np.float64)
    pd.testing.assert_frame_equal(fast, expected)
    pd.testing.assert_frame_equal(auto.values, expected)
    assert fast.to_numpy().flags.f_contiguous  # one column-major block, no copy ahead


def test_rows_are_compacted_when_blank_lines_shrink_the_count(tmp_path):
    # More newlines than rows (blank lines): the column-major block is moved together in place.
    rows = [f"g{i}\t{i}.5\t{-i}\t{i * 1e-3!r}" for i in range(50)]
    path = tmp_path / "blank.tsv"
    path.write_text(HEADER + "\n\n".join(rows) + "\n\n\n\n")
    frame = _fast(path)
    assert frame is not None and frame.shape == (50, 3)
    assert frame.loc["g7"].tolist() == [7.5, -7.0, 7 * 1e-3]
    assert frame.loc["g49"].tolist() == [49.5, -49.0, 49 * 1e-3]


@pytest.mark.parametrize("layout", ["gct", "series_matrix"])
def test_other_text_layouts_parse_to_python_float_too(tmp_path, layout):
    # GCT and GEO series matrices are parsed by pandas (EXACT_FLOATS): float()'s double as well.
    tokens = _tricky_decimals(2000)
    rows = [f"g{i}\tdesc\t{t}" for i, t in enumerate(tokens)]
    if layout == "gct":
        text = f"#1.2\n{len(tokens)}\t1\nName\tDescription\tS1\n" + "\n".join(rows) + "\n"
    else:
        rows = [f'"g{i}"\t{t}' for i, t in enumerate(tokens)]
        text = (
            '!Series_title\t"tricky"\n!Sample_geo_accession\t"GSM1"\n'
            '!series_matrix_table_begin\n"ID_REF"\t"GSM1"\n'
            + "\n".join(rows)
            + "\n!series_matrix_table_end\n"
        )
    path = tmp_path / f"tricky.{layout}.txt"
    path.write_text(text)
    read = read_matrix(path)
    assert read.kind == {"gct": "GCT 1.2", "series_matrix": "GEO series matrix"}[layout]
    got = read.values.astype(np.float64).to_numpy()[:, -1]
    expected = np.array([float(t) for t in tokens])
    assert (got.view(np.int64) == expected.view(np.int64)).all()
