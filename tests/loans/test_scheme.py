"""The scheme (ordning): the handbook's defaults, and its edit page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from loans.models import DEFAULT_COMPLAINTS_TEXT, Scheme
from loans.services import update_scheme
from mikrolaan.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_default_scheme_has_the_handbooks_values():
    scheme = Scheme.current()
    assert Scheme.objects.count() == 1
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
    assert Scheme.current().complaints_text == DEFAULT_COMPLAINTS_TEXT


def _form_data(scheme, **changes):
    from loans.services import SCHEME_FIELDS

    data = {field: getattr(scheme, field) for field in SCHEME_FIELDS}
    data.update(changes)
    return data


def test_team_lead_edits_the_scheme_and_the_audit_lists_changed_fields(client, team_lead):
    scheme = Scheme.current()
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
    scheme = Scheme.current()
    client.force_login(administrator)
    response = client.post(
        reverse("loans:scheme_edit"),
        _form_data(scheme, recommended_minimum="55000", term_months="", name=""),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der er problemer" in html
    assert "Det anbefalede beløb &#x27;fra&#x27; må ikke være større end &#x27;til&#x27;." in html
    assert "Dette felt er påkrævet." in html
    scheme.refresh_from_db()
    assert scheme.recommended_minimum == Decimal("30000")
    assert not AuditEvent.objects.filter(action="scheme.changed").exists()


def test_no_change_writes_no_audit_row(team_lead):
    scheme = Scheme.current()
    update_scheme(scheme=scheme, actor=team_lead, data=_form_data(scheme))
    assert not AuditEvent.objects.filter(action="scheme.changed").exists()


def test_decision_letters_quote_the_scheme_as_it_was_when_requested(team_lead):
    from mikrolaan.letters.registry import get_kind
    from mikrolaan.letters.services import request_letter
    from tests.letters.helpers import make_case

    scheme = Scheme.current()
    letter = request_letter(
        kind="decision", case=make_case(), context=get_kind("decision").sample_context
    )
    update_scheme(
        scheme=scheme,
        actor=team_lead,
        data=_form_data(scheme, complaints_text="Ny klagevejledning"),
    )
    assert letter.snapshot["scheme"]["complaints_text"] == DEFAULT_COMPLAINTS_TEXT
