import gzip
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Request
from lifeline.evidence.models import Evidence
from lifeline.evidence.services import evidence_read
from lifeline.intake import codes
from lifeline.intake.models import Receipt
from tests.evidence.files import jpeg, pdf
from tests.intake.conftest import form_token, receipt_code, sos_data

pytestmark = pytest.mark.django_db


def test_it_shows_the_form_without_login_cookie_or_trace(public):
    response = public.get("/help/")
    assert response.status_code == 200
    assert response.cookies == {}
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    body = response.content.decode()
    assert "http://" not in body.replace('href="https://www.google.com/"', "")
    assert "src=" not in body  # no image, script or frame from anywhere
    for word in ("traffick", "rescue", "Lifeline"):
        assert word.lower() not in body.lower()


def test_it_keeps_the_page_under_15_kb_compressed(public):
    body = public.get("/help/").content
    assert len(gzip.compress(body, 9)) <= 15 * 1024


def test_it_records_a_request_and_shows_a_receipt_code(public, org_a):
    response = public.post("/help/", sos_data(public))
    assert response.status_code == 200
    code = receipt_code(response)
    assert re.fullmatch(r"[A-Z]{2} \d{4} \d{4} \d [A-Z]{2}", code)
    req = Request.objects.get()
    assert req.organisation == org_a
    assert req.channel == "web" and req.reporter_relation == "family"
    assert req.subject_name == "Nguyễn Văn An / 阿安"
    assert req.subject_contact == "+66812345678"
    assert "Sihanoukville" in req.location_text and "Golden Fortune" in req.location_text
    assert "after 22:00" in req.text
    # Ticked, then read from the words ("cannot leave").
    assert req.danger_signs == ["beaten", "passport_taken", "locked_in"]
    assert req.urgency == 30
    receipt = Receipt.objects.get()
    assert receipt.code_digest == codes.code_digest(code.replace(" ", ""))
    assert code.replace(" ", "") not in str(Receipt.objects.values().get())
    event = AuditEvent.objects.get(action="cases.request.received")
    assert event.actor is None and event.payload["source"] == "intake_web"
    assert response.cookies == {}


def test_it_shows_each_sender_their_own_code_in_their_own_language(public, settings):
    # The receipt page is rendered once per language and page settings, then filled in.
    english = public.post("/help/?lang=en", sos_data(public))
    thai = public.post("/help/?lang=th", sos_data(public))
    again = public.post("/help/?lang=en", sos_data(public))
    shown = {receipt_code(english), receipt_code(thai), receipt_code(again)}
    assert len(shown) == 3
    assert "Received." in english.content.decode() and "Received." not in thai.content.decode()
    assert '<html lang="th">' in thai.content.decode()
    settings.LIFELINE_INTAKE_TITLE = "Parcel help"
    titled = public.post("/help/?lang=en", sos_data(public))
    assert "<title>Parcel help</title>" in titled.content.decode()
    assert receipt_code(titled) not in shown


def test_it_makes_one_request_of_a_double_submit(public):
    data = sos_data(public)
    first = receipt_code(public.post("/help/", data))
    second = receipt_code(public.post("/help/", data))
    assert first == second
    assert Request.objects.count() == 1


def test_it_refuses_a_forged_or_expired_token_and_stores_nothing(public, settings):
    response = public.post("/help/", sos_data(public, token="forged"))
    assert response.status_code == 400
    assert "Please press Send again" in response.content.decode()
    assert Request.objects.count() == 0
    # The page comes back with a fresh token: sending it again works.
    retry = public.post("/help/", sos_data(public, token=form_token(public)))
    assert retry.status_code == 200


def test_it_pretends_to_accept_what_the_honeypot_catches(public):
    response = public.post("/help/", sos_data(public, website="http://spam.example"))
    assert response.status_code == 200
    assert receipt_code(response)
    assert Request.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"relation": None}, "Please choose who is writing."),
        ({"names": "", "contact": "", "text": "", "signs": []}, "Please write what is happening"),
        ({"text": "x" * 3001}, "at most 3000 characters"),
        ({"names": "x" * 301}, "at most 300 characters"),
        ({"duress": "ab"}, "at least 3 letters"),
        ({"contact": "12"}, "Please check this number or account name."),
        ({"relation": "boss"}, "Please choose from the list."),
        ({"signs": ["electrocuted_by_ufo"]}, "Please choose from the list."),
    ],
)
def test_it_returns_the_form_with_the_reason_and_stores_nothing(public, overrides, field_message):
    response = public.post("/help/", sos_data(public, **overrides))
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert Request.objects.count() == 0
    assert Receipt.objects.count() == 0


def test_it_answers_in_the_browsers_language_and_the_chosen_one(public):
    thai = public.get("/help/", HTTP_ACCEPT_LANGUAGE="th")
    assert thai["Content-Language"] == "th"
    assert '<html lang="th">' in thai.content.decode()
    chosen = public.get("/help/?lang=vi", HTTP_ACCEPT_LANGUAGE="th")
    assert chosen["Content-Language"] == "vi"
    assert public.get("/help/?lang=xx", HTTP_ACCEPT_LANGUAGE="km")["Content-Language"] == "km"


def test_it_detects_the_language_of_the_message(public):
    public.post("/help/?lang=en", sos_data(public, text="ผมถูกขังไว้ ออกไม่ได้", names="สมชาย"))
    req = Request.objects.get()
    assert req.language == "th"
    assert "locked_in" in req.danger_signs  # from the words, not only the ticks


def test_it_stores_the_photo_without_metadata_and_the_position_only_if_asked(
    public, evidence_dir, coordinator_a
):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg(gps=True), content_type="image/jpeg")
    response = public.post("/help/", sos_data(public, photo=photo))
    assert response.status_code == 200
    req = Request.objects.get()
    evidence = Evidence.objects.get(request=req)
    assert evidence.uploaded_by is None and evidence.original_name == "photo"
    stored = evidence_read(actor=coordinator_a, evidence=evidence)
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    assert "Position" not in req.location_text

    photo = SimpleUploadedFile("IMG_0002.jpg", jpeg(gps=True), content_type="image/jpeg")
    public.post("/help/", sos_data(public, photo=photo, share_location="on"))
    shared = Request.objects.order_by("-pk").first()
    assert "Position: 13.75000,100.50000" in shared.location_text


def test_it_refuses_a_photo_that_is_not_an_image(public, evidence_dir):
    upload = SimpleUploadedFile("a.pdf", pdf(), content_type="application/pdf")
    response = public.post("/help/", sos_data(public, photo=upload))
    assert response.status_code == 400
    assert "Please send a photo or a screenshot." in response.content.decode()
    assert Request.objects.count() == 0 and Evidence.objects.count() == 0


def test_it_keeps_the_phones_position_sent_by_the_script(public):
    public.post("/help/", sos_data(public, latitude="11.61234", longitude="104.91234"))
    assert "Position: 11.61234,104.91234" in Request.objects.get().location_text


def test_it_limits_submissions_per_address(public, settings):
    settings.LIFELINE_INTAKE_RATE_PER_ADDRESS = 2
    for _ in range(2):
        assert public.post("/help/", sos_data(public)).status_code == 200
    refused = public.post("/help/", sos_data(public))
    assert refused.status_code == 429
    assert "Too many messages" in refused.content.decode()
    assert Request.objects.count() == 2
    other = public.post("/help/", sos_data(public), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_it_limits_submissions_overall(public, settings):
    settings.LIFELINE_INTAKE_RATE_OVERALL = 1
    assert public.post("/help/", sos_data(public)).status_code == 200
    assert public.post("/help/", sos_data(public), REMOTE_ADDR="10.9.9.9").status_code == 429


def test_it_refuses_a_cross_site_post(public):
    data = sos_data(public)
    assert public.post("/help/", data, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert public.post("/help/", data, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert public.post("/help/", data, HTTP_ORIGIN="null").status_code == 200
    assert Request.objects.count() == 1


def test_it_is_not_found_without_an_intake_organisation(public, settings):
    settings.LIFELINE_INTAKE_ORGANISATION = ""
    assert public.get("/help/").status_code == 404


def test_it_sets_no_cookie_for_a_logged_in_coordinator_either(login, coordinator_a):
    client = login(coordinator_a)
    response = client.post("/help/", sos_data(client))
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
