"""A real Celery worker for tests that prove the broker path (Redis in CI)."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from mikrolaan.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def celery_worker(queue: str, *, env: dict | None = None, log: Path | None = None):
    """Start ``celery worker`` on its own queue in a subprocess, switch this
    process from eager to sending tasks through the broker, and undo both on
    exit. Yields the worker's Popen."""
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mikrolaan.settings", **(env or {})}
    out = log.open("w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "mikrolaan", "worker"),
            *("--pool=solo", "-Q", queue, "-n", f"{queue}@%h", "-l", "info"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        cwd=ROOT,
        env=full_env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    old_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield proc
    finally:
        celery_app.conf.task_always_eager = old_eager
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()
