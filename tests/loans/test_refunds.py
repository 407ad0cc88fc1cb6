"""Refunds of a held overpayment: at most what is held, never edited but
reversed with a reason; the allocation of payments stays; a later reversal
of a payment can leave the borrower owing a refund back, shown honestly;
the held amount (overpaid − refunded) on the repayment page, the loan page,
the loan book and its CSV, the portal and the statement of account."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loans.book import loan_book
from loans.models import Loan, LoanBalance, PaymentAllocation, Refund, RefundReversal
from loans.refunds import RefundRefused, register_refund, reverse_refund
from loans.repayment import reallocate, register_payment, reverse_payment
from loans.services import LoanRefused
from mikrolaan.access_log import insert_queries
from mikrolaan.letters.models import Letter
from mikrolaan.models import AuditEvent
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date.today()


@pytest.fixture
def loan(team_member, team_lead):
    return make_loan(
        principal=D(1200),
        disbursed_on=TODAY - datetime.timedelta(days=60),
        recommender=team_member,
        approver=team_lead,
    )


@pytest.fixture
def overpaid(loan, team_member):
    """1,200 kr. lent; 1,000 and then 450.50 paid: 250.50 held."""
    first = register_payment(
        actor=team_member, loan=loan, value_date=TODAY - datetime.timedelta(days=5), amount=D(1000)
    )
    register_payment(actor=team_member, loan=loan, value_date=TODAY, amount=D("450.50"))
    loan.refresh_from_db()
    loan.first_payment = first
    return loan


def balance(loan):
    return LoanBalance.objects.get(loan=loan)


def allocation_rows(loan):
    return sorted(
        PaymentAllocation.objects.filter(payment__loan=loan).values_list(
            "payment_id", "instalment_id", "amount"
        ),
        key=str,
    )


def refund(loan, actor, amount, **kwargs):
    return register_refund(
        actor=actor,
        loan=loan,
        amount=D(amount),
        paid_on=kwargs.pop("paid_on", TODAY),
        method=kwargs.pop("method", "borrower_account"),
        account=kwargs.pop("account", "1234 0012345678"),
        **kwargs,
    )


def test_a_refund_lowers_what_is_held_and_leaves_the_allocation(overpaid, team_member):
    assert balance(overpaid).held_overpayment == D("250.50")
    before = allocation_rows(overpaid)
    made = refund(overpaid, team_member, "200", reference="Bilag 17", note="Ringet først")
    after = balance(overpaid)
    assert (after.overpayment, after.refunded, after.held_overpayment) == (
        D("250.50"),
        D("200"),
        D("50.50"),
    )
    assert allocation_rows(overpaid) == before
    assert Loan.objects.get(pk=overpaid.pk).state == "repaid"
    event = AuditEvent.objects.get(action="refund.registered")
    assert event.data["amount"] == "200" and event.data["held_after"] == "50.50"
    assert made.registered_by == team_member and made.reference == "Bilag 17"
    # The replay writes the same refunded sum.
    reallocate([overpaid.pk])
    assert balance(overpaid).held_overpayment == D("50.50")


def test_the_borrower_gets_a_letter_stating_the_facts(overpaid, team_member):
    made = refund(overpaid, team_member, "250.50")
    letter = Letter.objects.get(pk=made.letter_id)
    assert letter.kind == "refund_notice" and letter.recipient_id == overpaid.citizen_id
    assert letter.context["amount"] == "250.50" and letter.context["held_after"] == "0.00"
    assert letter.context["account"] == "1234 0012345678"
    # Said to the borrower, not the team's label of the choice.
    assert letter.context["method_label"] == "Overført til din bankkonto"


@pytest.mark.parametrize(
    ("amount", "kwargs", "field", "message"),
    [
        ("0", {}, "amount", "Beløbet skal være større end 0 kr."),
        ("250.51", {}, "amount", "Der er kun 250,50 kr. til gode til låntageren."),
        ("1.005", {}, "amount", "Beløbet skal være i hele øre."),
        ("10", {"paid_on": TODAY + datetime.timedelta(days=1)}, "paid_on", "fremtiden"),
        ("10", {"account": " "}, "account", "Skriv kontoen"),
        ("10", {"method": "gift"}, "method", "Vælg hvordan"),
    ],
)
def test_a_wrong_refund_is_refused_in_danish(overpaid, team_member, amount, kwargs, field, message):
    with pytest.raises(RefundRefused) as refused:
        refund(overpaid, team_member, amount, **kwargs)
    assert any(message in reason for reason in refused.value.by_field[field])
    assert not Refund.objects.exists()


def test_nothing_held_nothing_to_refund(loan, team_member):
    register_payment(actor=team_member, loan=loan, value_date=TODAY, amount=D(100))
    with pytest.raises(RefundRefused, match="intet overskydende beløb"):
        refund(loan, team_member, "1")


def test_a_reversed_refund_is_held_again_and_stays(overpaid, team_member):
    made = refund(overpaid, team_member, "250.50", send_letter=False)
    assert made.letter_id is None and balance(overpaid).held_overpayment == 0
    with pytest.raises(LoanRefused):
        reverse_refund(actor=team_member, refund=made, reason=" ")
    reverse_refund(actor=team_member, refund=made, reason="Kontoen findes ikke")
    assert balance(overpaid).held_overpayment == D("250.50")
    assert Refund.objects.get().amount == D("250.50")  # kept, never deleted
    with pytest.raises(LoanRefused, match="allerede tilbageført"):
        reverse_refund(actor=team_member, refund=made, reason="Igen")
    reallocate([overpaid.pk])
    assert balance(overpaid).refunded == 0
    assert RefundReversal.objects.get().reason == "Kontoen findes ikke"


def test_a_payment_reversed_after_its_refund_leaves_the_borrower_owing_it(
    client, overpaid, team_member
):
    refund(overpaid, team_member, "250.50", send_letter=False)
    reverse_payment(actor=team_member, payment=overpaid.first_payment, reason="Forkert lån")
    after = balance(overpaid)
    assert (after.overpayment, after.refunded, after.held_overpayment) == (
        D(0),
        D("250.50"),
        D("-250.50"),
    )
    assert after.outstanding == D("749.50")
    assert Loan.objects.get(pk=overpaid.pk).state == "disbursed"
    # Nothing more can be refunded; the pages say what is owed.
    with pytest.raises(RefundRefused):
        refund(overpaid, team_member, "1")
    client.force_login(team_member)
    page = client.get(reverse("loans:repayment", args=[overpaid.pk])).content.decode()
    assert "Tilbagebetalt for meget – låntageren skylder" in page and "250,50 kr." in page
    detail = client.get(reverse("loans:loan_detail", args=[overpaid.pk])).content.decode()
    assert "250,50 kr. er betalt for meget tilbage og skyldes af låntageren" in detail
    figures = loan_book(Loan.objects.all(), TODAY)
    assert (figures.overpayment, figures.owed_back) == (D(0), D("250.50"))


def test_the_held_amount_on_the_loan_page_the_book_and_its_csv(client, overpaid, team_member):
    refund(overpaid, team_member, "50", send_letter=False)
    client.force_login(team_member)
    detail = client.get(reverse("loans:loan_detail", args=[overpaid.pk])).content.decode()
    assert "200,50 kr. indbetalt for meget skal betales tilbage" in detail
    assert loan_book(Loan.objects.all(), TODAY).overpayment == D("200.50")
    book = client.get(reverse("loans:loan_book")).content.decode()
    assert "200,50 kr. er indbetalt ud over lånebeløbet" in book
    body = b"".join(client.get(reverse("loans:loan_book_csv")).streaming_content)
    lines = body.decode("utf-8-sig").strip().splitlines()
    assert lines[0].endswith(";Overskydende til tilbagebetaling")
    row = next(line for line in lines if overpaid.payment_id in line)
    assert row.endswith(";200,50")


# --- the repayment page --------------------------------------------------------------


def form(amount="250,50", **extra):
    return {
        "refund-amount": amount,
        "refund-paid_on": TODAY.isoformat(),
        "refund-method": "borrower_account",
        "refund-account": "1234 0012345678",
        "refund-reference": "Bilag 9",
        "refund-note": "",
        "refund-send_letter": "on",
        **extra,
    }


def test_register_and_reverse_a_refund_on_the_repayment_page(client, overpaid, team_member):
    client.force_login(team_member)
    page = client.get(reverse("loans:repayment", args=[overpaid.pk])).content.decode()
    assert "Tilbagebetaling af overskydende beløb" in page
    assert 'value="250,50"' in page  # what is held, offered
    response = client.post(
        reverse("loans:refund_register", args=[overpaid.pk]), form(), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "Tilbagebetalingen er registreret. Brevet til låntageren er bestilt." in messages
    made = Refund.objects.get()
    assert made.letter_id is not None
    page = response.content.decode()
    assert "Bilag 9" in page and "Tilbagebetalt til låntageren" in page
    response = client.post(
        reverse("loans:refund_reverse", args=[overpaid.pk, made.pk]),
        {"reason": "Pengene kom retur"},
        follow=True,
    )
    assert "Tilbageført: Pengene kom retur" in response.content.decode()
    assert balance(overpaid).held_overpayment == D("250.50")


def test_a_wrong_refund_form_keeps_the_input_and_names_the_field(client, overpaid, team_member):
    client.force_login(team_member)
    url = reverse("loans:refund_register", args=[overpaid.pk])
    response = client.post(url, form(amount="300", **{"refund-note": "Ringede i går"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Der er kun 250,50 kr. til gode til låntageren." in page
    assert 'href="#id_refund-amount"' in page
    assert "Ringede i går" in page and 'value="300"' in page
    response = client.post(url, form(amount="abc"))
    assert response.status_code == 400 and "Skriv et beløb i kroner" in response.content.decode()
    assert not Refund.objects.exists()


def test_another_municipalitys_refund_is_not_found(client, team_member, overpaid):
    from mikrolaan.tenancy import unscoped
    from tests.factories import OTHER_CODE, CaseFactory, CitizenFactory, municipality

    with unscoped():
        foreign = make_loan(
            case=CaseFactory(
                citizen=CitizenFactory(municipality=municipality(OTHER_CODE)), stage="establishment"
            )
        )
    client.force_login(team_member)
    response = client.post(reverse("loans:refund_register", args=[foreign.pk]), form())
    assert response.status_code == 404
    mine = refund(overpaid, team_member, "1", send_letter=False)
    response = client.post(
        reverse("loans:refund_reverse", args=[foreign.pk, mine.pk]), {"reason": "x"}
    )
    assert response.status_code == 404


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# 1 session, 2 user with municipality and roles, 3 the loan with citizen,
# case, municipality and balance, 4 plans, 5 instalments with what they
# received, 6 payments with reversals, 7 what each paid, 8 refunds with
# reversals and people, 9 reminders, 10 reschedules — then the access log.
REPAYMENT_PAGE_QUERIES = 10


def test_the_repayment_page_query_count_is_pinned(
    client, overpaid, team_member, django_assert_num_queries
):
    refund(overpaid, team_member, "10", send_letter=False)
    client.force_login(team_member)
    url = reverse("loans:repayment", args=[overpaid.pk])
    client.get(url)
    with django_assert_num_queries(REPAYMENT_PAGE_QUERIES + insert_queries()):
        client.get(url)
    more = refund(overpaid, team_member, "20", send_letter=False)
    reverse_refund(actor=team_member, refund=more, reason="Retur")
    refund(overpaid, team_member, "30", send_letter=False)
    register_payment(actor=team_member, loan=overpaid, value_date=TODAY, amount=D(5))
    with django_assert_num_queries(REPAYMENT_PAGE_QUERIES + insert_queries()):
        client.get(url)


def test_the_borrower_sees_what_is_held_and_the_refund_in_the_statement(
    client, overpaid, team_member
):
    from mikrolaan.roles import Role
    from tests.factories import UserFactory
    from tests.letters.helpers import normalise, pdf_text

    refund(overpaid, team_member, "200", send_letter=False, paid_on=TODAY)
    owner = UserFactory(role=Role.CITIZEN)
    overpaid.citizen.user = owner
    overpaid.citizen.save(update_fields=["user"])
    client.force_login(owner)
    page = client.get(reverse("loans:portal_loan")).content.decode()
    assert "Du har betalt for meget, og vi betaler det tilbage" in page and "50,50 kr." in page
    pdf = client.get(reverse("loans:portal_statement", args=[overpaid.pk])).content
    text = normalise(pdf_text(pdf))
    day = TODAY.strftime("%d.%m.%Y")
    assert f"Tilbagebetalt til dig {day} 200 kr. Overført til din bankkonto" in text
    assert "Rater, der mangler Ingen. Lånet er betalt helt tilbage." in text
    assert "Til gode hos os (betales tilbage) 50,50 kr." in text
