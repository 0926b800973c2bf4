"""Fictional people: names in several scripts, where they come from, phones and handles."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers

from lifeline.cases.models import Case
from lifeline.core.vocabularies import Gender
from lifeline.people import names as name_rules
from lifeline.people.models import Person

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

# fmt: off
M, F = Gender.MASCULINE, Gender.FEMININE

ZH_SURNAMES = "张王李刘陈杨黄赵吴周徐孙马朱胡林郭何高罗郑梁谢宋唐许韩冯邓曹彭曾萧"
ZH_GIVEN: dict[str, list[str]] = {
    M: ["伟", "强", "磊", "洋", "勇", "军", "杰", "涛", "明", "超", "志强", "建国", "俊杰", "晓明", "文博",
        "海涛", "国强", "志明", "家豪", "浩然", "子轩", "宇航", "鹏"],
    F: ["芳", "娜", "敏", "静", "丽", "艳", "娟", "秀英", "桂英", "玉兰", "婷婷", "晓燕", "丽娟", "雪梅",
        "佳怡", "欣怡", "梦琪", "思雨", "美玲"],
}
# (native, passport-style spelling). The spellings are the ones the name index links to the
# native form, so a desk search for "Somchai Jaidee" finds สมชาย ใจดี.
TH_FIRST: dict[str, list[tuple[str, str]]] = {
    M: [("สมชาย", "Somchai"), ("สมศักดิ์", "Somsak"), ("วิชัย", "Wichai"), ("กิตติพงษ์", "Kittiphong"),
        ("ชัยวัฒน์", "Chaiwat"), ("สุริยา", "Suriya"), ("บุญมี", "Boonmee"), ("สมพร", "Somporn"),
        ("ประเสริฐ", "Prasert"), ("อนุชา", "Anucha")],
    F: [("มาลี", "Malee"), ("สุดารัตน์", "Sudarat"), ("วันเพ็ญ", "Wanphen"), ("จันทร์เพ็ญ", "Chanphen"),
        ("อำไพ", "Amphai"), ("กาญจนา", "Kanchana"), ("ปิยะนุช", "Piyanuch")],
}
TH_LAST = [("ใจดี", "Jaidee"), ("แสงทอง", "Saengthong"), ("ศรีสุข", "Srisuk"), ("บุญมา", "Boonma"),
           ("ทองดี", "Thongdee"), ("มีสุข", "Meesuk"), ("สายทอง", "Saithong"), ("ศรีวงศ์", "Sriwong"),
           ("แก้วมณี", "Kaewmanee"), ("รุ่งเรือง", "Rungruang")]
VI_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
VI_MIDDLE: dict[str, list[str]] = {M: ["Văn", "Hữu", "Đức", "Minh", "Quốc"], F: ["Thị", "Ngọc", "Thu", "Thanh"]}
VI_GIVEN: dict[str, list[str]] = {
    M: ["Nam", "Hùng", "Dũng", "Tuấn", "Long", "Quang", "Hải", "Khánh", "Phúc", "Sơn", "Thắng"],
    F: ["Hoa", "Lan", "Hương", "Linh", "Trang", "Phương", "Thảo", "Mai", "Ngân", "Hạnh"],
}
ID_FIRST: dict[str, list[str]] = {
    M: ["Budi", "Agus", "Rudi", "Eko", "Andi", "Joko", "Dian", "Bambang", "Hendra", "Rizky", "Wahyu"],
    F: ["Siti", "Dewi", "Sri", "Indah", "Fitri", "Rina", "Putri", "Ayu", "Wulan", "Nur"],
}
ID_LAST: dict[str, list[str]] = {
    M: ["Santoso", "Setiawan", "Hartono", "Prasetyo", "Wijaya", "Susilo", "Hidayat", "Saputra", "Kurniawan"],
    F: ["Rahayu", "Lestari", "Wahyuni", "Handayani", "Permata", "Anggraini", "Susanti", "Kartika"],
}
MY_NAMES: dict[str, list[tuple[str, str]]] = {
    M: [("မောင်မောင်", "Maung Maung"), ("အောင်ကျော်မိုး", "Aung Kyaw Moe"), ("ဇော်မင်းထွန်း", "Zaw Min Htun"),
        ("ကျော်ကျော်", "Kyaw Kyaw"), ("သန်းထွန်း", "Than Htun"), ("ခင်မောင်ဝင်း", "Khin Maung Win"),
        ("ဝင်းနိုင်", "Win Naing"), ("ဖြိုးဝေ", "Phyo Wai"), ("ကိုကိုအောင်", "Ko Ko Aung"),
        ("မင်းထက်", "Min Htet"), ("ကျော်ဇင်", "Kyaw Zin"), ("ဟိန်းထက်", "Hein Htet"), ("စိုးမိုး", "Soe Moe")],
    F: [("မြင့်မြင့်", "Myint Myint"), ("မိုးမိုးအေး", "Moe Moe Aye"), ("အေးအေးခင်", "Aye Aye Khin"),
        ("ထက်ထက်ဝင်း", "Htet Htet Win"), ("စန္ဒာဝင်း", "Sandar Win"), ("နန္ဒာအောင်", "Nandar Aung"),
        ("သူဇာ", "Thuzar"), ("ယုယု", "Yu Yu"), ("ဆုမြတ်", "Su Myat")],
}
# Latin-script victims from further away: (citizenship, male first names, female first names, surnames).
EN_NAMES = [
    ("KE", ["John", "Peter", "Brian", "Kevin"], ["Grace", "Mercy", "Faith"], ["Mwangi", "Otieno", "Kamau", "Wanjiku"]),
    ("PH", ["Jose", "Mark", "Carlo", "Jerome"], ["Maria", "Angelica", "Joy", "Kristine"], ["Santos", "Reyes", "Cruz", "Bautista"]),
    ("LK", ["Kasun", "Nuwan", "Chamara"], ["Nimali", "Dilani"], ["Perera", "Fernando", "Silva", "Jayasinghe"]),
    ("IN", ["Ravi", "Arjun", "Sanjay"], ["Priya", "Anjali"], ["Kumar", "Sharma", "Singh", "Das"]),
    ("BD", ["Aziz", "Rafiq", "Hasan"], ["Fatima", "Nusrat"], ["Rahman", "Hossain", "Islam", "Begum"]),
    ("NG", ["Samuel", "Chinedu", "Emeka"], ["Blessing", "Ngozi"], ["Okafor", "Adeyemi", "Eze"]),
]
# fmt: on


def _title(text: str) -> str:
    return " ".join(word.capitalize() for word in text.split())


def _zh_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    native = rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN[gender])
    return native, _title(" ".join(name_rules.romanise(native))), rng.choice(["CN"] * 9 + ["MY"])


def _th_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    (first, first_r), (last, last_r) = rng.choice(TH_FIRST[gender]), rng.choice(TH_LAST)
    return f"{first} {last}", f"{first_r} {last_r}", "TH"


def _vi_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    native = (
        f"{rng.choice(VI_SURNAMES)} {rng.choice(VI_MIDDLE[gender])} {rng.choice(VI_GIVEN[gender])}"
    )
    return native, _title(name_rules.normalise_latin(native)), "VN"


def _id_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    return f"{rng.choice(ID_FIRST[gender])} {rng.choice(ID_LAST[gender])}", "", "ID"


def _my_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    native, roman = rng.choice(MY_NAMES[gender])
    return native, roman, "MM"


def _en_name(rng: random.Random, gender: str) -> tuple[str, str, str]:
    country, male, female, surnames = rng.choice(EN_NAMES)
    return f"{rng.choice(male if gender == M else female)} {rng.choice(surnames)}", "", country


@dataclass(frozen=True)
class Profile:
    """Where a victim comes from: language, how they reach out, how they were recruited."""

    key: str
    language: str
    make_name: Callable[
        [random.Random, str], tuple[str, str, str]
    ]  # -> (native, romanised, country)
    channels: tuple[str, ...]
    handle_kinds: tuple[str, ...]
    apps: tuple[str, ...]


# fmt: off
PROFILES = {
    "zh": Profile("zh", "zh-hans", _zh_name, ("wechat", "wechat", "phone", "telegram"), ("wechat", "telegram"),
                  ("WeChat", "Telegram", "QQ")),
    "th": Profile("th", "th", _th_name, ("line", "facebook", "phone"), ("line", "facebook"),
                  ("Facebook", "Line", "TikTok")),
    "vi": Profile("vi", "vi", _vi_name, ("facebook", "phone", "telegram"), ("facebook", "telegram"),
                  ("Facebook", "TikTok", "Telegram")),
    "id": Profile("id", "id", _id_name, ("whatsapp", "whatsapp", "phone", "facebook"), ("whatsapp", "telegram"),
                  ("Facebook", "WhatsApp", "Telegram", "Instagram")),
    "my": Profile("my", "my", _my_name, ("facebook", "phone", "partner"), ("facebook", "telegram"),
                  ("Facebook", "Viber", "Telegram")),
    "en": Profile("en", "en", _en_name, ("whatsapp", "telegram", "email", "web"), ("whatsapp", "telegram"),
                  ("Facebook", "WhatsApp", "Telegram", "Instagram")),
}
# fmt: on

# --------------------------------------------------------------------------------------------
# Phones and handles
# --------------------------------------------------------------------------------------------

# Mobile prefixes and the number of random digits after them, per country.
# fmt: off
_MOBILE: dict[str, tuple[list[str], int]] = {
    "CN": (["138", "139", "150", "158", "186", "188", "135", "137", "131", "133"], 8),
    "MY": (["12", "13", "16", "17", "19"], 7),
    "TH": (["81", "82", "84", "86", "89", "61", "62", "63", "64", "65", "91", "92", "93", "94", "95"], 7),
    "VN": (["90", "91", "93", "94", "96", "97", "98", "70", "77", "79", "81", "83", "86", "88", "89"], 7),
    "ID": (["811", "812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "895", "896"], 8),
    "MM": (["925", "926", "940", "942", "944", "945", "973", "975", "977", "978", "979", "996", "997"], 7),
    "KH": (["12", "17", "77", "92", "96", "97", "98", "10", "15", "16", "69", "70", "81", "86", "89"], 6),
    "KE": (["710", "711", "712", "720", "722", "733", "740", "790"], 6),
    "PH": (["917", "918", "919", "920", "921", "927", "928", "929", "939", "945", "955", "995"], 7),
    "LK": (["70", "71", "72", "75", "76", "77", "78"], 7),
    "IN": (["98", "99", "97", "96", "94", "93", "91", "90", "88", "87", "70"], 8),
    "BD": (["13", "14", "15", "16", "17", "18", "19"], 8),
    "NG": (["803", "806", "813", "816", "703", "706", "810"], 7),
}
# fmt: on


def random_phone(rng: random.Random, country: str) -> str:
    """A valid mobile number of ``country`` in E.164 (fictional: random digits)."""
    prefixes, digits = _MOBILE[country]
    code = phonenumbers.country_code_for_region(country)
    for _attempt in range(100):
        national = rng.choice(prefixes) + "".join(rng.choice("0123456789") for _ in range(digits))
        number = phonenumbers.parse(f"+{code}{national}")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise ValueError(f"no valid {country} number found")  # pragma: no cover - prefixes are valid


PHONE_STYLES = ("international", "e164", "00", "dashes", "national")


def phone_as_typed(e164: str, style: str, *, default_region: str) -> str:
    """``e164`` written the way people type it. "national" only for the organisation's own
    country (other national numbers cannot be read back without their country)."""
    number = phonenumbers.parse(e164)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if style == "national" and phonenumbers.region_code_for_number(number) == default_region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if style == "e164":
        return e164
    if style == "00":
        return "00" + e164[1:]
    if style == "dashes":
        return international.replace(" ", "-")
    return international


def random_handle(rng: random.Random, kind: str, romanised: str) -> str:
    base = "".join(ch for ch in name_rules.normalise_latin(romanised) if ch.isalnum()) or "user"
    number = rng.randint(7, 9899)
    if kind == "telegram":
        return f"@{base[:20]}_{number}"
    if kind == "facebook":
        return f"https://www.facebook.com/{base[:20]}.{number}"
    return f"{base[:20]}{number}"  # wechat, line


def names_match(native: str, query: str) -> bool:
    """Whether a desk search for ``query`` finds a person named ``native``."""
    tokens = name_rules.name_tokens(native)
    groups = name_rules.query_tokens(query)
    return bool(groups) and all(group & tokens for group in groups)


@dataclass
class Victim:
    """One fictional person and what the desk knows about them."""

    profile: Profile
    native: str
    romanised: str
    country: str
    gender: str
    phone: str
    person: Person | None = None
    case: Case | None = None
