"""How payments are allocated to a repayment plan — a pure function.

The allocation depends only on the plan, the payments and which payments are
reversed (SPEC §7): payments are taken in value-date order (ties in the order
they were registered), each one pays the oldest instalment that is not yet
paid in full, and what is left over pays the following instalments. Money
beyond the whole principal is held as an overpayment to be refunded — never
swallowed. A backdated payment or a reversal therefore re-allocates every
later payment: the result is always the same as a replay from scratch.

Amounts are ``Decimal`` in whole øre; nothing is rounded, so every øre paid is
either allocated to an instalment or held as overpayment.

Refunds of an overpayment are given as amounts: they do not move any
payment's allocation, they only lower the overpayment still held — which is
negative when a later reversal took back money that had been refunded (the
borrower then owes it back), never an error.

``Ledger`` is the incremental form used by the service (register one payment,
reverse one): it replays only from the first payment whose place changed.
The property tests hold it equal to ``allocate`` in every order.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
ØRE = Decimal("0.01")


@dataclass(frozen=True)
class PlanInstalment:
    seq: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class PaymentIn:
    id: int
    value_date: date
    amount: Decimal
    # Registration order: breaks ties between payments with one value date.
    order: int

    @property
    def key(self) -> tuple[date, int]:
        return (self.value_date, self.order)


@dataclass(frozen=True)
class Allocation:
    # Paid towards each instalment, by seq (every instalment present).
    by_instalment: dict[int, Decimal]
    # Each active payment's parts: ((seq, amount), ...) in the order paid.
    by_payment: dict[int, tuple[tuple[int, Decimal], ...]]
    # The part of each active payment beyond the principal (only non-zero).
    overpayment_by_payment: dict[int, Decimal]
    principal: Decimal
    paid: Decimal
    # Paid back to the borrower of the overpayment (refunds not reversed).
    refunded: Decimal = ZERO

    @property
    def allocated(self) -> Decimal:
        return sum(self.by_instalment.values(), ZERO)

    @property
    def overpayment(self) -> Decimal:
        return sum(self.overpayment_by_payment.values(), ZERO)

    @property
    def held_overpayment(self) -> Decimal:
        """The overpayment not yet refunded; negative = owed back."""
        return self.overpayment - self.refunded

    @property
    def outstanding(self) -> Decimal:
        return self.principal - self.allocated

    @property
    def repaid(self) -> bool:
        return self.allocated == self.principal

    def lines(self) -> list[tuple[int, int, Decimal]]:
        """(payment id, instalment seq, amount) — the rows the service stores."""
        return [(pid, seq, amt) for pid, parts in self.by_payment.items() for seq, amt in parts]


def _check_amount(amount: Decimal, what: str) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, not {type(amount).__name__}")
    if amount != amount.quantize(ØRE):
        raise ValueError(f"{what} {amount} is not whole øre")
    return amount.quantize(ØRE)


def _check_plan(instalments: Iterable[PlanInstalment]) -> list[PlanInstalment]:
    plan = sorted(instalments, key=lambda i: i.seq)
    if len({i.seq for i in plan}) != len(plan):
        raise ValueError("Instalment numbers repeat")
    for i in plan:
        if _check_amount(i.amount, "Instalment") < 0:
            raise ValueError("An instalment cannot be negative")
    return plan


def _active(payments: Iterable[PaymentIn], reversed_ids: Iterable[int]) -> list[PaymentIn]:
    payments = list(payments)
    ids = [p.id for p in payments]
    if len(set(ids)) != len(ids):
        raise ValueError("Payment ids repeat")
    if len({p.key for p in payments}) != len(payments):
        raise ValueError("Two payments share a value date and a registration order")
    unknown = set(reversed_ids) - set(ids)
    if unknown:
        raise ValueError(f"Reversal of unknown payments: {sorted(unknown)}")
    gone = set(reversed_ids)
    for p in payments:
        if _check_amount(p.amount, "Payment") <= 0:
            raise ValueError("A payment must be positive")
    return sorted((p for p in payments if p.id not in gone), key=lambda p: p.key)


class _Waterfall:
    """The running state: what each instalment has received, and where the
    oldest unpaid instalment is."""

    def __init__(self, plan: list[PlanInstalment], paid: dict[int, Decimal] | None = None):
        self.plan = plan
        self.paid = {i.seq: ZERO for i in plan} if paid is None else dict(paid)
        self.cursor = 0
        self._advance()

    def _advance(self):
        while self.cursor < len(self.plan):
            inst = self.plan[self.cursor]
            if self.paid[inst.seq] < inst.amount:
                break
            self.cursor += 1

    def pay(self, amount: Decimal) -> tuple[tuple[tuple[int, Decimal], ...], Decimal]:
        parts = []
        left = amount
        while left > 0 and self.cursor < len(self.plan):
            inst = self.plan[self.cursor]
            take = min(left, inst.amount - self.paid[inst.seq])
            self.paid[inst.seq] += take
            parts.append((inst.seq, take))
            left -= take
            self._advance()
        return tuple(parts), left


def _refunded(refunds: Iterable[Decimal]) -> Decimal:
    total = ZERO
    for amount in refunds:
        if _check_amount(amount, "Refund") <= 0:
            raise ValueError("A refund must be positive")
        total += amount
    return total


def allocate(
    instalments: Iterable[PlanInstalment],
    payments: Iterable[PaymentIn],
    reversed_ids: Iterable[int] = (),
    refunds: Iterable[Decimal] = (),
) -> Allocation:
    """Replay every payment that is not reversed over the plan, from scratch;
    ``refunds`` (the amounts refunded and not reversed) lower the held
    overpayment only."""
    plan = _check_plan(instalments)
    active = _active(payments, reversed_ids)
    fall = _Waterfall(plan)
    by_payment, over = {}, {}
    for p in active:
        parts, left = fall.pay(p.amount)
        by_payment[p.id] = parts
        if left:
            over[p.id] = left
    return Allocation(
        by_instalment=fall.paid,
        by_payment=by_payment,
        overpayment_by_payment=over,
        principal=sum((i.amount for i in plan), ZERO),
        paid=sum((p.amount for p in active), ZERO),
        refunded=_refunded(refunds),
    )


@dataclass
class Ledger:
    """Incremental allocation: what the service keeps stored.

    ``register`` and ``reverse`` re-allocate only the payments from the first
    one whose place changed; the allocations before it stand. ``replayed``
    counts the payments re-allocated by the last call (tests read it)."""

    instalments: list[PlanInstalment]
    _payments: list[PaymentIn] = field(default_factory=list)  # active, in key order
    _parts: list[tuple[tuple[int, Decimal], ...]] = field(default_factory=list)
    _over: list[Decimal] = field(default_factory=list)
    _reversed: dict[int, PaymentIn] = field(default_factory=dict)
    refunds: list[Decimal] = field(default_factory=list)
    replayed: int = 0

    def __post_init__(self):
        self.instalments = _check_plan(self.instalments)

    def _state_before(self, index: int) -> _Waterfall:
        paid = {i.seq: ZERO for i in self.instalments}
        for parts in self._parts[:index]:
            for seq, amt in parts:
                paid[seq] += amt
        return _Waterfall(self.instalments, paid)

    def _replay_from(self, index: int):
        fall = self._state_before(index)
        del self._parts[index:], self._over[index:]
        for p in self._payments[index:]:
            parts, left = fall.pay(p.amount)
            self._parts.append(parts)
            self._over.append(left)
        self.replayed = len(self._payments) - index

    def register(self, payment: PaymentIn):
        known = {p.id for p in self._payments} | set(self._reversed)
        _active([*self._payments, *self._reversed.values(), payment], ())
        if payment.id in known:
            raise ValueError("Payment already registered")
        keys = [p.key for p in self._payments]
        index = bisect.bisect(keys, payment.key)
        self._payments.insert(index, payment)
        self._replay_from(index)

    def reverse(self, payment_id: int):
        index = next((n for n, p in enumerate(self._payments) if p.id == payment_id), None)
        if index is None:
            raise ValueError("Only an active payment can be reversed")
        self._reversed[payment_id] = self._payments.pop(index)
        del self._parts[index], self._over[index]
        self._replay_from(index)

    def refund(self, amount: Decimal):
        """Money paid back to the borrower: nothing is re-allocated."""
        _refunded([amount])
        self.refunds.append(amount)
        self.replayed = 0

    @property
    def allocation(self) -> Allocation:
        fall = self._state_before(len(self._parts))
        return Allocation(
            by_instalment=fall.paid,
            by_payment={p.id: parts for p, parts in zip(self._payments, self._parts, strict=True)},
            overpayment_by_payment={
                p.id: o for p, o in zip(self._payments, self._over, strict=True) if o
            },
            principal=sum((i.amount for i in self.instalments), ZERO),
            paid=sum((p.amount for p in self._payments), ZERO),
            refunded=_refunded(self.refunds),
        )
