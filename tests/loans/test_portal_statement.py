"""The borrower's statement of account: a PDF of their own loan only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loans.repayment import register_payment
from tests.factories import UserFactory
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db


def test_the_borrower_gets_their_statement_and_nobody_elses(client, team_member):
    from mikrolaan.roles import Role

    loan = make_loan(principal=Decimal(12000))
    register_payment(
        actor=team_member, loan=loan, value_date=datetime.date.today(), amount=Decimal("250.50")
    )
    owner = UserFactory(role=Role.CITIZEN)
    loan.citizen.user = owner
    loan.citizen.save(update_fields=["user"])
    client.force_login(owner)
    response = client.get(reverse("loans:portal_statement", args=[loan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    stranger = UserFactory(role=Role.CITIZEN)
    client.force_login(stranger)
    assert client.get(reverse("loans:portal_statement", args=[loan.pk])).status_code == 404
