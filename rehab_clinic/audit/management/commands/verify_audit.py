from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rehab_clinic.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check that the audit trail's hash chain is intact."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at event {report.first_bad_id}: {report.reason} "
                f"({report.checked} events before it verified)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events."))
