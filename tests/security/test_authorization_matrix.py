"""Who gets what, for every route: one table of designed answers, checked persona by persona.

The routes come from Django's URL resolver (walked recursively) and from the API's OpenAPI
schema; a route that either of them has and the table has not fails the test by name, and so
does an entry for a route that no longer exists. The designed answers (STYLE.md rules 8, 10, 21):

- anonymous: a redirect to the login page (UI), 401 (API);
- a capability the role does not hold: 403 ("the page exists, you may not use it");
- an object the actor may not see (another organisation's, a case not assigned to a caseworker):
  404, the same as for a missing one;
- allowed: 200, or after a POST the redirect the view is designed to give.

Placeholders in the URLs are filled from organisation A's objects (tests/security/conftest.py).
Each persona's call runs in a savepoint that is rolled back, so one persona's write does not
change what the next one sees; the world is built once per route.
"""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lifeline.api import api
from tests.api import api_client, call
from tests.security.conftest import (
    SECRET_NAME,
    SECRET_PHONE,
    SECRET_WORDS,
    World,
    import_csv,
    screenshot,
    session_client,
)

PERSONAS = ("anonymous", "outsider", "unassigned", "assigned", "analyst", "coordinator", "admin")
# Personas who may not see case_a (nor its person): none of its text may reach them.
MAY_NOT_SEE_CASE = ("anonymous", "outsider", "unassigned", "analyst", "admin")


@dataclass(frozen=True)
class Go:
    """A 302 to ``target`` (placeholders filled; ``*`` stands for a new object's uid)."""

    target: str


LOGIN = Go("/accounts/login/?next=*")
ADMIN_LOGIN = Go("/platform-admin/login/?next=*")
HOME = Go("/")


@dataclass(frozen=True)
class Row:
    method: str
    url: str
    data: dict[str, Any] | None
    expected: tuple[Any, ...]

    def __post_init__(self) -> None:
        assert len(self.expected) == len(PERSONAS), self


def row(method: str, url: str, data: dict[str, Any] | None, *expected: Any) -> Row:
    return Row(method, url, data, expected)


CASE = "/cases/{case}/"
PERSON = "/people/{person}/"
REQ = "/requests/{req}/"
EVIDENCE = "/evidence/{evidence}/"
SITE = "/sites/{site}/"
IMPORT = "/imports/{import}/"
SITE_FORM = {"name": "KK Park", "kind": "compound", "country": "MM", "latitude": "16.7473", "longitude": "98.5266"}  # fmt: skip
SITE_CLAIM = {"status": "raided", "claimed_on": "2026-02-01", "source": "Police", "reliability": "A", "credibility": "1"}  # fmt: skip
SITE_COMPANY = {"kind": "company", "role": "owner", "company_name": "Yatai", "source": "Registry", "reliability": "A", "credibility": "1"}  # fmt: skip
CASE_FORM = {"version": "{version}", "summary": "Called", "trafficking_status": "PossibleVictimOfTrafficking"}  # fmt: skip
ADMIN_ONLY = (ADMIN_LOGIN,) * len(PERSONAS)  # platform staff only; no persona is staff
PARTNER = "/partners/{partner}/"
REFERRAL = "/referrals/{referral}/"
OPERATION = "/operations/{operation}/"
BRIEFING = "/briefings/{briefing}/"
SHARE = "/shares/{share}/"
REFERRAL_FORM = {"receiver": "{third_org}", "kind": "refer", "profile": "essentials", "consent_given_by": "Herself", "consent_at": "2026-01-05T10:00", "consent_method": "phone", "answer_within_days": "14"}  # fmt: skip
OPERATION_FORM = {"codename": "Kite", "window_start": "2027-01-05T04:00", "window_end": "2027-01-05T09:00", "members": ["{unassigned_member}"]}  # fmt: skip

# fmt: off
# The UI, keyed by route name (the pattern where a route has no name).
#                                                    anonymous    outsider  unassigned assigned    analyst  coordinator                admin
UI: dict[str, list[Row]] = {
    "core:home": [row("GET", "/", None,                  LOGIN,       200,      200,      200,        200,     200,                       200)],
    "healthz": [row("GET", "/healthz", None,              200,         200,      200,      200,        200,     200,                       200)],
    "accounts:login": [
        row("GET", "/accounts/login/", None,              200,         HOME,     HOME,     HOME,       HOME,    HOME,                      HOME),
        row("POST", "/accounts/login/", {"username": "coord_a", "password": "wrong"},
                                                          200,         HOME,     HOME,     HOME,       HOME,    HOME,                      HOME),
    ],
    "accounts:logout": [row("POST", "/accounts/logout/", {},
                                                          Go("/accounts/login/"), *(Go("/accounts/login/"),) * 6)],
    # A link that is not valid says so, to anyone.
    "accounts:invitation": [row("GET", "/accounts/invitation/MQ/bad-token/", None, *(200,) * 7)],
    "accounts:choose_organisation": [
        row("GET", "/accounts/organisation/", None,       LOGIN,       200,      200,      200,        200,     200,                       200),
        row("POST", "/accounts/organisation/", {"organisation": "{org}"},
                                                          LOGIN,       404,      HOME,     HOME,       HOME,    HOME,                      HOME),
    ],
    "accounts:members": [
        row("GET", "/accounts/members/", None,            LOGIN,       403,      403,      403,        403,     403,                       200),
        row("POST", "/accounts/members/", {"username": "new_member", "role": "caseworker"},
                                                          LOGIN,       403,      403,      403,        403,     403,                       200),
    ],
    "accounts:member_change": [row("POST", "/accounts/members/{member}/", {"role": "caseworker", "is_active": "on"},
                                                          LOGIN,       403,      403,      403,        403,     403,   Go("/accounts/members/"))],
    # An invitation link sets the password: only for a member who has never chosen one.
    "accounts:member_invite": [
        row("POST", "/accounts/members/{pending_member}/invitation/", {},
                                                          LOGIN,       403,      403,      403,        403,     403,                       200),
        row("POST", "/accounts/members/{member}/invitation/", {},
                                                          LOGIN,       403,      403,      403,        403,     403,                       403),
    ],
    "accounts:tokens": [
        row("GET", "/accounts/tokens/", None,             LOGIN,       200,      200,      200,        200,     200,                       200),
        row("POST", "/accounts/tokens/", {"scope": "read", "expires_in_days": "30", "name": "bot"},
                                                          LOGIN,       200,      200,      200,        200,     200,                       200),
    ],
    # The token is coordinator_a's: nobody else's to revoke.
    "accounts:token_revoke": [row("POST", "/accounts/tokens/{token}/revoke/", {},
                                                          LOGIN,       404,      404,      404,        404,     Go("/accounts/tokens/"),   404)],
    "cases:request_list": [row("GET", "/requests/", None, LOGIN,       200,      403,      403,        403,     200,                       403)],
    "cases:request_create": [
        row("GET", "/requests/new/", None,                LOGIN,       200,      200,      200,        403,     200,                       403),
        row("POST", "/requests/new/", {"channel": "phone", "reporter_relation": "family", "text": "Help"},
                                                          LOGIN,  Go("/requests/*/"), Go("/requests/new/"), Go("/requests/new/"), 403, Go("/requests/*/"), 403),
    ],
    # Bulk dismissal: another organisation's request is not found among the ticked ones.
    "cases:request_dismiss": [row("POST", "/requests/dismiss/", {"requests": ["{req}"], "reason": "spam"},
                                                          LOGIN,       404,      403,      403,        403,     Go("/requests/"),          403)],
    "cases:request_detail": [row("GET", REQ, None,        LOGIN,       404,      403,      403,        403,     200,                       403)],
    "cases:request_open_case": [row("POST", REQ + "open-case/", {"extra_names": ""},
                                                          LOGIN,       404,      403,      403,        403,     Go("/cases/*/"),           403)],
    "cases:request_reject": [row("POST", REQ + "reject/", {"reason": "spam"},
                                                          LOGIN,       404,      403,      403,        403,     Go("/requests/"),          403)],
    "cases:case_list": [row("GET", "/cases/", None,       LOGIN,       200,      200,      200,        403,     200,                       403)],
    "cases:case_detail": [row("GET", CASE, None,          LOGIN,       404,      404,      200,        403,     200,                       403)],
    "cases:case_edit": [
        row("GET", CASE + "edit/", None,                  LOGIN,       404,      404,      200,        403,     200,                       403),
        row("POST", CASE + "edit/", CASE_FORM,            LOGIN,       404,      404,      Go(CASE),   403,     Go(CASE),                  403),
    ],
    "cases:case_move": [row("POST", CASE + "move/", {"to_status": "verifying", "reason": "Called", "version": "{version}"},
                                                          LOGIN,       404,      404,      Go(CASE),   403,     Go(CASE),                  403)],
    "cases:case_urgency": [row("POST", CASE + "urgency/", {"urgency": "30", "reasons": ["beaten"], "version": "{version}"},
                                                          LOGIN,       404,      404,      Go(CASE),   403,     Go(CASE),                  403)],
    "cases:case_timeline_add": [row("POST", CASE + "timeline/", {"kind": "note", "body": "Called back"},
                                                          LOGIN,       404,      404,      Go(CASE),   403,     Go(CASE),                  403)],
    # Assigning needs can_assign_cases (coordinators): the outsider coordinator holds it, so
    # the case lookup answers, and it is a 404.
    "cases:case_assign": [row("POST", CASE + "assign/", {"assignee": "{unassigned_member}"},
                                                          LOGIN,       404,      403,      403,        403,     Go(CASE),                  403)],
    "cases:case_unassign": [row("POST", CASE + "unassign/{assigned_user}/", {},
                                                          LOGIN,       404,      403,      403,        403,     Go(CASE),                  403)],
    "people:detail": [row("GET", PERSON, None,            LOGIN,       404,      404,      200,        403,     200,                       403)],
    "people:edit": [row("POST", PERSON + "edit/", {"version": "{person_version}", "gender": "Feminine"},
                                                          LOGIN,       404,      404,      Go(PERSON), 403,     Go(PERSON),                403)],
    "people:add_name": [row("POST", PERSON + "names/", {"value": "Somchai", "kind": "alias"},
                                                          LOGIN,       404,      404,      Go(PERSON), 403,     Go(PERSON),                403)],
    "people:add_contact": [row("POST", PERSON + "contacts/", {"kind": "phone", "value": "+66 81 234 5678"},
                                                          LOGIN,       404,      404,      Go(PERSON), 403,     Go(PERSON),                403)],
    "people:add_identifier": [row("POST", PERSON + "identifiers/", {"kind": "passport", "value": "EG1234567", "country": "CN"},
                                                          LOGIN,       404,      404,      Go(PERSON), 403,     Go(PERSON),                403)],
    # Duplicates: only those who see every person of the organisation compare two of them.
    "linkage:pair_detail": [row("GET", PERSON + "pair/{other_person}/", None,
                                                          LOGIN,       404,      403,      403,        403,     200,                       403)],
    "linkage:pair_decide": [row("POST", PERSON + "pair/{other_person}/decision/", {"decision": "different"},
                                                          LOGIN,       404,      403,      403,        403,     Go("/duplicates/"),        403)],
    "linkage:queue": [row("GET", "/duplicates/", None,    LOGIN,       200,      403,      403,        403,     200,                       403)],
    "linkage:run_start": [row("POST", "/duplicates/run/", {},
                                                          LOGIN,       Go("/duplicates/"), 403,    403,        403,     Go("/duplicates/"),        403)],
    # Encodings of the organisation's own persons; a screenshot is no encodings file (400).
    "linkage:partners": [row("GET", "/duplicates/partners/", None,
                                                          LOGIN,       200,      403,      403,        403,     200,                       403)],
    "linkage:encodings_export": [row("POST", "/duplicates/partners/export/", {"secret": "correct horse battery staple"},
                                                          LOGIN,       200,      403,      403,        403,     200,                       403)],
    "linkage:encodings_import": [row("POST", "/duplicates/partners/import/", {"secret": "correct horse battery staple", "file": "{upload}"},
                                                          LOGIN,       400,      403,      403,        403,     400,                       403)],
    "linkage:model": [row("GET", "/duplicates/model/", None,
                                                          LOGIN,       200,      403,      403,        403,     200,                       403)],
    "linkage:merge_history": [row("GET", "/duplicates/merges/", None,
                                                          LOGIN,       200,      403,      403,        403,     200,                       403)],
    "linkage:merge_undo": [row("POST", "/duplicates/merges/{merge}/undo/", {},
                                                          LOGIN,       404,      403,      403,        403,     Go("/duplicates/merges/"), 403)],
    # The second factor: every persona here has verified already (tests/conftest.py `login`).
    "accounts:verify": [
        row("GET", "/accounts/verify/", None,             LOGIN,       HOME,     HOME,     HOME,       HOME,    HOME,                      HOME),
        row("POST", "/accounts/verify/", {"code": "000000"},
                                                          LOGIN,       HOME,     HOME,     HOME,       HOME,    HOME,                      HOME),
    ],
    "accounts:security": [row("GET", "/accounts/security/", None,
                                                          LOGIN,       200,      200,      200,        200,     200,                       200)],
    # Enrolment is for a member without an authenticator app: the others go to their security page.
    "accounts:enrol": [
        row("GET", "/accounts/security/enrol/", None,     LOGIN,       *(Go("/accounts/security/"),) * 6),
        row("POST", "/accounts/security/enrol/", {"code": "000000"},
                                                          LOGIN,       *(Go("/accounts/security/"),) * 6),
    ],
    "accounts:recovery_codes_regenerate": [row("POST", "/accounts/security/recovery-codes/", {},
                                                          LOGIN,       200,      200,      200,        200,     200,                       200)],
    "accounts:organisation_settings": [
        row("GET", "/accounts/settings/", None,           LOGIN,       403,      403,      403,        403,     403,                       200),
        row("POST", "/accounts/settings/", {"second_factor_policy": "everyone"},
                                                          LOGIN,       403,      403,      403,        403,     403,   Go("/accounts/settings/")),
    ],
    "accounts:member_second_factor_reset": [row("POST", "/accounts/members/{member}/second-factor/reset/", {},
                                                          LOGIN,       403,      403,      403,        403,     403,   Go("/accounts/members/"))],
    # Evidence: whoever may see the case (or, for a request, triage it) handles its files.
    "evidence:case_upload": [row("POST", CASE + "evidence/", {"file": "{upload}", "description": "Gate"},
                                                          LOGIN,       404,      404, Go("/evidence/*/"), 403, Go("/evidence/*/"),       403)],
    "evidence:request_upload": [row("POST", REQ + "evidence/", {"file": "{upload}", "description": "Gate"},
                                                          LOGIN,       404,      403,      403,        403,     Go("/evidence/*/"),        403)],
    # A site's files are the whole desk's (coordinators and caseworkers); analysts see the site only.
    "evidence:site_upload": [row("POST", SITE + "evidence/", {"file": "{upload}", "description": "Gate"},
                                                          LOGIN,       404, Go("/evidence/*/"), Go("/evidence/*/"), 403, Go("/evidence/*/"), 403)],
    "evidence:detail": [row("GET", EVIDENCE, None,        LOGIN,       404,      404,      200,        403,     200,                       403)],
    "evidence:preview": [row("GET", EVIDENCE + "preview/", None,
                                                          LOGIN,       404,      404,      200,        403,     200,                       403)],
    "evidence:download": [row("GET", EVIDENCE + "download/", None,
                                                          LOGIN,       404,      404,      200,        403,     200,                       403)],
    # Erasure and retention.
    "privacy:person_erase": [
        row("GET", PERSON + "erase/", None,               LOGIN,       404,      403,      403,        403,     200,                       403),
        row("POST", PERSON + "erase/", {"reason": "survivor_wish", "confirmation": "ERASE"},
                                                          LOGIN,       404,      403,      403,        403,     Go(PERSON),                403),
    ],
    "privacy:retention": [
        row("GET", "/settings/retention/", None,          LOGIN,       403,      403,      403,        403,     403,                       200),
        row("POST", "/settings/retention/", {"closed_case_days": "400", "rejected_request_days": "30"},
                                                          LOGIN,       403,      403,      403,        403,     403,  Go("/settings/retention/")),
    ],
    "privacy:retention_apply": [row("POST", "/settings/retention/apply/", {},
                                                          LOGIN,       403,      403,      403,        403,     403,  Go("/settings/retention/"))],
    # Screening a job offer stores nothing: whoever talks to people at risk may use it.
    "screening:screen": [
        row("GET", "/screening/", None,                   LOGIN,       200,      200,      200,        403,     200,                       403),
        row("POST", "/screening/", {"text": "Typing job in Sihanoukville, flights paid"},
                                                          LOGIN,       200,      200,      200,        403,     200,                       403),
    ],
    # The lure library links recruiters to cases across the organisation: coordinators only.
    "screening:library": [
        row("GET", "/screening/library/", None,           LOGIN,       200,      403,      403,        403,     200,                       403),
        row("POST", "/screening/library/", {"text": "Typing job in Bavet", "source": "report", "platform": "facebook", "seen_on": "2026-10-02"},
                                                          LOGIN,  Go("/screening/library/*/"), 403, 403, 403, Go("/screening/library/*/"),   403),
    ],
    "screening:lure_detail": [row("GET", "/screening/library/{lure}/", None,
                                                          LOGIN,       404,      403,      403,        403,     200,                       403)],
    "screening:identifier_detail": [row("GET", "/screening/identifiers/{identifier}/", None,
                                                          LOGIN,       404,      403,      403,        403,     200,                       403)],
    "screening:campaign_detail": [row("GET", "/screening/campaigns/{campaign}/", None,
                                                          LOGIN,       404,      403,      403,        403,     200,                       403)],
    # The public SOS and check-in pages: the same for everyone, logged in or not (tests/settings.py
    # serves them for organisation A). An incomplete form comes back with its reasons.
    "intake_sos": [
        row("GET", "/help/", None, *(200,) * 7),
        row("POST", "/help/", {"relation": "family"}, *(400,) * 7),
    ],
    "intake_check_in": [
        row("GET", "/check/", None, *(200,) * 7),
        row("POST", "/check/", {"code": "RR000000005TH", "status": "safe"}, *(400,) * 7),
    ],
    # The public job-check page: a check stores nothing; a report needs its one-time token.
    "job_check": [
        row("GET", "/job-check/", None, *(200,) * 7),
        row("POST", "/job-check/", {"text": "Typing job in Sihanoukville, flights paid"}, *(200,) * 7),
        row("POST", "/job-check/", {"report": "1", "text": "Typing job in Bavet", "token": "forged"}, *(400,) * 7),
    ],
    # Messaging bridges' channels: org admins only. A channel's secret is shown in the answer
    # that makes or replaces it (200/201), never kept for a redirect.
    "intake:channels": [
        row("GET", "/settings/channels/", None,           LOGIN,       403,      403,      403,        403,     403,                       200),
        row("POST", "/settings/channels/", {"name": "LINE bot", "kind": "line"},
                                                          LOGIN,       403,      403,      403,        403,     403,                       201),
    ],
    "intake:channel_secret": [row("POST", "/settings/channels/{channel}/secret/", {},
                                                          LOGIN,       403,      403,      403,        403,     403,                       200)],
    "intake:channel_revoke": [row("POST", "/settings/channels/{channel}/revoke/", {},
                                                          LOGIN,       403,      403,      403,        403,     403,  Go("/settings/channels/"))],
    # Sites: organisation data for every role but the org admin; person operators are personal
    # data (an analyst does not find them, so removing one is a 404 to them).
    # Imports (lifeline.reports.importing): coordinators only; the outsider coordinator may
    # import into their own organisation, and another's import is a 404.
    "reports:import_list": [
        row("GET", "/imports/", None,                     LOGIN,       200,      403,      403,        403,     200,                       403),
        row("POST", "/imports/", {"file": "{import_csv}"},
                                                          LOGIN,  Go("/imports/*/"), 403,  403,        403,     Go("/imports/*/"),         403),
    ],
    "reports:import_detail": [
        row("GET", IMPORT, None,                          LOGIN,       404,      403,      403,        403,     200,                       403),
        row("POST", IMPORT, {"col_0": "name", "col_1": "phone", "encoding": "utf-8"},
                                                          LOGIN,       404,      403,      403,        403,     Go(IMPORT + "#dry-run"),   403),
    ],
    "reports:import_confirm": [row("POST", IMPORT + "confirm/", {"skip_duplicates": "on"},
                                                          LOGIN,       404,      403,      403,        403,     Go(IMPORT),                403)],
    # A checked import that never ran cannot be rolled back: said on the import's page.
    "reports:import_rollback": [row("POST", IMPORT + "rollback/", {},
                                                          LOGIN,       404,      403,      403,        403,     Go(IMPORT),                403)],
    "reports:import_abandon": [row("POST", IMPORT + "abandon/", {},
                                                          LOGIN,       404,      403,      403,        403,     Go("/imports/"),           403)],
    # The investigators' export: whoever sees the site registry (person operators only for
    # those who see persons; never victims, so nothing of case_a).
    "reports:ftm": [row("GET", "/exports/investigators/", None,
                                                          LOGIN,       200,      200,      200,        200,     200,                       403)],
    "reports:ftm_download": [row("GET", "/exports/investigators/download/", None,
                                                          LOGIN,       200,      200,      200,        200,     200,                       403)],
    # Print: a case summary for those who see the case, a site sheet for those who see sites.
    "reports:case_print": [row("GET", "/print/cases/{case}/", None,
                                                          LOGIN,       404,      404,      200,        403,     200,                       403)],
    "reports:case_print_pdf": [row("GET", "/print/cases/{case}/pdf/", None,
                                                          LOGIN,       404,      404,      200,        403,     200,                       403)],
    "reports:site_print": [row("GET", "/print/sites/{site}/", None,
                                                          LOGIN,       404,      200,      200,        200,     200,                       403)],
    "reports:site_print_pdf": [row("GET", "/print/sites/{site}/pdf/", None,
                                                          LOGIN,       404,      200,      200,        200,     200,                       403)],
    "sites:list": [row("GET", "/sites/", None,            LOGIN,       200,      200,      200,        200,     200,                       403)],
    "sites:create": [
        row("GET", "/sites/new/", None,                   LOGIN,       200,      200,      200,        200,     200,                       403),
        row("POST", "/sites/new/", SITE_FORM,             LOGIN, *(Go("/sites/*/"),) * 5,                                                    403),
    ],
    "sites:import": [
        row("GET", "/sites/import/", None,                LOGIN,       200,      200,      200,        200,     200,                       403),
        row("POST", "/sites/import/", {"file": "{sites_csv}"},
                                                          LOGIN, *(Go("/sites/"),) * 5,                                                      403),
    ],
    "sites:export": [row("GET", "/sites/export.ftm", None, LOGIN,      200,      200,      200,        200,     200,                       403)],
    "sites:map": [row("GET", "/sites/map/", None,         LOGIN,       200,      200,      200,        200,     200,                       403)],
    "sites:near": [row("GET", "/sites/near/?latitude=16.7&longitude=98.5&radius_km=20", None,
                                                          LOGIN,       200,      200,      200,        200,     200,                       403)],
    "sites:detail": [row("GET", SITE, None,               LOGIN,       404,      200,      200,        200,     200,                       403)],
    "sites:edit": [
        row("GET", SITE + "edit/", None,                  LOGIN,       404,      200,      200,        200,     200,                       403),
        row("POST", SITE + "edit/", {**SITE_FORM, "version": "{site_version}"},
                                                          LOGIN,       404,      *(Go(SITE),) * 4,                                           403),
    ],
    "sites:claim": [row("POST", SITE + "status/", SITE_CLAIM,
                                                          LOGIN,       404,      *(Go(SITE),) * 4,                                           403)],
    # Names shown to the public: coordinators only.
    "sites:public_suggestion": [row("POST", SITE + "public-suggestion/", {"suggest_publicly": "on"},
                                                          LOGIN,       404,      403,      403,        403,     Go(SITE),                  403)],
    "sites:operator_add": [row("POST", SITE + "operators/", SITE_COMPANY,
                                                          LOGIN,       404,      *(Go(SITE),) * 4,                                           403)],
    "sites:operator_remove": [row("POST", SITE + "operators/{operator}/remove/", {},
                                                          LOGIN,       404,      Go(SITE), Go(SITE),   404,     Go(SITE),                  403)],
    # Sightings follow the person: hidden persons are 404s, as on the person's page.
    "sites:sighting_add": [row("POST", PERSON + "sightings/", {"seen_at": "2026-01-05T10:00", "source": "check_in", "place": "Poipet"},
                                                          LOGIN,       404,      404,      Go(PERSON + "#trail"), 403, Go(PERSON + "#trail"), 403)],
    # Dashboard and statistical exports (reports, part A): aggregates for those who hold
    # can_view_statistics (coordinators, analysts, org admins); caseworkers are refused.
    "reports:dashboard": [row("GET", "/reports/", None,   LOGIN,       200,      403,      403,        200,     200,                       200)],
    "reports:dashboard_refresh": [row("POST", "/reports/refresh/", {},
                                                          LOGIN, Go("/reports/"), 403,   403,  Go("/reports/"), Go("/reports/"), Go("/reports/"))],
    "reports:dashboard_csv": [row("GET", "/reports/dashboard/citizenship.csv", None,
                                                          LOGIN,       200,      403,      403,        200,     200,                       200)],
    "reports:ctdc_preview": [row("GET", "/reports/ctdc/?k=11", None,
                                                          LOGIN,       200,      403,      403,        200,     200,                       200)],
    "reports:ctdc_download": [row("GET", "/reports/ctdc/export.zip?k=11", None,
                                                          LOGIN,       200,      403,      403,        200,     200,                       200)],
    # End of reports, part A.
    # Partners, referrals and operations (lifeline.sharing): what leaves the organisation is the
    # coordinators'. An operation is seen by its members only (here the coordinator and the
    # assigned caseworker): another caseworker gets a 404, like a missing one.
    "sharing:partner_list": [row("GET", "/partners/", None, LOGIN,  200,      403,      403,        403,     200,                       403)],
    "sharing:partner_create": [
        row("GET", "/partners/new/", None,                LOGIN,       200,      403,      403,        403,     200,                       403),
        row("POST", "/partners/new/", {"name": "Police liaison", "kind": "police"},
                                                          LOGIN,  Go("/partners/*/"), 403, 403,       403, Go("/partners/*/"),         403),
    ],
    "sharing:partner_detail": [
        row("GET", PARTNER, None,                         LOGIN,       404,      403,      403,        403,     200,                       403),
        row("POST", PARTNER, {"name": "Consular desk", "kind": "embassy", "is_active": "on"},
                                                          LOGIN,       404,      403,      403,        403,     Go(PARTNER),               403),
    ],
    "sharing:referral_list": [row("GET", "/referrals/", None, LOGIN,   200,      403,      403,        403,     200,                       403)],
    "sharing:referral_create": [
        row("GET", CASE + "refer/", None,                 LOGIN,       404,      403,      403,        403,     200,                       403),
        row("POST", CASE + "refer/", REFERRAL_FORM,       LOGIN,       404,      403,      403,        403,     Go("/referrals/*/"),       403),
    ],
    "sharing:referral_detail": [row("GET", REFERRAL, None, LOGIN,      404,      403,      403,        403,     200,                       403)],
    # The sender may not answer its own referral: refused with a message on the referral's page.
    "sharing:referral_accept": [row("POST", REFERRAL + "accept/", {}, LOGIN, 404, 403,     403,        403,     Go(REFERRAL),              403)],
    "sharing:referral_reject": [row("POST", REFERRAL + "reject/", {}, LOGIN, 404, 403,     403,        403,     Go(REFERRAL),              403)],
    # Only the receiver asks for a transfer and only the owner answers: the owner asking, or
    # answering with nothing pending, is refused with a message on the referral's page.
    "sharing:transfer_request_create": [row("POST", REFERRAL + "transfer-request/", {}, LOGIN, 404, 403, 403, 403, Go(REFERRAL), 403)],
    "sharing:transfer_request_reject": [row("POST", REFERRAL + "transfer-request/reject/", {}, LOGIN, 404, 403, 403, 403, Go(REFERRAL), 403)],
    "sharing:transfer_request_accept": [row("POST", REFERRAL + "transfer-request/accept/", {}, LOGIN, 404, 403, 403, 403, 400, 403)],
    "sharing:referral_revoke": [row("POST", REFERRAL + "revoke/", {}, LOGIN, 404, 403,     403,        403,     Go(REFERRAL),              403)],
    "sharing:operation_list": [row("GET", "/operations/", None, LOGIN, 200,      200,      200,        403,     200,                       403)],
    "sharing:operation_create": [
        row("GET", "/operations/new/", None,              LOGIN,       200,      403,      403,        403,     200,                       403),
        # The outsider is offered none of organisation A's members: the form comes back.
        row("POST", "/operations/new/", OPERATION_FORM,   LOGIN,       400,      403,      403,        403,     Go("/operations/*/"),      403),
    ],
    "sharing:operation_detail": [row("GET", OPERATION, None, LOGIN,    404,      404,      200,        403,     200,                       403)],
    "sharing:operation_add": [row("POST", OPERATION + "add/", {"members": ["{unassigned_member}"]},
                                                          LOGIN,       404,      404,      403,        403,     Go(OPERATION),             403)],
    "sharing:operation_close": [row("POST", OPERATION + "close/", {"outcome": "postponed"},
                                                          LOGIN,       404,      404,      403,        403,     Go(OPERATION),             403)],
    # Briefings: coordinators brief partners on what they see (an operation: its members only).
    "sharing:briefing_case": [
        row("GET", CASE + "briefing/", None,              LOGIN,       404,      403,      403,        403,     200,                       403),
        row("POST", CASE + "briefing/", {"level": "site", "partners": ["{partner}"]},
                                                          LOGIN,       404,      403,      403,        403,     Go("/briefings/*/"),       403),
    ],
    "sharing:briefing_operation": [row("GET", OPERATION + "briefing/", None,
                                                          LOGIN,       404,      403,      403,        403,     200,                       403)],
    "sharing:briefing_detail": [row("GET", BRIEFING, None, LOGIN,      404,      403,      403,        403,     200,                       403)],
    # The briefing needs no approval: the coordinator's attempt is refused with a message.
    "sharing:briefing_approve": [row("POST", BRIEFING + "approve/", {},
                                                          LOGIN,       404,      403,      403,        403,     Go(BRIEFING),              403)],
    "sharing:share_detail": [row("GET", SHARE, None,      LOGIN,       404,      403,      403,        403,     200,                       403)],
    "sharing:share_file": [row("GET", SHARE + "briefing.txt", None,
                                                          LOGIN,       404,      403,      403,        403,     200,                       403)],
    # The link's secret is shown in the answer that makes it, never kept for a redirect.
    "sharing:share_link": [row("POST", SHARE + "link/", {"expires_in_hours": "2", "max_views": "1"},
                                                          LOGIN,       404,      403,      403,        403,     200,                       403)],
    "sharing:share_revoke": [row("POST", SHARE + "revoke/", {},
                                                          LOGIN,       404,      403,      403,        403,     Go(SHARE),                 403)],
    # The public link: the same for everyone, logged in or not; a wrong one is "not available".
    "sharing:share_public": [
        row("GET", "/s/{link}/", None, *(200,) * 7),
        row("GET", "/s/not-a-link/", None, *(404,) * 7),
    ],
    "sharing:trace": [
        row("GET", "/leaks/trace/", None,                 LOGIN,       200,      403,      403,        403,     200,                       403),
        row("POST", "/leaks/trace/", {"text": "Briefing: Golden Gate Park"},
                                                          LOGIN,       200,      403,      403,        403,     200,                       403),
    ],
    # The API's own pages: the schema and its docs hold no data and are public by design
    # (README "The API"); the root is no page.
    "api:openapi-json": [row("GET", "/api/v1/openapi.json", None, *(200,) * 7)],
    "api:openapi-view": [row("GET", "/api/v1/docs", None, *(200,) * 7)],
    "api:api-root": [row("GET", "/api/v1/", None, *(404,) * 7)],
    # The platform admin (organisations, users, memberships; no personal data) is for platform
    # staff only: every persona, an org admin included, is sent to its login.
    "admin:index": [row("GET", "/platform-admin/", None, *ADMIN_ONLY)],
    "admin:login": [row("GET", "/platform-admin/login/", None, *(200,) * 7)],
    "admin:logout": [row("POST", "/platform-admin/logout/", {}, *(Go("/platform-admin/"),) * 7)],
    "admin:password_change": [row("GET", "/platform-admin/password_change/", None, *ADMIN_ONLY)],
    "admin:password_change_done": [row("GET", "/platform-admin/password_change/done/", None, *ADMIN_ONLY)],
    "admin:autocomplete": [row("GET", "/platform-admin/autocomplete/", None, *ADMIN_ONLY)],
    "admin:jsi18n": [row("GET", "/platform-admin/jsi18n/", None, *ADMIN_ONLY)],
    "admin:view_on_site": [row("GET", "/platform-admin/r/1/{org}/", None, *ADMIN_ONLY)],
    "admin:app_list": [row("GET", "/platform-admin/accounts/", None, *ADMIN_ONLY)],
    "admin:auth_group_changelist": [row("GET", "/platform-admin/auth/group/", None, *ADMIN_ONLY)],
    "admin:auth_group_add": [row("GET", "/platform-admin/auth/group/add/", None, *ADMIN_ONLY)],
    "admin:auth_group_history": [row("GET", "/platform-admin/auth/group/1/history/", None, *ADMIN_ONLY)],
    "admin:auth_group_delete": [row("GET", "/platform-admin/auth/group/1/delete/", None, *ADMIN_ONLY)],
    "admin:auth_group_change": [row("GET", "/platform-admin/auth/group/1/change/", None, *ADMIN_ONLY)],
    "platform-admin/auth/group/<path:object_id>/": [row("GET", "/platform-admin/auth/group/1/", None, *ADMIN_ONLY)],
    "admin:auth_user_password_change": [row("GET", "/platform-admin/accounts/user/{admin_user}/password/", None, *ADMIN_ONLY)],
    "admin:accounts_user_changelist": [row("GET", "/platform-admin/accounts/user/", None, *ADMIN_ONLY)],
    "admin:accounts_user_add": [row("GET", "/platform-admin/accounts/user/add/", None, *ADMIN_ONLY)],
    "admin:accounts_user_history": [row("GET", "/platform-admin/accounts/user/{admin_user}/history/", None, *ADMIN_ONLY)],
    "admin:accounts_user_delete": [row("GET", "/platform-admin/accounts/user/{admin_user}/delete/", None, *ADMIN_ONLY)],
    "admin:accounts_user_change": [row("GET", "/platform-admin/accounts/user/{admin_user}/change/", None, *ADMIN_ONLY)],
    "platform-admin/accounts/user/<path:object_id>/": [row("GET", "/platform-admin/accounts/user/{admin_user}/", None, *ADMIN_ONLY)],
    "admin:accounts_organisation_changelist": [row("GET", "/platform-admin/accounts/organisation/", None, *ADMIN_ONLY)],
    "admin:accounts_organisation_add": [row("GET", "/platform-admin/accounts/organisation/add/", None, *ADMIN_ONLY)],
    "admin:accounts_organisation_history": [row("GET", "/platform-admin/accounts/organisation/{org}/history/", None, *ADMIN_ONLY)],
    "admin:accounts_organisation_delete": [row("GET", "/platform-admin/accounts/organisation/{org}/delete/", None, *ADMIN_ONLY)],
    "admin:accounts_organisation_change": [row("GET", "/platform-admin/accounts/organisation/{org}/change/", None, *ADMIN_ONLY)],
    "platform-admin/accounts/organisation/<path:object_id>/": [row("GET", "/platform-admin/accounts/organisation/{org}/", None, *ADMIN_ONLY)],
    "platform-admin/(?P<url>.*)$": [row("GET", "/platform-admin/no-such-page/", None, *ADMIN_ONLY)],
}

# The API, keyed by "METHOD path" as the OpenAPI schema has them; API personas use a
# write-scoped bearer token. One object the actor may not see is a 404 (the selector's); a list
# or a creation the role may not use is a 403 (STYLE.md rule 8, lifeline/api.py).
API_CASE = "/api/v1/cases/{case}"
API_REQ = "/api/v1/requests/{req}"
API_SITE_URL = "/api/v1/sites/{site}"
API_IMPORT = "/api/v1/imports/{import}"
API_SITE = {"name": "KK Park", "kind": "compound", "country": "MM", "latitude": 16.7473, "longitude": 98.5266}  # fmt: skip
API_REFERRAL = {"receiver": "{third_org}", "kind": "refer", "profile": "essentials", "consent_given_by": "Herself", "consent_at": "2026-01-05T10:00:00+07:00", "consent_method": "phone"}  # fmt: skip
API_OPERATION = {"codename": "Kite", "window_start": "2027-01-05T04:00:00+07:00", "window_end": "2027-01-05T09:00:00+07:00", "members": ["{unassigned_user}"]}  # fmt: skip
#                                                    anonymous  outsider  unassigned assigned  analyst  coordinator  admin
API: dict[str, Row] = {
    "GET /api/v1/me": row("GET", "/api/v1/me", None,       401,     200,      200,      200,      200,     200,        200),
    "GET /api/v1/requests": row("GET", "/api/v1/requests", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/requests": row("POST", "/api/v1/requests", {"channel": "phone", "reporter_relation": "family", "text": "Help"},
                                                           401,     201,      201,      201,      403,     201,        403),
    "GET /api/v1/requests/{uid}": row("GET", API_REQ, None, 401,    404,      404,      404,      404,     200,        404),
    "POST /api/v1/requests/{uid}/open-case": row("POST", API_REQ + "/open-case", {},
                                                           401,     404,      404,      404,      404,     201,        404),
    "POST /api/v1/requests/{uid}/reject": row("POST", API_REQ + "/reject", {"reason": "spam"},
                                                           401,     404,      404,      404,      404,     200,        404),
    "GET /api/v1/cases": row("GET", "/api/v1/cases", None, 401,     200,      200,      200,      403,     200,        403),
    "GET /api/v1/cases/{uid}": row("GET", API_CASE, None,  401,     404,      404,      200,      404,     200,        404),
    "PATCH /api/v1/cases/{uid}": row("PATCH", API_CASE, {"version": "{version}", "summary": "Called"},
                                                           401,     404,      404,      200,      404,     200,        404),
    "POST /api/v1/cases/{uid}/moves": row("POST", API_CASE + "/moves", {"to_status": "verifying", "reason": "Called", "version": "{version}"},
                                                           401,     404,      404,      200,      404,     200,        404),
    "POST /api/v1/cases/{uid}/urgency": row("POST", API_CASE + "/urgency", {"urgency": "critical", "reasons": [], "version": "{version}"},
                                                           401,     404,      404,      200,      404,     200,        404),
    "GET /api/v1/cases/{uid}/timeline": row("GET", API_CASE + "/timeline", None,
                                                           401,     404,      404,      200,      404,     200,        404),
    "POST /api/v1/cases/{uid}/timeline": row("POST", API_CASE + "/timeline", {"kind": "note", "body": "Called"},
                                                           401,     404,      404,      201,      404,     201,        404),
    "POST /api/v1/cases/{uid}/assignments": row("POST", API_CASE + "/assignments", {"user_id": "{unassigned_user}"},
                                                           401,     404,      404,      403,      404,     201,        404),
    "DELETE /api/v1/cases/{uid}/assignments/{user_id}": row("DELETE", API_CASE + "/assignments/{assigned_user}", None,
                                                           401,     404,      404,      403,      404,     204,        404),
    "GET /api/v1/stats/cases": row("GET", "/api/v1/stats/cases", None,
                                                           401,     200,      403,      403,      200,     200,        200),
    "GET /api/v1/persons": row("GET", "/api/v1/persons", None,
                                                           401,     200,      200,      200,      403,     200,        403),
    "GET /api/v1/persons/{uid}": row("GET", "/api/v1/persons/{person}", None,
                                                           401,     404,      404,      200,      404,     200,        404),
    "GET /api/v1/cases/{uid}/evidence": row("GET", API_CASE + "/evidence", None,
                                                           401,     404,      404,      200,      403,     200,        403),
    "POST /api/v1/cases/{uid}/evidence": row("POST", API_CASE + "/evidence", {"file": "{upload}", "description": "Gate"},
                                                           401,     404,      404,      201,      403,     201,        403),
    "GET /api/v1/requests/{uid}/evidence": row("GET", API_REQ + "/evidence", None,
                                                           401,     404,      403,      403,      403,     200,        403),
    "POST /api/v1/requests/{uid}/evidence": row("POST", API_REQ + "/evidence", {"file": "{upload}", "description": "Gate"},
                                                           401,     404,      403,      403,      403,     201,        403),
    "GET /api/v1/persons/{uid}/sightings": row("GET", "/api/v1/persons/{person}/sightings", None,
                                                           401,     404,      404,      200,      404,     200,        404),
    "POST /api/v1/persons/{uid}/sightings": row("POST", "/api/v1/persons/{person}/sightings", {"seen_at": "2026-01-05T10:00:00+07:00", "source": "check_in", "place": "Poipet"},
                                                           401,     404,      404,      201,      404,     201,        404),
    "GET /api/v1/sites/{uid}/occupancy": row("GET", API_SITE_URL + "/occupancy", None,
                                                           401,     404,      200,      200,      200,     200,        404),
    "GET /api/v1/sites/{uid}/evidence": row("GET", API_SITE_URL + "/evidence", None,
                                                           401,     404,      200,      200,      403,     200,        403),
    "POST /api/v1/sites/{uid}/evidence": row("POST", API_SITE_URL + "/evidence", {"file": "{upload}", "description": "Gate"},
                                                           401,     404,      201,      201,      403,     201,        403),
    "GET /api/v1/evidence/{uid}": row("GET", "/api/v1/evidence/{evidence}", None,
                                                           401,     404,      404,      200,      403,     200,        403),
    "GET /api/v1/evidence/{uid}/download": row("GET", "/api/v1/evidence/{evidence}/download", None,
                                                           401,     404,      404,      200,      403,     200,        403),
    "POST /api/v1/screening/offers": row("POST", "/api/v1/screening/offers", {"text": "Typing job in Sihanoukville"},
                                                           401,     200,      200,      200,      403,     200,        403),
    "GET /api/v1/screening/lures": row("GET", "/api/v1/screening/lures", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/screening/lures": row("POST", "/api/v1/screening/lures", {"text": "Typing job in Bavet", "source": "report", "platform": "facebook", "seen_on": "2026-10-02"},
                                                           401,     201,      403,      403,      403,     201,        403),
    "GET /api/v1/screening/lures/{uid}": row("GET", "/api/v1/screening/lures/{lure}", None,
                                                           401,     404,      403,      403,      403,     200,        403),
    "GET /api/v1/screening/identifiers/{uid}": row("GET", "/api/v1/screening/identifiers/{identifier}", None,
                                                           401,     404,      403,      403,      403,     200,        403),
    # Both persons are looked up first: the assigned caseworker may not see the second one.
    "GET /api/v1/persons/{uid}/comparison/{other_uid}": row("GET", "/api/v1/persons/{person}/comparison/{other_person}", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "POST /api/v1/persons/{uid}/comparison/{other_uid}/decision": row("POST", "/api/v1/persons/{person}/comparison/{other_person}/decision", {"decision": "unsure"},
                                                           401,     404,      404,      404,      404,     200,        404),
    "GET /api/v1/duplicates": row("GET", "/api/v1/duplicates", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/duplicates/runs": row("POST", "/api/v1/duplicates/runs", None,
                                                           401,     201,      403,      403,      403,     201,        403),
    "GET /api/v1/duplicates/runs/{uid}": row("GET", "/api/v1/duplicates/runs/{run}", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "GET /api/v1/duplicates/model": row("GET", "/api/v1/duplicates/model", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/linkage/encodings": row("POST", "/api/v1/linkage/encodings", {"secret": "correct horse battery staple"},
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/linkage/encodings/comparisons": row("POST", "/api/v1/linkage/encodings/comparisons", {"secret": "correct horse battery staple", "file": {}},
                                                           401,     422,      403,      403,      403,     422,        403),
    "GET /api/v1/linkage/cross-matches": row("GET", "/api/v1/linkage/cross-matches", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "GET /api/v1/merges": row("GET", "/api/v1/merges", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/merges/{uid}/undo": row("POST", "/api/v1/merges/{merge}/undo", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    # Erasure: the person is looked up first (404 where it may not be seen), then the capability.
    "POST /api/v1/persons/{uid}/erasure": row("POST", "/api/v1/persons/{person}/erasure", {"reason": "survivor_wish", "confirmation": "ERASE"},
                                                           401,     404,      404,      403,      404,     200,        404),
    # Signed by a channel's secret, not by a login: without a signature everyone gets 401.
    "POST /api/v1/intake/messages": row("POST", "/api/v1/intake/messages", {"message_id": "m1", "text": "Help"}, *(401,) * 7),
    "GET /api/v1/intake/channels": row("GET", "/api/v1/intake/channels", None,
                                                           401,     403,      403,      403,      403,     403,        200),
    "POST /api/v1/intake/channels": row("POST", "/api/v1/intake/channels", {"name": "LINE bot", "kind": "line"},
                                                           401,     403,      403,      403,      403,     403,        201),
    "POST /api/v1/intake/channels/{uid}/secret": row("POST", "/api/v1/intake/channels/{channel}/secret", None,
                                                           401,     403,      403,      403,      403,     403,        200),
    "POST /api/v1/intake/channels/{uid}/revoke": row("POST", "/api/v1/intake/channels/{channel}/revoke", None,
                                                           401,     403,      403,      403,      403,     403,        200),
    "GET /api/v1/retention": row("GET", "/api/v1/retention", None,
                                                           401,     403,      403,      403,      403,     403,        200),
    "PUT /api/v1/retention": row("PUT", "/api/v1/retention", {"closed_case_days": 400, "rejected_request_days": None},
                                                           401,     403,      403,      403,      403,     403,        200),
    "GET /api/v1/retention/runs": row("GET", "/api/v1/retention/runs", None,
                                                           401,     403,      403,      403,      403,     403,        200),
    "POST /api/v1/retention/runs": row("POST", "/api/v1/retention/runs", None,
                                                           401,     403,      403,      403,      403,     403,        201),
    # Reports, part A: aggregates and the CTDC export (see the UI rows).
    "GET /api/v1/reports/dashboard": row("GET", "/api/v1/reports/dashboard", None,
                                                           401,     200,      403,      403,      200,     200,        200),
    "GET /api/v1/reports/ctdc/preview": row("GET", "/api/v1/reports/ctdc/preview?k=11", None,
                                                           401,     200,      403,      403,      200,     200,        200),
    "GET /api/v1/reports/ctdc/export": row("GET", "/api/v1/reports/ctdc/export?k=11", None,
                                                           401,     200,      403,      403,      200,     200,        200),
    # End of reports, part A.
    # Sites (see the UI rows): the org admin does not see the registry (404 for one site).
    # Imports: one the actor may not see (another organisation's, or any for a member who may
    # not import) is the selector's 404; a checked import that never ran cannot be rolled back.
    "GET /api/v1/imports": row("GET", "/api/v1/imports", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/imports": row("POST", "/api/v1/imports", {"file": "{import_csv}"},
                                                           401,     201,      403,      403,      403,     201,        403),
    "GET /api/v1/imports/{uid}": row("GET", API_IMPORT, None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "DELETE /api/v1/imports/{uid}": row("DELETE", API_IMPORT, None,
                                                           401,     404,      404,      404,      404,     204,        404),
    "POST /api/v1/imports/{uid}/check": row("POST", API_IMPORT + "/check", {"columns": {"name": "name", "phone": "phone"}},
                                                           401,     404,      404,      404,      404,     200,        404),
    "POST /api/v1/imports/{uid}/confirm": row("POST", API_IMPORT + "/confirm", {},
                                                           401,     404,      404,      404,      404,     200,        404),
    "POST /api/v1/imports/{uid}/rollback": row("POST", API_IMPORT + "/rollback", None,
                                                           401,     404,      404,      404,      404,     422,        404),
    "GET /api/v1/exports/ftm": row("GET", "/api/v1/exports/ftm", None,
                                                           401,     200,      200,      200,      200,     200,        403),
    "GET /api/v1/cases/{uid}/print.pdf": row("GET", API_CASE + "/print.pdf", None,
                                                           401,     404,      404,      200,      404,     200,        404),
    "GET /api/v1/sites/{uid}/print.pdf": row("GET", API_SITE_URL + "/print.pdf", None,
                                                           401,     404,      200,      200,      200,     200,        404),
    "GET /api/v1/sites": row("GET", "/api/v1/sites", None,
                                                           401,     200,      200,      200,      200,     200,        403),
    "POST /api/v1/sites": row("POST", "/api/v1/sites", API_SITE,
                                                           401,     201,      201,      201,      201,     201,        403),
    "POST /api/v1/sites/import": row("POST", "/api/v1/sites/import", {"file": "{sites_csv}"},
                                                           401,     200,      200,      200,      200,     200,        403),
    "GET /api/v1/sites/export": row("GET", "/api/v1/sites/export?format=ftm", None,
                                                           401,     200,      200,      200,      200,     200,        403),
    "GET /api/v1/sites/map": row("GET", "/api/v1/sites/map", None,
                                                           401,     200,      200,      200,      200,     200,        403),
    "GET /api/v1/sites/near": row("GET", "/api/v1/sites/near?latitude=16.7&longitude=98.5", None,
                                                           401,     200,      200,      200,      200,     200,        403),
    "GET /api/v1/sites/{uid}": row("GET", API_SITE_URL, None,
                                                           401,     404,      200,      200,      200,     200,        404),
    "PATCH /api/v1/sites/{uid}": row("PATCH", API_SITE_URL, {"version": "{site_version}", "town": "Shwe Kokko"},
                                                           401,     404,      200,      200,      200,     200,        404),
    "PUT /api/v1/sites/{uid}/public-suggestion": row("PUT", API_SITE_URL + "/public-suggestion", {"suggest_publicly": True},
                                                           401,     404,      403,      403,      403,     200,        404),
    "GET /api/v1/sites/{uid}/status-claims": row("GET", API_SITE_URL + "/status-claims", None,
                                                           401,     404,      200,      200,      200,     200,        404),
    "POST /api/v1/sites/{uid}/status-claims": row("POST", API_SITE_URL + "/status-claims", {**SITE_CLAIM, "credibility": 1},
                                                           401,     404,      201,      201,      201,     201,        404),
    "POST /api/v1/sites/{uid}/operators": row("POST", API_SITE_URL + "/operators", {**SITE_COMPANY, "credibility": 1},
                                                           401,     404,      201,      201,      201,     201,        404),
    "DELETE /api/v1/sites/{uid}/operators/{operator_uid}": row("DELETE", API_SITE_URL + "/operators/{operator}", None,
                                                           401,     404,      204,      204,      404,     204,        404),
    # Partners, referrals and operations (see the UI rows).
    "GET /api/v1/partners": row("GET", "/api/v1/partners", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/partners": row("POST", "/api/v1/partners", {"name": "Police liaison", "kind": "police"},
                                                           401,     201,      403,      403,      403,     201,        403),
    "GET /api/v1/partners/{uid}": row("GET", "/api/v1/partners/{partner}", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "GET /api/v1/referrals": row("GET", "/api/v1/referrals", None,
                                                           401,     200,      403,      403,      403,     200,        403),
    # The case is looked up first: the assigned caseworker sees it but may not refer it.
    "POST /api/v1/cases/{uid}/referrals": row("POST", API_CASE + "/referrals", API_REFERRAL,
                                                           401,     404,      404,      403,      404,     201,        404),
    "GET /api/v1/referrals/{uid}": row("GET", "/api/v1/referrals/{referral}", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    # The sender may not answer its own referral (422); it may revoke it.
    "POST /api/v1/referrals/{uid}/accept": row("POST", "/api/v1/referrals/{referral}/accept", {},
                                                           401,     404,      404,      404,      404,     422,        404),
    "POST /api/v1/referrals/{uid}/reject": row("POST", "/api/v1/referrals/{referral}/reject", {},
                                                           401,     404,      404,      404,      404,     422,        404),
    # The owner asking for its own case, or answering with nothing pending, is refused (422).
    "POST /api/v1/referrals/{uid}/transfer-request": row("POST", "/api/v1/referrals/{referral}/transfer-request", {"note": ""},
                                                           401,     404,      404,      404,      404,     422,        404),
    "POST /api/v1/referrals/{uid}/transfer-request/reject": row("POST", "/api/v1/referrals/{referral}/transfer-request/reject", {"note": ""},
                                                           401,     404,      404,      404,      404,     422,        404),
    "POST /api/v1/referrals/{uid}/transfer-request/accept": row("POST", "/api/v1/referrals/{referral}/transfer-request/accept",
        {"profile": "essentials", "consent_given_by": "Herself", "consent_at": "2026-01-01T10:00:00Z", "consent_method": "phone"},
                                                           401,     404,      404,      404,      404,     422,        404),
    "POST /api/v1/referrals/{uid}/revoke": row("POST", "/api/v1/referrals/{referral}/revoke", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "GET /api/v1/operations": row("GET", "/api/v1/operations", None,
                                                           401,     200,      200,      200,      403,     200,        403),
    # The outsider names a user of organisation A, who is not among its members (422).
    "POST /api/v1/operations": row("POST", "/api/v1/operations", API_OPERATION,
                                                           401,     422,      403,      403,      403,     201,        403),
    "GET /api/v1/operations/{uid}": row("GET", "/api/v1/operations/{operation}", None,
                                                           401,     404,      404,      200,      404,     200,        404),
    "POST /api/v1/operations/{uid}/briefings": row("POST", "/api/v1/operations/{operation}/briefings", {"level": "site", "partners": ["{partner}"]},
                                                           401,     404,      404,      403,      404,     201,        404),
    "POST /api/v1/cases/{uid}/briefings": row("POST", API_CASE + "/briefings", {"level": "site", "partners": ["{partner}"]},
                                                           401,     404,      404,      403,      404,     201,        404),
    "GET /api/v1/briefings/{uid}": row("GET", "/api/v1/briefings/{briefing}", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "POST /api/v1/briefings/{uid}/approve": row("POST", "/api/v1/briefings/{briefing}/approve", None,
                                                           401,     404,      404,      404,      404,     422,        404),
    "GET /api/v1/shares/{uid}/text": row("GET", "/api/v1/shares/{share}/text", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "POST /api/v1/shares/{uid}/link": row("POST", "/api/v1/shares/{share}/link", {"expires_in_hours": 2, "max_views": 1},
                                                           401,     404,      404,      404,      404,     201,        404),
    "POST /api/v1/shares/{uid}/revoke": row("POST", "/api/v1/shares/{share}/revoke", None,
                                                           401,     404,      404,      404,      404,     200,        404),
    "POST /api/v1/leaks/trace": row("POST", "/api/v1/leaks/trace", {"text": "Briefing: Golden Gate Park"},
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/leaks/trace-image": row("POST", "/api/v1/leaks/trace-image", {"image": "{upload}"},
                                                           401,     200,      403,      403,      403,     200,        403),
    "POST /api/v1/operations/{uid}/close": row("POST", "/api/v1/operations/{operation}/close", {"outcome": "postponed"},
                                                           401,     404,      404,      403,      404,     200,        404),
}
# fmt: on

# Resolver routes that are not rows of the UI table, by the module of their view, each with its
# reason. Nothing else is skipped (there is no static-files route: WhiteNoise is middleware).
SKIPPED_VIEW_MODULES = {
    "ninja.operation": "an API operation: a row of the API table, keyed as the OpenAPI schema has "
    "it; test_it_knows_every_route checks that the resolver's and the schema's paths agree",
}


# Enumeration ------------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def resolver_routes() -> dict[str, str]:
    """Every route of the URL resolver: key (``namespace:name``, or the pattern for an unnamed
    one) -> its pattern. API operations are left to ``schema_operations``."""
    routes = {}
    for full_pattern, namespace, pattern in _walk(get_resolver().url_patterns):
        if pattern.callback.__module__ in SKIPPED_VIEW_MODULES:
            continue
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
        routes[name or full_pattern] = full_pattern
    return routes


def api_operation_patterns() -> set[str]:
    """The resolver's API operation paths, in OpenAPI's spelling (``/api/v1/cases/{uid}``)."""
    return {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", full_pattern)
        for full_pattern, _ns, pattern in _walk(get_resolver().url_patterns)
        if pattern.callback.__module__ == "ninja.operation"
    }


def schema_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_it_knows_every_route():
    routes = set(resolver_routes())
    missing = sorted(routes - set(UI))
    gone = sorted(set(UI) - routes)
    assert not missing, f"routes without an entry in the UI table: {missing}"
    assert not gone, f"UI table entries for routes that no longer exist: {gone}"
    operations = schema_operations()
    missing = sorted(operations - set(API))
    gone = sorted(set(API) - operations)
    assert not missing, f"API operations without an entry in the API table: {missing}"
    assert not gone, f"API table entries for operations that no longer exist: {gone}"
    schema_paths = {key.split(" ", 1)[1] for key in operations}
    assert api_operation_patterns() == schema_paths, (
        "the resolver's API routes differ from the schema's"
    )


# Checks -----------------------------------------------------------------------------------


def _values(world: World) -> dict[str, Any]:
    personas = world.personas
    return {
        "case": world.case.uid,
        "version": world.case.version,
        "person": world.person.uid,
        "lure": world.lure.uid,
        "campaign": world.lure.campaign.uid if world.lure.campaign else "",
        "identifier": world.lure.identifier_links.get().identifier.uid,
        "person_version": world.person.version,
        "req": world.new_request.uid,
        "org": world.case.organisation_id,
        "member": world.membership("unassigned").pk,
        "pending_member": world.pending_member.pk,
        "unassigned_member": world.membership("unassigned").pk,
        "unassigned_user": world.membership("unassigned").user_id,
        "assigned_user": world.membership("assigned").user_id,
        "token": world.token.pk,
        "admin_user": personas["admin"].user_id if personas["admin"] else 0,
        "evidence": world.evidence.uid,
        "other_person": world.other_person.uid,
        "merge": world.merge.uid,
        "run": world.run.uid,
        "channel": world.channel.uid,
        "site": world.site.uid,
        "site_version": world.site.version,
        "operator": world.operator.uid,
        "import": world.import_batch.uid,
        "partner": world.partner.uid,
        "referral": world.referral.uid,
        "third_org": world.third_org.pk,
        "operation": world.operation.uid,
        "briefing": world.briefing.uid,
        "share": world.share.uid,
        "link": world.link,
    }


UPLOAD = "{upload}"  # a fresh screenshot for each call
SITES_CSV = "{sites_csv}"  # a fresh one-site CSV for each call
IMPORT_CSV = "{import_csv}"  # a fresh two-column sheet of cases for each call


def _fill(value: Any, values: dict[str, Any]) -> Any:
    if value == UPLOAD:
        return screenshot()
    if value == IMPORT_CSV:
        return import_csv()
    if value == SITES_CSV:
        return SimpleUploadedFile("sites.csv", b"name,kind,country\nKK Park,compound,MM\n")
    if isinstance(value, str):
        filled = value.format(**values)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def _matches(response, expected: Any, values: dict[str, Any]) -> bool:
    if isinstance(expected, Go):
        if response.status_code != 302:
            return False
        target = re.escape(expected.target.format(**values)).replace(r"\*", ".*")
        return re.fullmatch(target, response["Location"]) is not None
    return response.status_code == expected


def _describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} -> {response['Location']}"
    return str(response.status_code)


def _leaks(world: World, response) -> list[str]:
    body = response.content.decode(errors="replace")
    secrets = [SECRET_NAME, SECRET_PHONE, SECRET_WORDS, world.case.reference, str(world.case.uid)]
    return [secret for secret in secrets if secret in body]


def _check(world: World, key: str, rows, *, make_client, send) -> None:
    values = _values(world)
    problems = []
    for entry in rows:
        url = _fill(entry.url, values)
        for persona, expected in zip(PERSONAS, entry.expected, strict=True):
            data = _fill(entry.data, values)
            with transaction.atomic():
                client = make_client(world.personas[persona])
                response = send(client, entry.method, url, data)
                if not _matches(response, expected, values):
                    want = expected.target if isinstance(expected, Go) else expected
                    problems.append(
                        f"{entry.method} {url} as {persona}: got {_describe(response)}, "
                        f"designed {want}"
                    )
                leaked = _leaks(world, response) if persona in MAY_NOT_SEE_CASE else []
                if leaked:
                    problems.append(f"{entry.method} {url} as {persona} shows {leaked}")
                transaction.set_rollback(True)
    assert not problems, f"{key}:\n" + "\n".join(problems)


def test_it_would_notice_a_leak(world, login):
    """The leak check above looks for text that the allowed personas are in fact shown."""
    page = session_client(login, world.membership("coordinator")).get(f"/cases/{world.case.uid}/")
    assert sorted(_leaks(world, page)) == sorted(
        [SECRET_NAME, SECRET_PHONE, SECRET_WORDS, world.case.reference, str(world.case.uid)]
    )


def _send_form(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data or {})


@pytest.mark.parametrize("key", sorted(UI))
def test_it_gives_each_persona_the_designed_answer_in_the_ui(world, login, key):
    _check(
        world,
        key,
        UI[key],
        make_client=lambda membership: session_client(login, membership),
        send=_send_form,
    )


def _api_client(membership):
    return Client() if membership is None else api_client(membership)


def _send_json(client, method, url, data, **extra):
    if data and any(
        not isinstance(v, str | int | float | list | dict | None) for v in data.values()
    ):
        return client.post(url, data, **extra)  # multipart: a file upload
    return call(client, method.lower(), url, data, **extra)


@pytest.mark.parametrize("key", sorted(API))
def test_it_gives_each_persona_the_designed_answer_in_the_api(world, key):
    _check(world, key, [API[key]], make_client=_api_client, send=_send_json)
