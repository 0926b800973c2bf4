"""The registry of sites (compounds, casinos, hotels, office parks used for scams), their
operators and the graded claims about their status (DESIGN.md "Site").

A site's names, place and indicators are organisation data, not personal data: they are stored
in clear and searched normally. A person who operates a site is personal data (a suspect): the
name is encrypted.
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


class SiteKind(models.TextChoices):
    COMPOUND = "compound", _("Compound")
    CASINO = "casino", _("Casino")
    HOTEL = "hotel", _("Hotel")
    OFFICE_PARK = "office_park", _("Office park")
    SPECIAL_ECONOMIC_ZONE = "sez", _("Special economic zone")
    OTHER = "other", _("Other")


class SiteStatus(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    ACTIVE = "active", _("Active")
    RAIDED = "raided", _("Raided")
    ABANDONED = "abandoned", _("Abandoned")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    RELOCATED = "relocated", _("Relocated to another site")


class Indicator(models.TextChoices):
    """What makes a place recognisable as a compound. DATA-STANDARDS.md has no vocabulary for
    this; the list follows the reporting (walls, wire, cameras, guards) and grows by code."""

    PERIMETER_WALL = "perimeter_wall", _("Perimeter wall")
    BARBED_WIRE = "barbed_wire", _("Barbed wire")
    RAZOR_WIRE = "razor_wire", _("Razor wire")
    CCTV = "cctv", _("CCTV cameras")
    ARMED_GUARDS = "armed_guards", _("Armed guards")
    GUARD_TOWERS = "guard_towers", _("Guard towers")
    GATED_ENTRY = "gated_entry", _("Guarded gate")
    BLOCKED_WINDOWS = "blocked_windows", _("Blocked or barred windows")
    DORMITORIES = "dormitories", _("Dormitories on site")
    VIOLENCE_REPORTS = "violence_reports", _("Reports of violence")
    CONFISCATED_PASSPORTS = "confiscated_passports", _("Reports of passports taken")
    NO_EXIT = "no_exit", _("Workers not allowed out")
    BULK_SIM_OR_PHONES = "bulk_phones", _("Phones or SIM cards in bulk")
    NIGHT_SHIFTS = "night_shifts", _("Lights on all night, shift work")


class Reliability(models.TextChoices):
    """Admiralty code: how reliable the source has been."""

    A = "A", _("A – completely reliable")
    B = "B", _("B – usually reliable")
    C = "C", _("C – fairly reliable")
    D = "D", _("D – not usually reliable")
    E = "E", _("E – unreliable")
    F = "F", _("F – reliability cannot be judged")


class Credibility(models.IntegerChoices):
    """Admiralty code: how credible this piece of information is."""

    CONFIRMED = 1, _("1 – confirmed by other sources")
    PROBABLY_TRUE = 2, _("2 – probably true")
    POSSIBLY_TRUE = 3, _("3 – possibly true")
    DOUBTFUL = 4, _("4 – doubtful")
    IMPROBABLE = 5, _("5 – improbable")
    CANNOT_JUDGE = 6, _("6 – truth cannot be judged")


class Site(TenantModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # Other names in any script ("金木棉", "KK Park"), one per item.
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    # Lower-cased names and aliases with their romanisation, for plain search across scripts.
    search_text = models.TextField(blank=True, default="", editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=SiteKind.choices)
    country = CountryField(_("country"))
    province = models.CharField(_("province or state"), max_length=120, blank=True)
    town = models.CharField(_("town"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # A GeoJSON Polygon geometry (validated: closed rings, no self-intersection).
    outline = models.JSONField(_("outline"), null=True, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    # The latest claim, copied here so that lists, filters and the map need no join.
    status = models.CharField(
        _("status"), max_length=12, choices=SiteStatus.choices, blank=True, default=""
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    status_reliability = models.CharField(max_length=1, choices=Reliability.choices, blank=True)
    status_credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, null=True, blank=True
    )
    # Offered, with its aliases, as a suggestion on the public SOS form. Off by default: a name
    # shown there tells anyone (the gangs too) that the network knows the place.
    suggest_publicly = models.BooleanField(
        _("name may be suggested publicly"),
        default=False,
        help_text=_(
            "Offer this name and its other names as suggestions on the public help form. Only "
            "for places whose names are public knowledge already."
        ),
    )
    # Kept by lifeline.sites.counters in the services that change sightings and cases, so that
    # the map and the site page need not count a million sightings (counts, no personal data).
    people_count = models.PositiveIntegerField(default=0, editable=False)
    sighting_count = models.PositiveIntegerField(default=0, editable=False)
    active_case_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic concurrency: every write bumps it; a write that expected another value is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "country", "name"]),
            models.Index(fields=["organisation", "latitude", "longitude"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sites:detail", kwargs={"uid": self.uid})

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def indicator_labels(self) -> list[str]:
        return [str(Indicator(code).label) for code in self.indicators if code in Indicator.values]


class SiteNameKey(TenantModel):
    """One way the site's name or an alias may be written in a text (lifeline.sites.naming
    ``NameKey``), kept by the services that change names: triage finds the sites a request
    names through the indexed ``lead``."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=500)
    lead = models.CharField(max_length=200)
    joined = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["organisation", "lead"])]

    def __str__(self) -> str:
        return self.key


class RequestSite(TenantModel):
    """A request for help that names a known site (by name or alias, in its place or its
    story), linked when the request arrives: the map counts requests per site from these."""

    request = models.ForeignKey("cases.Request", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "site"], name="requestsite_unique_pair")
        ]
        indexes = [models.Index(fields=["organisation", "site"])]

    def __str__(self) -> str:
        return f"request {self.request_id} names site {self.site_id}"


class StatusClaim(TenantModel):
    """One graded claim about a site's status on a date: what a source said, how sure."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="status_claims")
    status = models.CharField(_("status"), max_length=12, choices=SiteStatus.choices)
    claimed_on = models.DateField(_("as of"))
    relocated_to = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="relocated_from"
    )
    # Who or what said so ("press report", "rescued person's account"): may name a person.
    source = EncryptedTextField(_("source"))
    reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices
    )
    credibility = models.PositiveSmallIntegerField(
        _("information credibility"), choices=Credibility.choices
    )
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-claimed_on", "-pk"]
        indexes = [models.Index(fields=["site", "-claimed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(relocated_to=models.F("site")),
                name="statusclaim_not_relocated_to_itself",
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} on {self.claimed_on}"

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"


class OperatorKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PERSON = "person", _("Person")


class OperatorRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager or boss")
    SECURITY = "security", _("Security")
    RECRUITER = "recruiter", _("Recruiter")
    LANDLORD = "landlord", _("Landlord")
    OTHER = "other", _("Other")


class Operator(TenantModel):
    """A company or a person who runs, owns or guards a site. Operators are suspects, never
    victims: a person's name is encrypted and shown only to those who may see persons."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="operators")
    kind = models.CharField(_("kind"), max_length=8, choices=OperatorKind.choices)
    role = models.CharField(_("role"), max_length=10, choices=OperatorRole.choices)
    # A company's registered name: public record, in clear.
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    company_country = CountryField(_("registered in"), blank=True, default="")
    person_name = EncryptedTextField(_("person's name"), blank=True, default="")
    source = EncryptedTextField(_("source"))
    reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices
    )
    credibility = models.PositiveSmallIntegerField(
        _("information credibility"), choices=Credibility.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="company") & ~models.Q(company_name=""))
                | (models.Q(kind="person") & models.Q(company_name="")),
                name="operator_name_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.company_name if self.kind == OperatorKind.COMPANY else f"person {self.pk}"


class SightingSource(models.TextChoices):
    CHECK_IN = "check_in", _("The person checked in")
    FAMILY = "family", _("Family report")
    RESCUED = "rescued", _("A rescued person's account")
    PARTNER = "partner", _("Partner organisation")
    OTHER = "other", _("Other")


class Sighting(TenantModel):
    """A person at a site, or at another place, at a time, from a source: one step of the
    trail of a person who is moved. Personal data: the place text, point and note are
    encrypted; who may see it follows who may see the person. Erased with the person."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="sightings"
    )
    # A place that is not in the registry ("bus station, Poipet"), and its country in clear so
    # that the trail shows border crossings without decrypting.
    place = EncryptedTextField(_("place"), blank=True, default="")
    place_point = EncryptedTextField(_("point"), blank=True, default="")
    country = CountryField(_("country"), blank=True, default="")
    seen_at = models.DateTimeField(_("when"))
    source = models.CharField(_("source"), max_length=10, choices=SightingSource.choices)
    note = EncryptedTextField(_("note"), blank=True, default="")
    # The person's most recent sighting (kept by the services): "who was last known here" and
    # the quiet-site scan read it without a correlated subquery.
    is_latest = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "person", "-seen_at"]),
            # "Who was last known here": SQLite's planner picks it only as a partial index (a
            # bare "is_latest" term is no equality it can match against an index column).
            models.Index(
                fields=["organisation", "site", "-seen_at"],
                condition=models.Q(is_latest=True),
                name="sighting_latest_at_site",
            ),
        ]

    def __str__(self) -> str:
        return f"Sighting {self.uid}"

    @property
    def point(self) -> tuple[float, float] | None:
        """(lat, lon) of the site, or of the place when one was given."""
        site = self.site if self.site_id is not None else None
        if site is not None and site.latitude is not None and site.longitude is not None:
            return site.latitude, site.longitude
        if self.place_point:
            lat, _sep, lon = str(self.place_point).partition(",")
            try:
                return float(lat), float(lon)
            except ValueError:
                return None
        return None
