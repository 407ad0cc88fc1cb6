"""Signing in to the portal with a link sent by e-mail: single use, short
lived, rate-limited, and the same answer whether or not the address is known."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applicants.portal import services
from tests.applicants.portal_helpers import at_stage

LINK = re.compile(r"http://[^\s]+/konto/login/borger/link/\?link=[^\s]+")


def _link_path(message) -> str:
    url = LINK.search(message.body).group(0)
    return url.split("127.0.0.1:8000", 1)[1] if "127.0.0.1:8000" in url else url


@pytest.fixture
def invited(case, team_member):
    at_stage(case)
    services.invite_citizen(actor=team_member, case=case)
    return case


def test_staff_invite_a_citizen_from_the_case_page(
    client, case, team_member, django_capture_on_commit_callbacks
):
    case.citizen.user = None
    case.citizen.save()
    client.force_login(team_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applicants:portal_invite", args=[case.pk]))
    assert response.status_code == 302
    case.citizen.refresh_from_db()
    assert case.citizen.user is not None
    assert case.citizen.user.has_usable_password() is False
    assert len(mail.outbox) == 1
    assert LINK.search(mail.outbox[0].body)
    # No personal data in the e-mail beyond the address it goes to.
    assert case.citizen.last_name not in mail.outbox[0].body


def test_the_link_signs_in_once(client, invited, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    services.request_sign_in_link(email=invited.citizen.email, ip_address="10.0.0.1")
    path = _link_path(mail.outbox[0])
    # Opening the link (a mail program checking it) does not use it up.
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    again = client.post(path)
    assert "Linket virker ikke længere" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_link_expires(client, invited, settings):
    mail.outbox.clear()
    services.request_sign_in_link(email=invited.citizen.email, ip_address="10.0.0.1")
    path = _link_path(mail.outbox[0])
    import sesame.settings

    settings.SESAME_MAX_AGE = -1  # every link is already too old
    sesame.settings.load()
    try:
        response = client.post(path)
    finally:
        settings.SESAME_MAX_AGE = 15 * 60
        sesame.settings.load()
    assert "Linket virker ikke længere" in response.content.decode()


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, invited):
    mail.outbox.clear()
    known = client.post(reverse("portal:sign_in"), {"email": invited.citizen.email})
    unknown = client.post(reverse("portal:sign_in"), {"email": "ingen@example.dk"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("portal:sign_in_sent")
    assert len(mail.outbox) == 1


def test_links_are_rate_limited_per_address(invited, settings):
    mail.outbox.clear()
    settings.PORTAL_LINKS_PER_ADDRESS = 2
    for i in range(4):
        services.request_sign_in_link(email=invited.citizen.email, ip_address=f"10.0.0.{i}")
    assert len(mail.outbox) == 2


def test_links_are_rate_limited_per_client_address(invited, settings):
    mail.outbox.clear()
    settings.PORTAL_LINKS_PER_IP = 3
    for i in range(5):
        services.request_sign_in_link(email=f"x{i}@example.dk", ip_address="10.9.9.9")
    assert (
        services.request_sign_in_link(email=invited.citizen.email, ip_address="10.9.9.9") is False
    )
    assert mail.outbox == []
    # Another client is not held back.
    assert services.request_sign_in_link(email=invited.citizen.email, ip_address="10.1.1.1")


def test_no_e_mail_address_is_stored_for_the_rate_limit(invited):
    from applicants.models import SignInRequest

    services.request_sign_in_link(email=invited.citizen.email, ip_address="10.0.0.1")
    row = SignInRequest.objects.get()
    assert invited.citizen.email not in row.address_hash
    assert row.at <= timezone.now()


def test_a_staff_users_address_gets_no_link(team_member):
    mail.outbox.clear()
    assert services.request_sign_in_link(email=team_member.email, ip_address="10.0.0.1") is False
    assert mail.outbox == []


def test_a_citizen_without_an_e_mail_address_cannot_be_invited(case, team_member):
    case.citizen.email = ""
    case.citizen.save()
    with pytest.raises(services.PortalError):
        services.invite_citizen(actor=team_member, case=case)
