from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "rehab_clinic.outbox"
    label = "outbox"
    verbose_name = "Task outbox"
