"""The administrator edits the municipality's settings inside the app; the
footer shows them at once."""

from django.urls import reverse

from mikrolaan.models import AuditEvent
from tests.factories import municipality

VALID = {
    "name": "Aarhus Kommune (Jobcenter)",
    "department": "Jobcenter Aarhus",
    "street": "Rådhuspladsen 2",
    "postcode": "8000",
    "city": "Aarhus C",
    "cvr": "55133018",
    "phone": "89 40 20 00",
    "email": "mikrolaan@aarhus.dk",
    "website": "https://www.aarhus.dk",
    "accessibility_statement_url": "https://www.was.digst.dk/aarhus-dk",
}


def test_administrator_saves_settings_and_footer_shows_them(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("municipality_settings"), VALID)
    assert response.status_code == 302
    settings_row = municipality()
    assert settings_row.name == "Aarhus Kommune (Jobcenter)"
    event = AuditEvent.objects.get(action="municipality_settings.changed")
    assert event.actor == administrator
    assert event.municipality == settings_row
    assert event.data["name"] == ["Aarhus Kommune", "Aarhus Kommune (Jobcenter)"]
    page = client.get(reverse("home")).content.decode()
    assert "Aarhus Kommune (Jobcenter)" in page
    assert "CVR 55133018" in page
    assert 'href="https://www.was.digst.dk/aarhus-dk">Tilgængelighedserklæring' in page


def test_bad_cvr_gives_danish_error_next_to_field_and_keeps_input(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("municipality_settings"), {**VALID, "cvr": "12345678"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er problemer" in body
    assert 'href="#id_cvr"' in body
    assert "Ugyldigt CVR-nummer" in body
    assert "Fejl:" in body
    assert 'value="Rådhuspladsen 2"' in body  # nothing the user typed is lost
    assert municipality().cvr == "55133018"
    assert not AuditEvent.objects.filter(action="municipality_settings.changed").exists()


def test_nothing_changed_writes_no_audit_row(client, administrator):
    client.force_login(administrator)
    client.post(reverse("municipality_settings"), VALID)
    client.post(reverse("municipality_settings"), VALID)
    assert AuditEvent.objects.filter(action="municipality_settings.changed").count() == 1


def test_administrator_edits_only_their_own_municipality(client, administrator):
    other = municipality("740")
    client.force_login(administrator)
    client.post(reverse("municipality_settings"), {**VALID, "name": "Ændret"})
    other.refresh_from_db()
    assert other.name == "Silkeborg Kommune"
    assert municipality().name == "Ændret"
