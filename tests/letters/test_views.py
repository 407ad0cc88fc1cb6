"""Downloading letters, the Digital Post ZIP, retry, and the list include."""

import io
import json
import zipfile

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from mikrolaan.letters.models import LetterStatus
from mikrolaan.letters.selectors import letters_for_case, letters_for_citizen
from mikrolaan.models import AccessLogEntry
from tests.factories import UserFactory
from tests.letters.helpers import FAKE_PDF, make_case, make_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(citizen_user):
    return make_letter(case=make_case(citizen_user=citizen_user))


def _download(client, letter):
    return client.get(reverse("letters:download", args=[letter.pk]))


def test_staff_download_any_letter_and_the_read_is_logged(client, team_member, letter):
    client.force_login(team_member)
    response = _download(client, letter)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert entry.actor == team_member
    assert entry.subject_id == str(letter.recipient.pk)
    assert f"Brev {letter.pk}" in entry.what


def test_citizen_downloads_own_letter_and_leaves_no_access_row(client, citizen_user, letter):
    # The access log is about who looked at a citizen's data; the citizen's
    # own reads are not listed there.
    client.force_login(citizen_user)
    assert _download(client, letter).status_code == 200
    assert not AccessLogEntry.objects.filter(actor=citizen_user).exists()


def test_citizen_cannot_download_someone_elses_letter(client, citizen_user, letter):
    other = UserFactory(username="other-citizen", role="citizen")
    client.force_login(other)
    assert _download(client, letter).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_caseworker_mentor_and_administrator_are_refused(
    client, caseworker, mentor, administrator, letter
):
    for user in (caseworker, mentor, administrator):
        client.force_login(user)
        assert _download(client, letter).status_code == 403


def test_a_letter_not_yet_generated_is_not_found(client, team_member, citizen_user):
    pending = make_letter(case=make_case(citizen_user=citizen_user), status=LetterStatus.PENDING)
    client.force_login(team_member)
    assert _download(client, pending).status_code == 404
    client.force_login(citizen_user)
    assert _download(client, pending).status_code == 404


def test_digital_post_zip_holds_pdf_and_metadata(client, team_member, letter):
    client.force_login(team_member)
    response = client.get(reverse("letters:digital_post", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    meta = json.loads(archive.read("metadata.json"))
    assert archive.read(meta["pdf_file"]) == FAKE_PDF
    assert meta["recipient_cpr"] == letter.recipient.cpr
    assert meta["recipient_name"] == letter.recipient.full_name
    assert meta["title"] == letter.subject
    assert meta["case_number"] == letter.case.case_number
    assert meta["kind"] == "decision"
    assert meta["sha256"] == letter.sha256
    assert meta["template_version"] == "2"
    assert meta["sender_cvr"] == "55133018"
    assert meta["generated_at"].startswith(str(letter.generated_at.year))
    assert AccessLogEntry.objects.filter(actor=team_member).count() == 1


def test_citizen_cannot_get_the_digital_post_zip(client, citizen_user, letter):
    client.force_login(citizen_user)
    assert client.get(reverse("letters:digital_post", args=[letter.pk])).status_code == 403


def test_retry_requeues_a_failed_letter_and_returns_to_the_page(client, team_member):
    failed = make_letter(status=LetterStatus.FAILED)
    client.force_login(team_member)
    response = client.post(reverse("letters:retry", args=[failed.pk]), {"next": "/forloeb/42/"})
    assert response.status_code == 302
    assert response.url == "/forloeb/42/"
    failed.refresh_from_db()
    # Eager in tests: queued on commit; the test transaction never commits.
    assert failed.status == LetterStatus.PENDING


def test_retry_refuses_foreign_redirects_and_generated_letters(client, team_member, letter):
    client.force_login(team_member)
    response = client.post(
        reverse("letters:retry", args=[letter.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED


def test_retry_is_post_only(client, team_member):
    failed = make_letter(status=LetterStatus.FAILED)
    client.force_login(team_member)
    assert client.get(reverse("letters:retry", args=[failed.pk])).status_code == 405


def _render_list(user, letters):
    request = RequestFactory().get("/forloeb/1/")
    request.user = user
    return render_to_string(
        "letters/includes/letter_list.html", {"letters": letters, "user": user}, request=request
    )


def test_letter_list_shows_staff_the_error_and_retry_button(team_member, django_assert_num_queries):
    case = make_case()
    make_letter(case=case)
    make_letter(case=case, status=LetterStatus.FAILED)
    make_letter(case=case, status=LetterStatus.PENDING)
    # 1: the letters with author, recipient and case; 1: the viewer's roles.
    with django_assert_num_queries(2):
        html = _render_list(team_member, letters_for_case(case))
    assert html.count("Hent PDF") == 1
    assert "Prøv igen" in html
    assert "Fejl:" in html and "skabelonen gik ned" in html
    assert "Dannet" in html and "Fejlet" in html and "Under udarbejdelse" in html
    assert "Afgørelse" in html


def test_letter_list_hides_errors_and_retry_from_citizens(citizen_user):
    case = make_case(citizen_user=citizen_user)
    make_letter(case=case, status=LetterStatus.FAILED)
    html = _render_list(citizen_user, letters_for_case(case))
    assert "Prøv igen" not in html
    assert "skabelonen gik ned" not in html


def test_citizens_see_only_their_generated_letters(citizen_user):
    case = make_case(citizen_user=citizen_user)
    mine = make_letter(case=case)
    make_letter(case=case, status=LetterStatus.FAILED)
    make_letter()  # someone else's
    assert list(letters_for_citizen(case.citizen)) == [mine]
