"""Retention: closed cases and rejected requests lose their personal data when their time is up."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.audit.verify import verify_chain
from lifeline.cases import services as case_services
from lifeline.cases.models import Case, Request
from lifeline.people.models import Person
from lifeline.privacy import services
from lifeline.privacy.models import RetentionRun
from lifeline.privacy.tasks import apply_retention
from tests.factories import make_case, make_request

NOW = timezone.now()


def _close(case, actor, days_ago):
    case_services.case_move(
        actor=actor, case=case, to_status="closed", reason="done", expected_version=case.version
    )
    Case.objects.filter(pk=case.pk).update(
        status_changed_at=NOW - datetime.timedelta(days=days_ago)
    )


def _reject(actor, days_ago):
    req = make_request(actor, subject_name="Spam Sender")
    case_services.request_reject(actor=actor, req=req, reason="spam")
    Request.objects.filter(pk=req.pk).update(triaged_at=NOW - datetime.timedelta(days=days_ago))
    return req


def test_the_policy_erases_only_what_is_past_its_period(coordinator_a):
    old = make_case(coordinator_a, subject_name="Old Case")
    recent = make_case(coordinator_a, subject_name="Recent Case")
    still_open = make_case(coordinator_a, subject_name="Open Case")
    _close(old, coordinator_a, days_ago=800)
    _close(recent, coordinator_a, days_ago=10)
    old_request = _reject(coordinator_a, days_ago=100)
    new_request = _reject(coordinator_a, days_ago=5)

    run = services.retention_apply(organisation=coordinator_a.organisation, now=NOW)

    assert (run.cases_erased, run.persons_erased, run.requests_erased) == (1, 1, 1)
    assert Person.objects.get(pk=old.person_id).erased_at is not None
    for kept in (recent, still_open):
        assert Case.objects.get(pk=kept.pk).erased_at is None
    assert Request.objects.get(pk=old_request.pk).subject_name == ""
    assert Request.objects.get(pk=new_request.pk).subject_name == "Spam Sender"
    assert AuditEvent.objects.filter(action="privacy.retention.erased").count() == 1
    assert verify_chain()[1] is None


def test_a_person_with_a_case_still_in_its_period_keeps_their_name(coordinator_a):
    old = make_case(coordinator_a, subject_name="Twice Helped")
    _close(old, coordinator_a, days_ago=800)
    newer = case_services.request_open_case(
        actor=coordinator_a, req=make_request(coordinator_a), person=old.person
    )

    run = services.retention_apply(organisation=coordinator_a.organisation, now=NOW)

    assert (run.cases_erased, run.persons_erased) == (1, 0)
    assert Case.objects.get(pk=old.pk).erased_at is not None
    assert Case.objects.get(pk=newer.pk).erased_at is None
    assert Person.objects.get(pk=old.person_id).erased_at is None


def test_an_empty_period_keeps_everything_and_a_run_is_still_recorded(coordinator_a, admin_a):
    services.policy_update(actor=admin_a, closed_case_days=None, rejected_request_days=None)
    old = make_case(coordinator_a)
    _close(old, coordinator_a, days_ago=5000)
    run = services.retention_apply(organisation=coordinator_a.organisation, now=NOW)
    assert (run.cases_erased, run.requests_erased) == (0, 0)
    assert RetentionRun.objects.count() == 1


def test_the_policy_refuses_nonsense(admin_a, coordinator_a):
    from django.core.exceptions import ValidationError

    from lifeline.core.errors import NotPermitted

    with pytest.raises(ValidationError):
        services.policy_update(actor=admin_a, closed_case_days=0, rejected_request_days=30)
    with pytest.raises(NotPermitted):
        services.policy_update(actor=coordinator_a, closed_case_days=30, rejected_request_days=30)
    assert services.policy_for(admin_a.organisation).closed_case_days == 730


def test_the_daily_task_and_the_command_apply_every_organisation(coordinator_a, coordinator_b):
    for actor in (coordinator_a, coordinator_b):
        _close(make_case(actor), actor, days_ago=800)
    apply_retention.enqueue(coordinator_a.organisation_id)
    assert RetentionRun.objects.get().organisation == coordinator_a.organisation
    call_command("retention", "apply")
    runs = RetentionRun.objects.order_by("pk")
    # The task erased A's case; the command then found nothing more in A ("mekong") and
    # erased B's ("other").
    assert [(r.organisation_id, r.cases_erased) for r in runs] == [
        (coordinator_a.organisation_id, 1),
        (coordinator_a.organisation_id, 0),
        (coordinator_b.organisation_id, 1),
    ]
    assert Case.objects.filter(erased_at__isnull=True).count() == 0
