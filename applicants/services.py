"""Every write of the pipeline: cases, citizens, phone interviews, meetings and
the one service that runs any transition of the stage machine."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition  # noqa: F401 - re-exported for views

from mikrolaan.audit import record_event
from mikrolaan.models import Municipality
from mikrolaan.roles import is_staff_member
from mikrolaan.tenancy import user_municipality_id

from . import letters
from .borrowing import case_closed
from .conditions import condition_label, failed_exit_conditions
from .models import (
    CLOSED_STAGES,
    Attendance,
    Case,
    CaseNumberSequence,
    CaseTransition,
    Citizen,
    Meeting,
    PhoneInterview,
    Programme,
    Source,
)

CITIZEN_FIELDS = ["first_name", "last_name", "cpr", "street", "postcode", "city", "phone", "email"]
CASE_FIELDS = ["benefit_type", "business_idea", "industry", "referral_reason"]


class TransitionRefused(Exception):
    """A transition that may not run now; ``reasons`` are Danish, for the user."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class DuplicateOpenCase(Exception):
    """The citizen (same CPR) already has an open case."""

    def __init__(self, case: Case):
        super().__init__(case.case_number)
        self.case = case


# --- programmes and case numbers ---------------------------------------------


def municipality_of(actor) -> Municipality:
    """The municipality a staff member or caseworker acts for."""
    municipality_id = user_municipality_id(actor)
    if municipality_id is None:
        raise PermissionDenied(_("Din bruger hører ikke til en kommune."))
    return Municipality.objects.get(pk=municipality_id)


@transaction.atomic
def create_programme(
    *,
    actor,
    name: str,
    start_date,
    week_plan: dict | None = None,
    municipality: Municipality | None = None,
) -> Programme:
    """Create a round of the offer in the actor's municipality; its week plan
    defaults to the handbook's."""
    municipality = municipality or municipality_of(actor)
    programme = Programme(municipality=municipality, name=name, start_date=start_date)
    if week_plan is not None:
        programme.week_plan = week_plan
    programme.full_clean()
    programme.save()
    record_event(actor=actor, action="programme.created", obj=programme)
    return programme


@transaction.atomic
def update_programme(
    *, actor, programme: Programme, name: str, start_date: datetime.date, week_plan: dict
) -> Programme:
    """Edit a programme: its name, week 1 and planned weeks. The audit row
    keeps what it was."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = {
        "name": programme.name,
        "start_date": programme.start_date.isoformat(),
        "week_plan": programme.week_plan,
    }
    programme.name, programme.start_date, programme.week_plan = name, start_date, week_plan
    programme.full_clean()
    programme.save(update_fields=["name", "start_date", "week_plan"])
    record_event(
        actor=actor,
        action="programme.updated",
        obj=programme,
        data={
            "before_name": before["name"],
            "before_start_date": before["start_date"],
            "before_week_plan": json.dumps(before["week_plan"]),
            "start_date": start_date.isoformat(),
            "week_plan": json.dumps(week_plan),
        },
    )
    return programme


def current_programme_for_new_cases(*, actor, municipality: Municipality) -> Programme:
    """The programme new cases of the municipality join: the latest started
    one, else the next to start; with none at all, one is created for this
    year (audited)."""
    today = timezone.localdate()
    programmes = Programme.objects.filter(municipality=municipality)
    programme = (
        programmes.filter(start_date__lte=today).order_by("-start_date").first()
        or programmes.order_by("start_date").first()
    )
    if programme is None:
        programme = create_programme(
            actor=actor,
            municipality=municipality,
            name=_("Mikrolån %(year)s") % {"year": today.year},
            start_date=today - datetime.timedelta(days=today.weekday()),
        )
    return programme


def next_case_number(*, municipality: Municipality, year: int | None = None) -> str:
    """Issue the municipality's next journalnummer, e.g. 751-2026-00042
    (municipality code, year, number): unique, readable, and never changed.
    Must run inside a transaction: the counter row stays locked until it
    commits, so two cases never get the same number."""
    year = year or timezone.localdate().year
    CaseNumberSequence.objects.get_or_create(municipality=municipality, year=year)
    counter = CaseNumberSequence.objects.select_for_update().get(
        municipality=municipality, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{municipality.code}-{year}-{counter.last:05d}"


def check_team_of(case_or_municipality_id, users) -> None:
    """Refuse staff of another municipality on a case (a tampered form)."""
    municipality_id = getattr(case_or_municipality_id, "municipality_id", case_or_municipality_id)
    for user in users:
        if user is not None and user_municipality_id(user) != municipality_id:
            raise PermissionDenied(_("Medarbejderen hører til en anden kommune."))


# --- citizens and cases --------------------------------------------------------


def open_case_for_cpr(cpr: str, *, municipality: Municipality) -> Case | None:
    """The municipality's open case for this CPR, if any. Another
    municipality's case does not count: people move."""
    return (
        Case.objects.filter(municipality=municipality, citizen__cpr=cpr)
        .exclude(stage__in=CLOSED_STAGES)
        .select_related("citizen", "referring_caseworker")
        .first()
    )


@transaction.atomic
def register_case(
    *,
    actor,
    source: str,
    citizen_data: dict,
    case_data: dict,
    referring_caseworker=None,
    programme: Programme | None = None,
    responsible=None,
) -> Case:
    """Register an inquiry or a referral in the actor's municipality: find or
    create the citizen by CPR there and open a case in ``inquiry``. Refuses
    (DuplicateOpenCase) when the citizen already has an open case in the
    municipality; a citizen whose earlier case closed gets a new one, and
    their contact data is updated to what was just given."""
    municipality = municipality_of(actor)
    if programme is not None and programme.municipality_id != municipality.pk:
        raise PermissionDenied(_("Programmet hører til en anden kommune."))
    if responsible is not None and user_municipality_id(responsible) != municipality.pk:
        raise PermissionDenied(_("Kontaktpersonen hører til en anden kommune."))
    cpr = citizen_data["cpr"]
    existing = open_case_for_cpr(cpr, municipality=municipality)
    if existing is not None:
        raise DuplicateOpenCase(existing)
    citizen = Citizen.objects.select_for_update().filter(municipality=municipality, cpr=cpr).first()
    created_citizen = citizen is None
    citizen = citizen or Citizen(municipality=municipality)
    for field in CITIZEN_FIELDS:
        if field in citizen_data:
            setattr(citizen, field, citizen_data[field])
    citizen.full_clean()
    citizen.save()

    case = Case(
        municipality=municipality,
        case_number=next_case_number(municipality=municipality),
        citizen=citizen,
        programme=programme
        or current_programme_for_new_cases(actor=actor, municipality=municipality),
        responsible=responsible,
        referring_caseworker=referring_caseworker,
        source=source,
        **{f: case_data.get(f, "") for f in CASE_FIELDS},
    )
    case.full_clean(exclude=["stage"])
    case.save()
    CaseTransition.objects.create(
        case=case,
        actor=actor,
        transition="create",
        from_stage="",
        to_stage=case.stage,
        reason=case.referral_reason,
    )
    record_event(
        actor=actor,
        action="case.created",
        obj=case,
        to_state=case.stage,
        data={"source": source, "new_citizen": created_citizen},
    )
    return case


def register_inquiry(*, actor, citizen_data: dict, case_data: dict, **kwargs) -> Case:
    """The team registers a citizen's direct inquiry (source = direct)."""
    return register_case(
        actor=actor,
        source=Source.DIRECT,
        citizen_data=citizen_data,
        case_data=case_data,
        **kwargs,
    )


def refer_citizen(*, caseworker, citizen_data: dict, case_data: dict) -> Case:
    """A caseworker refers a citizen (source = referral); they follow its status."""
    return register_case(
        actor=caseworker,
        source=Source.REFERRAL,
        citizen_data=citizen_data,
        case_data=case_data,
        referring_caseworker=caseworker,
    )


@transaction.atomic
def update_citizen(*, actor, citizen: Citizen, data: dict) -> Citizen:
    """Change a citizen's personal data; the audit row names the changed fields
    (not their values: the trail must not become a copy of personal data)."""
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    changed = []
    for field in CITIZEN_FIELDS:
        if field in data and getattr(citizen, field) != data[field]:
            setattr(citizen, field, data[field])
            changed.append(field)
    citizen.full_clean()
    if changed:
        citizen.save(update_fields=changed)
        record_event(actor=actor, action="citizen.changed", obj=citizen, data={"fields": changed})
    return citizen


@transaction.atomic
def update_case_details(*, actor, case: Case, data: dict) -> Case:
    """Change a case's business idea, industry, benefit type or contact person."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_team_of(case, [data.get("responsible")])
    changed = []
    for field in [*CASE_FIELDS, "responsible"]:
        if field in data and getattr(case, field) != data[field]:
            setattr(case, field, data[field])
            changed.append(field)
    case.full_clean(exclude=["stage"])
    if changed:
        case.save(update_fields=changed)
        record_event(actor=actor, action="case.changed", obj=case, data={"fields": changed})
    return case


# --- phone interview and meetings ---------------------------------------------


@transaction.atomic
def record_phone_interview(
    *,
    actor,
    case: Case,
    in_target_group: bool,
    realistic: bool,
    motivated: bool,
    notes: str = "",
    held_at=None,
) -> PhoneInterview:
    """Record the phone interview; it is the condition for leaving phone_interview."""
    interview = PhoneInterview(
        case=case,
        conducted_by=actor,
        held_at=held_at or timezone.now(),
        in_target_group=in_target_group,
        realistic=realistic,
        motivated=motivated,
        notes=notes,
    )
    interview.full_clean()
    interview.save()
    record_event(
        actor=actor,
        action="phone_interview.recorded",
        obj=case,
        data={
            "in_target_group": in_target_group,
            "realistic": realistic,
            "motivated": motivated,
        },
    )
    return interview


@transaction.atomic
def plan_meeting(
    *,
    actor,
    case: Case,
    kind: str,
    starts_at,
    place: str,
    staff=(),
    ends_at=None,
    notes: str = "",
    send_invitation: bool = True,
) -> Meeting:
    """Plan a meeting and invite the citizen by letter (meeting_invitation)."""
    check_team_of(case, staff)
    meeting = Meeting(
        case=case,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        notes=notes,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.staff.set(staff)
    record_event(
        actor=actor,
        action="meeting.planned",
        obj=case,
        data={"meeting": meeting.pk, "kind": kind, "starts_at": starts_at.isoformat()},
    )
    if send_invitation and starts_at > timezone.now():
        letters.send_meeting_invitation(meeting, actor)
    return meeting


@transaction.atomic
def record_meeting(
    *,
    actor,
    meeting: Meeting,
    attendance: str,
    staff=None,
    notes: str | None = None,
    next_steps: str | None = None,
) -> Meeting:
    """Record how a meeting went: did the citizen come, who from the team was
    there, notes and next steps. A meeting cannot be recorded as attended or
    missed before it has started."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_team_of(meeting, staff or ())
    if attendance in (Attendance.ATTENDED, Attendance.ABSENT) and not meeting.is_past:
        raise TransitionRefused(
            [_("Et møde kan først registreres som holdt eller udeblevet, når det er begyndt.")]
        )
    meeting.attendance = attendance
    if notes is not None:
        meeting.notes = notes
    if next_steps is not None:
        meeting.next_steps = next_steps
    meeting.full_clean()
    meeting.save(update_fields=["attendance", "notes", "next_steps"])
    if staff is not None:
        meeting.staff.set(staff)
    record_event(
        actor=actor,
        action="meeting.recorded",
        obj=meeting.case,
        data={"meeting": meeting.pk, "attendance": attendance},
    )
    return meeting


def _planned_meeting_for_update(meeting: Meeting) -> Meeting:
    """The meeting, locked, if it can still be changed: not held, not
    cancelled and not begun."""
    meeting = Meeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)
    if meeting.attendance == Attendance.CANCELLED:
        raise TransitionRefused([_("Mødet er allerede aflyst.")])
    if meeting.attendance != Attendance.UNKNOWN or meeting.is_past:
        raise TransitionRefused([_("Et møde, der er begyndt eller holdt, kan ikke ændres.")])
    return meeting


@transaction.atomic
def move_meeting(
    *, actor, meeting: Meeting, starts_at, place: str, ends_at=None, reason: str = ""
) -> Meeting:
    """Move a planned meeting to a new time or place and send the citizen a
    new invitation that says what changed (old and new time and place)."""
    meeting = _planned_meeting_for_update(meeting)
    before = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "place": meeting.place}
    if (starts_at, ends_at, place) == (before["starts_at"], before["ends_at"], before["place"]):
        raise TransitionRefused([_("Skift tidspunktet eller stedet for at flytte mødet.")])
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place
    meeting.full_clean()
    meeting.save(update_fields=["starts_at", "ends_at", "place"])
    record_event(
        actor=actor,
        action="meeting.moved",
        obj=meeting.case,
        reason=reason,
        data={
            "meeting": meeting.pk,
            "before_starts_at": before["starts_at"].isoformat(),
            "before_place": before["place"],
            "starts_at": starts_at.isoformat(),
            "place": place,
        },
    )
    if starts_at > timezone.now():
        letters.send_meeting_change(meeting, actor, change="moved", before=before, reason=reason)
    return meeting


@transaction.atomic
def cancel_meeting(
    *, actor, meeting: Meeting, reason: str = "", send_letter: bool = True
) -> Meeting:
    """Cancel a planned meeting; the citizen gets a cancellation letter."""
    meeting = _planned_meeting_for_update(meeting)
    meeting.attendance = Attendance.CANCELLED
    meeting.save(update_fields=["attendance"])
    record_event(
        actor=actor,
        action="meeting.cancelled",
        obj=meeting.case,
        reason=reason,
        data={"meeting": meeting.pk, "starts_at": meeting.starts_at.isoformat()},
    )
    if send_letter:
        letters.send_meeting_change(meeting, actor, change="cancelled", reason=reason)
    return meeting


def cancel_planned_meetings(case: Case, *, actor, transition: str) -> int:
    """When a case closes, its meetings still to come are cancelled (no
    letter of their own: the letter that closes the case says it ends).
    Runs inside ``transition_case``'s transaction."""
    now = timezone.now()
    planned = list(
        Meeting.objects.select_for_update()
        .filter(case=case, attendance=Attendance.UNKNOWN, starts_at__gt=now)
        .values_list("pk", flat=True)
    )
    if planned:
        Meeting.objects.filter(pk__in=planned).update(attendance=Attendance.CANCELLED)
        record_event(
            actor=actor,
            action="meeting.cancelled_on_close",
            obj=case,
            reason=transition,
            data={"meetings": ",".join(str(pk) for pk in planned)},
        )
    return len(planned)


# --- the stage machine ---------------------------------------------------------


@dataclass(frozen=True)
class StepOption:
    """A transition from the case's current stage, as the case page shows it."""

    name: str
    label: str
    target: str
    needs_reason: bool
    confirm: bool
    danger: bool
    blocked_by: tuple[str, ...]  # Danish labels of the failing conditions


def _transition_from_here(case: Case, name: str):
    for t in case.get_all_stage_transitions():
        if t.name == name and t.source == case.stage:
            return t
    return None


def _failed_conditions(case: Case, t) -> list[str]:
    failed = [condition_label(c) for c in t.conditions if not c(case)]
    return failed + failed_exit_conditions(case, t.name)


def _target_of(case: Case, t) -> str:
    target = t.target
    if hasattr(target, "get_state"):
        return case.stage_before_pause
    return str(target)


def step_options(case: Case, user) -> list[StepOption]:
    """The transitions this user may take from here, each with the conditions
    that still block it (empty when the button can be pressed)."""
    options = []
    for t in case.get_all_stage_transitions():
        if t.source != case.stage or not t.has_perm(case, user):
            continue
        options.append(
            StepOption(
                name=t.name,
                label=str(t.custom.get("label", t.name)),
                target=_target_of(case, t),
                needs_reason=bool(t.custom.get("needs_reason")),
                confirm=bool(t.custom.get("confirm")),
                danger=bool(t.custom.get("danger")),
                blocked_by=tuple(_failed_conditions(case, t)),
            )
        )
    return options


def transition_options(case: Case, name: str):
    """The transition object named ``name`` from the current stage, or None."""
    return _transition_from_here(case, name)


# Transitions that are the municipality's adverse decision: the facts they
# rest on are required, and the citizen gets a decision letter.
ADVERSE_TRANSITIONS = frozenset({"decline", "end_case"})


def transition_case(
    *,
    case: Case,
    transition: str,
    actor,
    reason: str = "",
    data: dict | None = None,
    send_letters: bool = True,
) -> CaseTransition:
    """Run one transition of the case's stage machine.

    Checks, in order: that the transition exists from the current stage, the
    actor's permission (PermissionDenied), the transition's conditions and the
    registered exit conditions (TransitionRefused, with the failing conditions'
    Danish labels), and that a reason is given where one is needed. Then, in
    one transaction: the stage change (ConcurrentTransition if someone else
    changed the stage since ``case`` was loaded — nothing is written), the
    history row, the audit row and the letters the step calls for (their PDFs
    are produced after commit by the letters engine).

    ``send_letters=False`` is for a caller that sends the step's letter
    itself in the same transaction (a screening decision sends its own
    decision letter)."""
    data = data or {}
    reason = (reason or "").strip()
    t = _transition_from_here(case, transition)
    if t is None:
        raise TransitionRefused(
            [
                _("Handlingen kan ikke bruges, når forløbet er i fasen %(stage)s.")
                % {"stage": case.get_stage_display()}
            ]
        )
    if not t.has_perm(case, actor):
        raise PermissionDenied(_("Du har ikke adgang til denne handling."))
    failed = _failed_conditions(case, t)
    if failed:
        raise TransitionRefused(failed)
    if t.custom.get("needs_reason") and not reason:
        raise TransitionRefused([_("Skriv en begrundelse.")])
    facts = (data.get("facts") or "").strip()
    if send_letters and transition in ADVERSE_TRANSITIONS and not facts:
        raise TransitionRefused(
            [_("Skriv de oplysninger, afgørelsen bygger på (de står i brevet til borgeren).")]
        )

    from_stage = case.stage
    with transaction.atomic():
        getattr(case, transition)()
        case.stage_changed_at = timezone.now()
        case.full_clean(exclude=["stage"])
        # Raises ConcurrentTransition when the stage in the database is no
        # longer the one this instance was loaded with; the atomic block
        # then rolls back, so the loser writes nothing.
        case.save(update_fields=["stage", "stage_before_pause", "stage_changed_at"])
        history = CaseTransition.objects.create(
            case=case,
            actor=actor,
            transition=transition,
            from_stage=from_stage,
            to_stage=case.stage,
            reason=reason,
            at=case.stage_changed_at,
        )
        record_event(
            actor=actor,
            action=f"case.{transition}",
            obj=case,
            from_state=from_stage,
            to_state=case.stage,
            reason=reason,
            data={k: v for k, v in data.items() if isinstance(v, str | int | bool)},
        )
        # A letter is signed by the team: the acting staff member, or the
        # contact person when the citizen withdrew from the portal.
        author = actor if is_staff_member(actor) else case.responsible
        if not send_letters:
            pass
        elif transition == "decline":
            letters.send_decline_decision(
                case,
                author=author,
                from_stage=from_stage,
                reason=reason,
                facts=facts,
            )
        elif transition == "end_case":
            letters.send_end_case_decision(case, author=author, reason=reason, facts=facts)
        elif transition == "withdraw":
            # From the portal the citizen acts; staff say who asked for it.
            if is_staff_member(actor):
                initiated_by = "citizen" if data.get("initiated_by") == "citizen" else "staff"
            else:
                initiated_by = "citizen"
            letters.send_withdrawal_confirmation(
                case, author=author, initiated_by=initiated_by, reason=reason
            )
        # What follows the case (the support grant) ends with it; a loan never does.
        case_closed(case, transition=transition, actor=author)
        if case.stage in CLOSED_STAGES:
            # Whatever way a case closes, what was planned for it is off.
            # Course sessions need no hook: courses leaves closed cases out of
            # participants, calendars, the portal and its start-page lists.
            cancel_planned_meetings(case, actor=actor, transition=transition)
    return history
