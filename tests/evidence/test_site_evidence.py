"""Evidence on a site: coordinators and caseworkers of the organisation attach and see it,
analysts see the site but not its files, other organisations nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from lifeline.evidence.models import CustodyEvent, Evidence
from lifeline.evidence.services import evidence_attach
from tests.api import api_client, last_event
from tests.evidence import files
from tests.factories import make_site

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _attach(actor, site):
    upload = SimpleUploadedFile("gate.png", files.png())
    return evidence_attach(actor=actor, upload=upload, description="Gate", site=site)


def test_it_attaches_a_file_from_the_site_page(login, caseworker_a, coordinator_a):
    site = make_site(coordinator_a)
    response = login(caseworker_a).post(
        reverse("evidence:site_upload", args=[site.uid]),
        {"description": "Satellite image", "file": SimpleUploadedFile("sat.png", files.png())},
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302 and response["Location"] == evidence.get_absolute_url()
    assert (evidence.site_id, evidence.case_id, evidence.request_id) == (site.pk, None, None)
    assert CustodyEvent.objects.get().detail["site"] == site.pk


def test_it_lists_site_evidence_on_the_site_page_for_the_desk_only(
    login, coordinator_a, other_caseworker_a, analyst_a
):
    site = make_site(coordinator_a)
    _attach(coordinator_a, site)
    # Any caseworker, assigned to nothing: site evidence is the whole desk's.
    body = login(other_caseworker_a).get(site.get_absolute_url()).content.decode()
    assert "gate.png" in body and 'id="evidence"' in body
    analyst_page = login(analyst_a).get(site.get_absolute_url()).content.decode()
    assert "gate.png" not in analyst_page and 'id="evidence"' not in analyst_page


def test_it_shows_a_site_file_to_any_caseworker_and_hides_it_from_others(
    login, coordinator_a, other_caseworker_a, analyst_a, coordinator_b
):
    evidence = _attach(coordinator_a, make_site(coordinator_a))
    page = login(other_caseworker_a).get(evidence.get_absolute_url())
    assert page.status_code == 200 and "Golden Gate Park" in page.content.decode()
    assert login(analyst_a).get(evidence.get_absolute_url()).status_code == 403
    assert login(coordinator_b).get(evidence.get_absolute_url()).status_code == 404


def test_it_refuses_uploads_to_another_organisations_site_and_from_analysts(
    login, coordinator_a, coordinator_b, analyst_a
):
    site = make_site(coordinator_a)
    url = reverse("evidence:site_upload", args=[site.uid])
    upload = {"file": SimpleUploadedFile("x.png", files.png())}
    assert login(coordinator_b).post(url, upload).status_code == 404
    upload = {"file": SimpleUploadedFile("x.png", files.png())}
    assert login(analyst_a).post(url, upload).status_code == 403
    assert not Evidence.objects.exists()


def test_it_holds_a_file_to_exactly_one_parent(coordinator_a, case_a):
    evidence = _attach(coordinator_a, make_site(coordinator_a))
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(case=case_a)
    with pytest.raises(ValueError):
        evidence_attach(
            actor=coordinator_a,
            upload=SimpleUploadedFile("x.png", files.png()),
            case=case_a,
            site=evidence.site,
        )


def test_it_lists_and_attaches_through_the_api(
    caseworker_a, coordinator_a, analyst_a, coordinator_b
):
    site = make_site(coordinator_a)
    url = f"/api/v1/sites/{site.uid}/evidence"
    created = api_client(caseworker_a).post(
        url, {"file": SimpleUploadedFile("sat.png", files.png()), "description": "Roof"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["site"] == str(site.uid) and created.json()["case"] is None
    listed = api_client(coordinator_a).get(url)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert last_event("evidence.evidence.listed").object_type == "sites.site"
    assert api_client(analyst_a).get(url).status_code == 403
    assert api_client(coordinator_b).get(url).status_code == 404
    item = created.json()["uid"]
    assert api_client(caseworker_a).get(f"/api/v1/evidence/{item}").status_code == 200
