"""The erase page and the retention settings page."""

from lifeline.audit.models import AuditEvent
from lifeline.people.models import Person
from lifeline.privacy.models import RetentionRun


def test_a_coordinator_erases_a_person_after_confirming(login, coordinator_a, case_a):
    client = login(coordinator_a)
    url = f"/people/{case_a.person.uid}/erase/"
    page = client.get(url)
    assert page.status_code == 200 and b"cannot be undone" in page.content
    assert AuditEvent.objects.filter(
        action="people.person.viewed", object_id=str(case_a.person_id)
    ).exists()

    refused = client.post(url, {"reason": "survivor_wish", "confirmation": "yes"})
    assert refused.status_code == 400 and b"Type ERASE to confirm" in refused.content
    assert Person.objects.get(pk=case_a.person_id).erased_at is None

    done = client.post(url, {"reason": "survivor_wish", "confirmation": "ERASE"}, follow=True)
    assert done.status_code == 200
    assert b"data was erased on" in done.content and "张伟" not in done.content.decode()
    assert Person.objects.get(pk=case_a.person_id).erased_at is not None


def test_the_erase_page_is_404_to_another_organisation_and_403_to_other_roles(
    login, coordinator_b, caseworker_a, analyst_a, admin_a, case_a
):
    url = f"/people/{case_a.person.uid}/erase/"
    assert login(coordinator_b).get(url).status_code == 404
    assert (
        login(coordinator_b)
        .post(url, {"reason": "survivor_wish", "confirmation": "ERASE"})
        .status_code
        == 404
    )
    for member in (caseworker_a, analyst_a, admin_a):
        assert (
            login(member)
            .post(url, {"reason": "survivor_wish", "confirmation": "ERASE"})
            .status_code
            == 403
        )
    assert Person.objects.get(pk=case_a.person_id).erased_at is None


def test_the_person_page_offers_erasure_to_coordinators_only(
    login, coordinator_a, caseworker_a, case_a
):
    url = f"/people/{case_a.person.uid}/"
    assert b"Erase this person" in login(coordinator_a).get(url).content
    assert b"Erase this person" not in login(caseworker_a).get(url).content


def test_an_org_admin_sets_the_policy_and_applies_it(login, admin_a):
    client = login(admin_a)
    assert client.get("/settings/retention/").status_code == 200
    bad = client.post(
        "/settings/retention/", {"closed_case_days": "0", "rejected_request_days": "30"}
    )
    assert bad.status_code == 400
    saved = client.post(
        "/settings/retention/", {"closed_case_days": "365", "rejected_request_days": ""}
    )
    assert saved.status_code == 302
    policy = admin_a.organisation.retention_policy
    policy.refresh_from_db()
    assert (policy.closed_case_days, policy.rejected_request_days) == (365, None)
    assert AuditEvent.objects.filter(action="privacy.retention.updated").count() == 1
    assert client.post("/settings/retention/apply/").status_code == 302
    assert RetentionRun.objects.filter(organisation=admin_a.organisation).count() == 1
    assert b"No run yet" not in client.get("/settings/retention/").content


def test_retention_settings_are_for_org_admins(login, coordinator_a, analyst_a):
    for member in (coordinator_a, analyst_a):
        assert login(member).get("/settings/retention/").status_code == 403
        assert login(member).post("/settings/retention/apply/").status_code == 403
    assert RetentionRun.objects.count() == 0
