"""The loans section of the case page: the support grant with its decisions
and the case's loans. Queries: loans, grants, decisions — three, however
many the case holds."""

from applicants.models import CLOSED_STAGES

from . import selectors, support
from .models import SupportState


def loans_section(request, case) -> dict:
    grants, decisions = selectors.support_for_case(case)
    running = next((g for g in grants if g.state == SupportState.GRANTED), None)
    eligible = support.is_eligible(case.benefit_type)
    return {
        "loans": selectors.loans_for_case(case),
        "grants": grants,
        "running_grant": running,
        "decisions": decisions,
        "eligible": eligible,
        "ineligible_text": "" if eligible else support.ineligibility_text(case.benefit_type),
        "is_closed": case.stage in CLOSED_STAGES,
    }
