"""Where a case's week 1 is (SPEC §3: planned weeks are counted from the
cohort's week 1). A case with a seat on a cohort counts from that cohort's
start date; otherwise from its programme's. The courses app tells which
cohort, so that ``applicants`` never imports it::

    from applicants.weeks import register_week_one_source

    register_week_one_source(cohort_starts)

A source is ``(case_ids) -> {case_id: (start_date, cohort_name)}`` and runs
one query for all the cases it is given.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

_SOURCES: list[Callable] = []


def register_week_one_source(source: Callable) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def cohort_week_ones(case_ids: Iterable[int]) -> dict[int, tuple[datetime.date, str]]:
    """Each case's cohort week 1 and cohort name, for the cases that have one."""
    ids = list(case_ids)
    found: dict[int, tuple[datetime.date, str]] = {}
    if not ids:
        return found
    for source in _SOURCES:
        found.update(source(ids))
    return found


def week_of(start: datetime.date, day: datetime.date) -> int:
    """The week a day falls in, counted from ``start`` (in week 1)."""
    return (day - start).days // 7 + 1
