"""Importing a bank statement (SPEC §7): the file is read whole
(``loans.statements``) or refused whole; lines whose +71 payment id is
valid and names a paid-out loan of the municipality are registered as
payments; the rest wait in the matching queue, where staff assign them to a
loan or dismiss them with a reason. A line the municipality has seen before
— in this file, an overlapping one, or the same days in the other format
(``loans.statements.recognise``) — is skipped: nothing is registered twice.

One transaction per file, a fixed number of queries per file (not per
line): the lookups, the inserts and the replay are all batched."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.audit import record_event
from mikrolaan.models import Municipality

from .models import (
    LineStatus,
    Loan,
    LoanState,
    Payment,
    PaymentMethod,
    RepaymentSettings,
    StatementImport,
    StatementLine,
)
from .repayment import (
    PAYABLE_STATES,
    allocate_new_payments,
    payment_problems,
    register_payment,
)
from .services import LoanRefused
from .statements import CsvMapping, KnownLine, StatementError, parse, recognise, text_key


def _known_lines(municipality_id: int, lines) -> list[KnownLine]:
    """The lines imported before on the file's days with its amounts (one query)."""
    if not lines:
        return []
    days = [line.booking_date for line in lines]
    rows = StatementLine.objects.filter(
        municipality_id=municipality_id,
        booking_date__gte=min(days),
        booking_date__lte=max(days),
        amount__in={line.amount for line in lines},
    ).values_list(
        "booking_date",
        "amount",
        "occurrence",
        "statement__format",
        "fi_payment_id",
        "bank_reference",
        "text",
        "reference",
        "counterparty",
    )
    return [
        KnownLine(
            booking_date=row[0],
            amount=row[1],
            occurrence=row[2],
            format=row[3],
            payment_id=row[4],
            bank_reference=row[5],
            text_key=text_key(*row[6:]),
        )
        for row in rows
    ]


@transaction.atomic
def import_statement(*, actor, municipality_id: int, filename: str, data: bytes) -> StatementImport:
    """Read and import one statement file. Raises ``StatementError`` (a
    Danish message naming the line) and imports nothing when the file is
    broken. Imports of one municipality run one at a time (its row is
    locked), so two uploads of one file cannot both register it."""
    Municipality.objects.select_for_update().get(pk=municipality_id)
    settings = RepaymentSettings.for_municipality(municipality_id)
    statement = parse(data, mapping=CsvMapping.from_dict(settings.csv_columns))

    known = _known_lines(municipality_id, statement.lines)
    numbered, duplicates = recognise(statement.format, statement.lines, known)
    fresh = [line for line, _occurrence in numbered]
    loans = {
        loan.payment_id: loan
        for loan in Loan.objects.filter(
            municipality_id=municipality_id,
            payment_id__in={line.payment_id for line in fresh if line.payment_id},
            state__in=PAYABLE_STATES,
        ).only("pk", "payment_id", "state", "disbursed_on", "municipality_id")
    }

    record = StatementImport.objects.create(
        municipality_id=municipality_id,
        filename=(filename or "")[:255],
        format=statement.format,
        sha256=hashlib.sha256(data).hexdigest(),
        account=statement.account[:200],
        lines_read=len(statement.lines),
        duplicates=duplicates,
        debits_skipped=statement.debits_skipped,
        imported_by=actor,
        imported_at=timezone.now(),
    )
    payments, rows = [], []
    now = timezone.now()
    for line, occurrence in numbered:
        loan = loans.get(line.payment_id)
        matched = loan is not None and not payment_problems(
            loan, value_date=line.value_date, amount=line.amount
        )
        payment = None
        if matched:
            payment = Payment(
                loan=loan,
                value_date=line.value_date,
                amount=line.amount,
                method=PaymentMethod.FI_CARD,
                reference=(line.bank_reference or line.reference or line.text)[:140],
                is_recovery=loan.state == LoanState.WRITTEN_OFF,
                registered_by=actor,
                registered_at=now,
                municipality_id=municipality_id,
            )
            payments.append(payment)
        rows.append(
            StatementLine(
                statement=record,
                municipality_id=municipality_id,
                line_no=line.line_no,
                booking_date=line.booking_date,
                value_date=line.value_date,
                amount=line.amount,
                text=line.text[:500],
                reference=line.reference[:140],
                counterparty=line.counterparty[:200],
                bank_reference=line.bank_reference[:200],
                fi_payment_id=line.payment_id,
                occurrence=occurrence,
                status=LineStatus.REGISTERED if matched else LineStatus.QUEUED,
                payment=payment,
                resolved_at=now if matched else None,
                resolved_by=actor if matched else None,
            )
        )
    Payment.objects.bulk_create(payments, batch_size=2000)
    StatementLine.objects.bulk_create(rows, batch_size=2000)
    allocate_new_payments(payments, actor=actor)
    record.registered = len(payments)
    record.queued = len(rows) - len(payments)
    record.save(update_fields=["registered", "queued"])
    record_event(
        actor=actor,
        action="statement.imported",
        obj=record,
        data={
            "filename": record.filename,
            "format": record.format,
            "sha256": record.sha256,
            "lines": record.lines_read,
            "registered": record.registered,
            "queued": record.queued,
            "duplicates": record.duplicates,
        },
    )
    return record


def _lock_queued(line: StatementLine) -> StatementLine:
    locked = StatementLine.objects.select_for_update().get(pk=line.pk)
    if locked.status != LineStatus.QUEUED:
        raise LoanRefused([_("Linjen er allerede behandlet.")])
    return locked


@transaction.atomic
def assign_line(*, actor, line: StatementLine, loan: Loan) -> Payment:
    """Staff match a queued line to a loan: the line becomes a payment."""
    line = _lock_queued(line)
    payment = register_payment(
        actor=actor,
        loan=loan,
        value_date=line.value_date,
        amount=line.amount,
        method=PaymentMethod.BANK_TRANSFER,
        reference=(line.bank_reference or line.reference or line.text)[:140],
    )
    line.status = LineStatus.ASSIGNED
    line.payment = payment
    line.resolved_by, line.resolved_at = actor, timezone.now()
    line.save(update_fields=["status", "payment", "resolved_by", "resolved_at"])
    record_event(
        actor=actor,
        action="statement.line_assigned",
        obj=line,
        data={"loan": loan.pk, "payment": payment.pk},
    )
    return payment


@transaction.atomic
def dismiss_line(*, actor, line: StatementLine, reason: str) -> StatementLine:
    """Staff dismiss a queued line (not a loan payment), with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise LoanRefused([_("Skriv hvorfor linjen afvises.")])
    line = _lock_queued(line)
    line.status = LineStatus.DISMISSED
    line.dismissed_reason = reason
    line.resolved_by, line.resolved_at = actor, timezone.now()
    line.save(update_fields=["status", "dismissed_reason", "resolved_by", "resolved_at"])
    record_event(actor=actor, action="statement.line_dismissed", obj=line, reason=reason)
    return line


__all__ = ["StatementError", "assign_line", "dismiss_line", "import_statement"]
