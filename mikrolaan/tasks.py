"""Shared Celery tasks."""

from celery import shared_task


@shared_task(name="mikrolaan.health")
def health(token: str = "ping") -> dict:  # noqa: S107
    """Prove the wiring: the answer comes back only if a worker (or the eager
    in-process runner) executed the task. Touches no database, so a worker
    started against another database answers too."""
    import os
    import socket

    return {"echo": token, "host": socket.gethostname(), "pid": os.getpid()}
