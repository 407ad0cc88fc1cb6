"""The staff's loan page, its actions through the one action view, the
payouts CSV, the agreement letter and the borrower's portal page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loans.models import Loan, LoanState
from mikrolaan.access_log import insert_queries
from mikrolaan.letters.models import Letter
from mikrolaan.letters.rendering import render_letter_pdf
from mikrolaan.models import Municipality
from mikrolaan.roles import Role
from tests.factories import CitizenFactory, UserFactory, municipality
from tests.letters.helpers import normalise, pdf_text

from .helpers import make_loan

pytestmark = pytest.mark.django_db


def test_a_second_team_lead_approves_through_the_page(client, team_lead):
    loan = make_loan(state=LoanState.RECOMMENDED)
    client.force_login(team_lead)
    page = client.get(reverse("loans:loan_detail", args=[loan.pk])).content.decode()
    assert "Godkend lånet" in page
    response = client.post(reverse("loans:loan_action", args=[loan.pk, "approve"]))
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.state == LoanState.APPROVED and loan.approved_by == team_lead
    approval = Letter.objects.get(case=loan.case, kind="decision")
    text = normalise(pdf_text(render_letter_pdf(approval)))
    assert "Afgørelse om mikrolån" in text and normalise("40.000") in text
    assert "aktivloven § 65" in text and "Klagevejledning" in text


def test_the_page_refuses_the_recommender_and_so_does_a_forged_post(client):
    lead = UserFactory(username="lead2", role=Role.TEAM_LEAD)
    loan = make_loan(state=LoanState.RECOMMENDED, recommender=lead)
    client.force_login(lead)
    page = client.get(reverse("loans:loan_detail", args=[loan.pk])).content.decode()
    assert "fire øjne" in page
    assert reverse("loans:loan_action", args=[loan.pk, "approve"]) not in page
    client.post(reverse("loans:loan_action", args=[loan.pk, "approve"]))
    assert Loan.objects.get(pk=loan.pk).state == LoanState.RECOMMENDED


def test_payout_through_the_page_with_a_bad_date_shows_the_error(client, team_member):
    loan = make_loan(state=LoanState.APPROVED)
    client.force_login(team_member)
    url = reverse("loans:loan_action", args=[loan.pk, "disburse"])
    response = client.post(url, {"disbursed_on": "32-13-2026"})
    assert response.status_code == 400
    assert "Der er problemer" in response.content.decode()


def test_payout_csv_lists_name_account_amount_and_payment_id(client, team_member):
    day = datetime.date.today() - datetime.timedelta(days=2)
    loan = make_loan(disbursed_on=day)
    make_loan(disbursed_on=day - datetime.timedelta(days=1))
    client.force_login(team_member)
    body = b"".join(
        client.get(reverse("loans:payouts_csv", args=[day.isoformat()])).streaming_content
    ).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 2
    assert loan.citizen.full_name in lines[1]
    assert "1234;0012345678;40000,00;" + loan.payment_id in lines[1]
    page = client.get(reverse("loans:payouts")).content.decode()
    assert day.isoformat() in page


def test_payouts_csv_of_a_nonsense_day_is_a_404(client, team_member):
    client.force_login(team_member)
    assert client.get(reverse("loans:payouts_csv", args=["2026-13-45"])).status_code == 404


@pytest.mark.parametrize("term", [12, 120])
def test_the_loan_page_query_count_does_not_grow_with_the_plan(
    client, team_member, django_assert_num_queries, term
):
    case_scheme = municipality().current_scheme()
    case_scheme.term_months = term
    case_scheme.save()
    loan = make_loan(principal=Decimal("50000"))
    assert loan.plans.get().instalments.count() == term
    client.force_login(team_member)
    url = reverse("loans:loan_detail", args=[loan.pk])
    client.get(url)
    # 1 session, 2 user with municipality and roles, 3 the loan with citizen,
    # case, municipality and the letter, 4 the staff who took its steps, 5 the
    # scheme (the range warning), 6 the current plan, 7 its instalments, 8 the
    # history with actors, 9 every plan version, 10 what each instalment has
    # received (the repayment's paid provider); then the access-log insert.
    with django_assert_num_queries(10 + insert_queries()):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == term + 2


def test_the_agreement_prints_every_instalment_and_the_fi_line():
    Municipality.objects.filter(pk=municipality().pk).update(fi_creditor_number="85123456")
    loan = make_loan(principal=Decimal("45001"), disbursed_on=datetime.date(2026, 1, 31))
    letter = Letter.objects.get(pk=Loan.objects.get(pk=loan.pk).letter_id)
    assert letter.kind == "loan_agreement"
    rows = letter.context["instalments"]
    assert len(rows) == 120 and sum(Decimal(r[2]) for r in rows) == Decimal("45001")
    text = normalise(pdf_text(render_letter_pdf(letter)))
    assert f"+71<{loan.payment_id}+85123456<" in text
    assert "28.02.2026" in text and "31.01.2036" in text
    assert normalise("120 rater, i alt 45.001 kr.") in text


def test_the_borrower_sees_the_plan_paid_and_next_due(client):
    user = UserFactory(username="borrower", role=Role.CITIZEN)
    citizen = CitizenFactory(user=user)
    from tests.factories import CaseFactory

    loan = make_loan(case=CaseFactory(citizen=citizen, stage="running"))
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("loans:portal_loan") in home
    page = client.get(reverse("loans:portal_loan")).content.decode()
    assert loan.payment_id in page
    assert "Næste rate" in page and "Tilbage at betale" in page
    assert page.count("<tr>") == 121


def test_the_borrower_sees_no_other_loans(client):
    make_loan()
    user = UserFactory(username="other_borrower", role=Role.CITIZEN)
    CitizenFactory(user=user)
    client.force_login(user)
    page = client.get(reverse("loans:portal_loan")).content.decode()
    assert "Du har ikke noget lån hos os." in page
