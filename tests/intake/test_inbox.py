"""The durable inbox: a public submission is acknowledged once its entry is committed, and the
drainer makes it into a request exactly once (lifeline.intake.inbox)."""

import secrets
import threading

import pytest
from django.core.management import call_command

from lifeline.audit.models import AuditEvent
from lifeline.cases import services as case_services
from lifeline.cases.models import Request, TimelineEvent
from lifeline.intake import codes, inbox, services
from lifeline.intake.models import CheckIn, InboxEntry, Receipt
from tests.intake.conftest import receipt_code, sos_data

SOS = services.Sos(
    relation="family",
    names="Nguyễn Văn An",
    contact_kind="phone",
    contact="+66 81 234 5678",
    signs=["locked_in"],
    text="He is held in building B.",
    duress="mango",
)


@pytest.fixture
def background(monkeypatch):
    """Background mode as under `lifeline serve`, with a committer thread of this test's own;
    no drainer runs: the tests drain themselves."""
    monkeypatch.setattr(inbox, "_background", True)
    monkeypatch.setattr(inbox, "_committer", inbox.GroupCommitter())


def submit(org, nonce=None, sos=SOS):
    return services.sos_submit(
        organisation=org, nonce=nonce or secrets.token_urlsafe(18), sos=sos, page_language="en"
    )


@pytest.mark.django_db(transaction=True)
def test_it_acknowledges_concurrent_submissions_together_and_drains_each_once(org_a, background):
    codes_seen, errors = [], []

    def send() -> None:
        try:
            codes_seen.append(submit(org_a).code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Acknowledged: committed to the inbox, not yet a request.
    assert InboxEntry.objects.filter(drained_at__isnull=True).count() == 12
    assert Request.objects.count() == 0

    assert inbox.drain() == inbox.DrainResult(drained=12, failed=0)
    assert Request.objects.count() == Receipt.objects.count() == 12
    assert AuditEvent.objects.filter(action="cases.request.received").count() == 12
    digests = {codes.code_digest(code) for code in codes_seen}
    assert set(Receipt.objects.values_list("code_digest", flat=True)) == digests
    assert inbox.drain() == inbox.DrainResult()  # nothing twice
    assert Request.objects.count() == 12
    # Tombstones: no payload left, each linked to its request.
    assert set(InboxEntry.objects.values_list("payload", flat=True)) == {""}
    assert InboxEntry.objects.filter(request__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_request_time_of_the_acknowledgement(org_a, background):
    submit(org_a)
    entry = InboxEntry.objects.get()
    inbox.drain()
    assert Request.objects.get().received_at == entry.received_at


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_request_of_a_form_sent_twice(org_a, background):
    nonce = secrets.token_urlsafe(18)
    first, second = submit(org_a, nonce), submit(org_a, nonce)
    assert first.created and not second.created
    assert first.code == second.code
    inbox.drain()
    third = submit(org_a, nonce)  # after the drain: the tombstone remembers it
    assert not third.created and third.code == first.code
    inbox.drain()
    assert Request.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_replayed_signature(org_a, background):
    def bot(key: str) -> inbox.Submission:
        return inbox.Submission(
            organisation_id=org_a.pk,
            kind="bot",
            key=key,
            code_digest="c" * 32,
            payload={},
            signature_digest="s" * 64,
        )

    assert inbox.accept(bot("k" * 32))
    with pytest.raises(inbox.Replayed):
        inbox.accept(bot("j" * 32))
    assert InboxEntry.objects.count() == 1


@pytest.mark.django_db
def test_it_makes_no_second_request_when_the_receipt_exists(org_a, monkeypatch):
    submit(org_a)  # inline: made at once
    entry = InboxEntry.objects.get()
    # As if a crash had left the entry pending after its request was committed.
    InboxEntry.objects.filter(pk=entry.pk).update(drained_at=None, request=None)
    assert inbox.drain() == inbox.DrainResult(drained=1)
    assert Request.objects.count() == 1
    assert InboxEntry.objects.get().request == Request.objects.get()


@pytest.mark.django_db
def test_it_keeps_an_entry_that_cannot_be_made_and_holds_it_after_several_tries(org_a, monkeypatch):
    def broken(entry, payload):
        raise RuntimeError("the evidence folder is not writable")

    monkeypatch.setitem(inbox.HANDLERS, "sos", broken)
    submit(org_a)
    entry = InboxEntry.objects.get()
    assert entry.drained_at is None and entry.attempts == 1 and entry.failure == "RuntimeError"
    for _ in range(inbox.MAX_ATTEMPTS):
        inbox.drain()
    assert inbox.status() == {"pending": 0, "held": 1, "drained": 0}
    assert InboxEntry.objects.get().payload  # never dropped
    monkeypatch.undo()
    assert inbox.drain() == inbox.DrainResult()  # held: left for the operator
    assert inbox.drain(retry_held=True) == inbox.DrainResult(drained=1)
    assert Request.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_bad_input_before_anything_is_committed(org_a):
    with pytest.raises(services.ValidationError):
        submit(org_a, sos=services.Sos(relation="family", contact_kind="phone", contact="12"))
    assert InboxEntry.objects.count() == 0


@pytest.mark.django_db
def test_it_forgets_old_form_tombstones_but_not_a_bridges(org_a, settings):
    from django.utils import timezone

    submit(org_a)
    InboxEntry.objects.create(
        organisation=org_a,
        kind="bot",
        key="b" * 32,
        code_digest="c" * 32,
        drained_at=timezone.now(),
    )
    assert inbox.prune() == 0
    InboxEntry.objects.update(drained_at=timezone.now() - timezone.timedelta(days=2))
    assert inbox.prune() == 1
    assert list(InboxEntry.objects.values_list("kind", flat=True)) == ["bot"]


@pytest.mark.django_db(transaction=True)
def test_a_check_in_reaches_a_request_still_in_the_inbox(org_a, background, public):
    code = receipt_code(public.post("/help/", sos_data(public, duress="mango")))
    assert Request.objects.count() == 0  # acknowledged, not yet drained
    response = public.post("/check/", {"code": code, "status": "in_danger", "message": "mango"})
    assert response.status_code == 200
    checkin = CheckIn.objects.get()
    assert checkin.request == Request.objects.get() and checkin.under_duress
    assert inbox.status()["pending"] == 0


@pytest.mark.django_db
def test_it_answers_not_sent_when_the_inbox_cannot_commit(public, monkeypatch):
    def unavailable(submission):
        raise inbox.InboxUnavailable("OperationalError")

    monkeypatch.setattr(inbox, "accept", unavailable)
    response = public.post("/help/?lang=th", sos_data(public))
    assert response.status_code == 503
    assert "ข้อความของคุณยังไม่ได้ส่ง" in response.content.decode()
    assert 'class="code"' not in response.content.decode()
    assert InboxEntry.objects.count() == Request.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_command_drains_and_counts(org_a, background, capsys):
    submit(org_a)
    submit(org_a)
    call_command("intake", "status")
    assert "2 waiting, 0 held" in capsys.readouterr().out
    call_command("intake", "drain")
    assert "2 requests made, 0 failed; 0 waiting, 0 held" in capsys.readouterr().out
    assert Request.objects.count() == 2


@pytest.mark.django_db
def test_check_ins_before_the_case_are_copied_onto_its_timeline(public, coordinator_a):
    code = receipt_code(public.post("/help/", sos_data(public, duress="mango")))
    public.post("/check/", {"code": code, "status": "still_there", "message": "still here"})
    public.post("/check/", {"code": code, "status": "in_danger", "message": "mango help"})
    case = case_services.request_open_case(actor=coordinator_a, req=Request.objects.get())
    public.post("/check/", {"code": code, "status": "moved", "message": "moved"})
    events = TimelineEvent.objects.filter(case=case, kind="checkin").order_by("occurred_at", "pk")
    assert [(e.data["status"], e.data["duress"], e.body) for e in events] == [
        ("still_there", False, "still here"),
        ("in_danger", True, "mango help"),
        ("moved", False, "moved"),
    ]
    checkins = CheckIn.objects.order_by("received_at", "pk")
    assert [e.occurred_at for e in events] == [c.received_at for c in checkins]


@pytest.mark.django_db
def test_check_ins_come_along_when_the_request_joins_a_case(public, coordinator_a, case_a):
    code = receipt_code(public.post("/help/", sos_data(public)))
    public.post("/check/", {"code": code, "status": "safe", "message": "at the border"})
    case_services.request_attach_to_case(
        actor=coordinator_a, req=Request.objects.get(receipt__isnull=False), case=case_a
    )
    event = TimelineEvent.objects.get(case=case_a, kind="checkin")
    assert event.body == "at the border" and event.data["status"] == "safe"


@pytest.mark.django_db(transaction=True)
def test_the_drainer_thread_makes_the_requests_behind_the_acknowledgements(org_a, background):
    import time

    from django.db import OperationalError

    def made() -> int:
        try:
            return Request.objects.count()
        except OperationalError:  # the in-memory test database locks whole tables
            return 0

    thread, stop = inbox.start_drainer()
    try:
        for _ in range(5):
            # The in-memory test database answers "table locked" at once where a file database
            # waits: the sender is told to send again (not acknowledged), and does.
            for _attempt in range(200):
                try:
                    submit(org_a)
                    break
                except inbox.InboxUnavailable:
                    time.sleep(0.05)
            else:
                raise AssertionError("the inbox never took the submission")
        deadline = time.monotonic() + 30
        while made() < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert Request.objects.count() == 5
    assert inbox.status()["pending"] == 0
