"""What makes a public page leave no trace worth finding: its headers, its language, and its
style and script inlined under a hash-pinned Content-Security-Policy.

- No cookie: the views are exempt from Django's cookie/session CSRF check and never touch the
  session, so an anonymous visitor gets no cookie at all. A cross-site form post is refused by
  its Origin / Sec-Fetch-Site headers instead, and every form carries a signed one-time token
  (lifeline.intake.codes). An anonymous form has no ambient authority for a forged post to
  borrow: the token's job is to make a repeated submission one request.
- No cache or history residue: ``Cache-Control: no-store``; the style sheet and script are
  inlined (their SHA-256 in the CSP), so no static file lands in the browser cache either.
- No third party: the CSP allows nothing but this page's own inline style and script, images
  from nowhere, and forms posted to this server.
- Language from ``?lang=`` (the switcher's links), else the browser's Accept-Language.
"""

import base64
import hashlib
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from lifeline.accounts.models import Organisation
from lifeline.core.middleware import PERMISSIONS_POLICY
from lifeline.core.tenancy import scope
from lifeline.intake.selectors import intake_organisation

ASSETS = Path(__file__).resolve().parent / "assets"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
# The switcher shows each language in its own script.
NATIVE_NAMES = {
    "en": "English",
    "zh-hans": "中文",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "km": "ខ្មែរ",
    "my": "မြန်မာ",
}

PublicView = Callable[[HttpRequest, Organisation, str], HttpResponse]


@lru_cache(maxsize=1)
def assets() -> dict[str, str]:
    css = (ASSETS / "page.css").read_text(encoding="utf-8")
    js = (ASSETS / "page.js").read_text(encoding="utf-8")
    return {"css": css, "js": js, "csp": _csp(css, js)}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _csp(css: str, js: str) -> str:
    return (
        f"default-src 'none'; style-src {_hash(css)}; script-src {_hash(js)}; img-src 'none'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'none'"
    )


def page_language(request: HttpRequest) -> str:
    chosen = request.GET.get("lang", "")
    if chosen in LANGUAGE_CODES:
        return chosen
    detected = translation.get_language_from_request(request)
    return detected if detected in LANGUAGE_CODES else settings.LANGUAGE_CODE


def _cross_site(request: HttpRequest) -> bool:
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return True
    origin = request.headers.get("Origin", "")
    # Under "Referrer-Policy: no-referrer" browsers send "Origin: null" on same-site posts.
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc != request.get_host()


def public_page(view: PublicView) -> Callable[..., HttpResponse]:
    """Serve ``view`` as a public page: for the configured organisation (404 when there is
    none), in the sender's language, inside that organisation's scope, with the headers above."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        organisation = intake_organisation()
        if organisation is None:
            raise Http404
        language = page_language(request)
        if request.method not in ("GET", "HEAD", "POST"):
            response: HttpResponse = HttpResponse(status=405, headers={"Allow": "GET, POST"})
        elif request.method == "POST" and _cross_site(request):
            response = HttpResponseForbidden()
        else:
            with translation.override(language), scope(organisation=organisation):
                request.LANGUAGE_CODE = language
                response = view(request, organisation, language)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["Content-Security-Policy"] = assets()["csp"]
        response["Permissions-Policy"] = PERMISSIONS_POLICY.replace(
            "geolocation=()", "geolocation=(self)"
        )
        response["Content-Language"] = language
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def page_context(request: HttpRequest, language: str, **extra: Any) -> dict[str, Any]:
    return {
        "assets": assets(),
        "lang": language,
        "languages": [(code, NATIVE_NAMES.get(code, code)) for code in LANGUAGE_CODES],
        "title": settings.LIFELINE_INTAKE_TITLE,
        "exit_url": settings.LIFELINE_INTAKE_EXIT_URL,
        "sos_path": "/" + settings.LIFELINE_INTAKE_PATH,
        "check_path": "/" + settings.LIFELINE_CHECKIN_PATH,
        "path": request.path,
        **extra,
    }
