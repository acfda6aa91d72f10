"""Print a new VAPID key pair for web push, as lines for the environment (docs/push.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from rehab_clinic.push.services import new_vapid_keys


class Command(BaseCommand):
    help = "Print a new VAPID key pair (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY) for web push."

    def handle(self, *args: Any, **options: Any) -> None:
        keys = new_vapid_keys()
        self.stdout.write(f"VAPID_PUBLIC_KEY={keys.public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={keys.private}")
        self.stderr.write(
            "Keep the private key secret. Changing the pair later makes every browser turn "
            "notifications on again."
        )
