"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Authentication: ``Authorization: Bearer <token>`` (tokens from Account → API tokens) or the
browser session with its CSRF token. The organisation middleware has already resolved the
membership and activated its scope, so endpoints only call selectors and services.

Errors, the same for every endpoint:

- 400 ``{"detail": "Cannot parse request body"}``: a write whose body is not JSON.
- 401 ``{"detail": ...}``: no valid token or session.
- 403 ``{"detail": ...}``: the actor's role does not allow this (``NotPermitted``), or a
  session request without its CSRF token.
- 404 ``{"detail": "Not found."}``: missing, another organisation's, or not visible to the
  actor: one body for all three, so that a 404 never tells whether the object exists.
- 409 ``{"detail", "current_version", "changes": {field: {"yours", "current"}}}``: someone
  else changed the object since the client read ``version``; nothing was written.
- 422 ``{"detail": [{"type", "loc", "msg"}]}``: invalid input, from the schema or from a
  service. ``loc`` is ``["body", <field>]`` (or ``["query", <param>]``, ``["path", <param>]``)
  for both, so a client maps every message onto its field the same way.
"""

from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ServiceValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from lifeline.accounts.api import router as accounts_router
from lifeline.accounts.models import Membership
from lifeline.cases.api import router as cases_router
from lifeline.cases.workflow import URGENCY_CODES
from lifeline.core.crypto import KeysDestroyed
from lifeline.core.errors import ConflictError, NotPermitted
from lifeline.core.http import LifelineRequest
from lifeline.evidence.api import router as evidence_router
from lifeline.intake.api import router as intake_router
from lifeline.linkage.api import router as linkage_router
from lifeline.people.api import router as people_router
from lifeline.privacy.api import router as privacy_router
from lifeline.reports.api import router as reports_router
from lifeline.screening.api import router as screening_router
from lifeline.sharing.api import router as sharing_router
from lifeline.sites.api import router as sites_router

# Endpoints name their body schema ``payload`` and their query schemas ``filters`` and
# ``paging``; ninja leaves those names in some error locations, which hide them from clients.
SCHEMA_PARAMS = frozenset({"payload", "filters", "paging"})


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        # The middleware checked the token; this only confirms it did.
        membership = cast(LifelineRequest, request).membership
        return membership if getattr(request, "api_token", None) is not None else None


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, with Django's CSRF check on unsafe methods.

    Only a request that the session authenticates is CSRF-checked: one that carries an
    ``Authorization`` header (valid or not) or no logged-in session is simply not the
    session's, so it ends as a 401 rather than a misleading "CSRF check failed" 403. A bearer
    header never falls back to the session, so a revoked token cannot ride on a cookie.
    """

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        super()._get_key(request)  # raises HttpError(403) when the CSRF check fails
        return "session"

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        return cast(LifelineRequest, request).membership if key == "session" else None


api = NinjaAPI(
    title="Lifeline API",
    version="1",
    urls_namespace="api",
    auth=[BearerAuth(), SessionAuth(csrf=True)],
)

api.add_router("", accounts_router)
api.add_router("", cases_router)
api.add_router("", people_router)
api.add_router("", privacy_router)
api.add_router("", evidence_router)
api.add_router("", screening_router)
api.add_router("", linkage_router)
api.add_router("", intake_router)
api.add_router("", sites_router)
api.add_router("", sharing_router)
api.add_router("", reports_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Never the exception's text: it could name the model or the lookup.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(KeysDestroyed)
def keys_destroyed(request: HttpRequest, exc: KeysDestroyed) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=503)


@api.exception_handler(NotPermitted)
def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    return api.create_response(request, {"detail": _("Your role does not allow this.")}, status=403)


@api.exception_handler(ConflictError)
def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    changes = {
        field: {"yours": _display(field, yours), "current": _display(field, current)}
        for field, (yours, current) in exc.changes.items()
    }
    body = {"detail": exc.message, "current_version": exc.current_version, "changes": changes}
    return api.create_response(request, body, status=409)


def _display(field: str, value: Any) -> Any:
    # The API speaks urgency codes ("critical"), the database integers.
    return URGENCY_CODES.get(value, value) if field == "urgency" else value


@api.exception_handler(ServiceValidationError)
def service_invalid(request: HttpRequest, exc: ServiceValidationError) -> HttpResponse:
    errors = []
    fields = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for field, messages in fields.items():
        loc = ["body"] if field == NON_FIELD_ERRORS else ["body", field]
        errors += [{"type": "value_error", "loc": loc, "msg": message} for message in messages]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(SchemaValidationError)
def schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        loc = list(error["loc"])
        if len(loc) >= 2 and loc[0] in ("body", "query") and loc[1] in SCHEMA_PARAMS:
            del loc[1]
        errors.append({**error, "loc": loc})
    return api.create_response(request, {"detail": errors}, status=422)
