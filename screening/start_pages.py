"""The team's start page: screenings due and hearings past their deadline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.models import Stage
from applicants.reports.registry import TaskCount, once_per_request, register_task_counts
from mikrolaan.roles import STAFF_ROLES
from mikrolaan.views import register_start_page

from . import selectors


def _screenings_due(request):
    return once_per_request(request, "screenings_due", selectors.screenings_due)


def _hearings_past_deadline(request):
    return once_per_request(request, "hearings_past_deadline", selectors.hearings_past_deadline)


@register_start_page(*STAFF_ROLES)
def screening_sections(request) -> dict:
    due, due_more = _screenings_due(request)
    stages = {k: str(v) for k, v in Stage.choices}
    for case in due:
        case.stage_label = stages.get(case.stage, case.stage)
    hearings, hearings_more = _hearings_past_deadline(request)
    return {
        "screenings_due": due,
        "screenings_due_more": due_more,
        "hearings_past_deadline": hearings,
        "hearings_past_deadline_more": hearings_more,
    }


@register_task_counts(order=20)
def screening_tasks(request) -> list[TaskCount]:
    """Screenings due and hearings past their deadline, counted from the
    start page's lists of them (a count only where a list is full)."""
    home = reverse("home")
    rows, more = _screenings_due(request)
    due = len(rows) + more
    rows, more = _hearings_past_deadline(request)
    hearings = len(rows) + more
    return [
        TaskCount(
            "screenings_due", _("Screeninger, der venter"), due, f"{home}#screenings-due-heading"
        ),
        TaskCount(
            "hearings_past_deadline",
            _("Partshøringer, hvor fristen er udløbet"),
            hearings,
            f"{home}#hearings-due-heading",
        ),
    ]
