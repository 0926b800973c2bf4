import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.core.errors import ConflictError, NotPermitted
from lifeline.sites import selectors, services
from lifeline.sites.models import Operator, Site, StatusClaim
from tests.factories import claim, make_site


def _errors(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def test_it_creates_a_site_with_its_romanised_names(coordinator_a):
    site = make_site(coordinator_a, name="金木棉", aliases=["Kings Romans", "KR"])
    assert site.organisation == coordinator_a.organisation
    assert "jin mumian" in site.search_text and "kings romans" in site.search_text
    event = AuditEvent.objects.get(action="sites.site.created")
    assert event.payload == {"country": "MM", "kind": "compound"}


def test_it_takes_the_point_from_the_outline_when_none_is_given(analyst_a):
    outline = {"type": "Polygon", "coordinates": [[[98.50, 16.69], [98.51, 16.69], [98.51, 16.70], [98.50, 16.69]]]}  # fmt: skip
    site = make_site(analyst_a, latitude=None, longitude=None, outline=outline)
    assert 16.69 < site.latitude < 16.70 and 98.50 < site.longitude < 98.51


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"latitude": 98.5063, "longitude": 16.692}, "latitude"),
        ({"latitude": 11.6, "longitude": 104.9}, "latitude"),  # Cambodia, site says Myanmar
        ({"name": "  "}, "name"),
        ({"country": "XX"}, "country"),
        ({"indicators": ["moat"]}, "indicators"),
        ({"kind": "castle"}, "kind"),
        (
            {
                "outline": {
                    "type": "Polygon",
                    "coordinates": [
                        [[98.50, 16.69], [98.51, 16.70], [98.51, 16.69], [98.50, 16.70]]
                    ],
                }
            },  # fmt: skip
            "outline",
        ),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(coordinator_a, overrides, field):
    with pytest.raises(ValidationError) as exc:
        make_site(coordinator_a, **overrides)
    assert field in _errors(exc)
    assert not Site.objects.exists() and not AuditEvent.objects.exists()


def test_it_refuses_members_who_may_not_edit_sites(admin_a):
    with pytest.raises(NotPermitted):
        make_site(admin_a)


def test_it_updates_a_site_and_refuses_a_stale_version(coordinator_a, caseworker_a):
    site = make_site(coordinator_a)
    site = services.site_update(
        actor=caseworker_a, site=site, version=1, town="Shwe Kokko", indicators=["razor_wire"]
    )
    assert (site.town, site.indicators, site.version) == ("Shwe Kokko", ["razor_wire"], 2)
    assert AuditEvent.objects.get(action="sites.site.updated").payload == {
        "fields": ["indicators", "town"]
    }
    with pytest.raises(ConflictError) as exc:
        services.site_update(actor=coordinator_a, site=site, version=1, town="Myawaddy")
    assert exc.value.changes == {"town": ("Myawaddy", "Shwe Kokko")}


def test_it_keeps_a_status_history_with_grades(coordinator_a):
    site = make_site(coordinator_a)
    claim(coordinator_a, site, "suspected", "2025-11-01", reliability="C", credibility=3)
    claim(coordinator_a, site, "active", "2026-01-10")
    claim(coordinator_a, site, "raided", "2026-02-20", reliability="A", credibility=1)
    site.refresh_from_db()
    assert (site.status, site.status_since.isoformat()) == ("raided", "2026-02-20")
    assert (site.status_reliability, site.status_credibility) == ("A", 1)
    history = list(selectors.site_history(site=site))
    assert [c.status for c in history] == ["raided", "active", "suspected"]
    assert history[-1].grade == "C3"


@pytest.mark.parametrize(
    "before,status,field,words",
    [
        (["closed"], "raided", "status", "cannot become"),
        (["abandoned"], "active", "status", "cannot become"),
        ([], "reopened", "status", "cannot become"),
    ],
)
def test_it_refuses_status_moves_the_history_does_not_allow(
    coordinator_a, before, status, field, words
):
    site = make_site(coordinator_a)
    for previous in before:
        claim(coordinator_a, site, previous)
    with pytest.raises(ValidationError) as exc:
        claim(coordinator_a, site, status, "2026-03-01")
    assert field in _errors(exc) and words in " ".join(_errors(exc)[field])
    assert StatusClaim.objects.count() == len(before)


def test_it_refuses_a_relocation_to_itself_or_nowhere(coordinator_a):
    site = make_site(coordinator_a)
    claim(coordinator_a, site, "active")
    with pytest.raises(ValidationError) as exc:
        claim(coordinator_a, site, "relocated", "2026-02-01", relocated_to=site)
    assert "itself" in " ".join(_errors(exc)["relocated_to"])
    with pytest.raises(ValidationError) as exc:
        claim(coordinator_a, site, "relocated", "2026-02-01")
    assert "relocated_to" in _errors(exc)
    other = make_site(coordinator_a, name="KK Park", aliases=[])
    moved = claim(coordinator_a, site, "relocated", "2026-02-01", relocated_to=other)
    assert moved.relocated_to == other


def test_it_refuses_a_relocation_to_another_organisations_site(coordinator_a, coordinator_b):
    site, theirs = make_site(coordinator_a), make_site(coordinator_b)
    with pytest.raises(ValidationError):
        claim(coordinator_a, site, "relocated", relocated_to=theirs)


@pytest.mark.parametrize(
    "grade", [{"reliability": "", "credibility": 2}, {"reliability": "B", "credibility": None},
              {"reliability": "G", "credibility": 2}, {"reliability": "B", "credibility": 7}],
)  # fmt: skip
def test_it_refuses_a_source_without_a_grade(coordinator_a, grade):
    site = make_site(coordinator_a)
    with pytest.raises(ValidationError):
        claim(coordinator_a, site, "active", **grade)
    site.refresh_from_db()
    assert site.status == "" and not StatusClaim.objects.exists()


def test_it_refuses_claims_out_of_date_order_or_in_the_future(coordinator_a):
    site = make_site(coordinator_a)
    claim(coordinator_a, site, "active", "2026-01-10")
    with pytest.raises(ValidationError) as exc:
        claim(coordinator_a, site, "raided", "2025-12-01")
    assert "2026-01-10" in " ".join(_errors(exc)["claimed_on"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    with pytest.raises(ValidationError):
        claim(coordinator_a, site, "raided", tomorrow)


def test_it_encrypts_person_operators_and_hides_them_from_analysts(coordinator_a, analyst_a):
    site = make_site(coordinator_a)
    services.operator_add(
        actor=coordinator_a, site=site, kind="company", role="owner",
        company_name="Yatai International Holding Group", company_country="HK",
        source="Company registry", reliability="A", credibility=1,
    )  # fmt: skip
    person = services.operator_add(
        actor=coordinator_a, site=site, kind="person", role="manager",
        person_name="Boss Wang", source="Rescued person's account", reliability="C", credibility=3,
    )  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name FROM sites_operator WHERE id = %s", [person.pk])
        assert "Wang" not in cursor.fetchone()[0]
    assert [op.kind for op in selectors.site_operators(actor=coordinator_a, site=site)] == [
        "company",
        "person",
    ]
    assert [op.kind for op in selectors.site_operators(actor=analyst_a, site=site)] == ["company"]
    assert selectors.hidden_operator_count(actor=analyst_a, site=site) == 1
    with pytest.raises(NotPermitted):
        services.operator_add(
            actor=analyst_a, site=site, kind="person", role="manager", person_name="X",
            source="s", reliability="C", credibility=3,
        )  # fmt: skip


def test_it_removes_a_person_operator_for_good(coordinator_a):
    site = make_site(coordinator_a)
    person = services.operator_add(
        actor=coordinator_a, site=site, kind="person", role="manager",
        person_name="Boss Wang", source="Account", reliability="C", credibility=3,
    )  # fmt: skip
    operator_id = person.pk
    services.operator_remove(actor=coordinator_a, operator=person)
    assert not Operator.objects.exists()
    event = AuditEvent.objects.get(action="sites.operator.removed")
    assert event.payload == {"operator_id": operator_id, "kind": "person"}


def test_it_finds_sites_by_any_name_in_any_script(coordinator_a):
    make_site(coordinator_a, name="金木棉", aliases=["Kings Romans"])
    make_site(coordinator_a, name="KK Park", aliases=[])

    def found(q):
        return [
            s.name
            for s in selectors.site_list(actor=coordinator_a, filters=selectors.SiteFilters(q=q))
        ]

    assert found("jin mumian") == ["金木棉"]
    assert found("金木棉") == ["金木棉"]
    assert found("romans") == ["金木棉"]
    assert found("kk") == ["KK Park"]
    assert found("%") == []


def test_it_filters_by_status_country_indicator_and_kind(coordinator_a, coordinator_b):
    walled = make_site(coordinator_a, indicators=["perimeter_wall"])
    claim(coordinator_a, walled, "active")
    make_site(coordinator_a, name="Casino", kind="casino", country="KH", latitude=10.6, longitude=103.5, indicators=["cctv"])  # fmt: skip
    make_site(coordinator_b, indicators=["perimeter_wall"])

    def names(**filters):
        qs = selectors.site_list(actor=coordinator_a, filters=selectors.SiteFilters(**filters))
        return sorted(s.name for s in qs)

    assert names(indicator="perimeter_wall") == ["Golden Gate Park"]
    assert names(status=["active"]) == ["Golden Gate Park"]
    assert names(country="kh") == ["Casino"]
    assert names(kind="casino") == ["Casino"]
    assert names() == ["Casino", "Golden Gate Park"]
