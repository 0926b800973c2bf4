"""Personas in two organisations (STYLE.md rule 21).

Organisation A ("Mekong Rescue"): an org admin, a coordinator, a caseworker who is assigned the
case, a caseworker who is not, and an analyst. Organisation B: a coordinator, the outsider.
"""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from lifeline.accounts.roles import Role
from lifeline.core import crypto, keystore
from tests.factories import MembershipFactory, OrganisationFactory, make_case


@pytest.fixture(autouse=True)
def _unscoped_test_code(request):
    """Test code builds and inspects rows across organisations; requests made through the
    client still run inside the scope that the middleware activates."""
    if "scoped" in request.keywords:
        yield
        return
    with scopes_disabled():
        yield


@pytest.fixture
def org_a(db):
    return OrganisationFactory(
        name="Mekong Rescue", slug="mekong", default_phone_region="TH", case_prefix="MR"
    )


@pytest.fixture
def org_b(db):
    return OrganisationFactory(
        name="Other Network", slug="other", default_phone_region="KH", case_prefix="ON"
    )


@pytest.fixture
def admin_a(org_a):
    return MembershipFactory(organisation=org_a, role=Role.ORG_ADMIN, user__username="admin_a")


@pytest.fixture
def coordinator_a(org_a):
    return MembershipFactory(organisation=org_a, role=Role.COORDINATOR, user__username="coord_a")


@pytest.fixture
def caseworker_a(org_a):
    return MembershipFactory(organisation=org_a, role=Role.CASEWORKER, user__username="worker_a")


@pytest.fixture
def other_caseworker_a(org_a):
    return MembershipFactory(organisation=org_a, role=Role.CASEWORKER, user__username="worker_a2")


@pytest.fixture
def analyst_a(org_a):
    return MembershipFactory(organisation=org_a, role=Role.ANALYST, user__username="analyst_a")


@pytest.fixture
def coordinator_b(org_b):
    return MembershipFactory(organisation=org_b, role=Role.COORDINATOR, user__username="coord_b")


@pytest.fixture
def case_a(coordinator_a, caseworker_a):
    """A case of organisation A, assigned to caseworker_a."""
    return make_case(coordinator_a, assignee=caseworker_a)


def verify_second_factor(client: Client, user) -> None:
    """Give ``user`` a confirmed authenticator (if they have none) and mark the client's session
    verified by it, as ``django_otp.login`` does after a good code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def client_for(membership, **client_options) -> Client:
    # force_login: the login form, its brute-force lockout and the second step have their own
    # tests; here the session is as after a password and a good code.
    client = Client(**client_options)
    client.force_login(membership.user)
    verify_second_factor(client, membership.user)
    return client


def password_only_client(membership) -> Client:
    """A session after the password, before any second factor."""
    client = Client()
    client.force_login(membership.user)
    return client


@pytest.fixture
def login():
    return client_for


@pytest.fixture
def evidence_dir(settings, tmp_path):
    """A fresh evidence folder per test, so that blobs never leak between tests."""
    settings.LIFELINE_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.LIFELINE_EVIDENCE_DIR


@pytest.fixture
def key_file(tmp_path, settings):
    """A keyring file of this test's own, as in embedded mode."""
    path = tmp_path / "keys.json"
    keystore.write_keyring(path, crypto.Keyring.generate())
    settings.LIFELINE_KEYS_PATH = path
    crypto.reset_keyring()
    yield path
    settings.LIFELINE_KEYS_PATH = path  # restored by the settings fixture after this
    crypto.reset_keyring()
