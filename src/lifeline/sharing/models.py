"""Partners, referrals between organisations, operations, briefings and their shares
(DESIGN.md "Operation", "Partner, Share").

Everything a partner is told leaves through a ``Share`` of a ``Briefing`` (to a partner without
an account) or a ``Referral`` (to another organisation on this Lifeline): both are logged, and
both hold only what their redaction profile allowed (lifeline.sharing.redaction).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lifeline.core.fields import EncryptedTextField
from lifeline.core.tenancy import TenantModel

# Partners ---------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    EMBASSY = "embassy", _("Embassy or consulate")
    POLICE = "police", _("Police")
    SHELTER = "shelter", _("Shelter")
    NGO = "ngo", _("Other network or NGO")
    JOURNALIST = "journalist", _("Journalist")
    OTHER = "other", _("Other")


class Partner(TenantModel):
    """Someone the organisation shares with who may have no account: an embassy desk, a police
    liaison, a shelter, a journalist. The desk's name is organisation data; the people and
    their numbers are personal data, encrypted."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=PartnerKind.choices)
    country = CountryField(_("country"), blank=True, default="")
    contact_name = EncryptedTextField(_("contact person"), blank=True, default="")
    contact_details = EncryptedTextField(
        _("phones, e-mails, handles"), blank=True, default="", max_chars=1000
    )
    notes = EncryptedTextField(_("notes"), blank=True, default="", max_chars=2000)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sharing:partner_detail", kwargs={"uid": self.uid})


# Referrals --------------------------------------------------------------------------------


class ReferralKind(models.TextChoices):
    # Primero's words: a referral asks for help while the sender keeps the case; a transfer
    # hands the case over.
    REFER = "refer", _("Referral")
    TRANSFER = "transfer", _("Transfer")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Spoken, in person")
    PHONE = "phone", _("Spoken, by phone")
    MESSAGE = "message", _("Written message")
    SIGNED = "signed", _("Signed form")


class ReferralProfile(models.TextChoices):
    ESSENTIALS = "essentials", _("Essentials: names, age, citizenship, needs")
    LOCATION = "location", _("Essentials with last known location and summary")
    FULL = "full", _("Full: with contacts and identity documents")


class Referral(models.Model):
    """A case referred or transferred to another organisation on this Lifeline.

    Not a ``TenantModel``: the row belongs to two organisations, the sender and the receiver,
    and each reads it through ``selectors.visible_referrals``, which filters on both. The
    receiver only ever reads ``snapshot``: the redacted copy made when it was sent.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReferralKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    profile = models.CharField(_("what is shared"), max_length=12, choices=ReferralProfile.choices)
    # JSON of the redacted case, as the receiver sees it.
    snapshot = EncryptedTextField(blank=True, default="")
    reason = EncryptedTextField(_("why"), blank=True, default="", max_chars=1000)
    consent_given_by = EncryptedTextField(_("consent given by"), max_chars=200)
    consent_at = models.DateTimeField(_("consent given on"))
    consent_method = models.CharField(
        _("how consent was given"), max_length=12, choices=ConsentMethod.choices
    )
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    expires_at = models.DateTimeField(_("answer by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = EncryptedTextField(blank=True, default="", max_chars=1000)
    # The receiver's own case, opened from the snapshot on acceptance.
    received_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["sender", "-created_at"]),
            models.Index(fields=["receiver", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:referral_detail", kwargs={"uid": self.uid})

    def is_expired(self) -> bool:
        """Still waiting for an answer past its answer-by date."""
        return self.status == ReferralStatus.PENDING and timezone.now() >= self.expires_at


class TransferRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class TransferRequest(models.Model):
    """Primero's transfer request: the organisation a case was referred to asks its owner to
    transfer it. Accepting sends a transfer (``transfer``) through the usual consent and
    profile; rejecting records why. Like ``Referral``, it belongs to both organisations and is
    read through the referral it answers, which ``selectors.visible_referrals`` scopes."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="transfer_requests"
    )
    status = models.CharField(
        max_length=10,
        choices=TransferRequestStatus.choices,
        default=TransferRequestStatus.PENDING,
    )
    note = EncryptedTextField(_("why"), blank=True, default="", max_chars=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = EncryptedTextField(blank=True, default="", max_chars=1000)
    transfer = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # One open request per referral: asking twice is refused, not queued.
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status="pending"),
                name="sharing_one_pending_transfer_request",
            )
        ]

    def __str__(self) -> str:
        return f"Transfer request {self.uid}"


# Operations -------------------------------------------------------------------------------


class OperationStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    RESCUED = "rescued", _("Rescued")
    SITE_EMPTY = "site_empty", _("Site empty on arrival")
    POSTPONED = "postponed", _("Postponed")
    COMPROMISED = "compromised", _("Compromised")


class Operation(TenantModel):
    """A need-to-know compartment for one rescue: only its members see it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    codename = models.CharField(_("code name"), max_length=80)
    plan = EncryptedTextField(_("plan"), blank=True, default="", max_chars=4000)
    # Interchangeable meeting points, one per line: any of them would do, so each partner is
    # told a different one (a canary mark that survives retelling).
    rendezvous_landmarks = EncryptedTextField(
        _("meeting points"), blank=True, default="", max_chars=1000
    )
    window_start = models.DateTimeField(_("window opens"))
    window_end = models.DateTimeField(_("window closes"))
    status = models.CharField(
        max_length=10, choices=OperationStatus.choices, default=OperationStatus.PLANNING
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_notes = EncryptedTextField(_("what happened"), blank=True, default="", max_chars=4000)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-window_start"])]

    def __str__(self) -> str:
        return self.codename

    def get_absolute_url(self) -> str:
        return reverse("sharing:operation_detail", kwargs={"uid": self.uid})


class OperationMember(TenantModel):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Recorded when the operation closes: who was there.
    was_present = models.BooleanField(default=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "user"], name="operation_member_unique")
        ]
        indexes = [models.Index(fields=["organisation", "user", "operation"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.operation_id}"


class OperationTarget(TenantModel):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="targets")
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "site"], name="operation_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site_id} for {self.operation_id}"


class OperationCase(TenantModel):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    # Recorded when the operation closes: was this person found?
    was_found = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "case"], name="operation_case_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} in {self.operation_id}"


class OperationPartner(TenantModel):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="partners")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "partner"], name="operation_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} in {self.operation_id}"


# Briefings and shares ---------------------------------------------------------------------


class BriefingLevel(models.TextChoices):
    SITE = "site", _("Site only: where it is and what it looks like")
    PEOPLE = "people", _("Site and people, without contacts")
    FULL = "full", _("Full: with contacts")


class BriefingStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting", _("Waiting for a second coordinator")
    READY = "ready", _("Ready")
    WITHDRAWN = "withdrawn", _("Withdrawn: a person in it was erased")


class Briefing(TenantModel):
    """What partners are told about an operation or a case, at one redaction level. Given to
    several partners, it is a canary set: each share carries its own variant."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    operation = models.ForeignKey(
        Operation, null=True, blank=True, on_delete=models.PROTECT, related_name="briefings"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("what is shared"), max_length=8, choices=BriefingLevel.choices)
    # The canary set (its JSON), which holds every recipient's variant: the document itself.
    canary_set = EncryptedTextField(blank=True, default="")
    # Reveals a target site before the operation's window opens: needs a second coordinator.
    reveals_target_early = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=BriefingStatus.choices, default=BriefingStatus.READY
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"Briefing {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:briefing_detail", kwargs={"uid": self.uid})


class Share(TenantModel):
    """One recipient's copy of a briefing: its variant number in the canary set, and the
    time-limited link it may be opened through."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    briefing = models.ForeignKey(Briefing, on_delete=models.PROTECT, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="shares")
    variant = models.PositiveSmallIntegerField()
    # SHA-256 of the link's secret; the secret itself is shown once, when the link is made.
    link_digest = models.CharField(max_length=64, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    max_views = models.PositiveIntegerField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["briefing", "variant"], name="share_unique_variant")
        ]
        indexes = [
            models.Index(fields=["link_digest"]),
            models.Index(fields=["organisation", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Share {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:share_detail", kwargs={"uid": self.uid})


class OpeningOutcome(models.TextChoices):
    SHOWN = "shown", _("Shown")
    EXPIRED = "expired", _("Refused: past its expiry")
    EXHAUSTED = "exhausted", _("Refused: view limit reached")
    REVOKED = "revoked", _("Refused: revoked")
    NOT_APPROVED = "not_approved", _("Refused: not approved yet")
    WITHDRAWN = "withdrawn", _("Refused: withdrawn (a person in it was erased)")


class ShareOpening(TenantModel):
    """One opening of a share's link, shown or refused (the coordinator sees why)."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=14, choices=OpeningOutcome.choices)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.outcome} {self.share_id}"
