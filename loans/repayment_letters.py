"""The repayment's letter kinds (SPEC §8). Contracts (the JSON context):

payment_reminder
    level (1 or 2), instalments ([{seq, due_date, amount, unpaid}]), total
    (what is overdue), fi_line ("" when the municipality has no FI creditor
    number), payment_id, pause_contact (whom to call about a pause; "" = the
    contact person). Never a fee: the letter says so.
reschedule_decision (a decision)
    title, decision, decided_on, outstanding, instalments ([{seq, due_date,
    amount}]), reasons, fi_line, payment_id.
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
