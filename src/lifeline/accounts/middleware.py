"""Resolves who is acting for which organisation, and activates that organisation's scope.

A request carries either a session (browser) or an ``Authorization: Bearer`` API token. Either
way ``request.membership`` and ``request.organisation`` are set (or None), and every tenant
query made while handling the request is confined to that organisation by django-scopes.
"""

import time
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from lifeline.accounts.models import ApiTokenScope
from lifeline.accounts.selectors import active_membership
from lifeline.accounts.services import api_token_authenticate
from lifeline.core.http import AuthenticatedRequest, LifelineRequest
from lifeline.core.tenancy import scope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class OrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: LifelineRequest) -> HttpResponse:
        request.api_token = None
        membership = None
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = api_token_authenticate(header[len("Bearer ") :].strip())
            if token is not None:
                if token.scope != ApiTokenScope.WRITE and request.method not in SAFE_METHODS:
                    # Refused before any view runs, so a read-only token can never write.
                    return JsonResponse({"detail": _("This API token is read-only.")}, status=403)
                request.api_token = token
                request.user = token.membership.user
                membership = token.membership
        elif request.user.is_authenticated:
            membership = active_membership(request=cast(AuthenticatedRequest, request))
        request.membership = membership
        request.organisation = membership.organisation if membership else None
        with scope(organisation=request.organisation):
            return self.get_response(request)


SESSION_STARTED_KEY = "lifeline_login_at"


class SessionLimitMiddleware:
    """Ends a browser session ``LIFELINE_SESSION_ABSOLUTE_SECONDS`` after its login, however
    active it has been (the idle timeout is the session cookie's own, renewed per request).
    A stolen or forgotten session on a seized laptop stops working by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and "Authorization" not in request.headers:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - int(started) > settings.LIFELINE_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
