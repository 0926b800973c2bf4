"""Writes of the lure library. Each runs in one transaction with its audit entry; payloads
carry codes, counts and ids, never the text of an offer or an identifier."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case
from lifeline.core.errors import NotPermitted
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
    case: Case | None = None,
    request: HttpRequest | None = None,
) -> Lure:
    """Add an offer to the library: screen it, link the recruiters' identifiers found in it
    (created once per organisation, by blind index) and regroup the campaigns. ``case`` must
    come from ``cases.selectors.case_get`` for ``actor``. Raises ``ValidationError`` (nothing
    written) for bad input, ``NotPermitted`` without ``can_manage_lures``."""
    if not actor.has("can_manage_lures"):
        raise NotPermitted
    errors: dict[str, Any] = {}
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
    if len(seen_where) > 200:
        errors["seen_where"] = [_("At most 200 characters.")]
    if country and (len(country) != 2 or not country.isalpha()):
        errors["country"] = [_("Use the two-letter country code, e.g. KH.")]
    if errors:
        raise ValidationError(errors)
    organisation = actor.organisation
    result = scoring.screen(cleaned)
    lure = Lure.objects.create(
        organisation=organisation,
        text=cleaned,
        source=source,
        platform=platform,
        seen_on=seen_on,
        seen_where=seen_where.strip(),
        country=country.upper(),
        case=case,
        level=result.level,
        sign_codes=[hit.code for hit in result.hits],
        created_by=actor.user,
    )
    found = extract(cleaned, default_region=organisation.default_phone_region or None)
    for item in found:
        identifier, _created = RecruiterIdentifier.objects.get_or_create(
            organisation=organisation,
            kind=item.kind,
            value_index=contact_digest(item.kind, item.value),
            defaults={"value": item.value},
        )
        LureIdentifier.objects.create(organisation=organisation, lure=lure, identifier=identifier)
    regroup_campaigns(organisation_id=organisation.pk)
    audit_log(
        actor=actor.user,
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
