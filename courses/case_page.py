"""The courses' section of the case page: the citizen's seats, attendance
rate and current mentor. Queries: the seats with cohorts and modules, the
rate setting, the marks, the current mentor — four, whatever the case holds."""

from . import selectors
from .models import Enrolment


def courses_section(request, case) -> dict:
    seats = list(
        Enrolment.objects.filter(case=case)
        .select_related("cohort", "module")
        .order_by("cohort__start_date", "module__position", "pk")
    )
    rate = selectors.attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
    return {
        "seats": seats,
        "rate": rate,
        "match": selectors.current_match(case),
    }


def coming_sessions(case, now) -> list:
    """The case's part in the case page's »Kommende«: planned sessions still
    to come of the modules it has a seat on, and the network days it is
    invited to and has not said no to. One query."""
    from django.db.models import Exists, OuterRef, Q
    from django.urls import reverse

    from applicants.coming import ComingItem

    from .models import Answer, NetworkInvitation, Session, SessionStatus

    seat = Enrolment.objects.filter(
        case=case, cohort_id=OuterRef("cohort_id"), module_id=OuterRef("module_id")
    )
    invited = NetworkInvitation.objects.filter(case=case, session_id=OuterRef("pk")).exclude(
        answer=Answer.NO
    )
    sessions = (
        Session.objects.filter(status=SessionStatus.PLANNED, starts_at__gt=now)
        .filter(Q(Exists(seat)) | Q(Exists(invited)))
        .select_related("module")
        .order_by("starts_at", "pk")
    )
    return [
        ComingItem(
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            kind=str(s.module.title),
            title=s.display_title,
            place=s.place,
            url=reverse("courses:session", args=[s.pk]),
        )
        for s in sessions
    ]


def cohort_starts(case_ids) -> dict:
    """Each case's cohort week 1 (SPEC §3): the start of the earliest cohort
    it has a seat on. One query."""
    found = {}
    rows = (
        Enrolment.objects.filter(case_id__in=case_ids)
        .values_list("case_id", "cohort__start_date", "cohort__name")
        .order_by("case_id", "cohort__start_date", "cohort_id")
    )
    for case_id, start, name in rows:
        found.setdefault(case_id, (start, name))
    return found
