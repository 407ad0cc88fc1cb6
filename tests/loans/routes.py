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
