"""Subsistence support: eligibility by benefit type, the scheme's period,
step and cap, refusals and ends as decision letters, and the support watch."""

import datetime
from decimal import Decimal

import pytest

from applicants.models import BenefitType, Case, Stage
from applicants.services import transition_case
from loans import services
from loans.jobs import support_watch
from loans.models import (
    Loan,
    LoanState,
    StaffTask,
    SupportDecision,
    SupportEndReason,
    SupportGrant,
    SupportState,
)
from loans.services import SupportRefused
from loans.support import period_end
from mikrolaan.letters.models import Letter
from mikrolaan.letters.rendering import render_letter_pdf
from screening import services as screening_services
from tests.factories import CaseFactory
from tests.letters.helpers import normalise, pdf_text
from tests.screening.helpers import draft

from .helpers import make_loan

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 12, 1)


def _grant(case, actor, starts_on=START):
    return services.grant_support(
        actor=actor,
        case=case,
        starts_on=starts_on,
        facts="Du har gennemført kompetenceforløbet.",
        reasons="Forretningsplanen er realistisk.",
    )


def _text(letter) -> str:
    return normalise(pdf_text(render_letter_pdf(letter)))


@pytest.mark.parametrize(
    "benefit,eligible",
    [
        (BenefitType.KONTANTHJAELP, True),
        (BenefitType.SYGEDAGPENGE, True),
        (BenefitType.FOERTIDSPENSION, False),
    ],
)
def test_eligibility_follows_the_benefit_before_start(team_member, benefit, eligible):
    case = CaseFactory(stage=Stage.ESTABLISHMENT, benefit_type=benefit)
    if eligible:
        grant = _grant(case, team_member)
        assert grant.months == 6
        assert grant.ends_on == datetime.date(2027, 5, 31)
    else:
        with pytest.raises(SupportRefused, match="beholder sin pension"):
            _grant(case, team_member)
        assert not SupportGrant.objects.filter(case=case).exists()


def test_a_foertidspensionist_case_page_says_so_instead_of_offering_a_grant(client, team_member):
    from django.urls import reverse

    case = CaseFactory(stage=Stage.ESTABLISHMENT, benefit_type=BenefitType.FOERTIDSPENSION)
    client.force_login(team_member)
    body = client.get(reverse("loans:support", args=[case.pk])).content.decode()
    assert "beholder sin pension" in body
    assert "Bevilg tilskud" not in body


def test_the_grant_is_a_decision_letter_with_the_schemes_legal_basis(team_member):
    case = CaseFactory(stage=Stage.ESTABLISHMENT)
    _grant(case, team_member)
    decision = SupportDecision.objects.get(case=case)
    assert decision.letter.kind == "support_decision"
    text = _text(decision.letter)
    for words in ["1. december 2026", "31. maj 2027", "aktivloven § 65, stk. 3", "Klagevejledning"]:
        assert normalise(words) in text, words


@pytest.mark.parametrize(
    "start,months,end",
    [
        (datetime.date(2026, 12, 1), 6, datetime.date(2027, 5, 31)),
        (datetime.date(2027, 1, 31), 1, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 15), 3, datetime.date(2027, 2, 14)),
    ],
)
def test_period_end(start, months, end):
    assert period_end(start, months) == end


def test_extensions_follow_the_schemes_step_and_cap(team_member):
    case = CaseFactory(stage=Stage.RUNNING)
    _grant(case, team_member)
    with pytest.raises(SupportRefused, match="1–3 måneder ad gangen"):
        services.extend_support(actor=team_member, case=case, months=4)
    services.extend_support(actor=team_member, case=case, months=3)
    services.extend_support(actor=team_member, case=case, months=3)
    grant = SupportGrant.objects.get(case=case)
    assert grant.extended_months == 6
    assert grant.ends_on == datetime.date(2027, 11, 30)
    with pytest.raises(SupportRefused, match="i alt højst 6 måneder"):
        services.extend_support(actor=team_member, case=case, months=1)


def test_change_the_scheme_and_the_rule_follows(team_member):
    case = CaseFactory(stage=Stage.RUNNING)
    scheme = case.municipality.current_scheme()
    scheme.support_months = 4
    scheme.extension_step_max_months = 4
    scheme.extension_cap_months = 4
    scheme.save()
    grant = _grant(case, team_member)
    assert grant.months == 4 and grant.ends_on == datetime.date(2027, 3, 31)
    services.extend_support(actor=team_member, case=case, months=4)
    with pytest.raises(SupportRefused, match="i alt højst 4 måneder"):
        services.extend_support(actor=team_member, case=case, months=1)


def test_a_refusal_names_the_rule_and_states_the_right_to_complain(team_member):
    case = CaseFactory(stage=Stage.RUNNING)
    _grant(case, team_member)
    services.extend_support(actor=team_member, case=case, months=3)
    services.extend_support(actor=team_member, case=case, months=3)
    decision = services.refuse_support(
        actor=team_member,
        case=case,
        months=2,
        facts="Du har bedt om 2 måneder mere.",
        reasons="Loftet er nået.",
    )
    text = _text(decision.letter)
    assert normalise("i alt højst 6 måneder") in text
    assert "Klagevejledning" in text and "Ankestyrelsen" in text
    assert normalise("Du har bedt om 2 måneder mere.") in text


def test_screening_4_extension_moves_the_grant_and_keeps_its_letter(team_member, team_member2):
    case = CaseFactory(stage=Stage.RUNNING)
    _grant(case, team_member)
    transition_case(case=case, transition="to_screening_4", actor=team_member)
    screening = draft(
        Case.objects.get(pk=case.pk), staff=[team_member, team_member2], outcome="extend"
    )
    screening_services.decide_screening(actor=team_member, screening=screening)
    grant = SupportGrant.objects.get(case=case)
    assert grant.extended_months == 2
    assert grant.ends_on == datetime.date(2027, 7, 31)
    extension = SupportDecision.objects.get(case=case, kind="extension")
    assert extension.letter.kind == "extension_decision"


def test_screening_4_self_supporting_ends_the_grant_and_the_loan_runs_on(team_member, team_member2):
    loan = make_loan()
    case = loan.case
    _grant(case, team_member)
    Case.objects.filter(pk=case.pk).update(stage=Stage.SCREENING_4)
    screening = draft(
        Case.objects.get(pk=case.pk), staff=[team_member, team_member2], outcome="self_supporting"
    )
    screening_services.decide_screening(actor=team_member, screening=screening)
    grant = SupportGrant.objects.get(case=case)
    assert grant.state == SupportState.ENDED
    assert grant.end_reason == SupportEndReason.SELF_SUPPORTING
    assert Loan.objects.get(pk=loan.pk).state == LoanState.DISBURSED
    letter = Letter.objects.get(case=case, kind="support_end")
    assert "skal stadig betales tilbage" in _text(letter)


def test_withdrawal_ends_support_with_a_letter_and_says_the_loan_keeps_running(team_member):
    loan = make_loan()
    case = loan.case
    _grant(case, team_member)
    transition_case(
        case=Case.objects.get(pk=case.pk), transition="withdraw", actor=team_member, reason="Job."
    )
    assert Loan.objects.get(pk=loan.pk).state == LoanState.DISBURSED
    grant = SupportGrant.objects.get(case=case)
    assert grant.state == SupportState.ENDED and grant.end_reason == SupportEndReason.WITHDRAWN
    withdrawal = Letter.objects.get(case=case, kind="withdrawal_confirmation")
    assert withdrawal.context["has_loan"] is True
    assert "skal stadig betales tilbage" in _text(withdrawal)
    end = SupportDecision.objects.get(case=case, kind="end").letter
    text = _text(end)
    assert "skal stadig betales tilbage" in text and "Klagevejledning" in text


def test_withdrawal_without_a_loan_says_nothing_of_one(team_member):
    case = CaseFactory(stage=Stage.COURSES)
    transition_case(case=case, transition="withdraw", actor=team_member, reason="Job.")
    withdrawal = Letter.objects.get(case=case, kind="withdrawal_confirmation")
    assert withdrawal.context["has_loan"] is False


def test_screening_3_recommendation_creates_the_recommended_loan(team_member, team_member2):
    case = CaseFactory(stage=Stage.SCREENING_3)
    screening = draft(case, staff=[team_member, team_member2], outcome="recommend")
    screening_services.decide_screening(actor=team_member, screening=screening)
    loan = Loan.objects.get(case=case)
    assert loan.state == LoanState.RECOMMENDED
    assert loan.principal == Decimal("40000")
    assert loan.recommended_by == team_member
    assert loan.screening_id == screening.pk


def test_support_watch_makes_one_task_and_one_request_however_often_it_runs(team_member):
    case = CaseFactory(stage=Stage.RUNNING, responsible=team_member)
    grant = _grant(case, team_member)
    early = grant.ends_on - datetime.timedelta(days=40)
    assert support_watch(today=early) == 0
    today = grant.ends_on - datetime.timedelta(days=20)
    assert support_watch(today=today) == 1
    assert support_watch(today=today) == 0
    assert support_watch(today=today + datetime.timedelta(days=1)) == 0
    assert StaffTask.objects.filter(case=case).count() == 1
    assert Letter.objects.filter(case=case, kind="self_evaluation_request").count() == 1
    task = StaffTask.objects.get(case=case)
    assert task.assigned_to == team_member and task.due_on == grant.ends_on
    # An extension moves the end: the watch warns once more before the new end.
    services.extend_support(actor=team_member, case=case, months=2)
    grant.refresh_from_db()
    later = grant.ends_on - datetime.timedelta(days=10)
    assert support_watch(today=later) == 1
    assert support_watch(today=later) == 0
    assert StaffTask.objects.filter(case=case).count() == 2


def test_the_self_evaluation_request_reads_well(team_member):
    case = CaseFactory(stage=Stage.RUNNING)
    grant = _grant(case, team_member)
    support_watch(today=grant.ends_on - datetime.timedelta(days=20))
    text = _text(Letter.objects.get(case=case, kind="self_evaluation_request"))
    assert normalise("31. maj 2027") in text and "selvevaluering" in text


def test_refusing_an_extension_needs_the_months_asked_for(team_member):
    case = CaseFactory(stage=Stage.RUNNING)
    _grant(case, team_member)
    with pytest.raises(SupportRefused, match="forlængelse"):
        services.refuse_support(
            actor=team_member, case=case, months=None, facts="Bedt om mere.", reasons="Nej."
        )
