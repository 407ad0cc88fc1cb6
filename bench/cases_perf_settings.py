"""Settings for the case-page benchmark: the project's settings plus a URLconf
with a trivial baseline view, and plain static storage (no manifest needed)."""

from mikrolaan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.cases_perf_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
