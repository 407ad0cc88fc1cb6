"""Allocation of payments to the plan: oldest instalment first, overpayment to
the following ones, beyond the principal held for refund; a backdated payment
or a reversal re-allocates every later payment (hypothesis: incremental
registration in any order equals a replay from scratch)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loans.allocation import Ledger, PaymentIn, PlanInstalment, allocate

D = Decimal


def plan(*amounts, start=date(2026, 1, 31)):
    return [
        PlanInstalment(n, start + timedelta(days=30 * (n - 1)), D(a))
        for n, a in enumerate(amounts, 1)
    ]


def pay(pid, day, amount, order=None):
    return PaymentIn(pid, date(2026, 1, 1) + timedelta(days=day), D(amount), order or pid)


def test_a_payment_pays_the_oldest_instalment_first_and_the_rest_the_following_ones():
    result = allocate(plan(417, 417, 416), [pay(1, 0, "500.00")])
    assert result.by_instalment == {1: D("417.00"), 2: D("83.00"), 3: D("0.00")}
    assert result.by_payment == {1: ((1, D("417.00")), (2, D("83.00")))}
    assert result.outstanding == D("750.00")
    assert not result.repaid


def test_money_beyond_the_principal_is_held_as_overpayment():
    result = allocate(plan(100, 100), [pay(1, 0, "150"), pay(2, 5, "75.50")])
    assert result.repaid
    assert result.overpayment == D("25.50")
    assert result.overpayment_by_payment == {2: D("25.50")}
    assert result.paid == result.allocated + result.overpayment


def test_a_backdated_payment_re_allocates_the_later_ones():
    instalments = plan(100, 100, 100)
    later = pay(1, 40, "100")
    early = pay(2, 10, "150")
    result = allocate(instalments, [later, early])
    assert result.by_payment[2] == ((1, D("100.00")), (2, D("50.00")))
    assert result.by_payment[1] == ((2, D("50.00")), (3, D("50.00")))


def test_one_value_date_keeps_the_order_of_registration():
    result = allocate(plan(100, 100), [pay(1, 3, "100", order=2), pay(2, 3, "100", order=1)])
    assert result.by_payment == {2: ((1, D("100.00")),), 1: ((2, D("100.00")),)}


def test_a_reversal_gives_the_money_back_to_the_plan_and_moves_later_payments_up():
    instalments = plan(100, 100, 100)
    payments = [pay(1, 1, "100"), pay(2, 2, "100"), pay(3, 3, "100")]
    result = allocate(instalments, payments, reversed_ids=[1])
    assert result.by_payment == {2: ((1, D("100.00")),), 3: ((2, D("100.00")),)}
    assert result.by_instalment[3] == D("0.00")


def test_the_ledger_replays_only_from_the_changed_place():
    ledger = Ledger(plan(100, 100, 100))
    ledger.register(pay(1, 1, "100"))
    ledger.register(pay(2, 5, "100"))
    assert ledger.replayed == 1  # the newest payment only
    ledger.register(pay(3, 3, "50"))
    assert ledger.replayed == 2  # itself and the one after it
    ledger.reverse(1)
    assert ledger.replayed == 2
    assert ledger.allocation == allocate(
        ledger.instalments, [pay(1, 1, "100"), pay(2, 5, "100"), pay(3, 3, "50")], [1]
    )


def test_wrong_input_is_refused():
    with pytest.raises(TypeError):
        allocate(plan(100), [PaymentIn(1, date(2026, 1, 1), 10.5, 1)])
    with pytest.raises(ValueError, match="whole øre"):
        allocate(plan(100), [pay(1, 0, "10.005")])
    with pytest.raises(ValueError, match="positive"):
        allocate(plan(100), [pay(1, 0, "-5")])
    with pytest.raises(ValueError, match="unknown"):
        allocate(plan(100), [pay(1, 0, "5")], reversed_ids=[9])
    ledger = Ledger(plan(100))
    ledger.register(pay(1, 0, "5"))
    with pytest.raises(ValueError):
        ledger.register(pay(1, 3, "5", order=7))
    with pytest.raises(ValueError):
        ledger.reverse(2)


# --- properties -------------------------------------------------------------

amounts = st.decimals(min_value=D("0.01"), max_value=D("3000"), places=2)


@st.composite
def scenarios(draw):
    n = draw(st.integers(min_value=1, max_value=24))
    principal = draw(st.integers(min_value=1, max_value=50_000))
    base, extra = divmod(principal, n)
    instalments = plan(*[base + (1 if k < extra else 0) for k in range(n)])
    count = draw(st.integers(min_value=0, max_value=15))
    days = draw(st.lists(st.integers(0, 400), min_size=count, max_size=count))
    sums = draw(st.lists(amounts, min_size=count, max_size=count))
    # Registration happens in a drawn order; the order number is the position in it.
    registration = draw(st.permutations(range(count)))
    payments = [None] * count
    for order, index in enumerate(registration, 1):
        payments[index] = PaymentIn(
            index + 1, date(2026, 1, 1) + timedelta(days[index]), sums[index], order
        )
    reversed_ids = draw(st.sets(st.sampled_from([p.id for p in payments]))) if payments else set()
    # When each reversal happens: after the k-th registration at the earliest.
    refunds = draw(st.lists(amounts, max_size=3))
    return instalments, payments, registration, reversed_ids, draw(st.randoms()), refunds


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_incremental_registration_in_any_order_equals_a_replay(scenario):
    instalments, payments, registration, reversed_ids, rnd, refunds = scenario
    ledger = Ledger(instalments)
    registered, pending = set(), set(reversed_ids)
    for index in registration:
        ledger.register(payments[index])
        registered.add(payments[index].id)
        # Reverse some registered payments at random points along the way.
        for pid in sorted(pending & registered):
            if rnd.random() < 0.5:
                ledger.reverse(pid)
                pending.discard(pid)
        if refunds and rnd.random() < 0.3:
            ledger.refund(refunds[len(ledger.refunds) % len(refunds)])
    for pid in sorted(pending):
        ledger.reverse(pid)

    replay = allocate(instalments, payments, reversed_ids, ledger.refunds)
    assert ledger.allocation == replay
    # Refunds move no payment; they only lower what is held (negative: owed back).
    assert allocate(instalments, payments, reversed_ids).by_payment == replay.by_payment
    assert replay.held_overpayment == sum(replay.overpayment_by_payment.values(), D(0)) - sum(
        ledger.refunds, D(0)
    )

    active = [p for p in payments if p.id not in reversed_ids]
    for p in active:
        allocated = sum((amt for _, amt in replay.by_payment[p.id]), D(0))
        # Allocated ≤ paid, and nothing is lost to rounding.
        assert allocated <= p.amount
        assert allocated + replay.overpayment_by_payment.get(p.id, D(0)) == p.amount
    for inst in instalments:
        assert D(0) <= replay.by_instalment[inst.seq] <= inst.amount
    assert replay.allocated <= replay.principal
    assert replay.paid == replay.allocated + replay.overpayment
    assert replay.overpayment == max(D(0), replay.paid - replay.principal)
    assert replay.repaid == (replay.paid >= replay.principal)
    # Oldest first: no instalment has money while an older one is short.
    shorts = [i.seq for i in instalments if replay.by_instalment[i.seq] < i.amount]
    if shorts:
        assert all(replay.by_instalment[i.seq] == 0 for i in instalments if i.seq > shorts[0])
