"""Settings for bench/outage.py: the project's settings plus a URLconf with a
view that asks for several letters in one request."""

from mikrolaan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.outage_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
