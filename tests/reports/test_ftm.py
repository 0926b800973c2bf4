"""The investigators' export: FollowTheMoney entities validated by the package's model, never
victims or reporters; UI, API and command line; audited."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from followthemoney import model

from lifeline.audit.models import AuditEvent
from lifeline.reports import ftm
from lifeline.sites import services
from tests.api import api_client
from tests.factories import claim, make_case, make_site

VICTIM = "Zawadi Kettleborough"
SOURCE = "Told by her cousin Ming in Poipet"


@pytest.fixture
def registry(coordinator_a):
    kk = make_site(
        coordinator_a, name="KK Park", aliases=["KK园区"], latitude=16.7473, longitude=98.5266
    )
    claim(coordinator_a, kk, "active")
    shwe = make_site(coordinator_a, name="Shwe Kokko", aliases=[], town="Shwe Kokko")
    services.site_claim_status(actor=coordinator_a, site=kk, status="relocated", claimed_on=datetime.date(2026, 2, 1), source=SOURCE, reliability="B", credibility=2, relocated_to=shwe)  # fmt: skip
    for site in (kk, shwe):  # one company operating two sites is one Company
        services.operator_add(actor=coordinator_a, site=site, kind="company", role="owner", company_name="Yatai Holdings", company_country="MM", source=SOURCE, reliability="A", credibility=1)  # fmt: skip
    services.operator_add(actor=coordinator_a, site=kk, kind="person", role="manager", person_name="Boss Wang", source=SOURCE, reliability="C", credibility=3)  # fmt: skip
    make_case(coordinator_a, subject_name=VICTIM, reporter_name="Auntie Lan")
    return kk


def _entities(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _assert_valid(entities):
    ids = {e["id"] for e in entities}
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)
        proxy.schema.validate(entity)
        assert all(proxy.get(name) for name in proxy.schema.required), entity
        for prop in proxy.iterprops():  # every link points at an entity of the file
            if prop.type.name == "entity":
                assert set(proxy.get(prop)) <= ids, entity


def test_it_exports_sites_companies_persons_and_links_valid_for_the_ftm_model(
    coordinator_a, registry
):
    export = ftm.ftm_export(actor=coordinator_a)
    entities = _entities(export.body)
    _assert_valid(entities)
    schemas = sorted(e["schema"] for e in entities)
    assert schemas == ["Company", "Ownership", "Ownership", "Person", "RealEstate", "RealEstate", "UnknownLink", "UnknownLink"]  # fmt: skip
    relocation = next(e for e in entities if e["properties"].get("role") == ["relocated to"])
    assert relocation["properties"]["date"] == ["2026-02-01"]
    text = export.body
    assert VICTIM not in text and "Auntie Lan" not in text and "cousin" not in text
    assert "Boss Wang" in text and "grade C3" in text
    event = AuditEvent.objects.get(action="reports.ftm.exported")
    assert event.payload == {"sites": 2, "companies": 1, "persons": 1, "links": 4}


def test_ids_are_stable_across_exports(coordinator_a, registry):
    first = ftm.ftm_export(actor=coordinator_a).body
    assert ftm.ftm_export(actor=coordinator_a).body == first


def test_analysts_get_no_persons_and_other_organisations_nothing(
    analyst_a, coordinator_b, registry
):
    analyst = ftm.ftm_export(actor=analyst_a).body
    assert "Boss Wang" not in analyst and "Yatai Holdings" in analyst
    assert ftm.ftm_export(actor=coordinator_b).body == ""


def test_the_page_the_download_the_api_and_the_command_line(
    login, coordinator_a, admin_a, registry, tmp_path, capsys
):
    client = login(coordinator_a)
    assert client.get(reverse("reports:ftm")).status_code == 200
    download = client.get(reverse("reports:ftm_download"))
    assert download["Content-Disposition"].endswith('.ftm.json"')
    _assert_valid(_entities(download.content.decode()))
    api = api_client(coordinator_a).get("/api/v1/exports/ftm")
    assert api.status_code == 200 and len(_entities(api.content.decode())) == 8
    assert api_client(admin_a).get("/api/v1/exports/ftm").status_code == 403
    assert login(admin_a).get(reverse("reports:ftm")).status_code == 403
    out = tmp_path / "entities.json"
    who = [
        "--organisation",
        coordinator_a.organisation.slug,
        "--member",
        coordinator_a.user.username,
    ]
    call_command("export", "ftm", *who, "--out", str(out))
    assert "2 sites, 1 companies, 1 persons, 4 links" in capsys.readouterr().out
    _assert_valid(_entities(out.read_text()))
    assert AuditEvent.objects.filter(action="reports.ftm.exported").count() == 3
