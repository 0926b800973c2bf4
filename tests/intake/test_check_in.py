import pytest

from lifeline.audit.models import AuditEvent
from lifeline.cases import services as case_services
from lifeline.cases.models import Request, TimelineEvent
from lifeline.intake.models import CheckIn
from lifeline.privacy.services import person_erase
from tests.intake.conftest import receipt_code, sos_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(public):
    return receipt_code(public.post("/help/", sos_data(public, duress="mango")))


def test_it_records_a_check_in_with_the_code(public, code):
    response = public.post("/check/", {"code": code, "status": "still_there", "message": "ok"})
    assert response.status_code == 200
    assert "Received." in response.content.decode()
    assert response.cookies == {}
    checkin = CheckIn.objects.get()
    assert checkin.request == Request.objects.get()
    assert checkin.status == "still_there" and checkin.message == "ok"
    assert not checkin.under_duress
    event = AuditEvent.objects.get(action="intake.checkin.received")
    assert event.actor is None and event.payload == {"checkin": checkin.pk, "status": "still_there"}


def test_it_accepts_the_code_as_people_type_it(public, code):
    typed = code.lower().replace(" ", "-")
    assert public.post("/check/", {"code": typed, "status": "safe"}).status_code == 200


def test_it_answers_a_duress_check_in_exactly_like_any_other(public, code):
    usual = public.post("/check/", {"code": code, "status": "safe", "message": "All fine now"})
    forced = public.post(
        "/check/", {"code": code, "status": "safe", "message": "All fine now, MANGO day"}
    )
    assert forced.status_code == usual.status_code == 200
    assert forced.content == usual.content
    assert dict(forced.headers) == dict(usual.headers)
    assert [c.under_duress for c in CheckIn.objects.order_by("pk")] == [False, True]


def test_it_finds_the_duress_word_inside_unspaced_scripts(public):
    code = receipt_code(public.post("/help/", sos_data(public, duress="มะม่วง")))
    public.post("/check/?lang=th", {"code": code, "status": "safe", "message": "สบายดีมะม่วงครับ"})
    assert CheckIn.objects.get().under_duress


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "", "status": "safe"}, "Please enter your code."),
        ({"code": "RR 1234 5678 0 TH", "status": "safe"}, "This code is not right."),
        ({"code": "hello", "status": "safe"}, "This code is not right."),
        ({"code": "{code}"}, "Please choose one."),
        ({"code": "{code}", "status": "fine"}, "Please choose from the list."),
        ({"code": "{code}", "status": "safe", "message": "x" * 501}, "at most 500 characters"),
    ],
)
def test_it_returns_the_form_with_the_reason_and_stores_nothing(public, code, data, message):
    data = {key: value.replace("{code}", code) for key, value in data.items()}
    response = public.post("/check/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_it_refuses_a_well_formed_code_that_belongs_to_nothing(public):
    from lifeline.intake.codes import display_code, random_code

    response = public.post("/check/", {"code": display_code(random_code()), "status": "safe"})
    assert response.status_code == 400
    assert "This code is not right." in response.content.decode()


def test_it_limits_check_ins_per_address(public, code, settings):
    settings.LIFELINE_INTAKE_RATE_PER_ADDRESS = 1
    assert public.post("/check/", {"code": code, "status": "safe"}).status_code == 200
    assert public.post("/check/", {"code": code, "status": "safe"}).status_code == 429
    assert CheckIn.objects.count() == 1


def test_it_shows_check_ins_and_duress_loudly_to_the_coordinator(
    public, code, login, coordinator_a
):
    public.post("/check/", {"code": code, "status": "in_danger", "message": "mango"})
    req = Request.objects.get()
    page = login(coordinator_a).get(req.get_absolute_url()).content.decode()
    assert "Check-ins from the sender" in page and "In danger now" in page
    assert "UNDER DURESS" in page
    assert "Agreed at intake" in page


def test_it_puts_check_ins_on_the_case_timeline(public, code, login, coordinator_a):
    req = Request.objects.get()
    case = case_services.request_open_case(actor=coordinator_a, req=req)
    public.post("/check/", {"code": code, "status": "moved", "message": "mango, moved north"})
    event = TimelineEvent.objects.get(case=case, kind="checkin")
    assert event.body == "mango, moved north"
    assert event.data["status"] == "moved" and event.data["duress"] is True
    page = login(coordinator_a).get(case.get_absolute_url()).content.decode()
    assert "UNDER DURESS" in page and "Moved" in page


def test_it_scrubs_check_ins_and_forgets_the_code_on_erasure(public, code, coordinator_a):
    public.post("/check/", {"code": code, "status": "safe", "message": "at the border"})
    case = case_services.request_open_case(actor=coordinator_a, req=Request.objects.get())
    person_erase(
        actor=coordinator_a, person=case.person, reason="survivor_wish", confirmation="ERASE"
    )
    assert CheckIn.objects.get().message == ""
    response = public.post("/check/", {"code": code, "status": "safe"})
    assert response.status_code == 400
