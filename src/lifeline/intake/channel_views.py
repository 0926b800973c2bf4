"""Org admins' page for the messaging bridges' channels (the API has the same operations)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.intake import selectors, services
from lifeline.intake.models import BotChannel, BridgeKind


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Messaging app"), choices=BridgeKind.choices)


def _page(
    request: MemberRequest,
    form: ChannelForm,
    *,
    shown: tuple[BotChannel, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "channels": selectors.channels_of(actor=request.membership),
        "form": form,
        "shown": shown,
    }
    return render(request, "intake/channels.html", context, status=status)


@member_required("can_manage_channels")
def channels(request: MemberRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shown = services.channel_create(
                actor=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The secret is in this answer only: no redirect, nothing kept in the session.
            return _page(request, ChannelForm(), shown=shown, status=201)
    return _page(request, form, status=400 if form.errors else 200)


@require_POST
@member_required("can_manage_channels")
def channel_secret(request: MemberRequest, uid: str) -> HttpResponse:
    channel = selectors.channel_get(actor=request.membership, uid=uid)
    try:
        secret = services.channel_new_secret(
            actor=request.membership, channel=channel, request=request
        )
    except ValidationError:
        return redirect("intake:channels")
    return _page(request, ChannelForm(), shown=(channel, secret))


@require_POST
@member_required("can_manage_channels")
def channel_revoke(request: MemberRequest, uid: str) -> HttpResponse:
    channel = selectors.channel_get(actor=request.membership, uid=uid)
    services.channel_revoke(actor=request.membership, channel=channel, request=request)
    return redirect("intake:channels")
