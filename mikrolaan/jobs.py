"""Daily jobs: one registry, two ways to run it.

An app registers a job in its own ``jobs.py`` (found automatically):

    from mikrolaan.jobs import daily_job

    @daily_job("payment_reminders")
    def send_payment_reminders(*, today):
        ...

Celery beat runs them all once a day (``CELERY_BEAT_SCHEDULE``,
``mikrolaan.run_daily_jobs``); without a broker, cron runs
``python manage.py run_daily_jobs``. A job must be idempotent: it may run
twice on one day (a retried beat, a manual run), so it records what it has
done in the database (SPEC §9: "each instalment and level at most once").
One job that fails is logged and does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from celery import shared_task
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .tenancy import unscoped

logger = logging.getLogger(__name__)

_JOBS: dict[str, Callable] = {}


def daily_job(name: str):
    """Register ``func(*, today: date)`` as the daily job ``name``."""

    def decorator(func):
        if name in _JOBS and _JOBS[name] is not func:
            raise ValueError(f"Daily job {name!r} is already registered")
        _JOBS[name] = func
        return func

    return decorator


def registered_jobs() -> dict[str, Callable]:
    autodiscover_modules("jobs")
    return dict(_JOBS)


def run_daily_jobs(*, today: date | None = None, only: list[str] | None = None) -> dict:
    """Run every registered daily job (or those named in ``only``) in this
    process. Returns ``{name: {"ok": bool, "result" or "error": ...}}``."""
    today = today or timezone.localdate()
    results = {}
    for name, func in registered_jobs().items():
        if only and name not in only:
            continue
        try:
            # Daily jobs serve the whole installation, every municipality.
            with unscoped():
                result = func(today=today)
        except Exception as exc:
            logger.exception("Daily job %s failed", name)
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        else:
            results[name] = {"ok": True, "result": result}
    return results


@shared_task(name="mikrolaan.run_daily_jobs", ignore_result=True)
def run_daily_jobs_task() -> dict:
    """Beat, once a day: every registered daily job."""
    return run_daily_jobs()


@daily_job("purge_access_log")
def purge_access_log(*, today):
    """Datatilsynet's guidance: reads of personal data kept 6 months (a setting)."""
    from .audit import purge_access_log as purge

    return purge()
