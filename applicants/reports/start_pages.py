"""My tasks on the team's start page: a count per kind of task, each with a
link to the list it counts. Apps add theirs with
:func:`applicants.reports.registry.register_task_counts`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mikrolaan.roles import STAFF_ROLES
from mikrolaan.views import register_start_page

from .. import selectors as pipeline
from . import selectors
from .registry import TaskCount, once_per_request, register_task_counts, task_counts


def week_meetings(request) -> dict:
    """The start page's meetings today and in the rest of the week (mine,
    or the whole team's with ?vis=team), read once per request."""
    whole_team = request.GET.get("vis") == "team"
    return once_per_request(
        request,
        ("team_meetings", whole_team),
        lambda: pipeline.team_meetings(user=None if whole_team else request.user),
    )


@register_task_counts(order=10)
def pipeline_tasks(request) -> list[TaskCount]:
    """Meetings today and this week (mine, or the team's with ?vis=team: the
    start page's meeting lists, counted), and the forms waiting for an
    answer (one query)."""
    whole_team = request.GET.get("vis") == "team"
    meetings = week_meetings(request)
    today = len(meetings["meetings_today"]) + meetings["meetings_today_more"]
    week = len(meetings["meetings_week"]) + meetings["meetings_week_more"]
    home = reverse("home") + ("?vis=team" if whole_team else "")
    return [
        TaskCount("meetings_today", _("Møder i dag"), today, f"{home}#meetings-heading"),
        TaskCount(
            "meetings_week",
            _("Møder i resten af ugen"),
            week,
            f"{home}#meetings-heading",
        ),
        TaskCount(
            "submitted_forms",
            _("Nye skemaer fra borgerne"),
            selectors.submitted_forms_count(),
            reverse("reports:submissions"),
        ),
    ]


@register_start_page(*STAFF_ROLES)
def my_tasks(request) -> dict:
    return {"my_tasks": task_counts(request)}
