"""Reads of the courses that span relations: a fixed number of queries
however many participants, sessions or marks there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from applicants.models import CLOSED_STAGES, Case

from .models import (
    COUNTING_KINDS,
    Answer,
    AttendanceRecord,
    Cohort,
    Enrolment,
    ExcusedAbsence,
    Mark,
    MentorMatch,
    MentorMeeting,
    NetworkInvitation,
    Session,
    SessionStatus,
)

SHOWN = 25


@dataclass(frozen=True)
class Rate:
    """A participant's attendance over the course modules that count."""

    present: int = 0
    absent: int = 0
    excused: int = 0
    excused_rule: str = ExcusedAbsence.LEFT_OUT

    @property
    def counted(self) -> int:
        if self.excused_rule == ExcusedAbsence.LEFT_OUT:
            return self.present + self.absent
        return self.present + self.absent + self.excused

    @property
    def attended(self) -> int:
        if self.excused_rule == ExcusedAbsence.PRESENT:
            return self.present + self.excused
        return self.present

    @property
    def percent(self) -> int | None:
        if not self.counted:
            return None
        return round(100 * self.attended / self.counted)


def attendance_rates(case_ids, *, municipality_id) -> dict[int, Rate]:
    """Each case's attendance rate: two queries (the setting, the marks).
    Network days and ad hoc meetings never count, nor cancelled sessions."""
    from .services import settings_for

    rule = settings_for(municipality_id).excused_absence
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        AttendanceRecord.objects.filter(
            case_id__in=list(case_ids),
            session__module__kind__in=[str(k) for k in COUNTING_KINDS],
            session__status=SessionStatus.PLANNED,
        )
        .values_list("case_id", "mark")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for case_id, mark, n in rows:
        counts[case_id][mark] = n
    return {
        case_id: Rate(
            present=counts[case_id].get(Mark.PRESENT, 0),
            absent=counts[case_id].get(Mark.ABSENT, 0),
            excused=counts[case_id].get(Mark.EXCUSED, 0),
            excused_rule=rule,
        )
        for case_id in case_ids
    }


def cohorts() -> list[Cohort]:
    """Every cohort with its programme and counts: one query."""
    return list(
        Cohort.objects.select_related("programme")
        .annotate(
            n_sessions=Count("sessions", distinct=True),
            n_participants=Count("enrolments__case", distinct=True),
        )
        .order_by("-start_date", "name", "pk")
    )


def cohort_page(cohort: Cohort) -> dict:
    """The cohort page: sessions with their modules and mark counts, the
    participants with their seats and rates. Queries: sessions, marks per
    session, seats with cases and citizens, the rate setting, the rates."""
    sessions = list(
        Session.objects.filter(cohort=cohort)
        .select_related("module")
        .annotate(n_marked=Count("attendance"))
        .order_by("starts_at", "pk")
    )
    seats = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("case__citizen", "module")
        .order_by("case__citizen__last_name", "case__citizen__first_name", "case_id", "module_id")
    )
    participants: dict[int, dict] = {}
    for seat in seats:
        entry = participants.setdefault(seat.case_id, {"case": seat.case, "seats": []})
        entry["seats"].append(seat)
    rates = attendance_rates(list(participants), municipality_id=cohort.municipality_id)
    for case_id, entry in participants.items():
        entry["rate"] = rates[case_id]
    return {"sessions": sessions, "participants": list(participants.values())}


def register_rows(session: Session) -> list[dict]:
    """The register of a session: every participant with their mark.
    Queries: the participants with their citizens, the marks."""
    from .services import participant_cases

    cases = participant_cases(session)
    cases.sort(key=lambda c: (c.citizen.last_name, c.citizen.first_name, c.pk))
    marks = {r.case_id: r for r in AttendanceRecord.objects.filter(session=session)}
    return [{"case": c, "record": marks.get(c.pk)} for c in cases]


def seatless_grants(limit: int = SHOWN):
    """Course modules granted at screening 2 (decided, not replaced) that
    have no seat on a cohort yet, on open cases: the team's task list."""
    from screening.models import CourseGrant, Outcome, Status

    qs = CourseGrant.objects.filter(
        screening__status=Status.DECIDED,
        screening__outcome=Outcome.COURSES_GRANTED,
        screening__replaced_by__isnull=True,
        seat__isnull=True,
    ).exclude(screening__case__stage__in=[str(s) for s in CLOSED_STAGES])
    rows = list(
        qs.select_related("screening__case__citizen").order_by("screening__decided_at", "pk")[
            :limit
        ]
    )
    more = qs.count() - limit if len(rows) == limit else 0
    return rows, more


def coming_sessions(case: Case, *, now=None) -> dict:
    """What lies ahead for a citizen: the sessions of their seats, the
    network days they are invited to (with their invitations). Two queries."""
    now = now or timezone.now()
    seats = Enrolment.objects.filter(case=case).values_list("cohort_id", "module_id")
    q = Q(pk__in=[])
    for cohort_id, module_id in seats:
        q |= Q(cohort_id=cohort_id, module_id=module_id)
    sessions = list(
        Session.objects.filter(q, ends_at__gte=now)
        .select_related("module")
        .order_by("starts_at", "pk")
    )
    invitations = list(
        NetworkInvitation.objects.filter(case=case, session__ends_at__gte=now)
        .select_related("session__module")
        .order_by("session__starts_at", "pk")
    )
    return {"sessions": sessions, "invitations": invitations}


def current_match(case: Case) -> MentorMatch | None:
    return (
        MentorMatch.objects.filter(case=case, ended_on__isnull=True)
        .select_related("mentor")
        .first()
    )


def matches_of_mentor(mentor) -> list[MentorMatch]:
    """A mentor's current mentees: name and business, with their meetings.
    Two queries."""
    return list(
        MentorMatch.objects.filter(mentor=mentor, ended_on__isnull=True)
        .select_related("case__citizen")
        .only(
            "id",
            "mentor_id",
            "case_id",
            "started_on",
            "ended_on",
            "municipality_id",
            "case__id",
            "case__business_idea",
            "case__industry",
            "case__municipality_id",
            "case__citizen__id",
            "case__citizen__first_name",
            "case__citizen__last_name",
            "case__citizen__municipality_id",
        )
        .prefetch_related(
            Prefetch("meetings", queryset=MentorMeeting.objects.order_by("-starts_at", "-pk"))
        )
        .order_by("case__citizen__last_name", "pk")
    )


def network_days() -> list[Session]:
    """Network days with their answers counted: one query."""
    return list(
        Session.objects.filter(module__kind="network_day")
        .select_related("module")
        .annotate(
            n_invited=Count("invitations", distinct=True),
            n_yes=Count("invitations", filter=Q(invitations__answer=Answer.YES), distinct=True),
            n_no=Count("invitations", filter=Q(invitations__answer=Answer.NO), distinct=True),
        )
        .order_by("-starts_at", "pk")
    )
