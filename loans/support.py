"""Subsistence support (tilskud til forsørgelse, SPEC §6): who may have it,
and the periods the scheme allows. Pure rules; the writes are in services."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from applicants.models import BenefitType

from .schedule import due_date

# Benefit before start → is a support grant offered? (SPEC §6)
SUPPORT_BY_BENEFIT = {
    BenefitType.KONTANTHJAELP: True,
    BenefitType.SYGEDAGPENGE: True,
    BenefitType.FOERTIDSPENSION: False,  # keeps the pension
    # The handbook names only the three above; the team decides the others.
    BenefitType.OTHER: True,
}


def is_eligible(benefit_type: str) -> bool:
    return SUPPORT_BY_BENEFIT.get(benefit_type, False)


def ineligibility_text(benefit_type: str) -> str:
    """What the product says instead of offering a grant."""
    if benefit_type == BenefitType.FOERTIDSPENSION:
        return _(
            "Borgeren modtager førtidspension og beholder sin pension, mens virksomheden "
            "etableres. Der gives ikke tilskud til forsørgelse."
        )
    return _("Forsørgelsesgrundlaget giver ikke ret til tilskud til forsørgelse.")


def period_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of ``months`` months from ``start``:
    1 December + 6 months → 31 May; 31 January + 1 month → 28 February."""
    same_day = due_date(start, months, start.day)
    if same_day.day < start.day:  # the month is too short: its last day
        return same_day
    return same_day - datetime.timedelta(days=1)


def extension_problem(*, months: int, used: int, scheme) -> str:
    """The scheme's rule an extension breaks, named; "" when it is allowed."""
    lo, hi = scheme.extension_step_min_months, scheme.extension_step_max_months
    if months is None or not lo <= months <= hi:
        return _("Ordningen tillader forlængelse med %(lo)s–%(hi)s måneder ad gangen.") % {
            "lo": lo,
            "hi": hi,
        }
    if used + months > scheme.extension_cap_months:
        return _(
            "Ordningen tillader forlængelse med i alt højst %(cap)s måneder, og tilskuddet er "
            "allerede forlænget med %(used)s."
        ) % {"cap": scheme.extension_cap_months, "used": used}
    return ""
