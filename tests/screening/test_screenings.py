"""The four screenings: records, outcomes driving the case, decision letters,
the hearing and the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import BenefitType, Case
from applicants.services import TransitionRefused, transition_case
from mikrolaan.letters.models import Letter
from mikrolaan.letters.rendering import render_letter_pdf
from screening import services
from screening.models import Hearing, HearingPurpose, Score, Screening, ScreeningLocked
from tests.factories import CaseFactory, MeetingFactory
from tests.letters.helpers import normalise, pdf_text
from tests.screening.helpers import FACTS, REASONS, decided_record, draft

# screening stage, outcome → the case's new stage, the letter kind (None: no
# letter to the citizen), and words the letter must hold.
TABLE = [
    (
        "screening_1",
        "referred",
        "business_development",
        "screening_decision",
        ["visitere dig til mikrolånsteamet efter den 1. screening"],
    ),
    (
        "screening_1",
        "not_referred",
        "declined",
        "screening_decision",
        ["ikke at visitere dig", "efter den 1. screening", "aktivloven § 65, stk. 3", FACTS],
    ),
    (
        "screening_2",
        "courses_granted",
        "courses",
        "course_grant",
        ["Moms og skat", "11. januar 2027", "datoerne får du"],
    ),
    (
        "screening_2",
        "stop",
        "declined",
        "screening_decision",
        ["stopper efter den 2. screening", "aktivloven § 65", FACTS],
    ),
    ("screening_3", "recommend", "establishment", None, []),
    (
        "screening_3",
        "stop",
        "declined",
        "screening_decision",
        ["stopper efter den 3. screening", FACTS],
    ),
    (
        "screening_4",
        "extend",
        "running",
        "extension_decision",
        ["forlænge dit tilskud til forsørgelse med 2 måneder", "aktivloven § 65, stk. 3"],
    ),
    (
        "screening_4",
        "self_supporting",
        "self_supporting",
        "support_end",
        ["ophører den 31. december 2026", "forsørge dig selv", "Klagevejledning"],
    ),
    (
        "screening_4",
        "business_stopped",
        "declined",
        "support_end",
        ["virksomhed er stoppet", "netværksdagene"],
    ),
]


@pytest.fixture
def team(team_member, team_member2):
    return [team_member, team_member2]


@pytest.mark.parametrize(("stage", "outcome", "target", "kind", "words"), TABLE)
def test_every_outcome_moves_the_case_and_sends_its_letter(
    team, stage, outcome, target, kind, words
):
    case = CaseFactory(stage=stage)
    screening = draft(case, staff=team, outcome=outcome)
    services.decide_screening(actor=team[0], screening=screening)
    assert Case.objects.get(pk=case.pk).stage == target
    letters = list(Letter.objects.filter(case=case))
    if kind is None:
        assert letters == []
        return
    assert [letter.kind for letter in letters] == [kind]
    text = normalise(pdf_text(render_letter_pdf(letters[0])))
    for word in [*words, REASONS, "Klagevejledning", "Aktindsigt", case.case_number]:
        assert normalise(word) in text, word
    # The scores become sentences, not numbers.
    assert "vi vurderer det som godt" in text
    assert "PLADSHOLDER" not in text


def test_the_scores_read_as_sentences_to_the_citizen():
    from screening.letters import score_sentences
    from screening.models import Score

    text = score_sentences(
        [
            Score(title="Borgerens historie", score=4, note="Du har fortalt åbent."),
            Score(title="Kan forretningsplanen realiseres?", score=2),
            Score(title="Kan medarbejderne skabe en tillidsrelation til borgeren?", score=5),
            Score(title="Motivation", score=None),
        ]
    )
    assert text.splitlines() == [
        "Din historie: vi vurderer det som godt. Du har fortalt åbent.",
        "Kan forretningsplanen realiseres? Vi vurderer det som svagt.",
        "Kan medarbejderne skabe en tillidsrelation til dig? Vi vurderer det som meget godt.",
    ]


def test_a_foertidspensionist_does_the_self_evaluation_without_a_decision(client, team):
    case = CaseFactory(stage="screening_4", benefit_type=BenefitType.FOERTIDSPENSION)
    screening = draft(case, staff=team, outcome="extend")
    assert "Vælg et udfald af screeningen." in services.decision_problems(screening)
    screening = services.save_draft(
        actor=team[0], screening=screening, data={"outcome": "self_evaluation_only"}
    )
    services.decide_screening(actor=team[0], screening=screening)
    assert Case.objects.get(pk=case.pk).stage == "running"
    assert not Letter.objects.filter(case=case).exists()
    # At a later self-evaluation the team closes the case: the business runs
    # on and the pension continues, so there is no support to end.
    transition_case(case=Case.objects.get(pk=case.pk), transition="to_screening_4", actor=team[0])
    screening = draft(Case.objects.get(pk=case.pk), staff=team, outcome="self_evaluation_closed")
    assert services.allowed_outcomes(screening) == [
        "self_evaluation_only",
        "self_evaluation_closed",
    ]
    assert services.decision_problems(screening) == []
    client.force_login(team[0])
    body = client.get(reverse("screening:preview", args=[case.pk, screening.pk])).content.decode()
    assert "Der sendes ikke et afgørelsesbrev" in body and "beholder sin førtidspension" in body
    services.decide_screening(actor=team[0], screening=screening)
    assert Case.objects.get(pk=case.pk).stage == "self_supporting"
    assert not Letter.objects.filter(case=case).exists()


def test_the_pension_outcomes_are_not_offered_to_a_citizen_on_kontanthjaelp(team):
    case = CaseFactory(stage="screening_4", benefit_type=BenefitType.KONTANTHJAELP)
    screening = draft(case, staff=team, outcome="self_evaluation_closed")
    assert services.allowed_outcomes(screening) == ["extend", "self_supporting", "business_stopped"]
    assert "Vælg et udfald af screeningen." in services.decision_problems(screening)


def test_fewer_than_two_staff_is_refused_in_danish(team_member):
    case = CaseFactory(stage="screening_1")
    screening = draft(case, staff=[team_member], outcome="referred")
    with pytest.raises(services.ScreeningRefused) as exc:
        services.decide_screening(actor=team_member, screening=screening)
    assert "Der skal være mindst to medarbejdere med i screeningen." in exc.value.reasons[0]
    assert Case.objects.get(pk=case.pk).stage == "screening_1"


def test_a_screening_stage_cannot_be_left_without_a_decided_record(team_member):
    for stage, transition in [
        ("screening_1", "admit"),
        ("screening_2", "grant_courses"),
        ("screening_3", "recommend_loan"),
        ("screening_4", "end_support"),
    ]:
        case = CaseFactory(stage=stage)
        with pytest.raises(TransitionRefused) as exc:
            transition_case(case=case, transition=transition, actor=team_member)
        assert any("er afgjort og registreret" in r for r in exc.value.reasons)


def test_a_record_decided_with_another_outcome_does_not_open_the_other_door(team):
    case = CaseFactory(stage="screening_2")
    screening = draft(case, staff=team, outcome="courses_granted")
    services.decide_screening(actor=team[0], screening=screening)
    case = Case.objects.get(pk=case.pk)
    assert case.stage == "courses"


def test_leaving_the_second_meeting_needs_the_meeting_and_the_person_profile(
    team_member, citizen_user
):
    from applicants.portal import services as portal
    from tests.applicants.portal_helpers import submitted_person_profile
    from tests.factories import CitizenFactory

    case = CaseFactory(stage="second_meeting", citizen=CitizenFactory(user=citizen_user))
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="to_screening_1", actor=team_member)
    assert exc.value.reasons == [
        "2. personlige møde er holdt, og borgeren kom til mødet",
        "Personprofilen er sendt i portalen eller registreret af teamet for borgeren "
        "(og den er ikke sendt tilbage til rettelse)",
    ]
    MeetingFactory(case=case, kind="second", staff=[team_member])
    # A draft is not enough, nor a profile the team sent back.
    version = submitted_person_profile(case, citizen_user)
    portal.review_version(actor=team_member, version=version, accept=False, message="Uddyb.")
    with pytest.raises(TransitionRefused) as exc:
        transition_case(case=case, transition="to_screening_1", actor=team_member)
    assert [r for r in exc.value.reasons if "Personprofilen" in r]
    form = portal.form_for(case, "person_profile")
    portal.submit_form(actor=citizen_user, form=form)
    transition_case(case=case, transition="to_screening_1", actor=team_member)
    assert Case.objects.get(pk=case.pk).stage == "screening_1"


def test_an_adverse_decision_needs_facts(team):
    case = CaseFactory(stage="screening_2")
    screening = draft(case, staff=team, outcome="stop", facts="")
    problems = services.decision_problems(screening)
    assert any("oplysninger, vi har lagt vægt på" in p for p in problems)


def test_a_decided_record_cannot_be_changed(team):
    case = CaseFactory(stage="screening_1")
    screening = services.decide_screening(
        actor=team[0], screening=draft(case, staff=team, outcome="referred")
    )
    screening = Screening.objects.get(pk=screening.pk)
    screening.reasons = "Ændret bagefter"
    with pytest.raises(ScreeningLocked):
        screening.save()
    score = Score.objects.filter(screening=screening).first()
    score.score = 1
    with pytest.raises(ScreeningLocked):
        score.save()
    with pytest.raises(ScreeningLocked):
        services.save_draft(actor=team[0], screening=screening, data={"reasons": "x"})


def test_a_correction_is_a_new_record_pointing_at_the_old(team):
    case = CaseFactory(stage="screening_2")
    original = services.decide_screening(
        actor=team[0], screening=draft(case, staff=team, outcome="courses_granted")
    )
    correction = services.start_screening(actor=team[0], case=case, replaces=original)
    correction = services.save_draft(
        actor=team[0], screening=correction, data={"reasons": "Rettet begrundelse til dig."}
    )
    services.decide_screening(actor=team[0], screening=correction)
    original.refresh_from_db()
    assert original.reasons == REASONS and original.replaced_by.pk == correction.pk
    letters = list(Letter.objects.filter(case=case).order_by("version"))
    assert [(lt.version, lt.supersedes_id) for lt in letters] == [(1, None), (2, letters[0].pk)]
    assert Case.objects.get(pk=case.pk).stage == "courses"


def test_a_correction_cannot_turn_the_decision_around(client, team):
    case = CaseFactory(stage="screening_2")
    original = services.decide_screening(
        actor=team[0], screening=draft(case, staff=team, outcome="courses_granted")
    )
    correction = services.start_screening(actor=team[0], case=case, replaces=original)
    assert services.allowed_outcomes(correction) == ["courses_granted"]
    client.force_login(team[0])
    body = client.get(reverse("screening:edit", args=[case.pk, correction.pk])).content.decode()
    assert "Udfaldet kan ikke ændres" in body and 'value="stop"' not in body
    correction = services.save_draft(actor=team[0], screening=correction, data={"outcome": "stop"})
    with pytest.raises(services.ScreeningRefused) as exc:
        services.decide_screening(actor=team[0], screening=correction)
    assert exc.value.reasons == [
        "En rettelse skal have samme udfald som den screening, den erstatter. Et andet udfald "
        "kræver en ny afgørelse efter klage eller genoptagelse."
    ]
    assert Case.objects.get(pk=case.pk).stage == "courses"
    assert Letter.objects.filter(case=case).count() == 1


def test_the_loan_must_stay_within_the_scheme_and_warns_outside_the_range(team):
    case = CaseFactory(stage="screening_3")
    screening = draft(case, staff=team, outcome="recommend", loan_amount="60000")
    assert any("højst være 50.000" in p for p in services.decision_problems(screening))
    screening = services.save_draft(
        actor=team[0], screening=screening, data={"loan_amount": "20000"}
    )
    assert services.decision_problems(screening) == []
    scheme = case.municipality.current_scheme()
    assert "uden for ordningens anbefalede interval" in services.loan_range_warning(
        screening, scheme
    )


def test_extensions_stay_within_the_cap(team):
    case = CaseFactory(stage="screening_4")
    for months in (3, 3):
        services.decide_screening(
            actor=team[0],
            screening=draft(case, staff=team, outcome="extend", extension_months=months),
        )
        transition_case(
            case=Case.objects.get(pk=case.pk), transition="to_screening_4", actor=team[0]
        )
    screening = draft(
        Case.objects.get(pk=case.pk), staff=team, outcome="extend", extension_months=1
    )
    assert any("loftet" in p for p in services.decision_problems(screening))


# --- the hearing ------------------------------------------------------------------


def test_a_hearing_blocks_the_adverse_decision_until_the_deadline(team):
    case = CaseFactory(stage="screening_2")
    screening = draft(case, staff=team, outcome="stop", rests_on_unknown_information=True)
    problems = services.decision_problems(screening)
    assert any("send en partshøring" in p for p in problems)
    hearing = services.send_hearing(
        actor=team[0],
        case=case,
        screening=screening,
        information="Din coach har noteret, at budgettet mangler.",
    )
    assert hearing.deadline == timezone.localdate() + datetime.timedelta(days=14)
    assert Letter.objects.get(pk=hearing.letter_id).kind == "hearing"
    with pytest.raises(services.ScreeningRefused) as exc:
        services.decide_screening(actor=team[0], screening=screening)
    assert any("Partshøringen kører stadig" in r for r in exc.value.reasons)
    Hearing.objects.filter(pk=hearing.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    services.decide_screening(actor=team[0], screening=screening)
    assert Case.objects.get(pk=case.pk).stage == "declined"


def test_the_citizens_comments_unblock_and_are_quoted_in_the_letter(client, team):
    case = CaseFactory(stage="screening_2")
    screening = draft(case, staff=team, outcome="stop", rests_on_unknown_information=True)
    hearing = services.send_hearing(
        actor=team[0], case=case, screening=screening, information="Budgettet mangler."
    )
    services.register_hearing_comments(
        actor=team[0], hearing=hearing, channel="phone", comments="Jeg har været syg i tre uger."
    )
    # The form shows the comments and asks the team to answer them in the reasons.
    client.force_login(team[0])
    body = client.get(reverse("screening:edit", args=[case.pk, screening.pk])).content.decode()
    assert "»Jeg har været syg i tre uger.«" in body
    assert "hvordan I har forholdt jer til dem" in body
    services.decide_screening(actor=team[0], screening=screening)
    letter = Letter.objects.get(case=case, kind="screening_decision")
    text = normalise(pdf_text(render_letter_pdf(letter)))
    assert "Jeg har været syg i tre uger." in text
    assert "taget dine bemærkninger med i vurderingen" in text


def test_the_exception_path_records_which_paragraph_applies(team):
    case = CaseFactory(stage="screening_3")
    screening = draft(case, staff=team, outcome="stop", rests_on_unknown_information=True)
    services.record_hearing_exception(
        actor=team[0],
        case=case,
        screening=screening,
        exception="nr1",
        reason="Oplysningerne er borgerens egne.",
    )
    services.decide_screening(actor=team[0], screening=screening)
    assert Case.objects.get(pk=case.pk).stage == "declined"


def test_ending_a_case_for_absence_is_a_decision_after_a_hearing(team):
    case = CaseFactory(stage="courses")
    with pytest.raises(TransitionRefused) as exc:
        transition_case(
            case=case,
            transition="end_case",
            actor=team[0],
            reason="x",
            data={"facts": "Tre udeblivelser."},
        )
    assert any("partshørt" in r for r in exc.value.reasons)
    services.send_hearing(
        actor=team[0],
        case=case,
        purpose=HearingPurpose.END_CASE,
        information="Du er ikke kommet til tre møder.",
    )
    with pytest.raises(TransitionRefused):
        transition_case(
            case=case,
            transition="end_case",
            actor=team[0],
            reason="x",
            data={"facts": "Tre udeblivelser."},
        )
    Hearing.objects.filter(case=case).update(deadline=timezone.localdate() - datetime.timedelta(1))
    transition_case(
        case=Case.objects.get(pk=case.pk),
        transition="end_case",
        actor=team[0],
        reason="Vi har lagt vægt på, at du ikke er kommet.",
        data={"facts": "Du er ikke kommet til tre møder i marts."},
    )
    letter = Letter.objects.get(case=case, kind="decision")
    text = normalise(pdf_text(render_letter_pdf(letter)))
    assert "afslutte dit mikrolånsforløb" in text and "Klagevejledning" in text


# --- pages --------------------------------------------------------------------------


def test_the_screening_form_shows_criteria_guidance_basis_and_team(client, team):
    case = CaseFactory(stage="screening_1")
    MeetingFactory(case=case, kind="second", place="Café Globus")
    screening = services.start_screening(actor=team[0], case=case)
    client.force_login(team[0])
    body = client.get(reverse("screening:edit", args=[case.pk, screening.pk])).content.decode()
    assert "Selvbillede og motivation" in body
    assert "villig til at tage imod gode råd" in body
    assert "2. personlige møde" in body
    assert "Anders" in body and "Alice" in body
    # The date inputs get ISO dates (a Danish date would show as empty).
    assert f'name="held_on" value="{timezone.localdate().isoformat()}"' in body


def test_the_form_saves_a_draft_and_the_preview_decides(client, team):
    case = CaseFactory(stage="screening_1")
    screening = services.start_screening(actor=team[0], case=case)
    client.force_login(team[0])
    url = reverse("screening:edit", args=[case.pk, screening.pk])
    data = {
        "held_on": timezone.localdate().isoformat(),
        "staff": [u.pk for u in team],
        "outcome": "referred",
        "reasons": REASONS,
        "preview": "1",
    }
    for score in screening.scores.all():
        data[f"score_{score.pk}"] = "4"
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("/afgoer/")
    body = client.get(response.url).content.decode()
    assert "Træf afgørelsen og send brevet" in body and REASONS in body
    client.post(response.url)
    assert Case.objects.get(pk=case.pk).stage == "business_development"


def test_the_case_page_shows_screenings_and_its_query_count_does_not_grow(
    client, team, django_assert_num_queries
):
    case = CaseFactory(stage="screening_2")
    draft(case, staff=team, outcome="stop")
    client.force_login(team[0])
    url = reverse("applicants:case_detail", args=[case.pk])
    client.get(url)
    # The screenings section: screenings, their scores, staff and course
    # grants, and the hearings — five queries, however many screenings.
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        client.get(url)
    Screening.objects.filter(case=case).update(number=1)
    draft(Case.objects.get(pk=case.pk), staff=team, outcome="courses_granted")
    Hearing.objects.create(
        case=case, purpose=HearingPurpose.END_CASE, information="x", deadline=timezone.localdate()
    )
    for number in (3, 4):
        decided_record(case, number, "stop" if number == 3 else "extend").staff.set(team)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        body = client.get(url).content.decode()
    assert "2. screening" in body and "Note om" in body and "Afventer svar" in body


# The case page with screenings: the 21 of a case page without them (see
# test_query_counts in tests/applicants; six of them the courses' section,
# its coming sessions and the cohort's week 1, three the loans') and five
# for what the screenings hold (the screenings,
# their scores, staff and course grants, the hearings); the same for one
# screening as for four and a hearing.
CASE_PAGE_QUERIES = 26


def test_the_team_start_page_lists_screenings_due_and_hearings_past_deadline(client, team):
    case = CaseFactory(stage="screening_3")
    other = CaseFactory(stage="courses")
    Hearing.objects.create(
        case=other,
        purpose=HearingPurpose.END_CASE,
        information="x",
        deadline=timezone.localdate() - datetime.timedelta(days=2),
    )
    client.force_login(team[0])
    body = client.get(reverse("home")).content.decode()
    assert "Screeninger, der venter" in body and case.case_number in body
    assert "fristen er udløbet" in body.lower() and other.case_number in body


def test_the_citizen_answers_the_hearing_in_the_portal(client, team, citizen_user):
    from tests.factories import CitizenFactory

    case = CaseFactory(stage="screening_2", citizen=CitizenFactory(user=citizen_user))
    hearing = services.send_hearing(actor=team[0], case=case, information="Budgettet mangler.")
    client.force_login(citizen_user)
    url = reverse("screening:portal_hearing", args=[hearing.pk])
    assert "Budgettet mangler." in client.get(url).content.decode()
    client.post(url, {"comments": "Det kommer på fredag."})
    hearing.refresh_from_db()
    assert hearing.comments_channel == "portal" and hearing.answered


def test_request_letter_refuses_a_placeholder_kind(team, monkeypatch):
    from mikrolaan.letters import registry
    from mikrolaan.letters.registry import LetterKind, LetterKindError
    from mikrolaan.letters.services import request_letter

    # Every kind of SPEC §8 has its text by now; a kind added as a placeholder
    # (registered so that letter_samples shows it) must still never be sent.
    kind = LetterKind(
        id="test_placeholder",
        title="Pladsholder",
        template="letters/kinds/placeholder.html",
        version="1",
        placeholder=True,
    )
    monkeypatch.setitem(registry._KINDS, kind.id, kind)
    with pytest.raises(LetterKindError):
        request_letter(kind=kind.id, case=CaseFactory(), context={})


def test_screening_3_shows_the_budgets_and_rests_on_the_portals_forms(client, team):
    from applicants.portal import services as portal
    from applicants.portal.definitions import FormKind
    from tests.applicants.portal_helpers import submitted_business_plan

    case = CaseFactory(stage="screening_3")
    version = submitted_business_plan(case, case.citizen.user or team[0])
    budget = portal.form_for(case, FormKind.ESTABLISHMENT_BUDGET)
    portal.save_draft(
        actor=team[0], form=budget, values={"machines": "60.000", "own_savings": "5.000"}
    )
    screening = services.start_screening(actor=team[0], case=case)
    client.force_login(team[0])
    body = client.get(reverse("screening:edit", args=[case.pk, screening.pk])).content.decode()
    assert "Lånebehov" in body and "55.000" in body
    assert "Lånebehovet er over ordningens maksimum." in body
    assert "tallene er fra borgerens kladde" in body
    assert f"forms:{version.pk}" in body  # the submitted plan is offered as basis


def test_every_demo_case_past_a_screening_has_the_record_its_step_needed(db):
    import io

    from django.core.management import call_command

    from applicants.models import CaseTransition
    from mikrolaan.tenancy import unscoped
    from screening.models import STAGE_OF, Status, outcome_spec

    with unscoped():
        call_command("seed_demo", stdout=io.StringIO())
        steps = list(
            CaseTransition.objects.filter(from_stage__in=list(STAGE_OF.values())).select_related(
                "case"
            )
        )
        assert len(steps) >= 10
        for step in steps:
            number = int(step.from_stage[-1])
            records = Screening.objects.filter(case=step.case, number=number, status=Status.DECIDED)
            assert any(
                outcome_spec(number, r.outcome).transition == step.transition
                and r.outcome in services.allowed_outcomes(r)
                and r.staff.count() >= 2
                for r in records
            ), (step.case.case_number, step.transition)
        # One case has a hearing still running.
        assert Hearing.objects.filter(deadline__gt=timezone.localdate(), comments="").exists()
