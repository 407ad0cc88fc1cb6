"""AggregatesOnce: the ORM's aggregate statement built once per key, then only
executed — the figures always fresh, and equal to the ORM's, types included."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext

from loans.book import loan_book
from loans.models import Loan
from mikrolaan.precompiled import AggregatesOnce
from mikrolaan.tenancy import scoped_to
from tests.loans.helpers import make_loan

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _build():
    return (
        Loan.objects.all(),
        {
            "n": Count("pk"),
            "total": Sum("principal"),
            "big": Count("pk", filter=Q(principal__gte=Decimal("30000"))),
        },
    )


def test_the_figures_are_read_fresh_every_time_and_equal_the_orms(
    home_municipality, team_member, team_lead
):
    once = AggregatesOnce()
    make_loan(principal=Decimal("20000"), recommender=team_member, approver=team_lead)
    with scoped_to(home_municipality.pk):
        first = once.aggregate("k", _build)
        assert first == Loan.objects.aggregate(**_build()[1])
        make_loan(principal=Decimal("40000"), recommender=team_member, approver=team_lead)
        again = once.aggregate("k", _build)
        assert again == Loan.objects.aggregate(**_build()[1])
        assert again["n"] == first["n"] + 1
        assert [type(v) for v in again.values()] == [
            type(v) for v in Loan.objects.aggregate(**_build()[1]).values()
        ]


def test_the_scope_is_part_of_the_key(
    home_municipality, other_municipality, team_member, team_lead
):
    once = AggregatesOnce()
    make_loan(principal=Decimal("40000"), recommender=team_member, approver=team_lead)
    with scoped_to(home_municipality.pk):
        mine = once.aggregate("k", _build)
    with scoped_to(other_municipality.pk):
        theirs = once.aggregate("k", _build)
        assert theirs == Loan.objects.aggregate(**_build()[1])
    assert mine["n"] >= 1
    assert theirs["n"] == 0


@pytest.mark.postgres
def test_on_postgresql_the_orm_builds_the_statement_once(home_municipality):
    if connection.vendor != "postgresql":
        pytest.skip("the statements are reused on PostgreSQL only")
    once = AggregatesOnce()
    built = []

    def build():
        built.append(1)
        return _build()

    with scoped_to(home_municipality.pk):
        once.aggregate("k", build)
        with CaptureQueriesContext(connection) as queries:
            once.aggregate("k", build)
    assert built == [1]
    assert len(queries) == 1


def test_the_loan_book_with_a_key_equals_the_book_without(
    home_municipality, team_member, team_lead
):
    make_loan(principal=Decimal("20000"), recommender=team_member, approver=team_lead)
    make_loan(
        principal=Decimal("35000"),
        recommender=team_member,
        approver=team_lead,
        state="written_off",
    )
    with scoped_to(home_municipality.pk):
        plain = loan_book(Loan.objects.all(), TODAY)
        keyed = loan_book(Loan.objects.all(), TODAY, key=())
        keyed_again = loan_book(Loan.objects.all(), TODAY, key=())
    assert plain == keyed == keyed_again


def test_statements_are_kept_per_scope_and_the_oldest_goes_when_full():
    """``sql()`` builds a statement once per key and municipality scope;
    when the store is full the oldest statement is dropped, not all."""
    once = AggregatesOnce()
    once.MAX_KEYS = 3
    built = []

    def statement(name):
        def build():
            built.append(name)
            return (f"SELECT {len(built)}", [])

        return build

    with scoped_to(1):
        first = once.sql("a", statement("a"))
        assert once.sql("a", statement("a")) == first
    with scoped_to(2):
        once.sql("a", statement("a2"))  # another municipality: its own
    with scoped_to(1):
        once.sql("b", statement("b"))
        once.sql("c", statement("c"))  # full: ("a", 1) goes
        once.sql("b", statement("b"))
        once.sql("a", statement("a"))
    assert built == ["a", "a2", "b", "c", "a"]
