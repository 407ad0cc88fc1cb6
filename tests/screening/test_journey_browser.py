"""The screenings in a real browser: a demo case waiting in the 1st screening
is taken through screenings 1–3 to establishment by two team members — the
scores, notes, reasons, staff and outcome typed into the form, the decision
and its letter read on the preview, the decision taken. Every screening page
passes axe-core; screenshots go to test-artifacts/ (kept as artefacts)."""

import io

import pytest
from django.core.management import call_command

from applicants.models import Case
from mikrolaan.demo import DEMO_PASSWORD
from mikrolaan.letters.models import Letter
from mikrolaan.tenancy import unscoped
from screening.models import Screening, Status
from tests.browser import assert_accessible, login
from tests.screening.browser_steps import fill_screening, logout, preview_and_decide, shot

# Dorthe Kristensen's demo case waits in the 1st screening.
DEMO_CPR = "0302751014"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_demo_case_goes_through_screenings_1_to_3_in_chromium(browser_page, live_server):
    with unscoped():
        call_command("seed_demo", stdout=io.StringIO())
        case = Case.objects.get(citizen__cpr=DEMO_CPR, municipality__code="751")
    assert case.stage == "screening_1"
    page = browser_page
    case_url = f"{live_server.url}/forloeb/{case.pk}/"

    # 1. screening, by Mette with Jonas: referred to the team.
    login(page, live_server, _user("medarbejder"), password=DEMO_PASSWORD)
    page.goto(case_url)
    assert page.inner_text("[data-testid=stage]") == "1. screening"
    page.get_by_role("button", name="Start 1. screening").click()
    page.wait_for_selector("h1:has-text('1. screening')")
    assert "villig til at tage imod gode råd" in page.inner_text("main")  # the guidance
    shot(page, "1-form-empty")
    assert_accessible(page)
    # Deciding with scores missing is refused on the preview, in Danish.
    page.get_by_role("button", name="Gem og se afgørelsen og brevet").click()
    page.wait_for_selector("#error-summary")
    assert "Giv en score (1–5) for hvert kriterium" in page.inner_text("#error-summary")
    assert "mindst to medarbejdere" in page.inner_text("#error-summary")
    shot(page, "1-preview-refused")
    assert_accessible(page)
    page.get_by_role("link", name="Tilbage til screeningen").click()
    fill_screening(
        page,
        colleague="Jonas Holm",
        score=4,
        outcome="referred",
        reasons="Vi har lagt vægt på, at du er motiveret og tager godt imod råd om din plan.",
    )
    shot(page, "1-form-filled")
    assert_accessible(page)
    preview_and_decide(
        page,
        "1",
        button="Træf afgørelsen og send brevet",
        letter_words=["visitere dig til mikrolånsteamet efter den 1. screening", "du er motiveret"],
    )
    assert page.inner_text("[data-testid=stage]") == "Forretningsudvikling og kompetenceafklaring"
    shot(page, "1-case-page")
    assert_accessible(page)

    # 2. screening: course modules granted, naming which and when.
    page.get_by_role("button", name="Gå videre til 2. screening").click()
    page.get_by_role("button", name="Start 2. screening").click()
    page.wait_for_selector("h1:has-text('2. screening')")
    fill_screening(
        page,
        colleague="Jonas Holm",
        score=4,
        outcome="courses_granted",
        reasons="Vi har lagt vægt på, at du er kommet stabilt til møderne og har lavet budgetter.",
    )
    page.check("#id_module_accounting")
    page.fill("#id_module_accounting_starts", "2027-01-11")
    page.fill("#id_module_accounting_ends", "2027-03-01")
    page.check("#id_module_vat_tax")
    shot(page, "2-form-filled")
    assert_accessible(page)
    preview_and_decide(
        page,
        "2",
        button="Træf afgørelsen og send brevet",
        letter_words=["Moms og skat", "11. januar 2027"],
    )
    assert page.inner_text("[data-testid=stage]") == "Kompetenceforløb"
    logout(page)

    # 3. screening, by Jonas with Mette: a loan and support recommended.
    login(page, live_server, _user("medarbejder2"), password=DEMO_PASSWORD)
    page.goto(case_url)
    page.get_by_role("button", name="Gå videre til 3. screening").click()
    page.get_by_role("button", name="Start 3. screening").click()
    page.wait_for_selector("h1:has-text('3. screening')")
    fill_screening(
        page,
        colleague="Mette Madsen",
        score=5,
        outcome="recommend",
        reasons="Vi har lagt vægt på, at dit budget er realistisk, og at du var engageret på "
        "internatet.",
    )
    page.fill("#id_loan_amount", "35.000")
    page.check("#id_recommend_support")
    shot(page, "3-form-filled")
    assert_accessible(page)
    preview_and_decide(page, "3", button="Registrér afgørelsen")
    assert page.inner_text("[data-testid=stage]") == "Forsørgelse og lånetablering"
    shot(page, "3-case-page")
    assert_accessible(page)
    # The decided record, and the internal "vurdering og indstilling" (PDF).
    page.get_by_role("link", name="Se screeningen 3. screening").click()
    page.wait_for_selector("h1:has-text('3. screening')")
    assert "35.000" in page.inner_text("main")
    shot(page, "3-detail")
    assert_accessible(page)
    href = page.get_by_role("link", name="Vurdering og indstilling (PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"

    # The record: three decided screenings by both team members, and the two
    # decision letters (the indstilling is the team lead's to decide on).
    case.refresh_from_db()
    assert case.stage == "establishment"
    decided = Screening.objects.filter(case=case, status=Status.DECIDED).order_by("number")
    assert [(s.number, s.outcome) for s in decided] == [
        (1, "referred"),
        (2, "courses_granted"),
        (3, "recommend"),
    ]
    for s in decided:
        assert sorted(u.username for u in s.staff.all()) == ["medarbejder", "medarbejder2"]
        assert all(score.score for score in s.scores.all())
    assert str(decided[2].loan_amount) == "35000.00"
    assert list(Letter.objects.filter(case=case).order_by("id").values_list("kind", flat=True)) == [
        "screening_decision",
        "course_grant",
    ]
    assert list(case.transitions.order_by("at", "id").values_list("to_stage", flat=True))[-5:] == [
        "business_development",
        "screening_2",
        "courses",
        "screening_3",
        "establishment",
    ]


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
