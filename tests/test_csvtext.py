"""The CSV formula-escaping rule is one rule: the Python function and the DuckDB export macro agree."""

import duckdb

from loaders.csvtext import ESCAPE_MACRO, FORMULA_START, formula_safe
from loaders.ingest import problems_csv
from loaders.problems import Problem

CELLS = ["=1+1", "+212 600", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "", "a=b", "'quoted", "5-3"]


def test_the_python_rule_and_the_export_macro_escape_the_same_cells():
    con = duckdb.connect()
    con.execute(ESCAPE_MACRO)
    by_sql = [con.execute("SELECT esc($x)", {"x": cell}).fetchone()[0] for cell in CELLS]
    assert by_sql == [formula_safe(cell) for cell in CELLS]
    assert [formula_safe(c) for c in CELLS[:6]] == ["'" + c for c in CELLS[:6]]
    assert [formula_safe(c) for c in CELLS[6:]] == CELLS[6:]
    assert FORMULA_START == "=+-@\t\r"


def test_the_problems_csv_uses_it():
    p = Problem(
        file="=HYPERLINK(x).csv",
        sheet=None,
        row=2,
        column="A",
        code="unknown-indicator",
        value="@bad",
    )
    text = problems_csv([p]).decode("utf-8-sig")
    assert "'=HYPERLINK(x).csv" in text and "'@bad" in text
