"""The repayment pages through the browser's requests: register and reverse
a payment on the loan page, upload statements (a broken one refused with the
line named), search and assign a queued line, dismiss one; a team lead
reschedules; another municipality's loan is a 404."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loans.models import LineStatus, Payment, PaymentReversal, RepaymentPlan, StatementLine
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def loan(team_member, team_lead):
    return make_loan(
        principal=Decimal(12000),
        disbursed_on=TODAY - datetime.timedelta(days=90),
        recommender=team_member,
        approver=team_lead,
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_register_and_reverse_a_payment_on_the_loan_page(client, team_member, loan):
    client.force_login(team_member)
    response = client.post(
        reverse("loans:payment_register", args=[loan.pk]),
        {
            "value_date": TODAY.isoformat(),
            "amount": "1.250,50",
            "method": "cash",
            "reference": "Kvit 7",
        },
        follow=True,
    )
    assert "Indbetalingen er registreret og fordelt." in messages_of(response)
    payment = Payment.objects.get(loan=loan)
    assert payment.amount == Decimal("1250.50")
    page = client.get(reverse("loans:repayment", args=[loan.pk])).content.decode()
    assert "1.250,50 kr." in page and "Kvit 7" in page
    response = client.post(
        reverse("loans:payment_reverse", args=[loan.pk, payment.pk]),
        {"reason": "Registreret på forkert lån"},
        follow=True,
    )
    assert PaymentReversal.objects.filter(payment=payment).exists()
    assert "Tilbageført: Registreret på forkert lån" in response.content.decode()
    # A bad amount is refused beside the field and in the summary, never a
    # 500, and what was typed is kept.
    response = client.post(
        reverse("loans:payment_register", args=[loan.pk]),
        {"value_date": TODAY.isoformat(), "amount": "abc", "method": "cash", "reference": "K9"},
    )
    assert response.status_code == 400 and Payment.objects.count() == 1
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'href="#id_amount"' in page
    assert 'value="abc"' in page and 'value="K9"' in page


def test_a_payment_the_service_refuses_keeps_the_input(client, team_member, loan):
    client.force_login(team_member)
    # A value date before the payout: the service's own rule.
    early = (loan.disbursed_on - datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("loans:payment_register", args=[loan.pk]),
        {"value_date": early, "amount": "300", "method": "cash", "reference": "Kvit 8"},
    )
    assert response.status_code == 400, response.status_code
    assert not Payment.objects.filter(loan=loan).exists()
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'value="Kvit 8"' in page


def test_a_refused_reschedule_keeps_the_reasons_typed(client, team_lead, loan):
    client.force_login(team_lead)
    response = client.post(
        reverse("loans:reschedule", args=[loan.pk]),
        {"kind": "amount", "new_amount": "-5", "reasons": "Borgeren har fået nyt job"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page and "Borgeren har fået nyt job" in page
    assert RepaymentPlan.objects.filter(loan=loan).count() == 1


def test_upload_a_statement_then_assign_and_dismiss_the_queue(client, team_member, loan):
    client.force_login(team_member)
    day = TODAY.strftime("%d-%m-%Y")
    data = (
        f"Dato;Tekst;Beløb\n{day};+71<{loan.payment_id}+85012345<;100,00\n"
        f"{day};Fra Jens Hansen;250,00\n{day};Forkert;5,00\n"
    ).encode("cp1252")
    response = client.post(
        reverse("loans:statement_upload"),
        {"file": SimpleUploadedFile("udtog.csv", data)},
        follow=True,
    )
    assert any("1 registreret, 2 til matchning" in m for m in messages_of(response))
    broken = client.post(
        reverse("loans:statement_upload"),
        {"file": SimpleUploadedFile("x.csv", b"Dato;Tekst;Bel\xf8b\n31-02-2026;x;1,00\n")},
        follow=True,
    )
    assert any("Linje 2" in m and "ikke en dato" in m for m in messages_of(broken))
    queued = StatementLine.objects.filter(status=LineStatus.QUEUED).order_by("amount")
    small, jens = queued
    search = client.get(
        reverse("loans:statement_line", args=[jens.pk]), {"q": loan.case.case_number}
    )
    assert loan.payment_id in search.content.decode()
    client.post(reverse("loans:line_assign", args=[jens.pk]), {"loan": loan.pk})
    jens.refresh_from_db()
    assert jens.status == LineStatus.ASSIGNED and jens.payment.loan == loan
    client.post(reverse("loans:line_dismiss", args=[small.pk]), {"reason": "Ikke et lån"})
    small.refresh_from_db()
    assert small.status == LineStatus.DISMISSED


def test_a_team_lead_reschedules_from_the_page(client, team_lead, loan):
    client.force_login(team_lead)
    response = client.post(
        reverse("loans:reschedule", args=[loan.pk]),
        {"kind": "amount", "new_amount": "500", "reasons": "Bedre økonomi"},
        follow=True,
    )
    assert "Den nye afdragsplan gælder nu. Afgørelsesbrevet er bestilt." in messages_of(response)
    plan = RepaymentPlan.objects.get(loan=loan, is_current=True)
    assert plan.version == 2 and max(plan.instalments.values_list("amount", flat=True)) <= 500


def test_another_municipalitys_loan_is_not_found(client, team_member):
    from mikrolaan.tenancy import unscoped
    from tests.factories import OTHER_CODE, CaseFactory, CitizenFactory, municipality

    with unscoped():
        foreign = make_loan(
            case=CaseFactory(
                citizen=CitizenFactory(municipality=municipality(OTHER_CODE)), stage="establishment"
            )
        )
    client.force_login(team_member)
    assert client.get(reverse("loans:repayment", args=[foreign.pk])).status_code == 404
