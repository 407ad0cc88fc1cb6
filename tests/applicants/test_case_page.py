"""The case page and its buttons, the exit-condition hooks, meetings and the
week plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants import conditions
from applicants.models import Case, Meeting
from applicants.selectors import meeting_stability, week_position, with_meeting_stability
from applicants.services import TransitionRefused, transition_case
from tests.factories import CaseFactory, MeetingFactory, ProgrammeFactory
from tests.screening.helpers import decided_record


@pytest.fixture
def screening_hook():
    """A condition registered the way the screening app will register its own."""
    state = {"decided": False}

    def screening_1_decided(case) -> bool:
        return state["decided"]

    conditions.register_exit_condition(
        "screening_1", screening_1_decided, label="1. screening er afgjort og registreret"
    )
    yield state
    conditions.unregister_exit_condition("screening_1", screening_1_decided)


def test_an_exit_hook_blocks_leaving_its_stage_until_it_holds(team_member, screening_hook):
    case = CaseFactory(stage="screening_1")
    decided_record(case, 1, "referred")
    decided_record(case, 1, "not_referred")
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="admit", actor=team_member)
    assert exc.value.reasons == ["1. screening er afgjort og registreret"]
    with pytest.raises(TransitionRefused):
        transition_case(
            case=case, transition="decline", actor=team_member, reason="x", data={"facts": "y"}
        )
    screening_hook["decided"] = True
    transition_case(case=case, transition="admit", actor=team_member)
    assert Case.objects.get(pk=case.pk).stage == "business_development"


def test_an_exit_hook_never_blocks_withdrawal_or_pause(team_member, screening_hook):
    for name, stage in (("withdraw", "withdrawn"), ("pause", "paused")):
        case = CaseFactory(stage="screening_1")
        transition_case(case=case, transition=name, actor=team_member)
        assert Case.objects.get(pk=case.pk).stage == stage


def test_an_exit_hook_can_guard_only_named_transitions(team_member):
    def never(case):
        return False

    conditions.register_exit_condition(
        "screening_2", never, "Aldrig", transitions=["grant_courses"]
    )
    try:
        case = CaseFactory(stage="screening_2")
        decided_record(case, 2, "stop")
        transition_case(
            case=case, transition="decline", actor=team_member, reason="Stop", data={"facts": "x"}
        )
        assert Case.objects.get(pk=case.pk).stage == "declined"
    finally:
        conditions.unregister_exit_condition("screening_2", never)


def test_the_case_page_shows_only_the_allowed_steps_and_names_what_blocks(
    client, team_member, screening_hook
):
    case = CaseFactory(stage="screening_1")
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_detail", args=[case.pk])).content.decode()
    admit_url = reverse("applicants:case_transition", args=[case.pk, "admit"])
    assert admit_url not in body
    assert "1. screening er afgjort og registreret" in body
    assert reverse("applicants:case_transition", args=[case.pk, "pause"]) in body
    # Not available from screening_1 at all.
    assert reverse("applicants:case_transition", args=[case.pk, "grant_courses"]) not in body


def test_a_refused_step_tells_the_user_which_condition_failed(client, team_member):
    case = CaseFactory(stage="first_meeting")
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:case_transition", args=[case.pk, "to_second_meeting"]),
        {"stage_seen": "first_meeting"},
        follow=True,
    )
    body = response.content.decode()
    assert "Forløbet kan ikke gå videre endnu" in body
    assert "mindst to medarbejdere" in body
    assert Case.objects.get(pk=case.pk).stage == "first_meeting"


def test_decline_through_the_page_needs_a_reason_and_keeps_the_facts(client, team_member):
    case = CaseFactory(stage="screening_2")
    decided_record(case, 2, "stop")
    client.force_login(team_member)
    url = reverse("applicants:case_transition", args=[case.pk, "decline"])
    response = client.post(url, {"stage_seen": "screening_2", "facts": "Mine fakta"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer" in body and "Mine fakta" in body
    response = client.post(url, {"stage_seen": "screening_2", "reason": "Begrundet", "facts": ""})
    assert response.status_code == 200  # the facts are required in an adverse decision
    response = client.post(
        url, {"stage_seen": "screening_2", "reason": "Begrundet", "facts": "Mine fakta"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == "declined"


def test_the_timeline_merges_transitions_and_meetings(client, team_member):
    case = CaseFactory(stage="inquiry")
    transition_case(case=case, transition="start_phone_interview", actor=team_member)
    MeetingFactory(case=case, kind="first", place="Café Globus")
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_detail", args=[case.pk])).content.decode()
    timeline = body[body.index('id="timeline-heading"') :]
    assert "Henvendelse → Telefonsamtale" in timeline
    assert "1. personlige møde – kom" in timeline


def test_planning_a_meeting_sends_an_invitation_with_the_contract_context(
    client, team_member, team_member2, sent_letters
):
    case = CaseFactory(stage="first_meeting")
    client.force_login(team_member)
    starts = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        reverse("applicants:meeting_create", args=[case.pk]),
        {
            "kind": "first",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Café Globus",
            "staff": [team_member.pk, team_member2.pk],
            "notes": "Tag gerne skitser med",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.staff.all()) == {team_member, team_member2}
    name, args, _kwargs = sent_letters.calls[0]
    assert name == "send_meeting_invitation" and args == (meeting, team_member)


def test_a_first_meeting_cannot_be_planned_with_one_staff_member(client, team_member):
    case = CaseFactory(stage="first_meeting")
    client.force_login(team_member)
    starts = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        reverse("applicants:meeting_create", args=[case.pk]),
        {
            "kind": "first",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "place": "Café Globus",
            "staff": [team_member.pk],
        },
    )
    assert response.status_code == 200
    assert "mindst to medarbejdere" in response.content.decode()
    assert 'value="Café Globus"' in response.content.decode()


def test_a_future_meeting_cannot_be_recorded_as_held(client, team_member):
    meeting = MeetingFactory(
        starts_at=timezone.now() + datetime.timedelta(days=1), attendance="unknown"
    )
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:meeting_record", args=[meeting.case_id, meeting.pk]),
        {"attendance": "attended", "staff": [team_member.pk]},
    )
    assert response.status_code == 200
    assert "når det er begyndt" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.attendance == "unknown"


def test_meeting_stability_is_attended_over_held(db):
    case = CaseFactory()
    past = timezone.now() - datetime.timedelta(days=3)
    MeetingFactory(case=case, starts_at=past, attendance="attended")
    MeetingFactory(case=case, starts_at=past, attendance="attended")
    MeetingFactory(case=case, starts_at=past, attendance="absent")
    MeetingFactory(case=case, starts_at=past, attendance="cancelled")  # not held
    MeetingFactory(
        case=case, starts_at=timezone.now() + datetime.timedelta(days=3), attendance="unknown"
    )  # not yet held
    assert meeting_stability(case) == {"held": 3, "attended": 2, "ratio": 2 / 3}
    annotated = with_meeting_stability(Case.objects.filter(pk=case.pk)).get()
    assert (annotated.meetings_held, annotated.meetings_attended) == (3, 2)
    assert annotated.meeting_stability == pytest.approx(2 / 3)


def test_meeting_stability_for_many_cases_is_one_query(db, django_assert_num_queries):
    for _ in range(5):
        MeetingFactory()
    with django_assert_num_queries(1):
        rows = list(with_meeting_stability(Case.objects.all()))
    assert [r.meeting_stability for r in rows] == [1.0] * 5


def test_a_case_past_its_planned_weeks_is_behind_the_plan(client, team_member):
    programme = ProgrammeFactory(
        name="Gammelt program", start_date=timezone.localdate() - datetime.timedelta(weeks=25)
    )
    case = CaseFactory(programme=programme, stage="second_meeting")
    position = week_position(case)
    assert (position.programme_week, position.planned_last, position.behind) == (26, 20, True)
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_detail", args=[case.pk])).content.decode()
    assert "bagud i forhold til planen" in body
    on_time = CaseFactory(programme=programme, stage="courses")
    assert week_position(on_time).behind is False


def test_the_team_start_page_lists_my_meetings_today_and_this_week(
    client, team_member, team_member2
):
    now = timezone.localtime()
    tonight = now.replace(hour=23, minute=0)
    mine = MeetingFactory(
        starts_at=tonight, place="Café I Dag", attendance="unknown", staff=[team_member]
    )
    on_my_case = MeetingFactory(starts_at=tonight, place="Café Min Sag", attendance="unknown")
    on_my_case.case.responsible = team_member
    on_my_case.case.save()
    MeetingFactory(starts_at=tonight, place="Café Kollega", staff=[team_member2])
    MeetingFactory(starts_at=now - datetime.timedelta(days=8), place="Café Sidste Uge")
    client.force_login(team_member)
    body = client.get(reverse("home")).content.decode()
    assert "Café I Dag" in body and mine.case.citizen.full_name in body
    assert "Café Min Sag" in body
    assert "Café Kollega" not in body
    assert "Café Sidste Uge" not in body
    team = client.get(reverse("home") + "?vis=team").content.decode()
    assert "Café Kollega" in team and "Teamets møder" in team
    assert "Café Sidste Uge" not in team


def test_the_team_lead_creates_a_programme_with_the_handbook_weeks_as_defaults(client, team_lead):
    from applicants.models import Programme, default_week_plan

    client.force_login(team_lead)
    page = client.get(reverse("applicants:programme_create")).content.decode()
    assert 'name="courses_first" value="18"' in page
    data = {"name": "Hold 3", "start_date": "2026-08-03"}
    for key, (first, last) in default_week_plan().items():
        data[f"{key}_first"] = first
        data[f"{key}_last"] = last or ""
    data["courses_last"] = 34
    assert client.post(reverse("applicants:programme_create"), data).status_code == 302
    programme = Programme.objects.get(name="Hold 3")
    assert programme.week_plan["courses"] == [18, 34]
    assert programme.week_plan["establishment"] == [32, None]
    body = client.get(reverse("applicants:programme_list")).content.decode()
    assert "Hold 3" in body and "18–34" in body


def test_a_programme_phase_must_end_after_it_starts(client, team_lead):
    client.force_login(team_lead)
    data = {"name": "Hold 4", "start_date": "2026-08-03", "recruitment_first": 20}
    data |= {"recruitment_last": 8, "business_development_first": 14}
    data |= {"courses_first": 18, "establishment_first": 32, "screening_4_first": 60}
    response = client.post(reverse("applicants:programme_create"), data)
    assert response.status_code == 200
    assert "Til-ugen må ikke ligge før fra-ugen." in response.content.decode()
