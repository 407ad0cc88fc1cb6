"""request_letter, the generation job and its guarantees: rendered once,
nothing lost when the broker is down, crashes retried then failed."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from mikrolaan.letters import rendering, services
from mikrolaan.letters.models import Letter, LetterImmutableError, LetterStatus
from mikrolaan.letters.registry import LetterContextError, LetterKindError, get_kind
from mikrolaan.letters.services import request_letter, retry_letter, supersede_letter
from mikrolaan.letters.tasks import generate_letter, sweep_pending_letters
from mikrolaan.models import AuditEvent
from tests.letters.helpers import make_case, make_letter, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(citizen_user):
    return make_case(email="borger@example.dk", citizen_user=citizen_user)


def _request(case, kind="decision", **kwargs):
    return request_letter(kind=kind, case=case, context=get_kind(kind).sample_context, **kwargs)


@pytest.fixture
def render_spy():
    with mock.patch.object(
        rendering, "render_letter_pdf", wraps=rendering.render_letter_pdf
    ) as spy:
        yield spy


def _letter_files(settings):
    from mikrolaan.letters.storage import letters_root

    return list(letters_root().rglob("*.pdf"))


def test_request_letter_makes_a_pending_letter_with_frozen_recipient_and_audit(case, team_member):
    letter = _request(case, author=team_member)
    assert letter.status == LetterStatus.PENDING
    assert letter.recipient == case.citizen
    assert letter.recipient_name == case.citizen.full_name
    assert letter.recipient_cpr == case.citizen.cpr
    assert "8000 Aarhus C" in letter.recipient_address
    assert letter.subject == "Afgørelse om tilskud til forsørgelse"
    assert letter.template_name == "letters/kinds/decision.html"
    assert letter.template_version == "2"
    assert letter.version == 1
    assert letter.author == team_member
    assert letter.snapshot["scheme"]["legal_basis_support"] == "aktivloven § 65, stk. 3"
    assert letter.snapshot["contact"]["name"] == "Søren Ørsted"
    event = AuditEvent.objects.get(action="letter.requested")
    assert event.actor == team_member
    assert event.object_id == str(letter.pk)


def test_a_case_without_a_responsible_names_the_author_as_contact(case, team_member):
    case.responsible = None
    case.save(update_fields=["responsible"])
    team_member.first_name, team_member.last_name = "Mette", "Holm"
    team_member.save(update_fields=["first_name", "last_name"])
    letter = _request(case, author=team_member)
    assert letter.snapshot["contact"]["name"] == "Mette Holm"
    # A letter from the system itself (no author) names the municipality alone.
    assert _request(case).snapshot["contact"]["name"] == ""


def test_generation_happens_after_commit(case, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        letter = _request(case)
        assert Letter.objects.get(pk=letter.pk).status == LetterStatus.PENDING
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED
    data = letter.pdf.read()
    assert data.startswith(b"%PDF")
    import hashlib

    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.generated_at is not None
    assert "Klagevejledning" in pdf_text(data)
    assert AuditEvent.objects.filter(action="letter.generated", object_id=str(letter.pk)).exists()


def test_request_letter_refuses_missing_context_keys(case):
    with pytest.raises(
        LetterContextError, match="mangler disse nøgler i context: facts, considerations"
    ):
        request_letter(
            kind="decision",
            case=case,
            context={
                "title": "x",
                "decision": "y",
                "decided_on": "2026-11-26",
                "period": "",
                "amount": None,
                "legal_basis": "",
            },
        )
    assert not Letter.objects.exists()


def test_request_letter_refuses_bad_values_and_unknown_kinds(case):
    context = dict(get_kind("meeting_invitation").sample_context, starts_at="i morgen")
    with pytest.raises(LetterContextError, match="meeting_invitation"):
        request_letter(kind="meeting_invitation", case=case, context=context)
    with pytest.raises(LetterKindError):
        request_letter(kind="love_letter", case=case, context={})


def test_a_letter_without_a_case_goes_to_the_given_recipient(django_capture_on_commit_callbacks):
    citizen = make_case().citizen
    with django_capture_on_commit_callbacks(execute=True):
        letter = request_letter(
            kind="hearing",
            case=None,
            recipient=citizen,
            context=get_kind("hearing").sample_context,
        )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED
    assert letter.case is None


def test_running_the_job_twice_renders_once(case, django_capture_on_commit_callbacks, render_spy):
    with django_capture_on_commit_callbacks(execute=True):
        letter = _request(case)
    letter.refresh_from_db()
    sha, name = letter.sha256, letter.pdf.name
    assert generate_letter.delay(letter.pk).get() == "skipped"
    assert generate_letter.apply(args=[letter.pk]).get() == "skipped"
    letter.refresh_from_db()
    assert render_spy.call_count == 1
    assert (letter.sha256, letter.pdf.name, letter.attempts) == (sha, name, 1)
    assert AuditEvent.objects.filter(action="letter.generated").count() == 1


def test_a_claimed_letter_is_not_rendered_by_a_second_job(case, render_spy):
    letter = _request(case)  # on_commit not run: nobody queued it yet
    token = services.claim_letter(letter.pk)
    assert token
    assert generate_letter.delay(letter.pk).get() == "skipped"
    assert render_spy.call_count == 0


def test_a_stale_claim_is_taken_over_and_the_old_worker_cannot_store(case, render_spy, settings):
    letter = _request(case)
    old = timezone.now() - timedelta(seconds=settings.LETTERS_CLAIM_STALE_SECONDS + 1)
    dead_token = services.claim_letter(letter.pk, now=old)
    assert generate_letter.delay(letter.pk).get() == "generated"
    # The presumed-dead worker wakes up and tries to store its PDF: refused.
    assert services._store_pdf(letter_id=letter.pk, token=dead_token, pdf=b"%PDF-other") is None
    letter.refresh_from_db()
    assert letter.pdf.read().startswith(b"%PDF-1.")
    assert render_spy.call_count == 1


def test_broker_down_leaves_the_letter_pending_and_the_sweep_generates_it(
    case, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        mock.patch.object(
            generate_letter, "apply_async", side_effect=OperationalError("Connection refused")
        ) as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        letter = _request(case)  # does not raise
    apply_async.assert_called_once()
    assert apply_async.call_args.kwargs["args"] == (letter.pk,)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.PENDING
    assert letter.attempts == 0

    # Too fresh for the sweep: the first enqueue might still be on its way.
    assert sweep_pending_letters.delay().get() == 0
    Letter.objects.filter(pk=letter.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert sweep_pending_letters.delay().get() == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED
    assert sweep_pending_letters.delay().get() == 0


def test_the_sweep_leaves_letters_being_rendered_alone(case):
    letter = _request(case)
    Letter.objects.filter(pk=letter.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    services.claim_letter(letter.pk)
    assert services.letters_to_sweep().count() == 0
    later = timezone.now() + timedelta(hours=1)
    assert list(services.letters_to_sweep(now=later)) == [letter]


def test_a_crash_is_retried_and_yields_one_pdf(case, settings):
    letter = _request(case)  # queued by hand below
    real = rendering.render_letter_pdf
    calls = []

    def crash_once(letter, **kwargs):
        calls.append(letter.pk)
        if len(calls) == 1:
            raise RuntimeError("fonten mangler")
        return real(letter, **kwargs)

    with mock.patch.object(rendering, "render_letter_pdf", side_effect=crash_once):
        assert generate_letter.delay(letter.pk).get() == "generated"
        assert generate_letter.delay(letter.pk).get() == "skipped"
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED
    assert letter.attempts == 2
    assert len(calls) == 2
    assert len(_letter_files(settings)) == 1
    assert AuditEvent.objects.filter(action="letter.generated").count() == 1


def test_a_render_that_keeps_crashing_ends_failed_with_its_error(case, settings):
    letter = _request(case)
    with mock.patch.object(
        rendering, "render_letter_pdf", side_effect=RuntimeError("skabelonen gik ned")
    ) as render:
        assert generate_letter.delay(letter.pk).get() == "failed"
    assert render.call_count == settings.LETTERS_MAX_ATTEMPTS == 6
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert letter.attempts == 6
    assert "RuntimeError: skabelonen gik ned" in letter.last_error
    assert not letter.pdf and letter.sha256 == ""
    assert _letter_files(settings) == []
    assert AuditEvent.objects.filter(action="letter.failed").count() == 1
    # Nothing more happens however often the job runs.
    assert generate_letter.delay(letter.pk).get() == "skipped"


def test_staff_retry_puts_a_failed_letter_back_and_it_generates(
    case, team_member, django_capture_on_commit_callbacks
):
    letter = make_letter(case=case, status=LetterStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        retry_letter(letter=letter, actor=team_member)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GENERATED
    assert letter.attempts == 1
    assert AuditEvent.objects.get(action="letter.retried").actor == team_member


def test_only_failed_letters_can_be_retried(case, team_member):
    with pytest.raises(ValueError):
        retry_letter(letter=make_letter(case=case), actor=team_member)


def test_the_task_retries_with_exponential_backoff_on_a_worker():
    # No result backend round-trip when queueing: with Redis down that waits ~20 s.
    assert generate_letter.ignore_result is True
    assert generate_letter.acks_late is True
    assert generate_letter.autoretry_for
    assert generate_letter.retry_backoff == 5
    assert generate_letter.retry_backoff_max == 300


# --- immutability and versions ---------------------------------------------


def test_a_generated_letter_refuses_changes(case):
    letter = make_letter(case=case)
    letter = Letter.objects.get(pk=letter.pk)
    for field, value in [
        ("context", {"title": "ny"}),
        ("sha256", "0" * 64),
        ("subject", "Nyt emne"),
        ("status", LetterStatus.PENDING),
    ]:
        fresh = Letter.objects.get(pk=letter.pk)
        setattr(fresh, field, value)
        with pytest.raises(LetterImmutableError):
            fresh.save()
    fresh = Letter.objects.get(pk=letter.pk)
    fresh.pdf.name = "letters/other.pdf"
    with pytest.raises(LetterImmutableError):
        fresh.save()
    with pytest.raises(LetterImmutableError):
        Letter.objects.get(pk=letter.pk).delete()


def test_bulk_updates_and_deletes_cannot_touch_generated_letters(case):
    letter = make_letter(case=case)
    pending = make_letter(case=case, status=LetterStatus.PENDING)
    for change in [{"sha256": "0" * 64}, {"context": {}}, {"status": "pending"}, {"pdf": ""}]:
        with pytest.raises(LetterImmutableError):
            Letter.objects.filter(pk=letter.pk).update(**change)
    with pytest.raises(LetterImmutableError):
        Letter.objects.all().delete()
    # Pending letters and bookkeeping fields remain writable.
    assert Letter.objects.filter(pk=pending.pk).update(subject="Nyt emne") == 1
    assert Letter.objects.filter(pk=letter.pk).update(notified_at=timezone.now()) == 1
    Letter.objects.filter(pk=pending.pk).delete()


def test_a_generated_letter_may_be_saved_unchanged_and_notified(case):
    letter = make_letter(case=case)
    fresh = Letter.objects.get(pk=letter.pk)
    notified_at = timezone.now()
    fresh.notified_at = notified_at
    fresh.save()
    stored = Letter.objects.get(pk=letter.pk)
    assert stored.notified_at == notified_at
    assert (stored.sha256, stored.pdf.name) == (letter.sha256, letter.pdf.name)


def test_supersede_makes_a_new_version_and_keeps_the_old(
    case, team_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(case)
    first.refresh_from_db()
    context = dict(first.context, decision="Rettet afgørelse")
    with django_capture_on_commit_callbacks(execute=True):
        second = supersede_letter(letter=first, actor=team_member, context=context)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.version == 2
    assert second.supersedes == first
    assert first.superseded_by == second
    assert first.pdf.name != second.pdf.name
    assert first.sha256 != second.sha256
    assert "Rettet afgørelse" in pdf_text(second.pdf.read())
    with pytest.raises(ValueError):
        supersede_letter(letter=first, actor=team_member)


# --- the e-mail ---------------------------------------------------------------


def test_the_citizen_is_told_by_email_without_personal_data(
    case, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SITE_URL = "https://mikrolaan.example.dk"
    with django_capture_on_commit_callbacks(execute=True):
        letter = _request(case)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["borger@example.dk"]
    assert "Du har fået et nyt brev fra Aarhus Kommune. Log ind for at læse det" in mail.body
    assert "https://mikrolaan.example.dk/" in mail.body
    everything = mail.subject + mail.body
    citizen = case.citizen
    for secret in [
        citizen.first_name,
        citizen.last_name,
        citizen.cpr,
        citizen.cpr[:6],
        letter.subject,
        case.case_number,
        citizen.street,
    ]:
        assert secret not in everything
    # Sent once, however often the job runs.
    generate_letter.delay(letter.pk)
    services.notify_recipient(letter_id=letter.pk)
    assert len(mailoutbox) == 1


def test_no_email_when_the_citizen_has_no_address(
    citizen_user, django_capture_on_commit_callbacks, mailoutbox
):
    case = make_case(email="", citizen_user=citizen_user)
    with django_capture_on_commit_callbacks(execute=True):
        _request(case)
    assert mailoutbox == []


def test_no_email_when_the_citizen_cannot_sign_in_to_read_it(
    django_capture_on_commit_callbacks, mailoutbox
):
    case = make_case(email="borger@example.dk")  # no portal user
    with django_capture_on_commit_callbacks(execute=True):
        letter = _request(case)
    letter.refresh_from_db()
    assert letter.is_generated
    assert mailoutbox == []
