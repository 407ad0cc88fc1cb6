"""The team's start page: screenings due and hearings past their deadline."""

from applicants.models import Stage
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
