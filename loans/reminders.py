"""Payment reminders, the daily job (SPEC §9): the first at 10 days overdue,
the second at 30 days with a task for the team (both settings of the
municipality); each instalment and level at most once however often the job
runs; never a fee; a borrower in an agreed pause gets none.

The reminders due are found in a fixed number of queries for the whole
installation: the stored balances name the loans in arrears (allocation is
oldest first, so every instalment from a loan's oldest unpaid one on is
short), and only their unpaid instalments are read. Python then sees only
the loans in arrears and those that get a reminder today — one letter each,
naming every overdue instalment — never the whole book."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from mikrolaan.audit import record_event
from mikrolaan.jobs import daily_job
from mikrolaan.models import Municipality

from .models import (
    Instalment,
    Loan,
    LoanBalance,
    LoanState,
    PaymentAllocation,
    PaymentReminder,
    RepaymentSettings,
    Reschedule,
    StaffTask,
    TaskKind,
)

FIRST, SECOND = 1, 2


def _due_reminders(today: datetime.date, settings: dict, default) -> list:
    """(instalment, loan, municipality, level) for every reminder due today
    and not yet sent, in five queries for the whole installation. The
    balances name the loans in arrears (an index on the oldest unpaid due
    date); only their unpaid instalments are read. Level 1 stops where level 2
    begins (a job that missed days sends the second reminder, not both)."""
    first_days = min(
        [default.first_reminder_days, *(s.first_reminder_days for s in settings.values())]
    )
    latest_due = today - datetime.timedelta(days=first_days)
    candidates = {
        plan_id: (loan_id, first_seq, municipality_id)
        for loan_id, plan_id, first_seq, municipality_id in LoanBalance.objects.filter(
            loan__state=LoanState.DISBURSED,
            plan__is_current=True,
            first_unpaid_due__lte=latest_due,
        )
        .exclude(loan_id__in=Reschedule.objects.filter(pause_until__gte=today).values("loan_id"))
        .values_list("loan_id", "plan_id", "first_unpaid_seq", "municipality_id")
    }
    if not candidates:
        return []
    rows = [
        (pk, plan_id, seq, due)
        for pk, plan_id, seq, due in Instalment.objects.filter(
            plan_id__in=list(candidates), due_date__lte=latest_due
        ).values_list("pk", "plan_id", "seq", "due_date")
        if seq >= candidates[plan_id][1]
    ]
    sent = set(
        PaymentReminder.objects.filter(instalment_id__in=[r[0] for r in rows]).values_list(
            "instalment_id", "level"
        )
    )
    due = []
    for pk, plan_id, _seq, day in rows:
        loan_id, _first, municipality_id = candidates[plan_id]
        rules = settings.get(municipality_id, default)
        late = (today - day).days
        level = (
            SECOND
            if late >= rules.second_reminder_days
            else FIRST
            if late >= rules.first_reminder_days
            else None
        )
        if level and (pk, level) not in sent:
            due.append((pk, loan_id, municipality_id, level))
    return due


@transaction.atomic
def send_reminders(*, today: datetime.date) -> dict:
    """Today's reminders for the whole installation. Runs one at a time (the
    municipalities' rows are locked), so two runs at once cannot both send."""
    list(Municipality.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    settings = {s.municipality_id: s for s in RepaymentSettings.objects.all()}
    default = RepaymentSettings()
    due = _due_reminders(today, settings, default)
    if not due:
        return {"reminders": 0, "letters": 0, "tasks": 0}
    # bulk_create checks each row's parent municipality through ``loan``:
    # give it the loans in one query rather than one each.
    loans = Loan.objects.select_related("case", "citizen", "municipality").in_bulk(
        {loan_id for _pk, loan_id, _m, _l in due}
    )
    new = [
        PaymentReminder(
            municipality_id=municipality_id,
            loan=loans[loan_id],
            instalment_id=pk,
            level=level,
            sent_on=today,
        )
        for pk, loan_id, municipality_id, level in due
    ]
    PaymentReminder.objects.bulk_create(new, batch_size=2000)

    level_of = defaultdict(int)
    for reminder in new:
        level_of[reminder.loan_id] = max(level_of[reminder.loan_id], reminder.level)
    letters = _letters(loans, level_of, today=today, settings=settings, default=default)
    tasks = _tasks(loans, [lid for lid, lvl in level_of.items() if lvl == SECOND], today=today)
    per_municipality = defaultdict(int)
    for reminder in new:
        per_municipality[reminder.municipality_id] += 1
    for municipality in Municipality.objects.filter(pk__in=list(per_municipality)):
        record_event(
            actor=None,
            action="loan.reminders_sent",
            obj=municipality,
            data={"reminders": per_municipality[municipality.pk], "day": str(today)},
        )
    return {"reminders": len(new), "letters": letters, "tasks": tasks}


def _letters(loans: dict, level_of: dict, *, today, settings: dict, default) -> int:
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
                "pause_contact": settings.get(loan.municipality_id, default).pause_contact,
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
    return send_reminders(today=today)
