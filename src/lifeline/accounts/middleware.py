"""Resolves who is acting for which organisation, and activates that organisation's scope.

A request carries either a session (browser) or an ``Authorization: Bearer`` API token. Either
way ``request.membership`` and ``request.organisation`` are set (or None), and every tenant
query made while handling the request is confined to that organisation by django-scopes.
"""

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

from lifeline.accounts.selectors import active_membership
from lifeline.accounts.services import api_token_authenticate
from lifeline.core.http import AuthenticatedRequest, LifelineRequest
from lifeline.core.tenancy import scope


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
                request.api_token = token
                request.user = token.membership.user
                membership = token.membership
        elif request.user.is_authenticated:
            membership = active_membership(request=cast(AuthenticatedRequest, request))
        request.membership = membership
        request.organisation = membership.organisation if membership else None
        with scope(organisation=request.organisation):
            return self.get_response(request)
