"""Daily jobs of the letters engine (see mikrolaan.jobs)."""

from mikrolaan.jobs import daily_job

from . import services


@daily_job("sweep_pending_letters")
def sweep_pending_letters(*, today):
    """Beat sweeps every 5 minutes; without a broker the daily cron run is
    the safety net that re-queues letters left pending."""
    return services.sweep_pending_letters()
