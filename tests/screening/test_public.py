"""The public job-check page: no login, no cookie, no trace; the reasons in the reader's
language; nothing stored unless the reader reports the offer. Every offer here was written for
the tests (tests/screening/lures.py)."""

import gzip
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from lifeline.audit.models import AuditEvent
from lifeline.screening import selectors
from lifeline.screening.models import Lure, LureSource
from tests.screening.lures import EXAMPLES, LURE_EN, PLAIN

pytestmark = pytest.mark.django_db
PATH = "/job-check/"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def intake_org(org_a, settings, no_model):
    settings.LIFELINE_INTAKE_ORGANISATION = org_a.slug
    cache.clear()  # rate-limit counters
    yield org_a
    cache.clear()


@pytest.fixture
def public():
    return Client()


def _check(client, text, lang="en", **extra):
    return client.post(f"{PATH}?lang={lang}", {"text": text, "website": "", **extra})


def _report_data(client, text=LURE_EN, lang="en", **overrides):
    body = _check(client, text, lang).content.decode()
    match = TOKEN.search(body)
    assert match, "the result offers to report the offer, with a one-time token"
    data = {
        "report": "1",
        "token": match.group(1),
        "text": text,
        "platform": "facebook",
        "country": "KH",
        "town": "Phnom Penh",
        "website": "",
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_without_login_cookie_or_trace(public):
    response = public.get(PATH)
    assert response.status_code == 200
    assert response.cookies == {}
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    body = response.content.decode()
    assert "<title>Contact</title>" in body  # neutral, as the SOS page
    assert "src=" not in body and "http://" not in body
    for word in ("traffick", "rescue", "lifeline", "compound"):
        assert word not in body.lower()
    assert len(gzip.compress(response.content, 9)) <= 15 * 1024
    for name in ("English", "中文", "ไทย", "Tiếng Việt", "Bahasa Indonesia", "ខ្មែរ", "မြန်မာ"):
        assert name in body
    assert 'class="exit"' in body


def test_it_answers_404_when_no_organisation_is_served(public, settings):
    settings.LIFELINE_INTAKE_ORGANISATION = ""
    assert public.get(PATH).status_code == 404
    assert _check(public, LURE_EN).status_code == 404


def test_it_explains_each_warning_sign_and_stores_nothing(public):
    events = AuditEvent.objects.count()
    response = _check(public, LURE_EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Many warning signs: this looks like a trap" in body
    assert "A destination known for scam compounds" in body
    assert "Sihanoukville, Bavet, Poipet, Myawaddy" in body  # why it matters
    assert "Contact only through a chat app" in body
    assert "Keep your passport" in body  # the advice to verify
    assert 'href="/help/?lang=en"' in body  # the way to ask for help
    assert response.cookies == {}
    assert Lure.objects.count() == 0
    assert AuditEvent.objects.count() == events  # nothing pasted is logged either


def test_it_says_when_no_sign_is_found(public):
    body = _check(public, PLAIN["en"]).content.decode()
    assert "Few warning signs" in body
    assert "None of the usual warning signs was found" in body


# The reader's language decides the explanations, whatever the offer's language.
READER = {
    "zh-hans": ("zh", "以诈骗园区闻名的目的地", "西哈努克港", "警示迹象"),
    "th": ("th", "ปลายทางที่รู้กันว่ามีศูนย์ต้มตุ๋นออนไลน์", "สีหนุวิลล์", "สัญญาณเตือน"),
    "vi": ("vi", "Nơi đến nổi tiếng với các khu lừa đảo", "Tam giác vàng", "dấu hiệu cảnh báo"),
    "id": (
        "id",
        "Tujuan yang dikenal sebagai lokasi markas penipuan",
        "Segitiga Emas",
        "tanda bahaya",
    ),
    "km": ("km", "ទីកន្លែងដែលល្បីថាមានមជ្ឈមណ្ឌលបោកប្រាស់", "ក្រុងព្រះសីហនុ", "សញ្ញាព្រមាន"),
    "my": ("my", "လိမ်လည်မှု စခန်းများဖြင့် နာမည်ကြီးသော နေရာ", "မြဝတီ", "သတိပေးလက္ခဏာ"),
}


@pytest.mark.parametrize("lang", list(READER))
def test_it_explains_in_the_readers_language(public, lang):
    offer_language, title, why, level = READER[lang]
    offer = EXAMPLES["compound_destination"][offer_language]
    body = _check(public, offer, lang).content.decode()
    assert title in body and why in body and level in body
    for english in ("A destination known for scam compounds", "Keep your passport", "Check<"):
        assert english not in body
    assert f'href="/help/?lang={lang}"' in body
    assert f'action="{PATH}?lang={lang}"' in body


@pytest.mark.parametrize("lang", list(READER))
def test_it_reads_an_english_offer_for_any_reader(public, lang):
    _offer_language, title, _why, _level = READER[lang]
    assert title in _check(public, LURE_EN, lang).content.decode()


@pytest.mark.parametrize(
    ("text", "lang", "message"),
    [
        ("", "en", "There is nothing to check"),
        ("   \n\t ", "th", "ไม่มีข้อความให้ตรวจ"),
        ("x" * 1_000_000, "en", "The text is too long to check (1,000,000 characters"),
        ("x" * 1_000_000, "zh-hans", "文字太长，无法检查"),
        ("😀🔥💰✈️", "en", "There are no words to check"),
        ("😀🔥💰✈️", "km", "អត្ថបទនេះគ្មានពាក្យត្រូវពិនិត្យទេ"),
        ("job\x00offer", "en", "This is not text"),
        ("job\x00offer", "vi", "Đây không phải là văn bản"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_stores_nothing(public, text, lang, message):
    response = _check(public, text, lang)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Lure.objects.count() == 0


def test_it_reads_the_words_of_html_and_echoes_no_markup(public):
    offer = f"<p>{LURE_EN}</p><script>alert('x')</script><img src=x onerror=alert(1)>"
    response = _check(public, offer)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Many warning signs" in body
    assert "<script>alert" not in body and "<img src=x" not in body
    # What a report would send is the offer's words: the script is dropped, not just escaped.
    hidden = re.search(r'<input type="hidden" name="text" value="([^"]*)"', body).group(1)
    assert "Sihanoukville" in hidden and "alert" not in hidden


def test_it_takes_a_file_upload_for_no_text(public):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("offer.bin", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
    response = public.post(PATH, {"file": upload})
    assert response.status_code == 400
    assert "There is nothing to check" in response.content.decode()


def test_it_stores_a_reported_offer_in_the_served_organisations_library(public, org_a, org_b):
    response = public.post(f"{PATH}?lang=th", _report_data(public, lang="th"))
    assert response.status_code == 200
    assert "ขอบคุณ" in response.content.decode()
    assert response.cookies == {}
    lure = Lure.objects.get()
    assert lure.organisation == org_a
    assert lure.source == LureSource.PUBLIC_PAGE and lure.created_by is None
    assert (lure.platform, lure.country, lure.town) == ("facebook", "KH", "Phnom Penh")
    assert lure.level == "high" and "compound_destination" in lure.sign_codes
    assert lure.language == "en"
    assert str(lure.text) == LURE_EN
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM screening_lure")
        (stored,) = cursor.fetchone()
    assert "Sihanoukville" not in str(stored)  # encrypted at rest
    # The handle is extracted and linked like every other offer's.
    assert lure.identifier_links.filter(identifier__kind="telegram").exists()
    event = AuditEvent.objects.get(action="screening.lure.added")
    assert event.actor is None and event.organisation == org_a
    assert event.payload["source"] == "public_page"
    assert "Sihanoukville" not in str(event.payload)


def test_it_makes_one_offer_of_a_double_report(public):
    data = _report_data(public)
    public.post(PATH, data)
    again = public.post(PATH, data)
    assert again.status_code == 200 and "Thank you." in again.content.decode()
    assert Lure.objects.count() == 1


def test_it_stores_nothing_a_robot_reports(public):
    response = public.post(PATH, _report_data(public, website="http://spam.example"))
    assert response.status_code == 200 and "Thank you." in response.content.decode()
    assert Lure.objects.count() == 0


def test_it_refuses_a_forged_token_and_offers_a_fresh_one(public):
    response = public.post(f"{PATH}?lang=id", _report_data(public, token="forged", lang="id"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Halaman ini terbuka terlalu lama" in body
    assert Lure.objects.count() == 0
    retry = public.post(PATH, _report_data(public, token=TOKEN.search(body).group(1)))
    assert retry.status_code == 200 and Lure.objects.count() == 1


def test_it_refuses_a_bad_report_and_stores_nothing(public):
    assert public.post(PATH, {**_report_data(public), "text": ""}).status_code == 400
    assert public.post(PATH, _report_data(public, platform="myspace")).status_code == 400
    assert public.post(PATH, _report_data(public, town="x" * 101)).status_code == 400
    assert Lure.objects.count() == 0


def test_it_refuses_a_cross_site_post(public):
    response = public.post(PATH, {"text": LURE_EN}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403


def test_it_limits_checks_and_reports_per_address(public, settings):
    settings.LIFELINE_INTAKE_RATE_PER_ADDRESS = 2
    assert _check(public, LURE_EN).status_code == 200
    assert _check(public, LURE_EN).status_code == 200
    limited = _check(public, LURE_EN, "th")
    assert limited.status_code == 429
    assert "กรุณาลองใหม่" in limited.content.decode() or "ลองใหม่" in limited.content.decode()
    cache.clear()
    data = _report_data(public)
    public.post(PATH, data)
    public.post(PATH, data)
    assert public.post(PATH, data).status_code == 429
    assert Lure.objects.count() == 1


def test_it_shows_a_reported_offer_only_to_the_served_organisation(
    public, coordinator_a, coordinator_b
):
    public.post(PATH, _report_data(public))
    assert selectors.lure_list(actor=coordinator_a).count() == 1
    assert selectors.lure_list(actor=coordinator_b).count() == 0


def test_it_explains_a_paste_too_big_for_the_server_to_read(public):
    # 1 MB of Thai is about 9 MB once form-encoded: more than the server reads at all.
    response = _check(public, "งาน" * 350_000, "th")
    assert response.status_code == 400
    assert "ข้อความยาวเกินกว่าจะตรวจได้" in response.content.decode()
    assert Lure.objects.count() == 0
