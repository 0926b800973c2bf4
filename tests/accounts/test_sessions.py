import time

from django.test import Client
from django.urls import reverse

from lifeline.accounts.middleware import SESSION_STARTED_KEY
from tests.factories import PASSWORD


def _attempt(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_it_locks_an_account_after_repeated_failures_from_any_address(coordinator_a, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _attempt(Client(), "coord_a", "wrong", address=f"198.51.100.{i}")
    locked = _attempt(Client(), "coord_a", PASSWORD, address="192.0.2.99")
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()


def test_it_locks_an_address_after_failures_for_any_user_names(coordinator_a, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _attempt(Client(), f"guess{i}", "wrong")
    locked = _attempt(Client(), "coord_a", PASSWORD)
    assert locked.status_code == 429
    elsewhere = _attempt(Client(), "coord_a", PASSWORD, address="192.0.2.10")
    assert elsewhere.status_code == 302


def test_it_forgives_a_few_failures_followed_by_success(coordinator_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(Client(), "coord_a", "wrong")
    assert _attempt(Client(), "coord_a", PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(Client(), "coord_a", "wrong")
    assert _attempt(Client(), "coord_a", PASSWORD).status_code == 302


def test_it_renews_the_idle_timeout_on_every_request(login, coordinator_a, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE == 30 * 60
    client = login(coordinator_a)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200 and "sessionid" in response.cookies


def test_it_ends_a_session_at_its_absolute_limit(login, coordinator_a, settings):
    client = login(coordinator_a)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.LIFELINE_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("core:home")).status_code == 302  # logged out, not just redirected


def test_an_authorization_header_does_not_lift_the_absolute_limit(login, coordinator_a, settings):
    client = login(coordinator_a)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.LIFELINE_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("core:home"), HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_takes_the_address_its_own_proxy_saw(rf, settings):
    from lifeline.accounts.addresses import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.LIFELINE_BEHIND_PROXY = False
    assert client_address(request) == "10.0.0.2"
    settings.LIFELINE_BEHIND_PROXY = True
    assert client_address(request) == "203.0.113.9"  # not the forged first entry
