from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts import selectors, services
from lifeline.accounts.decorators import member_required
from lifeline.accounts.forms import (
    ApiTokenForm,
    ChooseOrganisationForm,
    MemberAddForm,
    MemberChangeForm,
)
from lifeline.audit.services import audit_log
from lifeline.core.forms import add_service_errors
from lifeline.core.http import AuthenticatedRequest, MemberRequest


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(
            actor=self.request.user,
            organisation=None,
            action="accounts.session.started",
            request=self.request,
        )
        return response


class InvitationView(auth_views.PasswordResetConfirmView):
    """An invitation is a one-time link to choose a password (Django's reset token)."""

    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set. You can log in now."))
        return super().form_valid(form)


@login_required
def choose_organisation(request: AuthenticatedRequest) -> HttpResponse:
    memberships = selectors.memberships_of(user=request.user)
    if request.method == "POST":
        form = ChooseOrganisationForm(request.POST)
        if form.is_valid():
            chosen = next(
                (m for m in memberships if m.organisation_id == form.cleaned_data["organisation"]),
                None,
            )
            if chosen is None:
                raise Http404
            request.session[selectors.SESSION_ORG_KEY] = chosen.organisation_id
            return redirect("core:home")
    return render(request, "accounts/choose_organisation.html", {"memberships": memberships})


def _invitation_link(request: MemberRequest, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(
        reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})
    )


@member_required("can_manage_members")
def member_list(request: MemberRequest) -> HttpResponse:
    form = MemberAddForm(request.POST or None)
    invitation = None
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.user_add_to_organisation(
                organisation=request.organisation,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if selectors.member_invitable(member=membership):
                invitation = _invitation_link(request, membership.user)
            messages.success(request, _("%(user)s was added.") % {"user": membership.user})
            form = MemberAddForm()
    members = selectors.organisation_members(actor=request.membership)
    return render(
        request,
        "accounts/members.html",
        {"form": form, "members": members, "invitation": invitation},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required("can_manage_members")
def member_change(request: MemberRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(actor=request.membership, pk=pk)
    form = MemberChangeForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(
                actor=request.membership, membership=member, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    return redirect("accounts:members")


@require_POST
@member_required("can_manage_members")
def member_invite(request: MemberRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(actor=request.membership, pk=pk)
    if not selectors.member_invitable(member=member):
        raise PermissionDenied
    members = selectors.organisation_members(actor=request.membership)
    return render(
        request,
        "accounts/members.html",
        {
            "form": MemberAddForm(),
            "members": members,
            "invitation": _invitation_link(request, member.user),
        },
    )


@member_required()
def token_list(request: MemberRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(
                actor=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    tokens = selectors.api_tokens_of(actor=request.membership)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@require_POST
@member_required()
def token_revoke(request: MemberRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get(actor=request.membership, pk=pk)
    services.api_token_revoke(actor=request.membership, token=token, request=request)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
