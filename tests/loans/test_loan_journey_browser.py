"""The loan in a real browser: the team decides screening 3 (the
recommendation), a team lead who did not recommend it approves it, the
account is recorded and the payout registered; the borrower then sees the
plan in the portal. Every page on the way passes axe-core; screenshots go to
test-artifacts/."""

import pytest

from applicants.models import Stage
from loans.models import Loan, LoanState
from tests.browser import assert_accessible, login, screenshot
from tests.factories import CaseFactory, CitizenFactory, UserFactory
from tests.screening.helpers import draft


def _shot(page, name):
    screenshot(page, f"loan-journey-{name}")


def _logout(page):
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_screening_3_to_approval_by_a_second_person_to_payout_in_chromium(
    browser_page, live_server, team_member, team_member2, team_lead
):
    from mikrolaan.roles import Role

    page = browser_page
    borrower = UserFactory(username="iben", first_name="Iben", role=Role.CITIZEN)
    case = CaseFactory(stage=Stage.SCREENING_3, citizen=CitizenFactory(user=borrower))
    screening = draft(case, staff=[team_member, team_member2], outcome="recommend")

    # 1. The team member decides screening 3: the loan is recommended.
    login(page, live_server, team_member)
    page.goto(f"{live_server.url}/screeninger/forloeb/{case.pk}/{screening.pk}/afgoer/")
    page.get_by_role("button", name="Registrér afgørelsen").click()
    page.wait_for_load_state("networkidle")
    loan = Loan.objects.get(case=case)
    assert loan.state == LoanState.RECOMMENDED
    page.goto(f"{live_server.url}/forloeb/{case.pk}/")
    page.get_by_role("link", name="40.000 kr.").click()
    page.wait_for_selector("[data-testid=loan-state]")
    assert "fire øjne" in page.content()  # the recommender cannot approve
    _shot(page, "01-recommended")
    assert_accessible(page)
    _logout(page)

    # 2. A team lead — not the recommender — approves it.
    login(page, live_server, team_lead)
    page.get_by_role("link", name=case.citizen.first_name, exact=False).first.click()
    page.wait_for_selector("[data-testid=loan-state]")
    page.get_by_role("button", name="Godkend lånet").click()
    page.wait_for_selector("text=Lånet er godkendt")
    assert page.inner_text("[data-testid=loan-state]") == "Godkendt"

    # 3. The account, then the payout (a bad account number is caught first).
    page.get_by_role("link", name="Ret konto og samtykke").click()
    page.fill("#id_reg_no", "12")
    page.fill("#id_account_no", "0012345678")
    page.get_by_role("button", name="Gem konto og samtykke").click()
    page.wait_for_selector("text=Der er problemer")
    _shot(page, "02-account-error")
    assert_accessible(page)
    page.fill("#id_reg_no", "1234")
    page.get_by_role("button", name="Gem konto og samtykke").click()
    page.wait_for_selector("text=Konto og samtykke er gemt")
    page.get_by_role("button", name="Registrér udbetalingen").click()
    page.wait_for_selector("text=Udbetalingen er registreret")
    assert page.inner_text("[data-testid=loan-state]") == "Udbetalt"
    assert page.locator("table.plan-table tbody tr").count() == 120
    _shot(page, "03-disbursed")
    assert_accessible(page)
    page.goto(f"{live_server.url}/laan/udbetalinger/")
    _shot(page, "04-payouts")
    assert_accessible(page)
    page.goto(f"{live_server.url}/laan/forloeb/{case.pk}/tilskud/")
    _shot(page, "05-support")
    assert_accessible(page)
    _logout(page)

    # 4. The borrower sees the plan in the portal.
    login(page, live_server, borrower)
    page.goto(f"{live_server.url}/laan/mit-laan/")
    page.wait_for_selector("text=Tilbage at betale")
    assert page.locator("tbody tr").count() == 120
    _shot(page, "06-portal")
    assert_accessible(page)
