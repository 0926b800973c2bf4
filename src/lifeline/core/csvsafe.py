"""CSV cells that a spreadsheet will not execute.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
spreadsheets strip before looking) is read as a formula by Excel, LibreOffice and Google
Sheets: ``=HYPERLINK(...)`` in an exported cell can send data away when the file is opened
(OWASP "CSV injection"). Every CSV that Lifeline writes passes its cells through ``safe_cell``.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a leading apostrophe when it is text a spreadsheet would run as a
    formula. Numbers stay numbers (a negative number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document (header first, CRLF line ends as RFC 4180) with every cell made
    safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return out.getvalue()
