"""The courses' demo data: a cohort with past and future sessions and
attendance for the past ones, network days with answers, two mentors with
mentees; a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import (
    AttendanceRecord,
    Cohort,
    Enrolment,
    Mentor,
    MentorMatch,
    NetworkInvitation,
    Session,
)
from courses.selectors import attendance_rates
from mikrolaan.tenancy import unscoped


@pytest.fixture(autouse=True)
def _unscoped():
    with unscoped():
        yield


def test_seed_demo_builds_a_cohort_network_days_and_mentors_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    cohort = Cohort.objects.get(municipality__code="751")
    now = timezone.now()
    sessions = Session.objects.filter(cohort=cohort)
    past, future = sessions.filter(starts_at__lt=now), sessions.filter(starts_at__gte=now)
    assert past.exists() and future.exists()
    assert not AttendanceRecord.objects.filter(session__in=future).exists()
    assert all(s.attendance.exists() for s in past)
    assert NetworkInvitation.objects.exclude(answer="").exists()
    mentors = Mentor.objects.filter(matches__isnull=False).distinct()
    assert mentors.count() == 2
    assert Mentor.objects.get(user__username="mentor").matches.exists()
    # The past network day's absences count against no one.
    case_ids = list(Enrolment.objects.filter(cohort=cohort).values_list("case_id", flat=True))
    rates = attendance_rates(case_ids, municipality_id=cohort.municipality_id)
    assert all(r.counted for r in rates.values())
    counts = (Session.objects.count(), MentorMatch.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Session.objects.count(), MentorMatch.objects.count()) == counts
