"""The patient's reminder settings, in the portal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from patients.portal import portal_patient
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest
from rehab_clinic.audit.services import record_read
from rehab_clinic.reminders import services
from rehab_clinic.reminders.forms import ReminderSettingsForm
from rehab_clinic.reminders.services import SETTING_FIELDS


@patient_required
@require_http_methods(["GET", "POST"])
def portal_settings(request: PatientRequest) -> HttpResponse:
    patient = portal_patient(request)
    current = services.initial_settings(patient)
    form = ReminderSettingsForm(request.POST or None, current=current, zone=patient.clinic.timezone)
    if request.method == "POST" and form.is_valid():
        services.save_settings(
            patient=patient,
            by=request.user,
            values={name: form.cleaned_data[name] for name in SETTING_FIELDS},
            email_on=form.cleaned_data["email_on"],
        )
        messages.success(request, "Your reminders are saved.")
        return redirect("reminders:portal_settings")
    if current.pk is not None:
        record_read(by=request.user, patient=patient, obj=current)
    return render(
        request,
        "reminders/settings_form.html",
        {"form": form, "patient": patient, "current": current},
    )
