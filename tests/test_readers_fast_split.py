"""The fast path's parallel parse (modmap.readers.fast_text, ``threads`` > 1) against pandas.

A large plain file is cut at line ends into byte ranges parsed on parallel threads. Oracles:
pandas' ``read_csv`` of the same file (the reference the serial fast path is already tested
against), the positions of the line ends found by ``str.splitlines`` in the test, and quote
parities counted by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.readers import fast_text, read_matrix
from modmap.readers.delimited import EXACT_FLOATS


@pytest.fixture
def split_small_files(monkeypatch):
    """Cut files of any size (the real threshold keeps small files in one stream)."""
    monkeypatch.setattr(fast_text, "SPLIT_MIN_BYTES", 0)


def _matrix_text(rng, rows: int, cols: int, *, quoted_ids=False, trailing_newline=True) -> str:
    header = "\t".join(["ID", *(f"S{j}" for j in range(cols))])
    lines = [header]
    for i in range(rows):
        values = [f"{v:.3f}" for v in rng.normal(8, 2, cols)]
        if i % 7 == 3:
            values[i % cols] = "NA"
        if i % 11 == 5:
            values[(i + 1) % cols] = ""
        gene = f'"G{i}"' if quoted_ids else f"G{i}"
        lines.append("\t".join([gene, *values]))
    return "\n".join(lines) + ("\n" if trailing_newline else "")


def _pandas(path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep="\t", index_col=0, dtype={0: str}, **EXACT_FLOATS)
    return frame.astype(np.float64)


def _parts(path, cuts, lines, columns: int):
    """The parallel parse alone (no fallback): (array or None, rows)."""
    names = [f"c{i}" for i in range(columns + 1)]
    types = {name: fast_text.pa.float64() for name in names[1:]}
    types[names[0]] = fast_text.pa.string()
    out, _, rows = fast_text._parse_parts(str(path), names, types, "\t", cuts, lines)
    return out, rows


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.index) == list(b.index)
    assert list(a.columns) == list(b.columns)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())  # NaN == NaN here


@pytest.mark.parametrize("threads", [2, 3, 5])
@pytest.mark.parametrize("quoted_ids", [False, True])
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_parallel_parse_equals_pandas(
    tmp_path, split_small_files, threads, quoted_ids, trailing_newline
):
    rng = np.random.default_rng(16)
    path = tmp_path / "m.tsv"
    path.write_text(
        _matrix_text(rng, 301, 17, quoted_ids=quoted_ids, trailing_newline=trailing_newline)
    )
    cuts, lines = fast_text._split_points(str(path), fast_text._scan(str(path)), threads)
    assert len(lines) == threads
    data = path.read_bytes()
    # every cut sits just after a line end; the parts hold every data line once
    assert all(data[c - 1 : c] == b"\n" for c in cuts[:-1])
    assert cuts[-1] == len(data)
    assert sum(lines) == 301
    for a, b, n in zip(cuts[:-1], cuts[1:], lines, strict=True):
        assert len(data[a:b].decode().splitlines()) == n
    out, rows = _parts(path, cuts, lines, 17)  # the parallel parse itself, not a fallback
    assert rows == 301
    np.testing.assert_array_equal(out, _pandas(path).to_numpy())
    read = read_matrix(path, threads=threads)
    _same(read.values, _pandas(path))
    _same(read.values, read_matrix(path, threads=1).values)


def test_blank_line_in_a_later_part_falls_back_to_one_stream(tmp_path, split_small_files):
    rng = np.random.default_rng(3)
    lines = _matrix_text(rng, 200, 5).splitlines()
    lines.insert(170, "")  # pandas and pyarrow skip it; the part has one row fewer than lines
    path = tmp_path / "m.tsv"
    path.write_text("\n".join(lines) + "\n")
    split = fast_text._split_points(str(path), fast_text._scan(str(path)), 2)
    assert split is not None
    assert _parts(path, *split, 5)[0] is None  # declined: the serial parse reads the file
    read = read_matrix(path, threads=2)
    assert read.values.shape == (200, 5)
    _same(read.values, _pandas(path))


@pytest.mark.parametrize("header", [b"ID\tS\n", b'"ID"\t"S"\n'])
@pytest.mark.parametrize("scan_bytes", [16 << 20, 3])  # one block; cuts inside small blocks
def test_a_cut_inside_quotes_is_refused(tmp_path, monkeypatch, header, scan_bytes):
    # quote parity from the first data byte (the header's own quotes do not count): 1 before
    # the first cut, 2 before the second
    monkeypatch.setattr(fast_text, "_SCAN_BYTES", scan_bytes)
    path = tmp_path / "q.tsv"
    body = b'"a\nb"\t1\n"c"\t2\n'
    path.write_bytes(header + body)
    start = len(header)
    inside = start + body.index(b"\n") + 1  # after 'a\n': one quote so far
    outside = start + body.index(b'"c"')  # after '"a\nb"\t1\n': two quotes
    scan = fast_text._scan(str(path))
    assert not fast_text._outside_quotes(str(path), scan, [inside], start)
    assert fast_text._outside_quotes(str(path), scan, [outside], start)
    assert not fast_text._outside_quotes(str(path), scan, [outside, outside + 1], start)


def test_small_files_and_gzip_stay_in_one_stream(tmp_path):
    rng = np.random.default_rng(5)
    path = tmp_path / "m.tsv"
    path.write_text(_matrix_text(rng, 50, 4))
    scan = fast_text._scan(str(path))
    assert fast_text._split_points(str(path), scan, 2) is None  # below SPLIT_MIN_BYTES
    _same(read_matrix(path, threads=2).values, _pandas(path))
