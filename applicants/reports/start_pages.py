"""My tasks on the team's start page: a count per kind of task, each with a
link to the list it counts. Apps add theirs with
:func:`applicants.reports.registry.register_task_counts`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mikrolaan.roles import STAFF_ROLES
from mikrolaan.views import register_start_page

from . import selectors
from .registry import TaskCount, register_task_counts, task_counts


@register_task_counts(order=10)
def pipeline_tasks(request) -> list[TaskCount]:
    """Meetings today and this week (mine, or the team's with ?vis=team, as
    the meeting list below), and the forms waiting for an answer. Two
    queries."""
    whole_team = request.GET.get("vis") == "team"
    meetings = selectors.meeting_counts(user=None if whole_team else request.user)
    home = reverse("home") + ("?vis=team" if whole_team else "")
    return [
        TaskCount(
            "meetings_today", _("Møder i dag"), meetings["today"], f"{home}#meetings-heading"
        ),
        TaskCount(
            "meetings_week",
            _("Møder i resten af ugen"),
            meetings["week"],
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
