"""The second step of the login, enrolment, recovery codes, resets and the organisation's
policy: pages, throttling and audit."""

import re
from base64 import b32decode
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lifeline.accounts.models import ApiToken, SecondFactorPolicy
from lifeline.audit.models import AuditEvent
from tests.conftest import password_only_client
from tests.factories import PASSWORD, make_totp_device, totp_code

CODE_RE = re.compile(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>")


def _enrol(client):
    """Go through enrolment as a member would; return (device, recovery codes)."""
    page = client.get(reverse("accounts:enrol")).content.decode()
    secret = "".join(re.search(r'class="secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).split())
    device = TOTPDevice.objects.get(confirmed=False)
    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    response = client.post(reverse("accounts:enrol"), {"code": totp_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    return device, CODE_RE.findall(response.content.decode())


def _actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def _skip_throttle(device):
    # Move the last failure into the past, as waiting would.
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )


# The gate ---------------------------------------------------------------------------------


def test_it_sends_a_required_member_without_a_device_to_enrolment(coordinator_a, case_a):
    client = password_only_client(coordinator_a)
    for url in (reverse("core:home"), reverse("cases:case_list"), reverse("accounts:tokens")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:enrol") + "?next=")
    api = client.get(f"/api/v1/cases/{case_a.uid}")
    assert api.status_code == 403 and "second factor" in api.json()["detail"]
    assert client.get(reverse("accounts:enrol")).status_code == 200


def test_it_sends_a_member_with_a_device_to_the_code_step(coordinator_a):
    make_totp_device(coordinator_a.user)
    client = password_only_client(coordinator_a)
    response = client.get(reverse("cases:case_list"))
    assert response["Location"] == reverse("accounts:verify") + "?next=/cases/"
    # Enrolling another device is not a way around the code.
    assert client.get(reverse("accounts:enrol"))["Location"] == reverse("accounts:security")
    assert client.get(reverse("accounts:security"))["Location"].startswith(
        reverse("accounts:verify")
    )


def test_it_lets_an_analyst_in_without_a_second_factor_by_default(analyst_a):
    client = password_only_client(analyst_a)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:security")).status_code == 200


def test_it_requires_everyone_when_the_organisation_says_so(analyst_a):
    analyst_a.organisation.second_factor_policy = SecondFactorPolicy.EVERYONE
    analyst_a.organisation.save()
    response = password_only_client(analyst_a).get(reverse("core:home"))
    assert response["Location"].startswith(reverse("accounts:enrol"))


def test_it_always_lets_an_unverified_session_log_out(coordinator_a):
    client = password_only_client(coordinator_a)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))


def test_it_leaves_bearer_tokens_alone(coordinator_a):
    from lifeline.accounts.services import api_token_create

    _token, raw = api_token_create(actor=coordinator_a, name="bot")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_it_does_not_let_a_bad_bearer_header_skip_the_gate(coordinator_a):
    client = password_only_client(coordinator_a)
    response = client.get(reverse("core:home"), HTTP_AUTHORIZATION="Bearer llt_x_y")
    assert response.status_code == 302 and "/security/enrol/" in response["Location"]


# Enrolment --------------------------------------------------------------------------------


def test_it_enrols_shows_ten_recovery_codes_once_and_verifies_the_session(coordinator_a):
    client = password_only_client(coordinator_a)
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert 'src="data:image/svg+xml' in page and "style=" not in page
    assert client.get(reverse("accounts:enrol")).content.decode().count("secret") >= 1
    assert TOTPDevice.objects.filter(confirmed=False).count() == 1  # reloading keeps one key

    device, codes = _enrol(client)
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & ({c.replace("-", "") for c in codes} | set(codes))
    assert client.get(reverse("core:home")).status_code == 200
    security = client.get(reverse("accounts:security")).content.decode()
    assert "10 recovery codes left" in security and codes[0] not in security
    assert "accounts.second_factor.enrolled" in _actions()


def test_it_refuses_a_wrong_enrolment_code(coordinator_a):
    client = password_only_client(coordinator_a)
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert response.status_code == 400 and "not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("core:home")).status_code == 302
    assert "accounts.second_factor.enrolment_failed" in _actions()


# The code step ----------------------------------------------------------------------------


def test_it_logs_in_with_password_then_code(client, coordinator_a):
    device = make_totp_device(coordinator_a.user)
    client.post(reverse("accounts:login"), {"username": "coord_a", "password": PASSWORD})
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:verify"))
    response = client.post(
        reverse("accounts:verify") + "?next=/cases/", {"code": totp_code(device), "next": "/cases/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get(reverse("cases:case_list")).status_code == 200
    event = AuditEvent.objects.get(action="accounts.second_factor.verified")
    assert event.actor == coordinator_a.user and event.payload == {
        "method": "totp",
        "throttled": False,
    }


def test_it_refuses_a_wrong_code_and_audits_it(coordinator_a):
    device = make_totp_device(coordinator_a.user)
    client = password_only_client(coordinator_a)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:verify"), {"code": wrong})
    assert response.status_code == 400 and "not right" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302
    event = AuditEvent.objects.get(action="accounts.second_factor.failed")
    assert wrong not in str(event.payload) and device.key not in str(event.payload)


def test_it_refuses_an_open_redirect_after_the_code(coordinator_a):
    device = make_totp_device(coordinator_a.user)
    client = password_only_client(coordinator_a)
    response = client.post(
        reverse("accounts:verify"), {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_it_throttles_repeated_wrong_codes_even_the_right_one(coordinator_a):
    device = make_totp_device(coordinator_a.user)
    client = password_only_client(coordinator_a)
    for _ in range(3):
        _skip_throttle(device)
        client.post(reverse("accounts:verify"), {"code": "999999"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 3
    # Within the wait, even the right code is refused, and the attempt does not count.
    response = client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert response.status_code == 400 and "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.second_factor.failed", payload__throttled=True
    ).exists()
    _skip_throttle(device)
    assert client.post(reverse("accounts:verify"), {"code": totp_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_it_accepts_a_recovery_code_once_only(coordinator_a):
    device, codes = _enrol(password_only_client(coordinator_a))
    first = password_only_client(coordinator_a)
    response = first.post(reverse("accounts:verify"), {"code": codes[3].upper()})
    assert response.status_code == 302
    assert first.get(reverse("core:home")).status_code == 200
    again = password_only_client(coordinator_a)
    refused = again.post(reverse("accounts:verify"), {"code": codes[3]})
    assert refused.status_code == 400
    assert StaticToken.objects.count() == 9
    assert AuditEvent.objects.filter(
        action="accounts.second_factor.verified", payload__method="recovery_code"
    ).exists()


def test_it_regenerates_recovery_codes_and_the_old_ones_stop_working(login, coordinator_a):
    old_device, old_codes = _enrol(password_only_client(coordinator_a))
    client = Client()
    client.force_login(coordinator_a.user)
    client.post(reverse("accounts:verify"), {"code": old_codes[0]})
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    new_codes = CODE_RE.findall(response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "not shown again" in response.content.decode()
    assert "accounts.second_factor.recovery_codes_replaced" in _actions()
    stale = password_only_client(coordinator_a)
    assert stale.post(reverse("accounts:verify"), {"code": old_codes[1]}).status_code == 400
    _skip_throttle(StaticDevice.objects.get())
    fresh = password_only_client(coordinator_a)
    assert fresh.post(reverse("accounts:verify"), {"code": new_codes[1]}).status_code == 302


def test_it_keeps_recovery_codes_from_an_unverified_session(analyst_a):
    make_totp_device(analyst_a.user)
    client = password_only_client(analyst_a)
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    assert response.status_code == 302 and reverse("accounts:verify") in response["Location"]
    assert not StaticToken.objects.exists()


# API tokens -------------------------------------------------------------------------------


def test_it_creates_tokens_only_from_a_verified_session(analyst_a, login):
    body = {"name": "bot", "scope": "read", "expires_in_days": 30}
    unverified = password_only_client(analyst_a)  # allowed in: the second factor is optional
    response = unverified.post(reverse("accounts:tokens"), body)
    assert response.status_code == 400 and not ApiToken.objects.exists()
    assert login(analyst_a).post(reverse("accounts:tokens"), body).status_code == 200
    assert ApiToken.objects.count() == 1


# Resets by the organisation's admin -------------------------------------------------------


def test_it_lets_an_admin_reset_a_members_second_factor(login, admin_a, caseworker_a):
    member_client = login(caseworker_a)
    assert member_client.get(reverse("core:home")).status_code == 200
    admin_client = login(admin_a)
    page = admin_client.get(reverse("accounts:members")).content.decode()
    assert reverse("accounts:member_second_factor_reset", args=[caseworker_a.pk]) in page
    response = admin_client.post(
        reverse("accounts:member_second_factor_reset", args=[caseworker_a.pk])
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=caseworker_a.user).exists()
    # The member's open session stops being verified at once, and they must enrol again.
    assert member_client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:enrol"))
    event = AuditEvent.objects.get(action="accounts.second_factor.reset")
    assert event.actor == admin_a.user and event.organisation == admin_a.organisation
    assert event.object_id == str(caseworker_a.pk)


def test_it_hides_other_organisations_members_from_a_reset(login, caseworker_a, coordinator_b):
    from lifeline.accounts.roles import Role
    from tests.factories import MembershipFactory

    admin_b = MembershipFactory(organisation=coordinator_b.organisation, role=Role.ORG_ADMIN)
    login(caseworker_a)
    response = login(admin_b).post(
        reverse("accounts:member_second_factor_reset", args=[caseworker_a.pk])
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=caseworker_a.user).exists()


def test_it_refuses_resets_by_members_who_do_not_manage_members(
    login, analyst_a, caseworker_a, other_caseworker_a, coordinator_a
):
    login(other_caseworker_a)
    url = reverse("accounts:member_second_factor_reset", args=[other_caseworker_a.pk])
    for member in (analyst_a, caseworker_a, coordinator_a):
        assert login(member).post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=other_caseworker_a.user).exists()


def test_it_resets_only_by_post(login, admin_a, caseworker_a):
    url = reverse("accounts:member_second_factor_reset", args=[caseworker_a.pk])
    assert login(admin_a).get(url).status_code == 405


# The organisation's policy ----------------------------------------------------------------


def test_it_lets_the_admin_change_the_policy_and_audits_it(login, admin_a):
    client = login(admin_a)
    page = client.get(reverse("accounts:organisation_settings"))
    assert page.status_code == 200 and "personal_data" in page.content.decode()
    response = client.post(
        reverse("accounts:organisation_settings"), {"second_factor_policy": "everyone"}
    )
    assert response.status_code == 302
    admin_a.organisation.refresh_from_db()
    assert admin_a.organisation.second_factor_policy == SecondFactorPolicy.EVERYONE
    event = AuditEvent.objects.get(action="accounts.organisation.second_factor_policy_changed")
    assert event.payload == {"old": "personal_data", "new": "everyone"}


def test_it_refuses_an_unknown_policy(login, admin_a):
    response = login(admin_a).post(
        reverse("accounts:organisation_settings"), {"second_factor_policy": "never"}
    )
    assert response.status_code == 400
    admin_a.organisation.refresh_from_db()
    assert admin_a.organisation.second_factor_policy == SecondFactorPolicy.PERSONAL_DATA


def test_it_keeps_the_settings_from_other_roles(login, coordinator_a, analyst_a, caseworker_a):
    for member in (coordinator_a, analyst_a, caseworker_a):
        client = login(member)
        assert client.get(reverse("accounts:organisation_settings")).status_code == 403
        response = client.post(
            reverse("accounts:organisation_settings"), {"second_factor_policy": "optional"}
        )
        assert response.status_code == 403
    coordinator_a.organisation.refresh_from_db()
    assert coordinator_a.organisation.second_factor_policy == SecondFactorPolicy.PERSONAL_DATA


def test_it_changes_only_the_admins_own_organisation(login, admin_a, coordinator_b):
    login(admin_a).post(
        reverse("accounts:organisation_settings"), {"second_factor_policy": "optional"}
    )
    coordinator_b.organisation.refresh_from_db()
    assert coordinator_b.organisation.second_factor_policy == SecondFactorPolicy.PERSONAL_DATA


def test_it_lets_the_operator_reset_a_second_factor_from_the_command_line(login, admin_a):
    from io import StringIO

    from django.core.management import call_command

    client = login(admin_a)
    out = StringIO()
    call_command("resetsecondfactor", "ADMIN_A", stdout=out)
    assert "admin_a" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=admin_a.user).exists()
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:enrol"))
    event = AuditEvent.objects.get(action="accounts.second_factor.reset_by_operator")
    assert event.object_id == str(admin_a.user.pk) and event.actor is None
