"""Remove a user's second factor when no other admin can: `python manage.py reset_2fa <email>`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab_clinic.accounts.models import User
from rehab_clinic.accounts.two_factor import reset_two_factor


class Command(BaseCommand):
    help = "Remove every second factor of one account and sign it out; it enrols again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        reset_two_factor(member=user, by=None)
        self.stdout.write(
            self.style.SUCCESS(f"{user.email}: second factor removed and signed out everywhere.")
        )
