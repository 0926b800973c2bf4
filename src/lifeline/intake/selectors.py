"""Reads of the public pages. They run with no member behind them, inside the scope of the
organisation the pages serve (LIFELINE_INTAKE_ORGANISATION), and reach nothing outside intake
but that organisation's row."""

from django.conf import settings

from lifeline.accounts.models import Organisation
from lifeline.intake.models import Receipt


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
