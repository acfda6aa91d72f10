"""The unsubscribe page (a signed link, no sign-in) and the therapist's suggested times."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from patients.models import Patient
from rehab_clinic.accounts.decorators import public, therapist_required
from rehab_clinic.accounts.requests import StaffRequest
from rehab_clinic.reminders import services
from rehab_clinic.reminders.forms import SuggestedTimesForm
from rehab_clinic.reminders.tokens import patient_id_from


# csrf_exempt: the mail program's one-click POST (RFC 8058) carries no CSRF token; the signed
# token is what proves the link came from us, and it can only stop reminder emails.
@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and writes nothing (a mail scanner opens links); POST unsubscribes."""
    patient_id = patient_id_from(token)
    if patient_id is None:
        raise Http404("This unsubscribe link is not valid.")
    done = False
    if request.method == "POST":
        if not services.stop_reminder_email(patient_id=patient_id):
            raise Http404("This unsubscribe link is not valid.")
        done = True
    return render(request, "reminders/unsubscribe.html", {"done": done})


@therapist_required
@require_POST
def suggest(request: StaffRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = SuggestedTimesForm(request.POST)
    back = request.POST.get("episode", "")
    episode = patient.episodes.filter(pk=back).first() if back.isdigit() else None
    if not form.is_valid():  # the form again, the message beside the field, nothing lost
        context = {"form": form, "patient": patient, "episode": episode}
        return render(request, "reminders/suggest_form.html", context, status=400)
    services.suggest_times(patient=patient, by=request.user, **form.cleaned_data)
    messages.success(request, "The suggested reminder times are saved.")
    if episode is not None:
        return redirect("patients:episode", pk=episode.pk)
    return redirect("patients:chart", pk=patient.pk)
