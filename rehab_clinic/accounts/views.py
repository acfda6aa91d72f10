"""Sign-in, accepting an invitation, and the clinic admin's pages (a patient's invitation is sent
from the chart: patients.views.patient_invite)."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patients.models import Patient
from rehab_clinic.accounts import services, two_factor
from rehab_clinic.accounts.decorators import (
    any_role,
    clinic_admin_required,
    public,
    recent_auth_required,
)
from rehab_clinic.accounts.forms import (
    ClinicForm,
    ClinicTwoFactorForm,
    LoginForm,
    OutboxPasswordResetForm,
    SetPasswordFromInviteForm,
    StaffForm,
)
from rehab_clinic.accounts.models import Clinic, Invitation, User
from rehab_clinic.accounts.paging import page_of, query_without_page
from rehab_clinic.accounts.requests import AuthedRequest, StaffRequest
from rehab_clinic.accounts.same_site import page_on_this_site
from rehab_clinic.accounts.submissions import submitted_once


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)  # rotates the session key
        next_url = page_on_this_site(
            request, request.POST.get("next") or request.GET.get("next") or ""
        )
        return HttpResponseRedirect(next_url) if next_url else redirect("home")
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@any_role
@require_POST
def logout_view(request: AuthedRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


password_change = any_role(
    require_http_methods(["GET", "POST"])(
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        )
    )
)
password_change_done = any_role(
    require_GET(
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        )
    )
)
password_reset = public(
    require_http_methods(["GET", "POST"])(
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=OutboxPasswordResetForm,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        )
    )
)
password_reset_done = public(
    require_GET(
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
    )
)
password_reset_confirm = public(
    require_http_methods(["GET", "POST"])(
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        )
    )
)
password_reset_complete = public(
    require_GET(
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        )
    )
)


@public
@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find_usable(token)
    if invitation is None:
        return render(request, "accounts/invite_invalid.html", status=404)
    form = SetPasswordFromInviteForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation=invitation, password=form.cleaned_data["password2"]
            )
        except services.InvitationError as error:
            messages.error(request, str(error))
            return redirect("accounts:login")
        if user.is_patient:
            # The link and the new password are the proof: no second sign-in for a patient
            # (staff sign in, where their clinic's second factor applies).
            login(request, user, backend="rehab_clinic.accounts.backends.ClinicUserBackend")
            messages.success(request, "Your account is ready. Welcome!")
            return redirect("home")
        messages.success(
            request, "Your account is ready. Sign in with your email and new password."
        )
        return redirect("accounts:login")
    return render(request, "accounts/invite_accept.html", {"form": form, "invitation": invitation})


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def admin_home(request: StaffRequest) -> HttpResponse:
    clinic = request.user.home_clinic
    form = ClinicForm(request.POST or None, request.FILES or None, instance=clinic)
    if request.method == "POST" and form.is_valid():
        services.save_clinic(
            clinic=form.save(commit=False), changed=form.changed_data, by=request.user
        )
        messages.success(request, "Clinic details saved.")
        return redirect("accounts:admin_home")
    counts = {
        "therapists": clinic.users.filter(role=User.Role.THERAPIST, is_active=True).count(),
        "patients": Patient.objects.visible_to(request.user).count(),
    }
    return render(
        request, "accounts/admin_home.html", {"form": form, "clinic": clinic, "counts": counts}
    )


_LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


@any_role
@require_http_methods(["GET"])
def clinic_logo(request: AuthedRequest, pk: int) -> FileResponse:
    """The clinic's logo, to its own staff and patients only (it heads every page they see;
    media files are never served from a public URL); another clinic's looks like one that does
    not exist."""
    clinic = get_object_or_404(Clinic, pk=pk, id=request.user.clinic_id)
    # Logos are stored as PNG; one stored before that is served only if it is one of the
    # accepted types.
    kind = _LOGO_TYPES.get(Path(clinic.logo.name or "").suffix.lower()) if clinic.logo else None
    if kind is None:
        raise Http404
    try:
        stored = clinic.logo.open("rb")  # through the media storage: disk or bucket
    except OSError:
        raise Http404("No logo") from None
    response = FileResponse(stored, content_type=kind)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    return response


STAFF_PAGE_SIZE = 50
PENDING_SHOWN = 50  # the invitations waiting that the staff page lists


@clinic_admin_required
@require_GET
def staff_list(request: StaffRequest) -> HttpResponse:
    clinic = request.user.home_clinic
    staff = (
        clinic.users.exclude(role=User.Role.PATIENT)
        .annotate(has_second_factor=two_factor.has_second_factor_expression())
        .order_by("-is_active", "full_name", "id")
    )
    pending = (
        Invitation.objects.usable()
        .filter(clinic=clinic)
        .exclude(role=User.Role.PATIENT)
        .order_by("expires_at", "id")[:PENDING_SHOWN]
    )
    return render(
        request,
        "accounts/staff_list.html",
        {
            "staff": page_of(request, staff, STAFF_PAGE_SIZE),
            "query": query_without_page(request),
            "pending": pending,
            "two_factor_form": ClinicTwoFactorForm(instance=clinic),
        },
    )


@clinic_admin_required
@require_http_methods(["GET", "POST"])
@submitted_once
def staff_add(request: StaffRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, clinic=request.user.home_clinic)
    if request.method == "POST" and form.is_valid():
        services.invite_staff(
            clinic=request.user.home_clinic,
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(request, f"An invitation was emailed to {form.cleaned_data['email']}.")
        return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "member": None})


@clinic_admin_required
@recent_auth_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: StaffRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        User.objects.filter(clinic=request.user.home_clinic).exclude(role=User.Role.PATIENT), pk=pk
    )
    form = StaffForm(request.POST or None, instance=member, clinic=request.user.home_clinic)
    if request.method == "POST" and form.is_valid():
        if member == request.user and (
            form.cleaned_data["role"] != User.Role.CLINIC_ADMIN
            or not form.cleaned_data["is_active"]
        ):
            form.add_error(None, "You cannot remove your own admin access; ask another admin.")
        else:
            services.update_staff(member=form.save(commit=False), by=request.user)
            messages.success(request, f"{member.full_name} was updated.")
            return redirect("accounts:staff_list")
    return render(
        request,
        "accounts/staff_form.html",
        {
            "form": form,
            "member": member,
            "member_has_second_factor": two_factor.has_second_factor(member),
        },
    )
