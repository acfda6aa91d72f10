"""The Celery application. Workers: `celery -A rehab_clinic worker` (see `make worker`)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab_clinic.settings")
# Celery's Django fixup runs every system check when a worker starts, and the URL check imports
# the whole URLconf: every view, form and web-only library, about 8 MB that each pool child then
# holds without using (docs/performance.md, "Program PDFs"). `manage.py check` and `migrate`
# still run them. Set CELERY_SKIP_CHECKS to an empty value to run them in the worker too.
os.environ.setdefault("CELERY_SKIP_CHECKS", "true")

app = Celery("rehab_clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
