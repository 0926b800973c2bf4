"""Every kind of response carries the security headers: pages, API JSON, errors, static files,
redirects; HSTS only over HTTPS."""

import pytest
from django.test import Client
from django.urls import reverse

from lifeline.core.middleware import PERMISSIONS_POLICY

ALWAYS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def _assert_headers(response):
    for name, value in ALWAYS.items():
        assert response.get(name) == value, (name, response.get(name))
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.fixture
def responses(login, coordinator_a, case_a):
    client = login(coordinator_a)
    anonymous = Client()
    return {
        "page": client.get(reverse("core:home")),
        "api": client.get(f"/api/v1/cases/{case_a.uid}"),
        "api error": anonymous.get("/api/v1/me"),
        "not found": client.get("/no-such-page/"),
        "static": anonymous.get("/static/lifeline/app.css"),
        "redirect": anonymous.get(reverse("cases:case_list")),
        "login": anonymous.get(reverse("accounts:login")),
        "health": anonymous.get("/healthz"),
    }


def test_it_sets_them_on_every_kind_of_response(responses):
    expected = {"page": 200, "api": 200, "api error": 401, "not found": 404, "static": 200}
    expected |= {"redirect": 302, "login": 200, "health": 200}
    for kind, response in responses.items():
        assert response.status_code == expected[kind], kind
        _assert_headers(response)
    assert responses["api"]["Content-Type"].startswith("application/json")


def test_it_denies_powerful_browser_features():
    for feature in ("geolocation", "camera", "microphone", "payment", "usb", "serial"):
        assert f"{feature}=()" in PERMISSIONS_POLICY


def test_it_sends_hsts_over_https_only(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    secure = client.get(reverse("accounts:login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get(reverse("accounts:login"))
    static = client.get("/static/lifeline/app.css", secure=True)
    assert "Strict-Transport-Security" in static


def test_it_redirects_plain_http_but_not_health_checks(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    _assert_headers(response)
    assert client.get("/healthz").status_code == 200
