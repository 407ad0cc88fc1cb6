"""Query counts of the case page and the start pages do not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import CaseTransition
from mikrolaan.access_log import insert_queries
from mikrolaan.roles import Role
from tests.factories import (
    CaseFactory,
    CitizenFactory,
    MeetingFactory,
    PhoneInterviewFactory,
    UserFactory,
)
from tests.letters.helpers import make_letter


def _history(case, n, staff):
    for i in range(n):
        MeetingFactory(
            case=case,
            starts_at=timezone.now() + datetime.timedelta(days=i - n // 2),
            staff=staff,
        )
        CaseTransition.objects.create(
            case=case, actor=staff[0], transition="pause", from_stage="courses", to_stage="paused"
        )
        PhoneInterviewFactory(case=case, conducted_by=staff[0])
        make_letter(case=case, author=staff[i % 2])


@pytest.mark.parametrize("n", [1, 25])
def test_case_page_query_count_does_not_grow_with_its_history(
    client, team_member, team_member2, django_assert_num_queries, n
):
    case = CaseFactory(stage="courses", responsible=team_member)
    _history(case, n, [team_member, team_member2])
    client.force_login(team_member)
    url = reverse("applicants:case_detail", args=[case.pk])
    client.get(url)
    # 1 session, 2 user with their municipality (also the footer's) and roles,
    # 3 the case with citizen, user, programme, contact person and referrer,
    # 4 meetings (their stability is counted from them), 5 their staff
    # (prefetch), 6 letters with their authors, 7 phone interviews (the
    # latest shown, all in the timeline), 8 transitions with actors, 9 the
    # end-of-case hearing (the exit condition of end_case), 10 the screenings
    # (their scores, staff and course grants are prefetched only when there
    # are screenings: see tests/screening), 11 the hearings, 12 the citizen's
    # portal forms (one row per form kind at most), 13 the case's loans,
    # 14 its support grants, 15 the support decisions with their letters,
    # 16 the course seats with cohorts and modules, 17 the attendance-rate
    # setting, 18 the marks, 19 the current mentor, 20 the coming course
    # sessions and network days (»Kommende«; the planned meetings come from
    # 4), 21 the cohort whose week 1 the week plan counts from; then the
    # access-log insert (one row per citizen shown; content type cached).
    with django_assert_num_queries(21 + insert_queries()):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_team_start_page_query_count_does_not_grow_with_meetings(
    client, team_member, team_member2, django_assert_num_queries, n
):
    for _ in range(n):
        MeetingFactory(
            starts_at=timezone.localtime().replace(hour=23, minute=30),
            attendance="unknown",
            staff=[team_member, team_member2],
        )
    client.force_login(team_member)
    client.get(reverse("home"))
    # 1 session, 2 user with their municipality (also the footer's) and roles,
    # 3 the meetings of today and the rest of the week with case and citizen
    # (one query while today holds fewer than 25), 4 their staff's names,
    # 5 forms waiting, 6 screenings due, 7 hearings past their deadline,
    # 8 granted course modules without a seat, 9 the loans' counts in one
    # aggregate (overdue instalments, awaiting approval, awaiting payout),
    # 10 support ending within the watch's days, 11 bank statement lines not
    # matched, 12 loans awaiting approval, 13 loans awaiting payout, 14 the
    # staff tasks; then the access-log insert for the citizens shown. My
    # tasks count the lists the page shows (meetings, screenings, hearings,
    # modules without a seat): no query of their own. A count is added only
    # when a section holds more than 25 (tests/test_bounded_pages.py).
    with django_assert_num_queries(14 + insert_queries()):
        client.get(reverse("home"))


@pytest.mark.parametrize("n", [1, 40])
def test_caseworker_start_page_query_count_does_not_grow_with_referrals(
    client, caseworker, django_assert_num_queries, n
):
    for _ in range(n):
        MeetingFactory(
            case=CaseFactory(referring_caseworker=caseworker),
            starts_at=timezone.now() + datetime.timedelta(days=3),
        )
    client.force_login(caseworker)
    client.get(reverse("home"))
    # 1 session, 2 user with their municipality (also the footer's) and roles,
    # 3 the newest referrals with citizen and next meeting (subquery), 4 how
    # many there are in all; then the access-log insert for those shown.
    with django_assert_num_queries(4 + insert_queries()):
        client.get(reverse("home"))


@pytest.mark.parametrize("n", [1, 20])
def test_citizen_start_page_query_count_does_not_grow_with_meetings_or_letters(
    client, db, django_assert_num_queries, n
):
    user = UserFactory(role=Role.CITIZEN)
    case = CaseFactory(citizen=CitizenFactory(user=user))
    for i in range(n):
        MeetingFactory(
            case=case,
            starts_at=timezone.now() + datetime.timedelta(days=i + 1),
            staff=[UserFactory(role=Role.TEAM_MEMBER)],
        )
        make_letter(case=case)
    client.force_login(user)
    client.get(reverse("home"))
    # 1 session, 2 user with their municipality (also the footer's) and roles,
    # 3 the open case with citizen and contact person, 4 coming meetings,
    # 5 their staff (prefetch), 6 the citizen's letters, 7 the portal's forms
    # (one row per form kind at most), 8 whether there is a loan or support
    # to show. The citizen's own data leaves no access-log row, and costs no
    # query to tell.
    with django_assert_num_queries(8):
        client.get(reverse("home"))
