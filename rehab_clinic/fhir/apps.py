from django.apps import AppConfig


class FhirConfig(AppConfig):
    """FHIR R4 export of one patient (`GET /fhir/Patient/<id>/$everything`, `manage.py
    export_fhir`). No models; it reads every clinical app and no app imports it
    (tests/test_architecture.py)."""

    name = "rehab_clinic.fhir"
    label = "fhir"
