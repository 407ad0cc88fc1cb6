"""The repayment plan as a pure function (SPEC §7), and the loan's payment
reference (FI-kort type +71).

Interest 0 and fees 0: the plan is the principal divided into whole kroner.
The first instalment falls due in the calendar month after the payout (the
handbook's "from the second month"), on the loan's due day; a due day the
month does not have (29–31) falls back to the month's last day. The
principal ÷ term is rounded down and the remainder is spread as +1 kr over
the first instalments: instalments differ by at most 1 kr and always sum to
the principal exactly."""

from __future__ import annotations

import calendar
import datetime
import secrets
from decimal import Decimal
from typing import NamedTuple

from stdnum import luhn

LAST_DAY = 31  # the default due day: the last day of every month


class Row(NamedTuple):
    seq: int
    due_date: datetime.date
    amount: Decimal


def due_date(payout: datetime.date, months_after: int, due_day: int = LAST_DAY) -> datetime.date:
    """The due date ``months_after`` calendar months after the payout's month."""
    if not 1 <= due_day <= 31:
        raise ValueError("due_day must be 1–31")
    index = payout.year * 12 + (payout.month - 1) + months_after
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(due_day, last))


def effective_term(principal: Decimal, term: int) -> int:
    """The number of instalments: the term, but never more instalments than
    whole kroner — a loan of 50 kr over 120 months is 50 instalments of 1 kr
    rather than 70 instalments of nothing."""
    return min(int(term), int(principal))


def repayment_schedule(
    principal: Decimal | int,
    term: int,
    payout: datetime.date,
    due_day: int = LAST_DAY,
) -> list[Row]:
    """The instalments of a loan of ``principal`` whole kroner over ``term``
    months, paid out on ``payout``: ``[(seq, due_date, amount), …]``."""
    principal = Decimal(principal)
    if principal != principal.to_integral_value() or principal < 1:
        raise ValueError("principal must be a whole number of kroner, at least 1")
    if int(term) < 1:
        raise ValueError("term must be at least 1 month")
    n = effective_term(principal, term)
    base, remainder = divmod(int(principal), n)
    return [
        Row(seq, due_date(payout, seq, due_day), Decimal(base + (1 if seq <= remainder else 0)))
        for seq in range(1, n + 1)
    ]


# --- the payment reference ------------------------------------------------------------

PAYMENT_ID_DIGITS = 15


def with_check_digit(payload: str) -> str:
    """The payload followed by its Luhn (modulus 10) check digit."""
    return payload + luhn.calc_check_digit(payload)


def is_valid_payment_id(value: str) -> bool:
    return (
        isinstance(value, str)
        and len(value) == PAYMENT_ID_DIGITS
        and value.isdigit()
        and luhn.is_valid(value)
    )


def random_payment_id() -> str:
    """A fresh +71 payment id: 14 random digits and the check digit.
    Uniqueness in the installation is the caller's (and the unique
    constraint's) business."""
    return with_check_digit(f"{secrets.randbelow(10 ** (PAYMENT_ID_DIGITS - 1)):014d}")


def fi_line(payment_id: str, creditor_number: str) -> str:
    """The FI-kort type +71 code line printed on the agreement."""
    return f"+71<{payment_id}+{creditor_number}<"
