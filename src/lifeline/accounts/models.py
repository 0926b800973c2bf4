import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.accounts.roles import Role, role_has


class User(AbstractUser):
    """A person who logs in. Belongs to organisations through memberships."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class SecondFactorPolicy(models.TextChoices):
    """Who must log in with a second factor (lifeline.accounts.otp.second_factor_required)."""

    EVERYONE = "everyone", _("Every member")
    PERSONAL_DATA = "personal_data", _("Members who can see personal data or manage members")
    OPTIONAL = "optional", _("Nobody is required to (each member may choose)")


class Organisation(models.Model):
    """A tenant: one rescue network, NGO or shelter."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    default_phone_region = models.CharField(
        _("default phone country"),
        max_length=2,
        blank=True,
        help_text=_("ISO country code used for phone numbers typed without +country code."),
    )
    case_prefix = models.CharField(_("case reference prefix"), max_length=8, default="LL")
    # Last case number handed out; incremented under a row lock by cases.services.
    case_counter = models.PositiveIntegerField(default=0)
    second_factor_policy = models.CharField(
        _("second factor"),
        max_length=20,
        choices=SecondFactorPolicy.choices,
        default=SecondFactorPolicy.PERSONAL_DATA,
        help_text=_("Who must confirm each login with a code from an authenticator app."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    def has(self, capability: str) -> bool:
        return self.is_active and role_has(self.role, capability)


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A per-user API token for one organisation. Only a SHA-256 of the secret is stored.

    Every token expires; a read-only token is refused for any request that changes data."""

    PREFIX = "llt_"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    scope = models.CharField(
        _("access"), max_length=8, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.PREFIX}{self.lookup}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # The secret is 256 random bits, so a fast hash is enough (no password stretching needed).
        return hashlib.sha256(secret.encode("ascii")).hexdigest()

    @classmethod
    def new_raw(cls) -> tuple[str, str, str]:
        """Return (raw token shown once, lookup, secret)."""
        lookup = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        return f"{cls.PREFIX}{lookup}_{secret}", lookup, secret

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
