"""The one place where the pipeline asks the letters engine for a letter.

Each function builds the context that the engine's contract names for its
kind (docs/letters.md).
Callers run inside the transaction of the change the letter is about: the
engine creates the pending letter in that transaction and queues the PDF on
commit, so a rolled-back transition leaves no letter behind. The recipient is
left to the engine's default (the case's citizen).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.letters.services import request_letter


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()


def meeting_invitation_context(meeting) -> dict:
    tz = timezone.get_current_timezone()
    return {
        "meeting_kind": str(meeting.get_kind_display()),
        "starts_at": meeting.starts_at.astimezone(tz).isoformat(),
        "ends_at": meeting.ends_at.astimezone(tz).isoformat() if meeting.ends_at else "",
        "place": meeting.place,
        "staff": [_user_name(u) for u in meeting.staff.order_by("first_name", "last_name", "pk")],
        "notes": meeting.notes,
    }


def send_meeting_invitation(meeting, author):
    """Invite the citizen to a planned meeting (kind ``meeting_invitation``)."""
    return request_letter(
        kind="meeting_invitation",
        case=meeting.case,
        author=author,
        context=meeting_invitation_context(meeting),
    )


def send_withdrawal_confirmation(
    case, *, author, initiated_by: str, reason: str, withdrawn_on: datetime.date | None = None
):
    """Confirm in writing that the citizen has left the programme (voluntary)."""
    return request_letter(
        kind="withdrawal_confirmation",
        case=case,
        author=author,
        context={
            "withdrawn_on": (withdrawn_on or timezone.localdate()).isoformat(),
            "initiated_by": initiated_by,
            "reason": reason,
            "has_loan": False,
        },
    )


def send_decline_decision(
    case, *, author, from_stage_label: str, reason: str, facts: str = "", decided_on=None
):
    """The decision (afgørelse) that ends a case after an interview or screening."""
    return request_letter(
        kind="decision",
        case=case,
        author=author,
        context={
            "title": _("Afgørelse om dit mikrolånsforløb"),
            "decision": _(
                "Dit forløb i mikrolånsprogrammet afsluttes efter %(stage)s. "
                "Du fortsætter ikke i forløbet."
            )
            % {"stage": from_stage_label.lower()},
            "decided_on": (decided_on or timezone.localdate()).isoformat(),
            "period": "",
            "amount": None,
            "facts": facts,
            "considerations": reason,
            "legal_basis": "",
        },
    )
