"""The Lifeline fields a spreadsheet column can map to, the words that propose a mapping, and
the parsing of a cell into a field's value.

Parsers raise ``CellError`` with a code and a message for the person who keeps the sheet; the
message never repeats the cell's value (it is personal data, and the dry run is stored).
"""

import datetime
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Choices
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lifeline.cases.workflow import CaseStatus
from lifeline.core.vocabularies import Gender

# field code -> label. Several columns may map to the contact fields and "other_name";
# every other field takes one column.
FIELDS: dict[str, Any] = {
    "name": _("Name"),
    "other_name": _("Other name or spelling"),
    "phone": _("Phone"),
    "whatsapp": "WhatsApp",
    "wechat": "WeChat",
    "line": "LINE",
    "telegram": "Telegram",
    "passport": _("Passport number"),
    "national_id": _("National ID number"),
    "age": _("Age"),
    "birth_date": _("Date of birth"),
    "gender": _("Gender"),
    "citizenship": _("Citizenship (country code)"),
    "location": _("Where they are"),
    "status": _("Case status"),
    "reported_on": _("Date reported"),
    "summary": _("What is happening (notes)"),
}
REPEATABLE = frozenset({"other_name", "phone", "whatsapp", "wechat", "line", "telegram"})
CONTACT_FIELDS = ("phone", "whatsapp", "wechat", "line", "telegram")

# Column titles seen in networks' sheets, lower-cased, in the languages requests arrive in.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "victim", "victim name", "姓名", "名字", "受害者", "ชื่อ", "ชื่อ-นามสกุล", "ชื่อผู้เสียหาย", "tên", "họ tên", "họ và tên", "nama", "ឈ្មោះ", "အမည်"),
    "other_name": ("alias", "other name", "nickname", "english name", "romanised", "别名", "拼音", "英文名", "ชื่อเล่น", "ชื่ออังกฤษ", "biệt danh", "nama lain"),
    "phone": ("phone", "phone number", "mobile", "tel", "telephone", "电话", "手机", "手机号", "联系电话", "เบอร์", "เบอร์โทร", "โทรศัพท์", "số điện thoại", "điện thoại", "sđt", "telepon", "no hp", "nomor hp"),
    "whatsapp": ("whatsapp", "wa"),
    "wechat": ("wechat", "weixin", "微信", "微信号"),
    "line": ("line", "line id", "ไลน์"),
    "telegram": ("telegram", "tg", "电报"),
    "passport": ("passport", "passport no", "passport number", "护照", "护照号", "护照号码", "หนังสือเดินทาง", "พาสปอร์ต", "hộ chiếu", "paspor"),
    "national_id": ("national id", "id card", "身份证", "身份证号", "บัตรประชาชน", "cccd", "cmnd", "ktp", "nik"),
    "age": ("age", "年龄", "岁", "อายุ", "tuổi", "umur", "usia"),
    "birth_date": ("date of birth", "dob", "birth date", "出生日期", "生日", "วันเกิด", "ngày sinh", "tanggal lahir"),
    "gender": ("gender", "sex", "性别", "เพศ", "giới tính", "jenis kelamin"),
    "citizenship": ("citizenship", "nationality", "country", "国籍", "สัญชาติ", "quốc tịch", "kewarganegaraan"),
    "location": ("where", "location", "place", "compound", "last known location", "地点", "位置", "园区", "所在地", "สถานที่", "ที่อยู่", "อยู่ที่ไหน", "địa điểm", "vị trí", "lokasi"),
    "status": ("status", "state", "状态", "情况", "สถานะ", "trạng thái", "tình trạng"),
    "reported_on": ("date", "date reported", "reported", "report date", "日期", "报告日期", "求助日期", "วันที่", "วันที่แจ้ง", "ngày", "ngày báo", "tanggal", "tanggal lapor"),
    "summary": ("notes", "note", "summary", "details", "remarks", "备注", "情况说明", "详情", "หมายเหตุ", "รายละเอียด", "ghi chú", "catatan", "keterangan"),
}  # fmt: skip


def header_key(header: str) -> str:
    return " ".join(str(header).replace("_", " ").split()).casefold().rstrip(":：")


def propose_columns(headers: list[str]) -> dict[str, str]:
    """A first mapping from column titles alone: each title to the field whose words name it
    (an exact word first); a title nobody recognises, and a second column for a one-column
    field, stay unmapped."""
    proposed: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = header_key(header)
        field = next((f for f, words in HEADER_WORDS.items() if key in words), "")
        if not field:
            field = next(
                (
                    f
                    for f, words in HEADER_WORDS.items()
                    if any(len(w) > 3 and w in key for w in words)
                ),
                "",
            )
        if field and (field in REPEATABLE or field not in taken):
            proposed[header] = field
            taken.add(field)
        else:
            proposed[header] = ""
    return proposed


class CellError(ValueError):
    def __init__(self, code: str, message: Any, *, blocking: bool = True) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.blocking = blocking


# A cell a spreadsheet would run as a formula when the data is opened again (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_formula_text(text: str) -> None:
    """Refuse text that a spreadsheet would execute (``=HYPERLINK(...)``, ``@SUM``, ``+cmd``).
    A phone such as "+66 81 234 5678" is a number, not a formula, and is allowed."""
    stripped = text.lstrip(" ")
    if stripped[:1] in ("=", "@") or (
        stripped[:1] in ("+", "-") and not re.fullmatch(r"[+\-]?[\d\s().\-]+", stripped)
    ):
        raise CellError(
            "formula",
            _("This cell is a formula or starts like one (= + - @): type the value itself."),
        )


@cache
def _labels(choices: type[Choices]) -> dict[str, str]:
    """Code and label, in every language the interface speaks, to the code (once per list:
    keyed by the class, since hashing lazy labels would translate them on every call)."""
    lookup: dict[str, str] = {}
    for code, label in choices.choices:
        lookup[code.casefold()] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                lookup[str(label).casefold()] = code
    return lookup


GENDER_WORDS = {
    "f": Gender.FEMININE, "female": Gender.FEMININE, "woman": Gender.FEMININE, "女": Gender.FEMININE,
    "หญิง": Gender.FEMININE, "nữ": Gender.FEMININE, "perempuan": Gender.FEMININE, "wanita": Gender.FEMININE,
    "m": Gender.MASCULINE, "male": Gender.MASCULINE, "man": Gender.MASCULINE, "男": Gender.MASCULINE,
    "ชาย": Gender.MASCULINE, "nam": Gender.MASCULINE, "laki-laki": Gender.MASCULINE, "pria": Gender.MASCULINE,
}  # fmt: skip
STATUS_WORDS = {
    "new": CaseStatus.REPORTED, "open": CaseStatus.REPORTED, "rescued": CaseStatus.RESCUED,
    "已获救": CaseStatus.RESCUED, "获救": CaseStatus.RESCUED, "已回国": CaseStatus.HOME,
    "回家": CaseStatus.HOME, "失联": CaseStatus.LOST_CONTACT, "ช่วยแล้ว": CaseStatus.RESCUED,
    "กลับบ้านแล้ว": CaseStatus.HOME, "ติดต่อไม่ได้": CaseStatus.LOST_CONTACT,
}  # fmt: skip


def parse_choice(value: Any, choices: type[Choices], words: Mapping[str, str], *, code: str) -> str:
    key = " ".join(str(value).split()).casefold()
    found = words.get(key) or _labels(choices).get(key)
    if found is None:
        raise CellError(code, _("Not a value Lifeline knows here: map it to one from the list."))
    return str(found)


def parse_status(value: Any) -> str:
    return parse_choice(value, CaseStatus, STATUS_WORDS, code="unknown_status")


def parse_gender(value: Any) -> str:
    return parse_choice(value, Gender, GENDER_WORDS, code="unknown_gender")


DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%Y.%m.%d",
    "%Y年%m月%d日",
)
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value: Any) -> datetime.date:
    """A date from a spreadsheet: a real date cell, an Excel serial number (a date column
    formatted as a number), or text in a common day-first or ISO form. Never in the future."""
    day: datetime.date | None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 100_000:
            raise CellError("bad_date", _("Not a date."))
        day = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial number as text
            return parse_date(float(text))
        day = None
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day
                break
            except ValueError:
                continue
        if day is None:
            raise CellError("bad_date", _("Not a date: write it as YYYY-MM-DD or DD/MM/YYYY."))
    return _not_future(day)


def _not_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise CellError("future_date", _("This date is in the future."))
    if day.year < 1900:
        raise CellError("bad_date", _("Give a date after 1900."))
    return day


def parse_age(value: Any) -> int:
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,3})(\.0+)?\s*(岁|ปี|tuổi|tahun|years?|yrs?|y)?", text, re.I)
    if not match or not 0 <= int(match.group(1)) <= 120:
        raise CellError("bad_age", _("Not an age: a whole number between 0 and 120."))
    return int(match.group(1))


PARSERS: dict[str, Callable[[Any], Any]] = {
    "status": parse_status,
    "gender": parse_gender,
    "birth_date": parse_date,
    "reported_on": parse_date,
    "age": parse_age,
}
