"""Users, memberships, API tokens, the second factor and the organisation's settings."""

import datetime
import secrets as pysecrets
from typing import cast

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lifeline.accounts.models import (
    ApiToken,
    ApiTokenScope,
    Membership,
    Organisation,
    SecondFactorPolicy,
    User,
)
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


# Second factor ----------------------------------------------------------------------------
#
# A member has at most one confirmed TOTP device (an authenticator app) and one static device
# holding their unused recovery codes. Recovery codes are stored only as keyed digests, so a
# copy of the database does not hand them out. Neither the TOTP secret nor any code is ever
# written to the audit log.

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_CODE_LENGTH = 10  # about 49 bits each
TOTP_DIGITS = 6


def normalise_code(code: str) -> str:
    """What the member typed, without spaces or dashes, lower-cased."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_code_digest(code: str) -> str:
    """The stored form of a recovery code: an HMAC under the secret key, cut to the 16
    characters django-otp's ``StaticToken.token`` holds (64 bits: a lookup, not a password)."""
    return salted_hmac("lifeline.accounts.recovery_code", normalise_code(code)).hexdigest()[:16]


def _new_recovery_codes() -> list[str]:
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(
            pysecrets.choice(RECOVERY_CODE_ALPHABET) for _j in range(RECOVERY_CODE_LENGTH)
        )
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    """Delete the user's recovery codes and make a new set; return them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = _new_recovery_codes()
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
    )
    return codes


@transaction.atomic
def second_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device the member is setting up: the existing one, so that
    reloading the page keeps the same secret, or a new one with a fresh random key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False, digits=TOTP_DIGITS
        )
    return cast(TOTPDevice, device)


def second_factor_enrol(
    *,
    user: User,
    device: TOTPDevice,
    code: str,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Confirm ``device`` with a code from the app, mark the session verified, and return a new
    set of recovery codes (shown once, never stored in clear).

    Any other device of the user is removed. A wrong code raises ValidationError; the failure is
    audited and throttled (the wait doubles per failure), and those records are committed even
    though the enrolment is refused."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": [_("Start the set-up again.")]})
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _info = device.verify_is_allowed()
        ok = allowed and device.verify_token(normalise_code(code))
        if not ok:
            audit_log(
                actor=user,
                organisation=organisation,
                action="accounts.second_factor.enrolment_failed",
                payload={"throttled": not allowed},
                request=request,
            )
    if not ok:
        raise ValidationError({"code": [_wrong_code_message(allowed)]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        audit_log(
            actor=user,
            organisation=organisation,
            action="accounts.second_factor.enrolled",
            obj=device,
            request=request,
        )
    if request is not None:
        _mark_session_verified(request, device)
    return codes


def _wrong_code_message(allowed: bool) -> str:
    if not allowed:
        return str(_("Too many wrong codes. Wait a minute, then try again."))
    return str(_("That code is not right. Enter the current code, or an unused recovery code."))


def _mark_session_verified(request: HttpRequest, device: Device) -> None:
    # A new session key once the second factor is checked, as at any change of privilege.
    request.session.cycle_key()
    otp_login(request, device)


def second_factor_verify(
    *,
    user: User,
    code: str,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> Device:
    """Check ``code`` (six digits from the app, or an unused recovery code, which is then used
    up) and mark the session verified. Returns the device that accepted it.

    Raises ValidationError for a wrong code or while the device is throttled. Every attempt is
    audited, with the kind of code but never the code; a failure's throttling and audit entry
    are committed although the call raises."""
    typed = normalise_code(code)
    is_totp = typed.isdigit() and len(typed) == TOTP_DIGITS
    method = "totp" if is_totp else "recovery_code"
    model: type[Device] = TOTPDevice if is_totp else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        allowed = True
        ok = False
        if device is not None:
            allowed, _info = device.verify_is_allowed()
            token = typed if is_totp else recovery_code_digest(typed)
            ok = allowed and bool(device.verify_token(token))
        audit_log(
            actor=user,
            organisation=organisation,
            action="accounts.second_factor.verified" if ok else "accounts.second_factor.failed",
            payload={"method": method, "throttled": not allowed},
            request=request,
        )
    if not ok or device is None:
        raise ValidationError({"code": [_wrong_code_message(allowed)]})
    if request is not None:
        _mark_session_verified(request, device)
    return cast(Device, device)


@transaction.atomic
def recovery_codes_regenerate(
    *, user: User, organisation: Organisation | None = None, request: HttpRequest | None = None
) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working) and return the new ones.
    Only for a member with a confirmed authenticator; the caller checks the session is verified."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _replace_recovery_codes(user)
    audit_log(
        actor=user,
        organisation=organisation,
        action="accounts.second_factor.recovery_codes_replaced",
        payload={"count": len(codes)},
        request=request,
    )
    return codes


@transaction.atomic
def second_factor_reset(
    *, actor: Membership, membership: Membership, request: HttpRequest | None = None
) -> None:
    """Remove every second-factor device of ``membership``'s user (a lost phone). Their sessions
    stop being verified at once, and they must enrol again to get past the login."""
    user = membership.user
    removed = _delete_devices(user)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="accounts.second_factor.reset",
        obj=membership,
        payload={"user_id": user.pk, "removed": removed},
        request=request,
    )


@transaction.atomic
def second_factor_reset_by_operator(*, user: User) -> int:
    """The same reset, from the server's command line (``lifeline resetsecondfactor``): for an
    organisation's only admin, or platform staff, who lost their phone. Returns the number of
    rows removed (devices and recovery codes)."""
    removed = _delete_devices(user)
    audit_log(
        actor=None,
        organisation=None,
        action="accounts.second_factor.reset_by_operator",
        obj=user,
        payload={"user_id": user.pk, "removed": removed},
    )
    return removed


def _delete_devices(user: User) -> int:
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _by_model = model.objects.filter(user=user).delete()
        removed += count
    return removed


@transaction.atomic
def organisation_set_second_factor_policy(
    *, actor: Membership, second_factor_policy: str, request: HttpRequest | None = None
) -> Organisation:
    policy = second_factor_policy
    if policy not in SecondFactorPolicy.values:
        raise ValidationError({"second_factor_policy": [_("Choose a policy from the list.")]})
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    old = organisation.second_factor_policy
    if old != policy:
        organisation.second_factor_policy = policy
        organisation.save(update_fields=["second_factor_policy"])
        audit_log(
            actor=actor.user,
            organisation=organisation,
            action="accounts.organisation.second_factor_policy_changed",
            obj=organisation,
            payload={"old": old, "new": policy},
            request=request,
        )
    return organisation
