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


def send_meeting_change(meeting, author, *, change: str, before: dict | None = None, reason=""):
    """Tell the citizen that a planned meeting was moved (a new invitation
    that says what changed) or cancelled (kind ``meeting_changed``)."""
    tz = timezone.get_current_timezone()
    before = before or {}
    return request_letter(
        kind="meeting_changed",
        case=meeting.case,
        author=author,
        context={
            "change": change,
            "meeting_kind": str(meeting.get_kind_display()),
            "starts_at": meeting.starts_at.astimezone(tz).isoformat(),
            "ends_at": meeting.ends_at.astimezone(tz).isoformat() if meeting.ends_at else "",
            "place": meeting.place,
            "before_starts_at": before["starts_at"].astimezone(tz).isoformat()
            if before.get("starts_at")
            else "",
            "before_ends_at": before["ends_at"].astimezone(tz).isoformat()
            if before.get("ends_at")
            else "",
            "before_place": before.get("place", ""),
            "reason": reason,
        },
    )


def send_withdrawal_confirmation(
    case, *, author, initiated_by: str, reason: str, withdrawn_on: datetime.date | None = None
):
    """Confirm in writing that the citizen has left the programme (voluntary),
    and what happens to a loan that keeps running."""
    from .borrowing import loan_facts

    return request_letter(
        kind="withdrawal_confirmation",
        case=case,
        author=author,
        context={
            "withdrawn_on": (withdrawn_on or timezone.localdate()).isoformat(),
            "initiated_by": initiated_by,
            "reason": reason,
            "has_loan": loan_facts(case)["has_loan"],
        },
    )


# "Dit forløb afsluttes efter ...": the stage as a phrase in a sentence.
AFTER_STAGE = {
    "phone_interview": _("telefonsamtalen"),
    "first_meeting": _("dit første personlige møde"),
    "second_meeting": _("dit andet personlige møde"),
    "screening_1": _("den 1. screening"),
    "screening_2": _("den 2. screening"),
    "screening_3": _("den 3. screening"),
    "screening_4": _("den 4. screening"),
}


def refused_offer_text(scheme) -> str:
    """What a decline refuses, with the scheme's own references."""
    return _(
        "Du kan derfor ikke fortsætte i kommunens mikrolånsforløb, og du kan ikke gennem "
        "forløbet få et rente- og gebyrfrit lån efter %(loan)s eller tilskud til forsørgelse "
        "efter %(support)s."
    ) % {"loan": scheme.legal_basis_loan, "support": scheme.legal_basis_support}


def decline_legal_basis(scheme) -> str:
    return _("%(support)s og %(loan)s (hjælp til etablering af selvstændig virksomhed)") % {
        "support": scheme.legal_basis_support,
        "loan": scheme.legal_basis_loan,
    }


def send_decline_decision(
    case, *, author, from_stage: str, reason: str, facts: str, decided_on=None
):
    """The decision (afgørelse) that ends a case after an interview or screening:
    what is refused, on which of the scheme's legal bases, the facts and the
    considerations."""
    scheme = case.municipality.current_scheme()
    after = AFTER_STAGE.get(from_stage, _("den seneste vurdering"))
    return request_letter(
        kind="decision",
        case=case,
        author=author,
        context={
            "title": _("Afgørelse om dit mikrolånsforløb"),
            "decision": _("Vi har besluttet, at dit mikrolånsforløb afsluttes efter %(after)s.")
            % {"after": after}
            + "\n\n"
            + refused_offer_text(scheme),
            "decided_on": (decided_on or timezone.localdate()).isoformat(),
            "period": "",
            "amount": None,
            "facts": facts,
            "considerations": reason,
            "legal_basis": decline_legal_basis(scheme),
        },
    )


def send_end_case_decision(case, *, author, reason: str, facts: str, decided_on=None):
    """Staff end the case because the citizen stopped coming: the
    municipality's adverse decision (not a withdrawal), with complaint guidance."""
    scheme = case.municipality.current_scheme()
    return request_letter(
        kind="decision",
        case=case,
        author=author,
        context={
            "title": _("Afgørelse om at afslutte dit mikrolånsforløb"),
            "decision": _(
                "Vi har besluttet at afslutte dit mikrolånsforløb, fordi du ikke er kommet "
                "til de aftalte møder og aktiviteter."
            )
            + "\n\n"
            + refused_offer_text(scheme),
            "decided_on": (decided_on or timezone.localdate()).isoformat(),
            "period": "",
            "amount": None,
            "facts": facts,
            "considerations": reason,
            "legal_basis": decline_legal_basis(scheme),
        },
    )
