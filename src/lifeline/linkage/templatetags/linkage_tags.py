"""The merge provenance block of the person page."""

from typing import Any

from django import template

from lifeline.linkage import selectors

register = template.Library()


@register.inclusion_tag("linkage/includes_provenance.html", takes_context=True)
def merge_provenance(context: template.Context, person: Any) -> dict[str, Any]:
    """Which merged record each name, contact and document came from. The page shows the
    person already (its view fetched them through a selector and audited the view)."""
    membership = context.get("membership")
    if membership is None or person.erased_at is not None:
        return {"provenance": []}
    return {"provenance": selectors.merge_provenance(actor=membership, person=person)}
