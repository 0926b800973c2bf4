"""The full deduplication as a background task, with its progress."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.linkage import services
from lifeline.linkage.models import CandidatePair, DedupRun, RunStatus
from tests.api import NOT_FOUND, api_client, call
from tests.factories import make_person


@pytest.fixture
def reports(coordinator_a):
    make_person(coordinator_a, "张伟", phone="+66 81 234 5678")
    make_person(coordinator_a, "Wei Zhang", phone="+66 81 234 5678")


def test_the_button_runs_the_search_and_shows_what_it_found(login, coordinator_a, reports):
    client = login(coordinator_a)
    response = client.post(reverse("linkage:run_start"), follow=True)
    page = response.content.decode()
    assert "The search for duplicates has started." in page
    assert "2 persons, 1 pairs compared, 1 new pairs to review." in page
    run = DedupRun.objects.get()
    assert run.status == RunStatus.DONE and run.percent == 100 and run.finished_at
    assert CandidatePair.objects.count() == 1
    assert AuditEvent.objects.filter(action="linkage.run.started", object_id=str(run.pk)).exists()


def test_it_refuses_a_second_run_while_one_is_running(login, coordinator_a, reports):
    running = services.run_start(actor=coordinator_a)
    with pytest.raises(ValidationError, match="already running"):
        services.run_start(actor=coordinator_a)
    page = login(coordinator_a).post(reverse("linkage:run_start"), follow=True).content.decode()
    assert "already running" in page and "<progress" in page
    assert DedupRun.objects.get() == running


def test_a_failed_run_is_recorded(coordinator_a, reports, monkeypatch):
    run = services.run_start(actor=coordinator_a)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "dedup_run", broken)
    with pytest.raises(RuntimeError):
        services.run_execute(run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.finished_at


def test_the_api_starts_a_run_and_reports_its_progress(coordinator_a, coordinator_b, reports):
    response = call(api_client(coordinator_a), "post", "/api/v1/duplicates/runs")
    body = response.json()
    assert response.status_code == 201 and body["status"] == "done", body
    assert body["result"]["proposed"] == 1 and body["percent"] == 100
    assert body["result"]["trained"] is False and body["result"]["model_version"] == 1
    url = f"/api/v1/duplicates/runs/{body['uid']}"
    assert call(api_client(coordinator_a), "get", url).json()["uid"] == body["uid"]
    outsider = call(api_client(coordinator_b), "get", url)
    assert outsider.status_code == 404 and outsider.json() == NOT_FOUND
