"""The loan: recommendation within the scheme, four eyes, payout and plan,
cancellation and write-off."""

import datetime
from decimal import Decimal

import pytest

from applicants.models import Stage
from loans import services
from loans.models import Instalment, Loan, LoanState, LoanTransition, RepaymentPlan
from loans.schedule import is_valid_payment_id
from loans.services import LoanRefused
from mikrolaan.models import AuditEvent
from tests.factories import CaseFactory, municipality

from .helpers import make_loan

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory(stage=Stage.ESTABLISHMENT)


def test_a_recommended_loan_gets_a_valid_unique_payment_id(case, team_member):
    loan = services.recommend_loan(actor=team_member, case=case, principal=Decimal("40000"))
    assert loan.state == LoanState.RECOMMENDED
    assert is_valid_payment_id(loan.payment_id)
    assert loan.citizen_id == case.citizen_id
    assert loan.term_months == 120
    other = make_loan(state=LoanState.RECOMMENDED)
    assert other.payment_id != loan.payment_id


def test_recommendation_above_the_schemes_maximum_is_refused(case, team_member):
    with pytest.raises(LoanRefused, match=r"højst være 50\.000"):
        services.recommend_loan(actor=team_member, case=case, principal=Decimal("50001"))


def test_the_maximum_follows_the_scheme(case, team_member):
    scheme = case.municipality.current_scheme()
    scheme.loan_maximum = Decimal("60000")
    scheme.save()
    loan = services.recommend_loan(actor=team_member, case=case, principal=Decimal("55000"))
    assert loan.principal == Decimal("55000")


def test_only_one_open_loan_per_case(case, team_member):
    services.recommend_loan(actor=team_member, case=case, principal=Decimal("40000"))
    with pytest.raises(LoanRefused, match="allerede et lån"):
        services.recommend_loan(actor=team_member, case=case, principal=Decimal("30000"))


def test_four_eyes_the_recommending_team_lead_cannot_approve(case, team_lead):
    loan = services.recommend_loan(actor=team_lead, case=case, principal=Decimal("40000"))
    with pytest.raises(LoanRefused, match="fire øjne"):
        services.approve_loan(actor=team_lead, loan=loan)
    assert Loan.objects.get(pk=loan.pk).state == LoanState.RECOMMENDED


def test_a_team_member_cannot_approve(case, team_member, team_member2):
    loan = services.recommend_loan(actor=team_member, case=case, principal=Decimal("40000"))
    with pytest.raises(LoanRefused, match="teamleder"):
        services.approve_loan(actor=team_member2, loan=loan)


def test_approval_keeps_a_snapshot_of_the_schemes_terms(case, team_member, team_lead):
    loan = services.recommend_loan(actor=team_member, case=case, principal=Decimal("40000"))
    loan = services.approve_loan(actor=team_lead, loan=loan)
    assert loan.state == LoanState.APPROVED
    assert loan.approved_by == team_lead
    assert loan.terms["legal_basis_loan"] == "aktivloven § 65"
    assert loan.terms["term_months"] == 120
    scheme = case.municipality.current_scheme()
    scheme.legal_basis_loan = "lov om noget andet § 1"
    scheme.save()
    loan.refresh_from_db()
    assert loan.terms["legal_basis_loan"] == "aktivloven § 65"
    history = list(LoanTransition.objects.filter(loan=loan).values_list("from_state", "to_state"))
    assert ("recommended", "approved") in history
    assert AuditEvent.objects.filter(action="loan.approve").exists()


def test_payout_needs_the_bank_account(case, team_member, team_lead):
    loan = services.recommend_loan(actor=team_member, case=case, principal=Decimal("40000"))
    loan = services.approve_loan(actor=team_lead, loan=loan)
    with pytest.raises(LoanRefused, match="konto"):
        services.record_payout(actor=team_member, loan=loan, disbursed_on=datetime.date.today())


def test_payout_makes_the_plan_whose_instalments_sum_to_the_principal():
    loan = make_loan(principal=Decimal("45001"), disbursed_on=datetime.date(2026, 1, 31))
    assert loan.state == LoanState.DISBURSED
    assert loan.disbursed_on == datetime.date(2026, 1, 31)
    plan = RepaymentPlan.objects.get(loan=loan, is_current=True)
    assert plan.version == 1
    rows = list(Instalment.objects.filter(plan=plan).order_by("seq"))
    assert len(rows) == 120
    assert sum(r.amount for r in rows) == Decimal("45001")
    assert rows[0].due_date == datetime.date(2026, 2, 28)
    assert all(r.municipality_id == loan.municipality_id for r in rows)


def test_cancel_before_payout_but_not_after():
    loan = make_loan(state=LoanState.APPROVED)
    loan = services.cancel_loan(actor=loan.recommended_by, loan=loan, reason="Udsat.")
    assert loan.state == LoanState.CANCELLED
    paid = make_loan(state=LoanState.DISBURSED)
    with pytest.raises(LoanRefused):
        services.cancel_loan(actor=paid.recommended_by, loan=paid, reason="Fortrudt.")


def test_write_off_is_for_a_team_lead_with_reasons(team_member):
    loan = make_loan()
    with pytest.raises(LoanRefused, match="teamleder"):
        services.write_off_loan(actor=team_member, loan=loan, reason="Lukket.")
    with pytest.raises(LoanRefused, match="begrundelse"):
        services.write_off_loan(actor=loan.approved_by, loan=loan, reason=" ")
    loan = services.write_off_loan(actor=loan.approved_by, loan=loan, reason="Konkurs.")
    assert loan.state == LoanState.WRITTEN_OFF


@pytest.mark.parametrize(
    "reg,account", [("123", "12345"), ("12345", "12345"), ("1234", "12345678901"), ("12a4", "1")]
)
def test_bank_account_is_validated(reg, account):
    loan = make_loan(state=LoanState.APPROVED)
    with pytest.raises(Exception):  # noqa: B017 - a ValidationError from full_clean
        services.set_bank_account(
            actor=loan.recommended_by, loan=loan, reg_no=reg, account_no=account
        )


def test_read_access_consent_is_recorded_with_who_and_when(team_member):
    loan = make_loan(state=LoanState.APPROVED)
    loan = services.record_read_access_consent(
        actor=team_member, loan=loan, given_on=datetime.date.today()
    )
    assert loan.read_access_consent_by == team_member
    assert loan.read_access_consent_at is not None


def test_loans_of_another_municipality_stay_out_of_sight():
    make_loan(state=LoanState.RECOMMENDED)
    assert all(lo.municipality_id == municipality().pk for lo in Loan.objects.all())
