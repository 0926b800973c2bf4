"""Printable case summaries and site sheets: HTML and PDF, personal data only for those allowed,
every print audited."""

import pytest
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.reports import printing
from lifeline.sites import services
from tests.api import NOT_FOUND, api_client
from tests.factories import claim, make_case, make_site

NAME = "Zawadi Kettleborough"
PHONE = "+855 12 345 678"


@pytest.fixture
def case(coordinator_a, caseworker_a):
    return make_case(
        coordinator_a, assignee=caseworker_a, subject_name=f"{NAME} / 张伟", subject_contact=PHONE
    )


@pytest.fixture
def site(coordinator_a):
    kk = make_site(coordinator_a, name="KK Park")
    claim(coordinator_a, kk, "active", source="Told by the cousin Ming")
    services.operator_add(actor=coordinator_a, site=kk, kind="person", role="manager", person_name="Boss Wang", source="Account", reliability="C", credibility=3)  # fmt: skip
    services.operator_add(actor=coordinator_a, site=kk, kind="company", role="owner", company_name="Yatai", source="Registry", reliability="A", credibility=1)  # fmt: skip
    return kk


def test_the_case_summary_prints_for_those_who_see_the_case(case, caseworker_a, login):
    page = login(caseworker_a).get(reverse("reports:case_print", args=[case.uid]))
    body = page.content.decode()
    assert page.status_code == 200 and NAME in body and "张伟" in body and case.reference in body
    assert "print.css" in body and "Personal data: keep this paper safe" in body
    event = AuditEvent.objects.get(action="reports.case.printed")
    assert event.payload == {"format": "html", "redacted": False}


def test_a_redacted_summary_has_no_personal_data(case, coordinator_a, login):
    body = (
        login(coordinator_a)
        .get(reverse("reports:case_print", args=[case.uid]) + "?redacted=1")
        .content.decode()
    )
    assert NAME not in body and "张伟" not in body and "My son says" not in body
    # The phone in any form (not "345" alone: the case's random uid in a link may hold it).
    assert "345 678" not in body and "345678" not in body
    assert case.reference in body and "Without personal data" in body


def test_others_get_404_or_403(case, coordinator_b, other_caseworker_a, analyst_a, login):
    url = reverse("reports:case_print", args=[case.uid])
    assert login(coordinator_b).get(url).status_code == 404
    assert login(other_caseworker_a).get(url).status_code == 404
    assert login(analyst_a).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="reports.case.printed").exists()


def test_the_pdf_is_a_pdf_and_romanises_what_no_font_draws(case, coordinator_a, login):
    response = login(coordinator_a).get(reverse("reports:case_print_pdf", args=[case.uid]))
    assert response["Content-Type"] == "application/pdf" and response.content[:5] == b"%PDF-"
    assert AuditEvent.objects.get(action="reports.case.printed").payload["format"] == "pdf"
    sheet = printing.Sheet(title="张伟 Nguyễn", subtitle="", sections=[], footer="")
    assert printing.render_pdf(sheet)[:5] == b"%PDF-"


def test_the_site_sheet_shows_person_operators_and_sources_only_to_those_who_see_persons(
    site, coordinator_a, analyst_a, admin_a, login
):
    full = login(coordinator_a).get(reverse("reports:site_print", args=[site.uid])).content.decode()
    assert "Boss Wang" in full and "cousin Ming" in full and "Yatai" in full
    analyst = login(analyst_a).get(reverse("reports:site_print", args=[site.uid])).content.decode()
    assert "Boss Wang" not in analyst and "cousin Ming" not in analyst and "Yatai" in analyst
    assert "1 person operators are not shown" in analyst
    assert login(admin_a).get(reverse("reports:site_print", args=[site.uid])).status_code == 403
    pdf = login(analyst_a).get(reverse("reports:site_print_pdf", args=[site.uid]))
    assert pdf.content[:5] == b"%PDF-"
    assert AuditEvent.objects.filter(action="reports.site.printed").count() == 3


def test_the_api_prints_pdfs(case, site, coordinator_a, coordinator_b):
    response = api_client(coordinator_a).get(f"/api/v1/cases/{case.uid}/print.pdf?redacted=true")
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    assert api_client(coordinator_b).get(f"/api/v1/cases/{case.uid}/print.pdf").json() == NOT_FOUND
    assert api_client(coordinator_b).get(f"/api/v1/sites/{site.uid}/print.pdf").status_code == 404
    assert AuditEvent.objects.get(action="reports.case.printed").payload == {
        "format": "pdf",
        "redacted": True,
    }
