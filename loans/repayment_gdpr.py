"""The repayment's personal data (see mikrolaan.privacy.registry). Payments,
allocations and reminders are bookkeeping and stay with the loan (the loans
app's keep rule: never an open loan); only free texts go when a closed case
is anonymised. Imported by ``loans.apps``."""

from django.utils.translation import gettext_lazy as _

from mikrolaan.privacy.registry import PersonalData, register_personal_data

from .models import (
    LoanBalance,
    Payment,
    PaymentAllocation,
    PaymentReminder,
    PaymentReversal,
    Refund,
    RefundReversal,
    Reschedule,
    StatementLine,
)


def _clear(**fields):
    def anonymise(rows, *, now) -> int:
        return rows.update(**fields)

    return anonymise


SOURCES = [
    ("payments", _("Indbetalinger"), Payment, "loan", _clear(reference="")),
    (
        "payment_reversals",
        _("Tilbageførte indbetalinger"),
        PaymentReversal,
        "payment__loan",
        _clear(reason=""),
    ),
    (
        "payment_allocations",
        _("Fordeling af indbetalinger"),
        PaymentAllocation,
        "payment__loan",
        None,
    ),
    ("loan_balances", _("Saldo på lån"), LoanBalance, "loan", None),
    ("payment_reminders", _("Påmindelser om afdrag"), PaymentReminder, "loan", None),
    ("reschedules", _("Ændringer af afdragsplaner"), Reschedule, "loan", _clear(reasons="")),
    (
        "statement_lines",
        _("Linjer i kontoudtog"),
        StatementLine,
        "payment__loan",
        _clear(text="", counterparty="", reference=""),
    ),
    (
        "refunds",
        _("Tilbagebetalinger af for meget indbetalt"),
        Refund,
        "loan",
        _clear(account="", reference="", note=""),
    ),
    (
        "refund_reversals",
        _("Tilbageførte tilbagebetalinger"),
        RefundReversal,
        "refund__loan",
        _clear(reason=""),
    ),
]

for order, (key, title, model, loan_path, anonymise) in enumerate(SOURCES, start=70):
    register_personal_data(
        PersonalData(
            key=key,
            title=title,
            model=model,
            subject_path=f"{loan_path}__citizen",
            case_path=f"{loan_path}__case",
            anonymise=anonymise,
            order=order,
        )
    )
