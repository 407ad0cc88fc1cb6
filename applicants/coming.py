"""What is coming for a case (the case page's »Kommende«), apart from its
history: the meetings still planned, and what other apps add (the courses'
sessions and network days), so that ``applicants`` never imports them.

An app registers, in its ``AppConfig.ready()``::

    from applicants.coming import register_coming_source

    register_coming_source(coming_sessions)

A source is ``(case, now) -> list[ComingItem]`` and must run a fixed number
of queries (one, at most), whatever the case holds: the case page's query
count is pinned by a test. A closed case has nothing coming.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from .models import CLOSED_STAGES, Attendance

_SOURCES: list[Callable] = []


@dataclass(frozen=True)
class ComingItem:
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    kind: str  # a Danish label: »Individuelt møde«, »Kursusgang« …
    title: str
    place: str
    url: str = ""  # a page about it, if there is one
    meeting: object = None  # a planned meeting (it can be moved or cancelled)


def register_coming_source(source: Callable) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def coming_for_case(case, meetings, now=None) -> list[ComingItem]:
    """The case's coming items in time order. ``meetings`` are the case's
    meetings already loaded for the page (no query of their own)."""
    if case.stage in CLOSED_STAGES:
        return []
    now = now or timezone.now()
    items = [
        ComingItem(
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            kind=str(m.get_kind_display()),
            title=str(m.get_kind_display()),
            place=m.place,
            meeting=m,
        )
        for m in meetings
        if m.starts_at > now and m.attendance == Attendance.UNKNOWN
    ]
    for source in _SOURCES:
        items.extend(source(case, now))
    return sorted(items, key=lambda i: i.starts_at)
