import re

from django.test import Client
from django.urls import reverse

from lifeline.accounts.models import ApiToken, Membership
from lifeline.accounts.roles import Role
from lifeline.accounts.services import user_add_to_organisation
from tests.factories import PASSWORD, MembershipFactory, make_totp_device, totp_code


def test_it_logs_in_and_out(client, coordinator_a):
    device = make_totp_device(coordinator_a.user)
    response = client.post(reverse("accounts:login"), {"username": "coord_a", "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("accounts:verify"), {"code": totp_code(device)})
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_it_refuses_a_wrong_password(client, coordinator_a):
    response = client.post(reverse("accounts:login"), {"username": "coord_a", "password": "nope"})
    assert (
        response.status_code == 200 and "correct username and password" in response.content.decode()
    )


def test_it_asks_which_organisation_when_a_user_has_two(login, coordinator_a, org_b):
    Membership.objects.create(user=coordinator_a.user, organisation=org_b, role=Role.ANALYST)
    client = login(coordinator_a)
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:choose_organisation")
    client.post(reverse("accounts:choose_organisation"), {"organisation": org_b.pk})
    response = client.get(reverse("core:home"))
    assert response.status_code == 200 and response.context["membership"].organisation == org_b


def test_it_refuses_to_choose_an_organisation_the_user_is_not_in(login, coordinator_a, org_b):
    response = login(coordinator_a).post(
        reverse("accounts:choose_organisation"), {"organisation": org_b.pk}
    )
    assert response.status_code == 404


def test_it_lets_an_admin_add_a_member_who_sets_a_password_by_invitation(login, admin_a):
    response = login(admin_a).post(
        reverse("accounts:members"),
        {"username": "newbie", "role": "caseworker", "display_name": "New Bie"},
    )
    assert response.status_code == 200
    link = re.search(
        r'value="(http://testserver/accounts/invitation/[^"]+)"', response.content.decode()
    ).group(1)
    invited = Client()
    form = invited.get(link, follow=True)
    assert form.status_code == 200
    done = invited.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert done.status_code == 302
    logged_in = Client().post(
        reverse("accounts:login"), {"username": "newbie", "password": "a new long passphrase"}
    )
    assert logged_in.status_code == 302


def test_it_keeps_members_from_non_admins(login, coordinator_a):
    assert login(coordinator_a).get(reverse("accounts:members")).status_code == 403


def test_it_changes_a_role_and_refuses_members_of_other_organisations(
    login, admin_a, caseworker_a, coordinator_b
):
    client = login(admin_a)
    client.post(
        reverse("accounts:member_change", args=[caseworker_a.pk]),
        {"role": "coordinator", "is_active": "on"},
    )
    caseworker_a.refresh_from_db()
    assert caseworker_a.role == "coordinator"
    assert (
        client.post(
            reverse("accounts:member_change", args=[coordinator_b.pk]), {"role": "analyst"}
        ).status_code
        == 404
    )


def test_it_keeps_an_admin_from_demoting_themself(login, admin_a):
    login(admin_a).post(
        reverse("accounts:member_change", args=[admin_a.pk]), {"role": "analyst", "is_active": "on"}
    )
    admin_a.refresh_from_db()
    assert admin_a.role == "org_admin"


def test_it_creates_and_revokes_api_tokens(login, coordinator_a, coordinator_b):
    client = login(coordinator_a)
    response = client.post(
        reverse("accounts:tokens"),
        {"name": "Telegram bot", "scope": "write", "expires_in_days": 30},
    )
    raw = re.search(r'value="(llt_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.scope == "write" and 29 <= (token.expires_at - token.created_at).days <= 30
    assert token.secret_hash != raw and raw not in str(ApiToken.objects.values())
    other = MembershipFactory(organisation=coordinator_b.organisation)
    assert login(other).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_audits_a_login(client, coordinator_a):
    from lifeline.audit.models import AuditEvent

    client.post(reverse("accounts:login"), {"username": "coord_a", "password": PASSWORD})
    event = AuditEvent.objects.filter(action="accounts.session.started").get()
    assert event.actor == coordinator_a.user and event.session_ref.startswith("s:")


def test_it_gives_no_invitation_link_for_a_member_who_has_a_password(login, admin_a, coordinator_a):
    # The link sets the password: for an existing account it would hand the admin that account.
    response = login(admin_a).post(reverse("accounts:member_invite", args=[coordinator_a.pk]))
    assert response.status_code == 403
    assert b"/accounts/invitation/" not in response.content


def test_it_gives_no_invitation_link_for_a_user_of_another_organisation(
    login, admin_a, coordinator_b
):
    pending = user_add_to_organisation(
        organisation=coordinator_b.organisation, username="pending_b", role="caseworker"
    )
    client = login(admin_a)
    added = client.post(reverse("accounts:members"), {"username": "pending_b", "role": "analyst"})
    assert added.status_code == 200
    assert b"/accounts/invitation/" not in added.content
    member = Membership.objects.get(user=pending.user, organisation=admin_a.organisation)
    response = client.post(reverse("accounts:member_invite", args=[member.pk]))
    assert response.status_code == 403
    assert b"/accounts/invitation/" not in response.content


def test_it_gives_a_new_invitation_link_to_a_member_who_never_set_a_password(login, admin_a):
    member = user_add_to_organisation(
        organisation=admin_a.organisation, username="newbie", role="caseworker"
    )
    response = login(admin_a).post(reverse("accounts:member_invite", args=[member.pk]))
    assert response.status_code == 200
    assert b"/accounts/invitation/" in response.content


def test_it_offers_an_invitation_link_only_where_one_is_given(login, admin_a, coordinator_b):
    fresh = user_add_to_organisation(
        organisation=admin_a.organisation, username="fresh", role="caseworker"
    )
    pending_b = user_add_to_organisation(
        organisation=coordinator_b.organisation, username="pending_b", role="caseworker"
    )
    shared = user_add_to_organisation(
        organisation=admin_a.organisation, username="pending_b", role="analyst"
    )
    page = login(admin_a).get(reverse("accounts:members")).content.decode()
    assert reverse("accounts:member_invite", args=[fresh.pk]) in page
    assert reverse("accounts:member_invite", args=[shared.pk]) not in page
    assert reverse("accounts:member_invite", args=[admin_a.pk]) not in page
    assert pending_b.user == shared.user
