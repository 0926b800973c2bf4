"""Writes of the lure library. Each runs in one transaction with its audit entry; payloads
carry codes, counts and ids, never the text of an offer or an identifier."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case
from lifeline.core.crypto import blind_index
from lifeline.core.errors import NotPermitted
from lifeline.intake.language import detect_language
from lifeline.people.indexing import contact_digest
from lifeline.screening import campaigns, scoring
from lifeline.screening.extract import extract
from lifeline.screening.models import (
    Campaign,
    Lure,
    LureIdentifier,
    LureSource,
    Platform,
    RecruiterIdentifier,
)
from lifeline.screening.text import clean_offer


@transaction.atomic
def lure_add(
    *,
    actor: Membership,
    text: str,
    source: str,
    platform: str,
    seen_on: datetime.date,
    seen_where: str = "",
    country: str = "",
    town: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    case: Case | None = None,
    request: HttpRequest | None = None,
) -> Lure:
    """Add an offer to the library: screen it, link the recruiters' identifiers found in it
    (created once per organisation, by blind index) and regroup the campaigns. ``case`` must
    come from ``cases.selectors.case_get`` for ``actor``. Raises ``ValidationError`` (nothing
    written) for bad input, ``NotPermitted`` without ``can_manage_lures``."""
    if not actor.has("can_manage_lures"):
        raise NotPermitted
    place = Place(seen_where=seen_where, country=country, town=town, lat=latitude, lon=longitude)
    if source == LureSource.PUBLIC_PAGE:  # only the public page's readers report from it
        source = ""
    cleaned = _check(text=text, source=source, platform=platform, seen_on=seen_on, place=place)
    return _lure_create(
        organisation=actor.organisation,
        user=actor.user,
        text=cleaned,
        source=source,
        platform=platform,
        seen_on=seen_on,
        place=place,
        case=case,
        request=request,
    )


@dataclass(frozen=True)
class Place:
    """Where an offer was seen: the group or page, the country, the town and a point."""

    seen_where: str = ""
    country: str = ""
    town: str = ""
    lat: float | None = None
    lon: float | None = None


def _check(*, text: str, source: str, platform: str, seen_on: datetime.date, place: Place) -> str:
    """The cleaned text, or ``ValidationError`` naming every bad field."""
    errors: dict[str, Any] = {}
    cleaned = ""
    try:
        cleaned = clean_offer(text)
    except ValidationError as exc:
        errors["text"] = exc.messages
    if source not in LureSource.values:
        errors["source"] = [_("Choose where the offer came from.")]
    if platform not in Platform.values:
        errors["platform"] = [_("Choose where the offer was seen.")]
    if seen_on > timezone.localdate():
        errors["seen_on"] = [_("The date seen cannot be in the future.")]
    if len(place.seen_where) > 200:
        errors["seen_where"] = [_("At most 200 characters.")]
    if place.country and (len(place.country) != 2 or not place.country.isalpha()):
        errors["country"] = [_("Use the two-letter country code, e.g. KH.")]
    if len(place.town) > 100:
        errors["town"] = [_("At most 100 characters.")]
    if (place.lat is None) != (place.lon is None):
        errors["latitude"] = [_("Give both the latitude and the longitude, or neither.")]
    elif (
        place.lat is not None
        and place.lon is not None
        and not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180)
    ):
        errors["latitude"] = [_("This is not a point on Earth.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _lure_create(
    *,
    organisation: Organisation,
    user: Any,
    text: str,
    source: str,
    platform: str,
    seen_on: datetime.date,
    place: Place,
    case: Case | None = None,
    report_digest: str | None = None,
    request: HttpRequest | None = None,
) -> Lure:
    """Store a checked offer with its identifiers, regroup the campaigns and audit the add.
    Call inside a transaction."""
    result = scoring.screen(text)
    lure = Lure.objects.create(
        organisation=organisation,
        text=text,
        source=source,
        platform=platform,
        seen_on=seen_on,
        seen_where=place.seen_where.strip(),
        country=place.country.upper(),
        town=place.town.strip(),
        latitude=place.lat,
        longitude=place.lon,
        language=detect_language(text),
        case=case,
        level=result.level,
        sign_codes=[hit.code for hit in result.hits],
        created_by=user,
        report_digest=report_digest,
    )
    found = extract(text, default_region=organisation.default_phone_region or None)
    for item in found:
        identifier, _created = RecruiterIdentifier.objects.get_or_create(
            organisation=organisation,
            kind=item.kind,
            value_index=contact_digest(item.kind, item.value),
            defaults={"value": item.value},
        )
        LureIdentifier.objects.get_or_create(
            organisation=organisation, lure=lure, identifier=identifier
        )
    regroup_campaigns(organisation_id=organisation.pk)
    audit_log(
        actor=user,
        organisation=organisation,
        action="screening.lure.added",
        obj=lure,
        payload={
            "source": source,
            "platform": platform,
            "level": result.level,
            "signs": [hit.code for hit in result.hits],
            "identifiers": len(found),
            "case": case.pk if case else None,
        },
        request=request,
    )
    lure.refresh_from_db(fields=["campaign"])
    return lure


def lure_report(
    *,
    organisation: Organisation,
    nonce: str,
    text: str,
    platform: str,
    country: str = "",
    town: str = "",
    request: HttpRequest | None = None,
) -> Lure:
    """Store an offer a reader of the public job-check page chose to report, once: ``nonce``
    comes from the form's signed one-time token, and the same nonce sent again (a reload, a
    retry) returns the first report and stores nothing more. Source "public page", no author;
    seen today. When this returns, the offer is committed. Bad input raises
    ``ValidationError`` and stores nothing."""
    digest = blind_index(nonce, purpose="screening.report-token")
    existing = Lure.objects.filter(organisation=organisation, report_digest=digest).first()
    if existing is not None:
        return existing
    place = Place(country=country, town=town)
    seen_on = timezone.localdate()
    cleaned = _check(
        text=text, source=LureSource.PUBLIC_PAGE, platform=platform, seen_on=seen_on, place=place
    )
    try:
        with transaction.atomic():
            return _lure_create(
                organisation=organisation,
                user=None,
                text=cleaned,
                source=LureSource.PUBLIC_PAGE,
                platform=platform,
                seen_on=seen_on,
                place=place,
                report_digest=digest,
                request=request,
            )
    except IntegrityError:
        # The same form arrived twice at once and the other copy was stored first.
        return Lure.objects.get(organisation=organisation, report_digest=digest)


def regroup_campaigns(*, organisation_id: int) -> int:
    """Cluster the organisation's offers again and store the campaigns; returns how many
    campaigns of two or more offers there are. Call inside the writing transaction."""
    lures = list(
        Lure.objects.filter(organisation_id=organisation_id, erased_at__isnull=True)
        .only("pk", "text", "campaign_id")
        .order_by("pk")
    )
    groups = [
        g for g in campaigns.cluster((lure.pk, str(lure.text)) for lure in lures) if len(g) > 1
    ]
    by_pk = {lure.pk: lure for lure in lures}
    assigned: dict[int, int | None] = dict.fromkeys(by_pk)
    for group in groups:
        # A campaign keeps its identity while any of its offers still belongs to it.
        existing = [c for c in (by_pk[pk].campaign_id for pk in group) if c is not None]
        campaign_id = min(existing) if existing else None
        if campaign_id is None:
            campaign_id = Campaign.objects.create(organisation_id=organisation_id).pk
        for pk in group:
            assigned[pk] = campaign_id
    for pk, campaign_id in assigned.items():
        if by_pk[pk].campaign_id != campaign_id:
            Lure.objects.filter(pk=pk).update(campaign_id=campaign_id)
    Campaign.objects.filter(organisation_id=organisation_id, lures__isnull=True).delete()
    return len(groups)
