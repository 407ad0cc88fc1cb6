"""Rescheduling through the service: the team lead decides; the new plan is
current, the old one stays; payments keep their allocation; the sums are
exact; a decision letter is made."""

import datetime
from decimal import Decimal

import pytest

from loans.models import Instalment, LoanBalance, PaymentAllocation, RepaymentPlan, Reschedule
from loans.repayment import register_payment, reschedule_loan
from loans.services import LoanRefused
from mikrolaan.letters.models import Letter
from mikrolaan.letters.rendering import render_letter_html
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def loan():
    return make_loan(principal=D(12000), disbursed_on=datetime.date(2026, 1, 15))


def test_a_pause_after_a_partial_instalment_keeps_history_and_allocations(
    loan, team_member, team_lead
):
    payment = register_payment(
        actor=team_member, loan=loan, value_date=datetime.date(2026, 2, 20), amount=D("150.50")
    )
    before = list(
        PaymentAllocation.objects.filter(payment=payment).values_list("instalment__seq", "amount")
    )
    decision = reschedule_loan(
        actor=team_lead,
        loan=loan,
        kind="pause",
        pause_months=2,
        reasons="Virksomheden har mistet en stor kunde.",
        decided_on=datetime.date(2026, 3, 10),
    )
    plans = RepaymentPlan.objects.filter(loan=loan).order_by("version")
    assert [(p.version, p.is_current) for p in plans] == [(1, False), (2, True)]
    assert Instalment.objects.filter(plan=plans[0]).count() == 120  # the old plan, untouched
    new = list(Instalment.objects.filter(plan=plans[1]).order_by("seq"))
    assert sum(i.amount for i in new) == D(12000)
    assert (new[0].amount, new[1].amount) == (D(100), D("50.50"))
    # The first new instalment: March's month + 1, moved by the pause of 2 months.
    assert new[2].due_date == datetime.date(2026, 6, 30)
    after = list(
        PaymentAllocation.objects.filter(payment=payment, plan=plans[1]).values_list(
            "instalment__seq", "amount"
        )
    )
    assert after == before
    assert LoanBalance.objects.get(loan=loan).plan == plans[1]
    assert decision.pause_until == datetime.date(2026, 6, 29)
    letter = Letter.objects.get(pk=decision.letter_id)
    assert letter.kind == "reschedule_decision"
    html = render_letter_html(letter)
    assert "Klagevejledning" in html and "Virksomheden har mistet" in html


def test_a_new_amount_above_the_outstanding_principal_is_one_instalment(loan, team_lead):
    reschedule_loan(
        actor=team_lead,
        loan=loan,
        kind="amount",
        new_amount=D(20000),
        reasons="Arv",
        decided_on=datetime.date(2026, 1, 20),
    )
    plan = RepaymentPlan.objects.get(loan=loan, is_current=True)
    assert list(plan.instalments.values_list("amount", flat=True)) == [D(12000)]


def test_only_a_team_lead_decides_and_with_reasons(loan, team_member, team_lead):
    with pytest.raises(LoanRefused, match="teamleder"):
        reschedule_loan(actor=team_member, loan=loan, kind="pause", pause_months=2, reasons="x")
    with pytest.raises(LoanRefused, match="begrundelsen"):
        reschedule_loan(actor=team_lead, loan=loan, kind="pause", pause_months=2, reasons=" ")
    assert not Reschedule.objects.exists()
