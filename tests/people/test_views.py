import pytest
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.people.models import ContactHandle, Identifier, PersonName


def test_it_shows_a_person_to_the_assigned_caseworker_and_audits_it(login, case_a, caseworker_a):
    response = login(caseworker_a).get(case_a.person.get_absolute_url())
    assert response.status_code == 200 and "张伟" in response.content.decode()
    assert "+855 12 345 678" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="people.person.viewed", object_id=str(case_a.person.pk)
    ).exists()


@pytest.mark.parametrize("persona", ["other_caseworker_a", "coordinator_b"])
def test_it_answers_404_to_those_who_may_not_see_the_person(login, request, case_a, persona):
    client = login(request.getfixturevalue(persona))
    uid = case_a.person.uid
    assert client.get(reverse("people:detail", args=[uid])).status_code == 404
    for name in ("edit", "add_name", "add_contact", "add_identifier"):
        assert client.post(reverse(f"people:{name}", args=[uid]), {"value": "x"}).status_code == 404


def test_it_keeps_persons_from_analysts(login, analyst_a, case_a):
    assert login(analyst_a).get(case_a.person.get_absolute_url()).status_code == 403


def test_it_adds_a_spelling_that_search_then_finds(login, case_a, caseworker_a):
    client = login(caseworker_a)
    response = client.post(
        reverse("people:add_name", args=[case_a.person.uid]),
        {"value": "Cheung Wai", "kind": "alias"},
    )
    assert response.status_code == 302
    assert PersonName.objects.filter(person=case_a.person).count() == 2


def test_it_adds_a_contact_and_refuses_a_bad_one(login, case_a, caseworker_a):
    client = login(caseworker_a)
    url = reverse("people:add_contact", args=[case_a.person.uid])
    assert client.post(url, {"kind": "telegram", "value": "@wei_safe_2024"}).status_code == 302
    bad = client.post(url, {"kind": "phone", "value": "12"})
    assert bad.status_code == 400 and "valid phone" in bad.content.decode()
    assert ContactHandle.objects.filter(person=case_a.person).count() == 2


def test_it_adds_a_passport_number(login, case_a, caseworker_a):
    client = login(caseworker_a)
    url = reverse("people:add_identifier", args=[case_a.person.uid])
    assert (
        client.post(url, {"kind": "passport", "value": "E 1234 5678", "country": "CN"}).status_code
        == 302
    )
    assert Identifier.objects.get(person=case_a.person).value == "E12345678"
    assert (
        client.post(url, {"kind": "passport", "value": "E12#$%", "country": ""}).status_code == 400
    )


def test_it_edits_details_and_refuses_impossible_dates(login, case_a, caseworker_a):
    client = login(caseworker_a)
    url = reverse("people:edit", args=[case_a.person.uid])
    person = case_a.person
    ok = client.post(
        url, {"version": person.version, "gender": "Masculine", "age": 24, "citizenship": "CN"}
    )
    assert ok.status_code == 302
    person.refresh_from_db()
    assert person.age == "24" and person.age_band == "24--26" and person.citizenship == "CN"
    future = client.post(
        url, {"version": person.version, "gender": "Masculine", "birth_date": "2999-01-01"}
    )
    assert future.status_code == 400 and "future" in future.content.decode()


def test_it_refuses_a_stale_edit_of_a_person(login, case_a, caseworker_a, coordinator_a):
    person = case_a.person
    seen = person.version
    login(coordinator_a).post(
        reverse("people:edit", args=[person.uid]), {"version": seen, "gender": "Feminine"}
    )
    response = login(caseworker_a).post(
        reverse("people:edit", args=[person.uid]), {"version": seen, "gender": "Masculine"}
    )
    person.refresh_from_db()
    assert response.status_code == 409 and person.gender == "Feminine"


def test_it_matches_nobody_for_a_name_with_nothing_searchable(login, coordinator_a, case_a):
    from lifeline.people.selectors import person_search

    assert person_search(actor=coordinator_a, name="张伟").count() == 1
    assert person_search(actor=coordinator_a, name="-").count() == 0
    assert person_search(actor=coordinator_a, name="😀").count() == 0
