"""The patient's "Notifications on this phone" page, the endpoints its script posts to, and the
files that make the portal an installable web app."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from patients.portal import portal_patient
from rehab_clinic.accounts.decorators import patient_required
from rehab_clinic.accounts.requests import PatientRequest
from rehab_clinic.push import icons, services
from rehab_clinic.push.forms import SubscriptionForm, UnsubscribeForm

SERVICE_WORKER = "js/portal_sw.js"


def _refused(form: SubscriptionForm | UnsubscribeForm) -> JsonResponse:
    errors = [str(error) for field in form.errors.values() for error in field]
    return JsonResponse({"error": errors[0] if errors else "Not understood."}, status=400)


@patient_required
@require_GET
def push_settings(request: PatientRequest) -> HttpResponse:
    context = {
        "push_enabled": services.push_enabled(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        "subscription_count": request.user.push_subscriptions.count(),
    }
    return render(request, "push/subscription_settings.html", context)


@patient_required
@require_POST
def subscribe(request: PatientRequest) -> JsonResponse:
    """The script posts `subscription` (the browser's subscription as JSON) and the CSRF token."""
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _refused(form)
    services.save_subscription(user=request.user, **form.cleaned_data["subscription"])
    return JsonResponse({"subscribed": True})


@patient_required
@require_POST
def unsubscribe(request: PatientRequest) -> JsonResponse:
    form = UnsubscribeForm(request.POST)
    if not form.is_valid():
        return _refused(form)
    removed = services.remove_subscription(
        user=request.user, endpoint=form.cleaned_data["endpoint"]
    )
    return JsonResponse({"removed": removed})


@patient_required
@require_GET
def manifest(request: PatientRequest) -> JsonResponse:
    """The web app manifest, named for the patient's clinic (base.html links it with
    `crossorigin="use-credentials"` so the browser sends the session)."""
    clinic = portal_patient(request).clinic
    portal = reverse("portal:home")
    data = {
        "id": portal,
        "name": clinic.name,
        "short_name": clinic.name[:12],
        "description": f"Your home program and plan from {clinic.name}.",
        "lang": "en",
        "start_url": portal,
        "scope": portal,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": icons.THEME_COLOR,
        "icons": [
            {"src": static(icons.ICON_FILES[192]), "sizes": "192x192", "type": "image/png"},
            {"src": static(icons.ICON_FILES[512]), "sizes": "512x512", "type": "image/png"},
            {
                "src": static(icons.ICON_FILES[512]),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@lru_cache(maxsize=1)
def _service_worker_source() -> bytes:
    path = finders.find(SERVICE_WORKER)
    if not isinstance(path, str):
        raise LookupError(f"{SERVICE_WORKER} is missing from the static files.")
    with open(path, "rb") as source:
        return source.read()


@patient_required
@require_GET
def service_worker(request: PatientRequest) -> HttpResponse:
    """static/js/portal_sw.js, served from /portal/ so its scope can be the whole portal. When
    the session has ended, the browser's update check is sent to sign in, fails, and keeps the
    worker it has: notifications still arrive."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("portal:home")
    # Always checked for a new version (browsers cap a worker's cache at a day anyway).
    response["Cache-Control"] = "no-cache"
    return response
