"""No field outside a level's allow-list ever reaches the output: every field of the source
carries a marker of its own, and each level's page, file and link are searched for the markers
of the fields it must not hold (and for those it must)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from lifeline.people.services import ContactInput, IdentifierInput, NameInput, person_create
from lifeline.sharing import briefings, redaction, services
from tests.factories import make_site

ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff]")

# One marker per field of the source.
MARKERS = {
    "site.name": "Quokkahaven Compound",
    "site.aliases": "Wombatgate",
    "site.place": "Platypusville",
    "site.point": "16.11111",
    "site.indicators": "guard towers",
    "person.names": "Xanthippe Quillfeather",
    "person.age": "37",
    "person.citizenship": "Vietnam",
    "person.languages": "speaks vi",
    "person.contacts": "+66998765432",  # as stored: E.164
    "person.identifiers": "ZX9988776",
    "location": "Marmoset Street",
    "summary": "aardvark conveyor",
    "plan": "secret river crossing",
    "window": "Window",
}


@pytest.fixture
def subject(coordinator_a, caseworker_a, partners):
    from lifeline.cases import services as case_services

    site = make_site(
        coordinator_a, name=MARKERS["site.name"], aliases=[MARKERS["site.aliases"]],
        town=MARKERS["site.place"], latitude=16.11111, longitude=98.2, indicators=["guard_towers"],
    )  # fmt: skip
    person = person_create(
        actor=coordinator_a,
        names=[NameInput(value=MARKERS["person.names"])],
        age=37,
        citizenship="VN",
        languages=["vi"],
        contacts=[ContactInput(kind="phone", value=MARKERS["person.contacts"])],
        identifiers=[IdentifierInput(kind="passport", value=MARKERS["person.identifiers"])],
    )
    req = case_services.request_create(
        actor=coordinator_a, channel="phone", reporter_relation="family",
        location_text=MARKERS["location"], text=f"Held by the {MARKERS['summary']}",
    )  # fmt: skip
    case = case_services.request_open_case(actor=coordinator_a, req=req, person=person)
    now = timezone.now()
    operation = services.operation_create(
        actor=coordinator_a, codename="Heron", window_start=now - datetime.timedelta(hours=1),
        window_end=now + datetime.timedelta(hours=5), members=[caseworker_a], sites=[site],
        cases=[case], partners=partners, plan=MARKERS["plan"],
        rendezvous_landmarks="the petrol station\nthe pharmacy",
    )  # fmt: skip
    return operation, case


EXPECTED = {
    "site": {"site.name", "site.aliases", "site.place", "site.point", "site.indicators", "window"},
    "people": {"site.name", "site.aliases", "site.place", "site.point", "site.indicators", "window",
               "person.names", "person.age", "person.citizenship", "person.languages"},
    "full": {"site.name", "site.aliases", "site.place", "site.point", "site.indicators", "window",
             "person.names", "person.age", "person.citizenship", "person.languages",
             "person.contacts", "person.identifiers"},
}  # fmt: skip


def _outputs(login, coordinator_a, briefing) -> dict[str, str]:
    share = briefing.shares.get(variant=0)
    client = login(coordinator_a)
    page = client.get(share.get_absolute_url()).content.decode()
    # The coordinator's page also lists what distinguishes the variant: only the article counts.
    page = page[page.index('<article class="briefing">') : page.index("</article>")]
    file = client.get(f"/shares/{share.uid}/briefing.txt").content.decode()
    token = briefings.share_link_create(
        actor=coordinator_a, share=share, expires_in_hours=1, max_views=1
    )
    link = Client().get(f"/s/{token}/").content.decode()
    return {
        name: ZERO_WIDTH.sub("", text)
        for name, text in {"page": page, "file": file, "link": link}.items()
    }


@pytest.mark.parametrize("level", ["site", "people", "full"])
def test_an_operation_briefing_holds_its_level_and_nothing_more(
    login, coordinator_a, subject, partners, level
):
    operation, _case = subject
    briefing = briefings.briefing_create(
        actor=coordinator_a, level=level, partners=partners, operation=operation
    )
    for form, text in _outputs(login, coordinator_a, briefing).items():
        shown = {field for field, marker in MARKERS.items() if marker in text}
        assert shown == EXPECTED[level], (form, shown ^ EXPECTED[level])


@pytest.mark.parametrize("level", ["site", "people", "full"])
def test_a_case_briefing_holds_its_level_and_nothing_more(
    login, coordinator_a, subject, partners, level
):
    _operation, case = subject
    briefing = briefings.briefing_create(
        actor=coordinator_a, level=level, partners=partners[:1], case=case
    )
    people = EXPECTED[level] - EXPECTED["site"]
    for form, text in _outputs(login, coordinator_a, briefing).items():
        shown = {field for field, marker in MARKERS.items() if marker in text}
        # A case has no target site: its last known location stands for it.
        assert shown == {"location"} | people, (form, shown)
        assert case.reference not in text


def test_an_unknown_level_is_refused_not_widened():
    with pytest.raises(KeyError):
        redaction.build_briefing(redaction.Facts(title="x"), level="everything")


def test_every_level_is_a_subset_of_the_next():
    levels = redaction.BRIEFING_FIELDS
    assert levels["site"] < levels["people"] < levels["full"]
    profiles = redaction.REFERRAL_FIELDS
    assert profiles["essentials"] < profiles["location"] < profiles["full"]
