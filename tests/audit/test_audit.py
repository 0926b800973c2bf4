import pytest
from django.core.management import CommandError, call_command

from lifeline.audit.models import AuditEvent
from lifeline.audit.services import AuditPayloadError, audit_log
from lifeline.audit.verify import verify_chain


def _log(org, n=3):
    for i in range(n):
        audit_log(actor=None, organisation=org, action="tests.thing.done", payload={"i": i})


def test_it_chains_rows(org_a):
    _log(org_a)
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3] or rows[0].seq >= 1
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    assert verify_chain() == (len(rows), None)


def test_it_names_the_edited_row(org_a):
    _log(org_a, 5)
    target = AuditEvent.objects.order_by("seq")[2]
    AuditEvent.objects.filter(pk=target.pk).update(action="tests.thing.hidden")
    _checked, problem = verify_chain()
    assert problem.seq == target.seq and "edited" in problem.reason


def test_it_names_an_edited_payload(org_a):
    _log(org_a, 4)
    target = AuditEvent.objects.order_by("seq")[1]
    AuditEvent.objects.filter(pk=target.pk).update(payload={"i": 99})
    assert verify_chain()[1].seq == target.seq


def test_it_names_a_deleted_row(org_a):
    _log(org_a, 5)
    target = AuditEvent.objects.order_by("seq")[2]
    target.delete()
    problem = verify_chain()[1]
    assert problem.seq == target.seq and "missing" in problem.reason


def test_it_notices_the_last_rows_deleted(org_a):
    _log(org_a, 5)
    AuditEvent.objects.order_by("-seq").first().delete()
    assert "deleted" in verify_chain()[1].reason


def test_it_notices_reordered_rows(org_a):
    _log(org_a, 4)
    first, second = AuditEvent.objects.order_by("seq")[1:3]
    AuditEvent.objects.filter(pk=first.pk).update(seq=-1)
    AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
    AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    assert verify_chain()[1].seq == first.seq


def test_the_command_reports_ok_and_failure(org_a, capsys):
    _log(org_a, 2)
    call_command("audit", "verify")
    assert "Audit log OK" in capsys.readouterr().out
    AuditEvent.objects.filter(seq=1).update(object_id="42")
    with pytest.raises(CommandError, match="row 1"):
        call_command("audit", "verify")


def test_it_refuses_free_text_and_masks_secrets(org_a):
    with pytest.raises(AuditPayloadError):
        audit_log(
            actor=None,
            organisation=org_a,
            action="tests.thing.done",
            payload={"note": "My son is locked in building C in Sihanoukville and they beat him"},
        )
    event = audit_log(
        actor=None, organisation=org_a, action="tests.thing.done", payload={"api_token": "llt_x"}
    )
    assert event.payload == {"api_token": "***"}


def test_it_refuses_unnamespaced_actions(org_a):
    with pytest.raises(ValueError, match="namespaced"):
        audit_log(actor=None, organisation=org_a, action="viewed")
