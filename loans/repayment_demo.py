"""Demo and national-scale payments: borrowers who pay on time, who fell
behind 1–30, 31–90 or over 90 days, who paid part of an instalment or paid
ahead; repaid loans paid in full, written-off loans that stopped. Bulk
inserts, then the replay (``reallocate``) in batches — the same stored
allocation as the services make. Called by ``loans.demo``."""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from .models import Instalment, Loan, LoanState, Payment, PaymentMethod
from .repayment import reallocate

BATCH = 1000
PROFILES = ["on_time", "behind", "partial", "ahead", "never"]
WEIGHTS = [70, 16, 6, 5, 3]


def _payments_for(loan, rows, *, today, rng) -> list[Payment]:
    due = [r for r in rows if r[1] <= today]
    made = []

    def pay(day, amount):
        if amount > 0:
            made.append(
                Payment(
                    municipality_id=loan.municipality_id,
                    loan=loan,
                    value_date=min(day, today),
                    amount=Decimal(amount),
                    method=PaymentMethod.FI_CARD,
                    reference="Demo",
                    is_recovery=False,
                )
            )

    if loan.state == LoanState.REPAID:
        for _seq, day, amount in due:
            pay(day, amount)
        rest = sum((r[2] for r in rows), Decimal(0)) - sum((r[2] for r in due), Decimal(0))
        pay(today, rest)
        return made
    if loan.state == LoanState.WRITTEN_OFF:
        for _seq, day, amount in due[: rng.randint(0, max(0, len(due) - 4))]:
            pay(day, amount)
        return made
    profile = rng.choices(PROFILES, WEIGHTS)[0]
    if profile == "never":
        return made
    paid_count = len(due)
    if profile == "behind":
        paid_count = max(0, len(due) - rng.choice([1, 1, 2, 3, 4, 6]))
    for _seq, day, amount in due[:paid_count]:
        pay(day + datetime.timedelta(days=rng.randint(-3, 2)), amount)
    if profile == "partial" and paid_count < len(rows):
        pay(today, (rows[paid_count][2] / 2).quantize(Decimal("0.01")))
    if profile == "ahead" and paid_count < len(rows):
        pay(today, sum((r[2] for r in rows[paid_count : paid_count + 3]), Decimal(0)))
    return made


def seed_payments(loan_ids, *, today: datetime.date, seed: int = 7) -> tuple[int, float]:
    """Payments for the given paid-out loans that have none; returns (how
    many payments, seconds)."""
    began = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    ids = sorted(
        Loan.objects.filter(
            pk__in=list(loan_ids),
            state__in=[LoanState.DISBURSED, LoanState.REPAID, LoanState.WRITTEN_OFF],
            payments__isnull=True,
            plans__is_current=True,
        ).values_list("pk", flat=True)
    )
    count = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            loans = Loan.objects.in_bulk(chunk)
            rows = defaultdict(list)
            for loan_id, seq, day, amount in (
                Instalment.objects.filter(plan__loan_id__in=chunk, plan__is_current=True)
                .order_by("plan__loan_id", "seq")
                .values_list("plan__loan_id", "seq", "due_date", "amount")
            ):
                rows[loan_id].append((seq, day, amount))
            payments = []
            for loan_id in chunk:
                payments += _payments_for(loans[loan_id], rows[loan_id], today=today, rng=rng)
            Payment.objects.bulk_create(payments, batch_size=5000)
            reallocate(chunk)
            count += len(payments)
    return count, time.monotonic() - began
