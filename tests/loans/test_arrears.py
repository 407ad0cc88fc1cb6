"""Arrears by definition: days past due of the oldest unpaid instalment, the
buckets, PAR30 (CGAP) and the repayment rate, against hand calculations."""

from datetime import date
from decimal import Decimal

from loans.allocation import PlanInstalment
from loans.arrears import (
    CURRENT,
    DAYS_1_30,
    DAYS_31_90,
    DAYS_OVER_90,
    LoanPosition,
    bucket,
    days_past_due,
    par,
    position,
    repayment_rate,
)

D = Decimal
PLAN = [
    PlanInstalment(1, date(2026, 1, 31), D(100)),
    PlanInstalment(2, date(2026, 2, 28), D(100)),
    PlanInstalment(3, date(2026, 3, 31), D(100)),
]


def test_days_past_due_count_from_the_oldest_unpaid_instalment():
    assert days_past_due(PLAN, {}, date(2026, 1, 31)) == 0  # due today: not late yet
    assert days_past_due(PLAN, {}, date(2026, 2, 1)) == 1
    assert days_past_due(PLAN, {1: D(100), 2: D(50)}, date(2026, 3, 10)) == 10
    assert days_past_due(PLAN, {1: D(100), 2: D(100), 3: D(100)}, date(2027, 1, 1)) == 0
    assert days_past_due(PLAN, {1: D("99.99")}, date(2026, 4, 1)) == 60


def test_the_buckets():
    assert [bucket(d) for d in (0, 1, 30, 31, 90, 91)] == [
        CURRENT,
        DAYS_1_30,
        DAYS_1_30,
        DAYS_31_90,
        DAYS_31_90,
        DAYS_OVER_90,
    ]


def test_par30_is_the_whole_outstanding_principal_of_loans_more_than_30_days_late():
    book = [
        LoanPosition(outstanding=D(10_000), days_past_due=0),
        LoanPosition(outstanding=D(5_000), days_past_due=30),  # not more than 30
        LoanPosition(outstanding=D(4_000), days_past_due=31),
        LoanPosition(outstanding=D(1_000), days_past_due=200),
        LoanPosition(outstanding=D(7_000), days_past_due=400, written_off=True),
    ]
    # (4.000 + 1.000) ÷ (10.000 + 5.000 + 4.000 + 1.000) = 25 %
    assert par(book) == D("0.2500")
    assert par([]) is None


def test_the_repayment_rate_counts_what_fell_due_and_ignores_prepayment():
    today = date(2026, 3, 15)
    on_time = position(PLAN, {1: D(100), 2: D(100), 3: D(100)}, today)  # 3 prepaid
    late = position(PLAN, {1: D(60)}, today)
    assert on_time.due_so_far == D(200) and on_time.paid_on_due == D(200)
    assert late.outstanding == D(240) and late.days_past_due == 43
    # Written off on 10 February: only January's instalment counts.
    off = position(PLAN, {}, today, written_off_on=date(2026, 2, 10))
    assert off.due_so_far == D(100)
    # (200 + 60 + 0) ÷ (200 + 200 + 100)
    assert repayment_rate([on_time, late, off]) == D("0.5200")
