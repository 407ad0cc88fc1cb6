"""The pipeline's own letter kinds beside the built-in ones. Contract (the
JSON context):

meeting_changed
    change ("moved" | "cancelled"), meeting_kind (Danish label), starts_at,
    ends_at (aware ISO datetimes; ends_at may be ""), place, before_starts_at,
    before_ends_at (ISO datetimes or ""), before_place, reason
"""

from django.utils.translation import gettext_lazy as _

from mikrolaan.formatting import to_local_datetime
from mikrolaan.letters.registry import LetterKind, register


def _prepare_meeting_change(ctx: dict) -> dict:
    if ctx["change"] not in ("moved", "cancelled"):
        raise ValueError('change skal være "moved" eller "cancelled".')
    prepared = {
        "starts_at": to_local_datetime(ctx["starts_at"]),
        "ends_at": to_local_datetime(ctx["ends_at"]) if ctx.get("ends_at") else None,
        "before_starts_at": None,
        "before_ends_at": None,
    }
    if prepared["ends_at"] is not None and prepared["ends_at"] <= prepared["starts_at"]:
        raise ValueError("ends_at skal ligge efter starts_at.")
    if ctx.get("before_starts_at"):
        prepared["before_starts_at"] = to_local_datetime(ctx["before_starts_at"])
    if ctx.get("before_ends_at"):
        prepared["before_ends_at"] = to_local_datetime(ctx["before_ends_at"])
    return prepared


def _meeting_change_subject(ctx: dict) -> str:
    if ctx["change"] == "cancelled":
        return _("Aflysning af %(meeting)s") % {"meeting": ctx["meeting_kind"]}
    return _("Nyt tidspunkt eller sted for %(meeting)s") % {"meeting": ctx["meeting_kind"]}


register(
    LetterKind(
        id="meeting_changed",
        title=_("Ændring eller aflysning af møde"),
        template="letters/kinds/meeting_changed.html",
        version="1",
        required_context=["change", "meeting_kind", "starts_at", "ends_at", "place"],
        prepare=_prepare_meeting_change,
        subject=_meeting_change_subject,
        sample_context={
            "change": "moved",
            "meeting_kind": "2. personlige møde",
            "starts_at": "2026-12-08T10:00:00+01:00",
            "ends_at": "2026-12-08T11:00:00+01:00",
            "place": "Café Åens Perle, Åboulevarden 7, 8000 Aarhus C",
            "before_starts_at": "2026-12-01T10:00:00+01:00",
            "before_ends_at": "2026-12-01T11:00:00+01:00",
            "before_place": "Jobcenter Aarhus, mødelokale 2",
            "reason": "Din kontaktperson er på kursus den dag.",
        },
    )
)
