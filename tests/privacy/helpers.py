"""Building closed cases with a known closing time."""

from applicants.models import CaseTransition, Stage
from tests.factories import CaseFactory, CitizenFactory


def close_case(case, *, at, to_stage=Stage.WITHDRAWN):
    """Record the case's closing transition at ``at`` and set its stage."""
    CaseTransition.objects.create(
        case=case, transition="withdraw", from_stage=case.stage, to_stage=to_stage, at=at
    )
    type(case).objects.filter(pk=case.pk).update(stage=to_stage, stage_changed_at=at)
    case.refresh_from_db()
    return case


def closed_case(*, at, citizen=None, to_stage=Stage.WITHDRAWN, **fields):
    citizen = citizen or CitizenFactory()
    case = CaseFactory(citizen=citizen, **fields)
    CaseTransition.objects.create(
        case=case,
        transition="create",
        from_stage="",
        to_stage=Stage.INQUIRY,
        at=at.replace(year=at.year - 1),
        reason="Borgeren ringede selv",
    )
    return close_case(case, at=at, to_stage=to_stage)
