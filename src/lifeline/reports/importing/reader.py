"""Reading an uploaded spreadsheet (CSV or XLSX) into a header row and data rows.

What real sheets hold, and what happens to it:
- a CSV in another encoding than UTF-8 (GB18030, Big5, TIS-620, Windows-1258…): detected with
  charset-normalizer and said on the mapping screen, where another encoding can be chosen; a
  file that does not decode at all is refused with a message;
- XLSX: hidden sheets are never read (said as a notice); with several visible sheets the first
  is read and the others can be chosen; merged cells are remembered so that the dry run names
  the rows they cover (a merged cell's value belongs to its first row only); formulas are not
  run: their cells are remembered and refused row by row; Excel dates arrive as dates.

openpyxl is imported lazily: the web process does not load it until a spreadsheet arrives.
"""

import csv
import datetime
import html
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_ROWS = 100_000
MAX_COLUMNS = 60


class ReadError(ValueError):
    """The whole file cannot be read; the message says why and what to do."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)
    encoding: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)  # visible sheets, to choose from
    notices: list[str] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column index)
    merged: set[tuple[int, int]] = field(default_factory=set)  # covered, not the first cell


def file_format(filename: str, data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ReadError(_("This is not an XLSX file (an old .xls? save it as .xlsx or CSV)."))
    return "csv"


def read(data: bytes, *, filename: str, encoding: str = "", sheet: str = "") -> Sheet:
    if file_format(filename, data) == "xlsx":
        return read_xlsx(data, sheet=sheet)
    return read_csv(data, encoding=encoding)


# CSV ----------------------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "gb18030": "GB18030 (Simplified Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "cp874": "Windows-874 / TIS-620 (Thai)",
    "cp1258": "Windows-1258 (Vietnamese)",
    "cp1252": "Windows-1252 (Western)",
    "shift_jis": "Shift JIS (Japanese)",
}


def decode(data: bytes, encoding: str = "") -> tuple[str, str, list[str]]:
    """The text of a CSV file, the encoding used, and a notice when it was guessed."""
    if encoding:
        if encoding not in ENCODINGS:
            raise ReadError(_("Choose an encoding from the list."))
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding, []
        except UnicodeDecodeError:
            raise ReadError(
                _("The file does not read as %(enc)s: choose another encoding.")
                % {"enc": ENCODINGS[encoding]}
            ) from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16", []
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    guess = _known(best.encoding) if best is not None else ""
    if not guess:
        raise ReadError(
            _(
                "The file is not UTF-8 and its encoding could not be told: save it as "
                "“CSV UTF-8”, or choose its encoding."
            )
        )
    try:
        text = data.decode(guess)
    except UnicodeDecodeError:
        raise ReadError(
            _("The file is not UTF-8 and does not read as %(enc)s either: choose its encoding.")
            % {"enc": ENCODINGS[guess]}
        ) from None
    notice = _(
        "The file is not UTF-8: it was read as %(enc)s. If names look wrong below, choose "
        "another encoding."
    ) % {"enc": ENCODINGS[guess]}
    return text, guess, [notice]


def _known(name: str) -> str:
    name = name.lower().replace("-", "_")
    aliases = {
        "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5",
        "big5hkscs": "big5", "cp950": "big5", "tis_620": "cp874", "cp874": "cp874",
        "iso8859_11": "cp874", "cp1258": "cp1258", "cp1252": "cp1252", "latin_1": "cp1252",
        "iso8859_1": "cp1252", "shift_jis": "shift_jis", "cp932": "shift_jis", "utf_8": "utf-8",
        "utf_16": "utf-16",
    }  # fmt: skip
    return aliases.get(name, "")


def read_csv(data: bytes, *, encoding: str = "") -> Sheet:
    text, used, notices = decode(data, encoding)
    if "\x00" in text:
        raise ReadError(_("The file holds binary data, not text: is it really a CSV file?"))
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header_row = next(reader, None)
        if not header_row or not any(cell.strip() for cell in header_row):
            raise ReadError(_("The file is empty or its first row holds no column titles."))
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(reader, start=2):
            if len(rows) >= MAX_ROWS:
                raise ReadError(_("The file has more than %(n)d rows: split it.") % {"n": MAX_ROWS})
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
    except csv.Error as exc:
        raise ReadError(_("The CSV file is malformed: %(e)s.") % {"e": exc}) from None
    headers = _headers(header_row)
    return Sheet(headers=headers, rows=rows, encoding=used, notices=notices)


def _headers(cells: list[Any]) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        raise ReadError(_("The sheet has more than %(n)d columns.") % {"n": MAX_COLUMNS})
    headers: list[str] = []
    for index, cell in enumerate(cells):
        title = " ".join(str(cell if cell is not None else "").split())[:100]
        title = title or _("Column %(n)d") % {"n": index + 1}
        while title in headers:  # two columns with one title stay two columns
            title += " ′"
        headers.append(title)
    while (
        headers
        and headers[-1].startswith(_("Column "))
        and not str(cells[len(headers) - 1] or "").strip()
    ):
        headers.pop()
    return headers


# XLSX ---------------------------------------------------------------------------------------


def _sheet_xml(archive: Any, sheet: str) -> bytes:
    """The XML of the worksheet called ``sheet``: workbook.xml names it, its rels file says
    which part holds it. Read with patterns, not an XML parser: only attributes are needed,
    and nothing from the file is ever expanded (no entities, no DTD)."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    target_of: dict[bytes, str] = {}
    for attrs in re.findall(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
        rel_id = re.search(rb'\bId="([^"]*)"', attrs)
        rel_target = re.search(rb'\bTarget="([^"]*)"', attrs)
        if rel_id and rel_target:
            target_of[rel_id.group(1)] = rel_target.group(1).decode()
    for attrs in re.findall(rb"<(?:\w+:)?sheet\b([^>]*)>", workbook):
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\b\w+:id="([^"]*)"', attrs)
        if name and rid and html.unescape(name.group(1).decode()) == sheet:
            target = target_of.get(rid.group(1), "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return bytes(archive.read(path))
    return b""


CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _formula_cells(data: bytes, sheet: str) -> set[tuple[int, int]]:
    """(row, column index) of every cell of ``sheet`` that holds a formula: each ``<f>``
    element belongs to the ``<c>`` cell that opens just before it. Linear in the sheet's size,
    and only formulas cost anything (a 50,000-row sheet without one is a single scan)."""
    import zipfile

    from openpyxl.utils.cell import column_index_from_string

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = _sheet_xml(archive, sheet)
    found: set[tuple[int, int]] = set()
    for match in FORMULA.finditer(xml):
        # The cell's opening tag is close before its formula: look back a bounded window only.
        window = max(0, match.start() - 4096)
        start = max(
            xml.rfind(b"<c ", window, match.start()), xml.rfind(b":c ", window, match.start()) - 1
        )
        cell = CELL_REF.match(xml, start) if start >= 0 else None
        if cell is not None:
            column = column_index_from_string(cell.group(1).decode()) - 1
            found.add((int(cell.group(2)), column))
    return found


def read_xlsx(data: bytes, *, sheet: str = "") -> Sheet:
    """Read with calamine (fast, Rust); formula cells are found with openpyxl, only in a
    workbook that has formulas at all (calamine gives their last computed value, or nothing
    for a file never opened in a spreadsheet: neither is what the person typed)."""
    import zipfile

    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    except (CalamineError, zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(
            _("The XLSX file could not be opened (%(e)s).") % {"e": type(exc).__name__}
        ) from None
    notices = []
    visible = [m.name for m in metadata if m.visible == SheetVisibleEnum.Visible]
    hidden = [m.name for m in metadata if m.visible != SheetVisibleEnum.Visible]
    if hidden:
        notices.append(
            _("Hidden sheets were not read: %(names)s. Unhide one and choose it to import it.")
            % {"names": ", ".join(hidden)}
        )
    if not visible:
        raise ReadError(_("The workbook has no visible sheet."))
    name = sheet or visible[0]
    if name not in visible:
        raise ReadError(_("The workbook has no visible sheet of that name."))
    if len(visible) > 1:
        notices.append(
            _("The workbook has %(n)d sheets; “%(name)s” was read. Choose another below if needed.")
            % {"n": len(visible), "name": name}
        )
    try:
        ws = book.get_sheet_by_name(name)
        cells = ws.to_python(skip_empty_area=False)
        merged_ranges = ws.merged_cell_ranges or []
    except CalamineError as exc:
        raise ReadError(_("The sheet could not be read (%(e)s).") % {"e": exc}) from None
    if len(cells) > MAX_ROWS + 1:
        raise ReadError(_("The sheet has more than %(n)d rows: split it.") % {"n": MAX_ROWS})
    merged: set[tuple[int, int]] = set()
    for (top, left), (bottom, right) in merged_ranges:
        for row in range(top, bottom + 1):
            for col in range(left, right + 1):
                if (row, col) != (top, left):
                    merged.add((row + 1, col))  # spreadsheet row numbers start at 1
    if merged:
        notices.append(
            _(
                "The sheet has merged cells: a merged value belongs to its first row only; "
                "the rows it covers are named below."
            )
        )
    formulas = _formula_cells(data, name)
    header_at = next((i for i, row in enumerate(cells) if any(str(v).strip() for v in row)), None)
    if header_at is None:
        raise ReadError(_("The sheet is empty or its first row holds no column titles."))
    headers = _headers(list(cells[header_at]))
    width = len(headers)
    rows: list[tuple[int, list[Any]]] = []
    for index in range(header_at + 1, len(cells)):
        number = index + 1
        values = [_cell(v) for v in list(cells[index][:width])]
        values += [""] * (width - len(values))
        for col in range(width):
            if (number, col) in formulas:
                values[col] = ""
        if any(str(v).strip() for v in values) or any(
            (number, c) in formulas for c in range(width)
        ):
            rows.append((number, values))
    return Sheet(
        headers=headers,
        rows=rows,
        sheet=name,
        sheets=visible,
        notices=notices,
        formulas=formulas,
        merged=merged,
    )


def _cell(value: Any) -> Any:
    """A whole number typed in a sheet (a phone, an age) arrives as 66812345678.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    return value
