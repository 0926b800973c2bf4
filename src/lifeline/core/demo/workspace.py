"""build_demo: the whole demo workspace, one organisation after the other."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from lifeline.accounts.models import Organisation
from lifeline.accounts.services import organisation_create, user_add_to_organisation
from lifeline.core.demo.builder import DemoBuilder
from lifeline.core.demo.evidence import attach_demo_evidence
from lifeline.core.demo.lures import add_demo_lures
from lifeline.core.demo.organisations import (
    DEMO_PASSWORD,
    HISTORY_DAYS,
    ORGANISATIONS,
    SEED,
    Summary,
)
from lifeline.core.demo.sites import add_demo_sites
from lifeline.core.tenancy import scope


def build_demo(
    *,
    cases: int = 300,
    password: str = DEMO_PASSWORD,
    seed: int = SEED,
    log: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Create the demo organisations, users and cases. Call inside ``transaction.atomic()``
    on a database without organisations (the command checks)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not secrets # nosec B311
    now = timezone.now()
    total = Summary()
    remaining = cases
    for position, spec in enumerate(ORGANISATIONS):
        count = remaining if position == len(ORGANISATIONS) - 1 else round(cases * spec.share)
        remaining -= count
        org = organisation_create(
            name=spec.name,
            slug=spec.slug,
            default_phone_region=spec.phone_region,
            case_prefix=spec.case_prefix,
        )
        members = {
            user.username: user_add_to_organisation(
                organisation=org,
                username=user.username,
                role=user.role,
                display_name=user.display_name,
                password=password,
            )
            for user in spec.users
        }
        Organisation.objects.filter(pk=org.pk).update(
            created_at=now - dt.timedelta(days=HISTORY_DAYS + 30)
        )
        with scope(organisation=org):
            builder = DemoBuilder(rng=rng, now=now, spec=spec, members=members)
            summary = builder.fill(count)
            summary.evidence = attach_demo_evidence(members=members)
            summary.sites, summary.sightings = add_demo_sites(members=members, rng=rng, now=now)
            summary.lures = add_demo_lures(members=members, rng=rng, now=now)
        log(
            f"{spec.name}: {summary.cases} cases, {summary.requests} requests "
            f"({summary.triage} waiting for triage, {summary.rejected} rejected), {summary.persons} persons, "
            f"{summary.evidence} evidence files, {summary.sites} sites, "
            f"{summary.sightings} sightings, {summary.lures} job offers in the lure library"
        )
        total.organisations += 1
        total.users += len(members)
        for name in (
            "cases",
            "requests",
            "triage",
            "rejected",
            "persons",
            "evidence",
            "sites",
            "sightings",
            "lures",
        ):
            setattr(total, name, getattr(total, name) + getattr(summary, name))
    return total
