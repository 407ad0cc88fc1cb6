"""Writes of the repayment: payments, reversals, the replay that stores the
allocation, rescheduling (SPEC §7).

Every change to a loan's payments or plan ends in ``reallocate``: it replays
the plan, the payments and the reversals through the pure
``loans.allocation.allocate`` and rewrites the stored allocation and balance
of the current plan — for any number of loans in a fixed number of queries
(a statement import of 10,000 lines does not loop over loans in SQL)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.audit import record_event
from mikrolaan.formatting import format_kr

from .allocation import ØRE, PaymentIn, PlanInstalment, allocate
from .models import (
    Instalment,
    Loan,
    LoanBalance,
    LoanState,
    LoanTransition,
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentReversal,
    Refund,
    RepaymentPlan,
    RepaymentSettings,
    Reschedule,
    RescheduleKind,
)
from .reschedule import add_months, month_due_date, reschedule
from .services import LoanRefused

# A payment can be registered on a loan in these states; on a written-off
# loan it is a recovery.
PAYABLE_STATES = (LoanState.DISBURSED, LoanState.REPAID, LoanState.WRITTEN_OFF)


def _transition(loan: Loan, name: str, *, actor, data: dict):
    from_state = loan.state
    getattr(loan, name)()
    loan.save()
    LoanTransition.objects.create(
        loan=loan, actor=actor, transition=name, from_state=from_state, to_state=loan.state
    )
    record_event(
        actor=actor,
        action=f"loan.{name}",
        obj=loan,
        from_state=from_state,
        to_state=loan.state,
        data=data,
    )


def reallocate(loan_ids, *, actor=None) -> dict:
    """Replay the current plan of each loan from scratch and store the
    result: the allocation rows of the current plan, the balance, and the
    loan's state (repaid when the last krone is allocated; running again if
    a reversal takes it back). Inside the caller's transaction; the caller
    holds the loans' row locks. Returns ``{loan_id: Allocation}``."""
    loan_ids = sorted(set(loan_ids))
    if not loan_ids:
        return {}
    loans = {
        loan.pk: loan
        for loan in Loan.objects.select_for_update().filter(pk__in=loan_ids).order_by("pk")
    }
    plans = {
        plan.loan_id: plan
        for plan in RepaymentPlan.objects.filter(loan_id__in=loan_ids, is_current=True)
    }
    rows = defaultdict(list)
    instalment_pk = {}
    for plan_id, pk, seq, due, amount in Instalment.objects.filter(
        plan_id__in=[p.pk for p in plans.values()]
    ).values_list("plan_id", "pk", "seq", "due_date", "amount"):
        rows[plan_id].append(PlanInstalment(seq, due, amount))
        instalment_pk[plan_id, seq] = pk
    payments = defaultdict(list)
    stubs = {}
    for payment in Payment.objects.filter(loan_id__in=loan_ids).only(
        "id", "loan_id", "value_date", "amount", "municipality_id"
    ):
        payments[payment.loan_id].append(payment)
        stubs[payment.pk] = payment
    reversed_ids = set(
        PaymentReversal.objects.filter(payment__loan_id__in=loan_ids).values_list(
            "payment_id", flat=True
        )
    )
    refunds = defaultdict(list)
    for loan_id, amount in Refund.objects.filter(
        loan_id__in=loan_ids, reversal__isnull=True
    ).values_list("loan_id", "amount"):
        refunds[loan_id].append(amount)

    results, new_rows, balances = {}, [], []
    for loan_id, plan in plans.items():
        mine = payments[loan_id]
        result = allocate(
            rows[plan.pk],
            [PaymentIn(p.pk, p.value_date, p.amount, p.pk) for p in mine],
            [p.pk for p in mine if p.pk in reversed_ids],
            refunds[loan_id],
        )
        results[loan_id] = result
        for pid, parts in result.by_payment.items():
            for seq, amount in parts:
                new_rows.append(
                    PaymentAllocation(
                        payment=stubs[pid],
                        plan_id=plan.pk,
                        instalment_id=instalment_pk[plan.pk, seq],
                        amount=amount,
                        municipality_id=plan.municipality_id,
                    )
                )
        for pid, amount in result.overpayment_by_payment.items():
            new_rows.append(
                PaymentAllocation(
                    payment=stubs[pid],
                    plan_id=plan.pk,
                    instalment=None,
                    amount=amount,
                    municipality_id=plan.municipality_id,
                )
            )
        first_unpaid = next(
            (
                i
                for i in sorted(rows[plan.pk], key=lambda i: i.seq)
                if result.by_instalment[i.seq] < i.amount
            ),
            None,
        )
        balances.append(
            LoanBalance(
                loan=loans[loan_id],
                plan=plan,
                principal=result.principal,
                paid=result.paid,
                allocated=result.allocated,
                overpayment=result.overpayment,
                refunded=result.refunded,
                first_unpaid_seq=first_unpaid.seq if first_unpaid else None,
                first_unpaid_due=first_unpaid.due_date if first_unpaid else None,
                municipality_id=plan.municipality_id,
            )
        )
    PaymentAllocation.objects.filter(plan_id__in=[p.pk for p in plans.values()]).delete()
    PaymentAllocation.objects.bulk_create(new_rows, batch_size=2000)
    LoanBalance.objects.bulk_create(
        balances,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["loan"],
        update_fields=[
            "plan",
            "principal",
            "paid",
            "allocated",
            "overpayment",
            "refunded",
            "first_unpaid_seq",
            "first_unpaid_due",
            "updated_at",
        ],
    )
    for loan_id, result in results.items():
        loan = loans[loan_id]
        if loan.state == LoanState.DISBURSED and result.repaid:
            completed = max(
                (stubs[pid].value_date for pid, parts in result.by_payment.items() if parts),
                default=timezone.localdate(),
            )
            loan.repaid_on = completed
            _transition(loan, "mark_repaid", actor=actor, data={"repaid_on": str(completed)})
        elif loan.state == LoanState.REPAID and not result.repaid:
            loan.repaid_on = None
            _transition(loan, "reopen", actor=actor, data={"outstanding": str(result.outstanding)})
    return results


# How many instalments from the oldest unpaid one the fast path reads; a
# payment that reaches beyond them is replayed in full instead.
WINDOW = 6


def allocate_new_payments(payments, *, actor=None) -> None:
    """Allocate payments just registered (inside the caller's transaction).

    A payment that comes after every active payment of its loan — the usual
    case: today's payment, a statement of the last days — pays on from the
    stored balance: the oldest unpaid instalment and a few after it are read,
    the new allocation rows inserted, the balance moved on. That is exactly
    what a replay would give, without re-reading the loan's history (the
    property tests hold the two equal). Any other loan — a backdated
    payment, a plan changed since, a payment reaching further, a loan that
    becomes repaid — is replayed from scratch by ``reallocate``."""
    from django.db.models import Max

    by_loan = defaultdict(list)
    for payment in payments:
        by_loan[payment.loan_id].append(payment)
    if not by_loan:
        return
    loan_ids = sorted(by_loan)
    # Loans first, in id order, as every other writer does: no deadlocks.
    list(Loan.objects.select_for_update().filter(pk__in=loan_ids).order_by("pk").values("pk"))
    new_ids = [p.pk for p in payments]
    last = dict(
        Payment.objects.filter(loan_id__in=loan_ids, reversal__isnull=True)
        .exclude(pk__in=new_ids)
        .values("loan_id")
        .annotate(last=Max("value_date"))
        .values_list("loan_id", "last")
    )
    balances = {
        b.loan_id: b
        for b in LoanBalance.objects.select_for_update()
        .filter(loan_id__in=loan_ids, plan__is_current=True)
        .select_related("plan", "loan")
    }
    slow, fast = set(), []
    for loan_id in loan_ids:
        balance = balances.get(loan_id)
        mine = sorted(by_loan[loan_id], key=lambda p: (p.value_date, p.pk))
        if balance is None or (last.get(loan_id) and mine[0].value_date < last[loan_id]):
            slow.add(loan_id)
        else:
            fast.append((balance, mine))
    window = defaultdict(list)
    paid_first = {}
    if fast:
        plan_ids = [b.plan_id for b, _m in fast]
        for plan_id, pk, seq, amount in Instalment.objects.filter(
            plan_id__in=plan_ids,
            plan__loan__balance__plan_id=F("plan_id"),
            seq__gte=F("plan__loan__balance__first_unpaid_seq"),
            seq__lt=F("plan__loan__balance__first_unpaid_seq") + WINDOW,
        ).values_list("plan_id", "pk", "seq", "amount"):
            window[plan_id].append((seq, pk, amount))
        paid_first = dict(
            PaymentAllocation.objects.filter(
                plan_id__in=plan_ids,
                plan__loan__balance__plan_id=F("plan_id"),
                instalment__seq=F("plan__loan__balance__first_unpaid_seq"),
            )
            .values("plan_id")
            .annotate(s=Sum("amount"))
            .values_list("plan_id", "s")
        )
    rows, changed = [], []
    for balance, mine in fast:
        plan = balance.plan
        todo = sorted(window[plan.pk])
        paid = {seq: Decimal(0) for seq, _pk, _a in todo}
        if todo:
            paid[todo[0][0]] = paid_first.get(plan.pk) or Decimal(0)
        reaches_end = balance.first_unpaid_seq is None or (todo and todo[-1][0] >= plan.term_months)
        mine_rows, allocated, over, index = [], Decimal(0), Decimal(0), 0
        ok = True
        for payment in mine:
            left = payment.amount
            while left > 0 and index < len(todo):
                seq, pk, amount = todo[index]
                take = min(left, amount - paid[seq])
                paid[seq] += take
                left -= take
                allocated += take
                mine_rows.append((payment, pk, take))
                if paid[seq] >= amount:
                    index += 1
            if left > 0:
                if not reaches_end:
                    ok = False
                    break
                over += left
                mine_rows.append((payment, None, left))
        becomes_repaid = balance.allocated + allocated == balance.principal
        # The window paid up but the plan goes on: where it stands is not known here.
        beyond = index >= len(todo) and not becomes_repaid
        if not ok or beyond or (becomes_repaid and balance.loan.state == LoanState.DISBURSED):
            slow.add(balance.loan_id)
            continue
        for payment, pk, amount in mine_rows:
            rows.append(
                PaymentAllocation(
                    payment=payment,
                    plan_id=plan.pk,
                    instalment_id=pk,
                    amount=amount,
                    municipality_id=plan.municipality_id,
                )
            )
        next_unpaid = todo[index] if index < len(todo) else None
        balance.paid += sum((p.amount for p in mine), Decimal(0))
        balance.allocated += allocated
        balance.overpayment += over
        if next_unpaid is None and becomes_repaid:
            balance.first_unpaid_seq = balance.first_unpaid_due = None
        elif next_unpaid is not None and next_unpaid[0] != balance.first_unpaid_seq:
            balance.first_unpaid_seq = next_unpaid[0]
            balance.first_unpaid_due = None  # set below from the instalment
        changed.append(balance)
    PaymentAllocation.objects.bulk_create(rows, batch_size=5000)
    moved = [b for b in changed if b.first_unpaid_seq and b.first_unpaid_due is None]
    if moved:
        lookup = {
            (plan_id, seq): day
            for plan_id, seq, day in Instalment.objects.filter(
                plan_id__in=[b.plan_id for b in moved], seq__in={b.first_unpaid_seq for b in moved}
            ).values_list("plan_id", "seq", "due_date")
        }
        for b in moved:
            b.first_unpaid_due = lookup[b.plan_id, b.first_unpaid_seq]
    now = timezone.now()
    for b in changed:
        b.updated_at = now
    LoanBalance.objects.bulk_update(
        changed,
        ["paid", "allocated", "overpayment", "first_unpaid_seq", "first_unpaid_due", "updated_at"],
        batch_size=2000,
    )
    if slow:
        reallocate(slow, actor=actor)


def payment_problems(loan: Loan, *, value_date, amount) -> list[str]:
    problems = []
    if loan.state not in PAYABLE_STATES:
        problems.append(_("Der kan kun registreres indbetalinger på et udbetalt lån."))
    if value_date is None:
        problems.append(_("Skriv valørdatoen."))
    else:
        if loan.disbursed_on and value_date < loan.disbursed_on:
            problems.append(_("Valørdatoen ligger før udbetalingen af lånet."))
        if value_date > timezone.localdate():
            problems.append(_("Valørdatoen kan ikke ligge i fremtiden."))
    if amount is None or amount <= 0:
        problems.append(_("Beløbet skal være større end 0 kr."))
    elif amount != amount.quantize(ØRE):
        problems.append(_("Beløbet skal være i hele øre."))
    return problems


def _new_payment(loan, *, actor, value_date, amount, method, reference) -> Payment:
    return Payment(
        loan=loan,
        value_date=value_date,
        amount=amount,
        method=method,
        reference=(reference or "")[:140],
        is_recovery=loan.state == LoanState.WRITTEN_OFF,
        registered_by=actor,
        registered_at=timezone.now(),
    )


@transaction.atomic
def register_payment(
    *,
    actor,
    loan: Loan,
    value_date: datetime.date,
    amount: Decimal,
    method: str = PaymentMethod.BANK_TRANSFER,
    reference: str = "",
) -> Payment:
    """Register money received on a loan and re-allocate: a payment with an
    earlier value date than others moves every later one. On a written-off
    loan the payment is a recovery; beyond the principal it is held as an
    overpayment to refund."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    amount = Decimal(amount) if amount is not None else None
    problems = payment_problems(loan, value_date=value_date, amount=amount)
    if method not in PaymentMethod.values:
        problems.append(_("Vælg en betalingsmåde."))
    if problems:
        raise LoanRefused(problems)
    payment = _new_payment(
        loan, actor=actor, value_date=value_date, amount=amount, method=method, reference=reference
    )
    payment.full_clean()
    payment.save()
    record_event(
        actor=actor,
        action="payment.registered",
        obj=loan,
        data={
            "payment": payment.pk,
            "value_date": str(value_date),
            "amount": str(amount),
            "method": method,
            "recovery": payment.is_recovery,
        },
    )
    allocate_new_payments([payment], actor=actor)
    return payment


@transaction.atomic
def reverse_payment(*, actor, payment: Payment, reason: str) -> PaymentReversal:
    """Take a wrong payment back, with the reason. The payment stays (never
    deleted or edited); every later payment is re-allocated."""
    loan = Loan.objects.select_for_update().get(pk=payment.loan_id)
    reason = (reason or "").strip()
    if not reason:
        raise LoanRefused([_("Skriv begrundelsen for tilbageførslen.")])
    if PaymentReversal.objects.filter(payment_id=payment.pk).exists():
        raise LoanRefused([_("Indbetalingen er allerede tilbageført.")])
    reversal = PaymentReversal.objects.create(
        payment=payment, reason=reason, reversed_by=actor, reversed_at=timezone.now()
    )
    record_event(
        actor=actor,
        action="payment.reversed",
        obj=loan,
        reason=reason,
        data={"payment": payment.pk, "amount": str(payment.amount)},
    )
    reallocate([loan.pk], actor=actor)
    return reversal


# --- rescheduling ---------------------------------------------------------------------


def first_due_after(day: datetime.date, due_day: int) -> datetime.date:
    """The first due date after ``day``: in the month after it."""
    year, month = add_months(day.year, day.month, 1)
    return month_due_date(year, month, due_day)


def reschedule_problems(loan: Loan, actor, *, kind, pause_months, new_amount, reasons) -> list:
    from mikrolaan.roles import Role, has_role

    problems = []
    if loan.state != LoanState.DISBURSED:
        problems.append(_("Kun et lån, der løber, kan få en ny afdragsplan."))
    if not has_role(actor, Role.TEAM_LEAD):
        problems.append(_("En ændring af afdragsplanen afgøres af en teamleder."))
    if kind == RescheduleKind.PAUSE and not (pause_months and 1 <= pause_months <= 24):
        problems.append(_("En betalingspause er 1–24 måneder."))
    if kind == RescheduleKind.AMOUNT and (
        new_amount is None or new_amount < 1 or new_amount != new_amount.to_integral_value()
    ):
        problems.append(_("Det nye afdrag er hele kroner, mindst 1 kr."))
    if kind not in RescheduleKind.values:
        problems.append(_("Vælg betalingspause eller nyt afdragsbeløb."))
    if not (reasons or "").strip():
        problems.append(_("Skriv begrundelsen for afgørelsen."))
    return problems


@transaction.atomic
def reschedule_loan(
    *,
    actor,
    loan: Loan,
    kind: str,
    reasons: str,
    pause_months: int = 0,
    new_amount: Decimal | None = None,
    keep_end: bool = False,
    decided_on: datetime.date | None = None,
) -> Reschedule:
    """A team lead's decision: a payment pause of N months or a new
    instalment amount. The paid part of the plan is kept, the outstanding
    principal re-amortised in whole kroner (``loans.reschedule``); the new
    plan becomes current, the old one stays as history, every payment keeps
    its allocation, and the borrower gets a decision letter."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    pause_months = int(pause_months or 0) if kind == RescheduleKind.PAUSE else 0
    new_amount = Decimal(new_amount) if kind == RescheduleKind.AMOUNT and new_amount else None
    problems = reschedule_problems(
        loan, actor, kind=kind, pause_months=pause_months, new_amount=new_amount, reasons=reasons
    )
    if problems:
        raise LoanRefused(problems)
    decided_on = decided_on or timezone.localdate()
    # The replay first, so the kept part is what the payments really paid.
    result = reallocate([loan.pk], actor=actor)[loan.pk]
    if result.repaid:
        raise LoanRefused([_("Lånet er betalt: der er intet at omlægge.")])
    old = RepaymentPlan.objects.select_for_update().get(loan=loan, is_current=True)
    old_rows = [
        PlanInstalment(seq, due, amount)
        for seq, due, amount in old.instalments.values_list("seq", "due_date", "amount")
    ]
    first_due = first_due_after(decided_on, loan.due_day)
    new_rows = reschedule(
        old_rows,
        result.by_instalment,
        first_due=first_due,
        due_day=loan.due_day,
        pause_months=pause_months,
        new_amount=new_amount,
        keep_end=keep_end,
    )
    RepaymentPlan.objects.filter(pk=old.pk).update(is_current=False)
    plan = RepaymentPlan.objects.create(
        loan=loan,
        version=old.version + 1,
        is_current=True,
        principal=old.principal,
        term_months=len(new_rows),
        starts_after=decided_on,
        due_day=loan.due_day,
        reason=reasons.strip(),
        created_by=actor,
    )
    Instalment.objects.bulk_create(
        Instalment(
            plan=plan,
            seq=r.seq,
            due_date=r.due_date,
            amount=r.amount,
            municipality_id=loan.municipality_id,
        )
        for r in new_rows
    )
    first_new = next(
        r for r in new_rows if r.seq > max([0, *(s for s, v in result.by_instalment.items() if v)])
    )
    decision = Reschedule.objects.create(
        loan=loan,
        kind=kind,
        pause_months=pause_months,
        new_amount=new_amount,
        keep_end=keep_end,
        pause_until=(first_new.due_date - datetime.timedelta(days=1)) if pause_months else None,
        old_plan=old,
        new_plan=plan,
        outstanding=result.outstanding,
        reasons=reasons.strip(),
        decided_by=actor,
        decided_on=decided_on,
    )
    record_event(
        actor=actor,
        action="loan.rescheduled",
        obj=loan,
        reason=reasons.strip(),
        data={
            "kind": kind,
            "pause_months": pause_months,
            "new_amount": str(new_amount) if new_amount else None,
            "old_plan": old.version,
            "new_plan": plan.version,
            "outstanding": str(result.outstanding),
        },
    )
    reallocate([loan.pk], actor=actor)
    decision.letter = _reschedule_letter(decision, actor=actor, rows=new_rows, first_new=first_new)
    decision.save(update_fields=["letter"])
    return decision


def _reschedule_letter(decision: Reschedule, *, actor, rows, first_new):
    from mikrolaan.letters.services import request_letter

    loan = decision.loan
    fresh = [r for r in rows if r.seq >= first_new.seq]
    if decision.kind == RescheduleKind.PAUSE:
        decided = _(
            "Du får en betalingspause på %(months)s måneder. Din næste rate forfalder den "
            "%(first)s."
        ) % {"months": decision.pause_months, "first": first_new.due_date.strftime("%d.%m.%Y")}
    else:
        decided = _("Dit afdrag ændres til højst %(amount)s om måneden fra den %(first)s.") % {
            "amount": format_kr(decision.new_amount),
            "first": first_new.due_date.strftime("%d.%m.%Y"),
        }
    return request_letter(
        kind="reschedule_decision",
        case=loan.case,
        recipient=loan.citizen,
        author=actor,
        context={
            "title": _("Afgørelse om ændring af din afdragsplan"),
            "decision": decided,
            "decided_on": decision.decided_on.isoformat(),
            "outstanding": str(decision.outstanding),
            "instalments": [
                {"seq": r.seq, "due_date": r.due_date.isoformat(), "amount": str(r.amount)}
                for r in fresh
            ],
            "reasons": decision.reasons,
            "fi_line": loan.fi_line() if loan.municipality.fi_creditor_number else "",
            "payment_id": loan.payment_id,
        },
    )


@transaction.atomic
def save_settings(*, actor, municipality, settings: RepaymentSettings, csv_columns: dict):
    """The municipality's reminder days, pause contact and CSV columns, audited."""
    settings.municipality = municipality
    settings.csv_columns = {k: (v or "").strip() for k, v in csv_columns.items()}
    settings.full_clean()
    settings.save()
    record_event(
        actor=actor,
        action="repayment.settings_changed",
        obj=municipality,
        data={
            "first_reminder_days": settings.first_reminder_days,
            "second_reminder_days": settings.second_reminder_days,
            "csv_columns": settings.csv_columns,
        },
    )
    return settings


def paid_provider(loan: Loan, instalments) -> dict:
    """What each instalment of the loan's plan has received (the loan page
    and the portal ask through ``loans.selectors.register_paid_provider``):
    one query."""
    from django.db.models import Sum

    ids = {i.pk for i in instalments}
    if not ids:
        return {}
    # By plan (an index, one parameter) rather than 120 instalment ids.
    rows = (
        PaymentAllocation.objects.filter(
            plan_id__in=sorted({i.plan_id for i in instalments}), instalment_id__isnull=False
        )
        .values("instalment_id")
        .annotate(s=Sum("amount"))
        .values_list("instalment_id", "s")
    )
    return {pk: paid for pk, paid in rows if pk in ids}
