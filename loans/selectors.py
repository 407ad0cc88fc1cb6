"""Reads of support grants, loans and plans that span relations; a fixed
number of queries, whatever a loan or a case holds.

What is paid comes from a provider the repayment work registers
(``register_paid_provider``); without one nothing is paid yet. A provider is
``(loan, instalments) -> {instalment_id: paid Decimal}`` and must run a fixed
number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.utils import timezone

from .models import (
    Instalment,
    Loan,
    LoanState,
    LoanTransition,
    RepaymentPlan,
    StaffTask,
    SupportDecision,
    SupportGrant,
    SupportState,
)

SHOWN = 25
ZERO = Decimal("0")

_PAID_PROVIDERS: list[Callable] = []


def register_paid_provider(provider: Callable) -> None:
    """The repayment work tells the pages what is paid of each instalment."""
    if provider not in _PAID_PROVIDERS:
        _PAID_PROVIDERS.append(provider)


def paid_by_instalment(loan: Loan, instalments: list[Instalment]) -> dict[int, Decimal]:
    paid: dict[int, Decimal] = {}
    for provider in _PAID_PROVIDERS:
        for pk, amount in provider(loan, instalments).items():
            paid[pk] = paid.get(pk, ZERO) + amount
    return paid


@dataclass
class PlanRow:
    """An instalment of a plan as the loan pages show it: what was read, and
    what ``loan_overview`` works out (paid, remaining, is_paid, is_overdue)."""

    pk: int
    plan_id: int
    seq: int
    due_date: datetime.date
    amount: Decimal
    paid: Decimal = ZERO
    remaining: Decimal = ZERO
    is_paid: bool = False
    is_overdue: bool = False


@dataclass
class LoanOverview:
    """A loan with its current plan, each instalment's paid and outstanding
    amount, and the totals the borrower and the team look at."""

    loan: Loan
    plan: RepaymentPlan | None
    instalments: list[PlanRow] = field(default_factory=list)
    paid_total: Decimal = ZERO
    outstanding: Decimal = ZERO
    next_due: Instalment | None = None
    overdue: list[Instalment] = field(default_factory=list)
    # Paid beyond the principal and not yet refunded; negative: refunded
    # more than is now overpaid (owed back). From the stored balance.
    held_overpayment: Decimal = ZERO

    @property
    def owed_back(self) -> Decimal:
        return -self.held_overpayment if self.held_overpayment < 0 else ZERO


_LOAN_PAGE_PEOPLE = (
    "recommended_by",
    "approved_by",
    "disbursed_by",
    "closed_by",
    "read_access_consent_by",
)


def loan_for_page(pk: int) -> Loan:
    """One loan with the citizen, case, municipality, letter and balance its
    page names, and the staff who took its steps (two queries). The staff are
    read apart: one statement joining all nine tables cost PostgreSQL about
    2.5 ms to plan (against 0.4 ms for five), more than both queries take
    to run."""
    loan = Loan.objects.select_related("citizen", "case", "municipality", "letter", "balance").get(
        pk=pk
    )
    ids = {getattr(loan, f"{name}_id") for name in _LOAN_PAGE_PEOPLE} - {None}
    if ids:
        people = get_user_model().objects.in_bulk(ids)
        for name in _LOAN_PAGE_PEOPLE:
            person = people.get(getattr(loan, f"{name}_id"))
            if person is not None:
                setattr(loan, name, person)
    return loan


def current_plan(loan: Loan) -> RepaymentPlan | None:
    return RepaymentPlan.objects.filter(loan=loan, is_current=True).first()


def plan_history(loan: Loan) -> list[RepaymentPlan]:
    return list(RepaymentPlan.objects.filter(loan=loan).select_related("created_by"))


def loan_overview(loan: Loan, *, today: datetime.date | None = None) -> LoanOverview:
    """The current plan and its instalments with what is paid: two queries
    plus the paid providers', however long the plan."""
    today = today or timezone.localdate()
    plan = current_plan(loan)
    overview = LoanOverview(loan=loan, plan=plan, held_overpayment=_held(loan))
    if plan is None:
        overview.outstanding = loan.principal if loan.state in (LoanState.DISBURSED,) else ZERO
        return overview
    # Plain rows, not model instances: a ten-year plan is 120 of them, and
    # building an instance each cost more than the query.
    instalments = [
        PlanRow(pk=pk, plan_id=plan_id, seq=seq, due_date=due_date, amount=amount)
        for pk, plan_id, seq, due_date, amount in Instalment.objects.filter(plan=plan)
        .order_by("seq")
        .values_list("pk", "plan_id", "seq", "due_date", "amount")
    ]
    paid = paid_by_instalment(loan, instalments)
    for i in instalments:
        i.paid = min(paid.get(i.pk, ZERO), i.amount)
        i.remaining = i.amount - i.paid
        i.is_paid = i.remaining <= 0
        i.is_overdue = not i.is_paid and i.due_date < today
    overview.instalments = instalments
    overview.paid_total = sum((paid.get(i.pk, ZERO) for i in instalments), ZERO)
    overview.outstanding = max(plan.principal - overview.paid_total, ZERO)
    overview.next_due = next((i for i in instalments if not i.is_paid), None)
    overview.overdue = [i for i in instalments if i.is_overdue]
    return overview


def _held(loan: Loan) -> Decimal:
    # The balance comes with the loan (select_related in loan_for_page and
    # loans_for_citizen); without it, no query is spent on it here.
    balance = Loan.balance.related.get_cached_value(loan, default=None)
    return balance.held_overpayment if balance is not None else ZERO


def loan_history(loan: Loan) -> list[LoanTransition]:
    return list(
        LoanTransition.objects.filter(loan=loan).select_related("actor").order_by("at", "pk")
    )


def loans_for_case(case) -> list[Loan]:
    """Every loan recommended on the case, newest first (one query)."""
    return list(
        Loan.objects.filter(case=case)
        .select_related("recommended_by", "approved_by")
        .order_by("-created_at", "-pk")
    )


def loans_for_citizen(citizen) -> list[Loan]:
    """The borrower's loans that were approved (the portal shows these)."""
    return list(
        Loan.objects.filter(
            citizen=citizen,
            state__in=[
                LoanState.APPROVED,
                LoanState.DISBURSED,
                LoanState.REPAID,
                LoanState.WRITTEN_OFF,
            ],
        )
        .select_related("municipality", "balance")
        .order_by("-created_at", "-pk")
    )


def support_for_case(case) -> tuple[list[SupportGrant], list[SupportDecision]]:
    """The case's support grants and every support decision (two queries)."""
    grants = list(SupportGrant.objects.filter(case=case).order_by("-starts_on", "-pk"))
    decisions = list(
        SupportDecision.objects.filter(case=case)
        .select_related("decided_by", "letter")
        .order_by("-decided_at", "-pk")
    )
    return grants, decisions


def support_for_citizen(citizen) -> list[SupportGrant]:
    return list(SupportGrant.objects.filter(case__citizen=citizen).order_by("-starts_on", "-pk"))


def loans_awaiting_approval() -> tuple[list[Loan], bool]:
    """Recommended loans waiting for a team lead (the start page)."""
    rows = list(
        Loan.objects.filter(state=LoanState.RECOMMENDED)
        .select_related("case", "citizen", "recommended_by")
        .order_by("recommended_at", "pk")[: SHOWN + 1]
    )
    return rows[:SHOWN], len(rows) > SHOWN


def loans_awaiting_payout() -> tuple[list[Loan], bool]:
    rows = list(
        Loan.objects.filter(state=LoanState.APPROVED)
        .select_related("case", "citizen")
        .order_by("approved_at", "pk")[: SHOWN + 1]
    )
    return rows[:SHOWN], len(rows) > SHOWN


def open_tasks(user=None) -> tuple[list[StaffTask], bool]:
    rows = list(
        StaffTask.objects.filter(done_at__isnull=True)
        .select_related("case", "case__citizen")
        .order_by("due_on", "pk")[: SHOWN + 1]
    )
    return rows[:SHOWN], len(rows) > SHOWN


def payout_days(*, limit: int = 60) -> list[dict]:
    """The latest payout days with their count and sum (one query)."""
    return list(
        Loan.objects.filter(disbursed_on__isnull=False)
        .values("disbursed_on")
        .annotate(count=Count("pk"), total=Sum("principal"))
        .order_by("-disbursed_on")[:limit]
    )


def payouts_on(day: datetime.date):
    """The loans paid out on ``day`` for the finance department's list
    (one query, streamed)."""
    return (
        Loan.objects.filter(disbursed_on=day)
        .exclude(state=LoanState.CANCELLED)
        .select_related("citizen", "disbursed_by")
        .order_by("pk")
    )


def running_grants_ending(*, until: datetime.date):
    return (
        SupportGrant.objects.filter(state=SupportState.GRANTED, ends_on__lte=until)
        .select_related("case", "case__responsible", "case__citizen")
        .order_by("ends_on", "pk")
    )
