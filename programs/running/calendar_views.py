"""The runner's calendar link on the portal, and the feed a calendar app fetches with it.

The feed has no sign-in (a calendar app cannot sign in): the secret token in the URL is the key.
An unknown or revoked token, or an archived patient, is a 404. The feed is read through
``visible_to`` of the link's own patient, so a token can never reach another patient's plan.
A fetch writes nothing, not even an audit row: apps poll every few hours, and the feed holds
only run and rest days (docs/calendar.md).
"""

from __future__ import annotations

import datetime as dt
import time

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patients.models import Patient
from patients.portal import portal_patient
from programs.running.calendar_feed import schedule_calendar
from programs.running.calendar_models import CalendarFeed
from programs.running.calendar_services import make_calendar_link, revoke_calendar_link
from rehab_clinic.accounts.decorators import patient_required, public
from rehab_clinic.accounts.requests import PatientRequest

__all__ = ["calendar_feed", "calendar_link", "calendar_revoke"]

# The link just made is kept in the session this long, so a reload shows it again. Anyone who
# could read the session store could use the session itself, which sees more than the link.
SHOWN_SECONDS = 600
_SHOWN = "calendar_link_shown"


@patient_required
@require_http_methods(["GET", "POST"])
def calendar_link(request: PatientRequest) -> HttpResponse:
    """POST makes (or makes again) the link; GET shows it, for a few minutes, to copy into a
    calendar app. A reload or Back shows the same link again: it never makes another (which
    would stop the one the runner has just added to their calendar)."""
    patient = portal_patient(request)
    if request.method == "POST":
        _feed, token = make_calendar_link(patient=patient, by=request.user)
        request.session[_SHOWN] = {"token": token, "until": time.time() + SHOWN_SECONDS}
        return redirect("programs:rtr_calendar_link")
    shown = request.session.get(_SHOWN) or {}
    token = str(shown.get("token", "")) if float(shown.get("until", 0)) > time.time() else ""
    feed = CalendarFeed.objects.find(token) if token else None
    if feed is None or feed.patient_id != patient.pk:  # shown too long ago, or turned off since
        return render(request, "programs/running/portal_calendar_link.html", {"feed_url": ""})
    url = request.build_absolute_uri(reverse("programs:rtr_calendar_feed", args=[token]))
    # Never cached: signed-in pages are sent with no-store (accounts.middleware).
    return render(
        request,
        "programs/running/portal_calendar_link.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
    )


@patient_required
@require_POST
def calendar_revoke(request: PatientRequest) -> HttpResponse:
    """Turn the link off and say so (a page, not a redirect: a second POST changes nothing)."""
    patient = portal_patient(request)
    request.session.pop(_SHOWN, None)
    was_on = revoke_calendar_link(patient=patient, by=request.user)
    if not was_on:
        # A double tap: this second POST finds the link the first one has just turned off.
        just_now = timezone.now() - dt.timedelta(minutes=1)
        was_on = (
            CalendarFeed.objects.visible_to(request.user).filter(revoked_at__gte=just_now).exists()
        )
    return render(request, "programs/running/portal_calendar_off.html", {"was_on": was_on})


@public
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.find(token)
    user = feed.patient.user if feed is not None else None
    if (
        feed is None
        or user is None
        or not Patient.objects.visible_to(user).filter(pk=feed.patient_id).exists()
    ):
        raise Http404("No such calendar")
    response = HttpResponse(schedule_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="running-plan.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
