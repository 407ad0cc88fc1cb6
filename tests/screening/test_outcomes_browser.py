"""Each of the eleven screening outcomes recorded through the real form in
Chromium, in one browser session: the case reaches the outcome's stage and
the citizen gets the outcome's letter (or none, where nothing is decided
for the citizen). The hearing pages are on the way: a hearing answered by
phone before one stop, a § 19, stk. 2 exception before another. The
letters' wording is tested in test_screenings.py and read in the samples
of ``manage.py letter_samples``."""

import pytest

from applicants.models import BenefitType, Case
from mikrolaan.letters.models import Letter
from screening.models import outcome_spec
from tests.browser import assert_accessible, login
from tests.factories import CaseFactory
from tests.screening.browser_steps import fill_screening, preview_and_decide, shot

FACTS = "Du er kommet til 2 af de 6 aftalte møder siden september."
PENSION = BenefitType.FOERTIDSPENSION
# stage, outcome, benefit, extra fields (selector -> value), score,
# the stage reached, the letter kind (None: no letter), words in the preview
OUTCOMES = [
    ("screening_1", "referred", None, {}, 4, "business_development", "screening_decision",
     "visitere dig til mikrolånsteamet"),
    ("screening_1", "not_referred", None, {}, 2, "declined", "screening_decision",
     "ikke at visitere dig"),
    ("screening_2", "courses_granted", None, {"#id_module_residential": True}, 4, "courses",
     "course_grant", "Kursusinternat"),
    ("screening_2", "stop", None, {}, 2, "declined", "screening_decision",
     "stopper efter den 2. screening"),
    ("screening_3", "recommend", None, {"#id_loan_amount": "40.000"}, 4, "establishment", None,
     ""),
    ("screening_3", "stop", None, {}, 2, "declined", "screening_decision",
     "stopper efter den 3. screening"),
    ("screening_4", "extend", None, {"#id_extension_months": "2"}, 4, "running",
     "extension_decision", "med 2 måneder"),
    ("screening_4", "self_supporting", None, {"#id_support_ends_on": "2027-01-31"}, 4,
     "self_supporting", "support_end", "31. januar 2027"),
    ("screening_4", "business_stopped", None, {"#id_support_ends_on": "2027-01-31"}, 2,
     "declined", "support_end", "virksomhed er stoppet"),
    ("screening_4", "self_evaluation_only", PENSION, {}, 4, "running", None, ""),
    ("screening_4", "self_evaluation_closed", PENSION, {}, 4, "self_supporting", None, ""),
]  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_outcome_through_the_form_moves_the_case_and_sends_its_letter(
    browser_page, live_server, team_member, team_member2
):
    assert len(OUTCOMES) == 11
    page = browser_page
    login(page, live_server, team_member)
    for stage, outcome, benefit, extra, score, target, kind, words in OUTCOMES:
        case = CaseFactory(stage=stage, benefit_type=benefit or BenefitType.KONTANTHJAELP)
        page.goto(f"{live_server.url}/forloeb/{case.pk}/")
        number = stage[-1]
        page.get_by_role("button", name=f"Start {number}. screening").click()
        page.wait_for_selector(f"h1:has-text('{number}. screening')")
        adverse = outcome_spec(int(number), outcome).adverse
        fill_screening(
            page,
            colleague=team_member2.get_full_name(),
            score=score,
            outcome=outcome,
            facts=FACTS if adverse else "",
            reasons="Vi har lagt vægt på, hvordan du har arbejdet med din plan.",
        )
        for selector, value in extra.items():
            if value is True:
                page.check(selector)
            elif selector == "#id_extension_months":
                page.select_option(selector, value)
            else:
                page.fill(selector, value)
        if outcome == "self_evaluation_only":
            assert_accessible(page)  # screening 4's form, pension variant
        hearing_words = []
        if stage == "screening_2" and outcome == "stop":
            hearing_words = _hearing_answered_by_phone(page, case)
        if stage == "screening_3" and outcome == "stop":
            _no_hearing_by_exception(page)
        preview_and_decide(
            page,
            f"{number}-{outcome}",
            button="Træf afgørelsen og send brevet" if kind else "Registrér afgørelsen",
            letter_words=([words, FACTS] if adverse else ([words] if words else []))
            + hearing_words,
            prefix="screening-outcome",
        )
        stored = Case.objects.get(pk=case.pk)
        assert stored.stage == target, outcome
        letters = list(
            Letter.objects.filter(case=case).order_by("id").values_list("kind", flat=True)
        )
        heard = ["hearing"] if hearing_words else []
        assert letters == heard + ([kind] if kind else []), outcome


def _save_draft_with_unknown_information(page):
    page.check("#id_rests_on_unknown_information")
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_selector("text=Kladden er gemt")


def _hearing_answered_by_phone(page, case):
    """The adverse decision rests on a coach's note: the citizen is heard,
    answers by phone, and the answer is quoted in the letter."""
    _save_draft_with_unknown_information(page)
    page.get_by_role("link", name="Send en partshøring").click()
    page.fill("#id_information", "Din erhvervscoach har noteret, at budgettet ikke er færdigt.")
    assert page.input_value("#id_deadline")  # the default deadline is filled in
    shot(page, "hearing-form", "screening-outcome")
    assert_accessible(page)
    page.get_by_role("button", name="Send partshøringen").click()
    page.wait_for_selector("text=Partshøringen er sendt til borgeren.")
    # The case page shows the hearing as pending; staff register the answer.
    page.goto(f"{page.url.split('/screeninger/')[0]}/forloeb/{case.pk}/")
    assert "Afventer svar" in page.inner_text("main")
    page.get_by_role("link", name="Registrér bemærkninger").click()
    page.fill("#id_comments", "Jeg har været syg, men budgettet kommer på fredag.")
    assert_accessible(page)
    page.get_by_role("button", name="Registrér bemærkningerne").click()
    page.wait_for_selector("text=Borgerens bemærkninger er registreret.")
    return ["Jeg har været syg, men budgettet kommer på fredag."]


def _no_hearing_by_exception(page):
    """The team records which § 19, stk. 2 exception applies instead."""
    _save_draft_with_unknown_information(page)
    page.get_by_role("link", name="Afgør uden partshøring (§ 19, stk. 2)").click()
    page.check("input[name=exception][value=nr1]")
    page.fill("#id_reason", "Oplysningerne er borgerens egne fra budgettet.")
    assert_accessible(page)
    page.get_by_role("button", name="Registrér undtagelsen").click()
    page.wait_for_selector("text=Undtagelsen er registreret på sagen.")
