"""Every transition from every stage, for every role: allowed or refused.

The expected table is written out from SPEC §3 by hand, not derived from the
model, so that a change of the machine has to change this table too."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applicants.models import Case, CaseTransition, Stage
from applicants.services import TransitionRefused, transition_case
from mikrolaan.models import AuditEvent
from mikrolaan.roles import Role
from screening.models import Hearing
from tests.applicants.portal_helpers import submitted_person_profile
from tests.factories import (
    CaseFactory,
    CitizenFactory,
    MeetingFactory,
    PhoneInterviewFactory,
    UserFactory,
)
from tests.screening.helpers import decided_record

FORWARD = {
    "inquiry": {"start_phone_interview": "phone_interview"},
    "phone_interview": {"invite_first_meeting": "first_meeting", "decline": "declined"},
    "first_meeting": {"to_second_meeting": "second_meeting"},
    "second_meeting": {"to_screening_1": "screening_1"},
    "screening_1": {"admit": "business_development", "decline": "declined"},
    "business_development": {"to_screening_2": "screening_2"},
    "screening_2": {"grant_courses": "courses", "decline": "declined"},
    "courses": {"to_screening_3": "screening_3"},
    "screening_3": {"recommend_loan": "establishment", "decline": "declined"},
    "establishment": {"start_business": "running"},
    "running": {"to_screening_4": "screening_4"},
    "screening_4": {
        "extend_support": "running",
        "end_support": "self_supporting",
        "self_evaluation_done": "running",
        "decline": "declined",
    },
    "self_supporting": {},
    "declined": {},
    "withdrawn": {},
    # Paused from screening_2 in these tests; resume goes back there.
    "paused": {"resume": "screening_2"},
}
CLOSED = {"self_supporting", "declined", "withdrawn"}
for _stage, _moves in FORWARD.items():
    if _stage not in CLOSED:
        _moves["withdraw"] = "withdrawn"
        # Staff end the case because the citizen stopped coming (after the hearing).
        _moves["end_case"] = "declined"
        if _stage != "paused":
            _moves["pause"] = "paused"

ALL_TRANSITIONS = sorted({name for moves in FORWARD.values() for name in moves})
ROLES = ["team_member", "team_lead", "own_citizen", "other_citizen", "caseworker", "mentor"]


def expected(stage: str, transition: str, role: str) -> str | None:
    """The stage the case reaches, or None when the step must be refused."""
    target = FORWARD[stage].get(transition)
    if target is None:
        return None
    if role in ("team_member", "team_lead"):
        return target
    if role == "own_citizen" and transition == "withdraw":
        return target
    return None


def test_the_table_covers_every_stage_and_transition():
    assert set(FORWARD) == set(Stage.values)
    model_transitions = {t.name for t in Case(stage="inquiry").get_all_stage_transitions()}
    assert model_transitions == set(ALL_TRANSITIONS)


# The screening outcome each transition out of a screening stage carries out.
SCREENING_OUTCOME = {
    ("screening_1", "admit"): "referred",
    ("screening_1", "decline"): "not_referred",
    ("screening_2", "grant_courses"): "courses_granted",
    ("screening_2", "decline"): "stop",
    ("screening_3", "recommend_loan"): "recommend",
    ("screening_3", "decline"): "stop",
    ("screening_4", "extend_support"): "extend",
    ("screening_4", "end_support"): "self_supporting",
    ("screening_4", "self_evaluation_done"): "self_evaluation_only",
    ("screening_4", "decline"): "business_stopped",
}


def make_case_ready(stage: str, owner, transition: str = "") -> Case:
    """A case in ``stage`` with the conditions of leaving it by ``transition``
    met: the built-in ones, the decided screening, the end-of-case hearing."""
    extra = {"stage_before_pause": "screening_2"} if stage == "paused" else {}
    case = CaseFactory(stage=stage, citizen=CitizenFactory(user=owner), **extra)
    staff = UserFactory(role=Role.TEAM_MEMBER)
    if stage == "phone_interview":
        PhoneInterviewFactory(case=case, conducted_by=staff)
    if stage == "first_meeting":
        MeetingFactory(case=case, kind="first", staff=[staff, UserFactory(role=Role.TEAM_LEAD)])
    if stage == "second_meeting":
        MeetingFactory(case=case, kind="second", staff=[staff])
        submitted_person_profile(case, staff)
    outcome = SCREENING_OUTCOME.get((stage, transition))
    if outcome:
        decided_record(case, int(stage[-1]), outcome)
    if transition == "end_case":
        Hearing.objects.create(
            case=case, purpose="end_case", exception="nr1", exception_reason="Test"
        )
    return case


@pytest.fixture
def actors(db, team_member, team_lead, citizen_user, caseworker, mentor):
    return {
        "team_member": team_member,
        "team_lead": team_lead,
        "own_citizen": citizen_user,
        "other_citizen": UserFactory(username="other_citizen", role=Role.CITIZEN),
        "caseworker": caseworker,
        "mentor": mentor,
    }


@pytest.mark.parametrize("transition", ALL_TRANSITIONS)
@pytest.mark.parametrize("stage", list(FORWARD))
def test_transition_is_allowed_or_refused_per_stage_and_role(actors, stage, transition):
    for role in ROLES:
        case = make_case_ready(stage, owner=actors["own_citizen"], transition=transition)
        target = expected(stage, transition, role)
        adverse = transition in ("decline", "end_case")
        reason = "Begrundelse" if adverse else ""
        data = {"facts": "Oplysninger"} if adverse else {}
        if target is None:
            with pytest.raises((PermissionDenied, TransitionRefused)):
                transition_case(
                    case=case, transition=transition, actor=actors[role], reason=reason, data=data
                )
            assert Case.objects.get(pk=case.pk).stage == stage, role
            assert not CaseTransition.objects.filter(case=case).exists()
        else:
            transition_case(
                case=case, transition=transition, actor=actors[role], reason=reason, data=data
            )
            stored = Case.objects.get(pk=case.pk)
            assert stored.stage == target, role
            history = CaseTransition.objects.get(case=case)
            assert (history.from_stage, history.to_stage, history.actor) == (
                stage,
                target,
                actors[role],
            )
            assert AuditEvent.objects.filter(
                action=f"case.{transition}", from_state=stage, to_state=target
            ).exists()
        # Fresh owner link for the next role's case (the citizen is 1:1 with a user).
        case.citizen.user = None
        case.citizen.save()


def test_pause_remembers_the_stage_and_resume_goes_back(team_member):
    case = CaseFactory(stage="courses")
    transition_case(case=case, transition="pause", actor=team_member, reason="Sygdom")
    case.refresh_from_db()
    assert (case.stage, case.stage_before_pause) == ("paused", "courses")
    transition_case(case=case, transition="resume", actor=team_member)
    case.refresh_from_db()
    assert (case.stage, case.stage_before_pause) == ("courses", "courses")


def test_decline_needs_a_reason_and_the_facts(team_member):
    case = CaseFactory(stage="phone_interview")
    PhoneInterviewFactory(case=case, conducted_by=team_member)
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="decline", actor=team_member, reason="  ")
    assert exc.value.reasons == ["Skriv en begrundelse."]
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="decline", actor=team_member, reason="Nej")
    assert "Skriv de oplysninger" in exc.value.reasons[0]
    assert Case.objects.get(pk=case.pk).stage == "phone_interview"


def test_decline_sends_a_decision_letter_with_the_reasons(team_member, sent_letters):
    case = CaseFactory(stage="phone_interview")
    PhoneInterviewFactory(case=case, conducted_by=team_member)
    transition_case(
        case=case,
        transition="decline",
        actor=team_member,
        reason="Mødestabiliteten er lav.",
        data={"facts": "3 af 8 møder."},
    )
    name, args, kwargs = sent_letters.calls[0]
    assert name == "send_decline_decision"
    assert args[0].pk == case.pk
    assert kwargs["reason"] == "Mødestabiliteten er lav."
    assert kwargs["facts"] == "3 af 8 møder."
    assert kwargs["from_stage"] == "phone_interview"


@pytest.mark.parametrize("by", ["citizen", "staff"])
def test_withdraw_sends_a_confirmation_saying_who_withdrew(
    by, case, citizen_user, team_member, sent_letters
):
    actor = citizen_user if by == "citizen" else team_member
    transition_case(
        case=case, transition="withdraw", actor=actor, reason="Nyt job", data={"initiated_by": by}
    )
    assert sent_letters.kinds() == ["send_withdrawal_confirmation"]
    _name, _args, kwargs = sent_letters.calls[0]
    assert kwargs["initiated_by"] == by
    assert kwargs["reason"] == "Nyt job"


def test_phone_interview_must_be_recorded_before_the_first_meeting(team_member):
    case = CaseFactory(stage="phone_interview")
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="invite_first_meeting", actor=team_member)
    assert "Telefonsamtalen er registreret" in exc.value.reasons


def test_phone_interview_outside_the_target_group_blocks_the_invitation(team_member):
    case = CaseFactory(stage="phone_interview")
    PhoneInterviewFactory(case=case, conducted_by=team_member, in_target_group=False)
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="invite_first_meeting", actor=team_member)
    assert exc.value.reasons == ["Telefonsamtalen viser, at borgeren er i målgruppen"]


def test_first_meeting_needs_two_staff(team_member, team_member2):
    case = CaseFactory(stage="first_meeting")
    MeetingFactory(case=case, kind="first", staff=[team_member])
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="to_second_meeting", actor=team_member)
    assert exc.value.reasons == [
        "1. personlige møde er holdt med mindst to medarbejdere, og borgeren kom til mødet"
    ]
    MeetingFactory(case=case, kind="first", staff=[team_member, team_member2])
    transition_case(case=case, transition="to_second_meeting", actor=team_member)
    assert Case.objects.get(pk=case.pk).stage == "second_meeting"


@pytest.mark.parametrize(
    "attendance,days_ago", [("absent", 1), ("cancelled", 1), ("unknown", 1), ("attended", -1)]
)
def test_first_meeting_counts_only_when_held_and_attended(
    team_member, team_member2, attendance, days_ago
):
    case = CaseFactory(stage="first_meeting")
    MeetingFactory(
        case=case,
        kind="first",
        attendance=attendance,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        staff=[team_member, team_member2],
    )
    with pytest.raises(TransitionRefused):
        transition_case(case=case, transition="to_second_meeting", actor=team_member)


def test_an_unknown_transition_name_is_refused(team_member):
    case = CaseFactory()
    with pytest.raises(TransitionRefused):
        transition_case(case=case, transition="delete", actor=team_member)


def test_staff_register_a_withdrawal_the_citizen_asked_for(client, case, team_member, sent_letters):
    client.force_login(team_member)
    url = reverse("applicants:case_transition", args=[case.pk, "withdraw"])
    page = client.get(url + "?stage_seen=inquiry").content.decode()
    assert "Hvordan meldte borgeren sig ud?" in page
    response = client.post(url, {"stage_seen": "inquiry", "initiated_by": "citizen", "reason": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == "withdrawn"
    assert sent_letters.calls[0][2]["initiated_by"] == "citizen"
