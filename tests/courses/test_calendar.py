"""The calendar feed: a secret, revocable address; parsed with icalendar;
no CPR number and no case notes."""

import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Mentor, NetworkInvitation
from tests.courses import helpers
from tests.factories import CaseFactory, CitizenFactory, MeetingFactory


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_citizen_feed_holds_sessions_network_days_and_meetings_but_no_cpr(
    client, citizen_user, team_member
):
    cohort = helpers.cohort()
    case = CaseFactory(citizen=CitizenFactory(user=citizen_user), stage="courses")
    helpers.seat(cohort, case)
    session = helpers.session(cohort, days=3, teacher="Kirsten Revisor")
    other_module = helpers.session(cohort, "vat_tax", days=4)  # no seat on it
    day = helpers.session(None, "network_day", days=20)
    NetworkInvitation.objects.create(session=day, case=case, answer="no")
    meeting = MeetingFactory(
        case=case,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        notes="Fortroligt: gæld til SKAT",
    )
    mentor = Mentor.objects.create(name="Ib Bager", trade="Bager")
    match = services.match_mentor(actor=team_member, case=case, mentor=mentor)
    services.log_mentor_meeting(
        actor=team_member,
        match=match,
        data={
            "starts_at": timezone.now() + datetime.timedelta(days=5),
            "topic": "Priser",
            "note": "Hemmelig note",
        },
    )
    feed = services.feed_for(citizen_user)

    response = client.get(reverse("courses:calendar_feed", args=[feed.token]))

    events = _events(response)
    assert f"session-{session.pk}@mikrolaan" in events
    assert f"session-{other_module.pk}@mikrolaan" not in events
    assert str(events[f"session-{day.pk}@mikrolaan"]["status"]) == "CANCELLED"  # said no
    assert f"meeting-{meeting.pk}@mikrolaan" in events
    assert events[f"session-{session.pk}@mikrolaan"].decoded("dtstart") == session.starts_at
    text = response.content.decode()
    assert case.citizen.cpr not in text
    assert "Fortroligt" not in text and "Hemmelig note" not in text
    assert "Priser" in text


def test_staff_feed_names_meetings_by_case_number_not_by_citizen(client, team_member):
    case = CaseFactory(stage="courses")
    MeetingFactory(
        case=case, starts_at=timezone.now() + datetime.timedelta(days=1), staff=[team_member]
    )
    cohort = helpers.cohort()
    session = helpers.session(cohort, days=2)
    feed = services.feed_for(team_member)
    response = client.get(reverse("courses:calendar_feed", args=[feed.token]))
    events = _events(response)
    assert f"session-{session.pk}@mikrolaan" in events
    text = response.content.decode()
    assert case.case_number in text
    assert case.citizen.last_name not in text and case.citizen.cpr not in text


def test_revoking_the_feed_makes_the_old_address_stop_working(client, team_member):
    old = services.feed_for(team_member).token
    client.force_login(team_member)
    assert client.post(reverse("courses:calendar_revoke")).status_code == 302
    client.logout()
    new = services.feed_for(team_member).token
    assert new != old
    assert client.get(reverse("courses:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("courses:calendar_feed", args=[new])).status_code == 200


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("courses:calendar_feed", args=["gaet-forbi"])).status_code == 404


def test_feed_of_a_deactivated_user_is_not_found(client, team_member):
    token = services.feed_for(team_member).token
    team_member.is_active = False
    team_member.save()
    assert client.get(reverse("courses:calendar_feed", args=[token])).status_code == 404


def test_a_cancelled_meeting_shows_as_cancelled_in_the_staff_feed(client, team_member):
    meeting = MeetingFactory(
        starts_at=timezone.now() + datetime.timedelta(days=1),
        staff=[team_member],
        attendance="cancelled",
    )
    feed = services.feed_for(team_member)
    events = _events(client.get(reverse("courses:calendar_feed", args=[feed.token])))
    assert str(events[f"meeting-{meeting.pk}@mikrolaan"]["status"]) == "CANCELLED"
