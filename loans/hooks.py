"""What the loans app tells the pipeline (see applicants.borrowing)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SupportEndReason


def loan_facts(case) -> dict:
    from .services import has_running_loan

    return {"has_loan": has_running_loan(case.citizen_id)}


def end_support_with_case(case, *, transition: str, actor) -> None:
    """A withdrawn or ended case ends its running support grant (a decision
    letter with the right to complain, and what happens to a running loan);
    the loan itself is never touched."""
    from .services import end_support, running_grant

    if running_grant(case) is None:
        return
    today = timezone.localdate()
    facts = (
        _("Du er udtrådt af mikrolånsforløbet den %(day)s.")
        if transition == "withdraw"
        else _("Dit mikrolånsforløb er afsluttet den %(day)s.")
    ) % {"day": today.strftime("%d.%m.%Y")}
    end_support(
        actor=actor,
        case=case,
        ended_on=today,
        reason=SupportEndReason.WITHDRAWN,
        facts=facts,
        reasons=_(
            "Tilskud til forsørgelse gives, mens du etablerer din virksomhed i "
            "mikrolånsforløbet. Når forløbet er slut, ophører tilskuddet."
        ),
    )
