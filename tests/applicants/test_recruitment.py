"""Recruitment: referrals by caseworkers, direct inquiries, the phone interview,
and a second inquiry for a citizen with an open case."""

import pytest
from django.urls import reverse

from applicants.models import Case, CaseTransition, Citizen, PhoneInterview
from mikrolaan.roles import Role
from tests.factories import CaseFactory, CitizenFactory, MeetingFactory, UserFactory

INTAKE = {
    "first_name": "Ida",
    "last_name": "Holm",
    "cpr": "0101851234",
    "street": "Søndergade 1",
    "postcode": "8000",
    "city": "Aarhus C",
    "phone": "12345678",
    "email": "ida@example.dk",
    "benefit_type": "sygedagpenge",
    "business_idea": "Keramikværksted med webshop",
    "industry": "Kunsthåndværk",
    "referral_reason": "Har drevet værksted før og er meget motiveret.",
}


def test_a_caseworker_refers_a_citizen(client, caseworker):
    client.force_login(caseworker)
    data = {**INTAKE, "cpr": "010185-1234"}
    check = client.post(reverse("applicants:referral_create"), data)
    # First "Tjek dine svar": nothing is sent yet, every answer can be changed.
    assert check.status_code == 200
    body = check.content.decode()
    assert "Tjek dine svar" in body and "010185-1234" in body and 'name="edit"' in body
    assert not Case.objects.exists()
    response = client.post(reverse("applicants:referral_create"), {**data, "confirm": "1"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.source, case.referring_caseworker, case.stage) == (
        "referral",
        caseworker,
        "inquiry",
    )
    assert case.citizen.cpr == "0101851234"
    assert case.case_number.startswith(f"751-{case.created_at.year}-")
    assert case.municipality == caseworker.profile.municipality
    assert case.referral_reason == INTAKE["referral_reason"]
    assert CaseTransition.objects.get(case=case).to_stage == "inquiry"


def test_changing_an_answer_from_the_check_keeps_what_was_typed(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("applicants:referral_create"), {**INTAKE, "edit": "phone"})
    body = response.content.decode()
    assert 'value="12345678"' in body and 'value="Holm"' in body
    assert "Der er problemer" not in body
    assert not Case.objects.exists()


def test_a_referral_needs_the_reason(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("applicants:referral_create"), {**INTAKE, "referral_reason": ""})
    assert response.status_code == 200
    assert "Der er problemer" in response.content.decode()
    assert not Case.objects.exists()


def test_the_team_registers_a_direct_inquiry(client, team_member):
    client.force_login(team_member)
    response = client.post(reverse("applicants:inquiry_create"), INTAKE)
    case = Case.objects.get()
    assert response.url == reverse("applicants:case_detail", args=[case.pk])
    assert (case.source, case.referring_caseworker, case.responsible) == (
        "direct",
        None,
        team_member,
    )
    assert case.programme is not None


def test_case_numbers_count_up_within_the_year(team_member):
    from django.db import transaction

    from applicants.services import next_case_number
    from tests.factories import municipality

    home, other = municipality(), municipality("740")
    with transaction.atomic():
        first, second = (next_case_number(municipality=home, year=2031) for _ in range(2))
        elsewhere = next_case_number(municipality=other, year=2031)
    assert (first, second) == ("751-2031-00001", "751-2031-00002")
    assert elsewhere == "740-2031-00001"


def test_a_second_inquiry_for_an_open_case_is_refused_with_a_link(client, team_member):
    case = CaseFactory(citizen=CitizenFactory(cpr="0101851234"))
    client.force_login(team_member)
    response = client.post(reverse("applicants:inquiry_create"), INTAKE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Borgeren har allerede et åbent forløb." in body
    assert reverse("applicants:case_detail", args=[case.pk]) in body
    assert Case.objects.count() == 1


def test_a_caseworker_is_not_shown_a_link_to_a_case_they_did_not_refer(client, caseworker):
    case = CaseFactory(citizen=CitizenFactory(cpr="0101851234"))
    client.force_login(caseworker)
    body = client.post(reverse("applicants:referral_create"), INTAKE).content.decode()
    assert "allerede et åbent forløb hos mikrolånsteamet" in body
    assert case.case_number not in body
    assert f"/forloeb/{case.pk}/" not in body


def test_a_caseworker_who_referred_the_open_case_gets_its_status_link(client, caseworker):
    case = CaseFactory(citizen=CitizenFactory(cpr="0101851234"), referring_caseworker=caseworker)
    client.force_login(caseworker)
    body = client.post(reverse("applicants:referral_create"), INTAKE).content.decode()
    assert reverse("applicants:referral_status", args=[case.pk]) in body


def test_a_citizen_whose_case_closed_can_start_again(client, team_member):
    old = CaseFactory(citizen=CitizenFactory(cpr="0101851234"), stage="withdrawn")
    client.force_login(team_member)
    client.post(reverse("applicants:inquiry_create"), INTAKE)
    assert Citizen.objects.count() == 1
    new = Case.objects.exclude(pk=old.pk).get()
    assert new.citizen_id == old.citizen_id and new.stage == "inquiry"


def test_a_caseworker_sees_only_their_referrals_name_stage_and_next_meeting(
    client, caseworker, team_member
):
    mine = CaseFactory(referring_caseworker=caseworker, stage="courses")
    MeetingFactory(case=mine, starts_at=mine.created_at.replace(year=2099), attendance="unknown")
    other_cw = UserFactory(role=Role.CASEWORKER)
    theirs = CaseFactory(referring_caseworker=other_cw)
    direct = CaseFactory()
    client.force_login(caseworker)
    body = client.get(reverse("home")).content.decode()
    assert mine.citizen.full_name in body
    assert "Kompetenceforløb" in body
    assert "2099" in body
    for hidden in (theirs, direct):
        assert hidden.citizen.full_name not in body
    # Nothing else of the citizen: no CPR, no case number, no business idea.
    assert mine.case_number not in body
    assert mine.citizen.cpr[:6] not in body
    assert mine.business_idea not in body


def test_a_caseworker_cannot_open_a_citizen_they_did_not_refer(client, caseworker):
    theirs = CaseFactory(referring_caseworker=UserFactory(role=Role.CASEWORKER))
    client.force_login(caseworker)
    assert client.get(reverse("applicants:referral_status", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("applicants:case_detail", args=[theirs.pk])).status_code == 403


def test_the_referral_status_page_shows_only_name_stage_and_next_meeting(client, caseworker):
    mine = CaseFactory(referring_caseworker=caseworker)
    client.force_login(caseworker)
    body = client.get(reverse("applicants:referral_status", args=[mine.pk])).content.decode()
    assert mine.citizen.full_name in body and "Henvendelse" in body
    assert mine.case_number not in body and mine.citizen.phone not in body


@pytest.mark.parametrize(
    "answers,ok",
    [
        ({"in_target_group": "yes", "realistic": "yes", "motivated": "no"}, True),
        ({"in_target_group": "yes", "realistic": "yes"}, False),
    ],
)
def test_the_phone_interview_is_recorded_with_who_and_when(client, team_member, answers, ok):
    case = CaseFactory(stage="phone_interview")
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:phone_interview_create", args=[case.pk]),
        {**answers, "held_at": "2026-01-05T10:00", "notes": "God samtale"},
    )
    if ok:
        assert response.status_code == 302
        interview = PhoneInterview.objects.get()
        assert interview.conducted_by == team_member
        assert (interview.in_target_group, interview.motivated) == (True, False)
    else:
        assert response.status_code == 200
        assert "Der er problemer" in response.content.decode()
        assert 'value="God samtale"' in response.content.decode() or "God samtale" in (
            response.content.decode()
        )


def test_editing_citizen_data_is_audited_and_logged(client, team_member):
    from mikrolaan.models import AccessLogEntry, AuditEvent

    case = CaseFactory(citizen=CitizenFactory(cpr="0101851234"))
    client.force_login(team_member)
    client.get(reverse("applicants:citizen_edit", args=[case.pk]))
    assert AccessLogEntry.objects.count() == 1
    data = {
        "first_name": "Nyt",
        "last_name": "Navn",
        "cpr": "010185-1234",
        "street": "",
        "postcode": "",
        "city": "",
        "phone": "",
        "email": "",
    }
    response = client.post(reverse("applicants:citizen_edit", args=[case.pk]), data)
    assert response.status_code == 302
    case.citizen.refresh_from_db()
    assert case.citizen.full_name == "Nyt Navn"
    event = AuditEvent.objects.get(action="citizen.changed")
    assert "first_name" in event.data["fields"]
    assert "Nyt" not in str(event.data)


def test_the_team_assigns_a_contact_person_and_the_change_is_audited(
    client, team_member, team_lead
):
    from mikrolaan.models import AuditEvent

    case = CaseFactory()
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:case_edit", args=[case.pk]),
        {"responsible": team_lead.pk, "benefit_type": "sygedagpenge", "industry": "Café"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.responsible, case.benefit_type, case.industry) == (
        team_lead,
        "sygedagpenge",
        "Café",
    )
    event = AuditEvent.objects.get(action="case.changed")
    assert set(event.data["fields"]) == {"responsible", "benefit_type", "industry", "business_idea"}


def test_bad_citizen_data_gives_danish_errors_and_keeps_the_input(client, team_member):
    case = CaseFactory()
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:citizen_edit", args=[case.pk]),
        {
            "first_name": "Ida",
            "last_name": "",
            "cpr": "999999-9999",
            "postcode": "80",
            "email": "ikke-en-mail",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer" in body
    assert "Postnummeret skal være 4 cifre." in body
    assert "gyldig fødselsdato" in body
    assert 'value="ikke-en-mail"' in body and 'value="999999-9999"' in body
