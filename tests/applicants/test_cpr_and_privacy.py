"""CPR numbers: accepted with or without the dash, no modulus-11 demand,
masked everywhere but the case page, and every full view logged."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from stdnum.dk import cpr as stdnum_cpr

from applicants.cpr import mask_cpr, normalise_cpr
from mikrolaan.models import AccessLogEntry, AuditEvent
from tests.factories import CaseFactory, CitizenFactory, UserFactory

# 010185-1234 fails the old modulus-11 check: numbers issued since 2007 may.
NOT_MOD11 = "0101851234"


def test_a_number_failing_modulus_11_is_accepted():
    assert stdnum_cpr.checksum(NOT_MOD11) != 0
    assert normalise_cpr(NOT_MOD11) == NOT_MOD11


@pytest.mark.parametrize("typed", ["010185-1234", "0101851234", " 010185 1234 "])
def test_the_dash_is_optional_and_the_number_is_stored_as_ten_digits(typed):
    assert normalise_cpr(typed) == "0101851234"


@pytest.mark.parametrize(
    "typed",
    ["320185-1234", "011385-1234", "300285-1234", "01018512", "01018512345", "abcdef-1234", ""],
)
def test_a_number_without_a_valid_birth_date_or_format_is_refused(typed):
    with pytest.raises(ValidationError):
        normalise_cpr(typed)


def test_a_birth_date_in_the_future_is_refused():
    # Serial 4xxx with a year up to 36 means 20xx: 1 January 2035.
    with pytest.raises(ValidationError):
        normalise_cpr("010135-4000")


def test_masking_keeps_only_the_birth_date():
    assert mask_cpr("0101851234") == "010185-XXXX"
    assert mask_cpr("010185-1234") == "010185-XXXX"
    assert mask_cpr("") == ""


def test_templates_mask_with_the_same_helper():
    out = Template("{% load cpr %}{{ n|cpr_masked }} {{ n|cpr }}").render(
        Context({"n": "0101851234"})
    )
    assert out == "010185-XXXX 010185-1234"


def test_intake_form_shows_a_danish_error_next_to_the_cpr_and_keeps_the_input(client, team_member):
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:inquiry_create"),
        {
            "first_name": "Ida",
            "last_name": "Holm",
            "cpr": "320185-1234",
            "benefit_type": "kontanthjaelp",
            "business_idea": "Keramik",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer" in body
    assert "gyldig fødselsdato" in body
    assert 'value="Ida"' in body and 'value="320185-1234"' in body


def test_case_list_csv_and_search_show_the_cpr_masked(client, team_member):
    case = CaseFactory(citizen=CitizenFactory(cpr="0101851234", first_name="Ida"))
    client.force_login(team_member)
    for query in ["", "010185-1234", "0101851234", "Ida"]:
        url = reverse("applicants:case_list")
        body = client.post(url, {"q": query}, follow=True).content.decode()
        # The results (not the search box, which echoes what was typed).
        results = body[body.index("<tbody>") : body.index("</tbody>")]
        assert case.case_number in results, query
        assert "010185-XXXX" in results
        assert "1234" not in results
    csv_body = b"".join(client.get(reverse("applicants:case_export")).streaming_content).decode()
    assert "010185-XXXX" in csv_body
    assert "0101851234" not in csv_body and "010185-1234" not in csv_body


def test_a_cpr_search_never_puts_the_number_in_a_url_or_the_audit_trail(client, team_member):
    case = CaseFactory(citizen=CitizenFactory(cpr="0101851234"))
    client.force_login(team_member)
    list_url = reverse("applicants:case_list")
    response = client.post(list_url, {"q": "010185-1234", "stage": ""})
    assert response.status_code == 302
    assert "010185" not in response.url and "sq=" in response.url
    page = client.get(response.url).content.decode()
    assert case.case_number in page
    assert 'value="010185-1234"' in page  # the search box keeps what was typed
    # The CSV link carries the token, not the number.
    export = reverse("applicants:case_export") + "?" + response.url.split("?", 1)[1]
    assert export in page.replace("&amp;", "&")
    csv_body = b"".join(client.get(export).streaming_content).decode()
    assert case.case_number in csv_body
    assert AuditEvent.objects.get(action="case_list.exported").data["q"] == "CPR-søgning"
    # A CPR typed into the address bar is moved out of it at once.
    redirected = client.get(list_url + "?q=0101851234")
    assert redirected.status_code == 302 and "0101851234" not in redirected.url
    # Another user's session cannot use the token.
    client.force_login(UserFactory(role="team_member"))
    other = client.get(response.url).content.decode()
    assert 'value="010185-1234"' not in other


def test_the_case_page_shows_the_full_cpr_and_logs_the_read(client, team_member):
    case = CaseFactory(citizen=CitizenFactory(cpr="0101851234"))
    client.force_login(team_member)
    body = client.get(reverse("applicants:case_detail", args=[case.pk])).content.decode()
    assert "010185-1234" in body
    entry = AccessLogEntry.objects.get()
    assert entry.actor == team_member
    assert entry.subject == case.citizen
    assert entry.path == reverse("applicants:case_detail", args=[case.pk])


def test_the_list_logs_each_citizen_it_shows(client, team_member):
    shown = [CaseFactory().citizen for _ in range(3)]
    client.force_login(team_member)
    client.get(reverse("applicants:case_list"))
    entries = AccessLogEntry.objects.all()
    assert sorted(e.subject_id for e in entries) == sorted(str(c.pk) for c in shown)
    assert {e.what for e in entries} == {"Forløbslisten"}
    assert {e.municipality_id for e in entries} == {shown[0].municipality_id}


def test_there_is_no_field_for_health_or_diagnoses():
    from applicants.models import Case, Citizen

    names = [f.name for m in (Case, Citizen) for f in m._meta.get_fields()]
    assert not [n for n in names if any(w in n for w in ("health", "diagnos", "helbred"))]
