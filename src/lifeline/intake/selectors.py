"""Reads of the public pages. They run with no member behind them, inside the scope of the
organisation the pages serve (LIFELINE_INTAKE_ORGANISATION), and reach nothing outside intake
but that organisation's row."""

from django.conf import settings

from lifeline.accounts.models import Organisation
from lifeline.cases.models import Request
from lifeline.intake.models import CheckIn, Receipt


def intake_organisation() -> Organisation | None:
    """The organisation whose public pages these are, or None when none is configured (the
    pages then answer 404)."""
    slug = settings.LIFELINE_INTAKE_ORGANISATION
    if not slug:
        return None
    return Organisation.objects.filter(slug=slug).first()


def receipt_by_token(*, organisation: Organisation, digest: str) -> Receipt | None:
    return (
        Receipt.objects.filter(organisation=organisation, token_digest=digest)
        .select_related("request")
        .first()
    )


def receipt_by_code(*, organisation: Organisation, digest: str) -> Receipt | None:
    return (
        Receipt.objects.filter(organisation=organisation, code_digest=digest)
        .select_related("request")
        .first()
    )


def checkins_of_request(*, req: Request) -> list[CheckIn]:
    """The check-ins of a request the caller has already authorised (cases.selectors)."""
    return list(CheckIn.objects.filter(organisation_id=req.organisation_id, request=req))


def has_duress_word(*, req: Request) -> bool:
    return (
        Receipt.objects.filter(organisation_id=req.organisation_id, request=req)
        .exclude(duress_digest="")
        .exists()
    )
