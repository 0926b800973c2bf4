"""The side-by-side page and the comparison endpoint."""

import pytest
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.people.services import IdentifierInput
from tests.api import NOT_FOUND, api_client, call
from tests.factories import make_person


@pytest.fixture
def pair(coordinator_a):
    a = make_person(coordinator_a, "张伟", phone="+66 81 234 5678")
    b = make_person(coordinator_a, "Wei Zhang", phone="081 234 5678")  # org default region
    return a, b


def url(a, b):
    return reverse("linkage:pair_detail", args=[a.uid, b.uid])


def test_it_shows_two_persons_side_by_side_with_the_explanation(login, coordinator_a, pair):
    a, b = pair
    response = login(coordinator_a).get(url(a, b))
    page = response.content.decode()
    assert response.status_code == 200
    assert "张伟" in page and "Wei Zhang" in page
    assert "Match probability" in page and "the same name in another spelling or order" not in page
    assert "the same name" in page and "a phone in common" in page
    events = AuditEvent.objects.filter(action="people.person.viewed")
    assert {e.object_id for e in events} == {str(a.pk), str(b.pk)}
    assert all(e.payload["page"] == "duplicate_pair" for e in events)


def test_it_shows_a_strong_conflict(login, coordinator_a):
    a = make_person(
        coordinator_a, "Zhang Wei", identifiers=[IdentifierInput("passport", "E12345678", "CN")]
    )
    b = make_person(
        coordinator_a, "Zhang Wei", identifiers=[IdentifierInput("passport", "G98765432", "CN")]
    )
    page = login(coordinator_a).get(url(a, b)).content.decode()
    assert "Strong conflicts push this pair down" in page
    assert "different documents of one kind and country" in page


@pytest.mark.parametrize("persona", ["caseworker_a", "analyst_a", "admin_a"])
def test_it_keeps_the_page_from_those_who_do_not_review_duplicates(login, request, pair, persona):
    assert login(request.getfixturevalue(persona)).get(url(*pair)).status_code == 403


def test_it_answers_404_for_another_organisations_persons(login, coordinator_b, pair):
    assert login(coordinator_b).get(url(*pair)).status_code == 404


def test_it_gives_the_comparison_in_the_api(coordinator_a, pair):
    a, b = pair
    response = call(api_client(coordinator_a), "get", f"/api/v1/persons/{a.uid}/comparison/{b.uid}")
    body = response.json()
    assert response.status_code == 200, body
    assert body["probability"] > 0.99
    fields = {f["field"]: f for f in body["fields"]}
    assert fields["name"]["level"] == "exact" and fields["phone"]["outcome"] == "agree"
    assert fields["passport"]["level"] == "missing"


def test_it_answers_404_in_the_api_for_another_organisation(coordinator_b, pair):
    a, b = pair
    response = call(api_client(coordinator_b), "get", f"/api/v1/persons/{a.uid}/comparison/{b.uid}")
    assert response.status_code == 404 and response.json() == NOT_FOUND
