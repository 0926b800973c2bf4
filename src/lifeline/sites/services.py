"""Writes of the site registry: sites, their graded status claims and their operators.

Each service checks the actor's capability, validates before writing (a bad value changes
nothing), owns its transaction and writes its audit entry (codes and ids only) inside it.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.core.errors import ConflictError, NotPermitted
from lifeline.sites import geo
from lifeline.sites.history import can_follow
from lifeline.sites.models import (
    Credibility,
    Indicator,
    Operator,
    OperatorKind,
    OperatorRole,
    Reliability,
    Site,
    SiteKind,
    SiteNameKey,
    SiteStatus,
    StatusClaim,
)
from lifeline.sites.naming import name_forms, name_keys

MAX_NAME = 200
# Longer romanisations of a name are not worth matching (SiteNameKey's column sizes).
MAX_KEY = 500
MAX_LEAD = 200
MAX_ALIASES = 30
MAX_PLACE = 120
MAX_TEXT = 5000
MAX_SOURCE = 500

# The fields ``site_update`` may change, in the order a form shows them.
EDITABLE = (
    "name",
    "aliases",
    "kind",
    "country",
    "province",
    "town",
    "latitude",
    "longitude",
    "outline",
    "indicators",
)


def _audit(
    actor: Membership, action: str, obj: Any, request: HttpRequest | None, **payload: Any
) -> None:
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action=action,
        obj=obj,
        payload=payload,
        request=request,
    )


def _text(value: str, *, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("This field is required.")]})
    if len(value) > limit:
        raise ValidationError(
            {field: [_("This text is too long: at most %(n)d characters.") % {"n": limit}]}
        )
    if "\x00" in value:
        raise ValidationError({field: [_("This text contains a character that is not allowed.")]})
    return value


def _choice(value: Any, *, allowed: Sequence[Any], field: str) -> Any:
    if value in allowed:
        return value
    raise ValidationError({field: [_("Unknown value: %(v)s.") % {"v": value}]})


def _aliases(values: Sequence[str], *, name: str) -> list[str]:
    cleaned: list[str] = []
    for value in values:
        alias = _text(value, field="aliases", limit=MAX_NAME)
        if alias and alias.casefold() != name.casefold() and alias not in cleaned:
            cleaned.append(alias)
    if len(cleaned) > MAX_ALIASES:
        raise ValidationError({"aliases": [_("At most %(n)d other names.") % {"n": MAX_ALIASES}]})
    return cleaned


def _indicators(values: Sequence[str]) -> list[str]:
    unknown = [value for value in values if value not in Indicator.values]
    if unknown:
        raise ValidationError(
            {"indicators": [_("Unknown value: %(v)s.") % {"v": ", ".join(map(str, unknown))}]}
        )
    return [value for value in Indicator.values if value in values]  # vocabulary order


def search_text(name: str, aliases: Sequence[str]) -> str:
    """Names and aliases lower-cased, with their romanisation, for search in any script."""
    forms = [form for value in [name, *aliases] for form in name_forms(value)]
    return "\n".join(dict.fromkeys(forms))


def _index_names(site: Site) -> None:
    """Rewrite the site's name keys (``SiteNameKey``) from its name and aliases."""
    SiteNameKey.objects.filter(organisation_id=site.organisation_id, site=site).delete()
    SiteNameKey.objects.bulk_create(
        SiteNameKey(
            organisation_id=site.organisation_id,
            site=site,
            key=key.key,
            lead=key.lead,
            joined=key.joined,
        )
        for key in sorted(name_keys([site.name, *site.aliases]), key=lambda k: k.key)
        if len(key.key) <= MAX_KEY and len(key.lead) <= MAX_LEAD
    )


def _place(values: dict[str, Any]) -> dict[str, Any]:
    """Validate the place fields together: the point against the country, the outline, and a
    point taken from the outline when none is given."""
    country = str(values["country"] or "").upper()
    if country not in countries:
        raise ValidationError({"country": [_("Choose a country.")]})
    outline = geo.check_outline(values.get("outline"))
    point = geo.check_point(values.get("latitude"), values.get("longitude"), country=country)
    if point is None and outline is not None:
        point = geo.outline_centre(outline)
    if point is not None and outline is not None and not geo.outline_contains(outline, *point):
        raise ValidationError({"latitude": [_("The point lies outside the outline: check both.")]})
    latitude, longitude = point if point is not None else (None, None)
    return {"country": country, "outline": outline, "latitude": latitude, "longitude": longitude}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    name = _text(values["name"], field="name", limit=MAX_NAME, required=True)
    return {
        "name": name,
        "aliases": _aliases(values.get("aliases") or [], name=name),
        "kind": _choice(values["kind"], allowed=SiteKind.values, field="kind"),
        "province": _text(values.get("province", ""), field="province", limit=MAX_PLACE),
        "town": _text(values.get("town", ""), field="town", limit=MAX_PLACE),
        "indicators": _indicators(values.get("indicators") or []),
        **_place(values),
    }


def validate_site(values: dict[str, Any]) -> dict[str, Any]:
    """The checks of ``site_create`` without the write (for imports)."""
    return _clean(values)


def validate_first_claim(claim: dict[str, Any]) -> None:
    """The checks of a site's first status claim without the write (for imports): a status
    that may open a history, a date not in the future, a source and its grade."""
    status = _choice(claim.get("status"), allowed=SiteStatus.values, field="status")
    if not can_follow("", status):
        raise ValidationError({"status": [_("A site's history cannot start with this status.")]})
    if status == SiteStatus.RELOCATED:
        raise ValidationError({"status": [_("Import a relocation as a claim on the site page.")]})
    try:
        day = datetime.date.fromisoformat(str(claim.get("status_date") or ""))
    except ValueError:
        raise ValidationError({"status_date": [_("Give the date as YYYY-MM-DD.")]}) from None
    if day > timezone.localdate():
        raise ValidationError({"status_date": [_("This cannot be in the future.")]})
    _text(str(claim.get("source") or ""), field="source", limit=MAX_SOURCE, required=True)
    _grade(str(claim.get("reliability") or ""), claim.get("credibility"))


@transaction.atomic
def site_create(
    *,
    actor: Membership,
    name: str,
    kind: str,
    country: str,
    aliases: Sequence[str] = (),
    province: str = "",
    town: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    outline: Any = None,
    indicators: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> Site:
    """Add a site to the organisation's registry. Its status comes from status claims."""
    if not actor.has("can_edit_sites"):
        raise NotPermitted
    values = _clean(
        {
            "name": name,
            "kind": kind,
            "country": country,
            "aliases": aliases,
            "province": province,
            "town": town,
            "latitude": latitude,
            "longitude": longitude,
            "outline": outline,
            "indicators": indicators,
        }
    )
    site = Site.objects.create(
        organisation=actor.organisation,
        created_by=actor.user,
        search_text=search_text(values["name"], values["aliases"]),
        **values,
    )
    _index_names(site)
    _audit(actor, "sites.site.created", site, request, country=str(site.country), kind=site.kind)
    return site


@transaction.atomic
def site_update(
    *,
    actor: Membership,
    site: Site,
    version: int,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Site:
    """Change a site's description. ``changes`` holds any of ``EDITABLE``; a write that expected
    another ``version`` is refused with a ConflictError listing what changed meanwhile."""
    if not actor.has("can_edit_sites"):
        raise NotPermitted
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Site.objects.select_for_update().get(pk=site.pk)
    current = {field: getattr(locked, field) for field in EDITABLE}
    current["country"] = str(locked.country)
    if locked.version != version:
        differing = {
            field: (value, current[field])
            for field, value in changes.items()
            if value != current[field]
        }
        raise ConflictError(
            _("Someone else changed this site while you were editing it."),
            changes=differing,
            current_version=locked.version,
        )
    values = _clean({**current, **changes})
    changed = sorted(field for field in values if values[field] != current[field])
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, values[field])
    locked.search_text = search_text(locked.name, locked.aliases)
    locked.updated_at = timezone.now()
    locked.version = F("version") + 1
    locked.save(update_fields=[*changed, "search_text", "updated_at", "version"])
    locked.refresh_from_db(fields=["version"])
    if {"name", "aliases"} & set(changed):
        _index_names(locked)
    _audit(actor, "sites.site.updated", locked, request, fields=changed)
    return locked


def _grade(reliability: str, credibility: Any) -> tuple[str, int]:
    if not reliability or credibility in (None, ""):
        raise ValidationError(
            {
                "reliability": [
                    _("Grade the source: its reliability (A–F) and the claim's credibility (1–6).")
                ]
            }
        )
    reliability = _choice(reliability, allowed=Reliability.values, field="reliability")
    try:
        credibility = int(credibility)
    except (TypeError, ValueError):
        credibility = -1
    credibility = _choice(credibility, allowed=Credibility.values, field="credibility")
    return reliability, credibility


@transaction.atomic
def site_claim_status(
    *,
    actor: Membership,
    site: Site,
    status: str,
    claimed_on: datetime.date,
    source: str,
    reliability: str,
    credibility: int | None,
    relocated_to: Site | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> StatusClaim:
    """Record what a graded source says the site's status was on ``claimed_on``.

    Locks the site row, so that two claims recorded at once are checked one after the other.
    Refuses a move the history does not allow (a closed site raided), a relocation without a
    destination or to the site itself, a claim without a grade, and a claim dated before the
    latest one or in the future.
    """
    if not actor.has("can_edit_sites"):
        raise NotPermitted
    status = _choice(status, allowed=SiteStatus.values, field="status")
    source = _text(source, field="source", limit=MAX_SOURCE, required=True)
    reliability, credibility = _grade(reliability, credibility)
    note = _text(note, field="note", limit=MAX_TEXT)
    if claimed_on > timezone.localdate():
        raise ValidationError({"claimed_on": [_("This cannot be in the future.")]})
    if status == SiteStatus.RELOCATED:
        if relocated_to is None:
            raise ValidationError({"relocated_to": [_("Name the site the operation moved to.")]})
        if relocated_to.pk == site.pk:
            raise ValidationError({"relocated_to": [_("A site cannot be relocated to itself.")]})
        if relocated_to.organisation_id != site.organisation_id:
            raise ValidationError({"relocated_to": [_("Choose a site of the registry.")]})
    elif relocated_to is not None:
        raise ValidationError({"relocated_to": [_("Only a relocation names another site.")]})
    locked = Site.objects.select_for_update().get(pk=site.pk)
    if locked.status_since is not None and claimed_on < locked.status_since:
        raise ValidationError(
            {
                "claimed_on": [
                    _("The latest claim is dated %(date)s: record claims in date order.")
                    % {"date": locked.status_since.isoformat()}
                ]
            }
        )
    if not can_follow(locked.status, status):
        raise ValidationError(
            {
                "status": [
                    _("A site that is “%(current)s” cannot become “%(new)s”.")
                    % {
                        "current": SiteStatus(locked.status).label if locked.status else "—",
                        "new": SiteStatus(status).label,
                    }
                ]
            }
        )
    claim = StatusClaim.objects.create(
        organisation=locked.organisation,
        site=locked,
        status=status,
        claimed_on=claimed_on,
        relocated_to=relocated_to,
        source=source,
        reliability=reliability,
        credibility=credibility,
        note=note,
        recorded_by=actor.user,
    )
    locked.status, locked.status_since = status, claimed_on
    locked.status_reliability, locked.status_credibility = reliability, credibility
    locked.updated_at = timezone.now()
    locked.version = F("version") + 1
    locked.save(
        update_fields=[
            "status",
            "status_since",
            "status_reliability",
            "status_credibility",
            "updated_at",
            "version",
        ]
    )
    _audit(
        actor,
        "sites.status.claimed",
        locked,
        request,
        status=status,
        grade=claim.grade,
        claim_id=claim.pk,
        relocated_to_site_id=relocated_to.pk if relocated_to else None,
    )
    return claim


@transaction.atomic
def operator_add(
    *,
    actor: Membership,
    site: Site,
    kind: str,
    role: str,
    source: str,
    reliability: str,
    credibility: int | None,
    company_name: str = "",
    company_country: str = "",
    person_name: str = "",
    request: HttpRequest | None = None,
) -> Operator:
    """Record a company or a person who runs the site. Operators are suspects, never victims;
    a person's name is personal data (encrypted, shown to those who may see persons)."""
    if not actor.has("can_edit_sites"):
        raise NotPermitted
    kind = _choice(kind, allowed=OperatorKind.values, field="kind")
    if kind == OperatorKind.PERSON and not actor.has("can_view_persons"):
        raise NotPermitted
    role = _choice(role, allowed=OperatorRole.values, field="role")
    source = _text(source, field="source", limit=MAX_SOURCE, required=True)
    reliability, credibility = _grade(reliability, credibility)
    if kind == OperatorKind.COMPANY:
        company_name = _text(company_name, field="company_name", limit=MAX_NAME, required=True)
        company_country = (company_country or "").upper()
        if company_country and company_country not in countries:
            raise ValidationError({"company_country": [_("Choose a country.")]})
        person_name = ""
    else:
        person_name = _text(person_name, field="person_name", limit=MAX_NAME, required=True)
        company_name, company_country = "", ""
    operator = Operator.objects.create(
        organisation=site.organisation,
        site=site,
        kind=kind,
        role=role,
        company_name=company_name,
        company_country=company_country,
        person_name=person_name,
        source=source,
        reliability=reliability,
        credibility=credibility,
        recorded_by=actor.user,
    )
    _audit(actor, "sites.operator.added", site, request, operator_id=operator.pk, kind=kind)
    return operator


@transaction.atomic
def operator_remove(
    *, actor: Membership, operator: Operator, request: HttpRequest | None = None
) -> None:
    """Delete an operator record (a wrong attribution, or the erasure of a person operator's
    data: the row and its encrypted name are gone; audit rows hold only its id and kind)."""
    if not actor.has("can_edit_sites"):
        raise NotPermitted
    if operator.kind == OperatorKind.PERSON and not actor.has("can_view_persons"):
        raise NotPermitted
    site = operator.site
    _audit(
        actor, "sites.operator.removed", site, request, operator_id=operator.pk, kind=operator.kind
    )
    operator.delete()


@transaction.atomic
def site_suggest_publicly(
    *, actor: Membership, site: Site, suggest: bool, request: HttpRequest | None = None
) -> Site:
    """Offer the site's name and aliases on the public SOS form, or stop offering them.

    Coordinators only (``can_publish_site_names``): a name shown there tells anyone, the gangs
    included, that the network knows the place."""
    if not actor.has("can_publish_site_names"):
        raise NotPermitted
    locked = Site.objects.select_for_update().get(pk=site.pk)
    if locked.suggest_publicly == suggest:
        return locked
    locked.suggest_publicly = suggest
    locked.updated_at = timezone.now()
    locked.version = F("version") + 1
    locked.save(update_fields=["suggest_publicly", "updated_at", "version"])
    locked.refresh_from_db(fields=["version"])
    _audit(actor, "sites.site.suggestion_set", locked, request, suggest_publicly=suggest)
    return locked
