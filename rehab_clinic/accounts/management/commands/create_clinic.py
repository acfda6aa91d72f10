"""Create a clinic and invite its first admin: the way a real clinic starts (README, Production).

    python manage.py create_clinic "Riverside Running Rehab" --timezone America/Chicago \
        --unit mi --admin-email owner@riverside.example

Prints the admin's single-use invitation link (and emails it when email is configured, i.e. not
the console backend). Refuses a clinic name or admin email that is already taken.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab_clinic.accounts import services
from rehab_clinic.accounts.models import Clinic

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


class Command(BaseCommand):
    help = "Create a clinic and print a single-use invitation link for its first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The clinic's name, as patients see it.")
        parser.add_argument(
            "--timezone", required=True, help="IANA time zone, e.g. America/Chicago."
        )
        parser.add_argument(
            "--unit", required=True, choices=Clinic.DistanceUnit.values, help="Distances in."
        )
        parser.add_argument("--admin-email", required=True, help="The first clinic admin.")
        parser.add_argument(
            "--admin-name", default="", help="The admin's full name (default: from the email)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["admin_email"].strip()
        send_email = settings.EMAIL_BACKEND != CONSOLE_EMAIL
        try:
            clinic, link = services.create_clinic(
                name=options["name"].strip(),
                timezone_name=options["timezone"],
                distance_unit=options["unit"],
                admin_email=email,
                admin_name=options["admin_name"].strip() or email.split("@")[0],
                base_url=settings.SITE_URL,
                send_email=send_email,
            )
        except services.ClinicExists as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
            raise CommandError(f"Nothing was created. {problems}") from None
        self.stdout.write(
            f"Created clinic {clinic.name!r} ({clinic.timezone}, {clinic.distance_unit})."
        )
        self.stdout.write(f"Invitation for its first admin, {email} (single use):")
        self.stdout.write(link)
        if send_email:
            self.stdout.write(f"The link was also emailed to {email}.")
