"""The clinic admin's list of billing codes that daily notes record treatment minutes against."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments.billing_codes import BillingCode
from assessments.billing_services import save_billing_codes
from assessments.forms.billing import billing_code_formset
from rehab_clinic.accounts.decorators import clinic_admin_required
from rehab_clinic.accounts.requests import StaffRequest


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def billing_codes(request: StaffRequest) -> HttpResponse:
    """Label, timed or untimed, offered or retired: the clinic's data, edited here."""
    clinic = request.user.home_clinic
    codes = list(BillingCode.objects.filter(clinic=clinic))
    formset = billing_code_formset(codes, request.POST if request.method == "POST" else None)
    if request.method == "POST" and formset.is_valid():
        save_billing_codes(clinic=clinic, by=request.user, rows=formset.rows())
        messages.success(request, "Billing codes saved. New daily notes offer the active ones.")
        return redirect("assessments:billing_codes")
    return render(request, "assessments/billing_codes.html", {"formset": formset})
