"""Typed requests: the attributes Lifeline adds to Django's ``HttpRequest``.

For the type checker only: at run time every request is Django's own request object, which
``OrganisationMiddleware`` (and, in the API, django-ninja's authentication) decorates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from lifeline.accounts.models import ApiToken, Membership, Organisation, User


class LifelineRequest(HttpRequest):
    """Any request that went through ``OrganisationMiddleware``."""

    api_token: ApiToken | None
    membership: Membership | None
    organisation: Organisation | None


class AuthenticatedRequest(LifelineRequest):
    """A view behind ``@login_required``: a logged-in user, maybe without a membership yet."""

    user: User


class MemberRequest(AuthenticatedRequest):
    """A view behind ``@member_required``: logged in, with an active membership."""

    membership: Membership
    organisation: Organisation


class ApiRequest(LifelineRequest):
    """An API endpoint: ninja's authentication set ``auth`` to the acting membership."""

    user: User
    auth: Membership
