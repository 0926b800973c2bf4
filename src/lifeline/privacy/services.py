"""Erasing a person, and applying the retention policy.

An erasure scrubs every personal field the apps hold about the person (each app's
``erasure`` module), erases what other apps keep about the person outside their cases (the
person erasers they register here: sightings), destroys the files attached to their cases and
requests (the shredders other apps register here), records one audit event that says an erasure happened and how much
went (counts, never content), and replaces the payloads of earlier audit events about the
erased records with a pointer to that event, so that ``audit verify`` still passes.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log, scrub_payloads
from lifeline.cases.erasure import scrub_case, scrub_request
from lifeline.cases.models import Case, Request, RequestStatus
from lifeline.cases.workflow import CaseStatus
from lifeline.core.errors import NotPermitted
from lifeline.linkage.erasure import absorbed_records, merge_records, scrub_pairs
from lifeline.people.erasure import scrub_person
from lifeline.people.models import ContactHandle, Identifier, Person, PersonName
from lifeline.privacy.models import ErasureReason, RetentionPolicy, RetentionRun

logger = logging.getLogger(__name__)

CONFIRMATION_WORD = "ERASE"

# Apps that keep files about cases and requests (evidence) register a function that destroys
# them and returns how many went, plus the records it touched for the audit scrub.
Shredder = Callable[[Sequence[models.Model]], tuple[int, list[models.Model]]]
_shredders: list[Shredder] = []

# Apps that keep records about a person outside their cases (sightings) register a function
# that erases them and returns the counts, plus the records it touched for the audit scrub.
PersonEraser = Callable[[Person], tuple[dict[str, int], list[models.Model]]]
_person_erasers: list[PersonEraser] = []


def register_shredder(shredder: Shredder) -> None:
    if shredder not in _shredders:
        _shredders.append(shredder)


def register_person_eraser(eraser: PersonEraser) -> None:
    if eraser not in _person_erasers:
        _person_erasers.append(eraser)


@dataclass
class ErasureResult:
    counts: dict[str, int] = field(default_factory=dict)
    touched: list[models.Model] = field(default_factory=list)

    def add(self, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            self.counts[key] = self.counts.get(key, 0) + value


def _erase_cases(cases: Sequence[Case], result: ErasureResult) -> None:
    for case in cases:
        requests = list(Request.objects.filter(case=case, erased_at__isnull=True))
        result.touched += [case, *requests]
        result.add(scrub_case(case))
    _shred_files([*cases, *(r for r in result.touched if isinstance(r, Request))], result)


def _shred_files(owners: Sequence[models.Model], result: ErasureResult) -> None:
    for shredder in _shredders:
        files, touched = shredder(owners)
        result.add({"files": files})
        result.touched += touched


def _erase_person(person: Person, result: ErasureResult) -> None:
    result.touched += [
        person,
        *PersonName.objects.filter(person=person),
        *ContactHandle.objects.filter(person=person),
        *Identifier.objects.filter(person=person),
    ]
    result.add(scrub_person(person))
    pair_counts, pairs = scrub_pairs(person)
    result.touched += [*pairs, *merge_records(person)]
    result.add(pair_counts)
    # Records merged into this one are the same human; they keep their fields while merged.
    for absorbed in absorbed_records(person):
        result.add({"merged_records": 1})
        _erase_person(absorbed, result)
    for eraser in _person_erasers:
        counts, touched = eraser(person)
        result.add(counts)
        result.touched += touched
    _erase_cases(list(Case.objects.filter(person=person, erased_at__isnull=True)), result)


def _record(
    *,
    organisation: Organisation,
    actor: Membership | None,
    action: str,
    obj: models.Model | None,
    reason: str,
    result: ErasureResult,
    request: HttpRequest | None,
) -> None:
    event = audit_log(
        actor=actor.user if actor is not None else None,
        organisation=organisation,
        action=action,
        obj=obj,
        payload={"reason": reason, **result.counts},
        request=request,
    )
    result.counts["audit_payloads"] = scrub_payloads(
        organisation=organisation, objects=result.touched, erasure=event
    )


@transaction.atomic
def person_erase(
    *,
    actor: Membership,
    person: Person,
    reason: str,
    confirmation: str,
    request: HttpRequest | None = None,
) -> ErasureResult:
    """Erase ``person`` and the personal data of all their cases, for good."""
    if not actor.has("can_erase_persons"):
        raise NotPermitted
    if reason not in ErasureReason.values or reason == ErasureReason.RETENTION:
        raise ValidationError({"reason": [_("Choose why the person is erased.")]})
    if confirmation.strip() != CONFIRMATION_WORD:
        raise ValidationError(
            {"confirmation": [_("Type %(word)s to confirm.") % {"word": CONFIRMATION_WORD}]}
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise ValidationError(_("This person was already erased."))
    result = ErasureResult()
    _erase_person(person, result)
    _record(
        organisation=actor.organisation,
        actor=actor,
        action="privacy.person.erased",
        obj=person,
        reason=reason,
        result=result,
        request=request,
    )
    return result


# Retention --------------------------------------------------------------------------------


def policy_for(organisation: Organisation) -> RetentionPolicy:
    policy, _created = RetentionPolicy.objects.get_or_create(organisation=organisation)
    return policy


MAX_DAYS = 36500


def _check_days(value: int | None, *, field: str) -> int | None:
    if value is not None and not 1 <= value <= MAX_DAYS:
        raise ValidationError(
            {
                field: [
                    _("Give a number of days from 1 to %(max)s, or leave it empty.")
                    % {"max": MAX_DAYS}
                ]
            }
        )
    return value


@transaction.atomic
def policy_update(
    *,
    actor: Membership,
    closed_case_days: int | None,
    rejected_request_days: int | None,
    request: HttpRequest | None = None,
) -> RetentionPolicy:
    if not actor.has("can_manage_retention"):
        raise NotPermitted
    policy = RetentionPolicy.objects.select_for_update().get(pk=policy_for(actor.organisation).pk)
    policy.closed_case_days = _check_days(closed_case_days, field="closed_case_days")
    policy.rejected_request_days = _check_days(rejected_request_days, field="rejected_request_days")
    policy.updated_at = timezone.now()
    policy.updated_by = actor.user
    policy.save()
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="privacy.retention.updated",
        obj=policy,
        payload={
            "closed_case_days": policy.closed_case_days,
            "rejected_request_days": policy.rejected_request_days,
        },
        request=request,
    )
    return policy


def _expired_cases(org: Organisation, cutoff: datetime.datetime) -> list[Case]:
    return list(
        Case.objects.filter(
            organisation=org,
            status=CaseStatus.CLOSED,
            status_changed_at__lt=cutoff,
            erased_at__isnull=True,
        ).order_by("pk")
    )


@transaction.atomic
def retention_apply(
    *,
    organisation: Organisation,
    actor: Membership | None = None,
    now: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> RetentionRun:
    """Erase what the organisation's policy says has been kept long enough.

    A closed case past its period loses its personal data; its person is erased too unless
    they have another case still within its period (then only that case's text goes).
    Rejected requests past their period lose theirs. One audit event records the run.
    """
    if actor is not None and not actor.has("can_manage_retention"):
        raise NotPermitted
    now = now or timezone.now()
    policy = policy_for(organisation)
    run = RetentionRun(
        organisation=organisation,
        ran_at=now,
        closed_case_days=policy.closed_case_days,
        rejected_request_days=policy.rejected_request_days,
        triggered_by=actor.user if actor is not None else None,
    )
    result = ErasureResult()
    if policy.closed_case_days:
        cutoff = now - datetime.timedelta(days=policy.closed_case_days)
        expired = _expired_cases(organisation, cutoff)
        expired_ids = {case.pk for case in expired}
        for case in expired:
            case.refresh_from_db(fields=["erased_at"])
            if case.erased_at is not None:
                continue  # went with its person's erasure earlier in this run
            keeps_other = (
                Case.objects.filter(person_id=case.person_id, erased_at__isnull=True)
                .exclude(pk__in=expired_ids)
                .exists()
            )
            if keeps_other:
                _erase_cases([case], result)
                run.cases_erased += 1
            else:
                person = case.person
                run.cases_erased += Case.objects.filter(
                    person=person, erased_at__isnull=True
                ).count()
                _erase_person(person, result)
                run.persons_erased += 1
    if policy.rejected_request_days:
        cutoff = now - datetime.timedelta(days=policy.rejected_request_days)
        rejected = list(
            Request.objects.filter(
                organisation=organisation,
                status=RequestStatus.REJECTED,
                triaged_at__lt=cutoff,
                erased_at__isnull=True,
            )
        )
        for req in rejected:
            scrub_request(req)
        result.touched += rejected
        _shred_files(rejected, result)
        run.requests_erased = len(rejected)
    if run.cases_erased or run.requests_erased:
        result.counts.update(
            cases=run.cases_erased, persons=run.persons_erased, requests=run.requests_erased
        )
        _record(
            organisation=organisation,
            actor=actor,
            action="privacy.retention.erased",
            obj=None,
            reason=ErasureReason.RETENTION,
            result=result,
            request=request,
        )
        run.audit_payloads_scrubbed = result.counts["audit_payloads"]
    run.save()
    logger.info(
        "retention applied for organisation %s: %s cases, %s persons, %s requests erased",
        organisation.pk,
        run.cases_erased,
        run.persons_erased,
        run.requests_erased,
    )
    return run
