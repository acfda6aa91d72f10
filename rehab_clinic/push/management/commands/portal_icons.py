"""Write the portal's home-screen icons (rehab_clinic/push/icons.py) into static/img/."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from rehab_clinic.push.icons import ICON_FILES, icon_png


class Command(BaseCommand):
    help = "Draw the portal's home-screen icons into static/img/ (commit the result)."

    def handle(self, *args: Any, **options: Any) -> None:
        static = settings.BASE_DIR / "static"
        for size, name in ICON_FILES.items():
            (static / name).write_bytes(icon_png(size))
            self.stdout.write(f"Wrote static/{name}")
