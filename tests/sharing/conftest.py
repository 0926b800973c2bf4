import datetime

import pytest
from django.utils import timezone

from lifeline.accounts.roles import Role
from lifeline.sharing import services
from tests.factories import MembershipFactory, make_case, make_site


@pytest.fixture
def second_coordinator_a(org_a):
    return MembershipFactory(organisation=org_a, role=Role.COORDINATOR, user__username="coord_a2")


@pytest.fixture
def partners(coordinator_a):
    return [
        services.partner_create(
            actor=coordinator_a,
            name=name,
            kind=kind,
            contact_name=f"Officer {n}",
            contact_details=f"+66 81 000 00{n}",
        )
        for n, (name, kind) in enumerate(
            [
                ("Consular desk, Phnom Penh", "embassy"),
                ("Police liaison, Mae Sot", "police"),
                ("Harbour shelter", "shelter"),
            ]
        )
    ]


@pytest.fixture
def site_a(coordinator_a):
    return make_site(coordinator_a, indicators=["perimeter_wall", "cctv", "armed_guards"])


@pytest.fixture
def operation(coordinator_a, caseworker_a, case_a, site_a, partners):
    second = make_case(
        coordinator_a, subject_name="Somchai Jaidee", subject_contact="+66 81 234 5678"
    )
    start = timezone.now() + datetime.timedelta(days=3)
    return services.operation_create(
        actor=coordinator_a,
        codename="Heron",
        window_start=start,
        window_end=start + datetime.timedelta(hours=6),
        members=[caseworker_a],
        sites=[site_a],
        cases=[case_a, second],
        partners=partners,
        plan="Enter by the river gate at dawn.",
        rendezvous_landmarks="the petrol station\nthe pharmacy\nthe night market",
    )
