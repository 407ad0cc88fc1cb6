"""The Celery wiring: the health task runs in-process without a broker, and
through a real worker against Redis when REDIS_URL is set (CI)."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings

from mikrolaan.celery import app
from mikrolaan.tasks import health
from tests.conftest import redis_available, require
from tests.workers import celery_worker

ROOT = Path(__file__).resolve().parents[2]


def test_health_task_runs_eagerly_without_a_broker():
    result = health.delay("hej")
    assert result.get(timeout=5)["echo"] == "hej"


def test_celery_reads_django_settings_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.timezone == settings.TIME_ZONE
    assert "mikrolaan.health" in app.tasks


@pytest.mark.redis
def test_health_task_runs_through_a_real_worker_with_redis():
    require(redis_available(), "Redis is not reachable at REDIS_URL")
    queue = f"health-{uuid.uuid4().hex[:8]}"
    with celery_worker(queue) as worker:
        answer = health.apply_async(args=["fra-ci"], queue=queue).get(timeout=60)
    assert answer["echo"] == "fra-ci"
    assert answer["pid"] == worker.pid  # a separate process did the work
