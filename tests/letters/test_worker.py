"""A real Celery worker (Redis broker, PostgreSQL) generates letters.

Needs REDIS_URL and a PostgreSQL DATABASE_URL: the worker is another process
and must see the rows this test commits, which SQLite's in-memory test
database cannot share. Skipped without them, failed under REQUIRE_SERVICES=1.
"""

import os
import time
import uuid
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from mikrolaan.letters import services
from mikrolaan.letters.models import Letter, LetterStatus
from mikrolaan.letters.registry import get_kind
from mikrolaan.letters.storage import letters_root
from mikrolaan.letters.tasks import generate_letter
from tests.conftest import redis_available, require
from tests.letters.helpers import make_case, pdf_text
from tests.workers import celery_worker

BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_rows(django_db_setup, django_db_blocker):
    """The transactional test below ends with Django's flush, which empties
    every table, also the rows that data migrations made (the roles, the
    default scheme). Put them back, so transactional tests that run later
    still find them. (serialized_rollback makes pytest-django keep a copy.)"""
    yield
    data = getattr(connection, "_test_serialized_contents", None)
    if data:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(data)


def _database_url(db: dict) -> str:
    auth = quote(db.get("USER") or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def _wait_for(predicate, timeout: float, proc):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.25)
    return False


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_generates_a_letter_and_retries_a_broken_one_until_failed(tmp_path):
    require(redis_available(), "Redis not reachable at REDIS_URL")
    db = django_settings.DATABASES["default"]
    require(
        db["ENGINE"].endswith("postgresql"),
        "a real worker needs PostgreSQL (DATABASE_URL); SQLite's test database is not shared",
    )
    queue = f"letters-test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(db),
        "REDIS_URL": os.environ["REDIS_URL"],
        "DJANGO_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "DJANGO_LETTERS_ROOT": str(letters_root()),
        # Two attempts, so the broken letter fails within seconds.
        "LETTERS_MAX_ATTEMPTS": "2",
        "DJANGO_SETTINGS_MODULE": "mikrolaan.settings",
    }

    with mock.patch.object(services, "_enqueue"):  # queued by hand, on our own queue
        case = make_case()
        good = services.request_letter(
            kind="decision", case=case, context=get_kind("decision").sample_context
        )
        broken = services.request_letter(
            kind="decision", case=case, context=get_kind("decision").sample_context
        )
    # Break the second letter behind the service's back: its render must crash.
    Letter.objects.filter(pk=broken.pk).update(context={"title": "uden indhold"})

    with celery_worker(queue, env=env, log=log) as proc:
        generate_letter.apply_async(args=[good.pk], queue=queue)
        generate_letter.apply_async(args=[good.pk], queue=queue)  # a duplicate: harmless
        generate_letter.apply_async(args=[broken.pk], queue=queue)

        def done():
            states = dict(
                Letter.objects.filter(pk__in=[good.pk, broken.pk]).values_list("pk", "status")
            )
            return (
                states[good.pk] == LetterStatus.GENERATED
                and states[broken.pk] == LetterStatus.FAILED
            )

        finished = _wait_for(done, 90, proc)
    assert finished, log.read_text()[-4000:]

    good.refresh_from_db()
    assert good.attempts == 1
    assert "Klagevejledning" in pdf_text(good.pdf.read())
    assert len(list(letters_root().rglob("*.pdf"))) == 1
    broken.refresh_from_db()
    assert broken.attempts == 2
    assert "mangler disse nøgler" in broken.last_error
    assert not broken.pdf
