"""Staff register the person profile for a citizen who cannot use the
portal (on paper, or filled in together at the meeting)."""

import pytest
from django.urls import reverse

from applicants.models import Case
from applicants.portal import services as portal
from applicants.portal.demo import PERSON_PROFILE
from applicants.portal.models import FormStatus, FormVersion, PortalForm
from applicants.services import transition_case
from mikrolaan.models import AccessLogEntry, AuditEvent
from mikrolaan.tenancy import unscoped
from tests.factories import CaseFactory, CitizenFactory, MeetingFactory

NAME = "applicants:person_profile_for_citizen"


@pytest.fixture
def waiting(db, team_member):
    """A case at the second meeting, held, whose citizen has no login."""
    case = CaseFactory(stage="second_meeting", citizen=CitizenFactory(email=""))
    MeetingFactory(case=case, kind="second", staff=[team_member])
    return case


def test_the_case_page_links_to_the_page_while_the_profile_is_missing(client, waiting, team_member):
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_detail", args=[waiting.pk])).content.decode()
    assert "Registrér personprofilen for borgeren" in body
    assert reverse(NAME, args=[waiting.pk]) in body


def test_a_staff_registered_profile_lets_the_case_leave_the_second_meeting(
    client, waiting, team_member
):
    client.force_login(team_member)
    page = client.get(reverse(NAME, args=[waiting.pk]))
    assert page.status_code == 200
    assert "Hvilket arbejde har du haft?" in page.content.decode()
    response = client.post(
        reverse(NAME, args=[waiting.pk]), {**PERSON_PROFILE, "received_as": "paper"}
    )
    assert response.status_code == 302
    version = FormVersion.objects.get(form__case=waiting)
    assert version.status == FormStatus.SUBMITTED
    assert version.submitted_by == team_member
    assert version.received_as == "paper"
    assert version.answers["network"] == PERSON_PROFILE["network"]
    event = AuditEvent.objects.filter(action="portal_form.submitted").get()
    assert event.data == {"received_as": "paper"}
    review = client.get(response.url).content.decode()
    assert "Registreret af Alice" in review and "(papir)" in review
    transition_case(case=waiting, transition="to_screening_1", actor=team_member)
    assert Case.objects.get(pk=waiting.pk).stage == "screening_1"


def test_it_starts_from_the_citizens_draft(client, waiting, team_member):
    form = portal.form_for(waiting, "person_profile")
    portal.save_draft(actor=None, form=form, values={"languages": "Dansk og arabisk"})
    client.force_login(team_member)
    body = client.get(reverse(NAME, args=[waiting.pk])).content.decode()
    assert 'value="Dansk og arabisk"' in body


def test_bad_input_shows_danish_errors_and_keeps_what_was_typed(client, waiting, team_member):
    client.force_login(team_member)
    response = client.post(
        reverse(NAME, args=[waiting.pk]), {"education": "Bagersvend", "network": "Min søster"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Der er problemer" in body
    assert "Skriv, hvilket arbejde du har haft" in body
    assert "Vælg, hvordan svarene er modtaget" in body
    assert "Bagersvend" in body and "Min søster" in body
    assert not FormVersion.objects.exists()


def test_the_citizen_sees_who_registered_it(client, citizen_user, team_member):
    case = CaseFactory(stage="second_meeting", citizen=CitizenFactory(user=citizen_user))
    portal.register_for_citizen(
        actor=team_member,
        case=case,
        kind="person_profile",
        values=PERSON_PROFILE,
        received_as="meeting",
    )
    client.force_login(citizen_user)
    body = client.get(reverse("portal:form_overview", args=["person-profile"])).content.decode()
    assert "Registreret af Alice" in body and "udfyldt sammen på et møde" in body
    version = FormVersion.objects.get()
    pdf = client.get(reverse("portal:version_pdf", args=[version.pk]))
    assert pdf.status_code == 200


def test_the_page_is_logged_as_a_read_of_the_citizen(client, waiting, team_member):
    client.force_login(team_member)
    client.get(reverse(NAME, args=[waiting.pk]))
    entry = AccessLogEntry.objects.get()
    assert entry.subject == waiting.citizen
    assert entry.what == "Registrering af personprofilen for borgeren"


@pytest.mark.parametrize("role", ["caseworker", "citizen_user", "mentor"])
def test_other_roles_are_refused(client, waiting, role, request):
    client.force_login(request.getfixturevalue(role))
    for method in (client.get, client.post):
        response = method(
            reverse(NAME, args=[waiting.pk]), {**PERSON_PROFILE, "received_as": "paper"}
        )
        assert response.status_code in (403, 404)
    assert not PortalForm.objects.exists()


def test_another_municipalitys_case_is_404(client, team_member):
    with unscoped():
        other = Case.objects.get(case_number="740-1999-00001")
    client.force_login(team_member)
    assert client.get(reverse(NAME, args=[other.pk])).status_code == 404
    response = client.post(
        reverse(NAME, args=[other.pk]), {**PERSON_PROFILE, "received_as": "paper"}
    )
    assert response.status_code == 404
    with unscoped():
        assert not PortalForm.objects.filter(case=other).exists()


def test_a_profile_waiting_for_review_is_not_registered_twice(client, waiting, team_member):
    portal.register_for_citizen(
        actor=team_member,
        case=waiting,
        kind="person_profile",
        values=PERSON_PROFILE,
        received_as="paper",
    )
    client.force_login(team_member)
    response = client.post(
        reverse(NAME, args=[waiting.pk]), {**PERSON_PROFILE, "received_as": "paper"}
    )
    assert response.status_code == 302
    assert FormVersion.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_team_member_registers_the_profile_in_the_browser(live_server, browser_page):
    from tests.browser import assert_accessible, login, screenshot
    from tests.factories import UserFactory

    page = browser_page
    with unscoped():
        staff = UserFactory(username="alice", first_name="Alice", role="team_member")
        case = CaseFactory(stage="second_meeting", citizen=CitizenFactory(email=""))
        MeetingFactory(case=case, kind="second", staff=[staff])
    login(page, live_server, staff)
    page.goto(f"{live_server.url}{reverse('applicants:case_detail', args=[case.pk])}")
    page.get_by_role("link", name="Registrér personprofilen for borgeren").click()
    page.get_by_label("Hvilken uddannelse og hvilke kurser har du?").fill("Bagersvend")
    page.get_by_role("button", name="Send skemaet på borgerens vegne").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Der er problemer").is_visible()
    assert page.get_by_label("Hvilken uddannelse og hvilke kurser har du?").input_value() == (
        "Bagersvend"
    )
    assert_accessible(page)
    screenshot(page, "person-profile-for-citizen-errors")
    for label, value in (
        ("Hvilket arbejde har du haft?", PERSON_PROFILE["work_experience"]),
        ("Hvad er du god til?", PERSON_PROFILE["competences"]),
        ("Hvem kan du spørge om hjælp eller råd?", PERSON_PROFILE["network"]),
        ("Hvorfor vil du være selvstændig?", PERSON_PROFILE["motivation"]),
    ):
        page.get_by_label(label).fill(value)
    page.get_by_label("papir").check()
    page.get_by_role("button", name="Send skemaet på borgerens vegne").click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("Registreret af Alice").wait_for()
    assert_accessible(page)
    screenshot(page, "person-profile-for-citizen-review")
