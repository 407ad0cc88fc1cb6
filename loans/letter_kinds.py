"""The loans app's letter kinds (SPEC §8). Contracts (the JSON context):

support_decision (a decision)
    the generic decision's keys (mikrolaan.letters.kinds): title, decision,
    decided_on, period, amount, facts, considerations, legal_basis
loan_agreement
    principal (Decimal as string), term_months, disbursed_on (ISO date),
    due_day, payment_id (15 digits), creditor_number (8 digits or ""),
    bank_account, legal_basis, scheme_name, instalments ([[seq, ISO date,
    amount as string], …] summing to the principal)
self_evaluation_request
    ends_on (ISO date: support ends), deadline (ISO date: answer by)
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from mikrolaan.formatting import to_date, to_decimal
from mikrolaan.letters.kinds import DECISION_KEYS, DECISION_SAMPLE, _prepare_decision
from mikrolaan.letters.registry import LetterKind, register

from .schedule import fi_line, is_valid_payment_id, repayment_schedule


def _prepare_agreement(ctx: dict) -> dict:
    principal = to_decimal(ctx["principal"])
    rows = ctx["instalments"]
    if not isinstance(rows, list) or not rows:
        raise ValueError("instalments skal være en ikke-tom liste.")
    instalments = [
        {"seq": int(seq), "due_date": to_date(day), "amount": to_decimal(amount)}
        for seq, day, amount in rows
    ]
    if sum(i["amount"] for i in instalments) != principal:
        raise ValueError("Raterne skal tilsammen give lånebeløbet.")
    if not is_valid_payment_id(ctx["payment_id"]):
        raise ValueError("payment_id er ikke et gyldigt betalings-id (15 cifre, Luhn).")
    creditor = ctx.get("creditor_number") or ""
    amounts = sorted({i["amount"] for i in instalments}, reverse=True)
    return {
        "principal": principal,
        "disbursed_on": to_date(ctx["disbursed_on"]),
        "instalments": instalments,
        "first_due": instalments[0]["due_date"],
        "last_due": instalments[-1]["due_date"],
        "amounts": amounts,
        "fi_line": fi_line(ctx["payment_id"], creditor) if creditor else "",
    }


def _sample_agreement() -> dict:
    import datetime

    payout = datetime.date(2026, 11, 26)
    rows = repayment_schedule(Decimal("45001"), 120, payout)
    return {
        "principal": "45001",
        "term_months": 120,
        "disbursed_on": payout.isoformat(),
        "due_day": 31,
        "payment_id": "378282246310005",
        "creditor_number": "85123456",
        "bank_account": "1234 0012345678",
        "legal_basis": "aktivloven § 65",
        "scheme_name": "Mikrolån",
        "instalments": [[r.seq, r.due_date.isoformat(), str(r.amount)] for r in rows],
    }


def _prepare_self_evaluation(ctx: dict) -> dict:
    return {"ends_on": to_date(ctx["ends_on"]), "deadline": to_date(ctx["deadline"])}


register(
    LetterKind(
        id="support_decision",
        title=_("Afgørelse om tilskud til forsørgelse"),
        template="letters/kinds/decision.html",
        version="1",
        is_decision=True,
        required_context=DECISION_KEYS,
        prepare=_prepare_decision,
        subject=lambda ctx: ctx["title"],
        sample_context={**DECISION_SAMPLE, "amount": None},
    )
)
register(
    LetterKind(
        id="loan_agreement",
        title=_("Låneaftale med afdragsplan"),
        template="letters/kinds/loan_agreement.html",
        version="1",
        required_context=[
            "principal",
            "term_months",
            "disbursed_on",
            "due_day",
            "payment_id",
            "creditor_number",
            "bank_account",
            "legal_basis",
            "instalments",
        ],
        prepare=_prepare_agreement,
        sample_context=_sample_agreement(),
    )
)
register(
    LetterKind(
        id="self_evaluation_request",
        title=_("Anmodning om selvevaluering"),
        template="letters/kinds/self_evaluation_request.html",
        version="1",
        required_context=["ends_on", "deadline"],
        prepare=_prepare_self_evaluation,
        sample_context={"ends_on": "2027-05-31", "deadline": "2027-05-14"},
    )
)
