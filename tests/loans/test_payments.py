"""Payments and reversals through the services: the stored allocation is
always the replay's; a backdated payment and a reversal re-allocate; full
early repayment moves the loan to repaid and a reversal takes it back; money
beyond the principal is held; after write-off a payment is a recovery."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loans.allocation import PaymentIn, PlanInstalment, allocate
from loans.models import (
    LoanBalance,
    LoanState,
    Payment,
    PaymentAllocation,
    PaymentReversal,
)
from loans.repayment import reallocate, register_payment, reverse_payment
from loans.services import LoanRefused, write_off_loan
from mikrolaan.models import AuditEvent
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date.today()


def stored(loan):
    """The stored allocation, in the pure function's shape."""
    plan = loan.plans.get(is_current=True)
    rows = {}
    for pid, seq, amount in PaymentAllocation.objects.filter(plan=plan).values_list(
        "payment_id", "instalment__seq", "amount"
    ):
        rows.setdefault(pid, []).append((seq, amount))
    return {
        pid: sorted(parts, key=lambda p: (p[0] is None, p[0] or 0)) for pid, parts in rows.items()
    }


def replay(loan):
    plan = loan.plans.get(is_current=True)
    instalments = [
        PlanInstalment(s, d, a)
        for s, d, a in plan.instalments.values_list("seq", "due_date", "amount")
    ]
    payments = [PaymentIn(p.pk, p.value_date, p.amount, p.pk) for p in loan.payments.all()]
    reversed_ids = PaymentReversal.objects.filter(payment__loan=loan).values_list(
        "payment_id", flat=True
    )
    result = allocate(instalments, payments, reversed_ids)
    expected = {pid: list(parts) for pid, parts in result.by_payment.items() if parts}
    for pid, amount in result.overpayment_by_payment.items():
        expected.setdefault(pid, []).append((None, amount))
    return result, expected


@pytest.fixture
def loan(team_member):
    return make_loan(principal=D(12000), disbursed_on=TODAY - datetime.timedelta(days=200))


def test_a_payment_is_allocated_and_audited(loan, team_member):
    payment = register_payment(
        actor=team_member, loan=loan, value_date=TODAY, amount=D("150.50"), reference="Husleje"
    )
    assert stored(loan) == {payment.pk: [(1, D("100.00")), (2, D("50.50"))]}
    balance = LoanBalance.objects.get(loan=loan)
    assert (balance.allocated, balance.first_unpaid_seq) == (D("150.50"), 2)
    assert AuditEvent.objects.filter(action="payment.registered", object_id=str(loan.pk)).exists()


def test_a_backdated_payment_and_a_reversal_re_allocate_the_later_ones(loan, team_member):
    late = register_payment(actor=team_member, loan=loan, value_date=TODAY, amount=D(100))
    early = register_payment(
        actor=team_member, loan=loan, value_date=TODAY - datetime.timedelta(days=30), amount=D(150)
    )
    assert stored(loan) == {early.pk: [(1, D(100)), (2, D(50))], late.pk: [(2, D(50)), (3, D(50))]}
    reverse_payment(actor=team_member, payment=early, reason="Forkert lån")
    assert stored(loan) == {late.pk: [(1, D(100))]}
    # Never deleted, never edited.
    assert Payment.objects.filter(pk=early.pk, amount=D(150)).exists()
    with pytest.raises(LoanRefused):
        reverse_payment(actor=team_member, payment=early, reason="Igen")
    with pytest.raises(LoanRefused):
        reverse_payment(actor=team_member, payment=late, reason="  ")


def test_full_early_repayment_repays_and_the_rest_is_held(loan, team_member):
    payment = register_payment(actor=team_member, loan=loan, value_date=TODAY, amount=D("12050.25"))
    loan.refresh_from_db()
    assert loan.state == LoanState.REPAID and loan.repaid_on == TODAY
    balance = LoanBalance.objects.get(loan=loan)
    assert balance.overpayment == D("50.25") and balance.first_unpaid_seq is None
    assert PaymentAllocation.objects.filter(payment=payment).aggregate(s=Sum("amount"))["s"] == D(
        "12050.25"
    )
    reverse_payment(actor=team_member, payment=payment, reason="Beløbet kom fra en anden")
    loan.refresh_from_db()
    assert loan.state == LoanState.DISBURSED and loan.repaid_on is None
    assert loan.transitions.filter(transition="reopen").exists()


def test_a_payment_after_write_off_is_a_recovery(loan, team_member, team_lead):
    write_off_loan(actor=team_lead, loan=loan, reason="Konkurs")
    payment = register_payment(actor=team_member, loan=loan, value_date=TODAY, amount=D(300))
    assert payment.is_recovery
    assert LoanBalance.objects.get(loan=loan).allocated == D(300)


@pytest.mark.parametrize(
    ("value_date", "amount", "problem"),
    [
        (TODAY + datetime.timedelta(days=1), D(10), "fremtiden"),
        (TODAY - datetime.timedelta(days=400), D(10), "før udbetalingen"),
        (TODAY, D(0), "større end 0"),
        (TODAY, D("1.005"), "hele øre"),
    ],
)
def test_wrong_payments_are_refused(loan, team_member, value_date, amount, problem):
    with pytest.raises(LoanRefused) as refused:
        register_payment(actor=team_member, loan=loan, value_date=value_date, amount=amount)
    assert problem in str(refused.value)
    assert not Payment.objects.exists()


def test_no_payment_on_a_loan_not_paid_out(team_member):
    approved = make_loan(state=LoanState.APPROVED)
    with pytest.raises(LoanRefused):
        register_payment(actor=team_member, loan=approved, value_date=TODAY, amount=D(10))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 190), st.decimals(D("0.01"), D("500"), places=2)),
        min_size=1,
        max_size=8,
    ),
    rnd=st.randoms(use_true_random=False),
)
def test_registration_in_any_order_and_reversals_store_the_replay(loan, team_member, steps, rnd):
    made = []
    for days, amount in steps:
        made.append(
            register_payment(
                actor=team_member,
                loan=loan,
                value_date=TODAY - datetime.timedelta(days=days),
                amount=amount,
            )
        )
        if rnd.random() < 0.3:
            victim = rnd.choice(made)
            if not PaymentReversal.objects.filter(payment=victim).exists():
                reverse_payment(actor=team_member, payment=victim, reason="Fejl")
        result, expected = replay(loan)
        assert stored(loan) == expected
        balance = LoanBalance.objects.get(loan=loan)
        assert balance.allocated == result.allocated
        assert balance.paid == balance.allocated + balance.overpayment
        # What the incremental path stored is what a replay from scratch stores.
        fields = ["paid", "allocated", "overpayment", "first_unpaid_seq", "first_unpaid_due"]
        before = LoanBalance.objects.filter(loan=loan).values(*fields).get()
        reallocate([loan.pk])
        assert LoanBalance.objects.filter(loan=loan).values(*fields).get() == before
