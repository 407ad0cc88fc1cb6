"""A citizen signs in from the e-mailed link on a phone, fills in the
business plan (makes and corrects an error), submits it, and a team member
sends it back with a comment. axe-core finds nothing on any step; no page
scrolls sideways at 375 pixels."""

import re

import pytest
from django.core import mail

from applicants.portal import services
from mikrolaan.tenancy import unscoped
from tests.applicants.portal_helpers import at_stage
from tests.browser import assert_accessible, login, screenshot
from tests.factories import CaseFactory, CitizenFactory, UserFactory

PHONE = {"width": 375, "height": 800}


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def _press(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()
    page.wait_for_load_state("networkidle")


def _check(page, name):
    _fits_the_phone(page)
    assert_accessible(page)
    screenshot(page, f"portal-{name}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_citizen_fills_in_the_business_plan_on_a_phone_and_it_is_sent_back(
    live_server, browser_page
):
    page = browser_page
    page.set_viewport_size(PHONE)
    with unscoped():
        citizen_user = UserFactory(username="dina", first_name="Dina", role="citizen")
        staff = UserFactory(username="alice", first_name="Alice", role="team_member")
        case = at_stage(
            CaseFactory(citizen=CitizenFactory(user=citizen_user, email=citizen_user.email))
        )
    mail.outbox.clear()

    page.goto(f"{live_server.url}/konto/login/borger/")
    _check(page, "sign-in")
    page.get_by_label("Din e-mailadresse").fill(citizen_user.email)
    page.get_by_role("button", name="Send mig et link").click()
    page.wait_for_url("**/sendt/")
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    page.goto(live_server.url + link.split("127.0.0.1:8000", 1)[1])
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")
    _check(page, "start")
    assert page.get_by_role("link", name="Gå til skemaet").is_visible()
    page.get_by_role("link", name="Forretningsplan", exact=True).click()
    _check(page, "overview")
    page.get_by_role("link", name="Start").click()

    # Step 1: an error first (the required question left empty), then corrected.
    page.get_by_label("Hvad skal virksomheden hedde?").fill("Ler & Co")
    _press(page, "Gem og fortsæt")
    assert page.title().startswith("Fejl:")
    summary = page.locator("#error-summary")
    assert "Der er problemer" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    _check(page, "step-1-error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_product"
    page.locator("#id_product").fill("Keramik: kopper og skåle")
    page.wait_for_timeout(1500)  # the draft saves itself a second after typing
    assert "Kladden er gemt" in page.locator("#save-status").inner_text()
    _press(page, "Gem og fortsæt")

    answers = [
        {"Hvem er dine kunder?": "Turister", "Hvem konkurrerer du med?": "Markedet"},
        {
            "Hvad skal dine varer eller ydelser koste?": "150 kr.",
            "Hvordan finder kunderne dig?": "Instagram",
        },
        {},
        {
            "Hvad er dit mål for det første år?": "1.000 kopper",
            "Hvad kan gå galt, og hvad gør du så?": "Ovnen",
        },
    ]
    for n, fields in enumerate(answers, start=2):
        for label, value in fields.items():
            page.get_by_label(label).fill(value)
        _check(page, f"step-{n}")
        _press(page, "Gem og fortsæt")
    _check(page, "step-6-attachments")
    page.get_by_role("link", name="Fortsæt").click()
    assert "Trin 7 af 7" in page.content()
    _check(page, "check-answers")
    page.get_by_role("button", name="Send skemaet").click()
    page.wait_for_load_state("networkidle")
    assert "Du har sendt version 1" in page.content()
    _check(page, "submitted")

    # The team member sends it back with a comment.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/forloeb/{case.pk}/skemaer/business-plan/")
    page.locator("#comment-sales").fill("Hvad koster en skål?")
    page.get_by_role("button", name="Gem kommentar Pris og salg").click()
    page.get_by_label("Besked til borgeren").fill("Skriv priserne på skåle.")
    page.get_by_role("button", name="Send tilbage til borgeren").click()
    page.wait_for_load_state("networkidle")
    assert "sendt tilbage" in page.content()
    assert_accessible(page)
    screenshot(page, "portal-review")
    with unscoped():
        form = services.form_for(case, "business_plan")
        assert form.status == "sent_back"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_citizen_fills_in_the_establishment_budget_on_a_phone(live_server, browser_page):
    """Amounts typed the Danish way; a wrong amount is caught next to its
    field and corrected; the server's totals and the loan need are shown;
    the budget is submitted."""
    page = browser_page
    page.set_viewport_size(PHONE)
    with unscoped():
        citizen_user = UserFactory(username="dina", first_name="Dina", role="citizen")
        case = at_stage(
            CaseFactory(citizen=CitizenFactory(user=citizen_user, email=citizen_user.email))
        )
    login(page, live_server, citizen_user)
    page.get_by_role("link", name="Etableringsbudget", exact=True).click()
    page.get_by_role("link", name="Start").click()

    page.get_by_label("Maskiner og værktøj").fill("12.000,5,0")  # not an amount
    _press(page, "Gem og fortsæt")
    assert page.title().startswith("Fejl:")
    _check(page, "budget-error")
    page.get_by_label("Maskiner og værktøj").fill("12.000,50")
    page.get_by_label("Computer, telefon og programmer").fill("8.000")
    _press(page, "Gem og fortsæt")
    page.get_by_label("Første varelager og materialer").fill("5.000")
    _check(page, "budget-start")
    _press(page, "Gem og fortsæt")
    page.get_by_label("Opsparing").fill("4.000")
    _press(page, "Gem og fortsæt")
    _check(page, "budget-check")
    body = page.content()
    # Need 12.000,50 + 8.000 + 5.000 = 25.000,50; own funds 4.000; loan need 21.000,50.
    assert "25.000,50" in body and "21.000,50" in body
    page.get_by_role("button", name="Send skemaet").click()
    page.wait_for_load_state("networkidle")
    assert "Du har sendt version 1" in page.content()
    with unscoped():
        form = services.form_for(case, "establishment_budget")
        assert form.status == "submitted"
