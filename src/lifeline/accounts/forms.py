from django import forms
from django.utils.translation import gettext_lazy as _

from lifeline.accounts.models import ApiTokenScope, SecondFactorPolicy
from lifeline.accounts.roles import Role


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ApiTokenForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        choices=[(7, _("7 days")), (30, _("30 days")), (90, _("90 days")), (365, _("a year"))],
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Telegram bot”.")
    )


class ChooseOrganisationForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("The six digits the app now shows, to prove it is set up."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class OrganisationSettingsForm(forms.Form):
    second_factor_policy = forms.ChoiceField(
        label=_("Who must log in with a second factor"),
        choices=SecondFactorPolicy.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A second factor is a code from an authenticator app on the member's phone, asked "
            "for at each login. Platform staff always need one."
        ),
    )
