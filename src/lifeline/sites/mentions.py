"""Requests that name a known site: linked when they arrive, so that the map can count the
requests per site (counts only) without decrypting every request's text."""

from lifeline.cases.models import Request
from lifeline.sites.models import RequestSite
from lifeline.sites.selectors import named_site_ids


def request_link_sites(*, req: Request) -> int:
    """Link ``req`` to every site of its organisation whose name or alias its place or its
    story holds. Called by the services that record a request, inside their transaction (the
    request's own audit entry covers it). Returns how many sites it names."""
    (site_ids,) = named_site_ids(
        organisation_id=req.organisation_id, texts=[f"{req.location_text}\n{req.text}"]
    )
    RequestSite.objects.bulk_create(
        [
            RequestSite(organisation_id=req.organisation_id, request=req, site_id=site_id)
            for site_id in sorted(site_ids)
        ],
        ignore_conflicts=True,
    )
    return len(site_ids)
