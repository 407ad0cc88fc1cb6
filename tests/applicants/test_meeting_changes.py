"""Moving and cancelling a planned meeting, and what a closing case does to
the meetings still to come."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants import services
from applicants.models import Attendance, Stage
from mikrolaan.models import AuditEvent
from tests.factories import CaseFactory, MeetingFactory, PhoneInterviewFactory


def _planned(case=None, days=3, **kwargs):
    kwargs.setdefault("place", "Café Kaffekilden")
    return MeetingFactory(
        case=case or CaseFactory(),
        starts_at=timezone.now() + datetime.timedelta(days=days),
        attendance=Attendance.UNKNOWN,
        **kwargs,
    )


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_moving_a_meeting_sends_a_new_invitation_that_says_what_changed(
    client, team_member, sent_letters
):
    meeting = _planned()
    before = meeting.starts_at
    new = timezone.localtime(before + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    client.force_login(team_member)
    url = reverse("applicants:meeting_move", args=[meeting.case.pk, meeting.pk])
    response = client.post(
        url, {"starts_at": _local(new), "place": "Biblioteket", "reason": "Sygdom"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == new and meeting.place == "Biblioteket"
    assert sent_letters.kinds() == ["send_meeting_change"]
    _name, args, kwargs = sent_letters.calls[0]
    assert args == (meeting, team_member)
    assert kwargs["change"] == "moved" and kwargs["reason"] == "Sygdom"
    assert kwargs["before"]["starts_at"] == before
    assert kwargs["before"]["place"] == "Café Kaffekilden"
    event = AuditEvent.objects.get(action="meeting.moved")
    assert event.data["before_place"] == "Café Kaffekilden" and event.data["place"] == "Biblioteket"


def test_a_move_to_the_past_or_nowhere_new_is_refused_in_danish(client, team_member, sent_letters):
    meeting = _planned()
    meeting.starts_at = meeting.starts_at.replace(second=0, microsecond=0)
    meeting.save()
    client.force_login(team_member)
    url = reverse("applicants:meeting_move", args=[meeting.case.pk, meeting.pk])
    past = timezone.now() - datetime.timedelta(days=1)
    body = client.post(url, {"starts_at": _local(past), "place": "X"}).content.decode()
    assert "Det nye tidspunkt skal ligge ude i fremtiden." in body
    same = client.post(
        url, {"starts_at": _local(meeting.starts_at), "place": meeting.place}
    ).content.decode()
    assert "Skift tidspunktet eller stedet for at flytte mødet." in same
    assert sent_letters.calls == []


def test_cancelling_a_meeting_sends_a_cancellation_letter_and_needs_a_reason(
    client, team_member, sent_letters
):
    meeting = _planned()
    client.force_login(team_member)
    url = reverse("applicants:meeting_cancel", args=[meeting.case.pk, meeting.pk])
    body = client.post(url, {"reason": ""}).content.decode()
    assert "is-invalid" in body
    assert client.post(url, {"reason": "Kontaktpersonen er syg."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.attendance == Attendance.CANCELLED
    _name, _args, kwargs = sent_letters.calls[0]
    assert kwargs == {"change": "cancelled", "reason": "Kontaktpersonen er syg."}
    assert AuditEvent.objects.filter(action="meeting.cancelled").exists()
    # A cancelled meeting can be neither moved nor cancelled again.
    with pytest.raises(services.TransitionRefused):
        services.cancel_meeting(actor=team_member, meeting=meeting, reason="igen")
    again = client.get(reverse("applicants:meeting_move", args=[meeting.case.pk, meeting.pk]))
    assert again.status_code == 302


def test_a_held_meeting_cannot_be_moved(team_member):
    held = MeetingFactory()  # yesterday, attended
    with pytest.raises(services.TransitionRefused):
        services.move_meeting(
            actor=team_member,
            meeting=held,
            starts_at=timezone.now() + datetime.timedelta(days=1),
            place="Et andet sted",
        )


def test_the_case_page_links_move_and_cancel_only_for_planned_meetings(client, team_member):
    meeting = _planned()
    held = MeetingFactory(case=meeting.case)
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_detail", args=[meeting.case.pk])).content.decode()
    assert reverse("applicants:meeting_move", args=[meeting.case.pk, meeting.pk]) in body
    assert reverse("applicants:meeting_cancel", args=[meeting.case.pk, meeting.pk]) in body
    assert reverse("applicants:meeting_move", args=[meeting.case.pk, held.pk]) not in body


def test_another_cases_meeting_is_not_found(client, team_member):
    meeting = _planned()
    other = CaseFactory()
    client.force_login(team_member)
    url = reverse("applicants:meeting_cancel", args=[other.pk, meeting.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "stage,transition,data",
    [
        (Stage.SECOND_MEETING, "withdraw", {"initiated_by": "citizen"}),
        (Stage.PHONE_INTERVIEW, "decline", {"facts": "Ikke i målgruppen."}),
    ],
)
def test_closing_a_case_cancels_its_planned_meetings_and_they_leave_the_start_page(
    client, team_member, stage, transition, data
):
    case = CaseFactory(stage=stage, responsible=team_member)
    if stage == Stage.PHONE_INTERVIEW:
        PhoneInterviewFactory(case=case, conducted_by=team_member, in_target_group=False)
    soon = _planned(case, days=0, place="Café Snart", staff=[team_member])
    soon.starts_at = timezone.now() + datetime.timedelta(minutes=5)
    soon.save()
    later = _planned(case, days=10)
    held = MeetingFactory(case=case)
    client.force_login(team_member)
    assert "Café Snart" in client.get(reverse("home") + "?vis=team").content.decode()
    services.transition_case(
        case=case, transition=transition, actor=team_member, reason="Slut", data=data
    )
    for m in (soon, later, held):
        m.refresh_from_db()
    assert soon.attendance == later.attendance == Attendance.CANCELLED
    assert held.attendance == Attendance.ATTENDED
    assert AuditEvent.objects.filter(action="meeting.cancelled_on_close").count() == 1
    assert "Café Snart" not in client.get(reverse("home") + "?vis=team").content.decode()
    assert "Café Snart" not in client.get(reverse("home")).content.decode()


def test_a_pause_leaves_the_planned_meetings_alone(team_member):
    case = CaseFactory(stage=Stage.SECOND_MEETING, responsible=team_member)
    meeting = _planned(case)
    services.transition_case(case=case, transition="pause", actor=team_member, reason="Syg")
    meeting.refresh_from_db()
    assert meeting.attendance == Attendance.UNKNOWN


def test_the_case_page_shows_what_is_coming_apart_from_the_history(client, team_member):
    from courses.models import Cohort, Enrolment, Session, SessionStatus
    from courses.services import modules_for

    case = CaseFactory(stage=Stage.COURSES, responsible=team_member)
    planned = _planned(case, days=4, place="Café Kommende")
    MeetingFactory(case=case, place="Café Holdt")  # yesterday, held
    cancelled = _planned(case, days=6, place="Café Aflyst")
    cancelled.attendance = Attendance.CANCELLED
    cancelled.save()
    module = next(m for m in modules_for(case.municipality_id) if not m.is_network_day)
    cohort = Cohort.objects.create(
        programme=case.programme, name="Hold X", start_date=timezone.localdate()
    )
    Enrolment.objects.create(cohort=cohort, case=case, module=module)
    soon = timezone.now() + datetime.timedelta(days=2)
    Session.objects.create(
        module=module,
        cohort=cohort,
        title="Gang 3: Driftsbudget",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
        place="Lokale 7",
    )
    Session.objects.create(
        module=module,
        cohort=cohort,
        title="Aflyst gang",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
        place="Lokale 8",
        status=SessionStatus.CANCELLED,
    )
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_detail", args=[case.pk])).content.decode()
    coming = body.split('id="coming-heading"')[1].split("</section>")[0]
    assert "Café Kommende" in coming and "Gang 3: Driftsbudget" in coming
    assert "Café Holdt" not in coming and "Café Aflyst" not in coming
    assert "Aflyst gang" not in coming
    assert coming.index("Gang 3") < coming.index("Café Kommende")  # in time order
    assert reverse("applicants:meeting_move", args=[case.pk, planned.pk]) in coming


def test_the_team_lead_edits_a_programme_and_the_audit_keeps_what_it_was(client, team_lead):
    from applicants.models import Programme

    programme = CaseFactory().programme
    old_start = programme.start_date
    client.force_login(team_lead)
    url = reverse("applicants:programme_edit", args=[programme.pk])
    page = client.get(url).content.decode()
    assert f'value="{programme.name}"' in page
    data = {"name": "Forår (rettet)", "start_date": "2026-09-07"}
    for key, (first, last) in programme.week_plan.items():
        data[f"{key}_first"], data[f"{key}_last"] = first, last or ""
    data["courses_first"], data["courses_last"] = 20, 19
    body = client.post(url, data).content.decode()
    assert "Til-ugen må ikke ligge før fra-ugen." in body
    data["courses_last"] = 36
    assert client.post(url, data).status_code == 302
    programme = Programme.objects.get(pk=programme.pk)
    assert programme.name == "Forår (rettet)" and programme.week_plan["courses"] == [20, 36]
    event = AuditEvent.objects.get(action="programme.updated")
    assert event.data["before_start_date"] == old_start.isoformat()


def test_a_team_member_cannot_edit_a_programme(client, team_member):
    programme = CaseFactory().programme
    client.force_login(team_member)
    url = reverse("applicants:programme_edit", args=[programme.pk])
    assert client.get(url).status_code == 403


def _seat(case, start, name="Hold X"):
    from courses.models import Cohort, Enrolment
    from courses.services import modules_for

    module = next(m for m in modules_for(case.municipality_id) if not m.is_network_day)
    cohort = Cohort.objects.create(programme=case.programme, name=name, start_date=start)
    return Enrolment.objects.create(cohort=cohort, case=case, module=module)


def test_the_week_plan_counts_from_the_cohorts_week_1_where_the_case_has_one(db):
    from applicants.selectors import week_position

    today = datetime.date(2027, 6, 1)
    case = CaseFactory(stage=Stage.COURSES)
    case.programme.start_date = today - datetime.timedelta(weeks=40)
    case.programme.save()
    # The programme is in week 41: past the courses' planned weeks 18–32.
    position = week_position(case, today=today)
    assert position.programme_week == 41 and position.behind and not position.cohort_name
    # On a cohort that began 20 weeks ago, the case is in its week 21: on plan.
    _seat(case, today - datetime.timedelta(weeks=20), name="Hold Forår")
    _seat(case, today - datetime.timedelta(weeks=2), name="Hold Senere")
    position = week_position(case, today=today)
    assert position.programme_week == 21 and not position.behind
    assert position.cohort_name == "Hold Forår"


def test_the_programme_timeline_shifts_a_cohort_case_onto_the_programme_weeks(db):
    from applicants.reports.selectors import cohort

    today = datetime.date(2027, 6, 1)
    case = CaseFactory(stage=Stage.COURSES)
    programme = case.programme
    programme.start_date = today - datetime.timedelta(weeks=40)
    programme.save()
    other = CaseFactory(stage=Stage.COURSES, programme=programme)
    _seat(case, today - datetime.timedelta(weeks=20))
    rows = {r.case.pk: r for r in cohort(programme, today=today)["rows"]}
    assert (rows[case.pk].planned_first, rows[case.pk].planned_last) == (18 + 20, 32 + 20)
    assert not rows[case.pk].behind
    assert rows[other.pk].behind
