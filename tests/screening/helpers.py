"""Building screenings for tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from applicants.models import Case
from screening import services
from screening.models import Outcome, Screening, Status

FACTS = "Du er kommet til 2 af 6 aftalte møder siden september."
REASONS = "Vi har lagt vægt på, at du har vist stor motivation."

EXTRA = {
    Outcome.RECOMMEND: {"loan_amount": Decimal("40000"), "recommend_support": True},
    Outcome.EXTEND: {"extension_months": 2},
    Outcome.SELF_SUPPORTING: {"support_ends_on": datetime.date(2026, 12, 31)},
    Outcome.BUSINESS_STOPPED: {"support_ends_on": datetime.date(2026, 12, 31)},
}


def draft(case: Case, *, staff, outcome: str, score: int = 4, **data) -> Screening:
    """A complete draft for the case's current screening, ready to decide."""
    screening = services.start_screening(actor=staff[0], case=case)
    scores = {s.pk: (score, f"Note om {s.title.lower()}.") for s in screening.scores.all()}
    payload = {
        "held_on": timezone.localdate(),
        "outcome": outcome,
        "facts": FACTS,
        "reasons": REASONS,
        **EXTRA.get(outcome, {}),
        **data,
    }
    modules = (
        [
            ("accounting", datetime.date(2027, 1, 11), datetime.date(2027, 3, 1)),
            ("vat_tax", None, None),
        ]
        if outcome == Outcome.COURSES_GRANTED
        else None
    )
    return services.save_draft(
        actor=staff[0],
        screening=screening,
        data=payload,
        staff=list(staff),
        scores=scores,
        modules=modules,
    )


def decided_record(case: Case, number: int, outcome: str) -> Screening:
    """A decided record straight in the database (for tests of the machine)."""
    return Screening.objects.create(
        case=case,
        number=number,
        outcome=outcome,
        status=Status.DECIDED,
        decided_at=timezone.now(),
        reasons=REASONS,
        facts=FACTS,
    )
