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
from loans.repayment import register_payment
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
    assert sum(m["total"] for m in months) == D(4800)
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
    today = small_book["today"]
    case = CaseFactory(programme=small_book["programme"], stage=Stage.RUNNING)
    # 61 days ended, 30 days running to today: 91 days = 2.99 months.
    SupportGrant.objects.create(
        case=case,
        state=SupportState.ENDED,
        starts_on=today - datetime.timedelta(days=91),
        months=6,
        ends_on=today + datetime.timedelta(days=90),
        ended_on=today - datetime.timedelta(days=30),
    )
    SupportGrant.objects.create(
        case=CaseFactory(stage=Stage.RUNNING),
        state=SupportState.GRANTED,
        starts_on=today - datetime.timedelta(days=30),
        months=6,
        ends_on=today + datetime.timedelta(days=150),
    )
    figures = reports.loan_figures(ReportFilters(), today=today)
    assert figures == {
        "support_months": D("3.0"),  # 61 + 30 = 91 days / 30.4375
        "loans_paid_out": D(26800),
        "loans_repaid": D(3500),  # L2 2,000 + L4 500 + L5 1,000
        "loans_written_off": D(2500),
        "cases_with_loan": 5,
    }
    mine = reports.loan_figures(ReportFilters(programme=small_book["programme"]), today=today)
    assert mine["loans_paid_out"] == D(12000) and mine["cases_with_loan"] == 1
    assert mine["support_months"] == D("2.0")  # 61 days
    # Through the registry, as the business case reads them.
    assert business_case_inputs(ReportFilters())["cases_with_loan"] == 5


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


def test_the_chart_has_the_last_twelve_months_across_a_new_year():
    from loans.models import Loan

    months = reports.paid_out_per_month(Loan.objects.none(), datetime.date(2026, 1, 15))
    first, second = months[0]["month"], months[1]["month"]
    assert (first, second) == (datetime.date(2025, 2, 1), datetime.date(2025, 3, 1))
    assert months[-1]["month"] == datetime.date(2026, 1, 1) and len(months) == 12
