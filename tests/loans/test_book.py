"""The loan book: the set-based figures equal the definitions computed loan
by loan (``loans.arrears``) on a demo book with every kind of borrower; the
page prints the definitions and keeps its query count; the CSV."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from loans import arrears
from loans.allocation import PlanInstalment
from loans.book import loan_book
from loans.models import Instalment, Loan, LoanState, PaymentAllocation
from loans.repayment_demo import seed_payments
from loans.services import write_off_loan
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date.today()


@pytest.fixture
def book(team_member, team_lead):
    loans = []
    for n in range(24):
        loans.append(
            make_loan(
                principal=D(6000 + 500 * n),
                disbursed_on=TODAY - datetime.timedelta(days=60 + 23 * n),
                recommender=team_member,
                approver=team_lead,
            )
        )
    seed_payments([loan.pk for loan in loans], today=TODAY, seed=3)
    write_off_loan(actor=team_lead, loan=loans[5], reason="Konkurs")
    return loans


def by_hand(today):
    """Every loan's position from its instalments and stored allocations."""
    rows = defaultdict(list)
    for loan_id, seq, due, amount in Instalment.objects.filter(plan__is_current=True).values_list(
        "plan__loan_id", "seq", "due_date", "amount"
    ):
        rows[loan_id].append(PlanInstalment(seq, due, amount))
    paid = defaultdict(lambda: defaultdict(D))
    for loan_id, seq, amount in PaymentAllocation.objects.filter(
        plan__is_current=True, instalment__isnull=False
    ).values_list("plan__loan_id", "instalment__seq", "amount"):
        paid[loan_id][seq] += amount
    positions = {}
    for loan in Loan.objects.filter(
        state__in=[LoanState.DISBURSED, LoanState.REPAID, LoanState.WRITTEN_OFF]
    ):
        written_off = loan.closed_at.date() if loan.state == LoanState.WRITTEN_OFF else None
        positions[loan.pk] = (
            loan,
            arrears.position(rows[loan.pk], paid[loan.pk], today, written_off_on=written_off),
        )
    return positions


def test_the_book_equals_the_definitions_loan_by_loan(book):
    figures = loan_book(Loan.objects.all(), TODAY)
    positions = by_hand(TODAY)
    running = [p for loan, p in positions.values() if loan.state == LoanState.DISBURSED]
    assert figures.outstanding == sum(p.outstanding for p in running)
    assert figures.par30 == arrears.par(running)
    assert figures.par30 is not None and 0 < figures.par30 < 1
    assert figures.repayment_rate == arrears.repayment_rate([p for _l, p in positions.values()])
    counts = defaultdict(int)
    for p in running:
        counts[arrears.bucket(p.days_past_due)] += 1
    assert {key: n for key, _label, n, _o in figures.buckets if n} == dict(counts)
    assert sum(n for _k, _l, n, _o in figures.buckets) == figures.running_count
    assert figures.written_off_count == 1


def test_the_book_page_prints_the_definitions_at_a_pinned_query_count(
    client, team_member, book, django_assert_num_queries
):
    client.force_login(team_member)
    url = reverse("loans:loan_book")
    client.get(url)  # warm the session and the access log's visit
    # session, user, profile+municipality, nav, 3 aggregates (book, rate,
    # recoveries), the page's count and rows, access log — whatever the book's size.
    response = client.get(url)
    with django_assert_num_queries(_count(client, url)):
        response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "CGAP" in text and "Tilbagebetalingsgrad" in text
    assert "hele restgælden på alle lån, hvor et afdrag er mere end 30 dage forsinket" in text


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_more_loans_do_not_add_queries(client, team_member, team_lead, book):
    client.force_login(team_member)
    url = reverse("loans:loan_book")
    client.get(url)
    before = _count(client, url)
    extra = [
        make_loan(principal=D(9000), recommender=team_member, approver=team_lead) for _ in range(3)
    ]
    seed_payments([loan.pk for loan in extra], today=TODAY)
    assert _count(client, url) == before


def test_the_csv_lists_the_book(client, team_member, book):
    client.force_login(team_member)
    response = client.get(reverse("loans:loan_book_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 1 + 24
    assert "Dage i restance" in body.splitlines()[0]


def test_the_repayment_page_shows_the_plan_and_payments(client, team_member, book):
    loan = book[10]
    client.force_login(team_member)
    url = reverse("loans:repayment", args=[loan.pk])
    client.get(url)
    before = _count(client, url)
    response = client.get(url)
    assert response.status_code == 200
    assert loan.payment_id in response.content.decode()
    assert before == _count(client, reverse("loans:repayment", args=[book[20].pk]))


def test_par30_by_hand(team_member, team_lead):
    """Three loans of 12.000 kr. paid out on 31 March 2026 (100 kr. a month from
    30 April), seen on 15 July 2026: one on time, one behind since 31 May (45
    days: at risk), one behind since 30 June (15 days: not at risk)."""
    from loans.repayment import register_payment

    today = datetime.date(2026, 7, 15)
    loans = [
        make_loan(
            principal=D(12000),
            disbursed_on=datetime.date(2026, 3, 31),
            recommender=team_member,
            approver=team_lead,
        )
        for _ in range(3)
    ]
    paid = [D(300), D(100), D(200)]  # April–June, April, April–May
    for loan, amount in zip(loans, paid, strict=True):
        register_payment(
            actor=team_member, loan=loan, value_date=datetime.date(2026, 4, 30), amount=amount
        )
    figures = loan_book(Loan.objects.filter(pk__in=[loan.pk for loan in loans]), today)
    # Outstanding 11.700 + 11.900 + 11.800 = 35.400; at risk 11.900.
    assert figures.outstanding == D(35400)
    assert figures.at_risk == D(11900)
    assert figures.par30 == D("0.3362")  # 11.900 ÷ 35.400 = 0,33616…
    assert {key: n for key, _l, n, _o in figures.buckets} == {
        "current": 1,
        "1-30": 1,
        "31-90": 1,
        "90+": 0,
    }
    # Due by 15 July: April, May, June = 300 kr. a loan; paid on them 300 + 100 + 200.
    assert (figures.due_so_far, figures.paid_on_due) == (D(900), D(600))
    assert figures.repayment_rate == D("0.6667")


def test_the_list_logs_access_to_the_borrowers_it_shows(client, team_member, book):
    """The list reads its rows as values: ``book.list_rows`` itself tells the
    access log which borrowers the page showed, by name, and links each loan
    to its repayment page."""
    from mikrolaan.models import AccessLogEntry

    client.force_login(team_member)
    body = client.get(reverse("loans:loan_book")).content.decode()
    entries = list(AccessLogEntry.objects.all())
    assert {e.subject_id for e in entries} == {str(loan.citizen_id) for loan in book}
    for entry in entries:
        assert entry.subject_repr and entry.subject_repr in body
    for loan in book:
        assert f'href="{reverse("loans:repayment", args=[loan.pk])}"' in body
