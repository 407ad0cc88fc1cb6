"""What other apps add to the team's tasks, the dashboard and the business
case, so that ``applicants`` never imports them (screening, courses, loans).

My tasks (the team's start page)::

    from applicants.reports.registry import TaskCount, register_task_counts

    @register_task_counts(order=40)
    def loan_tasks(request) -> list[TaskCount]:
        return [TaskCount("overdue", _("Forfaldne afdrag"), n, url)]

The dashboard (``reports:dashboard``)::

    register_report_section("loans/includes/report_loan_book.html", loan_book, order=30)

where the provider is ``(request, filters) -> dict`` (the include's context;
``filters`` is a :class:`ReportFilters`).

The business case (``reports:business_case``)::

    @register_business_case_input
    def loan_figures(filters, *, request=None) -> dict: ...

returning any of the keys of :data:`BUSINESS_CASE_INPUTS`; a later app's
value replaces the pipeline's estimate. A page that needs them in more than
one place reads them once (:func:`business_case_inputs`) and passes them on.

An export of its own (``reports:export``, CSV and .xlsx)::

    # loan_book_table(request, filters) -> (title, header, rows)
    register_report_table("laanebog", loan_book_table)

Every provider runs a fixed number of queries, whatever the data holds: the
pages' query counts are pinned by tests. A count the start page also lists
is read through :func:`once_per_request`, so the page reads it once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TaskCount:
    key: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class ReportFilters:
    """The dashboard's filters: one programme (None: all of the
    municipality's) and a period of the steps counted (either end open)."""

    programme: object | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def key(self) -> tuple:
        """What the filters select, as a key of statements compiled once
        (``mikrolaan.precompiled.AggregatesOnce``)."""
        return (getattr(self.programme, "pk", None), self.date_from, self.date_to)


_TASKS: list[tuple[int, Callable]] = []
_SECTIONS: dict[str, tuple[int, Callable]] = {}
_INPUTS: list[Callable] = []
_TABLES: dict[str, Callable] = {}

# The business case's actual figures an app may supply (all Decimal).
BUSINESS_CASE_INPUTS = {
    "support_months": _("Måneder med tilskud til forsørgelse"),
    "loans_paid_out": _("Udbetalte lån (kr.)"),
    "loans_repaid": _("Tilbagebetalt (kr.)"),
    "loans_written_off": _("Afskrevne lån (kr.)"),
    "cases_with_loan": _("Borgere med lån"),
}


def register_task_counts(func=None, *, order: int = 50):
    """Decorator: ``(request) -> list[TaskCount]`` for the start page."""

    def decorator(f):
        if all(existing is not f for _o, existing in _TASKS):
            _TASKS.append((order, f))
            _TASKS.sort(key=lambda item: item[0])
        return f

    return decorator(func) if func is not None else decorator


def once_per_request(request, key, compute: Callable):
    """What a start page's section shows and the task counts count (the
    meetings of the week, the screenings due, …): read once per request,
    by whichever of the two asks first, and shared with the other."""
    memo = request.__dict__.setdefault("_read_once", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def task_counts(request) -> list[TaskCount]:
    counts: list[TaskCount] = []
    for _order, provider in _TASKS:
        counts.extend(provider(request))
    return counts


def register_report_section(template: str, provider: Callable, *, order: int = 50) -> None:
    _SECTIONS[template] = (order, provider)


def report_sections(request, filters: ReportFilters) -> list[dict]:
    """The registered sections, each as ``{"template": …, "context": …}``."""
    return [
        {"template": template, "context": provider(request, filters)}
        for template, (_order, provider) in sorted(
            _SECTIONS.items(), key=lambda item: (item[1][0], item[0])
        )
    ]


def register_report_table(name: str, table: Callable) -> None:
    """An export (``reports:export`` with ``name``): ``(request, filters) ->
    (title, header, rows)``."""
    _TABLES[name] = table


def report_table(name: str) -> Callable | None:
    return _TABLES.get(name)


def register_business_case_input(func: Callable) -> Callable:
    if func not in _INPUTS:
        _INPUTS.append(func)
    return func


def business_case_inputs(filters: ReportFilters, *, request=None) -> dict:
    """The apps' actual figures for the business case, later apps last.
    With the ``request``, a provider may share a read with the page's other
    sections (:func:`once_per_request`)."""
    figures: dict = {}
    for provider in _INPUTS:
        found = provider(filters, request=request)
        figures.update({k: v for k, v in found.items() if k in BUSINESS_CASE_INPUTS})
    return figures
