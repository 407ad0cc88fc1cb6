"""Budget arithmetic: Decimal on the server, Danish amounts, VAT at 25 %,
twelve months and the year, the loan need; totals equal the sum of their
lines in every case (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applicants.portal import budget
from applicants.portal.definitions import ESTABLISHMENT_BUDGET, MONTH_KEYS, OPERATING_BUDGET

amounts = st.decimals(min_value=0, max_value=Decimal("9999999.99"), places=2)


def _danish(value: Decimal) -> str:
    """45000.50 as a citizen types it: 45.000,50."""
    whole, _, cents = f"{value:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{cents}"


def test_danish_amounts_are_read_the_danish_way():
    assert budget.amount("45.000,50") == Decimal("45000.50")
    assert budget.amount("45000") == Decimal("45000.00")
    assert budget.amount("1.250.000") == Decimal("1250000.00")
    assert budget.amount("") == budget.ZERO
    assert budget.amount("abc") == budget.ZERO


def test_the_loan_need_is_the_need_minus_own_funds():
    summary = budget.establishment(
        {"machines": "30.000", "stock": "12.500,50", "deposit": "5.000", "own_savings": "7.500"}
    )
    assert summary.need == Decimal("47500.50")
    assert summary.own_funds == Decimal("7500.00")
    assert summary.loan_need == Decimal("40000.50")
    # VAT on the lines that carry it (not the deposit).
    assert summary.need_vat == Decimal("10625.13")


def test_own_funds_above_the_need_mean_no_loan():
    assert budget.establishment({"it": "1.000", "own_savings": "5.000"}).loan_need == 0


def test_the_operating_budget_has_twelve_months_with_and_without_vat():
    answers = {f"revenue__{m}": "10.000" for m in MONTH_KEYS}
    answers.update({"rent": "2.000", "insurance": "500"})
    op = budget.operating(answers)
    assert op.income == Decimal("120000.00")
    assert op.costs == Decimal("30000.00")
    assert op.result == Decimal("90000.00")
    # Sales VAT 2,500 a month, purchase VAT 500 (rent; insurance has none).
    assert op.vat_payable_months == [Decimal("2000.00")] * 12
    rent = next(line for g in op.groups for line in g.lines if line.key == "rent")
    assert rent.total_with_vat == Decimal("30000.00")


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([q.key for q in ESTABLISHMENT_BUDGET.questions()]), amounts))
def test_establishment_totals_equal_the_sum_of_their_lines(values):
    summary = budget.establishment({k: _danish(v) for k, v in values.items()})
    for group in summary.groups:
        assert group.total == sum((line.amount for line in group.lines), Decimal(0))
    funding = [
        g
        for g, s in zip(summary.groups, ESTABLISHMENT_BUDGET.steps, strict=True)
        if s.group == "funding"
    ]
    need = [g for g in summary.groups if g not in funding]
    assert summary.need == sum((g.total for g in need), Decimal(0))
    assert summary.own_funds == sum((g.total for g in funding), Decimal(0))
    assert summary.loan_need == max(summary.need - summary.own_funds, Decimal(0))
    assert summary.need == sum(
        (
            values.get(q.key, 0)
            for s in ESTABLISHMENT_BUDGET.steps
            if s.group == "need"
            for q in s.questions
        ),
        Decimal(0),
    )


def _operating_keys():
    keys = []
    for q in OPERATING_BUDGET.questions():
        keys += [f"{q.key}__{m}" for m in MONTH_KEYS] if q.kind == "monthly" else [q.key]
    return keys


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(_operating_keys()), amounts))
def test_operating_totals_equal_the_sum_of_their_lines_and_months(values):
    op = budget.operating({k: _danish(v) for k, v in values.items()})
    for group in op.groups:
        for i in range(12):
            assert group.months[i] == sum((line.months[i] for line in group.lines), Decimal(0))
        assert group.total == sum((line.total for line in group.lines), Decimal(0))
        assert group.total == sum(group.months, Decimal(0))
        for line in group.lines:
            assert line.total == sum(line.months, Decimal(0))
            assert line.total_with_vat == line.total + line.vat_total
            for m, v in zip(line.months, line.vat_months, strict=True):
                assert v in (Decimal(0), budget.vat_of(m))
    assert (
        op.income + sum((g.total for g in op.groups if g.kind != "income"), Decimal(0)) - op.costs
        == op.income
    )
    assert op.result == op.income - op.costs
    assert op.vat_payable == sum(op.vat_out_months, Decimal(0)) - sum(op.vat_in_months, Decimal(0))
    assert all(isinstance(x, Decimal) for x in op.result_months)


@pytest.mark.django_db
def test_the_screening_selector_returns_the_loan_need_and_totals(case, citizen_user):
    from applicants.portal import services
    from applicants.selectors import budget_summary
    from tests.applicants.portal_helpers import at_stage

    at_stage(case)
    form = services.form_for(case, "establishment_budget")
    services.save_draft(
        actor=citizen_user, form=form, values={"machines": "40.000", "own_savings": "5.000"}
    )
    summary = budget_summary(case)
    assert summary.loan_need == Decimal("35000.00") and summary.from_draft
    services.submit_form(actor=citizen_user, form=form)
    summary = budget_summary(case)
    assert summary.establishment_version == 1
    assert summary.within_maximum
