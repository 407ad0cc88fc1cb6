"""The loan book (låneportefølje): paid out, outstanding, repaid, written
off, the arrears buckets, PAR30 and the repayment rate — set-based SQL over
the stored balances and plans, the same definitions as ``loans.arrears``
(a test holds the two equal). Nothing here loops over loans in Python."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from applicants.models import Citizen
from mikrolaan.access_log import current_collector
from mikrolaan.formatting import dansk_dato, format_kr
from mikrolaan.precompiled import AggregatesOnce

from .arrears import BUCKETS, CURRENT, DAYS_1_30, DAYS_31_90, DAYS_OVER_90, PAR_DAYS, ratio
from .models import Instalment, LoanState, Payment

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
PAID_OUT = (LoanState.DISBURSED, LoanState.REPAID, LoanState.WRITTEN_OFF)


def _money(expression):
    return Coalesce(expression, Value(ZERO), output_field=MONEY)


def _held(balance: str = "balance"):
    """Held for the borrower: overpaid minus refunded (negative = owed
    back), of the loan's balance joined as ``balance``."""
    return ExpressionWrapper(
        _money(F(f"{balance}__overpayment")) - _money(F(f"{balance}__refunded")),
        output_field=MONEY,
    )


def with_arrears(loans, today: datetime.date):
    """Annotate loans with outstanding, days past due and bucket (computed
    with ``today``; only the allocation's balance is stored)."""
    due = F("balance__first_unpaid_due")
    late = Q(balance__first_unpaid_due__lt=today)
    return loans.annotate(
        held_overpayment=_held(),
        outstanding=ExpressionWrapper(
            _money(F("balance__principal")) - _money(F("balance__allocated")),
            output_field=MONEY,
        ),
        overdue_since=Case(When(late, then=due), default=None, output_field=DateField()),
        bucket=Case(
            When(~late | Q(balance__first_unpaid_due=None), then=Value(CURRENT)),
            When(
                balance__first_unpaid_due__gte=today - datetime.timedelta(days=30),
                then=Value(DAYS_1_30),
            ),
            When(
                balance__first_unpaid_due__gte=today - datetime.timedelta(days=90),
                then=Value(DAYS_31_90),
            ),
            default=Value(DAYS_OVER_90),
        ),
    )


def days_past_due(overdue_since: datetime.date | None, today: datetime.date) -> int:
    return (today - overdue_since).days if overdue_since else 0


@dataclass(frozen=True)
class Book:
    today: datetime.date
    paid_out_count: int
    paid_out: Decimal
    running_count: int
    outstanding: Decimal
    repaid_count: int
    repaid: Decimal
    written_off_count: int
    written_off: Decimal
    recovered: Decimal
    overpayment: Decimal  # held for borrowers: overpaid and not yet refunded
    owed_back: Decimal  # refunded beyond what is now overpaid (a reversal came after)
    buckets: list  # [(key, label, count, outstanding)]
    at_risk: Decimal
    par30: Decimal | None
    due_so_far: Decimal
    paid_on_due: Decimal
    repayment_rate: Decimal | None


# The book's three aggregate statements, compiled once per key (see
# ``mikrolaan.precompiled.AggregatesOnce``): their SQL changes only with the
# loans' filter and the day.
_STATEMENTS = AggregatesOnce()


def loan_book(loans, today: datetime.date, *, key=None, totals: dict | None = None) -> Book:
    """The book's figures for ``loans`` (the municipality's, scoped by the
    caller). Three aggregate queries, whatever the size of the book; two
    when ``totals`` (:func:`book_totals` of the same loans and day) are
    given.

    ``key``, when given, names the filter ``loans`` applies beyond the
    request's municipality (e.g. ``("programme", 7)``, or ``()`` for all of
    its loans): the statements are then built by the ORM once per key and
    day and only executed afterwards."""
    return _loan_book(loans, today, _aggregator(key, today), totals)


def book_totals(loans, today: datetime.date, *, key=None) -> dict:
    """The first of the book's statements on its own (one aggregate): the
    counts and sums by state, the arrears buckets — and for the business
    case the principal repaid on every paid-out loan (``allocated``) and
    the cases with a loan (``cases``)."""
    return _figures(loans, today, _aggregator(key, today))


def _figures(loans, today: datetime.date, aggregate) -> dict:
    return aggregate("figures", lambda: (_paid_out(loans), _totals(today)))


def _aggregator(key, today: datetime.date):
    if key is None:
        return lambda part, build: _aggregate(build)
    return lambda part, build: _STATEMENTS.aggregate((part, key, today), build)


def _aggregate(build) -> dict:
    queryset, aggregates = build()
    return queryset.aggregate(**aggregates)


def _paid_out(loans):
    """The paid-out loans with their balance joined as ``bal``: the join
    also matches the balance's municipality to the loan's, so that
    PostgreSQL reads only the municipality's balances (by their index)
    instead of every municipality's. The loan and its balance always
    belong to the same municipality: the result is the same."""
    return loans.filter(state__in=PAID_OUT).annotate(
        bal=FilteredRelation("balance", condition=Q(balance__municipality=F("municipality")))
    )


def _totals(today: datetime.date) -> dict:
    running = Q(state=LoanState.DISBURSED)
    late = Q(bal__first_unpaid_due__lt=today)
    outstanding = _money(F("bal__principal")) - _money(F("bal__allocated"))
    held = _held("bal")
    held_more = Q(bal__overpayment__gt=F("bal__refunded"))
    refunded_more = Q(bal__overpayment__lt=F("bal__refunded"))
    cut = {
        DAYS_1_30: Q(bal__first_unpaid_due__gte=today - datetime.timedelta(days=30)),
        DAYS_31_90: Q(bal__first_unpaid_due__lt=today - datetime.timedelta(days=30))
        & Q(bal__first_unpaid_due__gte=today - datetime.timedelta(days=90)),
        DAYS_OVER_90: Q(bal__first_unpaid_due__lt=today - datetime.timedelta(days=90)),
    }
    bucket_q = {
        CURRENT: running & (~late | Q(bal__first_unpaid_due=None)),
        **{key: running & late & q for key, q in cut.items()},
    }
    aggregates = {
        "paid_out_count": Count("pk"),
        "paid_out": _money(Sum("principal")),
        "running_count": Count("pk", filter=running),
        "outstanding": _money(Sum(outstanding, filter=running, output_field=MONEY)),
        "repaid_count": Count("pk", filter=Q(state=LoanState.REPAID)),
        "repaid": _money(Sum("principal", filter=Q(state=LoanState.REPAID))),
        "written_off_count": Count("pk", filter=Q(state=LoanState.WRITTEN_OFF)),
        "written_off": _money(
            Sum(outstanding, filter=Q(state=LoanState.WRITTEN_OFF), output_field=MONEY)
        ),
        "overpayment": _money(Sum(held, filter=held_more, output_field=MONEY)),
        "owed_back": _money(Sum(-held, filter=refunded_more, output_field=MONEY)),
        "allocated": _money(Sum("bal__allocated")),
        "cases": Count("case", distinct=True),
        "at_risk": _money(
            Sum(
                outstanding,
                filter=running
                & Q(bal__first_unpaid_due__lt=today - datetime.timedelta(days=PAR_DAYS)),
                output_field=MONEY,
            )
        ),
    }
    for key, q in bucket_q.items():
        aggregates[f"n_{key}"] = Count("pk", filter=q)
        aggregates[f"o_{key}"] = _money(Sum(outstanding, filter=q, output_field=MONEY))
    return aggregates


def _loan_book(loans, today: datetime.date, aggregate, totals: dict | None) -> Book:
    paid_out = loans.filter(state__in=PAID_OUT)
    figures = totals or _figures(loans, today, aggregate)

    # The repayment rate: what fell due (to today, or to the write-off day)
    # against what those instalments received. Allocation is oldest first,
    # so that is the lesser of the loan's allocated amount and its due sum.
    cutoff = Case(
        When(state=LoanState.WRITTEN_OFF, then=TruncDate("closed_at")),
        default=Value(today),
        output_field=DateField(),
    )
    # The base manager: the subquery follows the (scoped) outer loan's plan,
    # and the scope's own municipality condition would make PostgreSQL read
    # the municipality's every instalment once per loan.
    due_sum = (
        Instalment._base_manager.filter(
            plan=OuterRef("bal__plan"), due_date__lte=OuterRef("cutoff")
        )
        .order_by()
        .values("plan")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    rate = aggregate(
        "rate",
        lambda: (
            _paid_out(loans)
            .annotate(cutoff=cutoff)
            .annotate(due=_money(Subquery(due_sum, output_field=MONEY))),
            {
                "due_so_far": _money(Sum("due")),
                "paid_on_due": _money(
                    Sum(Least(F("due"), _money(F("bal__allocated"))), output_field=MONEY)
                ),
            },
        ),
    )
    recovered = aggregate(
        "recovered",
        lambda: (
            Payment.objects.filter(loan__in=paid_out, is_recovery=True, reversal__isnull=True),
            {"s": _money(Sum("amount"))},
        ),
    )["s"]

    buckets = [(key, label, figures[f"n_{key}"], figures[f"o_{key}"]) for key, label in BUCKETS]
    return Book(
        today=today,
        paid_out_count=figures["paid_out_count"],
        paid_out=figures["paid_out"],
        running_count=figures["running_count"],
        outstanding=figures["outstanding"],
        repaid_count=figures["repaid_count"],
        repaid=figures["repaid"],
        written_off_count=figures["written_off_count"],
        written_off=figures["written_off"],
        recovered=recovered,
        overpayment=figures["overpayment"],
        owed_back=figures["owed_back"],
        buckets=buckets,
        at_risk=figures["at_risk"],
        par30=ratio(figures["at_risk"], figures["outstanding"]),
        due_so_far=rate["due_so_far"],
        paid_on_due=rate["paid_on_due"],
        repayment_rate=ratio(rate["paid_on_due"], rate["due_so_far"]),
    )


def book_rows(loans, today: datetime.date, *, bucket: str = "", state: str = ""):
    """The book's loans for the list and the CSV, oldest arrears first."""
    rows = with_arrears(loans.filter(state__in=PAID_OUT), today).select_related("citizen", "case")
    if state:
        rows = rows.filter(state=state)
    if bucket:
        rows = rows.filter(state=LoanState.DISBURSED, bucket=bucket)
    return rows.order_by(F("overdue_since").asc(nulls_last=True), "-disbursed_on", "pk")


# The list's columns, read as values: 50 loans with their citizens and cases
# built as model instances cost more CPU than the page's SQL.
LIST_FIELDS = (
    "pk",
    "payment_id",
    "state",
    "disbursed_on",
    "principal",
    "outstanding",
    "overdue_since",
    "municipality_id",
    "citizen_id",
    "citizen__first_name",
    "citizen__last_name",
)


def list_rows(rows, today: datetime.date) -> list[dict]:
    """One page of ``book_rows(...).values(*LIST_FIELDS)`` as the list's
    text: one ``reverse()`` for the page, money and dates formatted here,
    and the citizens shown noted for the access log (the rows are not
    model instances, so nobody else would)."""
    url = reverse("loans:repayment", args=[0]).removesuffix("0/")
    states = {value: str(label) for value, label in LoanState.choices}
    collector = current_collector()
    result = []
    for row in rows:
        name = f"{row['citizen__first_name']} {row['citizen__last_name']}".strip()
        if collector is not None:
            collector.note(
                Citizen, row["citizen_id"], municipality_id=row["municipality_id"], label=name
            )
        result.append(
            {
                "url": f"{url}{row['pk']}/",
                "payment_id": row["payment_id"],
                "name": name,
                "state": states.get(row["state"], row["state"]),
                "disbursed_on": dansk_dato(row["disbursed_on"]) if row["disbursed_on"] else "",
                "principal": format_kr(row["principal"]),
                "outstanding": format_kr(row["outstanding"]),
                "days_past_due": days_past_due(row["overdue_since"], today),
            }
        )
    return result


def list_rows_html(loans: list[dict]) -> SafeString:
    """The list's table body from ``list_rows``, escaped and joined in one
    pass (a template loop cost about as much as the page's figures)."""
    return mark_safe(  # every value is escaped here
        "\n".join(
            "<tr>"
            f'<td><a href="{escape(row["url"])}">{escape(row["payment_id"])}</a></td>'
            f"<td>{escape(row['name'])}</td>"
            f"<td>{escape(row['state'])}</td>"
            f'<td class="text-nowrap">{escape(row["disbursed_on"])}</td>'
            f'<td class="text-end">{escape(row["principal"])}</td>'
            f'<td class="text-end">{escape(row["outstanding"])}</td>'
            f'<td class="text-end">{row["days_past_due"]:d}</td>'
            "</tr>"
            for row in loans
        )
    )
