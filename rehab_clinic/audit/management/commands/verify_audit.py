from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rehab_clinic.audit.services import take_checkpoints, verify_audit_trail


def _name(chain: int) -> str:
    if chain == -1:
        return "Checkpoints"
    return "System chain" if chain == 0 else f"Clinic {chain} chain"


class Command(BaseCommand):
    help = (
        "Check every audit chain (one per clinic) against its signed head and latest checkpoint, "
        "then checkpoint the heads that moved."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="Only check; take no new checkpoint."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reports = verify_audit_trail()
        broken = [r for r in reports if not r.intact]
        for report in reports:
            if report.intact:
                self.stdout.write(f"{_name(report.chain)}: intact, {report.checked} verified.")
        if broken:
            lines = []
            for report in broken:
                where = f" at event {report.first_bad_id}" if report.first_bad_id else ""
                lines.append(
                    f"{_name(report.chain)} broken{where}: {report.reason} "
                    f"({report.checked} verified before it)."
                )
            raise CommandError("\n".join(lines))
        if not options["no_checkpoint"]:
            take_checkpoints()
        events = sum(r.checked for r in reports if r.chain != -1)
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {events} events."))
