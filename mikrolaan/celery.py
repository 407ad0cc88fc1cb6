"""The Celery app. Reads Django settings with the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mikrolaan.settings")

app = Celery("mikrolaan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
