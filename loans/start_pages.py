"""The team's start page: loans waiting for approval or payout, and the
support watch's tasks."""

from mikrolaan.roles import STAFF_ROLES, Role
from mikrolaan.views import register_start_page

from . import selectors


@register_start_page(*STAFF_ROLES)
def loan_sections(request) -> dict:
    approval, approval_more = selectors.loans_awaiting_approval()
    payout, payout_more = selectors.loans_awaiting_payout()
    tasks, tasks_more = selectors.open_tasks()
    return {
        "loans_awaiting_approval": approval,
        "loans_awaiting_approval_more": approval_more,
        "loans_awaiting_payout": payout,
        "loans_awaiting_payout_more": payout_more,
        "staff_tasks": tasks,
        "staff_tasks_more": tasks_more,
    }


@register_start_page(Role.CITIZEN)
def borrower_section(request) -> dict:
    """A link to the borrower's loan and support page, when there is one
    (one query)."""
    from django.db.models import Exists, OuterRef

    from applicants.models import Citizen

    from .models import Loan, LoanState, SupportGrant

    row = (
        Citizen.objects.filter(user=request.user)
        .annotate(
            has_loan=Exists(
                Loan.objects.filter(citizen=OuterRef("pk")).exclude(
                    state__in=[LoanState.RECOMMENDED, LoanState.CANCELLED]
                )
            ),
            has_support=Exists(SupportGrant.objects.filter(case__citizen=OuterRef("pk"))),
        )
        .values("has_loan", "has_support")
        .first()
    )
    return {"portal_has_loan_page": bool(row and (row["has_loan"] or row["has_support"]))}
