"""The iCalendar feed: every session, network day and meeting a person takes
part in, at a secret address (see CalendarFeed). The feed names no CPR
number and carries no case notes: a meeting with a citizen is named by its
kind and journalnummer for staff, and by the mentee's first name for a
mentor."""

from __future__ import annotations

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import CLOSED_STAGES, Case, Meeting
from mikrolaan.roles import STAFF_ROLES, Role, has_role

from .models import Answer, Enrolment, MentorMeeting, NetworkInvitation, Session, SessionStatus

# How far back and ahead the feed reaches.
PAST = datetime.timedelta(days=90)
AHEAD = datetime.timedelta(days=400)
DOMAIN = "mikrolaan"


def feed_path(feed) -> str:
    return reverse("courses:calendar_feed", kwargs={"token": feed.token})


def _event(uid, *, summary, starts, ends, location="", description="", cancelled=False):
    event = icalendar.Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts)
    event.add("dtend", ends or starts + datetime.timedelta(hours=1))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _session_event(session: Session, *, declined=False):
    description = session.module.title
    if session.teacher:
        description += f"\n{session.teacher}"
    return _event(
        f"session-{session.pk}",
        summary=session.display_title,
        starts=session.starts_at,
        ends=session.ends_at,
        location=session.place,
        description=description,
        cancelled=session.status == SessionStatus.CANCELLED or declined,
    )


def _window():
    now = timezone.now()
    return now - PAST, now + AHEAD


def staff_events(user) -> list:
    """The team: every session and network day of the municipality, and
    the meetings the user takes part in."""
    start, end = _window()
    events = [
        _session_event(s)
        for s in Session.objects.filter(starts_at__range=(start, end))
        .select_related("module")
        .order_by("starts_at", "pk")
    ]
    for m in (
        Meeting.objects.filter(staff=user, starts_at__range=(start, end))
        .select_related("case")
        .only("id", "kind", "starts_at", "ends_at", "place", "attendance", "case__case_number")
        .order_by("starts_at", "pk")
    ):
        events.append(
            _event(
                f"meeting-{m.pk}",
                summary=f"{m.get_kind_display()} ({m.case.case_number})",
                starts=m.starts_at,
                ends=m.ends_at,
                location=m.place,
                cancelled=m.attendance == "cancelled",
            )
        )
    return events


def citizen_events(user) -> list:
    """A citizen: the sessions of their seats, the network days they are
    invited to (a "no" shows as cancelled), their meetings and mentor meetings."""
    case = (
        Case.objects.filter(citizen__user=user)
        .exclude(stage__in=[str(s) for s in CLOSED_STAGES])
        .first()
    )
    if case is None:
        return []
    start, end = _window()
    seats = list(Enrolment.objects.filter(case=case).values_list("cohort_id", "module_id"))
    events = []
    if seats:
        from django.db.models import Q

        q = Q(pk__in=[])
        for cohort_id, module_id in seats:
            q |= Q(cohort_id=cohort_id, module_id=module_id)
        events += [
            _session_event(s)
            for s in Session.objects.filter(q, starts_at__range=(start, end))
            .select_related("module")
            .order_by("starts_at", "pk")
        ]
    for inv in NetworkInvitation.objects.filter(
        case=case, session__starts_at__range=(start, end)
    ).select_related("session__module"):
        events.append(_session_event(inv.session, declined=inv.answer == Answer.NO))
    for m in Meeting.objects.filter(case=case, starts_at__range=(start, end)).order_by(
        "starts_at", "pk"
    ):
        events.append(
            _event(
                f"meeting-{m.pk}",
                summary=str(m.get_kind_display()),
                starts=m.starts_at,
                ends=m.ends_at,
                location=m.place,
                cancelled=m.attendance == "cancelled",
            )
        )
    for mm in MentorMeeting.objects.filter(
        match__case=case, starts_at__range=(start, end)
    ).select_related("match__mentor"):
        events.append(
            _event(
                f"mentor-meeting-{mm.pk}",
                summary=_("Mentormøde med %(name)s: %(topic)s")
                % {"name": mm.match.mentor.name, "topic": mm.topic},
                starts=mm.starts_at,
                ends=None,
            )
        )
    return events


def mentor_events(user) -> list:
    start, end = _window()
    return [
        _event(
            f"mentor-meeting-{mm.pk}",
            summary=_("Mentormøde med %(name)s: %(topic)s")
            % {"name": mm.match.case.citizen.first_name, "topic": mm.topic},
            starts=mm.starts_at,
            ends=None,
        )
        for mm in MentorMeeting.objects.filter(
            match__mentor__user=user, starts_at__range=(start, end)
        )
        .select_related("match__case__citizen")
        .only(
            "id",
            "starts_at",
            "topic",
            "match__id",
            "match__case__id",
            "match__case__citizen__id",
            "match__case__citizen__first_name",
        )
        .order_by("starts_at", "pk")
    ]


def build_feed(user) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Mikrolån//Kurser og møder//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Mikrolån")
    events = []
    seen = set()
    if has_role(user, *STAFF_ROLES):
        events += staff_events(user)
    if has_role(user, Role.CITIZEN):
        events += citizen_events(user)
    if has_role(user, Role.MENTOR):
        events += mentor_events(user)
    for event in events:
        uid = str(event["uid"])
        if uid in seen:
            continue
        seen.add(uid)
        cal.add_component(event)
    return cal.to_ical()
