"""Retention: closed cases are anonymised 5 years after they closed (a
setting), unless a keep rule holds them; the citizen when no case is left.
Every test runs on a fixed clock."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from applicants.models import Case, CaseTransition, Citizen, Meeting, PhoneInterview, Stage
from mikrolaan.audit import log_access, record_event
from mikrolaan.jobs import registered_jobs, run_daily_jobs
from mikrolaan.letters.models import Letter
from mikrolaan.letters.storage import get_letter_storage
from mikrolaan.models import AccessLogEntry, AuditEvent
from mikrolaan.privacy import registry, retention
from mikrolaan.privacy.retention import anonymise_due
from tests.factories import CaseFactory, CitizenFactory, MeetingFactory, PhoneInterviewFactory
from tests.letters.helpers import make_letter
from tests.privacy.helpers import closed_case

CLOSED_AT = timezone.make_aware(datetime.datetime(2021, 3, 15, 14, 30))
BOUNDARY = timezone.make_aware(datetime.datetime(2026, 3, 15, 14, 30))
JUST_BEFORE = BOUNDARY - datetime.timedelta(seconds=1)


@pytest.fixture
def case(citizen_user, team_member):
    citizen = CitizenFactory(
        user=citizen_user,
        first_name="Ida",
        last_name="Holm",
        cpr="0101851234",
        phone="11223344",
        email="ida@example.dk",
    )
    case = closed_case(
        at=CLOSED_AT,
        citizen=citizen,
        business_idea="Keramikværksted i garagen",
        referral_reason="Stærk motivation",
    )
    PhoneInterviewFactory(case=case, conducted_by=team_member, notes="Ringede tilbage")
    MeetingFactory(case=case, notes="Godt møde", next_steps="Budget", place="Hjemme hos Ida")
    make_letter(case=case)
    record_event(
        actor=team_member, action="case.withdraw", obj=case, reason="Flytter til Ida's mor"
    )
    record_event(actor=citizen_user, action="case.seen", obj=case)
    log_access(actor=team_member, subject=citizen, what="Forløbssiden")
    return case


def test_just_before_the_boundary_nothing_happens(case):
    assert anonymise_due(now=JUST_BEFORE)["cases"] == 0
    case.citizen.refresh_from_db()
    assert case.citizen.cpr == "0101851234"
    assert Letter.objects.get(case=case).pdf


def test_at_the_boundary_the_case_and_citizen_are_anonymised(
    case, citizen_user, django_capture_on_commit_callbacks
):
    letter = Letter.objects.get(case=case)
    pdf_name = letter.pdf.name
    assert get_letter_storage().exists(pdf_name)

    # The PDF is deleted once the transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        result = anonymise_due(now=BOUNDARY)
    assert result == {"cases": 1, "subjects": 1, "kept": 0, "failed": 0}

    citizen = Citizen.objects.get(pk=case.citizen_id)
    assert (citizen.first_name, citizen.last_name) == ("Anonymiseret", "borger")
    assert citizen.cpr == f"00{citizen.pk:08d}" and len(citizen.cpr) == 10
    assert citizen.street == citizen.postcode == citizen.city == ""
    assert citizen.phone == citizen.email == ""

    citizen_user.refresh_from_db()
    assert not citizen_user.is_active
    assert citizen_user.username == f"anonymiseret-{citizen_user.pk}"
    assert citizen_user.first_name == citizen_user.last_name == citizen_user.email == ""
    assert not citizen_user.has_usable_password()

    case.refresh_from_db()
    assert case.business_idea == case.referral_reason == case.industry == ""
    assert case.stage == Stage.WITHDRAWN  # the figures stay true
    assert set(CaseTransition.objects.filter(case=case).values_list("reason", flat=True)) == {""}
    assert PhoneInterview.objects.get(case=case).notes == ""
    meeting = Meeting.objects.get(case=case)
    assert meeting.notes == meeting.next_steps == meeting.place == ""

    letter = Letter.objects.get(pk=letter.pk)
    assert letter.is_generated and letter.sha256  # proof of what was sent stays
    assert not letter.pdf
    assert letter.recipient_name == "Anonymiseret borger"
    assert letter.recipient_cpr == citizen.cpr
    assert letter.recipient_address == "" and letter.context == {}
    assert not get_letter_storage().exists(pdf_name)


def test_the_audit_trail_says_what_when_and_which_rule_without_personal_data(case):
    anonymise_due(now=BOUNDARY)
    done = AuditEvent.objects.get(action=retention.CASE_ANONYMISED)
    assert done.object_id == str(case.pk)
    assert done.data["rule"] == "closed_case_retention"
    assert datetime.datetime.fromisoformat(done.data["closed_at"]) == CLOSED_AT
    assert done.data["rows"]["letters"] == 1
    assert AuditEvent.objects.get(action=retention.SUBJECT_ANONYMISED).data["cases"] == [case.pk]
    # Nothing in the audit trail or the access log names the citizen any more.
    everything = json.dumps(
        [
            list(AuditEvent.objects.values_list("object_repr", "reason", "actor_label", "data")),
            list(AccessLogEntry.objects.values_list("subject_repr", "actor_label", "what")),
        ]
    )
    for personal in ("Ida", "Holm", "0101851234", "Keramik", "Flytter"):
        assert personal not in everything


def test_an_open_case_is_never_touched(db):
    old = CaseFactory(citizen=CitizenFactory(first_name="Ole"), stage=Stage.RUNNING)
    CaseTransition.objects.create(
        case=old,
        transition="start_business",
        from_stage="establishment",
        to_stage="running",
        at=CLOSED_AT - datetime.timedelta(days=3650),
    )
    assert anonymise_due(now=BOUNDARY)["cases"] == 0
    assert Citizen.objects.get(pk=old.citizen_id).first_name == "Ole"


def test_a_keep_rule_holds_the_case_and_the_citizen(case):
    rule = registry.KeepRule(
        name="open_loan",
        description="Et åbent lån slettes aldrig.",
        keeps=lambda case_ids, *, now: dict.fromkeys(case_ids, "lån 7 er åbent"),
    )
    registry.register_keep_rule(rule)
    try:
        plan = retention.plan(now=BOUNDARY)
        assert [i.kept_by for i in plan.items] == [[("open_loan", "lån 7 er åbent")]]
        assert anonymise_due(now=BOUNDARY) == {"cases": 0, "subjects": 0, "kept": 1, "failed": 0}
    finally:
        registry.unregister_keep_rule("open_loan")
    assert Citizen.objects.get(pk=case.citizen_id).first_name == "Ida"
    assert Letter.objects.get(case=case).pdf


def test_citizen_with_another_open_case_keeps_identity_but_old_case_goes(case):
    newer = CaseFactory(citizen=case.citizen, stage=Stage.COURSES, business_idea="Ny idé")
    assert anonymise_due(now=BOUNDARY) == {"cases": 1, "subjects": 0, "kept": 0, "failed": 0}
    assert Citizen.objects.get(pk=case.citizen_id).first_name == "Ida"
    assert Case.objects.get(pk=case.pk).business_idea == ""
    assert Case.objects.get(pk=newer.pk).business_idea == "Ny idé"
    assert not Letter.objects.get(case=case).pdf


def test_citizen_goes_when_the_last_case_closes_after_an_earlier_one_was_anonymised(case):
    later = closed_case(at=CLOSED_AT + datetime.timedelta(days=400), citizen=case.citizen)
    assert anonymise_due(now=BOUNDARY)["subjects"] == 0
    assert Citizen.objects.get(pk=case.citizen_id).first_name == "Ida"
    result = anonymise_due(now=BOUNDARY + datetime.timedelta(days=400))
    assert result["cases"] == 1 and result["subjects"] == 1
    assert Citizen.objects.get(pk=later.citizen_id).first_name == "Anonymiseret"


def test_running_twice_changes_nothing_more(case):
    anonymise_due(now=BOUNDARY)
    events = AuditEvent.objects.filter(action__startswith="privacy.").count()
    assert anonymise_due(now=BOUNDARY + datetime.timedelta(days=1))["cases"] == 0
    assert AuditEvent.objects.filter(action__startswith="privacy.").count() == events


def test_the_period_is_a_setting(case, settings):
    settings.RETENTION_CLOSED_CASE_YEARS = 3
    boundary = CLOSED_AT.replace(year=2024)
    assert anonymise_due(now=boundary - datetime.timedelta(seconds=1))["cases"] == 0
    assert anonymise_due(now=boundary)["cases"] == 1


def test_declined_and_self_supporting_cases_close_too(db):
    for stage in (Stage.DECLINED, Stage.SELF_SUPPORTING):
        closed_case(at=CLOSED_AT, to_stage=stage)
    assert anonymise_due(now=BOUNDARY)["cases"] == 2


def test_daily_job_is_registered_and_uses_the_start_of_the_day(case):
    assert "anonymise_after_retention" in registered_jobs()
    # The job's clock is the start of its day: the boundary day itself is too early.
    before = run_daily_jobs(today=BOUNDARY.date(), only=["anonymise_after_retention"])
    assert before["anonymise_after_retention"]["result"]["cases"] == 0
    after = run_daily_jobs(
        today=BOUNDARY.date() + datetime.timedelta(days=1), only=["anonymise_after_retention"]
    )
    assert after["anonymise_after_retention"]["result"]["cases"] == 1


def test_a_failing_source_rolls_back_only_its_citizen(case, monkeypatch):
    other = closed_case(at=CLOSED_AT, citizen=CitizenFactory(first_name="Ole"))
    source = registry._REGISTRY.sources["meetings"]
    real = source.anonymise

    def anonymise(rows, *, now):
        if rows.filter(case=case).exists():
            raise RuntimeError("disk full")
        return real(rows, now=now)

    monkeypatch.setitem(
        registry._REGISTRY.sources,
        "meetings",
        registry.PersonalData(**{**source.__dict__, "anonymise": anonymise}),
    )
    result = anonymise_due(now=BOUNDARY)
    assert result["failed"] == 1 and result["cases"] == 1
    assert Citizen.objects.get(pk=case.citizen_id).first_name == "Ida"
    assert Citizen.objects.get(pk=other.citizen_id).first_name == "Anonymiseret"
    assert Letter.objects.get(case=case).pdf  # the rollback kept the PDF


# --- the dry-run report ----------------------------------------------------------------


def test_report_lists_what_would_go_and_changes_nothing(client, team_lead, case, settings):
    settings.RETENTION_CLOSED_CASE_YEARS = 1
    client.force_login(team_lead)
    response = client.get(reverse("privacy:retention_report"))
    assert response.status_code == 200
    assert case.case_number in response.content.decode()
    assert [i.due.case_id for i in response.context["to_anonymise"]] == [case.pk]
    assert Citizen.objects.get(pk=case.citizen_id).first_name == "Ida"
    assert not AuditEvent.objects.filter(action__startswith="privacy.").exists()


def test_anonymised_letter_cannot_be_downloaded(client, team_member, case):
    anonymise_due(now=BOUNDARY)
    letter = Letter.objects.get(case=case)
    client.force_login(team_member)
    assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 404
    page = client.get(reverse("applicants:case_detail", args=[case.pk]))
    assert "PDF slettet (anonymiseret)" in page.content.decode()


def test_erasure_rows_point_at_the_case(case):
    anonymise_due(now=BOUNDARY)
    event = AuditEvent.objects.get(action=retention.CASE_ANONYMISED)
    assert event.content_type == ContentType.objects.get_for_model(Case)
    assert event.actor is None and event.actor_label == "system"
