"""Input sanity: plausible dates with a Danish error at the field, text areas
whose limit the page states, and a closed case's recording pages refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applicants.cpr import normalise_cpr
from applicants.forms import MeetingPlanForm, PhoneInterviewForm, ProgrammeForm
from applicants.models import Case, Meeting
from tests.factories import CaseFactory, MeetingFactory


def test_a_cpr_number_born_before_1900_is_refused():
    # Serial 5xxx with year 85 is 1885 in the CPR system.
    with pytest.raises(ValidationError, match="før 1900"):
        normalise_cpr("010185-5000")


@pytest.mark.parametrize("value", ["0001-01-01T10:00", "1899-12-31T10:00"])
def test_a_phone_interview_before_1900_gets_a_danish_error(value):
    form = PhoneInterviewForm(
        {"held_at": value, "in_target_group": "yes", "realistic": "yes", "motivated": "yes"}
    )
    assert not form.is_valid()
    assert form.errors["held_at"] == ["Datoen skal ligge i år 1900 eller senere."]


@pytest.mark.parametrize("value", ["0001-01-01T10:00", "1850-06-01T10:00", "9999-12-31T10:00"])
def test_a_meeting_is_planned_from_1900_and_at_most_two_years_ahead(team_member, value):
    form = MeetingPlanForm({"kind": "other", "starts_at": value, "ends_at": value, "place": "Café"})
    assert not form.is_valid()
    assert "starts_at" in form.errors and "ends_at" in form.errors


def test_a_meeting_next_month_is_fine(team_member):
    start = timezone.localtime() + datetime.timedelta(days=30)
    form = MeetingPlanForm(
        {"kind": "other", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "place": "Café"}
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value", ["1899-12-31", "9999-01-01"])
def test_a_programme_start_date_must_be_plausible(db, value):
    form = ProgrammeForm({"name": "Runde", "start_date": value})
    assert not form.is_valid()
    assert "start_date" in form.errors


def test_an_absurd_meeting_date_is_a_form_error_not_a_crash(client, team_member):
    case = CaseFactory(stage="first_meeting")
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:meeting_create", args=[case.pk]),
        {"kind": "other", "starts_at": "0001-01-01T00:00", "place": "Café"},
    )
    assert response.status_code == 200
    assert "Datoen skal ligge i år 1900 eller senere." in response.content.decode()
    assert not Meeting.objects.exists()


def test_text_areas_state_their_limit_and_enforce_it(client, team_member):
    case = CaseFactory(stage="phone_interview")
    client.force_login(team_member)
    url = reverse("applicants:phone_interview_create", args=[case.pk])
    body = client.get(url).content.decode()
    assert "Højst 5.000 tegn." in body
    assert 'maxlength="5000"' in body
    response = client.post(
        url,
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "in_target_group": "yes",
            "realistic": "yes",
            "motivated": "yes",
            "notes": "x" * 5001,
        },
    )
    assert response.status_code == 200
    assert "højst have 5000 tegn" in response.content.decode()
    assert not case.phone_interviews.exists()


def test_every_text_area_of_the_pipeline_has_a_stated_limit(db):
    from applicants import forms

    for form in (
        forms.IntakeForm(),
        forms.IntakeForm(referral=True),
        forms.CaseDetailsForm(),
        forms.PhoneInterviewForm(),
        forms.MeetingPlanForm(),
        forms.MeetingRecordForm(),
        forms.TransitionForm(needs_reason=True, decision=True, withdrawal=True),
        forms.WithdrawForm(),
    ):
        for name, field in form.fields.items():
            if field.widget.__class__.__name__ == "Textarea":
                assert field.max_length, (form, name)
                assert "Højst" in str(field.help_text), (form, name)


CLOSED_PAGES = [
    ("applicants:case_edit", "get"),
    ("applicants:case_edit", "post"),
    ("applicants:phone_interview_create", "get"),
    ("applicants:meeting_create", "get"),
    ("applicants:meeting_create", "post"),
    ("applicants:meeting_record", "get"),
    ("applicants:case_transition", "get"),
    ("applicants:case_transition", "post"),
]


@pytest.mark.parametrize("stage", ["withdrawn", "declined", "self_supporting"])
@pytest.mark.parametrize(("name", "method"), CLOSED_PAGES)
def test_a_closed_case_refuses_recording_pages_with_a_message(
    client, team_member, stage, name, method
):
    case = CaseFactory(stage=stage)
    meeting = MeetingFactory(case=case)
    kwargs = {"pk": case.pk}
    if name == "applicants:meeting_record":
        kwargs["meeting_pk"] = meeting.pk
    if name == "applicants:case_transition":
        kwargs["transition"] = "withdraw"
    client.force_login(team_member)
    response = getattr(client, method)(reverse(name, kwargs=kwargs), follow=True)
    assert response.redirect_chain[-1][0] == reverse("applicants:case_detail", args=[case.pk])
    assert "Forløbet er afsluttet" in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == stage


def test_a_closed_case_still_lets_staff_correct_the_citizens_details(client, team_member):
    case = CaseFactory(stage="withdrawn")
    client.force_login(team_member)
    response = client.get(reverse("applicants:citizen_edit", args=[case.pk]))
    assert response.status_code == 200
