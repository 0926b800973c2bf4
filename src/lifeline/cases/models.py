"""Requests for help, cases, assignments and the case timeline."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.cases.workflow import OPEN_STATES, CaseStatus, Urgency
from lifeline.core.fields import EncryptedTextField
from lifeline.core.tenancy import TenantModel
from lifeline.core.vocabularies import (
    MethodOfRecruitment,
    RelationshipToTrafficker,
    StatusDecidedBy,
    TraffickingStatus,
)
from lifeline.people.models import ContactKind


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WECHAT = "wechat", "WeChat"
    LINE = "line", "LINE"
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    FACEBOOK = "facebook", "Facebook"
    WEB = "web", _("Web form")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    PARTNER = "partner", _("Partner organisation")
    OTHER = "other", _("Other")


class ReporterRelation(models.TextChoices):
    SELF = "self", _("The person in danger")
    FAMILY = "family", _("Family")
    FRIEND = "friend", _("Friend")
    OTHER = "other", _("Other")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    CONVERTED = "converted", _("Case opened")
    REJECTED = "rejected", _("Rejected")


class RejectionReason(models.TextChoices):
    SPAM = "spam", _("Spam or abuse")
    DUPLICATE = "duplicate", _("Duplicate of another request")
    NOT_TRAFFICKING = "not_trafficking", _("Not a trafficking situation")
    OUT_OF_SCOPE = "out_of_scope", _("Outside what this organisation does")
    TEST = "test", _("Test submission")


class Request(TenantModel):
    """One raw incoming ask for help, before triage."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=12, blank=True)
    reporter_relation = models.CharField(
        _("who is asking"), max_length=8, choices=ReporterRelation.choices
    )
    reporter_name = EncryptedTextField(_("reporter's name"), blank=True, default="")
    reporter_contact_kind = models.CharField(max_length=12, choices=ContactKind.choices, blank=True)
    reporter_contact = EncryptedTextField(_("reporter's contact"), blank=True, default="")
    subject_name = EncryptedTextField(_("name of the person in danger"), blank=True, default="")
    subject_contact_kind = models.CharField(max_length=12, choices=ContactKind.choices, blank=True)
    subject_contact = EncryptedTextField(_("their contact"), blank=True, default="")
    subject_contact_index = models.CharField(max_length=32, blank=True)
    location_text = EncryptedTextField(_("where they are"), blank=True, default="")
    text = EncryptedTextField(_("what is happening"), blank=True, default="")
    danger_signs = models.JSONField(_("danger signs"), default=list, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    rejection_reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    # Set when its personal data was erased (lifeline.privacy).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "status", "-urgency", "-received_at"])]

    def __str__(self) -> str:
        return f"Request {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("cases:request_detail", kwargs={"uid": self.uid})


class Case(TenantModel):
    """One victim's journey, from the first report to home."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=24)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    urgency_reasons = models.JSONField(_("urgency reasons"), default=list, blank=True)
    summary = EncryptedTextField(_("summary"), blank=True, default="")
    last_known_location = EncryptedTextField(_("last known location"), blank=True, default="")
    # HTCDS victim context (DATA-STANDARDS.md): codes, not personal data.
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_method = models.CharField(
        _("how they were recruited"), max_length=32, choices=MethodOfRecruitment.choices, blank=True
    )
    recruitment_apps = models.JSONField(
        _("apps or websites used to recruit"), default=list, blank=True
    )
    relationship_to_trafficker = models.CharField(
        _("relationship to the recruiter"),
        max_length=16,
        choices=RelationshipToTrafficker.choices,
        blank=True,
    )
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=32,
        choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    trafficking_status_decided_by = models.CharField(
        _("status decided by"), max_length=40, choices=StatusDecidedBy.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Optimistic concurrency: every write bumps it; a write that expected another value is refused.
    version = models.PositiveIntegerField(default=1)
    # Set when its personal data was erased (lifeline.privacy); codes and dates stay.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_unique_reference"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-urgency", "-created_at"]),
            models.Index(fields=["organisation", "status", "-urgency", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", kwargs={"uid": self.uid})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class CaseAssignment(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="assignment_unique_case_user")
        ]
        indexes = [models.Index(fields=["organisation", "user", "case"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"


class TimelineKind(models.TextChoices):
    CREATED = "created", _("Case opened")
    CONTACT = "contact", _("Contact")
    NOTE = "note", _("Note")
    STATUS = "status", _("Status change")
    URGENCY = "urgency", _("Urgency change")
    LOCATION = "location", _("Location mentioned")
    ASSIGNMENT = "assignment", _("Assignment")
    CHECKIN = "checkin", _("Check-in from the sender")


class TimelineEvent(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=12, choices=TimelineKind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    recorded_at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    body = EncryptedTextField(_("what happened"), blank=True, default="")
    location = EncryptedTextField(_("location mentioned"), blank=True, default="")
    # Codes only (from/to states, urgency, assignee id) so that the timeline renders without decrypting.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.case_id}"


class CaseSearchToken(TenantModel):
    """Keyed hash of one word of a case's free text (summary, request text), for text search."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["organisation", "digest", "case"])]

    def __str__(self) -> str:
        return self.digest
