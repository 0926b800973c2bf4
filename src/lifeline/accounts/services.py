"""Users, memberships and API tokens."""

import datetime
import secrets as pysecrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lifeline.accounts.models import ApiToken, ApiTokenScope, Membership, Organisation, User
from lifeline.accounts.roles import Role
from lifeline.audit.services import audit_log

MAX_TOKEN_DAYS = 365


@transaction.atomic
def organisation_create(
    *,
    name: str,
    slug: str = "",
    default_phone_region: str = "",
    case_prefix: str = "LL",
    actor: User | None = None,
) -> Organisation:
    slug = slugify(slug or name)[:60]
    if not name.strip() or not slug:
        raise ValidationError({"name": [_("Enter the organisation's name.")]})
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [_("An organisation with this short name exists.")]})
    org = Organisation.objects.create(
        name=name.strip(),
        slug=slug,
        default_phone_region=default_phone_region.upper(),
        case_prefix=case_prefix.upper()[:8] or "LL",
    )
    audit_log(actor=actor, organisation=org, action="accounts.organisation.created", obj=org)
    return org


@transaction.atomic
def user_add_to_organisation(
    *,
    organisation: Organisation,
    username: str,
    role: str,
    email: str = "",
    display_name: str = "",
    password: str | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    """Create the user if needed (with ``password``, or unusable until they follow an invitation
    link) and give them ``role`` in ``organisation``."""
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    username = username.strip()
    if not username or len(username) > 150:
        raise ValidationError({"username": [_("Enter a user name of at most 150 characters.")]})
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        user = User(username=username, email=email.strip(), display_name=display_name.strip())
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from None
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {"username": [_("This user is already a member of the organisation.")]}
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_log(
        actor=actor,
        organisation=organisation,
        action="accounts.membership.created",
        obj=membership,
        payload={"user_id": user.pk, "role": role},
        request=request,
    )
    return membership


@transaction.atomic
def membership_set_role(
    *,
    actor: Membership,
    membership: Membership,
    role: str,
    is_active: bool,
    request: HttpRequest | None = None,
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    if membership.pk == actor.pk and (role != Role.ORG_ADMIN or not is_active):
        raise ValidationError({"role": [_("You cannot remove your own admin role.")]})
    membership.role, membership.is_active = role, is_active
    membership.save(update_fields=["role", "is_active"])
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="accounts.membership.changed",
        obj=membership,
        payload={"role": role, "active": is_active},
        request=request,
    )
    return membership


@transaction.atomic
def api_token_create(
    *,
    actor: Membership,
    name: str,
    scope: str = ApiTokenScope.READ,
    expires_in_days: int = 90,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Return the token and its raw value, which is shown once and never stored. Every token
    expires (within a year); read-only is the default."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("Give the token a name of at most 100 characters.")]})
    if scope not in ApiTokenScope.values:
        raise ValidationError({"scope": [_("Choose read only, or read and write.")]})
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"expires_in_days": [_("A token lasts from 1 to %(n)d days.") % {"n": MAX_TOKEN_DAYS}]}
        )
    raw, lookup, secret = ApiToken.new_raw()
    token = ApiToken.objects.create(
        membership=actor,
        name=name,
        lookup=lookup,
        secret_hash=ApiToken.hash_secret(secret),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
    )
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="accounts.api_token.created",
        obj=token,
        payload={"scope": scope, "days": expires_in_days},
        request=request,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(
    *, actor: Membership, token: ApiToken, request: HttpRequest | None = None
) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor.user,
            organisation=actor.organisation,
            action="accounts.api_token.revoked",
            obj=token,
            request=request,
        )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token whose secret matches ``raw``, compared in constant time; else None."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    lookup, _sep, secret = raw[len(ApiToken.PREFIX) :].partition("_")
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organisation")
        .filter(lookup=lookup, revoked_at__isnull=True)
        .first()
    )
    if token is None or not pysecrets.compare_digest(
        token.secret_hash, ApiToken.hash_secret(secret)
    ):
        return None
    membership = token.membership
    if token.is_expired or not (membership.is_active and membership.user.is_active):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
