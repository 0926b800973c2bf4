"""The JSON API under /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Authentication: ``Authorization: Bearer <token>`` (tokens from Account → API tokens) or the
browser session with its CSRF token. The organisation middleware has already resolved the
membership and activated its scope, so endpoints only call selectors and services.
"""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import APIKeyCookie, HttpBearer

from lifeline.accounts.models import Membership


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        # The middleware checked the token; this only confirms it did.
        return request.membership if getattr(request, "api_token", None) is not None else None


class SessionAuth(APIKeyCookie):
    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        if getattr(request, "api_token", None) is None and request.user.is_authenticated:
            return request.membership
        return None


api = NinjaAPI(
    title="Lifeline API",
    version="1",
    urls_namespace="api",
    auth=[BearerAuth(), SessionAuth(csrf=True)],
)
