"""What the public pages keep besides the request itself: the receipt that lets a sender
check in later, and the check-ins. Codes, tokens and duress words are kept only as keyed
hashes (lifeline.core.crypto.blind_index): a copy of the database does not reveal them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.fields import EncryptedTextField
from lifeline.core.tenancy import TenantModel


class Receipt(TenantModel):
    """The receipt of one public request: its code and the form's one-time token, hashed.

    ``token_digest`` is unique, so a form submitted twice (a flaky network, a reload) makes one
    request: the second submission finds the first one's receipt."""

    request = models.OneToOneField(
        "cases.Request", on_delete=models.CASCADE, related_name="receipt"
    )
    token_digest = models.CharField(max_length=32, unique=True)
    code_digest = models.CharField(max_length=32, unique=True)
    duress_digest = models.CharField(max_length=32, blank=True)
    # Its length in characters, so that a check-in's message is searched for it in one pass
    # (the word itself is known only by its keyed hash).
    duress_length = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"receipt of {self.request_id}"


class CheckInStatus(models.TextChoices):
    STILL_THERE = "still_there", _("Still there")
    MOVED = "moved", _("Moved")
    SAFE = "safe", _("Safe now")
    IN_DANGER = "in_danger", _("In danger now")


class CheckIn(TenantModel):
    """A sender's later word about a request, through its receipt code."""

    request = models.ForeignKey("cases.Request", on_delete=models.CASCADE, related_name="checkins")
    status = models.CharField(_("status"), max_length=12, choices=CheckInStatus.choices)
    message = EncryptedTextField(_("message"), blank=True, default="")
    # Set when the message held the duress word agreed at intake. The sender's page never
    # shows it; coordinators see it loudly.
    under_duress = models.BooleanField(default=False)
    language = models.CharField(max_length=12, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "request", "-received_at"])]

    def __str__(self) -> str:
        return f"check-in {self.status} on {self.request_id}"


class BridgeKind(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    LINE = "line", "LINE"
    SIGNAL = "signal", "Signal"
    WECHAT = "wechat", "WeChat"
    OTHER = "other", _("Other")


class BotChannel(TenantModel):
    """One messaging bridge an organisation runs (a Telegram, WhatsApp, LINE or Signal bot),
    allowed to post requests to ``POST /api/v1/intake/messages``.

    The secret signs every post (HMAC-SHA256). The server must compute the same HMAC, so the
    secret is kept encrypted (not hashed) with the other personal fields' keys; it is shown
    once, when the channel is made or its secret replaced."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("messaging app"), max_length=12, choices=BridgeKind.choices)
    secret = EncryptedTextField(default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class BotMessage(TenantModel):
    """One message a bridge delivered: unique per (channel, message id), so that a bridge that
    posts the same message again gets the first answer and makes no second request."""

    channel = models.ForeignKey(BotChannel, on_delete=models.PROTECT, related_name="messages")
    message_id = models.CharField(max_length=200)
    request = models.ForeignKey(
        "cases.Request", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=12, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "message_id"], name="botmessage_unique_channel_message"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.message_id}"


class BotSignature(models.Model):
    """A signature already accepted, kept while its timestamp is fresh: the same signed post
    sent again (a replay) is refused. Rows older than the freshness window are pruned."""

    digest = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.digest
