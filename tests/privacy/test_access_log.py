"""The access log for the team lead and the DPO, its CSV, and the citizen's
own "who has looked at my data" (GDPR art. 15)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from applicants.models import Citizen
from mikrolaan.audit import log_access
from mikrolaan.exports import neutralise
from mikrolaan.models import AccessLogEntry, AuditEvent
from mikrolaan.roles import Role
from tests.factories import CitizenFactory, UserFactory

URL = reverse("privacy:access_log")


def _read(actor, citizen, what="Forløbssiden", at=None):
    entry = log_access(actor=actor, subject=citizen, what=what)
    if at is not None:
        # The log is append-only; tests move a row in time under it.
        from django.db import models

        models.QuerySet(model=AccessLogEntry).filter(pk=entry.pk).update(created_at=at)
    return entry


def test_team_lead_sees_who_read_whose_data(client, team_lead, team_member):
    ida = CitizenFactory(first_name="Ida", last_name="Holm")
    _read(team_member, ida, what="CPR-nummer på forløbssiden")
    client.force_login(team_lead)
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ida Holm" in text
    assert "CPR-nummer på forløbssiden" in text
    assert "Mikrolånsmedarbejder" in text  # the reader's role


def test_filters_by_citizen_user_and_period(client, administrator, team_member, team_member2):
    ida = CitizenFactory(first_name="Ida", last_name="Holm")
    ole = CitizenFactory(first_name="Ole", last_name="Bak")
    now = timezone.now()
    _read(team_member, ida, what="read-1", at=now - datetime.timedelta(days=10))
    _read(team_member2, ida, what="read-2", at=now)
    _read(team_member, ole, what="read-3", at=now)
    client.force_login(administrator)

    def whats(**params):
        entries = client.get(URL, params).context["entries"]
        # Looking at a citizen's rows on this page is itself a read, logged
        # as such: only the test's own reads are compared here.
        return sorted(e.what for e in entries if e.what.startswith("read-"))

    assert whats(borger=ida.pk) == ["read-1", "read-2"]
    assert whats(subject_text="bak") == ["read-3"]
    assert whats(actor_text=team_member2.username) == ["read-2"]
    day = timezone.localdate() - datetime.timedelta(days=10)
    assert whats(date_from=day, date_to=day) == ["read-1"]
    assert whats(date_from=timezone.localdate()) == ["read-2", "read-3"]


def test_a_cpr_number_is_refused_as_search_text(client, team_lead):
    client.force_login(team_lead)
    response = client.get(URL, {"subject_text": "010185-1234"})
    assert response.context["form"].errors["subject_text"]


def test_access_log_page_query_count_does_not_grow(
    client, team_lead, team_member, django_assert_num_queries
):
    citizen = CitizenFactory()
    client.force_login(team_lead)

    def count_for(n):
        for _i in range(n):
            _read(team_member, citizen)
        # session, user with their municipality (also the footer's) and
        # roles, count, page of rows, the readers' groups (roles)
        with django_assert_num_queries(5):
            client.get(URL)

    count_for(2)
    count_for(40)


def test_csv_is_semicolon_separated_utf8_with_bom_and_neutralised(client, team_lead, team_member):
    evil = CitizenFactory(first_name="=HYPERLINK(1)", last_name="Ørsted")
    _read(team_member, evil, what="@SUM(A1)")
    client.force_login(team_lead)
    response = client.get(reverse("privacy:access_log_export"))
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("Tidspunkt;Læst af;")
    cells = row.split(";")
    assert "'=HYPERLINK(1) Ørsted" in cells
    assert "'@SUM(A1)" in cells
    event = AuditEvent.objects.get(action="access_log.exported")
    assert event.actor == team_lead


def test_neutralise_prefixes_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}1") == f"'{start}1"
    assert neutralise("Ida") == "Ida"
    assert neutralise(None) == ""


# --- the citizen's own page -----------------------------------------------------------


MY_URL = reverse("privacy:my_access_log")


def test_citizen_sees_staff_reads_of_own_data_only(client, citizen_user, team_member):
    me = CitizenFactory(user=citizen_user)
    other = CitizenFactory()
    _read(team_member, me, what="Mit forløb læst")
    _read(team_member, other, what="En andens forløb")
    _read(citizen_user, me, what="Mit eget opslag")
    client.force_login(citizen_user)
    response = client.get(MY_URL)
    whats = [e.what for e in response.context["entries"]]
    assert whats == ["Mit forløb læst"]
    text = response.content.decode()
    assert team_member.get_full_name() in text
    assert "Mikrolånsmedarbejder" in text
    assert "En andens forløb" not in text


def test_citizen_without_a_record_sees_an_empty_page(client, citizen_user):
    client.force_login(citizen_user)
    response = client.get(MY_URL)
    assert response.status_code == 200
    assert response.context["entries"] == []


def test_citizen_page_query_count_does_not_grow(
    client, citizen_user, team_member, django_assert_num_queries
):
    me = CitizenFactory(user=citizen_user)
    client.force_login(citizen_user)
    client.get(MY_URL)  # the first page of a visit also slides the idle timeout

    def count_for(n):
        for _i in range(n):
            _read(team_member, me)
        # session, user with their municipality (also the footer's) and
        # roles, the citizen, count, page of rows, the readers' groups. The
        # citizen's own record leaves no access-log row.
        with django_assert_num_queries(6):
            client.get(MY_URL)

    count_for(1)
    count_for(30)


def test_reads_are_kept_by_subject_type(team_member):
    citizen = CitizenFactory()
    entry = _read(team_member, citizen)
    assert entry.subject_type == ContentType.objects.get_for_model(Citizen)
    assert UserFactory(role=Role.CITIZEN)  # citizens without reads have an empty page
