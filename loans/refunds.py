"""Refunds of an overpayment (SPEC §7: money beyond the principal is held to
be paid back, never swallowed).

A refund records that the municipality paid held money back to the
borrower; a wrong one is reversed with a reason, never edited or deleted.
A refund does not move the allocation of any payment: it only lowers the
held overpayment (``LoanBalance.refunded``; held = overpayment − refunded).
When a later reversal of a payment leaves less overpaid than was refunded,
the held amount is negative — the borrower owes that back — and the pages
say so instead of hiding it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.audit import record_event
from mikrolaan.formatting import format_kr

from .allocation import ØRE
from .models import Loan, LoanBalance, Refund, RefundMethod, RefundReversal
from .repayment import PAYABLE_STATES
from .services import LoanRefused

ZERO = Decimal("0.00")


class RefundRefused(LoanRefused):
    """Refused with Danish reasons, each for a field of the refund form
    (``by_field``; "" = the refund as a whole)."""

    def __init__(self, by_field: dict[str, list[str]]):
        super().__init__([reason for reasons in by_field.values() for reason in reasons])
        self.by_field = by_field


def held_overpayment(loan: Loan) -> Decimal:
    """What is held for the borrower now (one query, or none when the
    balance came with the loan through ``select_related``)."""
    try:
        return loan.balance.held_overpayment
    except LoanBalance.DoesNotExist:
        return ZERO


def refund_problems(
    loan: Loan, *, amount, paid_on, method, account, held: Decimal
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    if loan.state not in PAYABLE_STATES:
        add("", _("Der kan kun tilbagebetales på et udbetalt lån."))
    if amount is None or amount <= 0:
        add("amount", _("Beløbet skal være større end 0 kr."))
    elif amount != amount.quantize(ØRE):
        add("amount", _("Beløbet skal være i hele øre."))
    elif held <= 0:
        add("amount", _("Der er intet overskydende beløb at tilbagebetale."))
    elif amount > held:
        add(
            "amount",
            _("Der er kun %(held)s til gode til låntageren. Beløbet kan ikke være større.")
            % {"held": format_kr(held)},
        )
    if paid_on is None:
        add("paid_on", _("Skriv datoen, pengene blev betalt tilbage."))
    else:
        if paid_on > timezone.localdate():
            add("paid_on", _("Datoen kan ikke ligge i fremtiden."))
        if loan.disbursed_on and paid_on < loan.disbursed_on:
            add("paid_on", _("Datoen ligger før udbetalingen af lånet."))
    if method not in RefundMethod.values:
        add("method", _("Vælg hvordan pengene blev betalt tilbage."))
    elif method == RefundMethod.BORROWER_ACCOUNT and not (account or "").strip():
        add("account", _("Skriv kontoen (reg.nr. og kontonummer), pengene blev overført til."))
    return problems


def _store_refunded(loan: Loan) -> LoanBalance:
    """The balance's refunded sum from the refunds not reversed (the replay
    in ``loans.repayment.reallocate`` writes the same)."""
    refunded = Refund.objects.filter(loan=loan, reversal__isnull=True).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal("0.00")
    balance = LoanBalance.objects.select_for_update().get(loan=loan)
    balance.refunded = refunded
    balance.save(update_fields=["refunded", "updated_at"])
    return balance


@transaction.atomic
def register_refund(
    *,
    actor,
    loan: Loan,
    amount: Decimal,
    paid_on: datetime.date,
    method: str,
    account: str = "",
    reference: str = "",
    note: str = "",
    send_letter: bool = True,
) -> Refund:
    """Record that held overpayment was paid back to the borrower: at most
    what is held now, more than 0 kr. The allocation of payments stays; the
    held amount falls. With ``send_letter`` the borrower gets a short letter
    stating what was paid back, when and how."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    balance = LoanBalance.objects.select_for_update().filter(loan=loan).first()
    held = balance.held_overpayment if balance is not None else ZERO
    amount = Decimal(amount) if amount is not None else None
    problems = refund_problems(
        loan, amount=amount, paid_on=paid_on, method=method, account=account, held=held
    )
    if problems:
        raise RefundRefused(problems)
    refund = Refund(
        loan=loan,
        amount=amount,
        paid_on=paid_on,
        method=method,
        account=(account or "").strip()[:40],
        reference=(reference or "").strip()[:140],
        note=(note or "").strip(),
        registered_by=actor,
        registered_at=timezone.now(),
    )
    refund.full_clean()
    refund.save()
    balance = _store_refunded(loan)
    record_event(
        actor=actor,
        action="refund.registered",
        obj=loan,
        data={
            "refund": refund.pk,
            "amount": str(amount),
            "paid_on": str(paid_on),
            "method": method,
            "held_after": str(balance.held_overpayment),
        },
    )
    if send_letter:
        refund.letter = _refund_letter(refund, actor=actor, balance=balance)
        refund.save(update_fields=["letter"])
    return refund


@transaction.atomic
def reverse_refund(*, actor, refund: Refund, reason: str) -> RefundReversal:
    """Take a wrong refund back, with the reason (the money did not reach
    the borrower, or it was registered by mistake). The refund stays; the
    held overpayment rises by its amount."""
    loan = Loan.objects.select_for_update().get(pk=refund.loan_id)
    reason = (reason or "").strip()
    if not reason:
        raise LoanRefused([_("Skriv begrundelsen for tilbageførslen.")])
    if RefundReversal.objects.filter(refund_id=refund.pk).exists():
        raise LoanRefused([_("Tilbagebetalingen er allerede tilbageført.")])
    reversal = RefundReversal.objects.create(
        refund=refund, reason=reason, reversed_by=actor, reversed_at=timezone.now()
    )
    balance = _store_refunded(loan)
    record_event(
        actor=actor,
        action="refund.reversed",
        obj=loan,
        reason=reason,
        data={
            "refund": refund.pk,
            "amount": str(refund.amount),
            "held_after": str(balance.held_overpayment),
        },
    )
    return reversal


def _refund_letter(refund: Refund, *, actor, balance: LoanBalance):
    from mikrolaan.letters.services import request_letter

    loan = refund.loan
    return request_letter(
        kind="refund_notice",
        case=loan.case,
        recipient=loan.citizen,
        author=actor,
        context={
            "amount": str(refund.amount),
            "paid_on": refund.paid_on.isoformat(),
            "method": refund.method,
            "method_label": refund.method_for_borrower,
            "account": refund.account,
            "held_after": str(balance.held_overpayment),
            "outstanding": str(balance.outstanding),
            "payment_id": loan.payment_id,
        },
    )
