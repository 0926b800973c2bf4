"""The person endpoints: search and one person. Both need ``can_view_persons``; which persons a
caseworker sees (the victims of their assigned cases) is the selectors' business."""

from typing import Any

from ninja import Query, Router

from lifeline.audit.services import audit_view
from lifeline.cases.selectors import cases_of_person
from lifeline.core.api import READ_ERRORS, PageIn, Uid, audit_listing, paginate, requires
from lifeline.core.http import ApiRequest
from lifeline.people import selectors
from lifeline.people.models import Person
from lifeline.people.schemas import PersonDetailOut, PersonPageOut, PersonSearchIn

router = Router(tags=["people"])


@router.get(
    "/persons",
    response={200: PersonPageOut, **READ_ERRORS},
    summary="Search persons by name or phone",
)
@requires("can_view_persons")
def person_search(
    request: ApiRequest, filters: Query[PersonSearchIn], paging: Query[PageIn]
) -> dict[str, Any]:
    page = paginate(
        selectors.person_search(
            actor=request.auth, name=filters.name or "", phone=filters.phone or ""
        ),
        paging,
    )
    audit_listing(
        request, action="people.person.searched", filters=filters.used(), count=len(page["items"])
    )
    return page


@router.get("/persons/{uid}", response={200: PersonDetailOut, **READ_ERRORS}, summary="One person")
def person_detail(request: ApiRequest, uid: Uid) -> Person:
    actor = request.auth
    person = selectors.person_get(actor=actor, uid=uid)
    audit_view(actor=actor.user, organisation=actor.organisation, obj=person, request=request)
    # Read here, where the actor is known, and handed to the output schema with the person
    # (ad-hoc attributes, not model fields: hence the ignores).
    person.identifier_list = list(selectors.person_identifiers(person=person))  # type: ignore[attr-defined]
    person.visible_cases = list(cases_of_person(actor=actor, person_id=person.pk))  # type: ignore[attr-defined]
    return person
