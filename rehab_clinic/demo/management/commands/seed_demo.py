"""Create the demo clinics, accounts and patients (idempotent), and with --patients N add N
synthetic patients with histories for benchmarks (rehab_clinic/demo/synthetic.py).

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
from rehab_clinic.demo.synthetic import seed_histories

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
            help=(
                "Add this many synthetic patients with histories for benchmarks: 250 a "
                "therapist, 80 for the demo therapist (docs/performance.md)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            patient_seed.seed_demo()
            for module in APP_SEEDS:
                module.seed_demo()
        if options["patients"]:
            report = seed_histories(options["patients"], progress=self.stdout.write)
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in with password demo-pass-123:")
        )
        for email, role in patient_seed.DEMO_LOGINS:
            self.stdout.write(f"  {email:<24} {role}")
