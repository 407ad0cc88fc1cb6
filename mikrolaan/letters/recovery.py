"""Letters whose worker died while rendering.

A render claims its letter (``claim_token``, ``claimed_at``); a claim older
than ``LETTERS_CLAIM_STALE_SECONDS`` may be taken over by any job. Two
pieces keep that limit short without taking a slow render away from a live
worker:

* :class:`ClaimHeartbeat` renews the claim every third of the limit while
  the render runs, so only a dead worker's claim grows stale;
* :func:`recover_stale_claims` (beat, every 30 s) queues every letter with a
  stale claim again. Its job takes the claim over and renders it.

A worker killed mid-render (SIGKILL, out of memory, a lost host) leaves its
message unacknowledged in Redis until the visibility timeout (an hour), so
without this the letter waited for that, or for the claim to grow stale and
the 5-minute sweep to come by.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Letter, LetterStatus

logger = logging.getLogger(__name__)


def stale_claims(*, now=None):
    """Pending letters claimed by a job that stopped renewing the claim."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.LETTERS_CLAIM_STALE_SECONDS)
    return (
        Letter.objects.filter(status=LetterStatus.PENDING, claimed_at__lt=stale)
        .exclude(claim_token="")
        .order_by("claimed_at")
    )


def recover_stale_claims(*, now=None) -> int:
    """Queue again every letter whose claim went stale (its worker died).
    Harmless if that worker was only slow: the claim decides who stores."""
    from .services import _enqueue

    ids = list(stale_claims(now=now).values_list("pk", flat=True)[:500])
    for letter_id in ids:
        _enqueue(letter_id)
    if ids:
        logger.warning("Re-queued %s letters whose worker stopped rendering", len(ids))
    return len(ids)


class ClaimHeartbeat:
    """While the block runs, renew the claim of pending letter ``letter_id``
    every ``interval`` seconds (default: a third of the stale limit) from a
    thread of its own. A render shorter than the interval never touches the
    database from that thread."""

    def __init__(self, letter_id: int, *, interval: float | None = None):
        self.letter_id = letter_id
        self.interval = interval or settings.LETTERS_CLAIM_STALE_SECONDS / 3
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"letter-claim-{letter_id}", daemon=True
        )
        self.renewals = 0

    def _run(self):
        used_db = False
        try:
            while not self._stop.wait(self.interval):
                used_db = True
                Letter.objects.filter(pk=self.letter_id, status=LetterStatus.PENDING).exclude(
                    claim_token=""
                ).update(claimed_at=timezone.now())
                self.renewals += 1
        except Exception:
            logger.warning("Could not renew the claim on letter %s", self.letter_id, exc_info=True)
        finally:
            if used_db:
                connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False
