from typing import TYPE_CHECKING, Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lifeline.cases.workflow import CaseStatus, Urgency

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


@register.filter
def can(membership: Any, capability: str) -> bool:
    return bool(membership) and membership.has(capability)


@register.filter
def primary_name(case_or_person: Any) -> str:
    """The primary name from a prefetched ``primary_names`` list, without another query."""
    person = getattr(case_or_person, "person", case_or_person)
    if getattr(person, "erased_at", None) is not None:
        return _("(erased)")
    names = getattr(person, "primary_names", None)
    if names is None:
        names = [n for n in person.names.all() if n.is_primary]
    return names[0].value if names else _("(no name)")


@register.simple_tag
def urgency_badge(value: int) -> str:
    try:
        urgency = Urgency(value)
    except ValueError:
        return ""
    return format_html('<span class="badge u{}">{}</span>', urgency.value, urgency.label)


@register.filter
def status_label(value: str) -> "StrOrPromise":
    try:
        return CaseStatus(value).label
    except ValueError:
        return value


@register.filter
def humanise_field(name: str) -> str:
    return name.replace("_", " ").capitalize()


@register.filter
def display_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(value, int) and value in Urgency.values:
        return str(Urgency(value).label)
    if isinstance(value, str) and value in CaseStatus.values:
        return str(CaseStatus(value).label)
    return str(value)


@register.filter
def contact_display(contact: Any) -> str:
    """A phone in international format (+855 12 345 678); other handles as stored."""
    from lifeline.people.indexing import PHONE_KINDS
    from lifeline.people.phones import format_phone

    value = str(contact.value)
    if contact.kind in PHONE_KINDS and value.startswith("+"):
        try:
            return format_phone(value)
        except ValueError:
            return value
    return value


@register.filter
def percent(value: Any) -> int:
    """A probability (0 to 1) as a whole percentage."""
    return round(float(value) * 100)
