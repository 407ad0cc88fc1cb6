"""The screenings' section of the case page: every screening with its scores
and outcome, the hearings, and the button that opens the current screening.
Queries: screenings, their scores, staff and course grants, the hearings —
five, however many screenings the case has."""

from django.utils import timezone

from applicants.models import CLOSED_STAGES

from . import selectors
from .models import NUMBER_OF_STAGE, Status


def screenings_section(request, case) -> dict:
    screenings = selectors.screenings_for_case(case)
    hearings = selectors.hearings_for_case(case)
    today = timezone.localdate()
    for h in hearings:
        h.pending = h.is_pending(today)
        h.past_deadline = not h.is_exception and not h.answered and h.deadline_passed(today)
    number = NUMBER_OF_STAGE.get(case.stage)
    current = None
    if number is not None:
        current = next(
            (s for s in reversed(screenings) if s.number == number and s.status == Status.DRAFT),
            None,
        )
    return {
        "screenings": screenings,
        "hearings": hearings,
        "screening_number": number,
        "current_draft": current,
        "is_closed": case.stage in CLOSED_STAGES,
    }
