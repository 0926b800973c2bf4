"""``GET /me``: who is acting, for which organisation, with which capabilities."""

from typing import Any

from ninja import Router, Schema

from lifeline.accounts.roles import CAPABILITIES
from lifeline.core.api import ErrorOut
from lifeline.core.http import ApiRequest

# GET /me ----------------------------------------------------------------------------------

router = Router(tags=["accounts"])


class OrganisationOut(Schema):
    slug: str
    name: str


class MeOut(Schema):
    username: str
    organisation: OrganisationOut
    role: str
    capabilities: list[str]


@router.get(
    "/me", response={200: MeOut, 401: ErrorOut}, summary="Who is acting, for which organisation"
)
def me(request: ApiRequest) -> dict[str, Any]:
    membership = request.auth
    return {
        "username": membership.user.username,
        "organisation": membership.organisation,
        "role": membership.role,
        "capabilities": sorted(name for name in CAPABILITIES if membership.has(name)),
    }
