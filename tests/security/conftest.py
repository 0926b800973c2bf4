"""One small world of organisation A (and the outsider's organisation B) for the security
tests: every persona of tests/conftest.py, one case assigned to caseworker_a, one new request
waiting for triage, and an API token of coordinator_a (for the revoke route)."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lifeline.accounts.models import ApiToken, Membership, Organisation
from lifeline.accounts.services import api_token_create, user_add_to_organisation
from lifeline.cases.models import Case, Request
from lifeline.evidence.models import Evidence
from lifeline.evidence.services import evidence_attach
from lifeline.intake.models import BotChannel
from lifeline.intake.services import channel_create
from lifeline.linkage.models import DedupRun, MergeRecord
from lifeline.linkage.services import persons_merge, run_execute, run_start
from lifeline.people.models import Person
from lifeline.reports.importing.services import import_check, import_upload
from lifeline.reports.models import ImportBatch
from lifeline.screening.models import Lure
from lifeline.screening.services import lure_add
from lifeline.sharing.briefings import briefing_create, share_link_create
from lifeline.sharing.models import Briefing, Operation, Partner, Referral, Share
from lifeline.sharing.services import operation_create, partner_create, referral_create
from lifeline.sites.models import Operator, Site
from lifeline.sites.services import operator_add
from lifeline.sites.sightings import sighting_record
from tests.evidence import files
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    claim,
    make_case,
    make_person,
    make_request,
    make_site,
)

# Text that only someone allowed to see case_a may ever be shown.
SECRET_NAME = "Zawadi Kettleborough"
SECRET_PHONE = "+855 97 555 0199"
SECRET_WORDS = "pineapple warehouse"


@dataclass
class World:
    personas: dict[str, Membership | None]
    case: Case
    person: Person
    new_request: Request
    token: ApiToken
    pending_member: Membership  # added, has not yet chosen a password
    evidence: Evidence  # a screenshot attached to the case
    lure: Lure  # a job offer in organisation A's lure library
    other_person: Person  # a possible duplicate of the case's person, on no case
    merge: MergeRecord  # two other records of one person, merged
    run: DedupRun  # a finished search for duplicates
    channel: BotChannel  # a messaging bridge of organisation A
    site: Site  # an active compound of organisation A
    operator: Operator  # a person who runs it (personal data)
    import_batch: ImportBatch  # a checked (dry-run) import of organisation A
    partner: Partner  # an embassy desk organisation A shares with
    referral: Referral  # case_a referred to a third organisation (not the outsider's)
    third_org: Organisation  # that third organisation
    operation: Operation  # members: the coordinator and the assigned caseworker only
    briefing: Briefing  # case_a's site only, to the partner
    share: Share  # the partner's copy of it
    link: str  # the share's time-limited link (its secret)

    def membership(self, persona: str) -> Membership:
        membership = self.personas[persona]
        assert membership is not None, persona
        return membership


@pytest.fixture
def world(
    org_a,
    admin_a,
    coordinator_a,
    caseworker_a,
    other_caseworker_a,
    analyst_a,
    coordinator_b,
    evidence_dir,
) -> World:
    case = make_case(
        coordinator_a,
        assignee=caseworker_a,
        subject_name=SECRET_NAME,
        subject_contact=SECRET_PHONE,
        text=f"Held in the {SECRET_WORDS} behind the casino.",
    )
    new_request = make_request(coordinator_a, subject_name="Lin Mei", subject_contact="")
    token, _raw = api_token_create(actor=coordinator_a, name="laptop")
    pending = user_add_to_organisation(organisation=org_a, username="pending_a", role="caseworker")
    evidence = evidence_attach(actor=coordinator_a, case=case, upload=screenshot())
    lure = lure_add(
        actor=coordinator_a,
        text="Typing job in Poipet, flights paid. Telegram @poipet_jobs",
        source="monitoring",
        platform="telegram",
        seen_on=datetime.date(2026, 10, 1),
    )
    # The same template seen again: the two make a campaign.
    lure_add(
        actor=coordinator_a,
        text="Typing job in Poipet, flights paid. Telegram @poipet_jobs",
        source="report",
        platform="facebook",
        seen_on=datetime.date(2026, 10, 5),
    )
    lure.refresh_from_db()
    channel, _secret = channel_create(actor=admin_a, name="Telegram bot", kind="telegram")
    site = make_site(coordinator_a)
    claim(coordinator_a, site, "active", "2026-01-10")
    site.refresh_from_db()
    # case_a's person was last seen there: the site page must not name them to the others.
    sighting_record(
        actor=coordinator_a,
        person=case.person,
        site=site,
        seen_at=timezone.now(),
        source="rescued",
        note=f"Seen near the {SECRET_WORDS}",
    )
    operator = operator_add(
        actor=coordinator_a,
        site=site,
        kind="person",
        role="manager",
        person_name="Boss Wang",
        source="Rescued person's account",
        reliability="C",
        credibility=3,
    )
    import_batch = import_upload(actor=coordinator_a, data=import_csv().read(), filename="c.csv")
    import_check(
        actor=coordinator_a, batch=import_batch, columns={"name": "name", "phone": "phone"}
    )
    import_batch.refresh_from_db()
    third = MembershipFactory(
        organisation=OrganisationFactory(name="Third Network", slug="third"),
        user__username="coord_c",
    )
    partner = partner_create(
        actor=coordinator_a, name="Consular desk", kind="embassy", contact_details=SECRET_PHONE
    )
    referral = referral_create(
        actor=coordinator_a,
        case=case,
        receiver=third.organisation,
        kind="refer",
        profile="essentials",
        consent_given_by="Herself",
        consent_at=timezone.now() - datetime.timedelta(hours=1),
        consent_method="phone",
    )
    window = timezone.now() + datetime.timedelta(days=3)
    operation = operation_create(
        actor=coordinator_a,
        codename="Heron",
        window_start=window,
        window_end=window + datetime.timedelta(hours=6),
        members=[caseworker_a],
        sites=[site],
        cases=[case],
        partners=[partner],
    )
    briefing = briefing_create(actor=coordinator_a, level="site", partners=[partner], case=case)
    share = briefing.shares.get()
    link = share_link_create(actor=coordinator_a, share=share, expires_in_hours=2, max_views=5)
    return World(
        personas={
            "anonymous": None,
            "outsider": coordinator_b,
            "unassigned": other_caseworker_a,
            "assigned": caseworker_a,
            "analyst": analyst_a,
            "coordinator": coordinator_a,
            "admin": admin_a,
        },
        case=case,
        person=case.person,
        new_request=new_request,
        token=token,
        pending_member=pending,
        evidence=evidence,
        lure=lure,
        other_person=make_person(coordinator_a, "Zawadi Kettleborough"),
        merge=persons_merge(
            actor=coordinator_a,
            person=make_person(coordinator_a, "Lin Mei"),
            other=make_person(coordinator_a, "林美"),
        ),
        run=run_execute(run=run_start(actor=coordinator_a)),
        channel=channel,
        site=site,
        operator=operator,
        import_batch=import_batch,
        partner=partner,
        referral=referral,
        third_org=third.organisation,
        operation=operation,
        briefing=briefing,
        share=share,
        link=link,
    )


def import_csv() -> SimpleUploadedFile:
    """A network's two-column sheet (a fresh upload each time)."""
    return SimpleUploadedFile("cases.csv", b"name,phone\nSomchai,081 234 5678\n")


def screenshot() -> SimpleUploadedFile:
    """A fresh upload each time (an upload is read once)."""
    return SimpleUploadedFile("screen.png", files.png(), content_type="image/png")


def session_client(login, membership: Membership | None, **kwargs) -> Client:
    """A browser client of ``membership`` (anonymous for None), logged in through the suite's
    ``login`` fixture so that whatever a full login needs (a second factor) is done there."""
    if membership is None:
        return Client(**kwargs)
    client = login(membership)
    if kwargs:
        # The login fixture gives a default client; carry its session over to one with options.
        configured = Client(**kwargs)
        configured.cookies = client.cookies
        return configured
    return client
