"""Print the library as JSON: `manage.py export_library [--clinic SLUG] [--output FILE]`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from exercises.transfer import export_library
from rehab_clinic.accounts.models import Clinic


class Command(BaseCommand):
    help = "Export the shared library, or one clinic's own library, as JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clinic", help="Clinic slug; without it the shared library.")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = None
        if options["clinic"]:
            clinic = Clinic.objects.filter(slug=options["clinic"]).first()
            if clinic is None:
                raise CommandError(f"No clinic with slug {options['clinic']!r}.")
        text = json.dumps(export_library(clinic=clinic), indent=2, ensure_ascii=False)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
