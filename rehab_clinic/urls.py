from django.urls import include, path

from rehab_clinic import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("rehab_clinic.accounts.urls")),
    path("accounts/passkeys/", include("rehab_clinic.accounts.passkey_urls")),
    path("audit/", include("rehab_clinic.audit.urls")),
    path("patients/", include("patients.urls")),
    path("portal/", include("patients.portal_urls")),
    path("assessments/", include("assessments.urls")),
    path("library/", include("exercises.urls")),
    path("programs/", include("programs.urls")),
    path("", include("rehab_clinic.notifications.urls")),
]

handler400 = "rehab_clinic.errors.bad_request"
handler403 = "rehab_clinic.errors.permission_denied"
handler404 = "rehab_clinic.errors.page_not_found"
handler500 = "rehab_clinic.errors.server_error"
