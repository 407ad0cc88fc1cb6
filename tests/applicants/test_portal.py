"""The citizen's start page and withdrawal from the portal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import Case
from mikrolaan.roles import Role
from tests.factories import CaseFactory, CitizenFactory, MeetingFactory, UserFactory


def test_the_citizen_sees_their_stage_in_plain_danish_and_coming_meetings(
    client, case, citizen_user, team_member
):
    Case.objects.filter(pk=case.pk).update(stage="second_meeting")
    MeetingFactory(
        case=case,
        kind="second",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        attendance="unknown",
        place="Café Englen",
        staff=[team_member],
    )
    MeetingFactory(case=case, place="Café Gammel")  # held yesterday: not upcoming
    client.force_login(citizen_user)
    body = client.get(reverse("home")).content.decode()
    assert "Det andet møde" in body
    assert "Café Englen" in body and "Café Gammel" not in body
    assert reverse("applicants:portal_withdraw") in body


def test_the_citizen_withdraws_after_a_confirmation_page(client, case, citizen_user, sent_letters):
    client.force_login(citizen_user)
    page = client.get(reverse("applicants:portal_withdraw")).content.decode()
    assert "Vil du trække dig fra forløbet?" in page
    assert Case.objects.get(pk=case.pk).stage == "inquiry"
    response = client.post(reverse("applicants:portal_withdraw"), {"reason": "Har fået job"})
    assert response.url == reverse("home")
    assert Case.objects.get(pk=case.pk).stage == "withdrawn"
    _name, _args, kwargs = sent_letters.calls[0]
    assert (kwargs["initiated_by"], kwargs["reason"]) == ("citizen", "Har fået job")
    body = client.get(reverse("home")).content.decode()
    assert "Du er trådt ud af forløbet" in body
    assert reverse("applicants:portal_withdraw") not in body


def test_a_citizen_cannot_withdraw_someone_elses_case(case):
    from django.core.exceptions import PermissionDenied

    from applicants.services import transition_case

    other = UserFactory(role=Role.CITIZEN)
    with pytest.raises(PermissionDenied):
        transition_case(case=case, transition="withdraw", actor=other)
    assert Case.objects.get(pk=case.pk).stage == "inquiry"


def test_a_citizen_without_an_open_case_gets_404_on_withdraw(client, db):
    user = UserFactory(role=Role.CITIZEN)
    CaseFactory(citizen=CitizenFactory(user=user), stage="declined")
    client.force_login(user)
    assert client.get(reverse("applicants:portal_withdraw")).status_code == 404


def test_the_citizen_cannot_open_the_case_page(client, case, citizen_user):
    client.force_login(citizen_user)
    assert client.get(reverse("applicants:case_detail", args=[case.pk])).status_code == 403


def test_a_withdrawal_from_the_portal_is_signed_by_the_contact_person(
    case, citizen_user, team_member, sent_letters
):
    from applicants.services import transition_case

    Case.objects.filter(pk=case.pk).update(responsible=team_member)
    case.refresh_from_db()
    transition_case(case=case, transition="withdraw", actor=citizen_user)
    _name, _args, kwargs = sent_letters.calls[0]
    assert kwargs["author"] == team_member


def test_citizen_start_page_lists_own_letters_only(client, citizen_user):
    from tests.letters.helpers import make_letter

    own_case = CaseFactory(citizen=CitizenFactory(user=citizen_user))
    own = make_letter(case=own_case, subject="Invitation til møde")
    other = make_letter(subject="Et andet menneskes afgørelse")
    pending = make_letter(case=own_case, subject="Ikke dannet endnu", status="pending")
    client.force_login(citizen_user)
    page = client.get(reverse("home")).content.decode()
    assert "Dine breve" in page
    assert reverse("letters:download", args=[own.pk]) in page
    assert reverse("letters:download", args=[other.pk]) not in page
    assert "Ikke dannet endnu" not in page and pending.pk
    assert client.get(reverse("letters:download", args=[own.pk])).status_code == 200
    assert client.get(reverse("letters:download", args=[other.pk])).status_code == 404
