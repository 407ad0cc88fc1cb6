"""Repayment benchmarks at national scale (a script, not a test).

    DATABASE_URL=postgres://…/db python bench/repayment_bench.py

The database must hold national-scale data (``manage.py seed_demo --scale
20000``: about 8,000 loans, a million instalments, their payments). Each
measurement runs inside a transaction that is rolled back, so the script can
be run again on the same data.

- The daily reminder job (``loans.reminders.send_payment_reminders``) for
  today: seconds, reminders made, SQL statements; then the same day again
  (must make nothing). Letters are requested in the job's transaction; their
  rendering runs after commit in the Celery worker and is measured by
  bench/letters_bench.py, not here. Goal ≤ 10 s.
- Importing a 10,000-line CSV statement (8,000 lines naming paid-out loans,
  2,000 for the matching queue): seconds and SQL statements; then the same
  file again (must register nothing). Goal ≤ 10 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mikrolaan.settings")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
if "DJANGO_LETTERS_ROOT" not in os.environ:
    os.environ["DJANGO_LETTERS_ROOT"] = tempfile.mkdtemp(prefix="repayment-bench-")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

connection.queries_log = deque(maxlen=10**6)
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from mikrolaan.tenancy import unscoped  # noqa: E402


class Rollback(Exception):
    pass


def measure(label, func):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = func()
        seconds = time.perf_counter() - began
    print(f"{label}: {seconds:.2f} s, {len(queries)} SQL statements, result {result}")
    return seconds


def reminders(today):
    from loans.reminders import send_payment_reminders

    yesterday = today - datetime.timedelta(days=1)
    try:
        with transaction.atomic():
            # The first run on seeded data catches up with every arrear at once.
            measure(
                "reminder job, first run (catch-up)",
                lambda: send_payment_reminders(today=yesterday),
            )
            first = measure(
                "reminder job, the next day", lambda: send_payment_reminders(today=today)
            )
            again = measure(
                "reminder job, same day again", lambda: send_payment_reminders(today=today)
            )
            raise Rollback
    except Rollback:
        pass
    return first, again


def statement_csv(lines: int, rng, municipality_id: int) -> bytes:
    from loans.models import Loan, LoanState

    ids = list(
        Loan.objects.filter(state=LoanState.DISBURSED, municipality_id=municipality_id).values_list(
            "payment_id", flat=True
        )
    )
    today = timezone.localdate()
    rows = ["Dato;Tekst;Beløb;Saldo"]
    for n in range(lines):
        day = (today - datetime.timedelta(days=rng.randint(0, 20))).strftime("%d-%m-%Y")
        amount = f"{rng.randint(100, 600)},{rng.randint(0, 99):02d}"
        if n % 5 and ids:
            text = f"Indbetaling +71<{rng.choice(ids)}+85012345<"
        else:
            text = f"Overførsel {n} fra ukendt"
        rows.append(f"{day};{text};{amount};0,00")
    return ("\n".join(rows) + "\n").encode("cp1252")


def statement_import(lines: int):
    from loans.statement_import import import_statement
    from mikrolaan.models import Municipality

    rng = random.Random(11)
    municipality = Municipality.objects.order_by("pk").first()
    data = statement_csv(lines, rng, municipality.pk)
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(profile__municipality=municipality).first()

    def run():
        record = import_statement(
            actor=actor, municipality_id=municipality.pk, filename="bench.csv", data=data
        )
        return {
            "registered": record.registered,
            "queued": record.queued,
            "duplicates": record.duplicates,
        }

    try:
        with transaction.atomic():
            first = measure(f"import of {lines} lines", run)
            again = measure("the same file again", run)
            raise Rollback
    except Rollback:
        pass
    return first, again


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--today", default="")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database with national-scale data.")
    today = datetime.date.fromisoformat(args.today) if args.today else timezone.localdate()
    with unscoped():
        from loans.models import Instalment, Loan, Payment

        print(
            f"book: {Loan.objects.count()} loans, {Instalment.objects.count()} instalments, "
            f"{Payment.objects.count()} payments"
        )
        job, _again = reminders(today)
        imp, _dup = statement_import(args.lines)
    ok = job <= 10 and imp <= 10
    print("targets met" if ok else "a target was missed (10 s each)")
    sys.exit(0 if ok else 2)


if __name__ == "__main__":
    main()
