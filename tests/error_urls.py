"""The app's URLs plus one view that fails while naming a patient (error page and Sentry tests)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from patients.models import Patient
from rehab_clinic.accounts.decorators import any_role
from rehab_clinic.urls import (  # noqa: F401 - the handlers are looked up on this module
    handler400,
    handler403,
    handler404,
    handler500,
)
from rehab_clinic.urls import (
    urlpatterns as app_urlpatterns,
)


@any_role
def fail_naming_a_patient(request: HttpRequest, pk: int) -> HttpResponse:
    patient = Patient.objects.get(pk=pk)
    secret_local = f"{patient.first_name} {patient.last_name}"
    raise ValueError(f"could not load the plan of {secret_local}")


urlpatterns = [
    path("test-boom/<int:pk>/", fail_naming_a_patient, name="test_boom"),
    *app_urlpatterns,
]
