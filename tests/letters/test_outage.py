"""A broker or worker outage loses nothing and slows nobody (SPEC §9, §13).

The broker: a web request that asks for letters while Redis is down tries
the broker once, with a short connect timeout, and then leaves it alone for
BROKER_DOWN_SECONDS (mikrolaan.broker); the sweep queues the letters later.
The worker: a render claimed by a worker that died is queued again once the
claim is LETTERS_CLAIM_STALE_SECONDS old; a live render renews its claim.
bench/outage.py measures both with a real Redis and real workers.
"""

import socket
import time
from datetime import timedelta
from unittest import mock

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.utils import timezone

from mikrolaan import broker
from mikrolaan.letters import recovery, services
from mikrolaan.letters.models import Letter, LetterStatus
from mikrolaan.letters.registry import get_kind
from mikrolaan.letters.tasks import recover_stale_claims
from tests.letters.helpers import make_case


@pytest.fixture(autouse=True)
def _closed_breaker():
    broker.reset()
    yield
    broker.reset()


def _closed_port() -> int:
    """A local port with nothing listening: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_without_broker():
    """A Celery app configured like the project's, whose Redis is down."""
    app = Celery("outage-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    app.conf.task_always_eager = False

    @app.task(name="outage-test.noop", ignore_result=True)
    def noop(n):
        return n

    yield app, noop
    app.close()


def test_publishing_to_a_stopped_broker_fails_fast_then_skips_it(app_without_broker, settings):
    app, task = app_without_broker
    settings.BROKER_DOWN_SECONDS = 30
    with mock.patch.object(app, "producer_or_acquire", wraps=app.producer_or_acquire) as tried:
        start = time.perf_counter()
        results = [broker.publish(task, (n,)) for n in range(10)]
        elapsed = time.perf_counter() - start
    assert results == [False] * 10
    assert broker.broker_down()
    # One attempt reached for the broker; the nine after it did not.
    assert tried.call_count == 1
    # Celery's default publish path took about 0.7 s per task here.
    assert elapsed < 0.5, elapsed


def test_the_breaker_closes_again_after_its_time(app_without_broker, settings):
    app, task = app_without_broker
    settings.BROKER_DOWN_SECONDS = 0
    assert broker.publish(task, (1,)) is False
    assert not broker.broker_down()
    with mock.patch.object(app, "producer_or_acquire", wraps=app.producer_or_acquire) as tried:
        assert broker.publish(task, (2,)) is False
    assert tried.call_count == 1


def test_the_settings_bound_the_broker_connection():
    assert django_settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
    options = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_connect_timeout"] <= 2
    assert options["socket_timeout"]


@pytest.mark.django_db
def test_letters_asked_for_while_the_broker_is_down_are_queued_by_the_sweep(
    django_capture_on_commit_callbacks,
):
    case = make_case()
    context = get_kind("decision").sample_context
    with (
        mock.patch("mikrolaan.broker.publish", return_value=False) as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        letters = [services.request_letter(kind="decision", case=case, context=context)]
        letters.append(services.request_letter(kind="decision", case=case, context=context))
    assert publish.call_count == 2
    assert set(Letter.objects.values_list("status", flat=True)) == {LetterStatus.PENDING}
    Letter.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    assert services.sweep_pending_letters() == 2
    assert set(Letter.objects.values_list("status", flat=True)) == {LetterStatus.GENERATED}


@pytest.mark.django_db
def test_a_letter_whose_worker_died_is_recovered_once_its_claim_is_stale(settings):
    case = make_case()
    letter = services.build_letter(
        kind="decision", case=case, context=get_kind("decision").sample_context
    )
    letter.save()
    died_at = timezone.now() - timedelta(seconds=settings.LETTERS_CLAIM_STALE_SECONDS - 5)
    assert services.claim_letter(letter.pk, now=died_at)
    # Still fresh: the worker may be alive.
    assert recover_stale_claims.delay().get() == 0
    later = timezone.now() + timedelta(seconds=10)
    assert list(recovery.stale_claims(now=later)) == [letter]
    with mock.patch.object(recovery.timezone, "now", return_value=later):
        assert recovery.recover_stale_claims() == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED
    assert letter.attempts == 2
    assert recovery.stale_claims(now=later).count() == 0


@pytest.mark.django_db
def test_released_claims_are_left_to_the_retry_and_the_sweep():
    letter = services.build_letter(
        kind="decision", case=make_case(), context=get_kind("decision").sample_context
    )
    letter.save()
    token = services.claim_letter(letter.pk, now=timezone.now() - timedelta(hours=1))
    services.release_claim(letter_id=letter.pk, token=token, error="boom", final=False)
    assert recovery.stale_claims().count() == 0


def test_a_stale_claim_is_a_short_time_and_recovered_every_thirty_seconds():
    assert django_settings.LETTERS_CLAIM_STALE_SECONDS <= 90
    entry = django_settings.CELERY_BEAT_SCHEDULE["recover-stale-letter-claims"]
    assert entry == {"task": "letters.recover_stale_claims", "schedule": 30.0}
    # Worst case from a worker's death to the letter being queued again.
    assert django_settings.LETTERS_CLAIM_STALE_SECONDS + entry["schedule"] <= 120


def test_a_long_render_renews_its_claim_and_a_short_one_never_touches_the_database():
    with mock.patch.object(recovery, "Letter") as letter_model:
        with recovery.ClaimHeartbeat(7, interval=0.05) as beat:
            time.sleep(0.2)
        assert beat.renewals >= 2
        update = letter_model.objects.filter.return_value.exclude.return_value.update
        assert update.call_count == beat.renewals
        assert "claimed_at" in update.call_args.kwargs

    with mock.patch.object(recovery, "Letter") as letter_model:
        with recovery.ClaimHeartbeat(7) as beat:
            pass
        assert beat.renewals == 0
        letter_model.objects.filter.assert_not_called()
