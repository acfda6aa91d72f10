"""Recompute every stored return-to-run flag with the save path's own code (after a deploy that
adds or changes the flag rule, or to check the stored rows: a second run changes nothing)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from programs.running.flag_services import rebuild_plan_flags
from rehab_clinic.accounts.models import Clinic


class Command(BaseCommand):
    help = "Rebuild the stored return-to-run flags of every plan (idempotent) and report counts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clinic", type=int, help="Only this clinic (its id).")

    def handle(self, *args: Any, **options: Any) -> None:
        clinics = Clinic.objects.order_by("pk")
        if options["clinic"] is not None:
            clinics = clinics.filter(pk=options["clinic"])
            if not clinics.exists():
                raise CommandError(f"No clinic with id {options['clinic']}.")
        counts = rebuild_plan_flags(clinics=clinics)
        self.stdout.write(
            f"Checked {counts.plans} plans with recent logs: {counts.flagged} flagged, "
            f"{counts.rows} flag rows; {counts.changed} plans rewritten, "
            f"{counts.cleared} cleared of old flags."
        )
