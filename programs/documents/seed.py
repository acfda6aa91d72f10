"""Demo data: Maya Okafor's current program PDF is ready to download after `seed_demo`.

Called by `manage.py seed_demo` after `programs.home.seed.seed_demo()`. Idempotent: a ready document
is left alone, so a second run renders nothing.
"""

from patients.models import Patient
from patients.seed import demo_patient
from programs.documents.services import ensure_document_ready
from programs.home.queries import current_versions

DEMO_PORTAL_EMAILS = ("patient@demo.clinic",)


def seed_demo() -> None:
    for email in DEMO_PORTAL_EMAILS:
        try:
            patient = demo_patient(email)
        except Patient.DoesNotExist:
            continue
        for version in current_versions(patient):
            ensure_document_ready(version=version)
