"""The team's start page: screenings due and hearings past their deadline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.models import Stage
from applicants.reports.registry import TaskCount, register_task_counts
from mikrolaan.roles import STAFF_ROLES
from mikrolaan.views import register_start_page

from . import selectors


@register_start_page(*STAFF_ROLES)
def screening_sections(request) -> dict:
    due, due_more = selectors.screenings_due()
    stages = {k: str(v) for k, v in Stage.choices}
    for case in due:
        case.stage_label = stages.get(case.stage, case.stage)
    hearings, hearings_more = selectors.hearings_past_deadline()
    return {
        "screenings_due": due,
        "screenings_due_more": due_more,
        "hearings_past_deadline": hearings,
        "hearings_past_deadline_more": hearings_more,
    }


@register_task_counts(order=20)
def screening_tasks(request) -> list[TaskCount]:
    """Screenings due and hearings past their deadline, counted: two queries."""
    home = reverse("home")
    # With no rows asked for, each selector runs only its count.
    _rows, due = selectors.screenings_due(limit=0)
    _rows, hearings = selectors.hearings_past_deadline(limit=0)
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
