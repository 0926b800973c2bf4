"""Roles and the named capabilities they grant (DESIGN.md "Who uses it").

Views and API endpoints declare the capability they need; nothing checks a role by name.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation admin")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    ANALYST = "analyst", _("Analyst")


CAPABILITIES: dict[str, frozenset[str]] = {
    # Personal data: coordinators see all of their organisation's, caseworkers their assigned cases'.
    "can_view_persons": frozenset({Role.COORDINATOR, Role.CASEWORKER}),
    "can_view_all_cases": frozenset({Role.COORDINATOR}),
    "can_work_cases": frozenset({Role.COORDINATOR, Role.CASEWORKER}),
    "can_assign_cases": frozenset({Role.COORDINATOR}),
    # A caseworker who takes a call may log it; only coordinators work the triage queue.
    "can_create_requests": frozenset({Role.COORDINATOR, Role.CASEWORKER}),
    "can_triage_requests": frozenset({Role.COORDINATOR}),
    # Evidence of the cases and requests the member may see (the selectors decide which).
    "can_handle_evidence": frozenset({Role.COORDINATOR, Role.CASEWORKER}),
    # Duplicates are found across the whole organisation: only those who see all of its persons.
    "can_review_duplicates": frozenset({Role.COORDINATOR}),
    # The site registry is organisation data without personal data (analysts map compounds);
    # a person who operates a site is personal data, seen with can_view_persons.
    "can_view_sites": frozenset({Role.COORDINATOR, Role.CASEWORKER, Role.ANALYST}),
    "can_edit_sites": frozenset({Role.COORDINATOR, Role.CASEWORKER, Role.ANALYST}),
    # The public SOS form suggests the names of chosen sites: that tells anyone what the
    # network knows, so only coordinators choose them.
    "can_publish_site_names": frozenset({Role.COORDINATOR}),
    "can_view_statistics": frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.ANALYST}),
    "can_manage_members": frozenset({Role.ORG_ADMIN}),
    # Erasing a person destroys evidence for good: only those who see all of the organisation's.
    "can_erase_persons": frozenset({Role.COORDINATOR}),
    "can_manage_retention": frozenset({Role.ORG_ADMIN}),
    "can_manage_organisation": frozenset({Role.ORG_ADMIN}),
    # Screening a job offer stores nothing; those who talk to people at risk use it.
    "can_screen_offers": frozenset({Role.COORDINATOR, Role.CASEWORKER}),
    # The lure library links recruiters to cases across the organisation: coordinators only.
    "can_manage_lures": frozenset({Role.COORDINATOR}),
    # Importing a network's spreadsheet creates persons and cases across the organisation, and
    # rolling an import back removes them: those who see all of its cases.
    "can_import_cases": frozenset({Role.COORDINATOR}),
    # The messaging bridges that post requests to the intake API (lifeline.intake).
    "can_manage_channels": frozenset({Role.ORG_ADMIN}),
    # Partners, referrals, operations and briefings (lifeline.sharing). What leaves the
    # organisation is decided by coordinators; caseworkers see the operations they are members of.
    "can_manage_partners": frozenset({Role.COORDINATOR}),
    "can_refer_cases": frozenset({Role.COORDINATOR}),
    "can_plan_operations": frozenset({Role.COORDINATOR}),
    "can_view_operations": frozenset({Role.COORDINATOR, Role.CASEWORKER}),
    "can_brief_partners": frozenset({Role.COORDINATOR}),
    "can_trace_leaks": frozenset({Role.COORDINATOR}),
}


def role_has(role: str, capability: str) -> bool:
    try:
        return role in CAPABILITIES[capability]
    except KeyError:
        raise ValueError(f"unknown capability {capability!r}") from None
