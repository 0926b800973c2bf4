"""Spreadsheets as networks keep them, made in the test (CSV bytes, XLSX through openpyxl)."""

import contextlib
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

HEADERS = ["姓名", "Name (EN)", "电话", "微信", "护照号", "年龄", "地点", "状态", "日期", "备注"]
ROWS = [
    ["张伟", "Zhang Wei", "+855 12 345 678", "zhangwei_88", "EG1234567", "24", "KK园区, Myawaddy", "rescued", "2025-11-02", "Beaten, passport taken"],
    ["สมชาย ใจดี", "Somchai Jaidee", "081 234 5678", "", "AA1234567", "31", "Shwe Kokko", "Reported", "03/12/2025", "Family called"],
    ["Nguyễn Văn An", "", "+84 912 345 678", "", "", "19", "Bavet", "lost_contact", "2026-01-15", ""],
]  # fmt: skip


def csv_bytes(headers=HEADERS, rows=ROWS, *, encoding="utf-8", delimiter=",") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(headers=HEADERS, rows=ROWS, *, dates=True, build=None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Cases"
    sheet.append(headers)
    for row in rows:
        values = list(row)
        if dates and len(values) > 8:
            with contextlib.suppress(ValueError):
                values[8] = datetime.date.fromisoformat(values[8])
        sheet.append(values)
    if build is not None:
        build(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "cases.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# The mapping a coordinator chooses once for HEADERS.
COLUMNS = {
    "姓名": "name",
    "Name (EN)": "other_name",
    "电话": "phone",
    "微信": "wechat",
    "护照号": "passport",
    "年龄": "age",
    "地点": "location",
    "状态": "status",
    "日期": "reported_on",
    "备注": "summary",
}
