"""Helpers for the API tests: token clients, JSON calls, and checks on the audit log."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lifeline.accounts.services import api_token_create
from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case, CaseAssignment, Request, TimelineEvent
from lifeline.people.models import Person

NOT_FOUND = {"detail": "Not found."}
JSON = "application/json"


def api_client(membership) -> Client:
    """A client that authenticates with a fresh API token of ``membership``."""
    _token, raw = api_token_create(actor=membership, name="t", scope="write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def call(client: Client, method: str, url: str, body=None, **extra):
    if body is None:
        return getattr(client, method)(url, **extra)
    return getattr(client, method)(url, body, content_type=JSON, **extra)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def assert_audit_free_of(*values: str) -> None:
    """No audit payload contains any of ``values`` (compared without case)."""
    payloads = list(AuditEvent.objects.values_list("payload", flat=True))
    dumped = json.dumps(payloads, ensure_ascii=False).casefold()
    for value in values:
        assert value.casefold() not in dumped, f"{value!r} leaked into the audit log"


def snapshot() -> tuple:
    """Everything an API write could change: compared before and after a refused call."""
    return (
        AuditEvent.objects.count(),
        list(
            Case.objects.order_by("pk").values_list(
                "pk", "version", "status", "urgency", "summary", "organisation_id"
            )
        ),
        list(Request.objects.order_by("pk").values_list("pk", "status", "organisation_id")),
        TimelineEvent.objects.count(),
        list(CaseAssignment.objects.order_by("pk").values_list("case_id", "user_id")),
        Person.objects.count(),
    )


def query_count(client: Client, url: str) -> int:
    client.get(
        "/api/v1/me"
    )  # the token's first use records its last-used time: not part of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)
