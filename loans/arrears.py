"""Arrears are computed, never stored (SPEC §7): days past due, buckets, PAR30
and the repayment rate.

These are the definitions, as pure functions over one loan's plan and what
each instalment has received. The loan book computes the same figures in one
set-based query (``loans.selectors``), and a test holds the two equal.

- *Days past due* (dage i restance): the days since the due date of the
  oldest instalment that is not paid in full, counted from the day after it
  fell due; 0 when no instalment due before today is short.
- *Buckets*: current (0 days), 1–30, 31–90, over 90 days.
- *PAR30* (CGAP, portfolio at risk): the whole outstanding principal of every
  loan with an instalment more than 30 days late, divided by the outstanding
  principal of all loans. Written-off loans are outside both figures.
- *Repayment rate* (tilbagebetalingsgrad): what the instalments that have
  fallen due have received, divided by what they amount to — for every paid
  out loan, today or, for a written-off loan, up to the day it was written
  off. Prepayments of instalments not yet due are not counted, so the rate
  never passes 100 %.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .allocation import ZERO, PlanInstalment

CURRENT, DAYS_1_30, DAYS_31_90, DAYS_OVER_90 = "current", "1-30", "31-90", "90+"
BUCKETS = [
    (CURRENT, _("Ingen restance")),
    (DAYS_1_30, _("1–30 dage")),
    (DAYS_31_90, _("31–90 dage")),
    (DAYS_OVER_90, _("Over 90 dage")),
]
PAR_DAYS = 30

DEFINITIONS = {
    "days_past_due": _(
        "Dage i restance: antal dage siden forfaldsdatoen for det ældste afdrag, der ikke er "
        "betalt fuldt ud. Et afdrag er i restance fra dagen efter forfaldsdatoen."
    ),
    "par30": _(
        "PAR30 (portefølje i risiko, CGAP's definition): hele restgælden på alle lån, hvor et "
        "afdrag er mere end 30 dage forsinket, divideret med restgælden på alle udbetalte lån. "
        "Afskrevne lån indgår ikke."
    ),
    "repayment_rate": _(
        "Tilbagebetalingsgrad: det beløb, der er betalt på forfaldne afdrag, divideret med "
        "summen af forfaldne afdrag, for alle udbetalte lån. For et afskrevet lån tælles "
        "afdrag, der forfaldt til og med afskrivningsdagen. Forudbetaling af afdrag, der "
        "endnu ikke er forfaldet, tæller ikke med, så graden kan ikke overstige 100 %."
    ),
}


def days_past_due(
    instalments: Iterable[PlanInstalment], paid: dict[int, Decimal], today: date
) -> int:
    """Days since the oldest instalment short of its amount fell due (0 if none)."""
    for inst in sorted(instalments, key=lambda i: (i.due_date, i.seq)):
        if inst.due_date >= today:
            return 0
        if paid.get(inst.seq, ZERO) < inst.amount:
            return (today - inst.due_date).days
    return 0


def bucket(days: int) -> str:
    if days <= 0:
        return CURRENT
    if days <= 30:
        return DAYS_1_30
    if days <= 90:
        return DAYS_31_90
    return DAYS_OVER_90


@dataclass(frozen=True)
class LoanPosition:
    """One paid-out loan as the book sees it."""

    outstanding: Decimal
    days_past_due: int
    due_so_far: Decimal = ZERO  # instalments fallen due (to today or the write-off)
    paid_on_due: Decimal = ZERO  # what those instalments have received
    written_off: bool = False


def position(
    instalments: Iterable[PlanInstalment],
    paid: dict[int, Decimal],
    today: date,
    *,
    written_off_on: date | None = None,
) -> LoanPosition:
    instalments = list(instalments)
    cutoff = min(today, written_off_on) if written_off_on else today
    due = [i for i in instalments if i.due_date <= cutoff]
    principal = sum((i.amount for i in instalments), ZERO)
    return LoanPosition(
        outstanding=principal - sum((paid.get(i.seq, ZERO) for i in instalments), ZERO),
        days_past_due=days_past_due(instalments, paid, today),
        due_so_far=sum((i.amount for i in due), ZERO),
        paid_on_due=sum((min(paid.get(i.seq, ZERO), i.amount) for i in due), ZERO),
        written_off=written_off_on is not None,
    )


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A share rounded to four decimals (0.1234 = 12,34 %); None for 0/0."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def par(positions: Iterable[LoanPosition], days: int = PAR_DAYS) -> Decimal | None:
    live = [p for p in positions if not p.written_off]
    at_risk = sum((p.outstanding for p in live if p.days_past_due > days), ZERO)
    return ratio(at_risk, sum((p.outstanding for p in live), ZERO))


def repayment_rate(positions: Iterable[LoanPosition]) -> Decimal | None:
    positions = list(positions)
    return ratio(
        sum((p.paid_on_due for p in positions), ZERO),
        sum((p.due_so_far for p in positions), ZERO),
    )
