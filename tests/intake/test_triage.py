"""What coordinators do with public requests in the triage queue."""

import pytest
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Request
from tests.factories import make_request
from tests.intake.conftest import receipt_code, sos_data

pytestmark = pytest.mark.django_db


def test_it_lists_language_signs_and_duress_in_the_queue(public, login, coordinator_a):
    code = receipt_code(public.post("/help/?lang=th", sos_data(public, text="ถูกขังไว้ ช่วยด้วย")))
    public.post("/check/", {"code": code, "status": "safe", "message": "mango"})
    page = login(coordinator_a).get(reverse("cases:request_list")).content.decode()
    assert "<td>th</td>" in page
    assert "Locked in" in page and "Beaten" in page
    assert "DURESS" in page


def test_it_suggests_urgency_from_words_in_any_language(public):
    public.post("/help/", sos_data(public, signs=[], text="他们打我，还电击", names="阿明"))
    req = Request.objects.get()
    assert req.language == "zh-hans"
    assert set(req.danger_signs) >= {"beaten", "electrocution_threat"}
    assert req.urgency == 30


def test_it_shows_possible_matches_for_a_public_request(public, login, coordinator_a):
    existing = make_request(
        coordinator_a,
        subject_name="Nguyen Van An",
        subject_contact_kind="phone",
        subject_contact="+66812345678",
    )
    from lifeline.cases.services import request_open_case

    request_open_case(actor=coordinator_a, req=existing)
    public.post("/help/", sos_data(public))
    req = Request.objects.filter(channel="web").get()
    page = login(coordinator_a).get(req.get_absolute_url()).content.decode()
    assert "same phone or handle" in page


def test_it_dismisses_ticked_requests_as_spam_keeping_rows_and_audit(login, coordinator_a):
    spam = [make_request(coordinator_a, text=f"buy now {n}") for n in range(3)]
    keep = make_request(coordinator_a, text="Help")
    client = login(coordinator_a)
    response = client.post(
        reverse("cases:request_dismiss"),
        {"requests": [str(req.uid) for req in spam], "reason": "spam"},
    )
    assert response.status_code == 302
    assert Request.objects.count() == 4
    assert {r.status for r in Request.objects.filter(pk__in=[r.pk for r in spam])} == {"rejected"}
    assert Request.objects.get(pk=keep.pk).status == "new"
    events = AuditEvent.objects.filter(action="cases.request.rejected")
    assert events.count() == 3
    assert all(e.payload == {"reason": "spam", "bulk": True} for e in events)
    page = client.get(reverse("cases:request_list")).content.decode()
    assert "3 requests were dismissed" in page
    assert str(keep.uid) in page and str(spam[0].uid) not in page


def test_it_dismisses_test_submissions_too(login, coordinator_a):
    req = make_request(coordinator_a, text="test test")
    login(coordinator_a).post(
        reverse("cases:request_dismiss"), {"requests": [str(req.uid)], "reason": "test"}
    )
    req.refresh_from_db()
    assert req.status == "rejected" and req.rejection_reason == "test"


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "spam"},
        {"requests": ["not-a-uuid"], "reason": "spam"},
        {"requests": ["{uid}"], "reason": "duplicate"},
        {"requests": ["{uid}"], "reason": ""},
    ],
)
def test_it_refuses_a_bad_dismissal_and_changes_nothing(login, coordinator_a, data):
    req = make_request(coordinator_a, text="Help")
    data = {
        k: [v.replace("{uid}", str(req.uid)) for v in vs] if isinstance(vs, list) else vs
        for k, vs in data.items()
    }
    client = login(coordinator_a)
    response = client.post(reverse("cases:request_dismiss"), data, follow=True)
    assert "Tick the requests to dismiss." in response.content.decode()
    req.refresh_from_db()
    assert req.status == "new"


def test_it_does_not_dismiss_another_organisations_requests(login, coordinator_a, coordinator_b):
    req = make_request(coordinator_a, text="Help")
    response = login(coordinator_b).post(
        reverse("cases:request_dismiss"), {"requests": [str(req.uid)], "reason": "spam"}
    )
    assert response.status_code == 404
    req.refresh_from_db()
    assert req.status == "new"


def test_it_lets_only_triagers_dismiss(login, caseworker_a, coordinator_a):
    req = make_request(coordinator_a, text="Help")
    response = login(caseworker_a).post(
        reverse("cases:request_dismiss"), {"requests": [str(req.uid)], "reason": "spam"}
    )
    assert response.status_code == 403
