"""Queueing a task from a web request without waiting for a broker that is
down.

Celery's own publish path retries a refused connection with back-off (about
0.7 s per task with Redis stopped, 6 s with default transport options), and
a request that asks for five letters would wait for each. Work that a sweep
picks up later (letters stay pending in the database) should rather fail
fast: :func:`publish` tries the broker once, with the short connect timeout
of the settings, and after a failure skips the broker altogether in this
process for ``BROKER_DOWN_SECONDS`` (a small circuit breaker). The caller
keeps its data in the database, so nothing is lost: the sweep queues it
again once the broker is back.

With no broker configured (eager mode), tasks run in-process as before.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_down_until = 0.0


def broker_down() -> bool:
    """True while the breaker is open: a publish failed less than
    ``BROKER_DOWN_SECONDS`` ago in this process."""
    return time.monotonic() < _down_until


def _trip() -> None:
    global _down_until
    with _lock:
        _down_until = time.monotonic() + settings.BROKER_DOWN_SECONDS


def reset() -> None:
    """Close the breaker (tests; a process that knows the broker is back)."""
    global _down_until
    with _lock:
        _down_until = 0.0


def publish(task, args=(), kwargs=None, **options) -> bool:
    """Send ``task`` to the broker once, without publish retries. Returns
    True when it was sent (or ran, in eager mode), False when the broker is
    down or known to be down; never raises because of the broker."""
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, **options)
        return True
    if broker_down():
        logger.info("Broker marked down; %s%r left for the sweep", task.name, tuple(args))
        return False
    try:
        with app.producer_or_acquire() as producer:
            # One connection attempt (bounded by broker_connection_timeout),
            # not kombu's retry loop.
            producer.connection.ensure_connection(max_retries=0)
            task.apply_async(args=args, kwargs=kwargs, producer=producer, retry=False, **options)
    except Exception as exc:
        _trip()
        # No traceback: a refused connection says all in one line.
        logger.warning(
            "Could not queue %s%r (%s: %s); broker taken as down for %s s",
            task.name,
            tuple(args),
            type(exc).__name__,
            exc,
            settings.BROKER_DOWN_SECONDS,
            exc_info=logger.isEnabledFor(logging.DEBUG),
        )
        return False
    return True
