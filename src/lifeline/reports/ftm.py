"""The investigators' export: sites, their operators (companies and persons) and the links
between them as FollowTheMoney entities, the model Aleph and OpenSanctions tools load.

Contract
- Never victims, reporters or relatives: the only persons are site operators, whom the
  organisation recorded as running, guarding or recruiting for a site (the people app has no
  suspect role; operators are the suspects). Person operators appear only for members who may
  see persons (``sites.selectors.export_operators`` decides), companies and sites for everyone
  who sees the registry.
- Never a source's text (it may name an informant): only its Admiralty grade.
- Every entity is built and cleaned by the ``followthemoney`` package and checked against its
  schema (``Schema.validate`` and the required properties) before it is written; ids are
  stable across exports (the same site, company or person gets the same id) so investigators
  can merge successive exports.

followthemoney is imported lazily (it takes seconds to load its model).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.core.errors import NotPermitted
from lifeline.sites import selectors as site_selectors
from lifeline.sites.models import Operator, OperatorKind, OperatorRole, Site, StatusClaim

PREFIX = "lifeline"


def _model() -> Any:
    from followthemoney import model

    return model


def _checked(proxy: Any) -> dict[str, Any]:
    """The entity as a dict, refused (ValueError) if the FtM model does not accept it."""
    data = proxy.to_dict()
    proxy.schema.validate(data)
    missing = [name for name in proxy.schema.required if not proxy.get(name)]
    if missing:
        raise ValueError(f"{proxy.schema.name} {proxy.id} lacks {missing}")
    return dict(data)


def _grade(reliability: str, credibility: int | None) -> str:
    return f"{reliability}{credibility or ''}"


def site_entity(site: Site) -> Any:
    proxy = _model().make_entity("RealEstate")
    proxy.make_id(PREFIX, "site", str(site.uid))
    proxy.add("name", site.name)
    proxy.add("alias", list(site.aliases))
    proxy.add("country", str(site.country).lower())
    proxy.add("address", ", ".join(p for p in (site.town, site.province) if p) or None)
    if site.has_point:
        proxy.add("latitude", str(site.latitude))
        proxy.add("longitude", str(site.longitude))
    status = site.status or "unknown"
    since = f" since {site.status_since.isoformat()}" if site.status_since else ""
    grade = _grade(site.status_reliability, site.status_credibility)
    notes = f"Lifeline {site.get_kind_display()}; status: {status}{since}"
    notes += f" (grade {grade})" if grade else ""
    if site.indicators:
        notes += "; indicators: " + ", ".join(site.indicators)
    proxy.add("notes", notes)
    return proxy


def _operator_key(op: Operator) -> tuple[str, ...]:
    if op.kind == OperatorKind.COMPANY:
        return ("company", " ".join(op.company_name.split()).casefold(), str(op.company_country))
    return ("person", " ".join(str(op.person_name).split()).casefold())


def operator_entity(op: Operator, org_slug: str) -> Any:
    """One entity per company or person, however many sites they operate."""
    if op.kind == OperatorKind.COMPANY:
        proxy = _model().make_entity("Company")
        proxy.add("name", op.company_name)
        proxy.add("jurisdiction", str(op.company_country).lower() or None)
    else:
        proxy = _model().make_entity("Person")
        proxy.add("name", str(op.person_name))
    proxy.make_id(PREFIX, org_slug, *_operator_key(op))
    return proxy


def link_entity(op: Operator, operator_id: str, site_id: str) -> Any:
    role = str(OperatorRole(op.role).label) if op.role in OperatorRole.values else op.role
    grade = _grade(op.reliability, op.credibility)
    if op.role == OperatorRole.OWNER:
        proxy = _model().make_entity("Ownership")
        proxy.add("owner", operator_id)
        proxy.add("asset", site_id)
    else:
        proxy = _model().make_entity("UnknownLink")
        proxy.add("subject", operator_id)
        proxy.add("object", site_id)
    proxy.make_id(PREFIX, "operator", str(op.uid))
    proxy.add("role", role)
    proxy.add("description", f"Recorded by Lifeline, source grade {grade}")
    proxy.add("date", op.recorded_at.date().isoformat())
    return proxy


def relocation_entity(claim: StatusClaim, site_id: str, target_id: str) -> Any:
    proxy = _model().make_entity("UnknownLink")
    proxy.make_id(PREFIX, "relocation", str(claim.pk), site_id)
    proxy.add("subject", site_id)
    proxy.add("object", target_id)
    proxy.add("role", "relocated to")
    proxy.add("date", claim.claimed_on.isoformat())
    proxy.add("description", f"Source grade {_grade(claim.reliability, claim.credibility)}")
    return proxy


@dataclass
class Counts:
    sites: int = 0
    companies: int = 0
    persons: int = 0
    links: int = 0
    by_schema: dict[str, int] = field(default_factory=dict)

    def as_payload(self) -> dict[str, int]:
        return {
            "sites": self.sites,
            "companies": self.companies,
            "persons": self.persons,
            "links": self.links,
        }


def site_entities(
    *,
    sites: list[Site],
    operators: list[Operator],
    relocations: Iterable[StatusClaim] = (),
    org_slug: str = "",
    counts: Counts | None = None,
) -> Iterator[dict[str, Any]]:
    """The entities of ``sites``, ``operators`` (already filtered for who may see them) and the
    relocations between the sites, each validated by the FtM model."""
    counts = counts if counts is not None else Counts()
    site_ids: dict[int, str] = {}
    for site in sites:
        proxy = site_entity(site)
        site_ids[site.pk] = proxy.id
        counts.sites += 1
        yield _checked(proxy)
    seen: dict[tuple[str, ...], str] = {}
    for op in operators:
        if op.site_id not in site_ids:
            continue
        key = _operator_key(op)
        if key not in seen:
            proxy = operator_entity(op, org_slug)
            seen[key] = proxy.id
            if op.kind == OperatorKind.COMPANY:
                counts.companies += 1
            else:
                counts.persons += 1
            yield _checked(proxy)
        counts.links += 1
        yield _checked(link_entity(op, seen[key], site_ids[op.site_id]))
    for claim in relocations:
        if claim.site_id in site_ids and claim.relocated_to_id in site_ids:
            counts.links += 1
            yield _checked(
                relocation_entity(claim, site_ids[claim.site_id], site_ids[claim.relocated_to_id])
            )


@dataclass
class FtmExport:
    lines: list[str]
    counts: Counts

    @property
    def body(self) -> str:
        return "".join(self.lines)


def relocations_of(*, sites: list[Site]) -> list[StatusClaim]:
    ids = [site.pk for site in sites]
    if not ids:
        return []
    return list(
        StatusClaim.objects.filter(
            organisation_id=sites[0].organisation_id, site_id__in=ids, relocated_to__isnull=False
        ).order_by("pk")
    )


def ftm_export(
    *,
    actor: Membership,
    filters: site_selectors.SiteFilters | None = None,
    request: HttpRequest | None = None,
) -> FtmExport:
    """The organisation's sites (those matching ``filters``), operators and links as FtM
    entities, one JSON object per line; audited with the counts."""
    if not actor.has("can_view_sites"):
        raise NotPermitted
    sites = list(
        site_selectors.site_list(actor=actor, filters=filters or site_selectors.SiteFilters())
    )
    operators = site_selectors.export_operators(actor=actor, sites=sites)
    counts = Counts()
    lines = [
        json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n"
        for entity in site_entities(
            sites=sites,
            operators=operators,
            relocations=relocations_of(sites=sites),
            org_slug=actor.organisation.slug,
            counts=counts,
        )
    ]
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="reports.ftm.exported",
        payload=counts.as_payload(),
        request=request,
    )
    return FtmExport(lines=lines, counts=counts)
