"""The `fhir` namespace under /fhir/. `$everything` is the FHIR operation's own name; path()
escapes the literal part, so the dollar sign matches itself."""

from django.urls import path

from rehab_clinic.fhir import views

app_name = "fhir"

urlpatterns = [
    path("Patient/<int:pk>/$everything", views.patient_everything, name="patient_everything"),
]
