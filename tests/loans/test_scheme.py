"""The scheme (ordning): each municipality's own, starting from the
handbook's defaults, and its edit page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loans.services import update_scheme
from mikrolaan.models import DEFAULT_COMPLAINTS_TEXT, AuditEvent, Scheme
from mikrolaan.services import create_municipality
from tests.factories import municipality

pytestmark = pytest.mark.django_db


def test_the_default_scheme_has_the_handbooks_values():
    scheme = municipality().current_scheme()
    assert Scheme.objects.filter(municipality=municipality()).count() == 1
    assert scheme.loan_maximum == Decimal("50000")
    assert (scheme.recommended_minimum, scheme.recommended_maximum) == (
        Decimal("30000"),
        Decimal("50000"),
    )
    assert scheme.term_months == 120
    assert scheme.support_months == 6
    assert scheme.extension_cap_months == 6
    assert (scheme.extension_step_min_months, scheme.extension_step_max_months) == (1, 3)
    assert scheme.legal_basis_support == "aktivloven § 65, stk. 3"
    assert scheme.legal_basis_loan == "aktivloven § 65"
    assert "4 uger" in scheme.complaints_text and "Ankestyrelsen" in scheme.complaints_text
    assert "aktindsigt" in scheme.access_text


def test_current_recreates_the_default_when_the_table_is_empty():
    Scheme.objects.all().delete()
    assert municipality().current_scheme().complaints_text == DEFAULT_COMPLAINTS_TEXT


def test_a_new_municipality_starts_from_the_default_scheme(team_lead):
    home = municipality().current_scheme()
    update_scheme(scheme=home, actor=team_lead, data={"loan_maximum": Decimal("60000")})
    new = create_municipality(actor=None, code="330", name="Slagelse Kommune")
    scheme = Scheme.objects.get(municipality=new)
    assert scheme.loan_maximum == Decimal("50000")
    assert scheme.complaints_text == DEFAULT_COMPLAINTS_TEXT


def test_team_lead_edits_only_their_own_municipalitys_scheme(client, team_lead):
    other = municipality("740").current_scheme()
    scheme = municipality().current_scheme()
    client.force_login(team_lead)
    client.post(reverse("loans:scheme_edit"), _form_data(scheme, loan_maximum="55.000"))
    other.refresh_from_db()
    scheme.refresh_from_db()
    assert (scheme.loan_maximum, other.loan_maximum) == (Decimal("55000"), Decimal("50000"))


def _form_data(scheme, **changes):
    from loans.services import SCHEME_FIELDS

    data = {field: getattr(scheme, field) for field in SCHEME_FIELDS}
    data.update(changes)
    return data


def test_team_lead_edits_the_scheme_and_the_audit_lists_changed_fields(client, team_lead):
    scheme = municipality().current_scheme()
    client.force_login(team_lead)
    response = client.post(
        reverse("loans:scheme_edit"),
        _form_data(scheme, loan_maximum="60.000", legal_basis_support="frikommuneforsøg § 3"),
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.loan_maximum == Decimal("60000")
    event = AuditEvent.objects.get(action="scheme.changed")
    assert event.actor == team_lead
    assert event.data["changed_fields"] == ["legal_basis_support", "loan_maximum"]
    assert event.data["changes"]["loan_maximum"] == ["50000.00", "60000"]


def test_the_form_shows_amounts_the_danish_way(client, team_lead):
    client.force_login(team_lead)
    html = client.get(reverse("loans:scheme_edit")).content.decode()
    assert 'value="50.000"' in html and 'value="30.000"' in html


def test_invalid_scheme_shows_danish_errors_and_the_summary(client, administrator):
    scheme = municipality().current_scheme()
    client.force_login(administrator)
    response = client.post(
        reverse("loans:scheme_edit"),
        _form_data(scheme, recommended_minimum="55000", term_months="", name=""),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der er problemer" in html
    assert "Det anbefalede beløb &#x27;fra&#x27; må ikke være større end &#x27;til&#x27;." in html
    assert "Indtast løbetid (måneder)" in html  # says what to do
    assert "Dette felt er påkrævet" not in html
    scheme.refresh_from_db()
    assert scheme.recommended_minimum == Decimal("30000")
    assert not AuditEvent.objects.filter(action="scheme.changed").exists()


def test_no_change_writes_no_audit_row(team_lead):
    scheme = municipality().current_scheme()
    update_scheme(scheme=scheme, actor=team_lead, data=_form_data(scheme))
    assert not AuditEvent.objects.filter(action="scheme.changed").exists()


def test_decision_letters_quote_the_scheme_as_it_was_when_requested(team_lead):
    from mikrolaan.letters.registry import get_kind
    from mikrolaan.letters.services import request_letter
    from tests.letters.helpers import make_case

    scheme = municipality().current_scheme()
    letter = request_letter(
        kind="decision", case=make_case(), context=get_kind("decision").sample_context
    )
    update_scheme(
        scheme=scheme,
        actor=team_lead,
        data=_form_data(scheme, complaints_text="Ny klagevejledning"),
    )
    assert letter.snapshot["scheme"]["complaints_text"] == DEFAULT_COMPLAINTS_TEXT


def test_a_letter_quotes_its_case_municipalitys_scheme_and_letterhead(team_lead):
    from mikrolaan.letters.registry import get_kind
    from mikrolaan.letters.services import request_letter
    from tests.letters.helpers import make_case

    other = municipality("740")
    update_scheme(
        scheme=other.current_scheme(), actor=team_lead, data={"complaints_text": "Silkeborgs tekst"}
    )
    case = make_case(municipality=other)
    assert case.municipality == other
    letter = request_letter(kind="decision", case=case, context=get_kind("decision").sample_context)
    assert letter.municipality == other
    assert letter.snapshot["scheme"]["complaints_text"] == "Silkeborgs tekst"
    assert letter.snapshot["municipality"]["name"] == "Silkeborg Kommune"
    home_letter = request_letter(
        kind="decision",
        case=make_case(),
        context=get_kind("decision").sample_context,
    )
    assert home_letter.snapshot["scheme"]["complaints_text"] == DEFAULT_COMPLAINTS_TEXT
