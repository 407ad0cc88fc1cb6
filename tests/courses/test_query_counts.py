"""The cohort page and the register cost the same for 5 as for 50 participants."""

import pytest
from django.urls import reverse

from courses.models import AttendanceRecord, Mark
from mikrolaan.access_log import insert_queries
from tests.courses import helpers


def _cohort_with(n):
    cohort = helpers.cohort()
    cases = helpers.participants(cohort, n)
    for key in ("vat_tax", "residential"):
        for case in cases:
            helpers.seat(cohort, case, key)
    sessions = [helpers.session(cohort, days=-d) for d in (1, 2, 3)]
    for s in sessions:
        AttendanceRecord.objects.bulk_create(
            AttendanceRecord(session=s, case=c, mark=Mark.PRESENT) for c in cases
        )
    return cohort, sessions[0]


@pytest.mark.parametrize("n", [5, 50])
def test_cohort_page_query_count_does_not_grow(client, team_member, django_assert_num_queries, n):
    cohort, _session = _cohort_with(n)
    client.force_login(team_member)
    url = reverse("courses:cohort", args=[cohort.pk])
    client.get(url)
    # 1 session, 2 user with municipality and roles, 3 the cohort with its
    # programme, 4 sessions with modules and mark counts, 5 seats with cases,
    # citizens and modules, 6 the rate setting, 7 the marks per case,
    # 8 grants without a seat; then the access-log insert.
    with django_assert_num_queries(8 + insert_queries()):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_register_query_count_does_not_grow(client, team_member, django_assert_num_queries, n):
    _cohort, session = _cohort_with(n)
    client.force_login(team_member)
    url = reverse("courses:session", args=[session.pk])
    client.get(url)
    # 1 session, 2 user with municipality and roles, 3 the session with its
    # module and cohort, 4 the participants with citizens, 5 their marks;
    # then the access-log insert.
    with django_assert_num_queries(5 + insert_queries()):
        response = client.get(url)
    assert response.status_code == 200
