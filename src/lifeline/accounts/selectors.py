from collections.abc import Iterable
from typing import cast

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lifeline.accounts.models import ApiToken, Membership, User
from lifeline.core.http import AuthenticatedRequest

SESSION_ORG_KEY = "lifeline_org"


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation", "user")
        .order_by("organisation__name")
    )


def command_membership(*, organisation: str, username: str) -> Membership | None:
    """The active membership a command-line operation acts as (``--organisation SLUG --member
    USER``), so that its writes and exports are audited as that member's."""
    return (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation__slug=organisation, user__username=username, is_active=True)
        .first()
    )


def active_membership(*, request: AuthenticatedRequest) -> Membership | None:
    """The membership the session works in: the chosen organisation, or the only one."""
    memberships = list(memberships_of(user=request.user))
    chosen = request.session.get(SESSION_ORG_KEY)
    for membership in memberships:
        if membership.organisation_id == chosen:
            return membership
    return memberships[0] if len(memberships) == 1 else None


def organisation_members(*, actor: Membership) -> QuerySet[Membership]:
    """The organisation's members, each with ``invitable`` (see ``member_invitable``)."""
    elsewhere = Membership.objects.filter(user=OuterRef("user")).exclude(pk=OuterRef("pk"))
    invitable = Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX) & ~Exists(elsewhere)
    return (
        Membership.objects.filter(organisation=actor.organisation)
        .select_related("user")
        .annotate(invitable=ExpressionWrapper(invitable, output_field=BooleanField()))
        .order_by("user__username")
    )


def member_get(*, actor: Membership, pk: int) -> Membership:
    try:
        return organisation_members(actor=actor).get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None


def member_invitable(*, member: Membership) -> bool:
    """Whether the admin may get an invitation link for ``member``. The link sets the user's
    password, so whoever holds it owns the account: only a user who has never set a password
    and belongs to no other organisation may be invited, or an organisation admin could take
    over a coordinator's account, or another organisation's member and that organisation's data.
    """
    user = member.user
    if user.has_usable_password():
        return False
    return not Membership.objects.filter(user=user).exclude(pk=member.pk).exists()


def api_tokens_of(*, actor: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=actor).order_by("-created_at")


def api_token_get(*, actor: Membership, pk: int) -> ApiToken:
    try:
        return api_tokens_of(actor=actor).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def second_factor_device(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator device, if they enrolled one."""
    return cast(
        "TOTPDevice | None",
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first(),
    )


def recovery_codes_left(*, user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def second_factor_enrolled_ids(*, members: Iterable[Membership]) -> set[int]:
    """Ids of the users among ``members`` who have a confirmed authenticator (one query)."""
    user_ids = [m.user_id for m in members]
    return set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
