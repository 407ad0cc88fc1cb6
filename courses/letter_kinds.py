"""The courses' letter kinds (SPEC §8). Contracts (the JSON context):

session_changed
    change ("moved" | "cancelled"), module, title, starts_at, ends_at (aware
    ISO datetimes), place, before_starts_at (ISO datetime or ""),
    before_place, reason
network_day_invitation
    title, starts_at, ends_at (aware ISO datetimes), place, programme (the
    run-sheet, plain text; may be "")
"""

from django.utils.translation import gettext_lazy as _

from mikrolaan.formatting import to_local_datetime
from mikrolaan.letters.registry import LetterKind, register


def _prepare_times(ctx: dict) -> dict:
    starts = to_local_datetime(ctx["starts_at"])
    ends = to_local_datetime(ctx["ends_at"])
    if ends <= starts:
        raise ValueError("ends_at skal ligge efter starts_at.")
    return {"starts_at": starts, "ends_at": ends}


def _prepare_change(ctx: dict) -> dict:
    if ctx["change"] not in ("moved", "cancelled"):
        raise ValueError('change skal være "moved" eller "cancelled".')
    prepared = _prepare_times(ctx)
    if ctx.get("before_starts_at"):
        prepared["before_starts_at"] = to_local_datetime(ctx["before_starts_at"])
    return prepared


def _change_subject(ctx: dict) -> str:
    if ctx["change"] == "cancelled":
        return _("Aflysning: %(title)s") % {"title": ctx["title"]}
    return _("Nyt tidspunkt eller sted: %(title)s") % {"title": ctx["title"]}


register(
    LetterKind(
        id="session_changed",
        title=_("Ændring af kursusgang"),
        template="letters/kinds/session_changed.html",
        version="1",
        required_context=["change", "module", "title", "starts_at", "ends_at", "place"],
        prepare=_prepare_change,
        subject=_change_subject,
        sample_context={
            "change": "moved",
            "module": "Moms og skat",
            "title": "Moms og skat, dag 1",
            "starts_at": "2026-12-08T09:00:00+01:00",
            "ends_at": "2026-12-08T15:00:00+01:00",
            "place": "Jobcenter Aarhus, lokale 3",
            "before_starts_at": "2026-12-01T09:00:00+01:00",
            "before_place": "Jobcenter Aarhus, lokale 2",
            "reason": "Underviseren fra Skattestyrelsen er syg.",
        },
    )
)

register(
    LetterKind(
        id="network_day_invitation",
        title=_("Invitation til netværksdag"),
        template="letters/kinds/network_day_invitation.html",
        version="1",
        required_context=["title", "starts_at", "ends_at", "place", "programme"],
        prepare=_prepare_times,
        subject=lambda ctx: _("Invitation: %(title)s") % {"title": ctx["title"]},
        sample_context={
            "title": "Netværksdag: salg i praksis",
            "starts_at": "2027-01-14T13:00:00+01:00",
            "ends_at": "2027-01-14T16:00:00+01:00",
            "place": "Iværksætterhuset, Aarhus",
            "programme": "13.00 Velkomst og kaffe\n13.30 Oplæg: salg i praksis\n"
            "14.30 Erfaringsudveksling i små grupper\n15.45 Tak for i dag",
        },
    )
)
