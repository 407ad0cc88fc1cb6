"""Payment reminders, the daily job (SPEC §9): the first at 10 days overdue,
the second at 30 days with a task for the team (both settings of the
municipality); each instalment and level at most once however often the job
runs; never a fee; a borrower in an agreed pause gets none.

The overdue instalments are found in one query per municipality and level
(the balance knows each loan's oldest unpaid instalment; allocation is
oldest first, so every instalment from it on is short). Python then sees
only the loans that get a reminder today — one letter each, naming every
overdue instalment — never the whole book."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.utils.translation import gettext as _

from mikrolaan.audit import record_event
from mikrolaan.jobs import daily_job
from mikrolaan.models import Municipality

from .models import (
    Instalment,
    Loan,
    LoanState,
    PaymentAllocation,
    PaymentReminder,
    RepaymentSettings,
    Reschedule,
    StaffTask,
    TaskKind,
)

FIRST, SECOND = 1, 2


def overdue_instalments(*, municipality_id: int, today: datetime.date, level: int, settings):
    """Instalments that reach ``level`` today and have not had it: short of
    their amount, on a running loan's current plan, not in a pause. Level 1
    stops where level 2 begins (a job that missed days sends the second
    reminder, not both)."""
    first_cut = today - datetime.timedelta(days=settings.first_reminder_days)
    second_cut = today - datetime.timedelta(days=settings.second_reminder_days)
    rows = Instalment.objects.filter(
        municipality_id=municipality_id,
        plan__is_current=True,
        plan__loan__state=LoanState.DISBURSED,
        seq__gte=F("plan__loan__balance__first_unpaid_seq"),
        plan__loan__balance__plan=F("plan"),
    )
    if level == FIRST:
        rows = rows.filter(due_date__lte=first_cut, due_date__gt=second_cut)
    else:
        rows = rows.filter(due_date__lte=second_cut)
    return rows.filter(
        ~Exists(PaymentReminder.objects.filter(instalment=OuterRef("pk"), level=level)),
        ~Exists(Reschedule.objects.filter(loan=OuterRef("plan__loan"), pause_until__gte=today)),
    )


@transaction.atomic
def send_reminders_for(municipality_id: int, *, today: datetime.date) -> dict:
    """One municipality's reminders for today. Runs serialised per
    municipality (the settings row is locked), so two runs at once cannot
    both send."""
    settings, _created = RepaymentSettings.objects.get_or_create(municipality_id=municipality_id)
    settings = RepaymentSettings.objects.select_for_update().get(pk=settings.pk)
    new = []
    for level in (FIRST, SECOND):
        for pk, loan_id in overdue_instalments(
            municipality_id=municipality_id, today=today, level=level, settings=settings
        ).values_list("pk", "plan__loan_id"):
            new.append(
                PaymentReminder(
                    municipality_id=municipality_id,
                    loan_id=loan_id,
                    instalment_id=pk,
                    level=level,
                    sent_on=today,
                )
            )
    if not new:
        return {"reminders": 0, "letters": 0, "tasks": 0}
    # bulk_create checks each row's parent municipality through ``loan``:
    # give it the loans in one query rather than one each.
    loans = Loan.objects.select_related("case", "citizen", "municipality").in_bulk(
        {r.loan_id for r in new}
    )
    for reminder in new:
        reminder.loan = loans[reminder.loan_id]
    PaymentReminder.objects.bulk_create(new, batch_size=2000)

    level_of = defaultdict(int)
    for reminder in new:
        level_of[reminder.loan_id] = max(level_of[reminder.loan_id], reminder.level)
    letters = _letters(loans, level_of, today=today, settings=settings)
    tasks = _tasks(loans, [lid for lid, lvl in level_of.items() if lvl == SECOND], today=today)
    record_event(
        actor=None,
        action="loan.reminders_sent",
        obj=Municipality.objects.get(pk=municipality_id),
        data={"reminders": len(new), "letters": letters, "tasks": tasks, "day": str(today)},
    )
    return {"reminders": len(new), "letters": letters, "tasks": tasks}


def _letters(loans: dict, level_of: dict, *, today, settings) -> int:
    """One letter per loan: every overdue instalment with what is missing."""
    from mikrolaan.letters.services import request_letter

    overdue = defaultdict(list)
    rows = Instalment.objects.filter(
        plan__loan_id__in=list(level_of),
        plan__is_current=True,
        seq__gte=F("plan__loan__balance__first_unpaid_seq"),
        due_date__lt=today,
    ).values_list("pk", "plan__loan_id", "seq", "due_date", "amount")
    rows = list(rows)
    paid = dict(
        PaymentAllocation.objects.filter(instalment_id__in=[r[0] for r in rows])
        .values("instalment_id")
        .annotate(s=Sum("amount"))
        .values_list("instalment_id", "s")
    )
    for pk, loan_id, seq, due, amount in sorted(rows, key=lambda r: (r[1], r[2])):
        overdue[loan_id].append(
            {
                "seq": seq,
                "due_date": due.isoformat(),
                "amount": str(amount),
                "unpaid": str(amount - (paid.get(pk) or Decimal(0))),
            }
        )
    count = 0
    for loan_id, level in sorted(level_of.items()):
        loan, items = loans[loan_id], overdue[loan_id]
        if not items:
            continue
        letter = request_letter(
            kind="payment_reminder",
            case=loan.case,
            recipient=loan.citizen,
            author=None,
            subject=_("Påmindelse om afdrag på dit mikrolån")
            if level == FIRST
            else _("Anden påmindelse om afdrag på dit mikrolån"),
            context={
                "level": level,
                "instalments": items,
                "total": str(sum(Decimal(i["unpaid"]) for i in items)),
                "fi_line": loan.fi_line() if loan.municipality.fi_creditor_number else "",
                "payment_id": loan.payment_id,
                "pause_contact": settings.pause_contact,
            },
        )
        PaymentReminder.objects.filter(loan_id=loan_id, sent_on=today, letter=None).update(
            letter=letter
        )
        count += 1
    return count


def _tasks(loans: dict, loan_ids: list[int], *, today) -> int:
    """The second reminder gives the team a task: call the borrower. Keyed
    by loan and day, so a second run finds it."""
    made = 0
    for loan_id in loan_ids:
        loan = loans[loan_id]
        _task, created = StaffTask.objects.get_or_create(
            key=f"loan-reminder-2:{loan_id}:{today.isoformat()}",
            defaults={
                "case": loan.case,
                "loan": loan,
                "municipality_id": loan.municipality_id,
                "kind": TaskKind.FOLLOW_UP,
                "title": _("Ring til låntageren: afdrag mere end 30 dage forsinket (lån %(id)s)")
                % {"id": loan.payment_id},
                "due_on": today + datetime.timedelta(days=7),
                "assigned_to_id": loan.case.responsible_id,
            },
        )
        made += created
    return made


@daily_job("payment_reminders")
def send_payment_reminders(*, today):
    """Every municipality's payment reminders for today."""
    totals = defaultdict(int)
    ids = (
        Loan.objects.filter(state=LoanState.DISBURSED)
        .values_list("municipality_id", flat=True)
        .distinct()
        .order_by()
    )
    for municipality_id in list(ids):
        for key, value in send_reminders_for(municipality_id, today=today).items():
            totals[key] += value
    return dict(totals)
