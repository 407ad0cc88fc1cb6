"""The loans app on the team's start page and the dashboard: each figure
against a hand count on a small book (five loans paid out, one waiting for
approval, one for payout), the business case's actual figures and the
loan book's export."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Stage
from applicants.reports.registry import ReportFilters, business_case_inputs
from loans import reports
from loans.arrears import CURRENT, DAYS_1_30, DAYS_31_90, DAYS_OVER_90
from loans.models import (
    Instalment,
    LineStatus,
    LoanState,
    StatementImport,
    StatementLine,
    SupportGrant,
    SupportState,
)
from loans.repayment import register_payment, reverse_payment
from loans.services import mark_loan_repaid, write_off_loan
from screening.models import CourseGrant, Outcome
from tests.factories import CaseFactory, ProgrammeFactory
from tests.loans.helpers import make_loan
from tests.screening.helpers import decided_record

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def small_book(team_member, team_lead, home_municipality):
    """Instalments from the month after the payout (120 months):

    - L1 12,000, paid out 400 days ago, nothing paid: over 90 days late;
    - L2 6,000, same day, 2,000 paid: 40 instalments covered, current;
    - L3 4,800, paid out 20 days ago: nothing due yet, current;
    - L4 3,000, same day as L1, 500 paid, written off: 2,500 written off;
    - L5 1,000, same day as L1, paid in full: repaid;
    - a loan waiting for approval and one waiting for payout.

    L1's case belongs to a programme of its own."""
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    programme = ProgrammeFactory(name="Hold med ét lån")
    people = {"recommender": team_member, "approver": team_lead}
    l1 = make_loan(
        principal=D(12000),
        disbursed_on=long_ago,
        case=CaseFactory(programme=programme, stage=Stage.ESTABLISHMENT),
        **people,
    )
    l2 = make_loan(principal=D(6000), disbursed_on=long_ago, **people)
    register_payment(actor=team_member, loan=l2, value_date=today, amount=D(2000))
    make_loan(principal=D(4800), disbursed_on=today - datetime.timedelta(days=20), **people)
    l4 = make_loan(principal=D(3000), disbursed_on=long_ago, **people)
    register_payment(actor=team_member, loan=l4, value_date=today, amount=D(500))
    write_off_loan(actor=team_lead, loan=l4, reason="Konkurs")
    l5 = make_loan(principal=D(1000), disbursed_on=long_ago, **people)
    register_payment(actor=team_member, loan=l5, value_date=today, amount=D(1000))
    l5.refresh_from_db()
    if l5.state == LoanState.DISBURSED:
        mark_loan_repaid(actor=team_member, loan=l5, repaid_on=today)
    make_loan(state=LoanState.RECOMMENDED, **people)
    make_loan(state=LoanState.APPROVED, **people)
    due = {
        key: sum(
            Instalment.objects.filter(
                plan__loan=loan, plan__is_current=True, due_date__lte=today
            ).values_list("amount", flat=True),
            D(0),
        )
        for key, loan in (("l1", l1), ("l2", l2), ("l4", l4), ("l5", l5))
    }
    assert due["l1"] > 0 and due["l5"] < D(1000)
    return {"programme": programme, "l1": l1, "due": due, "today": today}


def test_the_loan_book_section_matches_a_hand_count(client, team_lead, small_book):
    client.force_login(team_lead)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    (section,) = [s for s in response.context["sections"] if s["template"].startswith("loans/")]
    book = section["context"]["book"]
    assert (book.paid_out_count, book.paid_out) == (5, D(26800))
    # Running: L1 12,000 + L2 4,000 + L3 4,800.
    assert (book.running_count, book.outstanding) == (3, D(20800))
    assert (book.repaid_count, book.repaid) == (1, D(1000))
    assert (book.written_off_count, book.written_off) == (1, D(2500))
    buckets = {key: (count, amount) for key, _label, count, amount in book.buckets}
    assert buckets == {
        CURRENT: (2, D(8800)),
        DAYS_1_30: (0, D(0)),
        DAYS_31_90: (0, D(0)),
        DAYS_OVER_90: (1, D(12000)),
    }
    # PAR30: L1's whole balance over the running loans' balance.
    assert book.at_risk == D(12000)
    assert book.par30 == D("0.5769")  # 12,000 / 20,800
    # Due so far: the instalments fallen due by today (the plans' own rows:
    # a tenth of a per cent of the principal a month, written off today for
    # L4); paid on them: the lesser of what was paid and what fell due.
    due = small_book["due"]
    assert book.due_so_far == sum(due.values())
    paid = min(due["l2"], D(2000)) + min(due["l4"], D(500)) + min(due["l5"], D(1000))
    assert book.paid_on_due == paid
    assert book.repayment_rate == (paid / sum(due.values())).quantize(D("0.0001"))
    html = response.content.decode()
    assert 'data-testid="report-par30"' in html and "PAR30 (portefølje i risiko" in html
    # The chart's months: only L3 was paid out within the last 12 months.
    months = section["context"]["months"]
    assert len(months) == 12
    assert sum(m["count"] for m in months) == 1
    assert sum(m["paid_out"] for m in months) == D(4800)
    # At the end of this month: the running loans' balance (the book's outstanding).
    assert months[-1]["outstanding"] == D(20800)
    assert '<svg class="chart"' in html


def test_the_section_follows_the_programme_filter(client, team_lead, small_book):
    client.force_login(team_lead)
    url = reverse("reports:dashboard") + f"?programme={small_book['programme'].pk}"
    response = client.get(url)
    (section,) = [s for s in response.context["sections"] if s["template"].startswith("loans/")]
    book = section["context"]["book"]
    assert (book.paid_out_count, book.outstanding, book.par30) == (1, D(12000), D(1))


def test_my_tasks_count_the_loans_support_and_bank_lines(
    client, team_member, small_book, home_municipality
):
    today = small_book["today"]
    for starts, ends, state in (
        (-30, 10, SupportState.GRANTED),  # ends within the watch's 28 days
        (-20, 40, SupportState.GRANTED),  # not yet
        (-60, 5, SupportState.ENDED),  # ended already
    ):
        SupportGrant.objects.create(
            case=CaseFactory(stage=Stage.RUNNING),
            state=state,
            starts_on=today + datetime.timedelta(days=starts),
            months=6,
            ends_on=today + datetime.timedelta(days=ends),
        )
    statement = StatementImport.objects.create(
        municipality_id=home_municipality.pk,
        filename="a.csv",
        format="csv",
        sha256="0" * 64,
        imported_by=team_member,
    )
    for no, status in enumerate((LineStatus.QUEUED, LineStatus.QUEUED, LineStatus.REGISTERED)):
        StatementLine.objects.create(
            statement=statement,
            line_no=no,
            booking_date=today,
            value_date=today,
            amount=D(100),
            occurrence=no + 1,
            status=status,
        )
    seatless = CaseFactory(stage="courses")
    screening = decided_record(seatless, 2, Outcome.COURSES_GRANTED)
    CourseGrant.objects.create(screening=screening, module="accounting")

    client.force_login(team_member)
    tasks = {t.key: t for t in client.get(reverse("home")).context["my_tasks"]}
    assert tasks["overdue_instalments"].count == 1  # L1
    assert tasks["overdue_instalments"].url == reverse("loans:loan_book")
    assert tasks["loans_awaiting_approval"].count == 1
    assert tasks["loans_awaiting_payout"].count == 1
    assert tasks["support_ending"].count == 1
    assert tasks["unmatched_bank_lines"].count == 2
    assert tasks["unmatched_bank_lines"].url == reverse("loans:payments_inbox")
    assert tasks["seatless_grants"].count == 1
    assert tasks["seatless_grants"].url.endswith("#seatless-heading")


def test_the_business_case_gets_the_actual_figures(small_book):
    from loans.support import period_end

    today = small_book["today"]
    case = CaseFactory(programme=small_book["programme"], stage=Stage.RUNNING)
    # Ended early: 91 days ago to 30 days ago, both included: 62 days.
    SupportGrant.objects.create(
        case=case,
        state=SupportState.ENDED,
        starts_on=today - datetime.timedelta(days=91),
        months=6,
        ends_on=today + datetime.timedelta(days=90),
        ended_on=today - datetime.timedelta(days=30),
    )
    # Running: 30 days ago to today, both included: 31 days.
    SupportGrant.objects.create(
        case=CaseFactory(stage=Stage.RUNNING),
        state=SupportState.GRANTED,
        starts_on=today - datetime.timedelta(days=30),
        months=6,
        ends_on=today + datetime.timedelta(days=150),
    )
    # Granted 6 months, extended by 2, run to its last day: 8 months exactly.
    starts = today - datetime.timedelta(days=400)
    SupportGrant.objects.create(
        case=CaseFactory(stage=Stage.SELF_SUPPORTING),
        state=SupportState.ENDED,
        starts_on=starts,
        months=6,
        extended_months=2,
        ends_on=period_end(starts, 8),
        ended_on=period_end(starts, 8),
    )
    # Not started yet: nothing.
    SupportGrant.objects.create(
        case=CaseFactory(stage=Stage.ESTABLISHMENT),
        starts_on=today + datetime.timedelta(days=5),
        months=6,
        ends_on=period_end(today + datetime.timedelta(days=5), 6),
    )
    figures = reports.loan_figures(ReportFilters(), today=today)
    assert figures == {
        "support_months": D("11.1"),  # 8 + (62 + 31) / 30.4375 = 11.06
        "loans_paid_out": D(26800),
        "loans_repaid": D(3500),  # L2 2,000 + L4 500 + L5 1,000
        "loans_written_off": D(2500),
        "cases_with_loan": 5,
    }
    mine = reports.loan_figures(ReportFilters(programme=small_book["programme"]), today=today)
    assert mine["loans_paid_out"] == D(12000) and mine["cases_with_loan"] == 1
    assert mine["support_months"] == D("2.0")  # 62 days
    # A period: the grants starting in it (the running one).
    recent = ReportFilters(date_from=today - datetime.timedelta(days=31))
    assert reports.support_months(recent, today) == D("1.0")  # 31 days
    # Through the registry, as the business case reads them.
    assert business_case_inputs(ReportFilters())["cases_with_loan"] == 5


def test_the_business_case_page_costs_the_granted_support(client, team_lead, small_book):
    from applicants.models import BusinessCaseAssumptions

    today = small_book["today"]
    SupportGrant.objects.create(
        case=CaseFactory(stage=Stage.RUNNING),
        starts_on=today - datetime.timedelta(days=60),
        months=6,
        ends_on=today + datetime.timedelta(days=120),
    )
    BusinessCaseAssumptions.objects.create(support_cost_per_month=D(10000))
    client.force_login(team_lead)
    response = client.get(reverse("reports:business_case"))
    case = response.context["case"]
    # 61 days / 30.4375 = 2.0 months × 10,000 kr.
    assert case.support_months == D("2.0") and not case.support_months_estimated
    assert case.support_cost == D(20000)
    source = response.content.decode().split('data-testid="support-source">')[1]
    assert source.startswith("Tilskuddet til forsørgelse er beregnet ud fra bevillingerne")
    assert "ikke jobcentrets faktiske udbetalinger" in source.split("</p>")[0]


def test_the_loan_book_exports_with_decimal_comma(client, team_lead, small_book):
    client.force_login(team_lead)
    response = client.get(reverse("reports:export", args=["laanebog", "csv"]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    figures = {row[0]: row[1:] for row in rows if row}
    assert figures["Udbetalt"][0] == "5"
    assert figures["Restgæld på lån, der løber"][0] == "3"
    assert figures["PAR30"][1] == "0,5769"
    response = client.get(reverse("reports:export", args=["laanebog", "xlsx"]))
    assert response.status_code == 200


def test_the_chart_has_the_last_twelve_months_across_a_new_year(db):
    from loans.models import Loan

    months = reports.book_over_time(Loan.objects.none(), datetime.date(2026, 1, 15))
    first, second = months[0]["month"], months[1]["month"]
    assert (first, second) == (datetime.date(2025, 2, 1), datetime.date(2025, 3, 1))
    assert months[-1]["month"] == datetime.date(2026, 1, 1) and len(months) == 12
    assert {m["outstanding"] for m in months} == {D(0)}


def _month(today, back, day):
    """Day ``day`` of the month ``back`` months before today's."""
    n = today.year * 12 + today.month - 1 - back
    return datetime.date(n // 12, n % 12 + 1, day)


@pytest.fixture
def book_months(team_member, team_lead):
    """Months m-3 … m0 (m0 this month):

    - C 2,000 paid out 14 months ago (before the months shown), nothing paid;
    - A 10,000 paid out in m-3; 1,000 paid in m-2, 1,500 in m-1, and 700 in
      m-1 reversed;
    - B 4,000 paid out in m-2; 500 paid in m-1, written off today (3,500),
      then 200 recovered today;
    - D 1,000 paid out in m-2, 1,200 paid in m-1: 1,000 repaid, 200 beyond;
    - a loan of another programme's case, filtered out below."""
    today = timezone.localdate()
    people = {"recommender": team_member, "approver": team_lead}
    programme = ProgrammeFactory(name="Holdet")
    loans = {}
    for key, principal, back, day in (
        ("C", 2000, 14, 10),
        ("A", 10000, 3, 1),
        ("B", 4000, 2, 3),
        ("D", 1000, 2, 4),
    ):
        loans[key] = make_loan(
            principal=D(principal),
            disbursed_on=_month(today, back, day),
            case=CaseFactory(programme=programme, stage=Stage.ESTABLISHMENT),
            **people,
        )
    make_loan(principal=D(7000), disbursed_on=_month(today, 2, 1), **people)
    pay = {"actor": team_member}
    register_payment(**pay, loan=loans["A"], value_date=_month(today, 2, 15), amount=D(1000))
    register_payment(**pay, loan=loans["A"], value_date=_month(today, 1, 10), amount=D(1500))
    wrong = register_payment(**pay, loan=loans["A"], value_date=_month(today, 1, 20), amount=D(700))
    reverse_payment(actor=team_lead, payment=wrong, reason="Forkert lån")
    register_payment(**pay, loan=loans["B"], value_date=_month(today, 1, 5), amount=D(500))
    register_payment(**pay, loan=loans["D"], value_date=_month(today, 1, 6), amount=D(1200))
    write_off_loan(actor=team_lead, loan=loans["B"], reason="Konkurs")
    register_payment(**pay, loan=loans["B"], value_date=today, amount=D(200))
    return {"programme": programme, "today": today, "loans": loans}


def test_the_loan_book_month_by_month_matches_a_hand_count(
    client, team_lead, book_months, django_assert_num_queries
):
    from loans.models import Loan

    today = book_months["today"]
    loans = Loan.objects.filter(case__programme=book_months["programme"])
    with django_assert_num_queries(1):
        months = reports.book_over_time(loans, today)
    assert len(months) == 12 and months[-1]["month"] == _month(today, 0, 1)
    got = [
        (m["count"], m["paid_out"], m["repaid"], m["written_off"], m["outstanding"])
        for m in months[-4:]
    ]
    assert got == [
        (1, D(10000), D(0), D(0), D(12000)),  # m-3: C's 2,000 + A
        (2, D(5000), D(1000), D(0), D(16000)),  # m-2: B and D
        (0, D(0), D(3000), D(0), D(13000)),  # m-1: A 1,500, B 500, D 1,000 (not the 700)
        (0, D(0), D(0), D(3500), D(9500)),  # m0: B written off; the 200 recovered
    ]
    assert {m["outstanding"] for m in months[:-4]} == {D(2000)}
    # Today's balance is the book's outstanding: A 7,500 + C 2,000.
    assert reports.book.loan_book(loans, today).outstanding == D(9500)
    # The whole municipality: the other programme's 7,000 paid out in m-2 too.
    everything = reports.book_over_time(Loan.objects.all(), today)
    assert everything[-3]["paid_out"] == D(12000) and everything[-1]["outstanding"] == D(16500)
    # On the dashboard, with the programme filter: the chart and the same numbers in the table.
    client.force_login(team_lead)
    url = reverse("reports:dashboard") + f"?programme={book_months['programme'].pk}"
    response = client.get(url)
    (section,) = [s for s in response.context["sections"] if s["template"].startswith("loans/")]
    assert [m["outstanding"] for m in section["context"]["months"]] == [
        m["outstanding"] for m in months
    ]
    html = response.content.decode()
    assert html.count('data-testid="report-month-outstanding"') == 12
    assert 'data-testid="report-month-outstanding">9.500 kr.' in html
