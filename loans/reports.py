"""The loans app on the team's start page ("Mine opgaver") and the dashboard
(``reports:dashboard``): the counts, the loan book section, the business
case's actual figures and the loan book's export. Every figure of the book
comes from :func:`loans.book.loan_book` (the loan book page's own); a fixed
number of queries each, whatever the size of the book."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applicants.reports.registry import (
    TaskCount,
    register_business_case_input,
    register_report_section,
    register_report_table,
    register_task_counts,
)
from applicants.reports.selectors import DAYS_PER_MONTH
from mikrolaan.charts import Bar, bar_chart

from . import book
from .arrears import DEFINITIONS
from .models import LineStatus, Loan, LoanState, StatementLine, SupportGrant, SupportState

MONTHS_SHOWN = 12


# --- My tasks ---------------------------------------------------------------------------


@register_task_counts(order=40)
def loan_tasks(request) -> list[TaskCount]:
    """Three queries: the loans' counts in one aggregate, the grants ending
    within ``SUPPORT_WATCH_DAYS``, the bank statement lines not matched."""
    today = timezone.localdate()
    loans = Loan.objects.aggregate(
        overdue=Count(
            "pk",
            filter=Q(state=LoanState.DISBURSED, balance__first_unpaid_due__lt=today),
        ),
        approval=Count("pk", filter=Q(state=LoanState.RECOMMENDED)),
        payout=Count("pk", filter=Q(state=LoanState.APPROVED)),
    )
    ending = SupportGrant.objects.filter(
        state=SupportState.GRANTED,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=settings.SUPPORT_WATCH_DAYS),
    ).count()
    unmatched = StatementLine.objects.filter(status=LineStatus.QUEUED).count()
    home = reverse("home")
    return [
        TaskCount(
            "support_ending",
            _("Tilskud til forsørgelse, der slutter inden for %(days)s dage")
            % {"days": settings.SUPPORT_WATCH_DAYS},
            ending,
            f"{home}#tasks-heading",
        ),
        TaskCount(
            "overdue_instalments",
            _("Lån med forfaldne, ubetalte afdrag"),
            loans["overdue"],
            reverse("loans:loan_book"),
        ),
        TaskCount(
            "unmatched_bank_lines",
            _("Linjer i kontoudtog, der ikke er afstemt"),
            unmatched,
            reverse("loans:payments_inbox"),
        ),
        TaskCount(
            "loans_awaiting_approval",
            _("Lån, der venter på godkendelse"),
            loans["approval"],
            f"{home}#loans-approval-heading",
        ),
        TaskCount(
            "loans_awaiting_payout",
            _("Godkendte lån, der venter på udbetaling"),
            loans["payout"],
            f"{home}#loans-payout-heading",
        ),
    ]


# --- The dashboard ----------------------------------------------------------------------


def filtered_loans(filters):
    """The municipality's loans (scoped by the request), of one programme and
    paid out in the period when the filters say so."""
    loans = Loan.objects.all()
    if filters.programme is not None:
        loans = loans.filter(case__programme=filters.programme)
    if filters.date_from:
        loans = loans.filter(disbursed_on__gte=filters.date_from)
    if filters.date_to:
        loans = loans.filter(disbursed_on__lte=filters.date_to)
    return loans


def paid_out_per_month(loans, today: datetime.date) -> list[dict]:
    """The last ``MONTHS_SHOWN`` months' payouts (count and sum), one
    ``GROUP BY`` query; months without a payout are shown as 0."""
    back = today.year * 12 + today.month - 1 - (MONTHS_SHOWN - 1)
    first = datetime.date(back // 12, back % 12 + 1, 1)
    rows = (
        loans.filter(state__in=book.PAID_OUT, disbursed_on__gte=first)
        .annotate(month=TruncMonth("disbursed_on"))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"), total=Sum("principal"))
    )
    found = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        found[month] = row
    months, day = [], first
    while day <= today:
        row = found.get(day, {})
        months.append(
            {
                "month": day,
                "label": date_format(day, "M Y"),
                "count": row.get("count", 0),
                "total": row.get("total") or book.ZERO,
            }
        )
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def loan_book_section(request, filters) -> dict:
    """The dashboard's loan book: the book's figures (three queries) and the
    payouts per month (one)."""
    today = timezone.localdate()
    loans = filtered_loans(filters)
    figures = book.loan_book(loans, today)
    months = paid_out_per_month(loans, today)
    chart = bar_chart(
        [Bar(m["label"], m["total"]) for m in months],
        title=_("Udbetalte lån pr. måned (kr.)"),
        label_width=120,
        suffix=" kr.",
    )
    return {
        "book": figures,
        "definitions": DEFINITIONS,
        "months": months,
        "chart": chart,
        "filtered": bool(filters.programme or filters.date_from or filters.date_to),
    }


register_report_section("loans/includes/report_loan_book.html", loan_book_section, order=30)


# --- The business case ------------------------------------------------------------------


@register_business_case_input
def loan_figures(filters, *, today: datetime.date | None = None) -> dict:
    """The programme's actual figures (two queries): the loans paid out
    (in the period), the principal repaid on them, the balance written off
    and the citizens' cases with a loan, in one aggregate; the months of
    subsistence support run (from the grant's start to its end — the day it
    ended, else its last day — or today, in months of 30.4375 days, the
    pipeline's unit), for grants starting in the period. The support's
    amounts are not held here (the job centre pays it), so ``support_paid``
    is left to the business case's estimate."""
    today = today or timezone.localdate()
    loans = filtered_loans(filters).filter(state__in=book.PAID_OUT)
    outstanding = book._money(F("balance__principal")) - book._money(F("balance__allocated"))
    row = loans.aggregate(
        paid_out=book._money(Sum("principal")),
        written_off=book._money(
            Sum(outstanding, filter=Q(state=LoanState.WRITTEN_OFF), output_field=book.MONEY)
        ),
        repaid=book._money(Sum("balance__allocated")),
        cases=Count("case", distinct=True),
    )
    grants = SupportGrant.objects.filter(starts_on__lte=today)
    if filters.programme is not None:
        grants = grants.filter(case__programme=filters.programme)
    if filters.date_from:
        grants = grants.filter(starts_on__gte=filters.date_from)
    if filters.date_to:
        grants = grants.filter(starts_on__lte=filters.date_to)
    end = Least(Coalesce("ended_on", "ends_on"), Value(today, output_field=DateField()))
    run = grants.aggregate(
        d=Sum(ExpressionWrapper(end - F("starts_on"), output_field=DurationField()))
    )["d"] or datetime.timedelta(0)
    months = Decimal(run.days) / DAYS_PER_MONTH
    return {
        "support_months": months.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        "loans_paid_out": row["paid_out"],
        "loans_repaid": row["repaid"],
        "loans_written_off": row["written_off"],
        "cases_with_loan": row["cases"],
    }


# --- The export -------------------------------------------------------------------------


def loan_book_table(request, filters):
    """The book's figures as a table (names no citizen; the loans one by one
    are the loan book page's own CSV)."""
    figures = book.loan_book(filtered_loans(filters), timezone.localdate())
    rows = [
        [_("Udbetalt"), figures.paid_out_count, figures.paid_out],
        [_("Restgæld på lån, der løber"), figures.running_count, figures.outstanding],
        [_("Tilbagebetalt"), figures.repaid_count, figures.repaid],
        [_("Afskrevet"), figures.written_off_count, figures.written_off],
        *[[str(label), count, amount] for _key, label, count, amount in figures.buckets],
        [_("I risiko (PAR30)"), "", figures.at_risk],
        [_("PAR30"), "", figures.par30 if figures.par30 is not None else ""],
        [_("Forfaldent til dato"), "", figures.due_so_far],
        [_("Betalt på forfaldne afdrag"), "", figures.paid_on_due],
        [
            _("Tilbagebetalingsgrad"),
            "",
            figures.repayment_rate if figures.repayment_rate is not None else "",
        ],
    ]
    return _("Låneportefølje"), [_("Tal"), _("Lån"), _("Beløb (kr.)")], rows


register_report_table("laanebog", loan_book_table)
