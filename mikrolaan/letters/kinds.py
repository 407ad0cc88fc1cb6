"""The built-in letter kinds (SPEC §8). Three are written in full; the rest
are placeholders that say so on the page, for the issues that own them.

Context contracts (the JSON a caller passes to ``request_letter``):

meeting_invitation
    meeting_kind (Danish label), starts_at (aware ISO datetime), ends_at (ISO
    datetime or ""), place, staff (list of names), notes
withdrawal_confirmation
    withdrawn_on (ISO date), initiated_by ("citizen" | "staff"), reason;
    optional has_loan (bool)
decision
    title, decision, decided_on (ISO date), period (may be ""), amount
    (Decimal as string, or null), facts, considerations, legal_basis (may be
    "": the scheme's general text is used)
"""

from django.utils.translation import gettext_lazy as _

from mikrolaan.formatting import to_date, to_decimal, to_local_datetime

from .registry import LetterKind, register


def _prepare_meeting(ctx: dict) -> dict:
    starts = to_local_datetime(ctx["starts_at"])
    ends = to_local_datetime(ctx["ends_at"]) if ctx.get("ends_at") else None
    if ends is not None and ends <= starts:
        raise ValueError("ends_at skal ligge efter starts_at.")
    staff = ctx.get("staff") or []
    if not isinstance(staff, list):
        raise ValueError("staff skal være en liste af navne.")
    return {"starts_at": starts, "ends_at": ends, "staff": [str(s) for s in staff]}


def _prepare_withdrawal(ctx: dict) -> dict:
    if ctx["initiated_by"] not in ("citizen", "staff"):
        raise ValueError('initiated_by skal være "citizen" eller "staff".')
    return {"withdrawn_on": to_date(ctx["withdrawn_on"]), "has_loan": bool(ctx.get("has_loan"))}


def _prepare_decision(ctx: dict) -> dict:
    amount = ctx.get("amount")
    return {
        "decided_on": to_date(ctx["decided_on"]),
        "amount": None if amount in (None, "") else to_decimal(amount),
    }


DECISION_KEYS = [
    "title",
    "decision",
    "decided_on",
    "period",
    "amount",
    "facts",
    "considerations",
    "legal_basis",
]
DECISION_SAMPLE = {
    "title": "Afgørelse om tilskud til forsørgelse",
    "decision": (
        "Du får tilskud til forsørgelse, mens du etablerer din virksomhed »Blomster på Ærø ApS«."
    ),
    "decided_on": "2026-11-26",
    "period": "1. december 2026 – 31. maj 2027",
    "amount": "12345.50",
    "facts": (
        "Du har gennemført kompetenceforløbet og kursusinternatet. Dit driftsbudget "
        "viser, at virksomheden kan give dig et overskud efter 6 måneder. Du er "
        "mødt til 11 af 12 møder."
    ),
    "considerations": (
        "Vi har lagt vægt på, at din forretningsplan er realistisk, og at du har vist "
        "stabilitet og motivation gennem hele forløbet. Vi vurderer derfor, at "
        "tilskuddet har afgørende betydning for, at du kan etablere virksomheden."
    ),
    "legal_basis": "",
}

register(
    LetterKind(
        id="meeting_invitation",
        title=_("Invitation til møde"),
        template="letters/kinds/meeting_invitation.html",
        version="3",
        required_context=["meeting_kind", "starts_at", "ends_at", "place", "staff", "notes"],
        prepare=_prepare_meeting,
        subject=lambda ctx: _("Invitation til %(meeting)s") % {"meeting": ctx["meeting_kind"]},
        sample_context={
            "meeting_kind": "1. personlige møde",
            "starts_at": "2026-12-01T10:00:00+01:00",
            "ends_at": "2026-12-01T11:30:00+01:00",
            "place": "Café Åens Perle, Åboulevarden 7, 8000 Aarhus C",
            "staff": ["Søren Ørsted", "Åse Bæk"],
            "notes": "Tag gerne dine første tanker om forretningsidéen med.",
        },
    )
)

register(
    LetterKind(
        id="withdrawal_confirmation",
        title=_("Bekræftelse af udtræden"),
        template="letters/kinds/withdrawal_confirmation.html",
        version="2",
        required_context=["withdrawn_on", "initiated_by", "reason"],
        prepare=_prepare_withdrawal,
        sample_context={
            "withdrawn_on": "2026-11-26",
            "initiated_by": "citizen",
            "reason": "Jeg har fået fast arbejde som tømrer.",
            "has_loan": True,
        },
    )
)

register(
    LetterKind(
        id="decision",
        title=_("Afgørelse"),
        template="letters/kinds/decision.html",
        version="2",
        is_decision=True,
        required_context=DECISION_KEYS,
        prepare=_prepare_decision,
        subject=lambda ctx: ctx["title"],
        sample_context=DECISION_SAMPLE,
    )
)


def _prepare_placeholder_decision(ctx: dict) -> dict:
    result = {}
    if ctx.get("decided_on"):
        result["decided_on"] = to_date(ctx["decided_on"])
    if ctx.get("amount") not in (None, ""):
        result["amount"] = to_decimal(ctx["amount"])
    return result


# Placeholders: registered so that every SPEC §8 kind exists (letter_samples
# shows them); request_letter refuses them until the issues that own them
# write their text. The screening decisions, the course grant, the extension
# and the end of support are registered by the screening app; the support
# grant, the loan agreement, the request for self-evaluation, the payment
# reminder and the rescheduling decision by the loans app; the network-day
# invitation by the courses app. Every kind now has its text; a kind added
# ahead of its text goes here.
_PLACEHOLDERS: list = []

for _id, _title, _is_decision in _PLACEHOLDERS:
    register(
        LetterKind(
            id=_id,
            title=_title,
            template=(
                "letters/kinds/placeholder_decision.html"
                if _is_decision
                else "letters/kinds/placeholder.html"
            ),
            version="0",
            is_decision=_is_decision,
            placeholder=True,
            prepare=_prepare_placeholder_decision if _is_decision else None,
            sample_context=(
                {"decided_on": "2026-11-26", "legal_basis": ""}
                if _is_decision
                else {"note": "Eksempeldata"}
            ),
        )
    )
