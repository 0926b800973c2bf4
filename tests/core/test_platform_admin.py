"""The platform admin (/platform-admin/) needs platform staff who verified a second factor."""

import pytest
from django.test import Client

from tests.conftest import verify_second_factor
from tests.factories import PASSWORD, UserFactory, make_totp_device, totp_code


@pytest.fixture
def staff(db):
    return UserFactory(username="ops", is_staff=True, is_superuser=True)


def test_it_asks_the_admin_login_for_a_code(staff):
    device = make_totp_device(staff)
    client = Client()
    without = client.post(
        "/platform-admin/login/", {"username": "ops", "password": PASSWORD, "next": "/"}
    )
    assert without.status_code == 200 and client.get("/platform-admin/").status_code == 302
    wrong = client.post(
        "/platform-admin/login/",
        {
            "username": "ops",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": "1",
        },
    )
    assert wrong.status_code == 200
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(
        "/platform-admin/login/",
        {
            "username": "ops",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": totp_code(device),
        },
    )
    assert right.status_code == 302
    assert client.get("/platform-admin/").status_code == 200


def test_it_sends_a_password_only_staff_session_to_the_code_step(staff):
    make_totp_device(staff)
    client = Client()
    client.force_login(staff)
    response = client.get("/platform-admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")


def test_it_makes_staff_without_a_device_enrol(staff):
    client = Client()
    client.force_login(staff)
    response = client.get("/platform-admin/")
    assert response["Location"].startswith("/accounts/security/enrol/")


def test_it_lets_verified_staff_in_and_hides_totp_secrets(staff):
    client = Client()
    client.force_login(staff)
    verify_second_factor(client, staff)
    index = client.get("/platform-admin/")
    assert index.status_code == 200
    assert b"otp_totp" not in index.content and b"otp_static" not in index.content
    assert client.get("/platform-admin/otp_totp/totpdevice/").status_code == 404


def test_it_keeps_verified_non_staff_out(login, coordinator_a):
    response = login(coordinator_a).get("/platform-admin/")
    assert response.status_code == 302 and "/platform-admin/login/" in response["Location"]
