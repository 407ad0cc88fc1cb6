"""The loans app's rows of the permission matrix (see tests/routes.py).
Loans, support and payouts are the team's; the borrower sees their own loan
on a portal page of its own."""

from decimal import Decimal

from loans import services
from mikrolaan.roles import Role
from tests.routes import STAFF, Route
from tests.screening.routes import screening_case

CITIZEN = frozenset({Role.CITIZEN})


def loan_kwargs(world):
    def build(w):
        return services.recommend_loan(
            actor=w.user(Role.TEAM_MEMBER), case=screening_case(w), principal=Decimal("40000")
        )

    return {"pk": world.get("loan", build).pk}


def borrower(world):
    loan_kwargs(world)  # the world's citizen has a loan
    return {}


ROUTES = [
    Route("loans:scheme_edit", allowed=frozenset({Role.TEAM_LEAD, Role.ADMINISTRATOR})),
    Route("loans:loan_detail", allowed=STAFF, kwargs=loan_kwargs),
    Route("loans:loan_bank", allowed=STAFF, kwargs=loan_kwargs),
    Route(
        "loans:loan_bank",
        allowed=STAFF,
        kwargs=loan_kwargs,
        method="post",
        data={"reg_no": "1234", "account_no": "12345678", "consent_on": ""},
        ok_status=302,
    ),
    Route(
        "loans:loan_action",
        allowed=STAFF,
        kwargs=lambda w: {**loan_kwargs(w), "action": "approve"},
        method="post",
        ok_status=302,
    ),
    Route("loans:support", allowed=STAFF, kwargs=lambda w: {"pk": screening_case(w).pk}),
    Route(
        "loans:support",
        allowed=STAFF,
        kwargs=lambda w: {"pk": screening_case(w).pk},
        method="post",
        data={
            "action": "refuse",
            "refuse-months": "",
            "refuse-facts": "Du modtager førtidspension.",
            "refuse-reasons": "Pensionen fortsætter.",
        },
        ok_status=302,
    ),
    Route("loans:payouts", allowed=STAFF),
    Route("loans:payouts_csv", allowed=STAFF, kwargs={"day": "2026-11-26"}),
    Route("loans:portal_loan", allowed=CITIZEN, kwargs=borrower),
]


# --- repayment (payments, statements, the loan book) ---------------------------------
# Kept in one block of their own, after the loan's rows.

import datetime as _dt  # noqa: E402
from decimal import Decimal as _D  # noqa: E402

from tests.routes import LEAD as _LEAD  # noqa: E402
from tests.routes import STAFF as _STAFF  # noqa: E402


def _repay_loan(world):
    def build(w):
        from tests.loans.helpers import make_loan

        return make_loan(
            principal=_D(12000),
            disbursed_on=_dt.date.today() - _dt.timedelta(days=120),
            recommender=w.user(Role.TEAM_MEMBER),
            approver=w.get("repay_approver", _second_lead),
        )

    return world.get("repay_loan", build)


def _second_lead(world):
    from tests.factories import UserFactory

    return UserFactory(username="repay_lead_two", role=Role.TEAM_LEAD)


def _repay_kwargs(world):
    return {"pk": _repay_loan(world).pk}


def _payment_kwargs(world):
    from loans.repayment import register_payment

    loan = _repay_loan(world)
    payment = register_payment(
        actor=world.user(Role.TEAM_MEMBER),
        loan=loan,
        value_date=_dt.date.today(),
        amount=_D(100),
    )
    return {"pk": loan.pk, "payment_pk": payment.pk}


def _queued_line(world):
    from loans.statement_import import import_statement

    record = import_statement(
        actor=world.user(Role.TEAM_MEMBER),
        municipality_id=_repay_loan(world).municipality_id,
        filename="udtog.csv",
        data=f"Dato;Tekst;Beløb\n01-02-2026;Ukendt {id(world)}-{_dt.datetime.now().timestamp()};"
        "100,00\n".encode(),
    )
    return {"pk": record.lines.get().pk}


def _assign_data(world):
    return {"loan": _repay_loan(world).pk}


ROUTES += [
    Route("loans:repayment", allowed=_STAFF, kwargs=_repay_kwargs),
    Route(
        "loans:payment_register",
        allowed=_STAFF,
        kwargs=_repay_kwargs,
        method="post",
        data=lambda w: {
            "value_date": _dt.date.today().isoformat(),
            "amount": "100",
            "method": "bank_transfer",
        },
        ok_status=302,
    ),
    Route(
        "loans:payment_reverse",
        allowed=_STAFF,
        kwargs=_payment_kwargs,
        method="post",
        data={"reason": "Forkert lån"},
        ok_status=302,
    ),
    Route(
        "loans:reschedule",
        allowed=_LEAD,
        kwargs=_repay_kwargs,
        method="post",
        data={"kind": "pause", "pause_months": "2", "reasons": "Sygdom"},
        ok_status=302,
    ),
    Route("loans:repayment_settings", allowed=_LEAD),
    Route("loans:payments_inbox", allowed=_STAFF),
    Route("loans:statement_upload", allowed=_STAFF, method="post", ok_status=302),
    Route("loans:statement_line", allowed=_STAFF, kwargs=_queued_line),
    Route(
        "loans:line_assign",
        allowed=_STAFF,
        kwargs=_queued_line,
        method="post",
        data=_assign_data,
        ok_status=302,
    ),
    Route(
        "loans:line_dismiss",
        allowed=_STAFF,
        kwargs=_queued_line,
        method="post",
        data={"reason": "Ikke et lån"},
        ok_status=302,
    ),
    Route("loans:loan_book", allowed=_STAFF),
    Route("loans:loan_book_csv", allowed=_STAFF),
]


def _overpaid_kwargs(world):
    """A loan paid 100 kr. beyond its principal: there is something to refund."""

    def build(w):
        from loans.repayment import register_payment

        loan = _repay_loan(w)
        register_payment(
            actor=w.user(Role.TEAM_MEMBER),
            loan=loan,
            value_date=_dt.date.today(),
            amount=loan.principal + 100,
        )
        return loan

    return {"pk": world.get("overpaid_loan", build).pk}


def _refund_kwargs(world):
    from loans.refunds import register_refund

    kwargs = _overpaid_kwargs(world)
    refund = register_refund(
        actor=world.user(Role.TEAM_MEMBER),
        loan=world.get("overpaid_loan", None),
        amount=_D(10),
        paid_on=_dt.date.today(),
        method="nemkonto",
        send_letter=False,
    )
    return {**kwargs, "refund_pk": refund.pk}


ROUTES += [
    Route(
        "loans:refund_register",
        allowed=_STAFF,
        kwargs=_overpaid_kwargs,
        method="post",
        data=lambda w: {
            "refund-amount": "1",
            "refund-paid_on": _dt.date.today().isoformat(),
            "refund-method": "nemkonto",
        },
        ok_status=302,
    ),
    Route(
        "loans:refund_reverse",
        allowed=_STAFF,
        kwargs=_refund_kwargs,
        method="post",
        data={"reason": "Forkert konto"},
        ok_status=302,
    ),
]


def _borrower_statement(world):
    def build(w):
        from tests.loans.helpers import make_loan

        # The world's citizen's own case (one case per citizen).
        return make_loan(
            case=screening_case(w),
            principal=_D(12000),
            recommender=w.user(Role.TEAM_MEMBER),
            approver=w.get("repay_approver", _second_lead),
        )

    return {"pk": world.get("borrower_disbursed", build).pk}


ROUTES += [Route("loans:portal_statement", allowed=CITIZEN, kwargs=_borrower_statement)]
