"""Seats from screening 2's grants, the attendance register, rates (network
days never count), network days, mentors and the case page section."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.basis import attendance_items
from courses.models import (
    AttendanceRecord,
    ExcusedAbsence,
    Mark,
    Mentor,
    MentorMatch,
    Module,
    NetworkInvitation,
)
from mikrolaan.letters.models import Letter
from screening.basis import available_items
from screening.models import CourseGrant, Outcome, Status
from tests.courses import helpers
from tests.factories import CaseFactory, CitizenFactory
from tests.screening.helpers import decided_record


def _granted(case, modules=("accounting", "residential")):
    screening = decided_record(case, 2, Outcome.COURSES_GRANTED)
    return [CourseGrant.objects.create(screening=screening, module=m) for m in modules]


def test_catalogue_is_seeded_from_the_handbook_once_per_municipality(home_municipality):
    modules = services.modules_for(home_municipality.pk)
    keys = [m.key for m in modules]
    assert keys[:4] == ["accounting", "vat_tax", "residential", "marketing_workshop"]
    assert "network_day" in keys and "follow_up_accounting" in keys and "ad_hoc" in keys
    assert not Module.objects.get(key="network_day").counts
    assert len(services.modules_for(home_municipality.pk)) == len(modules)


def test_enrolment_from_grants_gives_each_granted_module_a_seat(team_member):
    cohort = helpers.cohort()
    case = CaseFactory(programme=cohort.programme, stage="courses")
    grants = _granted(case)
    rows, _more = selectors.seatless_grants()
    assert {g.pk for g in rows} == {g.pk for g in grants}

    seats = services.enrol_grants(actor=team_member, cohort=cohort, grants=grants)

    assert {s.module.key for s in seats} == {"accounting", "residential"}
    assert all(s.case_id == case.pk for s in seats)
    assert selectors.seatless_grants() == ([], 0)
    with pytest.raises(services.CoursesRefused):
        services.enrol_grants(actor=team_member, cohort=cohort, grants=grants[:1])


def test_grants_of_a_draft_screening_are_no_task(team_member):
    case = CaseFactory(stage="screening_2")
    screening = decided_record(case, 2, Outcome.COURSES_GRANTED)
    type(screening).objects.filter(pk=screening.pk).update(status=Status.DRAFT)
    CourseGrant.objects.create(screening=screening, module="accounting")
    assert selectors.seatless_grants() == ([], 0)


def test_a_seatless_grant_is_a_task_on_the_team_start_page(client, team_member):
    case = CaseFactory(stage="courses")
    _granted(case, ["vat_tax"])
    client.force_login(team_member)
    response = client.get(reverse("home"))
    assert case.citizen.full_name in response.content.decode()
    assert "Moms og skat" in response.content.decode()


def test_register_saves_a_mix_of_marks_in_one_post(client, team_member):
    cohort = helpers.cohort()
    a, b, c, d = helpers.participants(cohort, 4)
    session = helpers.session(cohort)
    AttendanceRecord.objects.create(session=session, case=d, mark=Mark.PRESENT)
    client.force_login(team_member)
    url = reverse("courses:session", args=[session.pk])
    response = client.post(
        url,
        {
            f"mark-{a.pk}": "present",
            f"mark-{b.pk}": "absent",
            f"note-{b.pk}": "Meldte ikke afbud",
            f"mark-{c.pk}": "excused",
            f"note-{c.pk}": "Syg",
            f"mark-{d.pk}": "",
        },
    )
    assert response.status_code == 302
    marks = {r.case_id: (r.mark, r.note) for r in AttendanceRecord.objects.filter(session=session)}
    assert marks == {
        a.pk: ("present", ""),
        b.pk: ("absent", "Meldte ikke afbud"),
        c.pk: ("excused", "Syg"),
    }
    page = client.get(url).content.decode()
    assert "Meldte ikke afbud" in page


def test_register_refuses_a_mark_that_is_not_a_choice(client, team_member):
    cohort = helpers.cohort()
    (a,) = helpers.participants(cohort, 1)
    session = helpers.session(cohort)
    client.force_login(team_member)
    response = client.post(reverse("courses:session", args=[session.pk]), {f"mark-{a.pk}": "x"})
    assert response.status_code == 200
    assert not AttendanceRecord.objects.exists()


def test_register_refuses_someone_without_a_seat(team_member):
    cohort = helpers.cohort()
    helpers.participants(cohort, 1)
    stranger = CaseFactory(stage="courses")
    session = helpers.session(cohort)
    with pytest.raises(services.CoursesRefused):
        services.record_attendance(
            actor=team_member, session=session, marks={stranger.pk: ("present", "")}
        )


def _marks(case, cohort, *marks, key="accounting"):
    for i, mark in enumerate(marks):
        s = helpers.session(cohort, key, days=-(i + 1))
        AttendanceRecord.objects.create(session=s, case=case, mark=mark)


def test_attendance_rate_never_counts_network_days(team_member):
    cohort = helpers.cohort()
    (case,) = helpers.participants(cohort, 1)
    _marks(case, cohort, Mark.PRESENT, Mark.PRESENT, Mark.PRESENT, Mark.ABSENT)
    before = selectors.attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
    for i in range(3):
        day = helpers.session(None, "network_day", days=-(10 + i))
        NetworkInvitation.objects.create(session=day, case=case)
        AttendanceRecord.objects.create(session=day, case=case, mark=Mark.ABSENT)
    after = selectors.attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
    assert before == after
    assert (after.attended, after.counted, after.percent) == (3, 4, 75)
    # Nor do they reach the screening basis.
    labels = " ".join(i.label for i in available_items(case))
    assert "3 af 4" in labels


def test_excused_absence_counts_as_the_setting_says(team_lead):
    cohort = helpers.cohort()
    (case,) = helpers.participants(cohort, 1)
    _marks(case, cohort, Mark.PRESENT, Mark.PRESENT, Mark.ABSENT, Mark.EXCUSED)

    def rate():
        r = selectors.attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
        return r.attended, r.counted

    assert rate() == (2, 3)  # default: left out
    services.save_settings(
        actor=team_lead, municipality_id=case.municipality_id, excused_absence=ExcusedAbsence.ABSENT
    )
    assert rate() == (2, 4)
    services.save_settings(
        actor=team_lead,
        municipality_id=case.municipality_id,
        excused_absence=ExcusedAbsence.PRESENT,
    )
    assert rate() == (3, 4)


def test_cancelled_sessions_do_not_count(team_member):
    cohort = helpers.cohort()
    (case,) = helpers.participants(cohort, 1)
    _marks(case, cohort, Mark.ABSENT)
    session = helpers.session(cohort, days=-5)
    AttendanceRecord.objects.create(session=session, case=case, mark=Mark.PRESENT)
    services.cancel_session(actor=team_member, session=session)
    rate = selectors.attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
    assert (rate.attended, rate.counted) == (0, 1)


def test_residential_observations_are_offered_to_screening_3(team_member):
    cohort = helpers.cohort()
    case = CaseFactory(programme=cohort.programme, stage="screening_3")
    seat = helpers.seat(cohort, case, "residential")
    services.save_observation(actor=team_member, enrolment=seat, text="Tog ansvar i teamøvelserne.")
    items = attendance_items(case)
    assert [i.id for i in items] == [f"observation-{seat.pk}"]
    assert "Tog ansvar" in items[0].label


def test_moving_a_session_writes_to_each_participant(
    team_member, django_capture_on_commit_callbacks
):
    cohort = helpers.cohort()
    cases = helpers.participants(cohort, 2)
    session = helpers.session(cohort, days=7)
    new_start = session.starts_at + datetime.timedelta(days=1)
    services.save_session(
        actor=team_member,
        session=session,
        data={"starts_at": new_start, "ends_at": new_start + datetime.timedelta(hours=3)},
    )
    letters = Letter.objects.filter(kind="session_changed")
    assert sorted(letters.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
    assert letters.first().context["change"] == "moved"


def test_cancelling_a_session_writes_to_each_participant(team_member):
    cohort = helpers.cohort()
    cases = helpers.participants(cohort, 2)
    session = helpers.session(cohort, days=7)
    services.cancel_session(actor=team_member, session=session, reason="Underviseren er syg.")
    letters = Letter.objects.filter(kind="session_changed")
    assert letters.count() == len(cases)
    assert {lt.context["change"] for lt in letters} == {"cancelled"}
    with pytest.raises(services.CoursesRefused):
        services.cancel_session(actor=team_member, session=session)


def test_network_day_invitation_and_answer_in_the_portal(client, team_member, citizen_user):
    case = CaseFactory(citizen=CitizenFactory(user=citizen_user), stage="running")
    day = helpers.session(None, "network_day", days=14, programme_text="13.00 Velkomst")
    (invitation,) = services.invite_to_network_day(actor=team_member, session=day, cases=[case])
    assert invitation.letter.kind == "network_day_invitation"
    client.force_login(citizen_user)
    page = client.get(reverse("courses:portal_sessions")).content.decode()
    assert day.display_title in page
    url = reverse("courses:portal_answer", args=[invitation.pk])
    assert client.post(url, {}).status_code == 200  # no answer: an error, not a 500
    assert client.post(url, {"answer": "no"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "no"
    # Saying no counts against no one.
    rate = selectors.attendance_rates([case.pk], municipality_id=case.municipality_id)[case.pk]
    assert rate.counted == 0


def test_a_citizen_cannot_answer_someone_elses_invitation(client, citizen_user):
    CaseFactory(citizen=CitizenFactory(user=citizen_user), stage="running")
    other = CaseFactory(stage="running")
    day = helpers.session(None, "network_day", days=14)
    invitation = NetworkInvitation.objects.create(session=day, case=other)
    client.force_login(citizen_user)
    response = client.post(
        reverse("courses:portal_answer", args=[invitation.pk]), {"answer": "yes"}
    )
    assert response.status_code == 404


def test_mentor_suggestions_put_the_same_trade_first(client, team_member):
    case = CaseFactory(stage="running", industry="Håndværk")
    Mentor.objects.create(name="Anna IT", trade="IT og software")
    Mentor.objects.create(name="Bo Tømrer", trade="Håndværk og byggeri")
    client.force_login(team_member)
    page = client.get(reverse("courses:case_mentor", args=[case.pk])).content.decode()
    assert page.index("Bo Tømrer") < page.index("Anna IT")
    response = client.post(
        reverse("courses:case_mentor", args=[case.pk]),
        {"mentor": Mentor.objects.get(name="Bo Tømrer").pk},
    )
    assert response.status_code == 302
    assert MentorMatch.objects.get(case=case).mentor.name == "Bo Tømrer"


def test_a_mentor_sees_only_their_own_mentees_name_business_and_meetings(
    client, mentor, team_member
):
    own = CaseFactory(stage="running", business_idea="Mobil cykelreparation")
    other = CaseFactory(stage="running")
    me = Mentor.objects.create(name="Emil", trade="Detailhandel", user=mentor)
    someone = Mentor.objects.create(name="Else", trade="IT")
    mine = services.match_mentor(actor=team_member, case=own, mentor=me)
    theirs = services.match_mentor(actor=team_member, case=other, mentor=someone)
    services.log_mentor_meeting(
        actor=team_member,
        match=mine,
        data={"starts_at": timezone.now(), "topic": "Prissætning", "note": ""},
    )
    client.force_login(mentor)
    home = client.get(reverse("home")).content.decode()
    assert own.citizen.full_name in home and "Mobil cykelreparation" in home
    assert other.citizen.full_name not in home
    page = client.get(reverse("courses:match", args=[mine.pk])).content.decode()
    assert "Prissætning" in page
    assert own.citizen.cpr not in page and own.case_number not in page
    assert client.get(reverse("courses:match", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("applicants:case_detail", args=[own.pk])).status_code == 403
    assert client.get(reverse("courses:cohorts")).status_code == 403


def test_case_page_shows_the_attendance_rate_and_mentor(client, team_member):
    cohort = helpers.cohort()
    (case,) = helpers.participants(cohort, 1)
    _marks(case, cohort, Mark.PRESENT, Mark.ABSENT)
    services.match_mentor(
        actor=team_member, case=case, mentor=Mentor.objects.create(name="Ib Bager", trade="Bager")
    )
    client.force_login(team_member)
    page = client.get(reverse("applicants:case_detail", args=[case.pk])).content.decode()
    assert "50 %" in page
    assert "Ib Bager" in page


def test_cohort_page_lists_participants_with_their_rates(client, team_member):
    cohort = helpers.cohort()
    (case,) = helpers.participants(cohort, 1)
    _marks(case, cohort, Mark.PRESENT)
    client.force_login(team_member)
    page = client.get(reverse("courses:cohort", args=[cohort.pk])).content.decode()
    assert case.citizen.full_name in page
    assert "100 %" in page


def test_another_municipalitys_session_is_not_found(client, team_member, other_municipality):
    from mikrolaan.tenancy import unscoped
    from tests.factories import building_in

    with unscoped(), building_in(other_municipality.code):
        from tests.factories import ProgrammeFactory

        other_cohort = helpers.cohort(programme=ProgrammeFactory(municipality=other_municipality))
        other_session = helpers.session(other_cohort)
    client.force_login(team_member)
    assert client.get(reverse("courses:session", args=[other_session.pk])).status_code == 404
    assert client.get(reverse("courses:cohort", args=[other_cohort.pk])).status_code == 404


def test_the_screening_3_form_offers_the_attendance_rate(client, team_member):
    from screening import services as screening_services

    cohort = helpers.cohort()
    case = CaseFactory(programme=cohort.programme, stage="screening_3")
    helpers.seat(cohort, case)
    _marks(case, cohort, Mark.PRESENT, Mark.PRESENT, Mark.ABSENT)
    screening = screening_services.start_screening(actor=team_member, case=case)
    client.force_login(team_member)
    page = client.get(reverse("screening:edit", args=[case.pk, screening.pk])).content.decode()
    assert "Fremmøde på kurserne: 67 % (2 af 3)" in page


def test_the_run_sheet_pdf_is_for_the_team_and_the_invited(client, team_member, citizen_user):
    case = CaseFactory(citizen=CitizenFactory(user=citizen_user), stage="running")
    day = helpers.session(None, "network_day", days=14, programme_text="13.00 Velkomst")
    url = reverse("courses:runsheet_pdf", args=[day.pk])
    client.force_login(citizen_user)
    assert client.get(url).status_code == 404  # not invited
    NetworkInvitation.objects.create(session=day, case=case)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(team_member)
    assert client.get(url).status_code == 200
