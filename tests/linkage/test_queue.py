"""The review queue: the full run fills it, members decide, decisions stick."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.linkage import services
from lifeline.linkage.models import CandidatePair, PairStatus
from tests.api import api_client, assert_audit_free_of, call
from tests.factories import make_person, make_request


@pytest.fixture
def reports(coordinator_a):
    """One victim reported three times, and someone else."""
    return {
        "mother": make_person(coordinator_a, "张伟", phone="+86 138 0013 8000"),
        "friend": make_person(coordinator_a, "Zhang Wei", phone="+66 81 234 5678"),
        "self": make_person(coordinator_a, "Wei Zhang", phone="+66 81 234 5678"),
        "other": make_person(coordinator_a, "Lin Mei", phone="+855 12 999 888"),
    }


def pairs():
    return {
        frozenset((p.person_a_id, p.person_b_id)): p for p in CandidatePair.objects.order_by("pk")
    }


def test_it_fills_the_queue_with_the_reports_of_one_person(coordinator_a, reports):
    call_command("linkage", "run", "--organisation", "mekong")
    found = pairs()
    ids = {k: p.pk for k, p in reports.items()}
    assert set(found) == {
        frozenset((ids["mother"], ids["friend"])),
        frozenset((ids["mother"], ids["self"])),
        frozenset((ids["friend"], ids["self"])),
    }
    assert found[frozenset((ids["friend"], ids["self"]))].probability > 0.99
    event = AuditEvent.objects.get(action="linkage.run.completed")
    assert event.payload["persons"] == 4 and event.payload["proposed"] == 3
    assert_audit_free_of("张伟", "Zhang", "8613800138000")


def test_it_never_proposes_a_pair_decided_different_again(coordinator_a, reports):
    call_command("linkage", "run")
    services.pair_decide(
        actor=coordinator_a, person=reports["self"], other=reports["mother"], decision="different"
    )
    call_command("linkage", "run")
    decided = pairs()[frozenset((reports["mother"].pk, reports["self"].pk))]
    assert decided.status == PairStatus.DIFFERENT
    assert (
        AuditEvent.objects.filter(action="linkage.run.completed").last().payload["kept_decided"]
        == 1
    )
    assert CandidatePair.objects.count() == 3


def test_it_refuses_a_person_with_themselves_and_across_organisations(
    coordinator_a, coordinator_b, reports
):
    with pytest.raises(ValidationError, match="themselves"):
        services.pair_decide(
            actor=coordinator_a, person=reports["self"], other=reports["self"], decision="same"
        )
    theirs = make_person(coordinator_b, "Zhang Wei")
    with pytest.raises(ValidationError, match="different organisations"):
        services.pair_decide(
            actor=coordinator_a, person=reports["self"], other=theirs, decision="different"
        )
    with pytest.raises(ValidationError, match="same, different or not sure"):
        services.pair_decide(
            actor=coordinator_a, person=reports["self"], other=reports["friend"], decision="maybe"
        )
    assert not CandidatePair.objects.exists()
    assert not AuditEvent.objects.filter(action="linkage.pair.decided").exists()


def test_it_lists_and_decides_in_the_ui(login, coordinator_a, reports):
    call_command("linkage", "run")
    client = login(coordinator_a)
    page = client.get(reverse("linkage:queue")).content.decode()
    assert page.count("Compare") == 3 and "张伟" in page and "Lin Mei" not in page
    a, b = reports["friend"], reports["self"]
    response = client.post(
        reverse("linkage:pair_decide", args=[a.uid, b.uid]), {"decision": "different"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("linkage:queue")
    assert client.get(reverse("linkage:queue")).content.decode().count("Compare") == 2
    done = client.get(reverse("linkage:queue") + "?status=different").content.decode()
    assert done.count("Compare") == 1
    event = AuditEvent.objects.get(action="linkage.pair.decided")
    assert event.payload == {
        "decision": "different",
        "previous": "open",
        "person_ids": sorted([a.pk, b.pk]),
    }


def test_it_refuses_a_bad_decision_in_the_ui_and_changes_nothing(login, coordinator_a, reports):
    a, b = reports["friend"], reports["self"]
    response = login(coordinator_a).post(
        reverse("linkage:pair_decide", args=[a.uid, b.uid]), {"decision": "maybe"}
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not CandidatePair.objects.exists()


def test_it_shows_another_organisation_only_its_own_queue(login, coordinator_b, reports):
    call_command("linkage", "run")
    page = login(coordinator_b).get(reverse("linkage:queue")).content.decode()
    assert "No pairs here." in page and "张伟" not in page
    a, b = reports["friend"], reports["self"]
    url = reverse("linkage:pair_decide", args=[a.uid, b.uid])
    assert login(coordinator_b).post(url, {"decision": "same"}).status_code == 404


def test_it_lists_and_decides_in_the_api(coordinator_a, coordinator_b, reports):
    call_command("linkage", "run")
    client = api_client(coordinator_a)
    body = call(client, "get", "/api/v1/duplicates").json()
    assert body["count"] == 3 and body["items"][0]["probability"] > 0.99
    first = body["items"][0]
    url = f"/api/v1/persons/{first['person_uid']}/comparison/{first['other_uid']}/decision"
    response = call(client, "post", url, {"decision": "unsure"})
    assert response.status_code == 200 and response.json()["status"] == "unsure"
    assert call(client, "get", "/api/v1/duplicates?status=unsure").json()["count"] == 1
    assert call(client, "post", url, {"decision": "maybe"}).status_code == 422
    assert call(api_client(coordinator_b), "post", url, {"decision": "same"}).status_code == 404
    assert call(api_client(coordinator_b), "get", "/api/v1/duplicates").json()["count"] == 0


def test_it_scores_the_persons_a_new_request_may_be_about(login, coordinator_a, reports):
    req = make_request(coordinator_a, subject_name="Zhang Wei", subject_contact="081 234 5678")
    response = login(coordinator_a).get(req.get_absolute_url())
    suggestions = response.context["suggestions"]
    assert [s.person for s in suggestions][:2] == [reports["self"], reports["friend"]]
    assert suggestions[0].probability > 0.99 > suggestions[-1].probability
    assert "% match" in response.content.decode()


def test_erasing_a_person_deletes_their_pairs_and_scrubs_the_decisions(coordinator_a, reports):
    from lifeline.audit.verify import verify_chain
    from lifeline.privacy.services import person_erase

    call_command("linkage", "run")
    services.pair_decide(
        actor=coordinator_a, person=reports["self"], other=reports["friend"], decision="unsure"
    )
    result = person_erase(
        actor=coordinator_a, person=reports["self"], reason="survivor_wish", confirmation="ERASE"
    )
    assert result.counts["duplicate_pairs"] == 2
    assert CandidatePair.objects.count() == 1  # mother and friend
    decided = AuditEvent.objects.get(action="linkage.pair.decided")
    assert "decision" not in decided.payload
    assert verify_chain()[1] is None
