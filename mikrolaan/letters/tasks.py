"""Thin Celery wrappers around the letter services."""

import logging

from celery import shared_task
from django.conf import settings

from . import recovery, services

logger = logging.getLogger(__name__)


class RenderFailed(Exception):
    """Raised to make Celery retry a render that crashed."""


@shared_task(
    bind=True,
    name="letters.generate_letter",
    # The letter's state is in the database. Without a result, queueing never
    # touches the result backend, which retries for many seconds when Redis
    # is down; the request that asked for the letter then returns at once.
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(RenderFailed,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=None,  # the letter's attempts counter decides (LETTERS_MAX_ATTEMPTS)
)
def generate_letter(self, letter_id: int) -> str:
    """Render letter ``letter_id`` once; idempotent (see
    services.generate_pending_letter). On a worker a crash is retried with
    exponential backoff until the letter has used LETTERS_MAX_ATTEMPTS; the
    last failure marks it failed with the error kept for staff.

    In-process (no broker, eager mode) the retries run at once: Celery's
    eager mode cannot wait, and with eager propagation it would hand the
    retry to the caller instead of running it."""
    tries = settings.LETTERS_MAX_ATTEMPTS if self.request.is_eager else 1
    error = None
    for _try in range(tries):
        try:
            if self.request.is_eager:
                return services.generate_pending_letter(letter_id)
            with recovery.ClaimHeartbeat(letter_id):
                return services.generate_pending_letter(letter_id)
        except Exception as exc:
            error = exc
    if self.request.is_eager:
        logger.warning("Letter %s still pending after in-process retries: %s", letter_id, error)
        return "pending"
    if self.request.retries >= settings.LETTERS_MAX_ATTEMPTS:
        raise error
    raise RenderFailed(f"{type(error).__name__}: {error}") from error


@shared_task(name="letters.sweep_pending_letters", ignore_result=True)
def sweep_pending_letters() -> int:
    """Beat, every 5 minutes: queue again letters stuck pending."""
    return services.sweep_pending_letters()


@shared_task(name="letters.recover_stale_claims", ignore_result=True)
def recover_stale_claims() -> int:
    """Beat, every 30 s: queue again letters whose worker died mid-render."""
    return recovery.recover_stale_claims()
