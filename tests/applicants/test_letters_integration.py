"""The pipeline's letters through the real letters engine: the PDF exists,
says what the step decided, and lands on the case page."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applicants import services
from applicants.models import Stage
from mikrolaan.letters.models import Letter, LetterStatus
from tests.factories import CaseFactory, PhoneInterviewFactory


@pytest.fixture
def sent_letters():
    """Override the package's recorder: here the real adapter runs."""
    return None


def _text(letter: Letter) -> str:
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED, letter.last_error
    with letter.pdf.open("rb") as fh:
        reader = PdfReader(BytesIO(fh.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_decline_sends_a_decision_letter_with_the_reason(
    django_capture_on_commit_callbacks, team_member
):
    case = CaseFactory(stage=Stage.PHONE_INTERVIEW, responsible=team_member)
    PhoneInterviewFactory(case=case, conducted_by=team_member, in_target_group=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_case(
            case=case,
            transition="decline",
            actor=team_member,
            reason="Forretningsidéen kræver en investering langt over lånegrænsen.",
            data={"facts": "Du fortalte i telefonen, at du skal bruge 400.000 kr."},
        )
    letter = Letter.objects.get(case=case)
    assert letter.kind == "decision"
    text = " ".join(_text(letter).split())
    assert "Forretningsidéen kræver en investering langt over lånegrænsen." in text
    assert "Klagevejledning" in text
    assert case.case_number in text
    assert "efter telefonsamtalen" in text
    assert "Du fortalte i telefonen" in text


def test_staff_withdrawal_sends_a_confirmation(django_capture_on_commit_callbacks, team_member):
    case = CaseFactory(stage=Stage.SECOND_MEETING, responsible=team_member)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_case(
            case=case,
            transition="withdraw",
            actor=team_member,
            reason="Har fået fast arbejde",
            data={"initiated_by": "citizen"},
        )
    letter = Letter.objects.get(case=case)
    assert letter.kind == "withdrawal_confirmation"
    assert "Har fået fast arbejde" in " ".join(_text(letter).split())


def test_planned_meeting_sends_an_invitation_shown_on_the_case_page(
    client, django_capture_on_commit_callbacks, team_member, team_member2
):
    case = CaseFactory(stage=Stage.FIRST_MEETING, responsible=team_member)
    starts = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_meeting(
            actor=team_member,
            case=case,
            kind="first",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            place="Café Englen, Vestergade 3",
            staff=[team_member, team_member2],
        )
    letter = Letter.objects.get(case=case)
    assert letter.kind == "meeting_invitation"
    assert "Café Englen" in _text(letter)
    client.force_login(team_member)
    page = client.get(reverse("applicants:case_detail", args=[case.pk])).content.decode()
    assert reverse("letters:download", args=[letter.pk]) in page


def test_a_moved_meeting_letter_names_the_old_and_the_new_time_and_place(
    django_capture_on_commit_callbacks, team_member
):
    from tests.factories import MeetingFactory

    case = CaseFactory(stage=Stage.SECOND_MEETING, responsible=team_member)
    old = timezone.make_aware(datetime.datetime(2031, 3, 4, 10, 0))
    meeting = MeetingFactory(case=case, starts_at=old, place="Café Englen", attendance="unknown")
    with django_capture_on_commit_callbacks(execute=True):
        services.move_meeting(
            actor=team_member,
            meeting=meeting,
            starts_at=old + datetime.timedelta(days=7),
            place="Biblioteket, lokale 2",
            reason="Kontaktpersonen er på kursus.",
        )
    text = " ".join(_text(Letter.objects.get(case=case, kind="meeting_changed")).split())
    assert "11. marts 2031" in text and "Biblioteket, lokale 2" in text
    assert "4. marts 2031" in text and "Café Englen" in text
    assert "Kontaktpersonen er på kursus." in text


def test_a_cancelled_meeting_gets_a_cancellation_letter(
    django_capture_on_commit_callbacks, team_member
):
    from tests.factories import MeetingFactory

    case = CaseFactory(stage=Stage.SECOND_MEETING, responsible=team_member)
    starts = timezone.make_aware(datetime.datetime(2031, 3, 4, 10, 0))
    meeting = MeetingFactory(case=case, starts_at=starts, place="Café Englen", attendance="unknown")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(actor=team_member, meeting=meeting, reason="Sygdom i teamet.")
    text = " ".join(_text(Letter.objects.get(case=case, kind="meeting_changed")).split())
    assert "aflyse" in text and "4. marts 2031" in text and "Sygdom i teamet." in text
