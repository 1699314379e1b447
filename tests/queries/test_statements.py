"""Named SQL statements: the marker says what a statement returns and the runner holds it to that; a missing or
unknown parameter is an error; every .sql file of the project parses."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from queries.statements import StatementError, parse

ROOT = Path(__file__).resolve().parents[2]
SQL_TEXT = """-- A file comment.

-- name: rows*
-- Returns every row.
SELECT n, name FROM t WHERE n >= $low ORDER BY n;

-- name: row^
-- Returns one row, or none.
SELECT n, name FROM t WHERE n = $n;

-- name: value$
-- Returns one value.
SELECT name FROM t WHERE n = $n;

-- name: add!
-- Adds one row.
INSERT INTO t VALUES ($n, $name);

-- name: reset#
-- Empties the table and adds one row back.
DELETE FROM t;
INSERT INTO t VALUES ($n, 'again');

-- name: make_sequence!
-- Creates the sequence {name} starting at {start} (DuckDB takes no parameters here).
CREATE SEQUENCE {name} START WITH {start};
"""


@pytest.fixture
def run():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (n INTEGER, name VARCHAR)")
    con.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (2, 'b2')")
    statements = parse(SQL_TEXT, "test.sql")
    yield lambda statement, /, **params: statements[statement](con, **params)
    con.close()


def test_each_marker_returns_what_it_says(run):
    pd.testing.assert_frame_equal(run("rows", low=2), pd.DataFrame({"n": [2, 2], "name": ["b", "b2"]}),
                                  check_dtype=False)
    assert run("row", n=1) == {"n": 1, "name": "a"}
    assert run("row", n=9) is None
    assert run("value", n=1) == "a"
    assert run("value", n=9) is None
    assert run("add", n=3, name="c") is None
    assert run("reset", n=7) is None
    assert run("rows", low=0).values.tolist() == [[7, "again"]]
    run("make_sequence", name="ids", start=5)
    assert run("value", n=7) == "again"


def test_one_row_and_one_value_refuse_a_second_row(run):
    with pytest.raises(StatementError, match=r"test.sql row\^ returned 2 rows"):
        run("row", n=2)
    with pytest.raises(StatementError, match=r"test.sql value\$ returned 2 rows"):
        run("value", n=2)


@pytest.mark.parametrize("params, message", [
    # a parameter the statement does not take is an error, never dropped
    ({"n": 1, "extra": 2}, "test.sql row: unknown parameter(s) extra"),
    # a parameter the statement needs
    ({}, "test.sql row: missing parameter(s) n"),
    # both at once
    ({"m": 1}, "test.sql row: missing parameter(s) n; unknown parameter(s) m"),
])
def test_a_missing_or_unknown_parameter_is_an_error(run, params, message):
    with pytest.raises(TypeError) as exc:
        run("row", **params)
    assert str(exc.value) == message


def test_a_slot_takes_an_identifier_or_an_integer_only(run):
    with pytest.raises(TypeError, match=r"slot \{name\} takes an identifier or an integer"):
        run("make_sequence", name="ids; DROP TABLE t", start=1)


@pytest.mark.parametrize("text, message", [
    # no marker: the statement must say what it returns
    ("-- name: rows\nSELECT 1;", "needs a name and one of the markers"),
    # '!' is one statement; several are a script
    ("-- name: two!\nDELETE FROM t;\nDELETE FROM t;", "holds several statements; mark it '#'"),
    # a name used twice in one file
    ("-- name: a$\nSELECT 1;\n-- name: a$\nSELECT 2;", "statement 'a' defined twice"),
    # a header without a statement
    ("-- name: empty*\n-- Returns nothing at all.\n", "statement 'empty' is empty"),
])
def test_a_malformed_file_is_refused(text, message):
    with pytest.raises(StatementError, match=message):
        parse(text, "bad.sql")


def test_many_rows_only_through_arrow_and_relations(run):
    statements = parse(SQL_TEXT, "test.sql")
    with pytest.raises(StatementError, match=r"row\^ returns one row, not many rows"):
        statements["row"].arrow(duckdb.connect(), n=1)


SQL_FILES = sorted(p for folder in ("queries", "documents", "bench", "tests")
                   for p in (ROOT / folder).rglob("*.sql"))


@pytest.mark.parametrize("path", SQL_FILES, ids=[str(p.relative_to(ROOT)) for p in SQL_FILES])
def test_every_sql_file_of_the_project_parses_and_says_what_each_statement_returns(path):
    statements = parse(path.read_text(encoding="utf-8"), path.name)
    assert statements, path
    assert all(s.doc.startswith("Returns") or s.kind in "!#" for s in statements.values()), [
        s.name for s in statements.values() if not (s.doc.startswith("Returns") or s.kind in "!#")]
