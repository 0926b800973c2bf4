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


class InboxKind(models.TextChoices):
    SOS = "sos", "SOS page"
    BOT = "bot", "messaging bridge"


class InboxEntry(TenantModel):
    """A public submission that was acknowledged and is waiting to become a request.

    The public pages answer "received" as soon as the entry is committed (lifeline.intake.inbox
    commits concurrent ones together, without the audit chain); a worker then makes each into
    its request, receipt and audit events, exactly once: ``key`` is the receipt's
    ``token_digest``, unique in both tables. A drained entry keeps no payload and stays a while
    as a tombstone, so that a form sent twice, or a bot's post sent again, stays one request.
    """

    kind = models.CharField(max_length=8, choices=InboxKind.choices)
    key = models.CharField(max_length=32, unique=True)
    code_digest = models.CharField(max_length=32)
    # The bot post's signature (lifeline.intake.signing.replay_digest): a replay is refused.
    signature_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # What the request will be made of, as JSON; blanked once the request exists.
    payload = EncryptedTextField(blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now)
    drained_at = models.DateTimeField(null=True, blank=True)
    request = models.ForeignKey(
        "cases.Request", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt to make the request failed (an exception's class name, no content).
    failure = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = "inbox entries"
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(drained_at__isnull=True),
                name="intake_inbox_pending",
            ),
            models.Index(fields=["code_digest"], name="intake_inbox_code"),
            models.Index(fields=["drained_at"], name="intake_inbox_drained"),
        ]

    def __str__(self) -> str:
        return f"inbox {self.kind} {self.pk}"
