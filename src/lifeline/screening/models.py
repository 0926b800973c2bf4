"""The lure library: job offers collected from cases, reports and partners, the recruiters'
identifiers found in them, and the campaigns that group near-duplicates.

Offers and identifiers are personal data (recruiters' handles, phones and names, and what a
victim pasted): their text is encrypted and identifiers are found by keyed blind index, the
same digest as ``people.ContactHandle.value_index`` so that a recruiter's handle meets the
persons who have it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.fields import EncryptedTextField
from lifeline.core.tenancy import TenantModel


class LureSource(models.TextChoices):
    CASE = "case", _("A case")
    REPORT = "report", _("A public report")
    PARTNER = "partner", _("A partner")
    MONITORING = "monitoring", _("Our own monitoring")
    # Reported by a reader of the public job-check page (lifeline.screening.public).
    PUBLIC_PAGE = "public_page", _("The public job-check page")


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    TELEGRAM = "telegram", "Telegram"
    WECHAT = "wechat", "WeChat"
    LINE = "line", "LINE"
    WHATSAPP = "whatsapp", "WhatsApp"
    TIKTOK = "tiktok", "TikTok"
    JOB_BOARD = "job_board", _("Job board")
    OTHER = "other", _("Other")


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    TELEGRAM = "telegram", "Telegram"
    WECHAT = "wechat", "WeChat"
    LINE = "line", "LINE"
    EMAIL = "email", _("Email")
    COMPANY = "company", _("Company name")
    PAYMENT = "payment", _("Payment details")


class Campaign(TenantModel):
    """Offers made from one template (``lifeline.screening.campaigns``), rebuilt on each add."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Campaign {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("screening:campaign_detail", kwargs={"uid": self.uid})


class Lure(TenantModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = EncryptedTextField(_("text of the offer"))
    source = models.CharField(_("from"), max_length=12, choices=LureSource.choices)
    platform = models.CharField(_("seen on"), max_length=12, choices=Platform.choices)
    seen_on = models.DateField(_("date seen"))
    seen_where = EncryptedTextField(_("where (group, page, board)"), blank=True, default="")
    country = models.CharField(_("country (ISO code)"), max_length=2, blank=True, default="")
    # Where the offer was seen, for the map: a town (not personal: where an advert ran) and,
    # when known, a point.
    town = models.CharField(_("town"), max_length=100, blank=True, default="")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # The offer's language as read from its script and words (intake.language), "" if unclear.
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    # Keyed hash of the public page's one-time form token: a report sent twice is one offer.
    report_digest = models.CharField(max_length=32, null=True, blank=True, unique=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="lures"
    )
    level = models.CharField(max_length=8)
    sign_codes = models.JSONField(default=list)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="lures"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the case it came from was erased: the text is blanked, the row stays.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-seen_on"])]

    def __str__(self) -> str:
        return f"Lure {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("screening:lure_detail", kwargs={"uid": self.uid})


class RecruiterIdentifier(TenantModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=IdentifierKind.choices)
    value = EncryptedTextField(_("value"))
    value_index = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "value_index"], name="recruiter_identifier_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} identifier {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("screening:identifier_detail", kwargs={"uid": self.uid})


class LureIdentifier(TenantModel):
    lure = models.ForeignKey(Lure, on_delete=models.CASCADE, related_name="identifier_links")
    identifier = models.ForeignKey(
        RecruiterIdentifier, on_delete=models.CASCADE, related_name="lure_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lure", "identifier"], name="lure_identifier_once")
        ]
