"""`lifeline demo`: the demo workspace is complete, made through the services, and never
written over an existing database."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lifeline.accounts.models import Membership, Organisation, User
from lifeline.accounts.roles import Role
from lifeline.audit.models import AuditEvent
from lifeline.audit.verify import verify_chain
from lifeline.cases.models import Case, CaseAssignment, Request, RequestStatus, TimelineEvent
from lifeline.cases.workflow import CaseStatus
from lifeline.core.demo import PATHS, demo_logins, names_match, phone_as_typed, random_phone
from lifeline.people import indexing
from lifeline.people.models import PersonName

CASES = 40


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, evidence_dir):
    return run_demo("--cases", str(CASES))


def test_it_creates_both_organisations_with_every_role(demo):
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"mekong", "goldenbridge"}
    for slug in ("mekong", "goldenbridge"):
        roles = set(
            Membership.objects.filter(organisation__slug=slug).values_list("role", flat=True)
        )
        assert roles == set(Role.values)
    assert Membership.objects.filter(organisation__slug="mekong", role=Role.CASEWORKER).count() == 2
    for login in demo_logins():
        user = User.objects.get(username=login.username)
        assert user.check_password("lifeline-demo")
        assert login.username in demo


def test_it_prints_the_logins_and_where_to_go(demo):
    assert "coordinator" in demo and "gb-coordinator" in demo and "lifeline-demo" in demo
    assert "http://127.0.0.1:8000" in demo
    assert "sets up a second factor" in demo and "except the analysts" in demo


def test_it_opens_the_requested_number_of_cases_in_every_state(demo):
    assert Case.objects.count() == CASES
    assert (
        Case.objects.filter(organisation__slug="mekong").count()
        > Case.objects.filter(organisation__slug="goldenbridge").count()
        > 0
    )
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)


def test_it_writes_names_in_several_scripts(demo):
    scripts = set(PersonName.objects.values_list("script", flat=True))
    assert {"han", "thai", "myanmar", "latin"} <= scripts


def test_it_leaves_a_triage_queue_and_rejected_requests(demo):
    for slug in ("mekong", "goldenbridge"):
        queue = Request.objects.filter(organisation__slug=slug, status=RequestStatus.NEW)
        assert queue.exists()
    assert Request.objects.filter(status=RequestStatus.REJECTED).exists()


def test_it_works_the_cases_through_the_services(demo):
    assert CaseAssignment.objects.filter(user__username__in=["caseworker", "caseworker2"]).exists()
    assert (
        TimelineEvent.objects.filter(kind="note").exists()
        and TimelineEvent.objects.filter(kind="urgency").exists()
    )
    assert Case.objects.exclude(methods_of_control=[]).exists()
    assert Case.objects.filter(recruitment_method="ThroughAnOnlineAdvertisement").exists()
    for action in (
        "cases.case.created",
        "cases.case.moved",
        "cases.case.assigned",
        "people.person.created",
    ):
        assert AuditEvent.objects.filter(action=action).exists(), action


def test_it_spreads_the_dates_over_the_past_months(demo):
    now = timezone.now()
    created = list(Case.objects.values_list("created_at", flat=True))
    assert max(created) <= now and (now - min(created)).days > 60
    assert not TimelineEvent.objects.filter(occurred_at__gt=now).exists()
    assert not Request.objects.filter(received_at__gt=now).exists()


def test_it_keeps_the_audit_chain_valid(demo):
    checked, problem = verify_chain()
    assert problem is None and checked == AuditEvent.objects.count() > 0


def test_it_does_nothing_with_if_empty_on_a_filled_database(demo):
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        Case.objects.count(),
        Request.objects.count(),
        AuditEvent.objects.count(),
    )
    out = run_demo("--if-empty", "--cases", "5")
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Case.objects.count(),
        Request.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert "no demo data was added" in out and "gb-analyst" in out


def test_it_refuses_a_filled_database_without_if_empty(demo):
    cases = Case.objects.count()
    with pytest.raises(CommandError, match="already has organisations"):
        run_demo("--cases", "5")
    assert Case.objects.count() == cases


def test_it_refuses_a_weak_password_and_writes_nothing(db):
    with pytest.raises(CommandError):
        run_demo("--cases", "5", "--password", "12345")
    assert not Organisation.objects.exists() and not AuditEvent.objects.exists()


def test_its_paths_and_data_stay_valid():
    # Every scripted journey follows the workflow (checked at import); every country's numbers
    # survive each typing style; the romanised spellings meet their native names in the index.
    assert all(PATHS[state] for state in CaseStatus.values)
    rng = random.Random(1)
    for country in ("CN", "TH", "VN", "ID", "MM", "KH", "PH", "KE", "LK", "IN", "BD", "NG", "MY"):
        e164 = random_phone(rng, country)
        for style in ("international", "e164", "00", "dashes", "national"):
            typed = phone_as_typed(e164, style, default_region="TH")
            assert indexing.normalise_contact("phone", typed, default_region="TH") == e164
    assert names_match("สมชาย ใจดี", "Somchai Jaidee") and names_match("张伟", "Zhang Wei")


def test_it_attaches_evidence_that_verifies(demo):
    from lifeline.evidence.models import Evidence
    from lifeline.evidence.verify import verify_all

    caseworker = User.objects.get(username="caseworker")
    assert Evidence.objects.filter(organisation__slug="mekong").count() == 4
    assert Evidence.objects.filter(case__assignments__user=caseworker).exists()
    report = verify_all()
    assert report.problems == [] and report.checked == 12  # 8 originals, 4 previews


def test_it_creates_sites_with_graded_histories_and_trails(demo):
    from lifeline.sites.models import Sighting, Site, StatusClaim

    for slug in ("mekong", "goldenbridge"):
        sites = Site.objects.filter(organisation__slug=slug)
        assert sites.count() == 7
        assert all(site.status for site in sites)
        claims = StatusClaim.objects.filter(site__organisation__slug=slug)
        assert claims.exists() and all(c.reliability and c.credibility for c in claims)
    sightings = Sighting.objects.all()
    assert sightings.exists()
    assert all(s.person.cases.exists() for s in sightings.select_related("person"))
    assert "sites," in demo and "sightings and" in demo


def test_it_fills_each_lure_library_with_campaigns_recruiters_and_their_cases(demo):
    from lifeline.core.demo.lures import CAMPAIGNS, SHARED_HANDLE
    from lifeline.screening.models import Campaign, Lure, RecruiterIdentifier

    mekong = Lure.objects.filter(organisation__slug="mekong")
    assert mekong.count() == sum(c.postings for c in CAMPAIGNS)
    assert 0 < Lure.objects.filter(organisation__slug="goldenbridge").count() < mekong.count()
    # Each template reposted with another salary or town is one campaign.
    assert Campaign.objects.filter(organisation__slug="mekong").count() == len(CAMPAIGNS)
    assert not mekong.filter(campaign=None).exists()
    assert set(mekong.values_list("level", flat=True)) <= {"medium", "high"}
    assert mekong.exclude(case=None).count() == 2 * len(CAMPAIGNS)
    for lure in mekong.exclude(case=None):
        assert lure.source == "case" and lure.case.organisation_id == lure.organisation_id
    assert not mekong.filter(latitude=None).exists()

    identifiers = {
        (i.kind, i.value): i
        for i in RecruiterIdentifier.objects.filter(organisation__slug="mekong")
    }
    shared = identifiers[("telegram", SHARED_HANDLE)]
    lures = Lure.objects.filter(identifier_links__identifier=shared)
    assert lures.values("campaign").distinct().count() == 2  # one recruiter, two templates
    assert lures.exclude(case=None).values("case").distinct().count() == 4
    assert {"wechat", "line", "company", "payment"} <= {kind for kind, _ in identifiers}


def test_it_says_how_to_open_the_public_pages_until_they_serve_an_organisation(demo, settings):
    settings.LIFELINE_INTAKE_ORGANISATION = ""
    assert "LIFELINE_INTAKE_ORGANISATION=mekong make run" in run_demo("--if-empty")
    settings.LIFELINE_INTAKE_ORGANISATION = "mekong"
    assert "LIFELINE_INTAKE_ORGANISATION" not in run_demo("--if-empty")
