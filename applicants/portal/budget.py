"""Budget arithmetic, in Decimal, on the server: the server's figure is the
truth (a page may show live totals, but what is stored and shown after a
save comes from here).

Answers hold amounts as text, as typed (``45.000,50``) in a draft and
normalised (``45000.50``) in a submitted version; both read the same way.
An amount that cannot be read counts as nothing here; the form refuses it
before a version is submitted.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from mikrolaan.fields import normalise_kroner

from .definitions import (
    AMOUNT,
    ESTABLISHMENT_BUDGET,
    FIXED,
    MONTH_KEYS,
    MONTHLY,
    OPERATING_BUDGET,
)

VAT_RATE = Decimal("0.25")
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def amount(text) -> Decimal:
    """An answer as kroner with øre; nothing (or unreadable) is 0."""
    if text in (None, ""):
        return ZERO
    if isinstance(text, Decimal | int):
        return Decimal(text).quantize(CENT, rounding=ROUND_HALF_UP)
    normalised = normalise_kroner(text)
    if not normalised:
        return ZERO
    try:
        value = Decimal(normalised)
    except InvalidOperation:
        return ZERO
    if not value.is_finite():
        return ZERO
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(value: Decimal) -> Decimal:
    return (value * VAT_RATE).quantize(CENT, rounding=ROUND_HALF_UP)


def month_key(key: str, month: str) -> str:
    return f"{key}__{month}"


# --- establishment budget --------------------------------------------------------


@dataclass
class Line:
    key: str
    label: str
    amount: Decimal
    vat: Decimal


@dataclass
class Group:
    key: str
    title: str
    lines: list = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), ZERO)


@dataclass
class EstablishmentSummary:
    groups: list
    need: Decimal  # what starting costs, without VAT
    need_vat: Decimal  # the VAT on it (25 % of the lines with VAT)
    own_funds: Decimal
    loan_need: Decimal  # need minus own funds, never below 0

    @property
    def need_with_vat(self) -> Decimal:
        return self.need + self.need_vat


def establishment(answers: dict, labels: dict | None = None) -> EstablishmentSummary:
    labels = labels or {}
    groups = []
    need = own = need_vat = ZERO
    for step in ESTABLISHMENT_BUDGET.steps:
        group = Group(step.key, str(step.title))
        for q in step.questions:
            if q.kind != AMOUNT:
                continue
            value = amount(answers.get(q.key))
            vat = vat_of(value) if q.vat and step.group == "need" else ZERO
            group.lines.append(Line(q.key, str(labels.get(q.key, q.label)), value, vat))
        groups.append(group)
        if step.group == "funding":
            own += group.total
        else:
            need += group.total
            need_vat += group.vat
    return EstablishmentSummary(
        groups=groups,
        need=need,
        need_vat=need_vat,
        own_funds=own,
        loan_need=max(need - own, ZERO),
    )


# --- operating budget ------------------------------------------------------------


@dataclass
class MonthlyLine:
    key: str
    label: str
    months: list  # twelve Decimals, without VAT
    vat_months: list  # the VAT of each month

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)

    @property
    def vat_total(self) -> Decimal:
        return sum(self.vat_months, ZERO)

    @property
    def months_with_vat(self) -> list:
        return [m + v for m, v in zip(self.months, self.vat_months, strict=True)]

    @property
    def total_with_vat(self) -> Decimal:
        return self.total + self.vat_total


def _column_sums(lines) -> list:
    return [sum((line.months[i] for line in lines), ZERO) for i in range(12)]


def _vat_sums(lines) -> list:
    return [sum((line.vat_months[i] for line in lines), ZERO) for i in range(12)]


@dataclass
class MonthlyGroup:
    key: str
    title: str
    kind: str  # income | variable | fixed
    lines: list = field(default_factory=list)

    @property
    def months(self) -> list:
        return _column_sums(self.lines)

    @property
    def vat_months(self) -> list:
        return _vat_sums(self.lines)

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)

    @property
    def vat_total(self) -> Decimal:
        return sum(self.vat_months, ZERO)

    @property
    def total_with_vat(self) -> Decimal:
        return self.total + self.vat_total


@dataclass
class OperatingSummary:
    groups: list

    def _of(self, kind):
        return [g for g in self.groups if g.kind == kind]

    @property
    def income_months(self) -> list:
        return _column_sums([line for g in self._of("income") for line in g.lines])

    @property
    def cost_months(self) -> list:
        return _column_sums([line for g in self.groups if g.kind != "income" for line in g.lines])

    @property
    def result_months(self) -> list:
        return [i - c for i, c in zip(self.income_months, self.cost_months, strict=True)]

    @property
    def income(self) -> Decimal:
        return sum(self.income_months, ZERO)

    @property
    def costs(self) -> Decimal:
        return sum(self.cost_months, ZERO)

    @property
    def result(self) -> Decimal:
        return self.income - self.costs

    @property
    def vat_out_months(self) -> list:
        """Salgsmoms: the VAT charged on sales."""
        return _vat_sums([line for g in self._of("income") for line in g.lines])

    @property
    def vat_in_months(self) -> list:
        """Købsmoms: the VAT paid on costs, which the business gets back."""
        return _vat_sums([line for g in self.groups if g.kind != "income" for line in g.lines])

    @property
    def vat_payable_months(self) -> list:
        return [o - i for o, i in zip(self.vat_out_months, self.vat_in_months, strict=True)]

    @property
    def vat_payable(self) -> Decimal:
        return sum(self.vat_payable_months, ZERO)


def operating(answers: dict, labels: dict | None = None) -> OperatingSummary:
    labels = labels or {}
    groups = []
    for step in OPERATING_BUDGET.steps:
        group = MonthlyGroup(step.key, str(step.title), step.group)
        for q in step.questions:
            if q.kind == MONTHLY:
                months = [amount(answers.get(month_key(q.key, m))) for m in MONTH_KEYS]
            elif q.kind == FIXED:
                months = [amount(answers.get(q.key))] * 12
            else:
                continue
            vat = [vat_of(m) if q.vat else ZERO for m in months]
            group.lines.append(MonthlyLine(q.key, str(labels.get(q.key, q.label)), months, vat))
        groups.append(group)
    return OperatingSummary(groups=groups)
