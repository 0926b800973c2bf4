from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_view
from lifeline.cases.selectors import cases_of_person
from lifeline.core.errors import ConflictError
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.people import selectors, services
from lifeline.people.forms import ContactForm, IdentifierForm, NameForm, PersonDetailsForm


def person_page(
    request: MemberRequest, person, *, forms=None, conflict=None, status=200
) -> HttpResponse:
    forms = forms or {}
    age = int(person.age) if str(person.age).isdigit() else None
    context = {
        "person": person,
        "names": person.names.all(),
        "contacts": person.contacts.all(),
        "identifiers": selectors.person_identifiers(person=person),
        "cases": cases_of_person(actor=request.membership, person_id=person.pk),
        "name_form": forms.get("name") or NameForm(),
        "contact_form": forms.get("contact") or ContactForm(),
        "identifier_form": forms.get("identifier") or IdentifierForm(),
        "details_form": forms.get("details")
        or PersonDetailsForm(
            initial={
                "version": person.version,
                "gender": person.gender,
                "birth_date": person.birth_date,
                "age": age,
                "citizenship": person.citizenship,
                "notes": person.notes,
            }
        ),
        "conflict": conflict,
        **_trail_context(request, person, forms.get("sighting")),
    }
    return render(request, "people/person_detail.html", context, status=status)


def _trail_context(request: MemberRequest, person, form=None) -> dict:
    """The person's trail of sightings (lifeline.sites), its small map and the form to add one."""
    from lifeline.sites.forms import SightingForm
    from lifeline.sites.selectors import person_trail
    from lifeline.sites.trail import trail_map

    trail = list(person_trail(person=person))
    previous = ""
    for step in trail:
        crossed = bool(previous and step.country and str(step.country) != previous)
        step.crossed_border = crossed  # type: ignore[attr-defined]
        previous = str(step.country) or previous
    return {
        "trail": trail,
        "trail_map": trail_map(trail),
        "sighting_form": form or SightingForm(),
    }


@member_required("can_view_persons")
def person_detail(request: MemberRequest, uid) -> HttpResponse:
    person = selectors.person_get(actor=request.membership, uid=uid)
    audit_view(actor=request.user, organisation=request.organisation, obj=person, request=request)
    return person_page(request, person)


def _add(request: MemberRequest, uid, form_class, key: str, service) -> HttpResponse:
    person = selectors.person_get(actor=request.membership, uid=uid)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.membership, person=person, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return person_page(request, person, forms={key: form}, status=400)


@require_POST
@member_required("can_work_cases")
def person_add_name(request: MemberRequest, uid) -> HttpResponse:
    return _add(request, uid, NameForm, "name", services.person_add_name)


@require_POST
@member_required("can_work_cases")
def person_add_contact(request: MemberRequest, uid) -> HttpResponse:
    return _add(request, uid, ContactForm, "contact", services.person_add_contact)


@require_POST
@member_required("can_work_cases")
def person_add_identifier(request: MemberRequest, uid) -> HttpResponse:
    return _add(request, uid, IdentifierForm, "identifier", services.person_add_identifier)


@require_POST
@member_required("can_work_cases")
def person_edit(request: MemberRequest, uid) -> HttpResponse:
    person = selectors.person_get(actor=request.membership, uid=uid)
    form = PersonDetailsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                actor=request.membership,
                person=person,
                expected_version=data["version"],
                request=request,
                **{name: data[name] for name in PersonDetailsForm.FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            person.refresh_from_db()
            return person_page(request, person, conflict=exc, status=409)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return person_page(request, person, forms={"details": form}, status=400)
