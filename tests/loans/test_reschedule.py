"""Rescheduling at 0 % interest: the paid part kept, the outstanding principal
re-amortised in whole kroner by the plan's rule, the new version sums exactly
— including the edge cases loan systems have got wrong (pause at the very
start, after a partial instalment, a new amount above the outstanding
principal, after a backdated payment)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loans.allocation import PaymentIn, PlanInstalment, allocate
from loans.reschedule import add_months, amortise, month_due_date, reschedule

D = Decimal


def plan(principal, term, first=(2026, 2)):
    amounts = amortise(D(principal), term)
    out = []
    for n, amount in enumerate(amounts):
        y, m = add_months(*first, n)
        out.append(PlanInstalment(n + 1, month_due_date(y, m, None), amount))
    return out


def test_the_plan_rule_floor_and_one_krone_on_the_first_instalments():
    assert amortise(D(50_000), 120)[:3] == [D("417.00")] * 3
    amounts = amortise(D(50_000), 120)
    assert amounts.count(D("417.00")) == 80 and amounts.count(D("416.00")) == 40
    assert sum(amounts) == D(50_000)
    # Øre in the outstanding amount go onto the first instalment without the extra krone.
    assert amortise(D("10.50"), 3) == [D("4.00"), D("3.50"), D("3.00")]
    assert month_due_date(2028, 2, None) == date(2028, 2, 29)
    assert month_due_date(2027, 2, 30) == date(2027, 2, 28)
    assert month_due_date(2027, 3, 15) == date(2027, 3, 15)


def test_pause_at_the_very_start_moves_every_instalment():
    old = plan(12_000, 12)
    new = reschedule(old, {}, first_due=old[0].due_date, pause_months=3)
    assert [i.amount for i in new] == [i.amount for i in old]
    assert new[0].due_date == date(2026, 5, 31)
    assert new[-1].due_date == date(2027, 4, 30)
    assert [i.seq for i in new] == list(range(1, 13))


def test_pause_after_a_partial_instalment_keeps_the_paid_part():
    old = plan(1_000, 10)  # 100 kr a month
    paid = allocate(old, [PaymentIn(1, date(2026, 2, 20), D("150.50"), 1)])
    new = reschedule(old, paid.by_instalment, first_due=date(2026, 4, 30), pause_months=2)
    assert new[0] == PlanInstalment(1, date(2026, 2, 28), D("100.00"))
    assert new[1] == PlanInstalment(2, date(2026, 3, 31), D("50.50"))
    # 849,50 kr over the 8 instalments not yet due on 30 April, from June.
    assert [i.seq for i in new[2:]] == list(range(3, 11))
    assert new[2].due_date == date(2026, 6, 30)
    assert sum(i.amount for i in new) == D(1_000)
    assert max(i.amount for i in new[2:]) - min(i.amount for i in new[2:]) <= 1
    # The payment keeps its allocation on the new plan.
    again = allocate(new, [PaymentIn(1, date(2026, 2, 20), D("150.50"), 1)])
    assert again.by_payment == paid.by_payment


def test_a_new_amount_larger_than_the_outstanding_principal_is_one_instalment():
    old = plan(1_000, 10)
    paid = allocate(old, [PaymentIn(1, date(2026, 2, 20), D("900"), 1)]).by_instalment
    new = reschedule(old, paid, first_due=date(2026, 3, 31), new_amount=D(5_000))
    assert new[-1] == PlanInstalment(10, date(2026, 3, 31), D("100.00"))
    assert len(new) == 10


def test_a_new_amount_sets_the_number_of_instalments():
    old = plan(10_000, 120)
    new = reschedule(old, {}, first_due=old[0].due_date, new_amount=D(300))
    assert len(new) == 34  # ⌈10.000 ÷ 300⌉
    assert max(i.amount for i in new) <= D(300)
    assert sum(i.amount for i in new) == D(10_000)


def test_a_reschedule_after_a_backdated_payment_counts_it():
    old = plan(1_200, 12)
    payments = [
        PaymentIn(1, date(2026, 3, 31), D("100"), 1),
        PaymentIn(2, date(2026, 2, 28), D("100"), 2),  # backdated, registered later
    ]
    paid = allocate(old, payments)
    new = reschedule(old, paid.by_instalment, first_due=date(2026, 5, 31), pause_months=1)
    assert sum(i.amount for i in new) == D(1_200)
    assert new[:2] == old[:2]
    assert allocate(new, payments).by_payment == paid.by_payment
    # The overdue April instalment is folded into the 9 left (May to January), from June.
    assert new[2].due_date == date(2026, 6, 30)
    assert len(new) == 2 + 9
    assert [i.amount for i in new[2:]] == [D("112.00")] * 1 + [D("111.00")] * 8


def test_nothing_outstanding_or_a_bad_amount_is_refused():
    old = plan(100, 1)
    with pytest.raises(ValueError, match="outstanding"):
        reschedule(old, {1: D(100)}, first_due=date(2026, 3, 31))
    with pytest.raises(ValueError, match="whole kroner"):
        reschedule(old, {}, first_due=date(2026, 3, 31), new_amount=D("10.50"))


@settings(max_examples=150, deadline=None)
@given(
    principal=st.integers(1, 50_000),
    term=st.integers(1, 240),
    paid_ore=st.integers(0, 5_000_000),
    pause=st.integers(0, 12),
    amount=st.one_of(st.none(), st.integers(1, 60_000)),
    keep_end=st.booleans(),
    skip=st.integers(0, 250),
)
def test_the_new_version_sums_exactly_and_keeps_every_allocation(
    principal, term, paid_ore, pause, amount, keep_end, skip
):
    old = plan(principal, term)
    paid_sum = min(D(paid_ore).scaleb(-2), D(principal) - D("0.01"))
    payments = [PaymentIn(1, date(2026, 2, 1), paid_sum, 1)] if paid_sum > 0 else []
    before = allocate(old, payments)
    first_due = old[min(skip, term - 1)].due_date
    new = reschedule(
        old,
        before.by_instalment,
        first_due=first_due,
        pause_months=pause,
        new_amount=None if amount is None else D(amount),
        keep_end=keep_end,
    )
    assert sum(i.amount for i in new) == D(principal)
    assert all(i.amount > 0 for i in new)
    assert allocate(new, payments).by_payment == before.by_payment
    fresh = [i for i in new if i.seq > max([0, *(s for s, v in before.by_instalment.items() if v)])]
    assert fresh and max(i.amount for i in fresh) - min(i.amount for i in fresh) <= 1
    if amount is not None:
        assert max(i.amount for i in fresh) <= amount
    assert [i.seq for i in new] == list(range(1, len(new) + 1))
