"""Thin Celery wrappers around the letter services."""

from celery import shared_task
from django.conf import settings

from . import services


class RenderFailed(Exception):
    """Raised to make Celery retry a render that crashed."""


@shared_task(
    bind=True,
    name="letters.generate_letter",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(RenderFailed,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=None,  # the letter's own attempts counter decides (LETTERS_MAX_ATTEMPTS)
)
def generate_letter(self, letter_id: int) -> str:
    """Render letter ``letter_id`` once; idempotent (see
    services.generate_pending_letter). A crash is retried with exponential
    backoff until the letter has used its attempts; then it is marked failed
    with the error kept for staff."""
    try:
        return services.generate_pending_letter(letter_id)
    except Exception as exc:
        if self.request.retries >= settings.LETTERS_MAX_ATTEMPTS:
            raise
        raise RenderFailed(f"{type(exc).__name__}: {exc}") from exc


@shared_task(name="letters.sweep_pending_letters")
def sweep_pending_letters() -> int:
    """Beat, every 5 minutes: queue again letters stuck pending."""
    return services.sweep_pending_letters()
