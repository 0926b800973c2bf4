"""Stored XSS: markup typed into any field comes back as text, never as markup.

A probe goes into every field a user can type into, through the real forms and the API: person
names in several scripts, contacts and handles, identifiers, the request's text and reporter,
the case's summary, location and notes, timeline entries, move reasons and urgency notes, a
rejection reason that is not one of the choices, member names, a token's name, the organisation
name. Then every page and API response that shows them is fetched. In HTML the probe must only
ever appear escaped (and a ``javascript:`` URL never as a link); in JSON it is plain data, served
as application/json with nosniff so that no browser reads it as a page.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lifeline.accounts.models import Organisation
from lifeline.cases.models import Case, Request
from lifeline.evidence.models import Evidence
from lifeline.people.models import Person
from tests.api import api_client, call
from tests.security.conftest import World, session_client

PROBE = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
RAW = ("<script>alert(1)", "<img src=x onerror", '"><script')
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
JS_LINK = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def _assert_escaped(response, where: str) -> None:
    assert response.status_code < 500, where
    if response.get("Content-Type", "").startswith("application/json"):
        assert response["X-Content-Type-Options"] == "nosniff", where
        return
    assert response["Content-Type"].startswith("text/html"), where
    page = response.content.decode()
    for raw in RAW:
        assert raw not in page, f"{where}: {raw!r} unescaped"
    assert not JS_LINK.search(page), f"{where}: a javascript: link"


def _post(client, url: str, data: dict, where: str, written: list):
    """Submit a form; both a stored value (redirect) and a refused one (the form again, which
    echoes the value) must be safe."""
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400), f"{where}: {response.status_code}"
    _assert_escaped(response, where)
    written.append((where, response.status_code))
    return response


@pytest.fixture
def probed(world: World, login, org_a, admin_a, coordinator_a):
    """The world with the probe written into every editable field; returns the clients."""
    written: list = []
    coord = session_client(login, coordinator_a)
    admin = session_client(login, admin_a)
    case, person = world.case, world.person

    # A request through the form, every free-text field probed ("other" and "facebook" contacts
    # take any text; the other kinds refuse markup, and their refusal is checked below).
    _post(
        coord,
        "/requests/new/",
        {
            "channel": "telegram",
            "reporter_relation": "friend",
            "subject_name": f"张伟{PROBE} / สมชาย{PROBE}",
            "subject_contact_kind": "other",
            "subject_contact": f"@{PROBE}",
            "location_text": f"{PROBE} {JS_URL}",
            "text": f"{PROBE}\n{JS_URL}",
            "reporter_name": f"Nguyễn{PROBE}",
            "reporter_contact_kind": "facebook",
            "reporter_contact": JS_URL,
        },
        "request form",
        written,
    )
    # And one through the API.
    api = api_client(coordinator_a)
    response = call(
        api,
        "post",
        "/api/v1/requests",
        {
            "channel": "web",
            "reporter_relation": "self",
            "subject_name": f"محمد{PROBE}",
            "subject_contact_kind": "other",
            "subject_contact": PROBE,
            "text": PROBE,
            "reporter_name": JS_URL,
        },
    )
    assert response.status_code == 201, response.content
    _assert_escaped(response, "POST /api/v1/requests")

    # The new request becomes a case with extra names; the world's request is rejected with a
    # reason that is no choice (the refusal echoes it) and then with a real one.
    probed_request = Request.objects.exclude(pk=world.new_request.pk).filter(status="new").first()
    _post(
        coord,
        f"/requests/{probed_request.uid}/open-case/",
        {"extra_names": f"{PROBE} / {JS_URL}"},
        "open case",
        written,
    )
    _post(coord, f"/requests/{world.new_request.uid}/reject/", {"reason": PROBE}, "reject", written)

    # The case: context, move, urgency, timeline, by form and by API.
    _post(
        coord,
        f"/cases/{case.uid}/edit/",
        {
            "version": case.version,
            "summary": f"{PROBE} {JS_URL}",
            "last_known_location": PROBE,
            "trafficking_status": "PossibleVictimOfTrafficking",
        },
        "case edit",
        written,
    )
    case.refresh_from_db()
    _post(
        coord,
        f"/cases/{case.uid}/move/",
        {"to_status": "verifying", "reason": PROBE, "version": case.version},
        "case move",
        written,
    )
    case.refresh_from_db()
    _post(
        coord,
        f"/cases/{case.uid}/urgency/",
        {"urgency": "30", "reasons": ["beaten"], "note": PROBE, "version": case.version},
        "case urgency",
        written,
    )
    _post(
        coord,
        f"/cases/{case.uid}/timeline/",
        {"kind": "contact", "channel": "phone", "body": PROBE, "location": JS_URL},
        "timeline",
        written,
    )
    response = call(
        api,
        "post",
        f"/api/v1/cases/{case.uid}/timeline",
        {"kind": "location", "body": JS_URL, "location": PROBE},
    )
    assert response.status_code == 201, response.content

    # The person: names in several scripts, contacts, identifiers, details.
    for name in (f"李娜{PROBE}", f"สมหญิง{PROBE}", f"Trần{PROBE}", PROBE, JS_URL):
        _post(
            coord, f"/people/{person.uid}/names/", {"value": name, "kind": "alias"}, "name", written
        )
    contacts = (("other", PROBE), ("facebook", JS_URL), ("telegram", PROBE), ("phone", PROBE))
    for kind, value in contacts:
        _post(
            coord,
            f"/people/{person.uid}/contacts/",
            {"kind": kind, "value": value, "is_safe": "on"},
            f"contact {kind}",
            written,
        )
    for value in (PROBE[:60], "E1234567", JS_URL):
        _post(
            coord,
            f"/people/{person.uid}/identifiers/",
            {"kind": "passport", "value": value, "country": "CN"},
            "identifier",
            written,
        )
    person.refresh_from_db()
    _post(
        coord,
        f"/people/{person.uid}/edit/",
        {"version": person.version, "gender": "Feminine", "notes": f"{PROBE} {JS_URL}"},
        "person edit",
        written,
    )

    # Members (a display name, and a user name the form takes as typed) and a token name.
    _post(
        admin,
        "/accounts/members/",
        {"username": "xss_worker", "display_name": PROBE, "role": "caseworker"},
        "member",
        written,
    )
    _post(
        admin,
        "/accounts/members/",
        {"username": PROBE[:150], "display_name": JS_URL, "role": "caseworker"},
        "member username",
        written,
    )
    _post(
        coord,
        "/accounts/tokens/",
        {"scope": "read", "expires_in_days": "30", "name": PROBE},
        "token",
        written,
    )
    # The probed member is assigned, so that case pages and lists show their name.
    from lifeline.accounts.models import Membership

    worker = Membership.objects.get(user__username="xss_worker", organisation=org_a)
    _post(coord, f"/cases/{case.uid}/assign/", {"assignee": worker.pk}, "assign", written)

    # An evidence file whose name and description carry the probe.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.evidence import files

    upload = SimpleUploadedFile(f"{PROBE[:40]}.png", files.png(), content_type="image/png")
    _post(
        coord,
        f"/cases/{case.uid}/evidence/",
        {"file": upload, "description": f"{PROBE} {JS_URL}"},
        "evidence",
        written,
    )

    # The site registry: names, aliases and place, a status claim's source and note, operators.
    site = world.site
    _post(
        coord,
        f"/sites/{site.uid}/edit/",
        {"name": f"Park {PROBE}", "aliases": f"{PROBE}\n{JS_URL}", "kind": "compound",
         "country": "MM", "province": PROBE, "town": PROBE, "version": site.version},
        "site edit",
        written,
    )  # fmt: skip
    _post(
        coord,
        f"/sites/{site.uid}/public-suggestion/",
        {"suggest_publicly": "on"},
        "site suggested publicly",
        written,
    )
    _post(
        coord,
        f"/sites/{site.uid}/status/",
        {"status": "raided", "claimed_on": "2026-02-01", "source": PROBE, "note": f"{PROBE} {JS_URL}",
         "reliability": "B", "credibility": "2"},
        "site claim",
        written,
    )  # fmt: skip
    for kind, name in (("company", "company_name"), ("person", "person_name")):
        _post(
            coord,
            f"/sites/{site.uid}/operators/",
            {"kind": kind, "role": "owner", name: PROBE, "source": PROBE, "reliability": "B",
             "credibility": "2"},
            f"site {kind}",
            written,
        )  # fmt: skip
    _post(
        coord,
        f"/people/{world.person.uid}/sightings/",
        {"seen_at": "2026-01-05T10:00", "source": "family", "place": PROBE, "note": f"{PROBE} {JS_URL}"},
        "sighting",
        written,
    )  # fmt: skip
    _post(
        coord,
        "/sites/new/",
        {"name": PROBE, "kind": "compound", "country": "MM", "outline": PROBE},
        "site refused",
        written,
    )

    # The organisation name is set by platform staff (the admin site): written directly here.
    Organisation.objects.filter(pk=org_a.pk).update(name=f"Mekong {PROBE}")
    return {"coord": coord, "admin": admin, "api": api, "written": written}


def _pages(world: World) -> list[str]:
    cases = list(Case.objects.filter(organisation=world.case.organisation_id))
    # Records merged into another are hidden (404) while merged.
    persons = list(
        Person.objects.filter(organisation=world.case.organisation_id, merged_into__isnull=True)
    )
    requests = list(Request.objects.filter(organisation=world.case.organisation_id))
    return [
        "/",
        "/requests/",
        "/requests/?page=2",
        "/requests/new/",
        "/cases/",
        f"/cases/?q={PROBE}",
        f"/cases/?phone={PROBE}&assignee={PROBE}&citizenship={PROBE}&status={PROBE}",
        "/accounts/organisation/",
        "/accounts/tokens/",
        *(f"/cases/{c.uid}/" for c in cases),
        *(f"/cases/{c.uid}/edit/" for c in cases),
        *(f"/people/{p.uid}/" for p in persons),
        *(f"/requests/{r.uid}/" for r in requests),
        *(f"/evidence/{e.uid}/" for e in Evidence.objects.filter(case__in=cases)),
        "/duplicates/",
        "/duplicates/merges/",
        "/duplicates/partners/",
        f"/people/{world.person.uid}/pair/{world.other_person.uid}/",
        "/sites/",
        f"/sites/?q={PROBE}&status={PROBE}&country={PROBE}",
        f"/sites/{world.site.uid}/",
        f"/sites/{world.site.uid}/edit/",
        *(f"/print/cases/{c.uid}/" for c in cases),
        f"/print/sites/{world.site.uid}/",
        "/imports/",
        f"/imports/{world.import_batch.uid}/",
        # Reports, part A: site names in the charts and tables; filters echoed back.
        "/reports/",
        f"/reports/?start={PROBE}&country={PROBE}&site={PROBE}",
        f"/reports/ctdc/?k={PROBE}&from_year={PROBE}",
        "/reports/ctdc/?k=11",
    ]


def _api_urls(world: World) -> list[str]:
    cases = list(Case.objects.filter(organisation=world.case.organisation_id))
    # Records merged into another are hidden (404) while merged.
    persons = list(
        Person.objects.filter(organisation=world.case.organisation_id, merged_into__isnull=True)
    )
    requests = list(Request.objects.filter(organisation=world.case.organisation_id))
    return [
        "/api/v1/me",
        "/api/v1/requests",
        "/api/v1/requests?status=rejected",
        "/api/v1/requests?status=converted",
        "/api/v1/cases",
        f"/api/v1/cases?q={PROBE}",
        "/api/v1/persons?name=Tr%E1%BA%A7n",
        f"/api/v1/persons?name={PROBE}",
        *(f"/api/v1/cases/{c.uid}" for c in cases),
        *(f"/api/v1/cases/{c.uid}/timeline" for c in cases),
        *(f"/api/v1/persons/{p.uid}" for p in persons),
        *(f"/api/v1/requests/{r.uid}" for r in requests),
        *(f"/api/v1/cases/{c.uid}/evidence" for c in cases),
        *(f"/api/v1/evidence/{e.uid}" for e in Evidence.objects.filter(case__in=cases)),
        "/api/v1/duplicates",
        "/api/v1/merges",
        f"/api/v1/persons/{world.person.uid}/comparison/{world.other_person.uid}",
        "/api/v1/sites",
        "/api/v1/reports/dashboard",
        f"/api/v1/sites/{world.site.uid}",
        f"/api/v1/sites/{world.site.uid}/status-claims",
        f"/api/v1/sites/{world.site.uid}/occupancy",
        f"/api/v1/persons/{world.person.uid}/sightings",
    ]


def test_it_stored_the_probes(probed):
    """The probes were written (not all refused), so the pages below do show them."""
    stored = [where for where, status in probed["written"] if status == 302]
    for where in ("request form", "open case", "case edit", "case move", "timeline", "name",
                  "site edit", "site claim", "site company", "site person", "sighting"):  # fmt: skip
        assert where in stored, f"{where} was refused: {probed['written']}"


def test_it_escapes_the_probes_on_every_page(world, probed):
    showing = []
    for url in _pages(world):
        response = probed["coord"].get(url)
        assert response.status_code == 200, url
        _assert_escaped(response, url)
        if ESCAPED in response.content.decode():
            showing.append(url)
    members = probed["admin"].get("/accounts/members/")
    _assert_escaped(members, "/accounts/members/")
    assert ESCAPED in members.content.decode()
    # The pages that display stored text did show the probes (escaped).
    case = world.case
    site = f"/sites/{world.site.uid}/"
    for url in (
        "/",
        "/cases/",
        f"/cases/{case.uid}/",
        f"/people/{world.person.uid}/",
        "/sites/",
        site,
        f"/print/cases/{case.uid}/",
        f"/print/sites/{world.site.uid}/",
        "/reports/",
    ):
        assert url in showing, f"{url} does not show the probe at all"


def test_it_escapes_a_spreadsheet_s_titles_cells_and_name_on_the_import_pages(
    world, login, coordinator_a
):
    """An imported sheet is text from outside: its column titles, cells (the preview) and file
    name come back escaped on the mapping screen and in the dry run."""
    client = session_client(login, coordinator_a)
    sheet = f"{PROBE},name\n{PROBE},{PROBE}\n".encode()
    response = client.post("/imports/", {"file": SimpleUploadedFile(f"{PROBE}.csv", sheet)})
    assert response.status_code == 302, response.content
    page = client.get(response["Location"])
    _assert_escaped(page, "import mapping")
    assert ESCAPED in page.content.decode()
    checked = client.post(
        response["Location"], {"col_0": "summary", "col_1": "name", "encoding": "utf-8"}
    )
    _assert_escaped(client.get(checked["Location"]), "import dry run")


def test_it_escapes_the_probes_in_error_pages(world, login, coordinator_a):
    client = session_client(login, coordinator_a)
    login_page = Client().post("/accounts/login/", {"username": PROBE, "password": "x"})
    _assert_escaped(login_page, "login")
    for url in (f"/cases/{PROBE}/", f"/people/{PROBE}/", f"/{PROBE}"):
        response = client.get(url)
        assert response.status_code == 404
        _assert_escaped(response, url)


def test_it_serves_the_probes_as_json_data_only(world, probed):
    for url in _api_urls(world):
        response = probed["api"].get(url)
        assert response.status_code == 200, (url, response.content)
        assert response["Content-Type"] == "application/json; charset=utf-8", url
        assert response["X-Content-Type-Options"] == "nosniff", url
    # The probes did reach the API as data.
    body = probed["api"].get(f"/api/v1/cases/{world.case.uid}").json()
    assert PROBE in body["summary"]


def test_it_escapes_the_probes_in_sharing_pages(world, login, coordinator_a, caseworker_a):
    """Partners, operations, briefings (the coordinator's page, the file and the public link)
    and the leak trace echo typed text: it comes back as text."""
    import datetime

    from django.utils import timezone

    from lifeline.sharing import briefings, services
    from tests.factories import make_site

    written: list = []
    client = session_client(login, coordinator_a)
    _post(client, "/partners/new/", {"name": PROBE, "kind": "police", "contact_name": PROBE, "contact_details": PROBE, "notes": PROBE}, "partner", written)  # fmt: skip
    partner = services.partner_create(
        actor=coordinator_a, name=PROBE, kind="police", contact_name=PROBE
    )
    site = make_site(coordinator_a, name=PROBE, aliases=[PROBE], town=PROBE)
    now = timezone.now()
    operation = services.operation_create(
        actor=coordinator_a, codename=PROBE[:80], window_start=now - datetime.timedelta(hours=1),
        window_end=now + datetime.timedelta(hours=1), members=[caseworker_a], sites=[site],
        cases=[world.case], partners=[partner], plan=PROBE, rendezvous_landmarks=f"{PROBE}\nthe pharmacy",
    )  # fmt: skip
    briefing = briefings.briefing_create(
        actor=coordinator_a, level="full", partners=[partner], operation=operation
    )
    share = briefing.shares.get()
    link = briefings.share_link_create(
        actor=coordinator_a, share=share, expires_in_hours=1, max_views=5
    )
    for url in (
        "/partners/", partner.get_absolute_url(), "/operations/", operation.get_absolute_url(),
        briefing.get_absolute_url(), share.get_absolute_url(),
    ):  # fmt: skip
        _assert_escaped(client.get(url), url)
    _assert_escaped(Client().get(f"/s/{link}/"), "public link")
    _post(client, "/leaks/trace/", {"text": PROBE}, "trace", written)
    _post(client, operation.get_absolute_url() + "close/", {"outcome": "site_empty", "notes": PROBE}, "close", written)  # fmt: skip
    _assert_escaped(client.get(operation.get_absolute_url()), "closed operation")
    file = client.get(f"/shares/{share.uid}/briefing.txt")
    assert file["Content-Type"].startswith("text/plain") and file["Content-Disposition"].startswith(
        "attachment"
    )


def test_it_escapes_site_names_suggested_on_the_public_form(probed, settings, org_a):
    """The public SOS form lists the chosen sites' names and aliases in a <datalist>."""
    settings.LIFELINE_INTAKE_ORGANISATION = org_a.slug
    response = Client().get("/help/")
    _assert_escaped(response, "public form")
    assert "Park &quot;&gt;&lt;script&gt;" in response.content.decode()


@pytest.mark.django_db
def test_it_escapes_what_the_job_check_page_echoes(org_a, settings):
    """The public job-check page shows the pasted offer back (and the phrases found in it)."""
    settings.LIFELINE_INTAKE_ORGANISATION = org_a.slug
    offer = f"Typing job in Sihanoukville {PROBE}, contact Telegram @x{PROBE}"
    body = Client().post("/job-check/", {"text": offer}).content.decode()
    assert "Sihanoukville" in body and "&lt;script&gt;alert(1)" in body
    for raw in RAW:
        assert raw not in body
