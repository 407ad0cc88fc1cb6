"""The GDPR export of one citizen, and the registry it is built from."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse

from applicants.models import Citizen
from mikrolaan.audit import log_access, record_event
from mikrolaan.models import AuditEvent
from mikrolaan.privacy import registry
from tests.factories import MeetingFactory, PhoneInterviewFactory
from tests.letters.helpers import FAKE_PDF, make_case, make_letter


def _export(client, citizen):
    response = client.post(reverse("privacy:subject_export", args=[citizen.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def case(citizen_user, team_member):
    case = make_case(citizen_user=citizen_user, first_name="Ida", last_name="Holm")
    PhoneInterviewFactory(case=case, conducted_by=team_member, notes="Ringede tilbage")
    MeetingFactory(case=case, staff=[team_member], notes="Godt møde")
    make_letter(case=case)
    record_event(actor=team_member, action="case.changed", obj=case, data={"fields": ["industry"]})
    log_access(actor=team_member, subject=case.citizen, what="Forløbssiden")
    return case


def test_export_holds_every_registered_kind_and_the_letter_pdfs(client, team_lead, case):
    client.force_login(team_lead)
    archive = _export(client, case.citizen)
    names = archive.namelist()
    assert "index.html" in names and "data.json" in names
    pdfs = [n for n in names if n.startswith("breve/")]
    assert len(pdfs) == 1
    assert archive.read(pdfs[0]) == FAKE_PDF

    data = json.loads(archive.read("data.json"))
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert data["subject"] == {"model": "applicants.citizen", "id": case.citizen.pk}
    assert sections["citizen"][0]["cpr"] == case.citizen.cpr
    assert sections["login"][0]["username"] == case.citizen.user.username
    assert "password" not in sections["login"][0]
    assert [c["case_number"] for c in sections["cases"]] == [case.case_number]
    assert sections["phone_interviews"][0]["notes"] == "Ringede tilbage"
    assert sections["meetings"][0]["notes"] == "Godt møde"
    assert sections["letters"][0]["pdf"] == pdfs[0]
    assert any(r["action"] == "case.changed" for r in sections["audit"])
    assert sections["access_log"][0]["what"] == "Forløbssiden"
    assert {*registry_keys(), "audit", "access_log"} == set(sections)


def registry_keys():
    return [s.key for s in registry.personal_data()]


def test_index_is_danish_accessible_html(client, team_lead, case):
    client.force_login(team_lead)
    html = _export(client, case.citizen).read("index.html").decode()
    assert '<html lang="da">' in html
    assert html.count("<h1>") == 1
    assert "Ida Holm" in html
    assert '<th scope="col">' in html
    assert 'href="breve/' in html


def test_export_is_audited_without_personal_data(client, team_lead, case):
    client.force_login(team_lead)
    _export(client, case.citizen)
    event = AuditEvent.objects.get(action="privacy.exported")
    assert event.actor == team_lead
    assert event.object_id == str(case.citizen.pk)
    row = json.dumps(
        [event.object_repr, event.reason, event.data, event.from_state, event.to_state]
    )
    for personal in ("Ida", "Holm", case.citizen.cpr, case.citizen.email):
        assert personal not in row
    assert event.data["rows"]["letters"] == 1
    assert event.data["files"] == 1


def test_export_only_by_post(client, team_lead, case):
    client.force_login(team_lead)
    response = client.get(reverse("privacy:subject_export", args=[case.citizen.pk]))
    assert response.status_code == 405


def test_export_of_another_citizen_does_not_hold_this_ones_data(client, team_lead, case):
    other = make_case(first_name="Ole", last_name="Bak")
    client.force_login(team_lead)
    data = json.loads(_export(client, other.citizen).read("data.json"))
    text = json.dumps(data)
    assert "Ida" not in text and case.case_number not in text


# --- the registry is complete ----------------------------------------------------------


def _leads_to(model, target, seen=None) -> bool:
    """A path of foreign keys (or many-to-many fields) from ``model`` to ``target``."""
    seen = seen or set()
    if model is target:
        return True
    seen.add(model)
    for field in model._meta.get_fields():
        if field.is_relation and not field.auto_created and field.related_model:
            related = field.related_model
            if related is target or (related not in seen and _leads_to(related, target, seen)):
                return True
    return False


def test_every_model_with_a_path_to_the_citizen_is_in_the_export_registry():
    """Screenings, forms, attachments, loans and payments: register your
    models in your app's gdpr.py (see mikrolaan.privacy.registry)."""
    registered = registry.registered_models()
    missing = sorted(
        model._meta.label
        for model in apps.get_models()
        if not model._meta.auto_created and model not in registered and _leads_to(model, Citizen)
    )
    assert missing == []


def test_the_completeness_check_sees_models_that_lead_to_the_citizen():
    from applicants.models import CaseTransition, Meeting, Programme
    from mikrolaan.letters.models import Letter

    assert _leads_to(Meeting, Citizen)
    assert _leads_to(CaseTransition, Citizen)
    assert _leads_to(Letter, Citizen)
    assert not _leads_to(Programme, Citizen)


def test_every_registered_lookup_reaches_the_citizen(db):
    for source in registry.personal_data():
        source.model._default_manager.filter(**{source.subject_path: 1}).exists()
        if source.case_path:
            source.model._default_manager.filter(**{source.case_path: 1}).exists()


def test_a_model_left_out_of_the_registry_is_named(monkeypatch):
    sources = dict(registry._REGISTRY.sources)
    sources.pop("meetings")
    monkeypatch.setattr(registry._REGISTRY, "sources", sources)
    with pytest.raises(AssertionError) as exc:
        test_every_model_with_a_path_to_the_citizen_is_in_the_export_registry()
    assert "applicants.Meeting" in str(exc.value)
