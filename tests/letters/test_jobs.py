"""The daily-jobs frame, the beat schedule and the sample command."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from mikrolaan import jobs
from mikrolaan.letters.registry import all_kinds
from mikrolaan.models import AccessLogEntry, AuditEvent
from mikrolaan.tenancy import unscoped
from tests.factories import CitizenFactory


@pytest.fixture
def extra_job():
    calls = []

    @jobs.daily_job("test_job")
    def job(*, today):
        calls.append(today)
        return "done"

    yield calls
    jobs._JOBS.pop("test_job")


def test_beat_runs_the_sweep_every_five_minutes_and_the_daily_jobs_at_six():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sweep-pending-letters"]["task"] == "letters.sweep_pending_letters"
    assert schedule["sweep-pending-letters"]["schedule"] == 300.0
    daily = schedule["run-daily-jobs"]
    assert daily["task"] == "mikrolaan.run_daily_jobs"
    assert daily["schedule"].hour == {6} and daily["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Copenhagen"


def test_the_beat_tasks_are_registered_with_celery():
    from mikrolaan.celery import app

    app.loader.import_default_modules()
    assert "letters.sweep_pending_letters" in app.tasks
    assert "letters.generate_letter" in app.tasks
    assert "mikrolaan.run_daily_jobs" in app.tasks


def test_the_access_log_purge_is_a_daily_job():
    assert "purge_access_log" in jobs.registered_jobs()


@pytest.mark.django_db
def test_run_daily_jobs_command_runs_every_job(extra_job, capsys):
    citizen = CitizenFactory()
    AccessLogEntry.objects.create(
        actor_label="x",
        subject_repr="y",
        what="gammel",
        subject_id=str(citizen.pk),
        created_at=timezone.now() - timedelta(days=400),
    )
    AccessLogEntry.objects.create(actor_label="x", subject_repr="y", what="ny")
    call_command("run_daily_jobs")
    out = capsys.readouterr().out
    assert "purge_access_log: ok" in out
    assert "test_job: ok" in out
    assert extra_job == [timezone.localdate()]
    with unscoped():  # rows of the installation, not of a municipality
        assert list(AccessLogEntry.objects.values_list("what", flat=True)) == ["ny"]
        assert AuditEvent.objects.filter(action="access_log.purged").exists()


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(extra_job):
    @jobs.daily_job("broken_job")
    def broken(*, today):
        raise RuntimeError("øv")

    try:
        results = jobs.run_daily_jobs()
        assert results["broken_job"] == {"ok": False, "error": "RuntimeError: øv"}
        assert results["test_job"]["ok"]
        with pytest.raises(CommandError, match="broken_job"):
            call_command("run_daily_jobs")
    finally:
        jobs._JOBS.pop("broken_job")


@pytest.mark.django_db
def test_the_daily_jobs_task_runs_in_process_without_a_broker(extra_job):
    result = jobs.run_daily_jobs_task.delay().get()
    assert result["test_job"] == {"ok": True, "result": "done"}


@pytest.mark.django_db
def test_letter_samples_renders_every_kind_and_saves_nothing(tmp_path):
    from applicants.models import Case, Citizen

    call_command("letter_samples", str(tmp_path))
    for kind in all_kinds():
        assert (tmp_path / f"{kind.id}.pdf").read_bytes().startswith(b"%PDF")
    assert not Citizen.objects.exists()
    assert not Case.objects.exists()


def test_the_letter_sweep_is_also_a_daily_job_for_cron():
    assert "sweep_pending_letters" in jobs.registered_jobs()
