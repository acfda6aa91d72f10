"""Create the demo clinics, accounts and patients (idempotent), or add synthetic patients.

The demo accounts and names are a contract other checks rely on: see README.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from assessments import seed as assessment_seed
from exercises import seed as exercise_seed
from patients import seed as patient_seed
from programs.documents import seed as document_seed
from programs.home import seed as home_program_seed
from programs.running import seed as running_seed

# In this order: each app's demo data builds on the ones before it.
APP_SEEDS = [exercise_seed, assessment_seed, home_program_seed, running_seed, document_seed]


class Command(BaseCommand):
    help = (
        "Create the demo clinics and accounts (safe to run again), or --patients N synthetic ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients",
            type=int,
            default=0,
            help="Add this many synthetic patients (bulk inserts) for benchmarks.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            patient_seed.seed_demo()
            for module in APP_SEEDS:
                module.seed_demo()
        if options["patients"]:
            created = patient_seed.seed_synthetic(options["patients"])
            self.stdout.write(f"Added {created} synthetic patients.")
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in with password demo-pass-123:")
        )
        for email, role in patient_seed.DEMO_LOGINS:
            self.stdout.write(f"  {email:<24} {role}")
