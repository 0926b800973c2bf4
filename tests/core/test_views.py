from django.urls import reverse


def test_it_shows_an_analyst_counts_and_no_personal_data(login, analyst_a, case_a):
    response = login(analyst_a).get(reverse("core:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cases in numbers" in body and "张伟" not in body and case_a.reference not in body


def test_it_shows_a_caseworker_their_open_cases(login, caseworker_a, case_a):
    body = login(caseworker_a).get(reverse("core:home")).content.decode()
    assert case_a.reference in body and "Waiting for triage" not in body


def test_it_shows_a_coordinator_the_queue(login, coordinator_a, case_a):
    body = login(coordinator_a).get(reverse("core:home")).content.decode()
    assert "Waiting for triage" in body and "Cases in numbers" in body


def _settings_menu(body: str) -> str:
    return body[body.index('<details class="menu">') : body.index("</details>")]


def test_it_puts_administration_in_the_settings_menu_by_role(login, admin_a, caseworker_a):
    menu = _settings_menu(login(admin_a).get(reverse("core:home")).content.decode())
    for url in ("accounts:members", "privacy:retention", "intake:channels"):
        assert f'href="{reverse(url)}"' in menu
    assert f'href="{reverse("accounts:organisation_settings")}"' in menu
    assert f'href="{reverse("accounts:security")}"' in menu

    body = login(caseworker_a).get(reverse("core:home")).content.decode()
    menu = _settings_menu(body)
    assert f'href="{reverse("accounts:tokens")}"' in menu
    assert f'href="{reverse("accounts:security")}"' in menu
    assert reverse("accounts:members") not in body and reverse("intake:channels") not in body


def test_it_sets_security_headers(login, coordinator_a):
    response = login(coordinator_a).get(reverse("core:home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store" and response["X-Frame-Options"] == "DENY"


def test_it_answers_health_checks(client, db):
    assert client.get("/healthz").content == b"ok"


def test_it_keeps_the_admin_site_for_platform_staff(login, admin_a):
    response = login(admin_a).get("/platform-admin/")
    assert response.status_code == 302 and "login" in response["Location"]
