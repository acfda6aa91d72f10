"""Load a library JSON file: `manage.py import_library FILE --clinic SLUG`."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from exercises.transfer import LibraryImportError, import_library
from rehab_clinic.accounts.models import Clinic


class Command(BaseCommand):
    help = "Import a library JSON file into a clinic's own library (or --shared). All or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Path to the JSON file, or - for standard input.")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--clinic", help="Slug of the clinic that receives the entries.")
        target.add_argument("--shared", action="store_true", help="Import into the shared library.")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = None
        if options["clinic"]:
            clinic = Clinic.objects.filter(slug=options["clinic"]).first()
            if clinic is None:
                raise CommandError(f"No clinic with slug {options['clinic']!r}.")
        try:
            if options["file"] == "-":
                payload = json.load(sys.stdin)
            else:
                with open(options["file"], encoding="utf-8") as handle:
                    payload = json.load(handle)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Could not read the file: {exc}") from None
        try:
            result = import_library(payload=payload, clinic=clinic)
        except LibraryImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(exc.errors)} problem(s).") from None
        self.stdout.write(
            f"Imported: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
