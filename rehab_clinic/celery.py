"""The Celery application. Workers: `celery -A rehab_clinic worker` (see `make worker`)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab_clinic.settings")

app = Celery("rehab_clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
