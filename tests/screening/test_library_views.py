"""The lure library's filters, identifier pages, campaign pages and map. Every offer here was
written for the tests."""

import datetime

import pytest

from lifeline.audit.models import AuditEvent
from lifeline.people.services import person_add_contact
from lifeline.screening import selectors, services
from lifeline.screening.models import Lure, RecruiterIdentifier
from tests.api import api_client, call
from tests.factories import make_case

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 1)
TEMPLATE = (
    "Golden Star Co., Ltd. hiring typists in Bavet, {pay} a month, flights paid. "
    "Telegram @bavet_jobs_hr for details, no experience needed, age 18-30."
)


def _add(actor, text, **kwargs):
    defaults = {"source": "case", "platform": "telegram", "seen_on": DAY}
    return services.lure_add(actor=actor, text=text, **{**defaults, **kwargs})


@pytest.fixture
def library(coordinator_a, caseworker_a):
    case_1 = make_case(coordinator_a, assignee=caseworker_a)
    case_2 = make_case(coordinator_a)
    first = _add(
        coordinator_a,
        TEMPLATE.format(pay="$2,000"),
        case=case_1,
        country="KH",
        town="Phnom Penh",
        latitude=11.56,
        longitude=104.92,
    )
    second = _add(
        coordinator_a,
        TEMPLATE.format(pay="$2,500"),
        case=case_2,
        source="partner",
        platform="facebook",
        seen_on=DAY + datetime.timedelta(days=9),
        country="KH",
        town="Phnom Penh",
        latitude=11.57,
        longitude=104.91,
    )
    thai = _add(
        coordinator_a,
        "รับสมัครแอดมิน ทำงานที่เมียวดี เงินเดือนสูง ไม่ต้องมีประสบการณ์ ติดต่อไลน์",
        source="monitoring",
        platform="line",
        seen_on=DAY - datetime.timedelta(days=30),
        country="TH",
        town="Mae Sot",
    )
    first.refresh_from_db()
    return {"first": first, "second": second, "thai": thai, "cases": (case_1, case_2)}


def _shown(body: str, lures) -> list[bool]:
    return [str(lure.uid) in body for lure in lures]


def test_it_filters_the_library(login, coordinator_a, library):
    client = login(coordinator_a)
    lures = (library["first"], library["second"], library["thai"])
    assert _shown(client.get("/screening/library/").content.decode(), lures) == [True] * 3
    cases = {
        "source=partner": [False, True, False],
        "platform=line": [False, False, True],
        "language=th": [False, False, True],
        "language=en": [True, True, False],
        "level=low": [False, False, False],
        "country=th": [False, False, True],
        "seen_from=2026-10-02": [False, True, False],
        "seen_to=2026-09-30": [False, False, True],
        f"campaign={library['first'].campaign.uid}": [True, True, False],
        "seen_from=not-a-date": [True, True, True],  # a bad value is not applied
    }
    for query, expected in cases.items():
        body = client.get(f"/screening/library/?{query}").content.decode()
        assert _shown(body, lures) == expected, query
    event = AuditEvent.objects.filter(action="screening.lure.listed").latest("seq")
    assert event.payload == {"count": 3, "filters": []}
    client.get("/screening/library/?platform=line&language=th")
    event = AuditEvent.objects.filter(action="screening.lure.listed").latest("seq")
    assert event.payload == {"count": 1, "filters": ["language", "platform"]}


def test_it_filters_the_api_list(coordinator_a, library):
    api = api_client(coordinator_a)
    found = call(
        api, "get", "/api/v1/screening/lures?language=th&country=TH&source=monitoring"
    ).json()
    assert [item["uid"] for item in found["items"]] == [str(library["thai"].uid)]
    assert found["items"][0]["town"] == "Mae Sot" and found["items"][0]["language"] == "th"
    assert call(api, "get", "/api/v1/screening/lures?level=extreme").status_code == 422


def test_it_maps_where_offers_were_seen(login, coordinator_a, library):
    body = login(coordinator_a).get("/screening/library/").content.decode()
    assert "<svg" in body and "<script" not in body.split("<svg", 1)[1].split("</svg>")[0]
    assert "<title>Phnom Penh, KH: 2</title>" in body  # one circle for the town's two offers
    assert "Mae Sot" in body  # in the table: a town without a point is counted, not drawn
    places = selectors.lure_places(
        lures=Lure.objects.filter(organisation=coordinator_a.organisation)
    )
    assert [(p.country, p.town, p.lures, len(p.points)) for p in places] == [
        ("KH", "Phnom Penh", 2, 2),
        ("TH", "Mae Sot", 1, 0),
    ]


def test_it_keeps_place_names_escaped_on_the_map(login, coordinator_a):
    _add(coordinator_a, TEMPLATE.format(pay="$9"), town="<b>x</b>", latitude=10.0, longitude=100.0)
    body = login(coordinator_a).get("/screening/library/").content.decode()
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body


def test_it_takes_a_place_with_the_offer_and_refuses_half_a_point(coordinator_a):
    with pytest.raises(Exception) as refused:
        _add(coordinator_a, TEMPLATE.format(pay="$1"), latitude=11.5)
    assert "latitude" in str(refused.value)
    with pytest.raises(Exception) as refused:
        _add(coordinator_a, TEMPLATE.format(pay="$1"), latitude=120.0, longitude=10.0)
    assert "not a point on Earth" in str(refused.value)
    assert Lure.objects.count() == 0


def test_it_adds_a_place_through_the_form(login, coordinator_a):
    response = login(coordinator_a).post(
        "/screening/library/",
        {
            "text": TEMPLATE.format(pay="$3"),
            "source": "report",
            "platform": "facebook",
            "seen_on": "2026-10-02",
            "town": "Poipet",
            "country": "KH",
            "latitude": "13.65",
            "longitude": "102.56",
        },
    )
    assert response.status_code == 302
    lure = Lure.objects.get()
    assert (lure.town, lure.latitude, lure.longitude) == ("Poipet", 13.65, 102.56)


def test_it_shows_what_a_handle_recruited(login, coordinator_a, library):
    case_1, case_2 = library["cases"]
    person_add_contact(
        actor=coordinator_a, person=case_1.person, kind="telegram", value="@bavet_jobs_hr"
    )
    handle = RecruiterIdentifier.objects.get(kind="telegram")
    client = login(coordinator_a)
    lure_page = client.get(library["first"].get_absolute_url()).content.decode()
    assert handle.get_absolute_url() in lure_page
    body = client.get(handle.get_absolute_url()).content.decode()
    assert "bavet_jobs_hr" in body
    assert "recruited 2 of our cases" in body
    assert "the contact of 1 person" in body
    assert case_1.reference in body and case_2.reference in body
    assert case_1.person.get_absolute_url() in body
    assert library["first"].campaign.get_absolute_url() in body
    event = AuditEvent.objects.filter(action__endswith=".viewed").latest("seq")
    assert event.payload == {
        "cases": sorted([case_1.pk, case_2.pk]),
        "persons": [case_1.person.pk],
    } or (sorted(event.payload["cases"]) == sorted([case_1.pk, case_2.pk]))
    api = call(api_client(coordinator_a), "get", f"/api/v1/screening/identifiers/{handle.uid}")
    assert api.json()["case_count"] == 2 and len(api.json()["lures"]) == 2


def test_it_lists_only_the_cases_and_persons_a_member_may_open(
    coordinator_a, caseworker_a, library
):
    case_1, _case_2 = library["cases"]
    person_add_contact(
        actor=coordinator_a, person=case_1.person, kind="telegram", value="@bavet_jobs_hr"
    )
    handle = RecruiterIdentifier.objects.get(kind="telegram")
    reach = selectors.identifier_reach(actor=caseworker_a, identifier=handle)
    assert reach.case_count == 2 and [c.pk for c in reach.cases] == [case_1.pk]
    full = selectors.identifier_reach(actor=coordinator_a, identifier=handle)
    assert len(full.cases) == 2 and len(full.persons) == 1


def test_it_hides_identifiers_and_campaigns_from_another_organisation(
    login, coordinator_b, library
):
    handle = RecruiterIdentifier.objects.get(kind="telegram")
    client = login(coordinator_b)
    missing = client.get("/screening/identifiers/00000000-0000-0000-0000-000000000000/")
    other = client.get(handle.get_absolute_url())
    assert other.status_code == missing.status_code == 404
    assert client.get(library["first"].campaign.get_absolute_url()).status_code == 404
    api = call(api_client(coordinator_b), "get", f"/api/v1/screening/identifiers/{handle.uid}")
    assert api.status_code == 404


def test_it_shows_a_campaigns_timeline_and_map(login, coordinator_a, library):
    campaign = library["first"].campaign
    assert campaign is not None and library["second"].campaign_id == campaign.pk
    body = login(coordinator_a).get(campaign.get_absolute_url()).content.decode()
    timeline = body.split('id="campaign-timeline"', 1)[1].split("</ol>", 1)[0]
    assert timeline.index(str(library["first"].uid)) < timeline.index(str(library["second"].uid))
    assert "seen from 2026-10-01 to 2026-10-10" in body or "Oct. 1, 2026" in body
    assert "<title>Phnom Penh, KH: 2</title>" in body
    assert str(library["thai"].uid) not in body


def test_it_refuses_an_impossible_date_filter_in_the_api(coordinator_a):
    api = api_client(coordinator_a)
    assert call(api, "get", "/api/v1/screening/lures?seen_from=2026-02-31").status_code == 422
    assert call(api, "get", "/api/v1/screening/lures?seen_from=2026-02-01").status_code == 200


def test_the_list_says_how_many_offers_each_campaign_holds(login, coordinator_a, library):
    body = login(coordinator_a).get("/screening/library/").content.decode()
    campaign = library["first"].campaign
    assert body.count(f'href="{campaign.get_absolute_url()}">campaign of 2 offers</a>') == 2
    # Filtered to one sighting, the campaign still counts all of its offers.
    body = login(coordinator_a).get("/screening/library/?source=partner").content.decode()
    assert body.count("campaign of 2 offers") == 1


def test_an_identifiers_page_names_each_campaign_by_its_offers_and_span(
    login, coordinator_a, library
):
    handle = RecruiterIdentifier.objects.get(kind="telegram")
    body = login(coordinator_a).get(handle.get_absolute_url()).content.decode()
    campaigns = body.split('id="identifier-campaigns"', 1)[1].split("</ul>", 1)[0]
    assert library["first"].campaign.get_absolute_url() in campaigns
    assert "Campaign of 2 offers, seen from Oct. 1, 2026 to Oct. 10, 2026" in campaigns
