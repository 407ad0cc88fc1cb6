"""The team's case list: filters, search, pagination, CSV, and a query count
that does not grow with the data."""

import pytest
from django.urls import reverse

from applicants.models import Case, Citizen
from mikrolaan.access_log import insert_queries
from tests.factories import CaseFactory, CitizenFactory, ProgrammeFactory


def bulk_cases(n: int, programme, responsible) -> None:
    citizens = Citizen.objects.bulk_create(
        Citizen(
            municipality=programme.municipality,
            first_name=f"Borger{i}",
            last_name="Bulk",
            cpr=f"0101{60 + i % 40:02d}{i:04d}",
        )
        for i in range(n)
    )
    Case.objects.bulk_create(
        Case(
            case_number=f"{programme.municipality.code}-2025-{i:05d}",
            citizen=c,
            programme=programme,
            responsible=responsible,
            source="direct",
            benefit_type="kontanthjaelp",
        )
        for i, c in enumerate(citizens)
    )


@pytest.mark.parametrize("n", [10, 1000])
def test_case_list_query_count_does_not_grow_with_the_cases(
    client, team_member, django_assert_num_queries, n
):
    bulk_cases(n, ProgrammeFactory(), team_member)
    client.force_login(team_member)
    client.get(reverse("applicants:case_list"))  # warm the session
    # 1 session, 2 user with their municipality (also the footer's) and
    # roles, 3 COUNT for the paginator, 4 the ids of the page's cases, 5 those
    # cases with citizen, contact person and programme joined and their
    # meetings counted (stability); then the access-log insert for the
    # citizens on the page. The filters' staff and programmes are cached per
    # municipality (read by the first request).
    with django_assert_num_queries(5 + insert_queries()):
        response = client.get(reverse("applicants:case_list"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == min(n, 50) + 1


def test_filters_by_stage_source_programme_and_responsible(client, team_member, team_lead):
    other = ProgrammeFactory(name="Andet program")
    a = CaseFactory(stage="courses", responsible=team_member)
    b = CaseFactory(stage="inquiry", source="referral", programme=other, responsible=team_lead)
    client.force_login(team_member)

    def shown(query):
        body = client.get(reverse("applicants:case_list") + query).content.decode()
        return {c.case_number for c in (a, b) if c.case_number in body}

    assert shown("") == {a.case_number, b.case_number}
    assert shown("?stage=courses") == {a.case_number}
    assert shown("?source=referral") == {b.case_number}
    assert shown(f"?programme={other.pk}") == {b.case_number}
    assert shown(f"?responsible={team_member.pk}") == {a.case_number}
    assert shown(f"?q={b.case_number}") == {b.case_number}


def test_search_by_full_name_matches_both_names(client, team_member):
    a = CaseFactory(citizen=CitizenFactory(first_name="Sofie", last_name="Jensen"))
    CaseFactory(citizen=CitizenFactory(first_name="Sofie", last_name="Hansen"))
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_list") + "?q=sofie+jensen").content.decode()
    assert a.case_number in body
    assert body.count("Sofie") == 1


def test_csv_export_holds_the_filtered_list(client, team_member):
    a = CaseFactory(stage="courses")
    b = CaseFactory(stage="inquiry")
    client.force_login(team_member)
    response = client.get(reverse("applicants:case_export") + "?stage=courses")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert a.case_number in body and b.case_number not in body
    assert body.splitlines()[0].lstrip("\ufeff").startswith("Journalnummer;Navn;CPR-nummer")


def test_list_is_paginated_by_fifty(client, team_member):
    bulk_cases(51, ProgrammeFactory(), team_member)
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_list")).content.decode()
    assert "Side 1 af 2" in body
    body2 = client.get(reverse("applicants:case_list") + "?side=2").content.decode()
    assert body2.count("<tr>") == 2


def test_the_list_shows_meeting_stability(client, team_member):
    import datetime

    from django.utils import timezone

    from tests.factories import MeetingFactory

    case = CaseFactory()
    past = timezone.now() - datetime.timedelta(days=2)
    MeetingFactory(case=case, starts_at=past, attendance="attended")
    MeetingFactory(case=case, starts_at=past, attendance="absent")
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_list")).content.decode()
    assert "50 %" in body


def test_the_access_log_names_the_citizens_of_the_page_shown_and_no_others(client, team_member):
    """The rows are read as values: the selector itself tells the access log
    which citizens the page showed (name and masked CPR), and only those."""
    from mikrolaan.models import AccessLogEntry

    bulk_cases(55, ProgrammeFactory(), team_member)
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_list") + "?side=2").content.decode()
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == 5
    for entry in entries:
        assert entry.subject_repr in body  # "Borger3 Bulk", the name on the row
    shown_ids = {e.subject_id for e in entries}
    assert shown_ids == {
        str(pk)
        for pk in Citizen.objects.filter(
            first_name__in=[f"Borger{i}" for i in range(5)]
        ).values_list("pk", flat=True)
    }


def test_the_filter_choices_are_cached_and_renewed_when_the_team_or_programmes_change(
    client, team_member
):
    from mikrolaan.roles import Role
    from tests.factories import UserFactory

    ProgrammeFactory(name="Forår")
    client.force_login(team_member)
    url = reverse("applicants:case_list")
    assert "Forår" in client.get(url).content.decode()

    ProgrammeFactory(name="Efterår")
    assert "Efterår" in client.get(url).content.decode()

    newcomer = UserFactory(first_name="Nyansat", last_name="Medarbejder", role=Role.TEAM_MEMBER)
    assert "Nyansat Medarbejder" in client.get(url).content.decode()

    newcomer.is_active = False
    newcomer.save()
    assert "Nyansat Medarbejder" not in client.get(url).content.decode()
