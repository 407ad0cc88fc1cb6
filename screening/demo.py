"""Demo screenings: every demo case past a screening stage has a plausible
decided record (and the letter its outcome sends is left to the real flow:
the demo writes records, not letters); the case waiting in screening 2 has a
draft and a hearing whose deadline is still running."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applicants.models import BenefitType, Case, CaseTransition, Meeting, Stage
from mikrolaan.audit import record_event

from .models import (
    STAGE_OF,
    CourseGrant,
    Hearing,
    HearingPurpose,
    Outcome,
    Score,
    Screening,
    Status,
)
from .services import criteria_for

NOTES = {
    1: "Borgeren tager godt imod råd og har en klar fortælling om sin idé.",
    2: "Kommer stabilt til møderne og har lavet de første budgetter.",
    3: "Engageret på internatet; budgettet er gennemarbejdet.",
    4: "Selvevalueringen viser fremdrift; handleplanen er opdateret.",
}
# The outcome that took a demo case out of each screening it passed.
FORWARD = {1: Outcome.REFERRED, 2: Outcome.COURSES_GRANTED, 3: Outcome.RECOMMEND}


def _outcome(case, number, leaving_to) -> str:
    if leaving_to == Stage.DECLINED:
        return {1: Outcome.NOT_REFERRED, 4: Outcome.BUSINESS_STOPPED}.get(number, Outcome.STOP)
    if number == 4:
        if case.benefit_type == BenefitType.FOERTIDSPENSION:
            if leaving_to == Stage.SELF_SUPPORTING:
                return Outcome.SELF_EVALUATION_CLOSED
            return Outcome.SELF_EVALUATION_ONLY
        return Outcome.SELF_SUPPORTING if leaving_to == Stage.SELF_SUPPORTING else Outcome.EXTEND
    return FORWARD[number]


@transaction.atomic
def seed_demo(stdout) -> None:
    made = 0
    cases = Case.objects.select_related("responsible").filter(
        transitions__from_stage__in=list(STAGE_OF.values())
    )
    for case in cases.distinct():
        if Screening.objects.filter(case=case).exists():
            continue
        team = _team(case)
        if len(team) < 2:
            continue
        for t in CaseTransition.objects.filter(case=case, from_stage__in=list(STAGE_OF.values())):
            number = int(t.from_stage[-1])
            _record(case, number, _outcome(case, number, t.to_stage), team, t.at)
            made += 1
    made += _pending_hearing()
    stdout.write(f"Screeninger: {made} demoscreeninger og partshøringer oprettet.")


def _team(case) -> list:
    staff = {
        u
        for m in Meeting.objects.filter(case=case).prefetch_related("staff")
        for u in m.staff.all()
    }
    if case.responsible:
        staff.add(case.responsible)
    return sorted(staff, key=lambda u: u.pk)[:2]


def _record(case, number, outcome, team, at) -> Screening:
    adverse = outcome in (
        Outcome.NOT_REFERRED,
        Outcome.STOP,
        Outcome.BUSINESS_STOPPED,
        Outcome.SELF_SUPPORTING,
    )
    screening = Screening.objects.create(
        case=case,
        number=number,
        held_on=timezone.localtime(at).date(),
        outcome=outcome,
        facts=(
            "Du er kommet til 2 af de 5 aftalte møder, og forretningsplanen er ikke udfyldt."
            if adverse
            else "Du er kommet til de aftalte møder og har arbejdet videre med din plan."
        ),
        reasons=(
            "Vi har lagt vægt på, at du ikke er klar til at tage imod råd om din plan endnu."
            if adverse
            else "Vi har lagt vægt på din motivation og din stabilitet i forløbet."
        ),
        loan_amount=Decimal("40000") if outcome == Outcome.RECOMMEND else None,
        recommend_support=outcome == Outcome.RECOMMEND
        and case.benefit_type != BenefitType.FOERTIDSPENSION,
        extension_months=2 if outcome == Outcome.EXTEND else None,
        support_ends_on=timezone.localtime(at).date() + datetime.timedelta(days=30)
        if outcome in (Outcome.SELF_SUPPORTING, Outcome.BUSINESS_STOPPED)
        else None,
        status=Status.DECIDED,
        decided_at=at - datetime.timedelta(minutes=5),
        decided_by=team[0],
        created_by=team[0],
    )
    screening.staff.set(team)
    screening.basis_meetings.set(
        Meeting.objects.filter(case=case, starts_at__lte=at).order_by("-starts_at")[:3]
    )
    scores = [3] if adverse else [4, 5]
    Score.objects.bulk_create(
        Score(
            screening=screening,
            municipality_id=case.municipality_id,
            criterion=c,
            position=c.position,
            title=c.title,
            guidance=c.guidance,
            score=(2 if adverse and i == 0 else scores[i % len(scores)]),
            note=NOTES[number] if i == 0 else "",
        )
        for i, c in enumerate(criteria_for(case.municipality_id, number))
    )
    if outcome == Outcome.COURSES_GRANTED:
        CourseGrant.objects.bulk_create(
            CourseGrant(screening=screening, municipality_id=case.municipality_id, module=m)
            for m in ("accounting", "vat_tax", "residential")
        )
    return screening


def _pending_hearing() -> int:
    """The demo case waiting in screening 2 (Frederik Dahl): a draft that
    leans towards stop, and a hearing still open."""
    case = Case.objects.filter(citizen__cpr="1712831016", stage=Stage.SCREENING_2).first()
    if case is None or Hearing.objects.filter(case=case).exists():
        return 0
    team = _team(case)
    screening = Screening.objects.create(
        case=case,
        number=2,
        outcome=Outcome.STOP,
        facts="Du er ikke kommet til 2 af de 4 aftalte møder i forretningsudviklingen.",
        reasons="Vi har lagt vægt på, at vi ikke har kunnet arbejde videre med din plan.",
        rests_on_unknown_information=True,
        created_by=team[0] if team else None,
    )
    screening.staff.set(team)
    Score.objects.bulk_create(
        Score(
            screening=screening,
            municipality_id=case.municipality_id,
            criterion=c,
            position=c.position,
            title=c.title,
            guidance=c.guidance,
        )
        for c in criteria_for(case.municipality_id, 2)
    )
    Hearing.objects.create(
        case=case,
        screening=screening,
        purpose=HearingPurpose.SCREENING,
        information=(
            "Din erhvervscoach har noteret, at du ikke kom til møderne den 12. og 26. i "
            "sidste måned, og at du ikke meldte afbud."
        ),
        deadline=timezone.localdate() + datetime.timedelta(days=9),
        created_by=team[0] if team else None,
        created_at=timezone.now() - datetime.timedelta(days=5),
    )
    record_event(actor=None, action="demo.hearing_seeded", obj=case)
    return 1
