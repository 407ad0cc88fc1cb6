"""A start page costs the same in a busy week: it renders a bounded list, and
the rows it doesn't show don't make it grow. (Query counts that don't grow
with the data are pinned in tests/applicants/test_query_counts.py.)"""

import datetime
import re

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from applicants.models import Meeting
from tests.factories import CaseFactory, MeetingFactory

SHOWN = 25  # meetings shown today, and for the rest of the week (home/team.html)


def _today_at(hour: int) -> datetime.datetime:
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)


def _more_meetings_like(meeting: Meeting, n: int, staff) -> None:
    """n copies of a meeting (same case, time and place), by bulk insert."""
    fields = {
        f.attname: getattr(meeting, f.attname)
        for f in Meeting._meta.concrete_fields
        if not f.primary_key
    }
    copies = Meeting.objects.bulk_create([Meeting(**fields) for _ in range(n)])
    Meeting.staff.through.objects.bulk_create(
        Meeting.staff.through(meeting_id=m.pk, user_id=u.pk) for m in copies for u in staff
    )


def _page(client, url) -> str:
    html = client.get(url).content.decode()
    # The CSRF token differs on every response; nothing else should.
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1…", html)


class _MeetingsBuilt:
    """Counts the Meeting objects a request builds from database rows."""

    def __init__(self):
        self.n = 0

    def __call__(self, sender, instance, **kwargs):
        self.n += 1

    def __enter__(self):
        post_init.connect(self, sender=Meeting)
        return self

    def __exit__(self, *exc):
        post_init.disconnect(self, sender=Meeting)


def test_my_start_page_is_the_same_however_many_meetings_the_rest_of_the_team_has(
    client, team_member, team_member2
):
    for hour in (9, 11, 13):
        MeetingFactory(starts_at=_today_at(hour), attendance="unknown", staff=[team_member])
    others = MeetingFactory(
        case=CaseFactory(responsible=team_member2),
        starts_at=_today_at(10),
        attendance="unknown",
        staff=[team_member2],
    )
    _more_meetings_like(others, 9, [team_member2])
    client.force_login(team_member)
    url = reverse("home")
    with _MeetingsBuilt() as few:
        quiet_week = _page(client, url)

    _more_meetings_like(others, 2000, [team_member2])
    with _MeetingsBuilt() as many:
        busy_week = _page(client, url)

    assert busy_week == quiet_week
    assert quiet_week.count('class="list-group-item"') == 3
    assert many.n == few.n == 3


def test_the_whole_teams_start_page_shows_a_bounded_list_and_says_how_many_more(
    client, team_member, team_member2
):
    meeting = MeetingFactory(starts_at=_today_at(12), attendance="unknown", staff=[team_member2])
    _more_meetings_like(meeting, 9, [team_member2])
    client.force_login(team_member)
    url = reverse("home") + "?vis=team"
    quiet = _page(client, url)
    assert quiet.count('class="list-group-item"') == 10
    assert "mere i dag" not in quiet

    _more_meetings_like(meeting, 2000 - 10, [team_member2])
    busy = _page(client, url)

    assert busy.count('class="list-group-item"') == SHOWN
    assert f"Og {2000 - SHOWN} møder mere i dag." in busy
    # Bounded: the busy page is no bigger than the quiet one plus the rows shown.
    assert len(busy) < len(quiet) / 10 * (SHOWN + 5)


def test_the_whole_teams_start_page_fetches_only_the_meetings_it_shows(
    client, team_member, team_member2
):
    meeting = MeetingFactory(starts_at=_today_at(12), attendance="unknown", staff=[team_member2])
    _more_meetings_like(meeting, 2000, [team_member2])
    client.force_login(team_member)
    with _MeetingsBuilt() as built:
        client.get(reverse("home") + "?vis=team")
    assert built.n <= 2 * SHOWN


def test_the_caseworker_start_page_shows_the_newest_referrals_and_links_to_all(client, caseworker):
    from applicants.start_pages import SHOWN_REFERRALS
    from tests.factories import CaseFactory

    for _ in range(SHOWN_REFERRALS + 3):
        CaseFactory(referring_caseworker=caseworker)
    client.force_login(caseworker)
    body = client.get(reverse("home")).content.decode()
    assert body.count("<tr>") == SHOWN_REFERRALS + 1  # and the header row
    assert f"Se alle dine {SHOWN_REFERRALS + 3} henviste borgere" in body
    listing = client.get(reverse("applicants:referral_list")).content.decode()
    assert listing.count("<tr>") == SHOWN_REFERRALS + 3 + 1


def _meetings_at(template: Meeting, times) -> None:
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Meeting._meta.concrete_fields
        if not f.primary_key and f.attname != "starts_at"
    }
    Meeting.objects.bulk_create([Meeting(**fields, starts_at=t) for t in times])


@pytest.mark.parametrize(
    ("n_today", "n_week"),
    [(0, 0), (3, 4), (24, 30), (25, 25), (26, 0), (30, 10), (49, 1), (50, 3), (60, 60), (0, 60)],
)
def test_the_two_meeting_sections_hold_the_first_meetings_and_count_the_rest(
    team_member, n_today, n_week
):
    """One query fetches both sections in a normal week; whatever the split,
    each shows its first 25 in time order and says exactly how many more."""
    from applicants.selectors import team_meetings

    monday = datetime.date(2026, 11, 23)
    tz = timezone.get_current_timezone()
    day = datetime.datetime.combine(monday, datetime.time(8), tzinfo=tz)
    template = MeetingFactory(
        starts_at=day - datetime.timedelta(days=1), attendance="unknown", staff=[]
    )
    today_times = [day + datetime.timedelta(minutes=5 * i) for i in range(n_today)]
    week_times = [day + datetime.timedelta(days=1 + i % 6, minutes=i) for i in range(n_week)]
    _meetings_at(template, today_times + week_times)

    got = team_meetings(today=monday)

    assert [m.starts_at for m in got["meetings_today"]] == sorted(today_times)[:SHOWN]
    assert got["meetings_today_more"] == max(0, n_today - SHOWN)
    assert [m.starts_at for m in got["meetings_week"]] == sorted(week_times)[:SHOWN]
    assert got["meetings_week_more"] == max(0, n_week - SHOWN)
