"""Write a contact sheet (PDF) of every drawing in the shipped library."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exercises.sheet import sheet_entries, sheet_pdf


class Command(BaseCommand):
    help = "Render every library drawing on a contact sheet: library_sheet out.pdf"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="PDF file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        entries = sheet_entries()
        Path(options["output"]).write_bytes(sheet_pdf(entries))
        self.stdout.write(f"{len(entries)} drawings written to {options['output']}")
