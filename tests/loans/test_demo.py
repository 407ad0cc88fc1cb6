"""Demo and scale data: loans in every state with plans that sum to the
principal, and a second run adds nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from loans.models import Instalment, Loan, LoanState, RepaymentPlan
from mikrolaan.tenancy import unscoped

pytestmark = pytest.mark.django_db


def test_seed_scale_makes_loans_in_every_state_with_exact_plans():
    call_command("seed_demo", scale=400, stdout=io.StringIO())
    with unscoped():
        states = set(Loan.objects.values_list("state", flat=True))
        assert states == set(LoanState.values)
        # Every plan sums to the loan's principal, to the krone.
        plans = RepaymentPlan.objects.annotate(
            total=Sum("instalments__amount"), n=Count("instalments")
        )
        assert plans.exists()
        for plan in plans:
            assert plan.total == plan.principal and plan.n == plan.term_months
        # Paid-out loans have exactly one current plan; some a rescheduled one.
        disbursed = Loan.objects.filter(state=LoanState.DISBURSED)
        assert all(loan.plans.filter(is_current=True).count() == 1 for loan in disbursed[:50])
        assert RepaymentPlan.objects.filter(is_current=False).exists()
        assert not Instalment.objects.filter(amount__lt=Decimal("1")).exists()
        loans, instalments = Loan.objects.count(), Instalment.objects.count()
    call_command("seed_demo", scale=0, stdout=io.StringIO())
    with unscoped():
        assert (Loan.objects.count(), Instalment.objects.count()) == (loans, instalments)


def test_demo_loans_read_in_time_order():
    """A demo loan is recommended before it is approved and paid out, and
    its history says so (the demo goes back in time to its payout day)."""
    call_command("seed_demo", stdout=io.StringIO())
    with unscoped():
        loans = Loan.objects.filter(state=LoanState.DISBURSED)
        assert loans.exists()
        for loan in loans:
            assert loan.recommended_at < loan.approved_at
            assert loan.approved_at.date() <= loan.disbursed_on
            steps = list(loan.transitions.order_by("at").values_list("to_state", flat=True))
            assert steps[:3] == [LoanState.RECOMMENDED, LoanState.APPROVED, LoanState.DISBURSED]
