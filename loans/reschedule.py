"""Rescheduling — a pause of N months or a new instalment amount (SPEC §7) —
as a pure function of the current plan and what its instalments have received.

The new plan version keeps what has been paid as it was: every instalment
that has received money stays, with the amount it received and its due date
(a partly paid instalment is cut down to its paid part). A replay of the same
payments over the new version therefore gives every payment the allocation
it had. The outstanding principal is then re-amortised in whole kroner by the
plan's own rule: the amount ÷ the number of instalments rounded down, and the
remainder as +1 kr on the first instalments, so instalments differ by at most
1 kr and the new plan sums to the principal exactly. Should the outstanding
principal hold øre (a payment with øre), the øre go onto the first instalment
without the extra krone, which keeps that rule.

- A *pause* of N months moves the first new instalment N months later and
  keeps the number of instalments left (the term is extended by N months),
  unless ``keep_end`` asks for the old last due date (higher instalments).
- A *new amount* A gives ⌈outstanding ÷ A⌉ instalments by the same rule; each
  is at most A. An amount at or above the outstanding principal is one
  instalment of the whole outstanding amount.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_CEILING, Decimal

from .allocation import ZERO, PlanInstalment

KRONE = Decimal("1")


def month_due_date(year: int, month: int, due_day: int | None) -> date:
    """The due day in a month; None (the default) or a day the month does not
    have is the month's last day."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(due_day or last, last))


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def amortise(amount: Decimal, count: int) -> list[Decimal]:
    """``amount`` in ``count`` instalments of whole kroner differing by at most
    1 kr, summing to ``amount`` exactly (the øre, if any, on one instalment)."""
    if count < 1:
        raise ValueError("At least one instalment")
    if amount < 0:
        raise ValueError("A negative amount cannot be amortised")
    ore = int((amount * 100).to_integral_exact())
    if ore != amount * 100:
        raise ValueError("Not whole øre")
    base = ore // (count * 100) * 100
    rest = ore - base * count  # < count kroner
    plus, ore_left = divmod(rest, 100)
    amounts = [base + (100 if n < plus else 0) for n in range(count)]
    if ore_left:
        amounts[plus] += ore_left
    return [Decimal(a).scaleb(-2) for a in amounts]


def months_between(first: date, last: date) -> int:
    """Instalment months from ``first``'s month to ``last``'s, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def reschedule(
    instalments: Iterable[PlanInstalment],
    paid: dict[int, Decimal],
    *,
    first_due: date,
    due_day: int | None = None,
    pause_months: int = 0,
    new_amount: Decimal | None = None,
    keep_end: bool = False,
) -> list[PlanInstalment]:
    """The new plan version: the paid part kept, the outstanding re-amortised.

    ``first_due`` is where the new instalments would start without a pause
    (the service passes the first due date after the decision)."""
    if pause_months < 0:
        raise ValueError("A pause cannot be negative")
    if new_amount is not None and (new_amount < KRONE or new_amount != new_amount.to_integral()):
        raise ValueError("The new instalment amount is whole kroner, at least 1 kr")
    old = sorted(instalments, key=lambda i: i.seq)
    kept = [
        PlanInstalment(i.seq, i.due_date, paid[i.seq]) for i in old if paid.get(i.seq, ZERO) > 0
    ]
    # Oldest first means the paid instalments are the first ones: they keep
    # their numbers and the new ones follow on.
    principal = sum((i.amount for i in old), ZERO)
    outstanding = principal - sum((i.amount for i in kept), ZERO)
    if outstanding <= 0:
        raise ValueError("Nothing is outstanding")

    year, month = add_months(first_due.year, first_due.month, pause_months)
    if new_amount is not None:
        count = (outstanding / new_amount).to_integral_value(rounding=ROUND_CEILING)
    else:
        unpaid = [i for i in old if paid.get(i.seq, ZERO) < i.amount]
        if keep_end:
            count = months_between(date(year, month, 1), old[-1].due_date)
        else:
            # Instalments left: those not yet due at first_due, at least one.
            count = sum(1 for i in unpaid if i.due_date >= first_due)
            # Overdue instalments are folded into the ones left.
        count = max(1, count)
    # Never more instalments than whole kroner (the plan's rule: 50 kr over
    # 120 months is 50 instalments of 1 kr, not 70 of nothing).
    count = min(int(count), int(outstanding.to_integral_value(rounding=ROUND_CEILING)))
    amounts = amortise(outstanding, count)
    next_seq = kept[-1].seq + 1 if kept else old[0].seq
    new = []
    for n, amount in enumerate(amounts):
        y, m = add_months(year, month, n)
        new.append(PlanInstalment(next_seq + n, month_due_date(y, m, due_day), amount))
    return kept + new
