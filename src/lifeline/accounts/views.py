from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts import selectors, services
from lifeline.accounts.decorators import member_required
from lifeline.accounts.forms import (
    ApiTokenForm,
    ChooseOrganisationForm,
    EnrolmentCodeForm,
    MemberAddForm,
    MemberChangeForm,
    OrganisationSettingsForm,
    SecondFactorCodeForm,
)
from lifeline.accounts.qr import totp_qr_data_uri, totp_secret_groups
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
        {
            "form": form,
            "members": members,
            "invitation": invitation,
            "enrolled": selectors.second_factor_enrolled_ids(members=members),
        },
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
            "enrolled": selectors.second_factor_enrolled_ids(members=members),
        },
    )


@member_required()
def token_list(request: MemberRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    raw = None
    verified = request.user.is_verified()  # type: ignore[attr-defined]
    if request.method == "POST" and not verified:
        # A token outlives the session: only a session that passed the second factor makes one.
        form.add_error(None, _("Set up your second factor (Security) before creating a token."))
    elif request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(
                actor=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    tokens = selectors.api_tokens_of(actor=request.membership)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "raw": raw, "verified": verified},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def token_revoke(request: MemberRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get(actor=request.membership, pk=pk)
    services.api_token_revoke(actor=request.membership, token=token, request=request)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


# Second factor ----------------------------------------------------------------------------


def _next_url(request: AuthenticatedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@login_required
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of the login: a code from the app or a recovery code."""
    if request.user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    if selectors.second_factor_device(user=request.user) is None:
        return redirect("accounts:enrol")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_verify(
                user=request.user,
                code=form.cleaned_data["code"],
                organisation=request.organisation,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@login_required
def enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code,
    then see the recovery codes once. Not for a user who already has one: that user verifies."""
    if selectors.second_factor_device(user=request.user) is not None:
        return redirect("accounts:security")
    device = services.second_factor_enrolment_start(user=request.user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.second_factor_enrol(
                user=request.user,
                device=device,
                code=form.cleaned_data["code"],
                organisation=request.organisation,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": True}
            )
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": totp_qr_data_uri(device),
            "secret_groups": totp_secret_groups(device),
        },
        status=400 if form.errors else 200,
    )


@login_required
def security(request: AuthenticatedRequest) -> HttpResponse:
    device = selectors.second_factor_device(user=request.user)
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "codes_left": selectors.recovery_codes_left(user=request.user) if device else 0,
        },
    )


@require_POST
@login_required
def recovery_codes_regenerate(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_verified():  # type: ignore[attr-defined]
        raise PermissionDenied
    try:
        codes = services.recovery_codes_regenerate(
            user=request.user, organisation=request.organisation, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": False})


@require_POST
@member_required("can_manage_members")
def member_second_factor_reset(request: MemberRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(actor=request.membership, pk=pk)
    services.second_factor_reset(actor=request.membership, membership=member, request=request)
    messages.success(
        request,
        _("%(user)s's second factor was removed. They set up a new one at their next login.")
        % {"user": member.user},
    )
    return redirect("accounts:members")


@member_required("can_manage_organisation")
def organisation_settings(request: MemberRequest) -> HttpResponse:
    form = OrganisationSettingsForm(
        request.POST or None,
        initial={"second_factor_policy": request.organisation.second_factor_policy},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_set_second_factor_policy(
                actor=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:organisation_settings")
    return render(
        request,
        "accounts/organisation_settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
