from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The patient's record, out: a ZIP of a readable PDF and the FHIR bundle, made by a Celery
    task for the patient (portal) or their clinic (the chart), with a link that expires."""

    name = "rehab_clinic.records"
    label = "records"
    verbose_name = "Record exports"

    def ready(self) -> None:
        # local import: the hooks read our models, which load only once the registry is ready
        from rehab_clinic.records import hooks

        hooks.register()
