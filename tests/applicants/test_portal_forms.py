"""The portal's forms: steps, validation and the error summary, drafts that
survive a timeout and a second device, versions, the team's review, and who
may see what."""

import pytest
from django.core import mail
from django.urls import reverse

from applicants.models import Attachment, FormStatus, FormVersion, PortalForm
from applicants.portal import services
from applicants.portal.definitions import DEFINITIONS, FormKind
from mikrolaan.models import AccessLogEntry, AuditEvent
from tests.applicants.portal_helpers import (
    BUSINESS_PLAN,
    PNG_BYTES,
    at_stage,
    pdf_upload,
    submitted_business_plan,
)
from tests.factories import CaseFactory, CitizenFactory, UserFactory

STEP = "portal:form_step"


@pytest.fixture
def plan_case(case):
    return at_stage(case)


def test_forms_open_where_the_handbook_puts_them(case):
    def open_kinds(stage):
        return {d.kind for d in services.open_definitions(at_stage(case, stage))}

    assert open_kinds("phone_interview") == set()
    assert open_kinds("first_meeting") == {FormKind.PRELIMINARY_PLAN, FormKind.PERSON_PROFILE}
    assert FormKind.BUSINESS_PLAN in open_kinds("business_development")
    assert FormKind.SELF_EVALUATION not in open_kinds("courses")
    assert FormKind.SELF_EVALUATION in open_kinds("running")


def test_a_form_that_is_not_open_yet_is_not_found(client, case, citizen_user):
    client.force_login(citizen_user)
    at_stage(case, "first_meeting")
    assert client.get(reverse("portal:form_overview", args=["business-plan"])).status_code == 404
    assert client.get(reverse("portal:form_overview", args=["preliminary-plan"])).status_code == 200


def test_the_start_page_shows_the_next_thing_to_do(client, case, citizen_user):
    at_stage(case, "first_meeting")
    client.force_login(citizen_user)
    body = client.get(reverse("home")).content.decode()
    assert "Det næste, du skal gøre" in body
    assert "Foreløbig forretningsplan" in body
    assert "dkfds/css/dkfds.min.css" in body


@pytest.mark.parametrize("form_def", DEFINITIONS.values(), ids=lambda d: d.kind)
def test_every_step_validates_with_messages_that_say_what_to_do(
    client, case, citizen_user, form_def
):
    at_stage(case, "running")
    client.force_login(citizen_user)
    for step in form_def.steps:
        if not step.questions:
            continue
        url = reverse(STEP, args=[form_def.slug, step.key])
        required = [q for q in step.questions if q.required]
        data = {}
        for q in step.questions:
            if q.kind in ("amount", "fixed"):
                data[q.key] = "abc"
            elif q.kind == "monthly":
                data[f"{q.key}__m1"] = "-5"
        response = client.post(url, data)
        body = response.content.decode()
        if not required and not data:
            assert response.status_code == 302
            continue
        assert response.status_code == 200, step.key
        assert "Der er problemer" in body
        assert "<title>Fejl:" in body
        assert "Dette felt er påkrævet" not in body
        for q in required:
            assert str(q.missing) in body
            # The summary's line links to the field, which carries "Fejl:" for screen readers.
            assert f'href="#id_{q.key}"' in body
            assert f'id="id_{q.key}-error"><span class="sr-only">Fejl:</span>' in body
        for q in step.questions:
            if q.kind in ("amount", "fixed"):
                assert f'href="#id_{q.key}"' in body
            if q.kind == "monthly":
                assert f'href="#id_{q.key}__m1"' in body


def test_optional_questions_are_marked_and_required_ones_carry_no_asterisk(
    client, plan_case, citizen_user
):
    client.force_login(citizen_user)
    body = client.get(reverse(STEP, args=["business-plan", "company"])).content.decode()
    assert "(frivilligt)" in body
    assert "*" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_typed_text_is_kept_even_when_the_step_has_errors(client, plan_case, citizen_user):
    client.force_login(citizen_user)
    client.post(reverse(STEP, args=["business-plan", "company"]), {"company_name": "Ler & Co"})
    form = PortalForm.objects.get(case=plan_case, kind="business_plan")
    assert form.draft["company_name"] == "Ler & Co"


def test_a_valid_step_goes_on_to_the_next(client, plan_case, citizen_user):
    client.force_login(citizen_user)
    response = client.post(reverse(STEP, args=["business-plan", "company"]), {"product": "Keramik"})
    assert response.url == reverse(STEP, args=["business-plan", "market"])


def test_autosave_keeps_the_draft_as_typed(client, plan_case, citizen_user):
    client.force_login(citizen_user)
    url = reverse("portal:form_autosave", args=["business-plan", "company"])
    response = client.post(url, {"product": "Kera"}, HTTP_HX_REQUEST="true")
    assert "Kladden er gemt" in response.content.decode()
    assert PortalForm.objects.get(case=plan_case).draft["product"] == "Kera"


def test_a_draft_survives_a_session_timeout_and_a_second_device(client, plan_case, citizen_user):
    from django.test import Client

    client.force_login(citizen_user)
    client.post(
        reverse("portal:form_autosave", args=["business-plan", "company"]), {"product": "Kopper"}
    )
    # The session runs out (inactivity), then the citizen presses "Gem og fortsæt".
    client.session.flush()
    client.logout()
    response = client.post(
        reverse(STEP, args=["business-plan", "company"]),
        {"product": "Kopper og skåle", "company_name": "Ler"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:sign_in"))
    # Signed in again (here: by the link), what was sent is in the draft.
    from sesame.utils import get_query_string

    response = client.post(reverse("portal:link") + get_query_string(citizen_user))
    assert response.url == reverse(STEP, args=["business-plan", "company"])
    draft = PortalForm.objects.get(case=plan_case).draft
    assert draft["product"] == "Kopper og skåle" and draft["company_name"] == "Ler"
    # A second device sees the same draft.
    other = Client()
    other.force_login(citizen_user)
    body = other.get(reverse(STEP, args=["business-plan", "company"])).content.decode()
    assert "Kopper og skåle" in body


def test_the_portal_session_ends_after_the_idle_setting(client, plan_case, citizen_user, settings):
    settings.PORTAL_IDLE_MINUTES = 7
    client.force_login(citizen_user)
    client.get(reverse("portal:form_overview", args=["business-plan"]))
    assert client.session.get_expiry_age() == 7 * 60


def test_check_your_answers_links_back_to_each_answer_and_to_failing_fields(
    client, plan_case, citizen_user
):
    client.force_login(citizen_user)
    form = services.form_for(plan_case, "business_plan")
    services.save_draft(actor=citizen_user, form=form, values={"product": "Keramik"})
    url = reverse("portal:form_check", args=["business-plan"])
    body = client.get(url).content.decode()
    assert "Tjek dine svar" in body and "Trin 7 af 7" in body
    assert reverse(STEP, args=["business-plan", "company"]) + "?fra=tjek#id_product" in body
    assert "Mangler svar" in body
    response = client.post(url)
    body = response.content.decode()
    assert "Der er problemer" in body
    assert reverse(STEP, args=["business-plan", "market"]) + "?fra=tjek#id_customers" in body
    assert not FormVersion.objects.exists()


def test_submitting_freezes_a_numbered_version_with_the_texts_it_answered(
    plan_case, citizen_user, team_lead
):
    from applicants.portal.definitions import BUSINESS_PLAN as DEF

    version = submitted_business_plan(plan_case, citizen_user)
    assert version.number == 1
    assert version.form.status == FormStatus.SUBMITTED
    services.revise_question_texts(
        actor=team_lead, form_def=DEF, wordings={"product": ("Hvad vil du sælge?", "")}
    )
    version.refresh_from_db()
    labels = {q["key"]: q["label"] for s in version.questions for q in s["questions"]}
    assert labels["product"] == "Hvad sælger virksomheden?"
    with pytest.raises(services.PortalError):
        services.save_draft(actor=citizen_user, form=version.form, values={"product": "x"})


def test_send_back_with_comments_then_a_second_version_shows_what_changed(
    client, plan_case, citizen_user, team_member, django_capture_on_commit_callbacks
):
    v1 = submitted_business_plan(plan_case, citizen_user)
    client.force_login(team_member)
    url = reverse("applicants:form_review", args=[plan_case.pk, "business-plan"])
    client.post(url, {"action": "comment", "section": "sales", "text": "Hvad med moms?"})
    # Sending back needs a message that says what to correct.
    response = client.post(url, {"action": "send_back", "message": ""})
    assert "Der er problemer" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send_back", "message": "Regn priserne igennem."})
    v1.refresh_from_db()
    assert v1.status == FormStatus.SENT_BACK
    assert len(mail.outbox) == 1
    assert plan_case.citizen.last_name not in mail.outbox[0].body
    assert "Regn priserne" not in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="portal_form.sent_back").exists()

    client.force_login(citizen_user)
    body = client.get(reverse("portal:form_overview", args=["business-plan"])).content.decode()
    assert "Regn priserne igennem." in body and "Hvad med moms?" in body
    form = v1.form
    services.save_draft(actor=citizen_user, form=form, values={"pricing": "Kopper 175 kr."})
    v2 = services.submit_form(actor=citizen_user, form=form)
    assert v2.number == 2

    client.force_login(team_member)
    body = client.get(url).content.decode()
    assert "Ændret" in body and "Kopper 150 kr." in body and "Kopper 175 kr." in body
    client.post(url, {"action": "accept", "message": ""})
    form.refresh_from_db()
    assert form.status == FormStatus.ACCEPTED


def test_staff_reading_a_form_is_access_logged(client, plan_case, citizen_user, team_member):
    submitted_business_plan(plan_case, citizen_user)
    client.force_login(team_member)
    client.get(reverse("applicants:form_review", args=[plan_case.pk, "business-plan"]))
    assert AccessLogEntry.objects.filter(
        subject_id=str(plan_case.citizen_id), actor=team_member
    ).exists()


# --- who may see what ------------------------------------------------------------------


@pytest.fixture
def other_citizens_version(db):
    user = UserFactory(username="other_citizen", role="citizen")
    case = at_stage(CaseFactory(citizen=CitizenFactory(user=user)))
    return submitted_business_plan(case, user)


def test_another_citizens_version_and_files_are_not_found(
    client, plan_case, citizen_user, other_citizens_version
):
    other_case = other_citizens_version.form.case
    attachment = services.add_attachment(
        actor=other_citizens_version.submitted_by,
        form=services.form_for(other_case, "establishment_budget"),
        upload=pdf_upload(),
    )
    client.force_login(citizen_user)
    assert (
        client.get(reverse("portal:version_pdf", args=[other_citizens_version.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("portal:attachment_download", args=[attachment.pk])).status_code == 404
    )
    assert client.post(reverse("portal:attachment_remove", args=[attachment.pk])).status_code == 404


def test_a_citizen_reaches_only_their_own_forms(
    client, plan_case, citizen_user, other_citizens_version
):
    client.force_login(citizen_user)
    body = client.get(reverse(STEP, args=["business-plan", "company"])).content.decode()
    assert BUSINESS_PLAN["product"] not in body


def test_the_pdf_is_a_pdf(client, plan_case, citizen_user):
    version = submitted_business_plan(plan_case, citizen_user)
    client.force_login(citizen_user)
    response = client.get(reverse("portal:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


# --- attachments -------------------------------------------------------------------------


def test_an_attachment_is_checked_by_content_not_by_name(client, plan_case, citizen_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(citizen_user)
    url = reverse("portal:attachment_upload", args=["business-plan"])
    fake = SimpleUploadedFile("prisliste.pdf", b"MZ\x90\x00 this is a program", "application/pdf")
    body = client.post(url, {"file": fake}).content.decode()
    assert "Der er problemer" in body and "Vælg en anden fil" in body
    assert not Attachment.objects.exists()
    png = SimpleUploadedFile("billede.txt", PNG_BYTES, "text/plain")
    assert client.post(url, {"file": png}).status_code == 302
    assert Attachment.objects.get().content_type == "image/png"


def test_an_attachment_over_the_limit_is_refused(plan_case, citizen_user, settings):
    from django.core.exceptions import ValidationError

    settings.PORTAL_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.add_attachment(
            actor=citizen_user,
            form=services.form_for(plan_case, "business_plan"),
            upload=pdf_upload(),
        )


def test_attachments_are_stored_privately_and_downloads_are_logged(
    client, plan_case, citizen_user, team_member
):
    from django.conf import settings as dj_settings

    form = services.form_for(plan_case, "business_plan")
    attachment = services.add_attachment(actor=citizen_user, form=form, upload=pdf_upload())
    assert not attachment.file.path.startswith(str(dj_settings.MEDIA_ROOT))
    client.force_login(team_member)
    response = client.get(reverse("portal:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(what__startswith=f"Bilag {attachment.pk}").exists()


def test_a_submitted_attachment_cannot_be_removed(plan_case, citizen_user):
    form = services.form_for(plan_case, "business_plan")
    attachment = services.add_attachment(actor=citizen_user, form=form, upload=pdf_upload())
    submitted_business_plan(plan_case, citizen_user)
    attachment.refresh_from_db()
    assert attachment.version is not None
    with pytest.raises(services.PortalError):
        services.remove_attachment(actor=citizen_user, attachment=attachment)


def test_the_idle_timeout_slides_on_every_page_the_citizen_opens(client, settings, db):
    from django.urls import reverse

    from mikrolaan.roles import Role
    from tests.factories import CaseFactory, CitizenFactory, UserFactory

    settings.PORTAL_IDLE_MINUTES = 9
    user = UserFactory(role=Role.CITIZEN)
    CaseFactory(citizen=CitizenFactory(user=user))
    client.force_login(user)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == 9 * 60
