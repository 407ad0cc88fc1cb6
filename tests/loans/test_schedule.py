"""The repayment plan as a pure function, and the +71 payment id."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loans.schedule import (
    due_date,
    fi_line,
    is_valid_payment_id,
    random_payment_id,
    repayment_schedule,
    with_check_digit,
)

principals = st.integers(min_value=1, max_value=50_000).map(Decimal)
terms = st.integers(min_value=1, max_value=240)
# Month ends and leap years: every day from 1999 to 2041, with the days
# around a month's end and 29 February drawn often.
payouts = st.one_of(
    st.dates(min_value=datetime.date(1999, 1, 1), max_value=datetime.date(2041, 12, 31)),
    st.builds(
        lambda y, m, back: (
            (datetime.date(y, m, 1) + datetime.timedelta(days=32)).replace(day=1)
            - datetime.timedelta(days=back)
        ),
        st.integers(1999, 2040),
        st.integers(1, 12),
        st.integers(1, 3),
    ),
    st.sampled_from([datetime.date(2024, 2, 29), datetime.date(2028, 2, 29)]),
)
due_days = st.integers(min_value=1, max_value=31)


@given(principals, terms, payouts, due_days)
def test_instalments_sum_to_the_principal_and_differ_by_at_most_one_krone(p, n, payout, day):
    rows = repayment_schedule(p, n, payout, day)
    amounts = [r.amount for r in rows]
    assert sum(amounts) == p
    assert all(isinstance(a, Decimal) and a == a.to_integral_value() and a >= 1 for a in amounts)
    assert max(amounts) - min(amounts) <= 1
    # The +1 kr go to the first instalments: the amounts never rise.
    assert amounts == sorted(amounts, reverse=True)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == min(n, int(p))


@given(principals, terms, payouts, due_days)
def test_one_instalment_a_month_from_the_month_after_payout(p, n, payout, day):
    rows = repayment_schedule(p, n, payout, day)
    for i, row in enumerate(rows, start=1):
        months = (row.due_date.year - payout.year) * 12 + row.due_date.month - payout.month
        assert months == i
        next_month = (row.due_date.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        last = (next_month - datetime.timedelta(days=1)).day
        assert row.due_date.day == min(day, last)
        assert row.due_date > payout


def test_handbook_loan_of_50_000_over_120_months():
    rows = repayment_schedule(Decimal("50000"), 120, datetime.date(2026, 11, 26))
    # 50,000 / 120 = 416 rest 80: the first 80 instalments are 417 kr.
    assert [r.amount for r in rows[:80]] == [Decimal(417)] * 80
    assert [r.amount for r in rows[80:]] == [Decimal(416)] * 40
    assert rows[0].due_date == datetime.date(2026, 12, 31)
    assert rows[2].due_date == datetime.date(2027, 2, 28)
    assert rows[-1].due_date == datetime.date(2036, 11, 30)


def test_due_day_31_falls_back_to_the_month_end_and_leap_day():
    assert due_date(datetime.date(2027, 12, 31), 2, 31) == datetime.date(2028, 2, 29)
    assert due_date(datetime.date(2026, 1, 31), 1, 30) == datetime.date(2026, 2, 28)
    assert due_date(datetime.date(2026, 1, 31), 3, 30) == datetime.date(2026, 4, 30)
    assert due_date(datetime.date(2026, 12, 15), 1, 5) == datetime.date(2027, 1, 5)


def test_a_payout_on_the_last_day_still_falls_due_the_month_after():
    rows = repayment_schedule(Decimal(100), 2, datetime.date(2026, 1, 31), 31)
    assert [r.due_date for r in rows] == [datetime.date(2026, 2, 28), datetime.date(2026, 3, 31)]


def test_a_loan_smaller_than_the_term_has_no_zero_instalments():
    rows = repayment_schedule(Decimal(5), 120, datetime.date(2026, 5, 1))
    assert [r.amount for r in rows] == [Decimal(1)] * 5


@pytest.mark.parametrize("bad", [Decimal("0"), Decimal("-5"), Decimal("100.50")])
def test_refuses_a_principal_that_is_not_whole_positive_kroner(bad):
    with pytest.raises(ValueError):
        repayment_schedule(bad, 120, datetime.date(2026, 5, 1))


# Known-good Luhn numbers of 15 digits: the card schemes' published test
# numbers, and the Luhn algorithm's textbook example (79927398713) padded.
@pytest.mark.parametrize("good", ["378282246310005", "371449635398431", "000079927398713"])
def test_known_good_payment_ids_pass_the_check(good):
    assert is_valid_payment_id(good)
    assert with_check_digit(good[:-1]) == good


@pytest.mark.parametrize(
    "bad",
    ["378282246310004", "371449635398432", "37828224631000", "3782822463100050", "37828224631000x"],
)
def test_payment_ids_with_a_wrong_digit_or_length_fail(bad):
    assert not is_valid_payment_id(bad)


@given(st.integers(min_value=0, max_value=10**14 - 1), st.integers(0, 13), st.integers(1, 9))
def test_a_single_wrong_digit_is_always_caught(payload, position, delta):
    good = with_check_digit(f"{payload:014d}")
    digits = list(good)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not is_valid_payment_id("".join(digits))


def test_random_payment_ids_are_valid():
    for _ in range(50):
        assert is_valid_payment_id(random_payment_id())


def test_fi_line():
    assert fi_line("378282246310005", "12345678") == "+71<378282246310005+12345678<"
