"""The public pages in every language they offer: each string translated in its .po file, the
committed .mo files compiled from them, and the pages and their errors in the chosen language."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from lifeline.intake.pages import LANGUAGE_CODES
from tests.intake.conftest import receipt_code, sos_data

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code in LANGUAGE_CODES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _folder(code: str) -> str:
    return "zh_Hans" if code == "zh-hans" else code


def _po_entries(path: Path) -> dict[str, str]:
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        assert "fuzzy" not in block, block
        match = re.search(
            r'msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)', block
        )
        if match is None:
            continue

        def text(group: str) -> str:
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', group)
            return "".join(parts).replace('\\"', '"').replace("\\\\", "\\")

        entries[text(match.group(1))] = text(match.group(2))
    entries.pop("", None)  # the header
    return entries


@pytest.mark.parametrize("code", TRANSLATED)
def test_it_translates_every_string_and_keeps_the_placeholders(code):
    entries = _po_entries(LOCALE / _folder(code) / "LC_MESSAGES" / "django.po")
    assert len(entries) >= 70
    for msgid, msgstr in entries.items():
        assert msgstr.strip(), f"{code}: {msgid!r} is not translated"
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_it_ships_mo_files_compiled_from_the_po_files(code):
    folder = LOCALE / _folder(code) / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    for msgid, msgstr in _po_entries(folder / "django.po").items():
        assert catalog.gettext(msgid) == msgstr, f"{code}: recompile (make messages): {msgid!r}"


# A few strings of each page, and what the Thai, Chinese, Khmer and Burmese pages say instead.
EXPECTED = {
    "zh-hans": ("离开此页", "谁在写？", "发送"),
    "th": ("ออกจากหน้านี้", "ใครเป็นคนเขียน", "ส่ง"),
    "vi": ("Rời trang này", "Ai đang viết?", "Gửi"),
    "id": ("Tinggalkan halaman ini", "Siapa yang menulis?", "Kirim"),
    "km": ("ចាកចេញពីទំព័រនេះ", "តើអ្នកណាជាអ្នកសរសេរ?", "ផ្ញើ"),
    "my": ("ဤစာမျက်နှာမှ ထွက်ရန်", "ဘယ်သူ ရေးနေတာလဲ။", "ပို့ရန်"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_it_shows_the_form_in_the_chosen_language_without_english_left(public, code):
    body = public.get(f"/help/?lang={code}").content.decode()
    for text in EXPECTED[code]:
        assert text in body
    for english in ("Leave this page", "Who is writing?", "Is any of this happening?", "Send<"):
        assert english not in body
    check = public.get(f"/check/?lang={code}").content.decode()
    assert "How are things now?" not in check and "Your code" not in check


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("th", "กรุณาเลือกว่าใครเป็นคนเขียน"),
        ("zh-hans", "请选择是谁在写。"),
        ("km", "សូមជ្រើសរើសថាអ្នកណាជាអ្នកសរសេរ។"),
        ("my", "ဘယ်သူ ရေးနေသည်ကို ရွေးပါ။"),
        ("vi", "Vui lòng chọn ai đang viết."),
        ("id", "Silakan pilih siapa yang menulis."),
    ],
)
def test_it_explains_an_error_in_the_senders_language(public, code, message):
    response = public.post(f"/help/?lang={code}", sos_data(public, relation=None))
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_it_picks_the_browsers_language_and_keeps_it_through_the_receipt(public):
    form = public.get("/help/", HTTP_ACCEPT_LANGUAGE="km-KH,km;q=0.9,en;q=0.5").content.decode()
    assert "ចាកចេញពីទំព័រនេះ" in form
    assert 'action="/help/?lang=km"' in form
    response = public.post("/help/?lang=km", sos_data(public))
    assert "បានទទួលហើយ។" in response.content.decode() and receipt_code(response)


@pytest.mark.django_db
def test_it_offers_every_language_by_its_own_name(public):
    body = public.get("/help/?lang=th").content.decode()
    for name in ("English", "中文", "ไทย", "Tiếng Việt", "Bahasa Indonesia", "ខ្មែរ", "မြန်မာ"):
        assert name in body
