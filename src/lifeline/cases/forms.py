import uuid
from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lifeline.cases.models import Channel, RejectionReason, ReporterRelation
from lifeline.cases.services import TIMELINE_ENTRY_KINDS
from lifeline.cases.workflow import CaseStatus, Urgency, UrgencyReason
from lifeline.core.forms import VersionedForm
from lifeline.core.vocabularies import (
    MethodOfControl,
    MethodOfRecruitment,
    RecruitmentApp,
    RelationshipToTrafficker,
    StatusDecidedBy,
    TraffickingStatus,
    TypeOfExploitation,
)
from lifeline.people.models import ContactKind

BLANK = [("", "—")]
LANGUAGE_CHOICES = (
    BLANK + [(code, name) for code, name in settings.LANGUAGES] + [("other", _("Other"))]
)


class RequestForm(forms.Form):
    channel = forms.ChoiceField(label=_("Received by"), choices=Channel.choices)
    reporter_relation = forms.ChoiceField(
        label=_("Who is asking"), choices=ReporterRelation.choices
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)
    subject_name = forms.CharField(
        label=_("Name of the person in danger"),
        required=False,
        max_length=500,
        help_text=_("Any script; several spellings separated by “/”."),
    )
    subject_contact_kind = forms.ChoiceField(
        label=_("Their contact"), choices=ContactKind.choices, required=False
    )
    subject_contact = forms.CharField(label=_("Number or handle"), required=False, max_length=200)
    location_text = forms.CharField(label=_("Where they are"), required=False, max_length=500)
    text = forms.CharField(
        label=_("What is happening"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    danger_signs = forms.MultipleChoiceField(
        label=_("Danger signs"),
        choices=UrgencyReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Suggest from the danger signs")), *Urgency.choices],
    )
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=500)
    reporter_contact_kind = forms.ChoiceField(
        label=_("Reporter's contact"), choices=ContactKind.choices, required=False
    )
    reporter_contact = forms.CharField(
        label=_("Reporter's number or handle"), required=False, max_length=200
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)


class DismissForm(forms.Form):
    """Several requests of the queue, dismissed as spam or as tests (cases.services)."""

    requests = forms.Field(
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Tick the requests to dismiss.")},
    )
    reason = forms.ChoiceField(
        choices=[
            (RejectionReason.SPAM.value, RejectionReason.SPAM.label),
            (RejectionReason.TEST.value, RejectionReason.TEST.label),
        ]
    )

    def clean_requests(self) -> list[str]:
        values = self.cleaned_data["requests"]
        try:
            return [str(uuid.UUID(str(value))) for value in values][:500]
        except ValueError:
            raise forms.ValidationError(_("Tick the requests to dismiss.")) from None


class OpenCaseForm(forms.Form):
    person = forms.CharField(required=False, widget=forms.HiddenInput)
    extra_names = forms.CharField(
        label=_("Other spellings of the name"),
        required=False,
        max_length=500,
        help_text=_("Optional. Separate spellings with “/”."),
    )


class MoveForm(VersionedForm):
    to_status = forms.ChoiceField(label=_("Move to"), choices=CaseStatus.choices)
    reason = forms.CharField(label=_("Why"), max_length=500)

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            cast(forms.ChoiceField, self.fields["to_status"]).choices = [
                (s, CaseStatus(s).label) for s in allowed
            ]


class UrgencyForm(VersionedForm):
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int)
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        choices=UrgencyReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CaseContextForm(VersionedForm):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    last_known_location = forms.CharField(
        label=_("Last known location"), required=False, max_length=500
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Type of exploitation"),
        required=False,
        choices=TypeOfExploitation.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    methods_of_control = forms.MultipleChoiceField(
        label=_("Methods of control"),
        required=False,
        choices=MethodOfControl.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recruitment_method = forms.ChoiceField(
        label=_("How they were recruited"),
        required=False,
        choices=[*BLANK, *MethodOfRecruitment.choices],
    )
    recruitment_apps = forms.MultipleChoiceField(
        label=_("Apps or websites used"),
        required=False,
        choices=RecruitmentApp.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to the recruiter"),
        required=False,
        choices=[*BLANK, *RelationshipToTrafficker.choices],
    )
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), choices=TraffickingStatus.choices
    )
    trafficking_status_decided_by = forms.ChoiceField(
        label=_("Status decided by"), required=False, choices=[*BLANK, *StatusDecidedBy.choices]
    )

    CONTEXT_FIELDS = (
        "summary",
        "last_known_location",
        "exploitation_types",
        "methods_of_control",
        "recruitment_method",
        "recruitment_apps",
        "relationship_to_trafficker",
        "trafficking_status",
        "trafficking_status_decided_by",
    )


class TimelineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Entry"), choices=[(k.value, k.label) for k in TIMELINE_ENTRY_KINDS]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[*BLANK, *Channel.choices], required=False
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    body = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    location = forms.CharField(label=_("Location mentioned"), required=False, max_length=500)


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            (m.pk, f"{m.user} ({m.get_role_display()})") for m in members
        ]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name in any script, reference, or words from the case"),
    )
    phone = forms.CharField(label=_("Phone or handle"), required=False, max_length=100)
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=CaseStatus.choices
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[*BLANK, *Urgency.choices],
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    open_only = forms.BooleanField(label=_("Open cases only"), required=False)

    def __init__(self, *args, members=(), citizenships=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = (
            BLANK
            + [("me", _("Me")), ("none", _("Nobody"))]
            + [(str(m.user_id), str(m.user)) for m in members]
        )
        cast(forms.ChoiceField, self.fields["citizenship"]).choices = BLANK + [
            (code, countries.name(code)) for code in citizenships
        ]
