"""The loader's fast path (pandas' C reader, checks/dataset._regular) reads a table exactly as the
csv module path (`parse_csv`) does, whenever it takes it: same header, same cells, row k on line
k + 2. Anything it does not take is read by `parse_csv`, whose messages the bad-input cases pin."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.dataset import _read_rows, _regular, parse_csv
from checks.errors import Problems

ALPHABET = ["a", "b", "中", "文", ",", '"', " ", "\t", "\u3000", "\n", "\r", "\r\n", "1", ".", "#", "\\", "'", "é"]
cells = st.lists(st.sampled_from(ALPHABET), max_size=6).map("".join)
on_a_line = st.lists(st.sampled_from([c for c in ALPHABET if c not in "\r\n"]), max_size=6).map("".join)
quoted = st.one_of(cells, on_a_line).map(lambda cell: '"' + cell.replace('"', '""') + '"')


@st.composite
def tables(draw) -> str:
    """A table of one width (so often regular), its cells anything of ALPHABET, quoted or not."""
    width = draw(st.integers(1, 4))
    header = draw(st.lists(st.sampled_from(["id", "quote", "中文", "a b", '"q"']), min_size=width, max_size=width, unique=True))
    ids = st.one_of(cells, on_a_line.map(lambda cell: "x" + cell))  # most rows not blank
    rows = draw(st.lists(st.tuples(ids, st.lists(st.one_of(cells, on_a_line, on_a_line, quoted), min_size=width - 1, max_size=width - 1)).map(
        lambda row: [row[0], *row[1]]), min_size=1, max_size=6))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(",".join(row) for row in [header, *rows]) + (end if draw(st.booleans()) else "")


def _same_as_csv_module(text: str, max_field: int = 1000) -> bool:
    data = text.encode("utf-8")
    regular = _regular(data, max_field)
    if regular is None:
        return False
    parsed = parse_csv(text, "t.csv", Problems(10), max_field)
    assert parsed is not None, text
    header, lines, body = parsed
    assert regular[0] == header
    frame = _read_rows(header, [data[regular[1]:]])
    pd.testing.assert_frame_equal(frame, pd.DataFrame(body, columns=header, dtype="str"))
    assert lines == list(range(2, len(body) + 2)), text
    return True


@settings(max_examples=600, deadline=None)
@given(text=st.one_of(tables(), st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join)))
def test_the_fast_path_reads_what_the_csv_module_reads(text):
    _same_as_csv_module(text)


def test_regular_tables_take_the_fast_path():
    assert _same_as_csv_module('id,quote,note\na,"一，二",\nb,"say ""x""",z\n')
    assert _same_as_csv_module("id,quote\r\na,b\r\nc,d")  # CRLF, no final line break


def test_irregular_tables_are_left_to_the_csv_module():
    for text in ['id,quote\na,"two\nlines"\n',  # a line break inside quotes: rows no longer lines
                 "id,quote\na,b\n\nc,d\n",  # a blank row
                 "id,quote\na,b\n,\n",  # a row of empty fields is blank too
                 "id,quote\na,b,c\n",  # a wrong field count
                 'id,quote\na,b"c\n',  # a quote inside an unquoted field
                 "id,id\na,b\n",  # a duplicate column
                 "id,\na,b\n",  # an empty column name
                 "id,quote\n",  # no rows
                 "id,quote\na,b\rc\n",  # a carriage return alone
                 "id,quote\na,\u3000\n\u3000,\n"]:  # a row blank in Unicode white space only
        assert _regular(text.encode("utf-8"), 1000) is None, text
    assert _regular(b"id,quote\na," + b"x" * 20 + b"\n", 10) is None  # longer than the field limit
