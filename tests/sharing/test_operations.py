import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.sharing import selectors, services
from lifeline.sharing.models import Operation, OperationCase, OperationMember


def test_only_members_see_an_operation(
    login, operation, coordinator_a, caseworker_a, second_coordinator_a, other_caseworker_a
):
    member = login(caseworker_a)
    assert member.get(operation.get_absolute_url()).status_code == 200
    assert b"Heron" in member.get(reverse("sharing:operation_list")).content
    for outsider in (second_coordinator_a, other_caseworker_a):
        client = login(outsider)
        assert client.get(operation.get_absolute_url()).status_code == 404
        listing = client.get(reverse("sharing:operation_list")).content
        assert b"Heron" not in listing and b"You are a member of no operation" in listing
        assert selectors.operation_list(actor=outsider).count() == 0


def test_another_organisation_gets_404(login, operation, coordinator_b):
    assert login(coordinator_b).get(operation.get_absolute_url()).status_code == 404


def test_the_not_found_page_is_the_same_as_for_a_missing_operation(
    login, operation, second_coordinator_a
):
    client = login(second_coordinator_a)
    hidden = client.get(operation.get_absolute_url())
    missing = client.get(
        reverse("sharing:operation_detail", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert hidden.status_code == missing.status_code == 404
    # Only the (masked, per-response) CSRF token of the log-out form differs.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", hidden.content) == token.sub(b"", missing.content)


def test_it_refuses_an_operation_without_members(coordinator_a):
    start = timezone.now()
    with pytest.raises(ValidationError) as caught:
        services.operation_create(
            actor=coordinator_a, codename="Alone", window_start=start,
            window_end=start + datetime.timedelta(hours=1), members=[coordinator_a],
        )  # fmt: skip
    assert "members" in caught.value.message_dict
    assert not Operation.objects.exists()
    assert AuditEvent.objects.filter(action="sharing.operation.refused").exists()


def test_it_opens_an_operation_from_the_form(
    login, coordinator_a, caseworker_a, case_a, site_a, partners
):
    response = login(coordinator_a).post(
        reverse("sharing:operation_create"),
        {"codename": "Kite", "window_start": "2027-01-05T04:00", "window_end": "2027-01-05T09:00",
         "members": [str(caseworker_a.pk)], "sites": [str(site_a.uid)], "cases": case_a.reference,
         "partners": [str(partners[0].uid)], "plan": ""},
    )  # fmt: skip
    operation = Operation.objects.get()
    assert response["Location"] == operation.get_absolute_url()
    assert set(OperationMember.objects.values_list("user_id", flat=True)) == {
        coordinator_a.user_id,
        caseworker_a.user_id,
    }
    assert operation.targets.get().site == site_a and operation.cases.get().case == case_a


def test_the_form_refuses_a_case_reference_nobody_sees(login, coordinator_a, caseworker_a):
    response = login(coordinator_a).post(
        reverse("sharing:operation_create"),
        {"codename": "Kite", "window_start": "2027-01-05T04:00", "window_end": "2027-01-05T09:00",
         "members": [str(caseworker_a.pk)], "cases": "ON-2026-00001"},
    )  # fmt: skip
    assert response.status_code == 400 and b"ON-2026-00001" in response.content
    assert not Operation.objects.exists()


def test_a_caseworker_member_may_not_close_it(login, operation, caseworker_a):
    response = login(caseworker_a).post(
        reverse("sharing:operation_close", args=[operation.uid]), {"outcome": "rescued"}
    )
    assert response.status_code == 403


def test_closing_records_who_was_there_and_who_was_found(
    login, operation, coordinator_a, caseworker_a, case_a
):
    client = login(coordinator_a)
    response = client.post(
        reverse("sharing:operation_close", args=[operation.uid]),
        {
            "outcome": "rescued",
            "present": [str(caseworker_a.user_id)],
            "found": [str(case_a.pk)],
            "notes": "All out",
        },
    )
    assert response.status_code == 302
    operation.refresh_from_db()
    assert operation.outcome == "rescued" and operation.closed_at
    assert OperationMember.objects.get(user=caseworker_a.user).was_present
    assert OperationCase.objects.get(case=case_a).was_found
    with pytest.raises(ValidationError, match="already closed"):
        services.operation_close(actor=coordinator_a, operation=operation, outcome="postponed")


def test_adding_to_an_operation(login, operation, coordinator_a, other_caseworker_a):
    client = login(coordinator_a)
    client.post(
        reverse("sharing:operation_add", args=[operation.uid]),
        {"members": [str(other_caseworker_a.pk)]},
    )
    assert login(other_caseworker_a).get(operation.get_absolute_url()).status_code == 200
