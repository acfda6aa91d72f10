from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rehab_clinic.audit"
    label = "audit"
    verbose_name = "Audit trail"
