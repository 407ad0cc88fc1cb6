"""Input that is not text is refused with a 400, pages are never cached, and
every page carries the Content-Security-Policy and Permissions-Policy."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, CitizenFactory


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=abc%00def", "%00=1", "q=%ff%fe", "q=%ed%a0%80", "stage=%C3"],
)
def test_a_query_string_that_is_not_text_gets_the_house_style_400(client, team_member, query):
    client.force_login(team_member)
    for name in ("applicants:case_export", "applicants:case_list"):
        response = client.get(reverse(name) + "?" + query)
        assert response.status_code == 400, (name, query)
        body = response.content.decode()
        assert "Siden kunne ikke vises" in body
        assert '<html lang="da">' in body


def test_a_form_with_a_nul_byte_gets_a_400_and_nothing_is_saved(client, team_member):
    client.force_login(team_member)
    case = CaseFactory(citizen=CitizenFactory(first_name="Ida"))
    url = reverse("applicants:citizen_edit", args=[case.pk])
    data = {"first_name": "Ida\x00", "last_name": "Holm", "cpr": "0101851234"}
    assert client.post(url, data).status_code == 400  # multipart
    response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    case.citizen.refresh_from_db()
    assert case.citizen.first_name == "Ida"


def test_a_form_body_that_is_not_utf8_gets_a_400(client, team_member):
    client.force_login(team_member)
    response = client.generic(
        "POST",
        reverse("applicants:case_list"),
        b"q=%ff%fe",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_ordinary_danish_text_passes(client, team_member):
    case = CaseFactory(citizen=CitizenFactory(first_name="Søren", last_name="Ærø"))
    client.force_login(team_member)
    response = client.get(reverse("applicants:case_list") + "?q=S%C3%B8ren+%C3%86r%C3%B8")
    assert response.status_code == 200
    assert case.case_number in response.content.decode()


def test_a_search_of_430_words_is_answered(client, team_member):
    case = CaseFactory(citizen=CitizenFactory(first_name="Sofie", last_name="Jensen"))
    client.force_login(team_member)
    words = "+".join(["sofie", "jensen"] * 215)
    response = client.get(reverse("applicants:case_list") + "?q=" + words)
    assert response.status_code == 200
    assert case.case_number in response.content.decode()
    export = client.get(reverse("applicants:case_export") + "?q=" + words)
    assert export.status_code == 200
    assert case.case_number in b"".join(export.streaming_content).decode()


def test_a_formula_in_a_name_is_exported_as_text(client, team_member):
    CaseFactory(citizen=CitizenFactory(first_name='=HYPERLINK("http://x.example";"Klik")'))
    client.force_login(team_member)
    body = b"".join(client.get(reverse("applicants:case_export")).streaming_content).decode()
    row = body.splitlines()[1]
    assert ";\"'=HYPERLINK(" in row
    assert ';"=HYPERLINK' not in row and ";=HYPERLINK" not in row


@pytest.mark.parametrize("signed_in", [True, False])
def test_pages_are_never_stored_by_browsers_or_proxies(client, team_member, signed_in):
    if signed_in:
        client.force_login(team_member)
        urls = [reverse("home"), reverse("applicants:case_list"), reverse("applicants:case_export")]
    else:
        urls = [reverse("login"), "/findes-ikke/"]
    for url in urls:
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_static_files_keep_their_caching(client, db):
    response = client.get("/static/css/mikrolaan.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_carry_a_strict_content_security_policy(client, team_member):
    client.force_login(team_member)
    for url in (reverse("home"), reverse("login"), reverse("applicants:case_list")):
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in client.get(url)["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'"
        assert "unsafe-inline" not in policy["script-src"]
        assert "unsafe-inline" not in policy["style-src"]
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"


def test_pages_carry_a_permissions_policy(client, db):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
        assert feature in policy
