"""The loans app on the team's start page ("Mine opgaver") and the dashboard
(``reports:dashboard``): the counts, the loan book section, the business
case's actual figures and the loan book's export. Every figure of the book
comes from :func:`loans.book.loan_book` (the loan book page's own); a fixed
number of queries each, whatever the size of the book."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.conf import settings
from django.core.exceptions import EmptyResultSet
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
from django.db.models.functions import Coalesce, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from applicants.reports.registry import (
    TaskCount,
    once_per_request,
    register_business_case_input,
    register_report_section,
    register_report_table,
    register_task_counts,
)
from applicants.reports.selectors import DAYS_PER_MONTH
from mikrolaan.charts import Bar, bar_chart
from mikrolaan.formatting import format_kr
from mikrolaan.precompiled import AggregatesOnce

from . import book
from .arrears import DEFINITIONS
from .models import (
    LineStatus,
    Loan,
    LoanState,
    Payment,
    PaymentAllocation,
    PaymentReversal,
    RepaymentPlan,
    StatementLine,
    SupportGrant,
    SupportState,
)

MONTHS_SHOWN = 12

# The aggregate statements of the dashboard and the business case, built by
# the ORM once per municipality, filter (and day) and afterwards only executed.
_STATEMENTS = AggregatesOnce()


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


def _month_sql(connection, column: str, *, at: bool = False) -> tuple[str, list]:
    """SQL for the month of a date column as a number (year × 12 + month −
    1); of a point in time (``at``) in the current time zone. The
    backend's own extract functions."""
    ops, tz = connection.ops, timezone.get_current_timezone_name()
    sql, params = [], []
    for part in ("year", "month"):
        if at:
            piece, values = ops.datetime_extract_sql(part, column, (), tz)
        else:
            piece, values = ops.date_extract_sql(part, column, ())
        sql.append(piece)
        params += values
    return f"({sql[0]} * 12 + {sql[1]} - 1)", params


def book_over_time(loans, today: datetime.date, *, key=None) -> list[dict]:
    """The loan book month by month, the last ``MONTHS_SHOWN`` months to
    ``today``: what was paid out (loans and kroner), repaid, written off in
    each month, and the principal outstanding at each month's end.

    - paid out: the loans' principal on the payout day;
    - repaid: the principal the payments paid, on their value dates: what
      was paid, less what was paid beyond the principal (allocated to no
      instalment of the current plan); a reversed payment paid nothing;
    - written off: what the payments had not repaid, on the day of the
      write-off; a payment after it (a recovery) repays no principal: the
      written-off loan owes nothing after the write-off;
    - outstanding at a month's end: paid out to then − repaid to then −
      written off to then (today's is the book's outstanding).

    One query: the payouts, the write-offs, the payments (with their loan's
    month of write-off) and what was paid beyond the principal, summed per
    month, everything before the first month shown in one opening row; the
    running balance is added up here over the months shown.

    Four sums each built as ORM expressions cost more to compile than to
    run, so the statement is written here over the ORM's own
    (municipality-scoped) query of the loans, read once as a common table
    expression that every payment and allocation joins, with parameters for
    every value. With ``key`` (what ``loans`` selects beyond the request's
    municipality, as :func:`loans.book.loan_book`'s) the statement is built
    once per key and day and afterwards only executed."""
    from django.db import connection

    current = today.year * 12 + today.month - 1
    first = current - (MONTHS_SHOWN - 1)
    before = first - 1
    if key is None:
        sql, params = _over_time_sql(loans, today, before)
    else:
        sql, params = _STATEMENTS.sql(
            ("over_time", key, today), lambda: _over_time_sql(loans, today, before)
        )
    rows = []
    if sql is not None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    payouts: dict = defaultdict(int)
    moves: dict = defaultdict(lambda: defaultdict(lambda: book.ZERO))
    for month, month_off, kind, n, amount in rows:
        month, amount = int(month), Decimal(amount or 0)
        if kind == "payout":
            payouts[month] += n
            moves[month]["paid_out"] += amount
        elif kind == "written_off":
            moves[month]["written_off"] += amount
        elif kind == "paid":
            moves[month]["repaid"] += amount
            if month_off is not None:  # what the payments had repaid was not written off
                moves[int(month_off)]["written_off"] -= amount
        else:  # paid beyond the principal
            moves[month]["repaid"] -= amount
    opening = moves[before]
    balance = opening["paid_out"] - opening["repaid"] - opening["written_off"]
    months = []
    for month in range(first, current + 1):
        day = datetime.date(month // 12, month % 12 + 1, 1)
        move = moves[month]
        balance += move["paid_out"] - move["repaid"] - move["written_off"]
        months.append(
            {
                "month": day,
                "label": date_format(day, "M Y"),
                "count": payouts[month],
                "paid_out": move["paid_out"],
                "repaid": move["repaid"],
                "written_off": move["written_off"],
                "outstanding": balance,
            }
        )
    return months


def _over_time_sql(loans, today: datetime.date, before: int) -> tuple[str | None, list]:
    """:func:`book_over_time`'s statement and its parameters, everything
    before the month ``before`` in one row (None when there are no loans at
    all)."""
    from django.db import connection

    scoped = (
        loans.filter(state__in=book.PAID_OUT, disbursed_on__lte=today)
        .order_by()
        .values("pk", "state", "principal", "disbursed_on", "closed_at")
    )
    try:
        inner, inner_params = scoped.query.sql_with_params()
    except EmptyResultSet:  # no loans at all (``.none()``)
        return None, []
    day = connection.ops.adapt_datefield_value(today)
    qn = connection.ops.quote_name
    payment, allocation = qn(Payment._meta.db_table), qn(PaymentAllocation._meta.db_table)
    plan, reversal = qn(RepaymentPlan._meta.db_table), qn(PaymentReversal._meta.db_table)
    paid_on, paid_on_params = _month_sql(connection, "p.value_date")
    off_on, off_on_params = _month_sql(connection, "l.closed_at", at=True)
    # A write-off without its time (none is made so, but older rows may lack
    # it) counts before the months shown.
    off_on, off_on_params = f"COALESCE({off_on}, %s)", [*off_on_params, before]
    out_on, out_on_params = _month_sql(connection, "l.disbursed_on")
    unreversed = f"NOT EXISTS (SELECT 1 FROM {reversal} r WHERE r.payment_id = p.id)"  # noqa: S608
    active = f"NOT p.is_recovery AND p.value_date <= %s AND {unreversed}"
    # The scoped loans once, as a common table expression (id, state,
    # principal, disbursed_on, closed_at): planned and read once, not once
    # per kind of movement.
    sql = f"""
        WITH l (id, state, principal, disbursed_on, closed_at) AS ({inner})
        SELECT CASE WHEN m < %s THEN %s ELSE m END,
               CASE WHEN m_off < %s THEN %s ELSE m_off END,
               kind, COUNT(*), SUM(amount)
        FROM (
            SELECT {out_on} AS m, CAST(NULL AS integer) AS m_off, 'payout' AS kind,
                   l.principal AS amount
            FROM l
            UNION ALL
            SELECT {off_on}, NULL, 'written_off', l.principal FROM l WHERE l.state = %s
            UNION ALL
            SELECT {paid_on}, CASE WHEN l.state = %s THEN {off_on} END, 'paid', p.amount
            FROM {payment} p JOIN l ON l.id = p.loan_id
            WHERE {active}
            UNION ALL
            SELECT {paid_on}, NULL, 'beyond', a.amount
            FROM {allocation} a JOIN {payment} p ON p.id = a.payment_id
                JOIN {plan} pl ON pl.id = a.plan_id JOIN l ON l.id = p.loan_id
            WHERE a.instalment_id IS NULL AND pl.is_current AND {active}
        ) moves
        GROUP BY 1, 2, 3"""  # noqa: S608 - see book_over_time
    params = [
        *inner_params,
        *(before, before, before, before),
        *out_on_params,
        *off_on_params,
        LoanState.WRITTEN_OFF,
        *paid_on_params,
        LoanState.WRITTEN_OFF,
        *off_on_params,
        day,
        *paid_on_params,
        day,
    ]
    return sql, params


def _book_totals(filters, today: datetime.date, request=None) -> dict:
    """The book's first statement (:func:`loans.book.book_totals`) for the
    filters: read once per request when the dashboard shows both the book
    and the business case."""

    def read():
        return book.book_totals(filtered_loans(filters), today, key=("report", filters.key))

    if request is None:
        return read()
    return once_per_request(request, ("loan_book_totals", filters.key, today), read)


def month_rows(months) -> SafeString:
    """The month-by-month table's body in one pass (a template loop with
    four amounts a row cost more than its statement); the same markup."""
    parts = []
    for m in months:
        parts.append(
            f'<tr><th scope="row">{escape(m["label"])}</th>'
            f'<td class="text-end">{m["count"]}</td>'
            f'<td class="text-end">{format_kr(m["paid_out"])}</td>'
            f'<td class="text-end">{format_kr(m["repaid"])}</td>'
            f'<td class="text-end">{format_kr(m["written_off"])}</td>'
            f'<td class="text-end" data-testid="report-month-outstanding">'
            f"{format_kr(m['outstanding'])}</td></tr>"
        )
    return mark_safe("".join(parts))  # the labels are escaped, the rest are figures


def loan_book_section(request, filters) -> dict:
    """The dashboard's loan book: the book's figures (three queries, the
    first shared with the business case's figures) and the book month by
    month (one)."""
    today = timezone.localdate()
    loans = filtered_loans(filters)
    figures = book.loan_book(
        loans, today, key=("report", filters.key), totals=_book_totals(filters, today, request)
    )
    months = book_over_time(loans, today, key=("report", filters.key))
    chart = bar_chart(
        [Bar(m["label"], m["outstanding"]) for m in months],
        title=_("Restgæld ved månedens udgang (kr.)"),
        label_width=120,
        suffix=" kr.",
    )
    return {
        "book": figures,
        "definitions": DEFINITIONS,
        "months": months,
        "month_rows": month_rows(months),
        "chart": chart,
        "filtered": bool(filters.programme or filters.date_from or filters.date_to),
    }


register_report_section("loans/includes/report_loan_book.html", loan_book_section, order=30)


# --- The business case ------------------------------------------------------------------


def support_months(filters, today: datetime.date) -> Decimal:
    """The months of subsistence support the grants have given to
    ``today`` — what was granted and extended, to the day it ended when it
    ended early — for the grants starting in the period (of the programme).
    From the grants, not from the job centre's payments (not recorded here).

    A grant that ran its whole term (to its last day, ``ends_on``, by
    today) counts its months exactly: granted + extended. Any other — ended
    early, or still running — counts its days from the start to the day it
    ended or today, both included, in months of 30.4375 days (the
    pipeline's unit). One aggregate."""
    grants = SupportGrant.objects.filter(starts_on__lte=today)
    if filters.programme is not None:
        grants = grants.filter(case__programme=filters.programme)
    if filters.date_from:
        grants = grants.filter(starts_on__gte=filters.date_from)
    if filters.date_to:
        grants = grants.filter(starts_on__lte=filters.date_to)
    whole_term = Q(ends_on__lte=today) & (Q(ended_on=None) | Q(ended_on__gte=F("ends_on")))
    last = Least(Coalesce("ended_on", "ends_on"), Value(today, output_field=DateField()))
    run = _STATEMENTS.aggregate(
        ("support", filters.key, today),
        lambda: (
            grants,
            {
                "months": Sum(F("months") + F("extended_months"), filter=whole_term),
                "days": Sum(
                    ExpressionWrapper(last - F("starts_on"), output_field=DurationField()),
                    filter=~whole_term,
                ),
                "part": Count("pk", filter=~whole_term),
            },
        ),
    )
    days = (run["days"] or datetime.timedelta(0)).days + run["part"]  # the last day counts too
    months = Decimal(run["months"] or 0) + Decimal(days) / DAYS_PER_MONTH
    return months.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@register_business_case_input
def loan_figures(filters, *, today: datetime.date | None = None, request=None) -> dict:
    """The programme's actual figures (two queries): the loans paid out
    (in the period), the principal repaid on them, the balance written off
    and the citizens' cases with a loan — the loan book's first statement
    (:func:`_book_totals`, shared with the dashboard's loan book section when
    ``request`` is given); the months of subsistence support the grants
    have given (:func:`support_months`). The support's amounts are paid by
    the job centre and not recorded: the business case costs the months at
    its assumed support per month."""
    today = today or timezone.localdate()
    totals = _book_totals(filters, today, request)
    return {
        "support_months": support_months(filters, today),
        "loans_paid_out": totals["paid_out"],
        "loans_repaid": totals["allocated"],
        "loans_written_off": totals["written_off"],
        "cases_with_loan": totals["cases"],
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
