"""Building loans for tests (the repayment tests use these too)."""

import datetime
from decimal import Decimal

from applicants.models import Stage
from loans import services
from loans.models import Loan, LoanState
from tests.factories import CaseFactory, UserFactory


def _user(username, role):
    from mikrolaan.roles import Role

    return UserFactory(username=username, first_name=username.title(), role=Role(role))


def make_loan(
    *,
    state: str = LoanState.DISBURSED,
    principal: Decimal | int = Decimal("40000"),
    disbursed_on: datetime.date | None = None,
    case=None,
    recommender=None,
    approver=None,
    due_day: int = 31,
) -> Loan:
    """A loan taken through the real services to ``state``: recommended by a
    team member, approved by a team lead, paid out on ``disbursed_on``
    (default: 40 days ago) with its plan, cancelled or written off."""
    case = case or CaseFactory(stage=Stage.ESTABLISHMENT)
    recommender = recommender or _user("loan_recommender", "team_member")
    approver = approver or _user("loan_approver", "team_lead")
    loan = services.recommend_loan(actor=recommender, case=case, principal=Decimal(principal))
    if due_day != loan.due_day:
        Loan.objects.filter(pk=loan.pk).update(due_day=due_day)
        loan.refresh_from_db()
    if state == LoanState.RECOMMENDED:
        return loan
    if state == LoanState.CANCELLED:
        return services.cancel_loan(actor=recommender, loan=loan, reason="Borgeren trak sig.")
    loan = services.approve_loan(actor=approver, loan=loan)
    if state == LoanState.APPROVED:
        return loan
    services.set_bank_account(actor=recommender, loan=loan, reg_no="1234", account_no="0012345678")
    today = datetime.date.today()
    disbursed_on = disbursed_on or today - datetime.timedelta(days=40)
    # Approved "before" the payout in the past: the tests travel back in time.
    Loan.objects.filter(pk=loan.pk).update(
        approved_at=datetime.datetime.combine(disbursed_on, datetime.time(9), tzinfo=datetime.UTC)
    )
    loan = services.record_payout(actor=recommender, loan=loan, disbursed_on=disbursed_on)
    if state == LoanState.DISBURSED:
        return loan
    if state == LoanState.WRITTEN_OFF:
        return services.write_off_loan(actor=approver, loan=loan, reason="Virksomheden er lukket.")
    if state == LoanState.REPAID:
        return services.mark_loan_repaid(actor=recommender, loan=loan, repaid_on=today)
    raise ValueError(state)
