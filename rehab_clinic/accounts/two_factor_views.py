"""Pages of two-factor sign-in: the code step, enrolment (authenticator app, passkeys, backup
codes), confirming it is you before a sensitive action, the user's sessions, and the clinic
admin's switch and reset."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rehab_clinic.accounts import services, sessions, two_factor
from rehab_clinic.accounts.decorators import (
    any_role,
    clinic_admin_required,
    recent_auth_required,
)
from rehab_clinic.accounts.forms import (
    AppCodeForm,
    ClinicTwoFactorForm,
    ReauthenticateForm,
    SecondFactorCodeForm,
)
from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.accounts.same_site import page_on_this_site

_FRESH_CODES_KEY = "fresh_backup_codes"


def _next_url(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return page_on_this_site(request, target) or default


def _back_url(request: HttpRequest) -> str:
    """The page a download confirmed here leads back to (`recent_auth_required_download`)."""
    return page_on_this_site(request, request.POST.get("back") or request.GET.get("back") or "")


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return render(request, "accounts/locked_out.html", status=429)


@any_role
@require_http_methods(["GET", "POST"])
def verify(request: AuthedRequest) -> HttpResponse:
    """The second step of sign-in: a code, a backup code, or a passkey."""
    user = request.user
    if not two_factor.second_factor_pending(request):
        return HttpResponseRedirect(_next_url(request))
    if two_factor.is_locked_out(request, user):
        return _locked_out(request)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.check_code(user, form.cleaned_data["code"])
        if device is not None:
            two_factor.complete_sign_in(request, device)
            return HttpResponseRedirect(_next_url(request))
        if two_factor.count_failure(request, user):
            logout(request)  # django-axes answers this request with its lockout page
        form.add_error("code", "That code is not right, or it was already used. Try again.")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "next": _next_url(request, ""),
            "has_passkey": two_factor.passkeys(user).exists(),
        },
    )


@any_role
@require_GET
def overview(request: AuthedRequest) -> HttpResponse:
    """Sign-in security: the user's factors, what to set up, backup codes left."""
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "totp_devices": two_factor.totp_devices(user),
            "passkeys": two_factor.passkeys(user),
            "backup_codes_left": two_factor.backup_codes_left(user),
            "must_enrol": two_factor.must_enrol(user),
            "enrolled": two_factor.has_second_factor(user),
        },
    )


@any_role
@require_http_methods(["GET", "POST"])
def totp_setup(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if two_factor.totp_devices(user).exists():
        messages.info(request, "You already use an authenticator app.")
        return redirect("accounts:two_factor")
    form = AppCodeForm(request.POST or None, submit_label="Confirm and turn on")
    form.fields["code"].help_text = "The 6-digit code your app shows now."
    # Saved only for a well-formed code (its throttling lives on the row): input that is not a
    # code at all leaves nothing behind.
    checking = request.method == "POST" and form.is_valid()
    device = two_factor.pending_totp_device(request, user, saved=checking)
    if checking:
        if two_factor.confirm_totp(request=request, device=device, code=form.cleaned_data["code"]):
            return _issue_backup_codes(request)
        form.add_error("code", "That code does not match. Check the time on your phone and retry.")
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "qr_code": two_factor.totp_qr_data_uri(device),
            "secret": two_factor.totp_secret(device),
        },
    )


def _issue_backup_codes(request: AuthedRequest) -> HttpResponse:
    request.session[_FRESH_CODES_KEY] = two_factor.new_backup_codes(user=request.user)
    return redirect("accounts:backup_codes")


@any_role
@require_http_methods(["GET", "POST"])
def backup_codes(request: AuthedRequest) -> HttpResponse:
    """POST makes ten new codes (the old ones stop working); GET shows them, once."""
    if request.method == "POST":
        if not two_factor.has_second_factor(request.user):
            messages.error(request, "Set up an authenticator app or a passkey first.")
            return redirect("accounts:two_factor")
        return _issue_backup_codes(request)
    codes = request.session.pop(_FRESH_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@any_role
@require_http_methods(["GET", "POST"])
def reauthenticate(request: AuthedRequest) -> HttpResponse:
    """Confirm it is you: the password, or a code, before a sensitive action."""
    user = request.user
    if two_factor.is_locked_out(request, user):
        return _locked_out(request)
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["secret"]
        if user.check_password(secret) or two_factor.check_code(user, secret) is not None:
            two_factor.mark_checked(request)
            back = _back_url(request)
            if (
                back
            ):  # the file downloads from a page that leads back (recent_auth_required_download)
                return render(
                    request,
                    "accounts/reauthenticated_download.html",
                    {"download_url": _next_url(request), "back": back},
                )
            return HttpResponseRedirect(_next_url(request))
        if two_factor.count_failure(request, user):
            logout(request)
        form.add_error("secret", "That is not your password or a current code.")
    return render(
        request,
        "accounts/reauthenticate.html",
        {"form": form, "next": _next_url(request, ""), "back": _back_url(request)},
    )


@any_role
@require_GET
def session_list(request: AuthedRequest) -> HttpResponse:
    rows = sessions.active_sessions(request.user)
    current = request.session.session_key
    entries = [
        {
            "row": row,
            "device": sessions.describe_user_agent(row.user_agent),
            "place": sessions.describe_place(row.ip_address),
            "current": row.session_key == current,
        }
        for row in rows
    ]
    return render(request, "accounts/session_list.html", {"entries": entries})


@any_role
@require_POST
def session_end(request: AuthedRequest, pk: int) -> HttpResponse:
    if not sessions.end_session(user=request.user, pk=pk):
        raise Http404
    messages.success(request, "That session was signed out.")
    return redirect("accounts:session_list")


@clinic_admin_required
@recent_auth_required
@require_POST
def clinic_two_factor(request: StaffRequest) -> HttpResponse:
    clinic = request.user.home_clinic
    form = ClinicTwoFactorForm(request.POST, instance=clinic)
    if form.is_valid() and form.has_changed():
        clinic = form.save(commit=False)
        on = clinic.require_two_factor
        services.save_clinic(
            clinic=clinic,
            changed=form.changed_data,
            by=request.user,
            detail="two-factor sign-in " + ("required for staff" if on else "no longer required"),
        )
        messages.success(
            request,
            "Staff now confirm each sign-in with a second factor; anyone not set up yet is "
            "asked to enrol at their next sign-in."
            if on
            else "Two-factor sign-in is no longer required (staff who set it up keep using it).",
        )
    return redirect("accounts:staff_list")


@clinic_admin_required
@recent_auth_required
@require_POST
def staff_reset_two_factor(request: StaffRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        User.objects.filter(clinic=request.user.home_clinic).exclude(role=User.Role.PATIENT), pk=pk
    )
    if member == request.user:
        messages.error(request, "Another clinic admin must reset your own second factor.")
        return redirect("accounts:staff_edit", pk=member.pk)
    two_factor.reset_two_factor(member=member, by=request.user)
    messages.success(
        request, f"{member.full_name}'s second factor was removed; they enrol again at sign-in."
    )
    return redirect("accounts:staff_edit", pk=member.pk)
