"""Demo loans and support grants.

``seed_demo``: the demo cases past screening 3 get their support grant and
their loan through the real services (so the decision letters and the
agreement exist): a recommended loan in establishment, a paid-out loan with
its plan from the business start, support ended for the self-supporting.

``seed_scale``: every bulk case past screening 3 — and some that closed
after it — gets a loan in the state its stage implies, with its plan, by
bulk inserts (about 8,000 loans and 800,000–1,000,000 instalments at
``--scale 20000``)."""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from applicants.models import Case, Stage
from mikrolaan.models import UserProfile
from mikrolaan.roles import Role

from . import services
from .models import (
    Instalment,
    Loan,
    LoanState,
    LoanTransition,
    RepaymentPlan,
    SupportEndReason,
    SupportGrant,
    SupportState,
)
from .schedule import random_payment_id, repayment_schedule
from .support import is_eligible, period_end

AFTER_SCREENING_3 = [Stage.ESTABLISHMENT, Stage.RUNNING, Stage.SCREENING_4, Stage.SELF_SUPPORTING]


def _staff(municipality_id) -> tuple[list, list]:
    users = get_user_model().objects.filter(
        profile__municipality_id=municipality_id, groups__name__in=[Role.TEAM_MEMBER]
    )
    leads = get_user_model().objects.filter(
        profile__municipality_id=municipality_id, groups__name__in=[Role.TEAM_LEAD]
    )
    return list(users.order_by("pk")), list(leads.order_by("pk"))


def seed_demo(stdout) -> None:
    made = 0
    cases = (
        Case.objects.filter(stage__in=AFTER_SCREENING_3, loans__isnull=True)
        .select_related("citizen", "municipality")
        .order_by("pk")
    )
    for case in cases:
        members, leads = _staff(case.municipality_id)
        if not members or not leads:
            continue
        with transaction.atomic():
            _demo_case(case, recommender=members[0], approver=leads[0])
        made += 1
    stdout.write(f"Lån: {made} demolån med tilskud og afdragsplaner oprettet.")
    _seed_payments(stdout)


def _demo_case(case: Case, *, recommender, approver) -> None:
    start = timezone.localtime(case.stage_changed_at).date()
    loan = services.recommend_loan(actor=recommender, case=case, principal=Decimal("45000"))
    if case.stage == Stage.ESTABLISHMENT:
        return
    if is_eligible(case.benefit_type) and case.stage == Stage.SELF_SUPPORTING:
        # Closed already: the grant is history (its letters were sent long ago).
        SupportGrant.objects.create(
            case=case,
            state=SupportState.ENDED,
            starts_on=start,
            months=6,
            ends_on=period_end(start, 6),
            ended_on=timezone.localdate(),
            end_reason=SupportEndReason.SELF_SUPPORTING,
        )
    elif is_eligible(case.benefit_type):
        services.grant_support(
            actor=recommender,
            case=case,
            starts_on=start,
            facts="Du har gennemført kompetenceforløbet og kursusinternatet.",
            reasons="Forretningsplanen og budgetterne er realistiske.",
        )
    loan = services.approve_loan(actor=approver, loan=loan)
    services.set_bank_account(actor=recommender, loan=loan, reg_no="1551", account_no="3456789012")
    services.record_read_access_consent(actor=recommender, loan=loan, given_on=start)
    # The demo goes back in time: recommended at screening 3 a week before
    # the approval, approved on the day of the payout (the history with it).
    approved = timezone.make_aware(datetime.datetime.combine(start, datetime.time(10)))
    recommended = approved - datetime.timedelta(days=7)
    Loan.objects.filter(pk=loan.pk).update(approved_at=approved, recommended_at=recommended)
    services.record_payout(actor=recommender, loan=loan, disbursed_on=start)
    history = LoanTransition.objects.filter(loan=loan)
    history.filter(to_state=LoanState.RECOMMENDED).update(at=recommended)
    history.filter(to_state=LoanState.APPROVED).update(at=approved)
    history.filter(to_state=LoanState.DISBURSED).update(at=approved + datetime.timedelta(hours=2))


# --- national scale -------------------------------------------------------------------

BATCH = 2000
# A bulk case's stage → the loan states it may have, with weights.
LOAN_STATES_BY_STAGE = {
    Stage.ESTABLISHMENT: {LoanState.RECOMMENDED: 1, LoanState.APPROVED: 1},
    Stage.RUNNING: {LoanState.DISBURSED: 1},
    Stage.SCREENING_4: {LoanState.DISBURSED: 1},
    Stage.PAUSED: {LoanState.DISBURSED: 1},
    Stage.SELF_SUPPORTING: {LoanState.DISBURSED: 6, LoanState.REPAID: 4},
    # Closed after screening 3: the loan outlives the case.
    Stage.DECLINED: {LoanState.DISBURSED: 5, LoanState.WRITTEN_OFF: 3, LoanState.CANCELLED: 2},
    Stage.WITHDRAWN: {LoanState.DISBURSED: 6, LoanState.CANCELLED: 2, LoanState.REPAID: 2},
}
# The share of the cases in each stage that have a loan (the closed ones
# mostly closed before screening 3).
LOAN_SHARE = {Stage.DECLINED: 0.9, Stage.WITHDRAWN: 0.9}
# The share of paid-out loans rescheduled once (a payment pause): their
# first plan stays as history beside the current one.
RESCHEDULED = 0.35
WITH_PLAN = {LoanState.DISBURSED, LoanState.REPAID, LoanState.WRITTEN_OFF}


def seed_scale(n: int, stdout) -> None:
    """Loans for the bulk cases that have none, in batches of 2,000 cases:
    loans, their history, plans and instalments, and support grants, all by
    bulk inserts. Reports the time taken."""
    began = time.monotonic()
    rng = random.Random(n + 13)
    staff = _bulk_staff()
    today = timezone.localdate()
    taken = set(Loan.objects.values_list("payment_id", flat=True))
    ids = list(
        Case.objects.filter(stage__in=list(LOAN_STATES_BY_STAGE), loans__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    loans_made = instalments_made = 0
    for start in range(0, len(ids), BATCH):
        rows = list(
            Case.objects.filter(pk__in=ids[start : start + BATCH])
            .order_by("pk")
            .values_list(
                "pk",
                "citizen_id",
                "municipality_id",
                "stage",
                "stage_changed_at",
                "responsible_id",
                "benefit_type",
            )
        )
        with transaction.atomic():
            made, inst = _scale_batch(rows, rng=rng, staff=staff, today=today, taken=taken)
        loans_made += made
        instalments_made += inst
    seconds = time.monotonic() - began
    stdout.write(f"Lån: {loans_made} lån med {instalments_made} rater oprettet på {seconds:.1f} s.")
    _seed_payments(stdout)


def _seed_payments(stdout) -> None:
    """The repayment's demo payments for every paid-out loan without any."""
    from .repayment_demo import seed_payments

    made, seconds = seed_payments(
        Loan.objects.filter(state__in=list(WITH_PLAN)).values_list("pk", flat=True),
        today=timezone.localdate(),
    )
    stdout.write(f"Lån: {made} demoindbetalinger fordelt på {seconds:.1f} s.")


def _bulk_staff() -> dict[int, list[int]]:
    staff: dict[int, list[int]] = {}
    rows = (
        UserProfile.objects.filter(user__groups__name__in=[Role.TEAM_MEMBER, Role.TEAM_LEAD])
        .order_by("user_id")
        .values_list("municipality_id", "user_id")
        .distinct()
    )
    for municipality_id, user_id in rows:
        staff.setdefault(municipality_id, []).append(user_id)
    return staff


def _scale_batch(rows, *, rng, staff, today, taken) -> tuple[int, int]:
    loans, plans_for, grants, history = [], [], [], []
    for pk, citizen_id, m_id, stage, changed_at, responsible_id, benefit in rows:
        if rng.random() > LOAN_SHARE.get(stage, 1.0):
            continue
        team = staff.get(m_id) or [responsible_id]
        recommender = responsible_id or team[0]
        approver = next((u for u in team if u != recommender), recommender)
        states = LOAN_STATES_BY_STAGE[stage]
        state = rng.choices(list(states), list(states.values()))[0]
        closed_now = timezone.now()
        principal = Decimal(rng.randrange(20_000, 50_001, 500))
        changed = changed_at.date()
        payout = changed - datetime.timedelta(days=rng.randint(0, 400))
        if stage in (Stage.ESTABLISHMENT,):
            payout = None
        recommended_at = timezone.make_aware(
            datetime.datetime.combine(
                (payout or changed) - datetime.timedelta(days=21), datetime.time(10)
            )
        )
        payment_id = random_payment_id()
        while payment_id in taken:
            payment_id = random_payment_id()
        taken.add(payment_id)
        approved = state != LoanState.RECOMMENDED
        has_plan = state in WITH_PLAN and payout is not None
        loan = Loan(
            municipality_id=m_id,
            citizen_id=citizen_id,
            case_id=pk,
            principal=principal,
            state=state,
            payment_id=payment_id,
            term_months=120,
            recommended_by_id=recommender,
            recommended_at=recommended_at,
            approved_by_id=approver if approved else None,
            approved_at=recommended_at + datetime.timedelta(days=7) if approved else None,
            terms=_TERMS if approved else {},
            disbursed_on=payout if has_plan else None,
            disbursed_by_id=recommender if has_plan else None,
            repaid_on=today if state == LoanState.REPAID else None,
            closed_reason=(
                "Demodata." if state in (LoanState.CANCELLED, LoanState.WRITTEN_OFF) else ""
            ),
            closed_by_id=approver
            if state in (LoanState.CANCELLED, LoanState.WRITTEN_OFF)
            else None,
            # Cancelled a week after the recommendation; written off now, after
            # every payment the demo gives the loan (none of them a recovery).
            closed_at=(
                recommended_at + datetime.timedelta(days=7)
                if state == LoanState.CANCELLED
                else closed_now
                if state == LoanState.WRITTEN_OFF
                else None
            ),
            bank_reg_no="1551" if approved else "",
            bank_account_no=f"{3_000_000_000 + pk}"[:10] if approved else "",
        )
        loans.append(loan)
        plans_for.append(has_plan)
        if (
            payout is not None
            and stage in (Stage.RUNNING, Stage.SCREENING_4, Stage.SELF_SUPPORTING)
            and is_eligible(benefit)
        ):
            grants.append(
                SupportGrant(
                    municipality_id=m_id,
                    case_id=pk,
                    state=(
                        SupportState.ENDED
                        if stage == Stage.SELF_SUPPORTING
                        else SupportState.GRANTED
                    ),
                    starts_on=payout,
                    months=6,
                    ends_on=period_end(payout, 6),
                    ended_on=today if stage == Stage.SELF_SUPPORTING else None,
                    end_reason=(
                        SupportEndReason.SELF_SUPPORTING if stage == Stage.SELF_SUPPORTING else ""
                    ),
                )
            )
    # Django's save() is skipped: the protected FSM field and the
    # municipality are set directly on purpose.
    # The base manager: the rows' municipality is set above from the case
    # itself, so the per-row parent check (a query each) is not needed.
    loans = Loan._base_manager.bulk_create(loans, batch_size=BATCH)
    for loan in loans:
        history.append(
            LoanTransition(
                municipality_id=loan.municipality_id,
                loan=loan,
                actor_id=loan.recommended_by_id,
                transition="recommend",
                from_state="",
                to_state=LoanState.RECOMMENDED,
                at=loan.recommended_at,
            )
        )
        if loan.state != LoanState.RECOMMENDED:
            history.append(
                LoanTransition(
                    municipality_id=loan.municipality_id,
                    loan=loan,
                    actor_id=loan.approved_by_id or loan.recommended_by_id,
                    transition="bulk",
                    from_state=LoanState.RECOMMENDED,
                    to_state=loan.state,
                    at=loan.approved_at or loan.recommended_at,
                )
            )
    LoanTransition.objects.bulk_create(history, batch_size=5000)
    SupportGrant._base_manager.bulk_create(grants, batch_size=BATCH)
    plans = []
    for loan, has in zip(loans, plans_for, strict=True):
        if not has:
            continue
        versions = [(1, loan.disbursed_on, "")]
        if rng.random() < RESCHEDULED:
            versions.append(
                (2, loan.disbursed_on + datetime.timedelta(days=92), "Betalingspause (demodata).")
            )
        for version, starts_after, reason in versions:
            plans.append(
                RepaymentPlan(
                    municipality_id=loan.municipality_id,
                    loan=loan,
                    version=version,
                    is_current=version == len(versions),
                    principal=loan.principal,
                    term_months=120,
                    starts_after=starts_after,
                    due_day=loan.due_day,
                    reason=reason,
                    created_by_id=loan.disbursed_by_id,
                )
            )
    plans = RepaymentPlan.objects.bulk_create(plans, batch_size=BATCH)
    rows = [
        (plan.municipality_id, plan.pk, row.seq, row.due_date, row.amount)
        for plan in plans
        for row in repayment_schedule(plan.principal, 120, plan.starts_after, plan.due_day)
    ]
    _insert_instalments(rows)
    return len(loans), len(rows)


INSTALMENT_COLUMNS = ("municipality_id", "plan_id", "seq", "due_date", "amount")


def _insert_instalments(rows) -> None:
    """A million rows: PostgreSQL's COPY where there is one (the rows'
    municipality is their plan's, set above), bulk inserts elsewhere."""
    if connection.vendor == "postgresql":
        table = Instalment._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} ({', '.join(INSTALMENT_COLUMNS)}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    Instalment._base_manager.bulk_create(
        [Instalment(**dict(zip(INSTALMENT_COLUMNS, row, strict=True))) for row in rows],
        batch_size=5000,
    )


_TERMS = {
    "name": "Mikrolån",
    "legal_basis_loan": "aktivloven § 65",
    "loan_maximum": "50000.00",
    "recommended_minimum": "30000.00",
    "recommended_maximum": "50000.00",
    "term_months": 120,
    "interest": "0",
    "fees": "0",
}
