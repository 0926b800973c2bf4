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
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from lifeline.accounts.models import ApiTokenScope, User
from lifeline.accounts.policy import second_factor_required
from lifeline.accounts.selectors import active_membership, memberships_of, second_factor_device
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
        # request.user comes from the session cookie only (bearer tokens are read later), so a
        # header sent alongside the cookie cannot lift the limit.
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - int(started) > settings.LIFELINE_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# Pages an authenticated but unverified session may still reach: the second step itself,
# enrolment, and the ways out.
SECOND_FACTOR_OPEN_URLS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:verify",
        "accounts:enrol",
    }
)


class SecondFactorMiddleware:
    """Keeps a password-only session away from everything but the second step.

    A browser session whose user has a confirmed authenticator must verify a code
    (``accounts:verify``); one whose organisation's policy requires a second factor and who has
    none must enrol (``accounts:enrol``). Until then every other page redirects there and the
    session-authenticated API answers 403. Bearer-token API requests are not sessions and pass:
    a token can only be created from a verified session. Must run after ``OTPMiddleware`` and
    ``OrganisationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: LifelineRequest) -> HttpResponse:
        user = request.user
        if request.api_token is not None or not user.is_authenticated:
            return self.get_response(request)
        if user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
            return self.get_response(request)
        step = second_factor_step(user=user)
        if step is None or _is_open(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Log in with your second factor before using the API.")},
                status=403,
            )
        return redirect_to_login(request.get_full_path(), reverse(step), "next")


def _is_open(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in SECOND_FACTOR_OPEN_URLS


def second_factor_step(*, user: User) -> str | None:
    """The page an unverified session of ``user`` must go to first, or None if none."""
    if second_factor_device(user=user) is not None:
        return "accounts:verify"
    if second_factor_required(user=user, memberships=memberships_of(user=user)):
        return "accounts:enrol"
    return None
