"""The repayment's letter kinds (SPEC §8). Contracts (the JSON context):

payment_reminder
    level (1 or 2), instalments ([{seq, due_date, amount, unpaid}]), total
    (what is overdue), fi_line ("" when the municipality has no FI creditor
    number), payment_id, pause_contact (whom to call about a pause; "" = the
    contact person). Never a fee: the letter says so.
reschedule_decision (a decision)
    title, decision, decided_on, outstanding, instalments ([{seq, due_date,
    amount}]), reasons, fi_line, payment_id.
refund_notice
    amount (paid back), paid_on, method (a RefundMethod value), method_label
    (how, as the letter says it to the borrower: "Overført til din
    bankkonto"), account ("" when none), held_after (still
    held for the borrower after this refund), outstanding (principal still
    to pay), payment_id. A notice of facts, not a decision.
"""

from django.utils.translation import gettext_lazy as _

from mikrolaan.formatting import to_date, to_decimal
from mikrolaan.letters.registry import LetterKind, register


def _rows(rows, *, unpaid=False):
    if not isinstance(rows, list) or not rows:
        raise ValueError("instalments skal være en liste med mindst én rate.")
    out = []
    for row in rows:
        item = {
            "seq": int(row["seq"]),
            "due_date": to_date(row["due_date"]),
            "amount": to_decimal(row["amount"]),
        }
        if unpaid:
            item["unpaid"] = to_decimal(row["unpaid"])
        out.append(item)
    return out


def _prepare_reminder(ctx: dict) -> dict:
    if int(ctx["level"]) not in (1, 2):
        raise ValueError("level er 1 eller 2.")
    return {
        "level": int(ctx["level"]),
        "instalments": _rows(ctx["instalments"], unpaid=True),
        "total": to_decimal(ctx["total"]),
    }


def _prepare_refund(ctx: dict) -> dict:
    from .models import RefundMethod

    amount = to_decimal(ctx["amount"])
    if amount <= 0:
        raise ValueError("amount skal være større end 0.")
    if ctx["method"] not in RefundMethod.values:
        raise ValueError("method er ikke en kendt måde at tilbagebetale på.")
    if not str(ctx.get("method_label") or "").strip():
        raise ValueError("method_label skal udfyldes.")
    return {
        "amount": amount,
        "paid_on": to_date(ctx["paid_on"]),
        "held_after": to_decimal(ctx["held_after"]),
        "outstanding": to_decimal(ctx["outstanding"]),
    }


def _prepare_reschedule(ctx: dict) -> dict:
    if not (ctx.get("reasons") or "").strip():
        raise ValueError("reasons skal udfyldes.")
    return {
        "decided_on": to_date(ctx["decided_on"]),
        "outstanding": to_decimal(ctx["outstanding"]),
        "instalments": _rows(ctx["instalments"]),
    }


register(
    LetterKind(
        id="payment_reminder",
        title=_("Påmindelse om afdrag"),
        template="letters/kinds/payment_reminder.html",
        version="1",
        required_context=[
            "level",
            "instalments",
            "total",
            "fi_line",
            "payment_id",
            "pause_contact",
        ],
        prepare=_prepare_reminder,
        sample_context={
            "level": 1,
            "instalments": [
                {"seq": 3, "due_date": "2026-10-31", "amount": "417", "unpaid": "217.50"},
                {"seq": 4, "due_date": "2026-11-30", "amount": "417", "unpaid": "417"},
            ],
            "total": "634.50",
            "fi_line": "+71<000000000012344+85012345<",
            "payment_id": "000000000012344",
            "pause_contact": "",
        },
    )
)

register(
    LetterKind(
        id="reschedule_decision",
        title=_("Afgørelse om ændring af afdragsplan"),
        template="letters/kinds/reschedule_decision.html",
        version="1",
        is_decision=True,
        required_context=[
            "title",
            "decision",
            "decided_on",
            "outstanding",
            "instalments",
            "reasons",
            "fi_line",
            "payment_id",
        ],
        prepare=_prepare_reschedule,
        subject=lambda ctx: ctx["title"],
        sample_context={
            "title": "Afgørelse om ændring af din afdragsplan",
            "decision": "Du får en betalingspause på 3 måneder. Din næste rate forfalder den "
            "31.03.2027.",
            "decided_on": "2026-11-26",
            "outstanding": "36250",
            "instalments": [
                {"seq": 14, "due_date": "2027-03-31", "amount": "340"},
                {"seq": 15, "due_date": "2027-04-30", "amount": "340"},
            ],
            "reasons": "Din virksomhed har mistet sin største kunde, og du har bedt om en pause.",
            "fi_line": "+71<000000000012344+85012345<",
            "payment_id": "000000000012344",
        },
    )
)

register(
    LetterKind(
        id="refund_notice",
        title=_("Tilbagebetaling af for meget indbetalt"),
        template="letters/kinds/refund_notice.html",
        version="2",
        required_context=[
            "amount",
            "paid_on",
            "method",
            "method_label",
            "account",
            "held_after",
            "outstanding",
            "payment_id",
        ],
        prepare=_prepare_refund,
        sample_context={
            "amount": "250.50",
            "paid_on": "2026-11-26",
            "method": "borrower_account",
            "method_label": "Overført til din bankkonto",
            "account": "1234 0012345678",
            "held_after": "0",
            "outstanding": "0",
            "payment_id": "000000000012344",
        },
    )
)
