"""Every write of the courses: the catalogue, cohorts and sessions, seats
from screening 2's grants, the attendance register, network-day
invitations and answers, mentors, and the calendar feed's token."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import CLOSED_STAGES, Case
from applicants.services import check_team_of
from mikrolaan.audit import record_event
from mikrolaan.letters.services import request_letter

from .catalogue import HANDBOOK_CATALOGUE
from .models import (
    Answer,
    AttendanceRecord,
    CalendarFeed,
    Cohort,
    CourseSettings,
    Enrolment,
    Mark,
    Mentor,
    MentorMatch,
    MentorMeeting,
    Module,
    NetworkInvitation,
    Session,
    SessionStatus,
    new_feed_token,
)


class CoursesRefused(Exception):
    """The action cannot be done now; the message is Danish."""


# --- the catalogue and settings -----------------------------------------------------------


def modules_for(municipality_id: int, *, active_only: bool = False) -> list[Module]:
    """The municipality's catalogue; seeded from the handbook the first time."""
    qs = Module.objects.filter(municipality_id=municipality_id)
    if not qs.exists():
        Module.objects.bulk_create(
            Module(
                municipality_id=municipality_id,
                key=key,
                title=str(title),
                kind=kind,
                length=str(length),
                description=str(description),
                position=i,
            )
            for i, (key, title, kind, length, description) in enumerate(HANDBOOK_CATALOGUE)
        )
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("position", "pk"))


def settings_for(municipality_id: int) -> CourseSettings:
    found = CourseSettings.objects.filter(municipality_id=municipality_id).first()
    return found or CourseSettings(municipality_id=municipality_id)


@transaction.atomic
def save_settings(*, actor, municipality_id: int, excused_absence: str) -> CourseSettings:
    """The team lead says how excused absence enters the attendance rate."""
    obj = settings_for(municipality_id)
    obj.excused_absence = excused_absence
    obj.full_clean(validate_constraints=False)
    obj.save()
    record_event(
        actor=actor, action="courses.settings_saved", obj=obj, data={"excused": excused_absence}
    )
    return obj


@transaction.atomic
def save_module(*, actor, module: Module | None = None, municipality_id=None, data: dict):
    """The team lead adds or edits a module of the catalogue."""
    module = module or Module(municipality_id=municipality_id)
    for field in ("key", "title", "kind", "length", "description", "position", "active"):
        if field in data:
            setattr(module, field, data[field])
    module.full_clean()
    module.save()
    record_event(
        actor=actor,
        action="courses.module_saved",
        obj=module,
        data={"key": module.key, "title": module.title, "active": module.active},
    )
    return module


# --- cohorts and sessions -----------------------------------------------------------------


@transaction.atomic
def save_cohort(*, actor, cohort: Cohort | None = None, data: dict) -> Cohort:
    """Plan a cohort of a programme, or change its name, week 1 or place."""
    creating = cohort is None
    cohort = cohort or Cohort(created_by=actor)
    for field in ("programme", "name", "start_date", "place"):
        if field in data:
            setattr(cohort, field, data[field])
    check_team_of(cohort.programme.municipality_id, [actor])
    cohort.full_clean(exclude=["created_by"])
    cohort.save()
    record_event(
        actor=actor,
        action="courses.cohort_created" if creating else "courses.cohort_saved",
        obj=cohort,
        data={"name": cohort.name, "start_date": cohort.start_date.isoformat()},
    )
    return cohort


SESSION_FIELDS = ("module", "title", "starts_at", "ends_at", "place", "teacher", "programme_text")


@transaction.atomic
def save_session(
    *, actor, session: Session | None = None, cohort: Cohort | None = None, data: dict
) -> Session:
    """Schedule a session, or change one. Moving a planned session (its
    time or place) sends every participant a letter saying what changed."""
    creating = session is None
    if creating:
        session = Session(cohort=cohort)
        before = None
    else:
        if session.is_cancelled:
            raise CoursesRefused(_("Kursusgangen er aflyst og kan ikke ændres."))
        before = {
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "place": session.place,
        }
    for field in SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    session.full_clean()
    session.save()
    moved = before is not None and any(
        before[f] != getattr(session, f) for f in ("starts_at", "ends_at", "place")
    )
    record_event(
        actor=actor,
        action="courses.session_created"
        if creating
        else ("courses.session_moved" if moved else "courses.session_saved"),
        obj=session,
        data={
            "starts_at": session.starts_at.isoformat(),
            "place": session.place,
            "before": {k: str(v) for k, v in before.items()} if moved else None,
        },
    )
    if moved and session.starts_at > timezone.now():
        _notify(session, actor=actor, change="moved", before=before)
    return session


@transaction.atomic
def cancel_session(*, actor, session: Session, reason: str = "") -> Session:
    """Cancel a planned session and tell every participant by letter."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise CoursesRefused(_("Kursusgangen er allerede aflyst."))
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    record_event(
        actor=actor,
        action="courses.session_cancelled",
        obj=session,
        from_state=SessionStatus.PLANNED,
        to_state=SessionStatus.CANCELLED,
        reason=reason,
    )
    if session.starts_at > timezone.now():
        _notify(session, actor=actor, change="cancelled", reason=reason)
    return session


def participant_cases(session: Session) -> list[Case]:
    """Who takes part in a session: the seats on its module in its cohort,
    or, for a network day, everyone invited who has not said no. Closed
    cases are left out."""
    if session.module.is_network_day:
        qs = Case.objects.filter(network_invitations__session=session).exclude(
            network_invitations__session=session, network_invitations__answer=Answer.NO
        )
    else:
        qs = Case.objects.filter(
            enrolments__cohort_id=session.cohort_id, enrolments__module_id=session.module_id
        )
    return list(
        qs.exclude(stage__in=[str(s) for s in CLOSED_STAGES])
        .select_related("citizen", "responsible")
        .distinct()
        .order_by("pk")
    )


def _notify(session: Session, *, actor, change: str, before=None, reason: str = "") -> None:
    context = {
        "change": change,
        "module": str(session.module.title),
        "title": session.display_title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "place": session.place,
        "before_starts_at": before["starts_at"].isoformat() if before else "",
        "before_place": before["place"] if before else "",
        "reason": reason,
    }
    for case in participant_cases(session):
        request_letter(kind="session_changed", case=case, author=actor, context=context)


# --- seats from the grants of screening 2 ---------------------------------------------------


@transaction.atomic
def enrol_grants(*, actor, cohort: Cohort, grants) -> list[Enrolment]:
    """Give each granted module a seat on the cohort. A grant already
    seated, or of a closed case, is refused."""
    from screening.models import CourseGrant

    grants = list(grants)
    modules = {m.key: m for m in modules_for(cohort.municipality_id)}
    made = []
    for grant in grants:
        grant = CourseGrant.objects.select_related("screening__case").get(pk=grant.pk)
        case = grant.screening.case
        if case.stage in CLOSED_STAGES:
            raise CoursesRefused(_("Forløbet er afsluttet."))
        if Enrolment.objects.filter(grant=grant).exists():
            raise CoursesRefused(_("Modulet har allerede en plads på et hold."))
        module = modules.get(grant.module)
        if module is None:
            raise CoursesRefused(_("Modulet findes ikke i kataloget."))
        seat = Enrolment.objects.filter(cohort=cohort, case=case, module=module).first()
        if seat is not None:
            # Granted twice (a corrected screening): the seat takes the newer grant.
            seat.grant = grant
            seat.save(update_fields=["grant"])
        else:
            seat = Enrolment(cohort=cohort, case=case, module=module, grant=grant)
            seat.enrolled_by = actor
            seat.full_clean(exclude=["enrolled_by", "observation_by"])
            seat.save()
        made.append(seat)
        record_event(
            actor=actor,
            action="courses.enrolled",
            obj=case,
            data={"cohort": cohort.pk, "module": module.key, "grant": grant.pk},
        )
    return made


@transaction.atomic
def save_observation(*, actor, enrolment: Enrolment, text: str) -> Enrolment:
    """The residential course's observations of one participant."""
    enrolment.observation = text.strip()
    enrolment.observation_by = actor
    enrolment.observation_at = timezone.now()
    enrolment.save(update_fields=["observation", "observation_by", "observation_at"])
    record_event(actor=actor, action="courses.observation_saved", obj=enrolment.case)
    return enrolment


# --- the attendance register --------------------------------------------------------------


@transaction.atomic
def record_attendance(*, actor, session: Session, marks: dict) -> dict:
    """Save the whole register of a session in one go. ``marks`` maps a
    case id to ``(mark, note)``; an empty mark with no note removes the
    mark. Only the session's participants can be marked. Returns counts."""
    if session.is_cancelled:
        raise CoursesRefused(_("Kursusgangen er aflyst; der registreres ikke fremmøde."))
    if timezone.localtime(session.starts_at).date() > timezone.localdate():
        raise CoursesRefused(_("Fremmødet kan først registreres, når kursusgangen er begyndt."))
    allowed = {c.pk for c in participant_cases(session)}
    unknown = set(marks) - allowed
    if unknown:
        raise CoursesRefused(_("Nogle af deltagerne hører ikke til kursusgangen."))
    existing = {r.case_id: r for r in AttendanceRecord.objects.filter(session=session)}
    now = timezone.now()
    new, changed, removed = [], [], []
    for case_id, (mark, note) in marks.items():
        note = (note or "").strip()
        if mark and mark not in Mark.values:
            raise ValidationError(_("Ukendt fremmøde."))
        row = existing.get(case_id)
        if not mark:
            if row is not None:
                removed.append(row.pk)
            continue
        if row is None:
            new.append(
                AttendanceRecord(
                    session=session,
                    case_id=case_id,
                    municipality_id=session.municipality_id,
                    mark=mark,
                    note=note,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        elif row.mark != mark or row.note != note:
            row.mark, row.note, row.recorded_by, row.recorded_at = mark, note, actor, now
            changed.append(row)
    if new:
        AttendanceRecord.objects.bulk_create(new)
    if changed:
        AttendanceRecord.objects.bulk_update(
            changed, ["mark", "note", "recorded_by", "recorded_at"]
        )
    if removed:
        AttendanceRecord.objects.filter(pk__in=removed).delete()
    counts = {"new": len(new), "changed": len(changed), "removed": len(removed)}
    record_event(actor=actor, action="courses.attendance_recorded", obj=session, data=counts)
    return counts


# --- network days -------------------------------------------------------------------------


@transaction.atomic
def invite_to_network_day(*, actor, session: Session, cases) -> list[NetworkInvitation]:
    """Invite borrowers to a network day, each by letter (with the day's
    programme). Someone already invited is not invited twice."""
    if not session.module.is_network_day:
        raise CoursesRefused(_("Kun netværksdage har invitationer."))
    if session.is_cancelled:
        raise CoursesRefused(_("Netværksdagen er aflyst."))
    already = set(
        NetworkInvitation.objects.filter(session=session).values_list("case_id", flat=True)
    )
    made = []
    for case in cases:
        if case.pk in already or case.stage in CLOSED_STAGES:
            continue
        letter = request_letter(
            kind="network_day_invitation",
            case=case,
            author=actor,
            context={
                "title": session.display_title,
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
                "place": session.place,
                "programme": session.programme_text,
            },
        )
        invitation = NetworkInvitation(session=session, case=case, invited_by=actor, letter=letter)
        invitation.save()
        made.append(invitation)
    record_event(
        actor=actor, action="courses.network_day_invited", obj=session, data={"n": len(made)}
    )
    return made


@transaction.atomic
def answer_invitation(*, actor, invitation: NetworkInvitation, answer: str) -> NetworkInvitation:
    """The citizen says yes or no in the portal. Saying no is fine: it is
    recorded for planning and counts against no one."""
    if answer not in (Answer.YES, Answer.NO):
        raise ValidationError(_("Svar ja eller nej."))
    invitation = NetworkInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.session.is_cancelled or invitation.session.starts_at <= timezone.now():
        raise CoursesRefused(_("Netværksdagen er aflyst eller overstået."))
    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "answered_at"])
    record_event(
        actor=actor,
        action="courses.network_day_answered",
        obj=invitation.session,
        data={"invitation": invitation.pk, "answer": answer},
    )
    return invitation


# --- mentors ------------------------------------------------------------------------------


@transaction.atomic
def save_mentor(*, actor, mentor: Mentor | None = None, municipality_id=None, data: dict):
    """Add a mentor to the registry or change one (trade, contact, availability)."""
    mentor = mentor or Mentor(municipality_id=municipality_id)
    for field in ("name", "trade", "email", "phone", "availability", "active", "user"):
        if field in data:
            setattr(mentor, field, data[field])
    if mentor.user is not None:
        check_team_of(mentor.municipality_id, [mentor.user])
    mentor.full_clean()
    mentor.save()
    record_event(
        actor=actor,
        action="courses.mentor_saved",
        obj=mentor,
        data={"trade": mentor.trade, "active": mentor.active},
    )
    return mentor


@transaction.atomic
def match_mentor(*, actor, case: Case, mentor: Mentor) -> MentorMatch:
    """Match a borrower to a mentor; a current match with another mentor ends today."""
    if not mentor.active:
        raise CoursesRefused(_("Mentoren er ikke aktiv."))
    if case.stage in CLOSED_STAGES:
        raise CoursesRefused(_("Forløbet er afsluttet."))
    current = MentorMatch.objects.filter(case=case, ended_on__isnull=True).first()
    if current is not None:
        if current.mentor_id == mentor.pk:
            return current
        current.ended_on = timezone.localdate()
        current.save(update_fields=["ended_on"])
    match = MentorMatch(case=case, mentor=mentor, created_by=actor)
    match.save()
    record_event(actor=actor, action="courses.mentor_matched", obj=case, data={"mentor": mentor.pk})
    return match


@transaction.atomic
def end_match(*, actor, match: MentorMatch) -> MentorMatch:
    if match.ended_on is None:
        match.ended_on = timezone.localdate()
        match.save(update_fields=["ended_on"])
        record_event(
            actor=actor,
            action="courses.mentor_match_ended",
            obj=match.case,
            data={"mentor": match.mentor_id},
        )
    return match


@transaction.atomic
def log_mentor_meeting(*, actor, match: MentorMatch, data: dict) -> MentorMeeting:
    """A mentor meeting, planned or held: date, topic and note."""
    meeting = MentorMeeting(match=match, written_by=actor)
    for field in ("starts_at", "topic", "note"):
        setattr(meeting, field, data.get(field, getattr(meeting, field)))
    meeting.full_clean(exclude=["written_by"])
    meeting.save()
    record_event(
        actor=actor,
        action="courses.mentor_meeting_logged",
        obj=match.case,
        data={"match": match.pk},
    )
    return meeting


# --- the calendar feed --------------------------------------------------------------------


def feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def revoke_feed(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = feed_for(user)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    record_event(actor=user, action="courses.calendar_feed_revoked", obj=feed)
    return feed
