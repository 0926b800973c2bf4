"""Persons: any human in the data (victim, reporter, relative, suspect).

Everything that identifies a person is encrypted (lifeline.core.fields). Searching works on
keyed blind indexes: ``NameToken`` rows hold HMACs of romanised name tokens, contacts and
identifiers hold an HMAC of their normalised value.
"""

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lifeline.core.fields import EncryptedDateField, EncryptedTextField
from lifeline.core.tenancy import TenantModel
from lifeline.core.vocabularies import Gender


class Person(TenantModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    gender = models.CharField(
        _("gender"), max_length=24, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    # Age as told (often all that is known); the band is kept in clear for statistics.
    age = EncryptedTextField(_("age"), blank=True, default="")
    age_band = models.CharField(max_length=8, blank=True, default="")
    citizenship = CountryField(_("citizenship"), blank=True, default="")
    nationalities = models.JSONField(_("other nationalities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    # Set when the person's data was erased (lifeline.privacy); the row stays for the counts.
    erased_at = models.DateTimeField(null=True, blank=True)
    # Set when this record was merged into another (lifeline.linkage): it is then hidden, its
    # names, contacts, documents and cases live on the other, and the merge can be undone.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "citizenship"])]

    def __str__(self) -> str:
        return f"Person {self.uid}"

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"uid": self.uid})


class NameKind(models.TextChoices):
    LEGAL = "legal", _("Legal name")
    ALIAS = "alias", _("Alias")
    NICKNAME = "nickname", _("Nickname")
    ROMANISED = "romanised", _("Romanised spelling")


class PersonName(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    value = EncryptedTextField(_("name"))
    kind = models.CharField(
        _("kind"), max_length=12, choices=NameKind.choices, default=NameKind.LEGAL
    )
    script = models.CharField(max_length=12, blank=True)
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_primary", "pk"]
        # Every scoped read of a person's rows filters on both: without planner statistics
        # (right after a bulk import) SQLite otherwise walks the organisation's whole index.
        indexes = [models.Index(fields=["organisation", "person"])]

    def __str__(self) -> str:
        return f"name {self.pk} of {self.person_id}"


class NameToken(TenantModel):
    """One keyed hash of one romanised token (or phonetic key) of a person's name."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    name = models.ForeignKey(PersonName, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["organisation", "digest", "person"])]

    def __str__(self) -> str:
        return self.digest


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", "WhatsApp"
    WECHAT = "wechat", "WeChat"
    LINE = "line", "LINE"
    TELEGRAM = "telegram", "Telegram"
    FACEBOOK = "facebook", "Facebook"
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


class ContactHandle(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=12, choices=ContactKind.choices)
    value = EncryptedTextField(_("number or handle"))
    value_index = models.CharField(max_length=32)
    is_safe = models.BooleanField(_("safe to contact"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "value_index"]),
            models.Index(fields=["organisation", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} contact {self.pk}"


class IdentifierKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National ID")
    OTHER = "other", _("Other document")


class Identifier(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=12, choices=IdentifierKind.choices)
    country = CountryField(_("issuing country"), blank=True, default="")
    value = EncryptedTextField(_("number"))
    value_index = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "value_index"]),
            models.Index(fields=["organisation", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
