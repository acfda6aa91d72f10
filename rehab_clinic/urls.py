from django.urls import include, path

from rehab_clinic import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("rehab_clinic.accounts.urls")),
    path("accounts/passkeys/", include("rehab_clinic.accounts.passkey_urls")),
    path("audit/", include("rehab_clinic.audit.urls")),
    path("patients/", include("patients.urls")),
    path("library/", include("exercises.urls")),
    # The patient's pages are all under /portal/. Assessments and programs mount their own
    # staff (/assessments/, /programs/) and portal (/portal/...) routes, so each keeps its
    # namespace; the paths the portal had before answer 301 (moved_urls).
    path("portal/", include("patients.portal_urls")),
    # The installable portal (manifest, service worker at /portal/sw.js) and web push choices.
    path("portal/", include("rehab_clinic.push.urls")),
    path("", include("assessments.urls")),
    path("", include("programs.urls")),
    path("", include("rehab_clinic.moved_urls")),
    path("", include("rehab_clinic.notifications.urls")),
    path("", include("rehab_clinic.messaging.urls")),
    path("fhir/", include("rehab_clinic.fhir.urls")),
    path("", include("rehab_clinic.reminders.urls")),
    # The patient's record as a ZIP: /portal/record/ for the patient, the chart's export.
    path("", include("rehab_clinic.records.urls")),
]

handler400 = "rehab_clinic.errors.bad_request"
handler403 = "rehab_clinic.errors.permission_denied"
handler404 = "rehab_clinic.errors.page_not_found"
handler500 = "rehab_clinic.errors.server_error"
