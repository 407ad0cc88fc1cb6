"""The daily retention job (see mikrolaan.jobs)."""

from mikrolaan.jobs import daily_job

from .retention import anonymise_due, cutoff_for


@daily_job("anonymise_after_retention")
def anonymise_after_retention(*, today):
    """Closed cases past their retention period, and citizens with no case
    left, are anonymised unless a keep rule holds them (SPEC §13)."""
    return anonymise_due(now=cutoff_for(today))
