"""Signing in and out, login throttling, and the house-style error pages."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_danish(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="da">' in response.content.decode()
    assert "Log ind" in response.content.decode()


def test_right_password_signs_in_and_lands_on_start_page(client, team_member):
    response = _login(client, team_member.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_shows_danish_error_summary_and_keeps_username(client, team_member):
    response = _login(client, team_member.username, "forkert")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer" in body
    assert f'value="{team_member.username}"' in body


def test_login_is_throttled_after_five_failures(client, team_member, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        _login(client, team_member.username, "forkert")
    response = _login(client, team_member.username, PASSWORD)
    # Locked out: even the right password is refused for the cool-off period.
    assert response.status_code == 429
    assert "For mange forkerte forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_user_does_not_lock_another(client, team_member, team_lead):
    for _ in range(5):
        _login(client, team_member.username, "forkert")
    response = _login(client, team_lead.username, PASSWORD)
    assert response.status_code == 302


def test_one_address_trying_many_usernames_is_locked_out(client, team_member, settings):
    settings.AXES_IP_FAILURE_LIMIT = 30
    for n in range(29):
        response = _login(client, f"gaet{n}", "forkert")
        assert response.status_code == 200, n  # each username fails only once
    # The 30th failure locks the address: even a real user's right password is refused.
    assert _login(client, "gaet29", "forkert").status_code == 429
    response = _login(client, team_member.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not.
    response = client.post(
        reverse("login"),
        {"username": team_member.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302


def test_colleagues_sharing_an_address_are_not_locked_by_one_users_typos(
    client, team_member, team_lead
):
    # 4 typos each from 7 people at one jobcentre address: 28 failures, below 30.
    for n in range(7):
        for _ in range(4):
            _login(client, f"kollega{n}", "forkert")
    assert _login(client, team_lead.username, PASSWORD).status_code == 302


def test_behind_the_proxy_the_last_forwarded_address_counts(rf, settings):
    from mikrolaan.throttling import client_ip_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.9.8.7", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip_address(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip_address(request) == "10.9.8.7"


def test_logout_needs_post_and_ends_the_session(client, team_member):
    client.force_login(team_member)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_mail_without_revealing_whether_user_exists(
    client, team_member, mailoutbox
):
    for email in (team_member.email, "findes.ikke@example.dk"):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "Ny adgangskode" in mailoutbox[0].subject


def test_forbidden_page_is_in_house_style(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("municipality_settings"))
    assert response.status_code == 403
    assert "Du har ikke adgang til denne side" in response.content.decode()


def test_missing_page_is_in_house_style(client, team_member, settings):
    settings.DEBUG = False
    client.force_login(team_member)
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


@pytest.mark.parametrize(
    "fixture,heading",
    [
        ("team_member", "Mit overblik"),
        ("team_lead", "Mit overblik"),
        ("caseworker", "Mine henviste borgere"),
        ("citizen_user", "Min virksomhed"),
        ("mentor", "Mine iværksættere"),
        ("administrator", "Administration"),
    ],
)
def test_each_role_has_its_start_page(client, request, fixture, heading):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_user_without_role_is_told_to_contact_the_administrator(client, stranger):
    client.force_login(stranger)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "Kontakt kommunens administrator" in response.content.decode()


def test_english_is_available_through_the_language_switch(client, team_member):
    client.force_login(team_member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "<h1>My overview</h1>" in body
    assert "Log out" in body
