"""The recruitment journey in a real browser: a caseworker refers a citizen, the
team records the phone interview, plans and holds the first meeting with two
staff, and the case reaches 1. screening. Screenshots go to test-artifacts/."""

import datetime
import os
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from applicants.models import Case
from tests.conftest import chromium_path, require
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from "async" contexts unless told this is fine (it is: one thread).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    require(chromium_path() is not None, "Chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()
            # Inside sync_playwright() the test body runs in a greenlet with its own
            # context, so the ORM opened a connection of its own: close it, or
            # PostgreSQL cannot drop the test database at the end of the run.
            connections.close_all()


def _login(browser, live_server, user):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def _serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # Only this app's content: the shared header and footer are checked by the
    # foundation's own tests.
    results = Axe().run(page, context="#main")
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_referral_to_first_screening_in_chromium(
    browser, live_server, caseworker, team_member, team_member2
):
    # 1. The caseworker refers a citizen.
    page = _login(browser, live_server, caseworker)
    page.get_by_role("link", name="Henvis en borger").first.click()
    page.fill("#id_first_name", "Ida")
    page.fill("#id_last_name", "Holm")
    page.fill("#id_cpr", "010185-1234")
    page.fill("#id_phone", "12345678")
    page.select_option("#id_benefit_type", "kontanthjaelp")
    page.fill("#id_business_idea", "Keramikværksted med webshop")
    page.fill("#id_industry", "Kunsthåndværk")
    _shot(page, "01-referral-form")
    assert _serious_axe_violations(page) == []
    page.click("text=Send henvisningen")
    page.wait_for_selector("text=Der er problemer")
    _shot(page, "02-referral-error")
    assert page.input_value("#id_first_name") == "Ida"  # nothing typed is lost
    page.fill("#id_referral_reason", "Har haft værksted før og er meget motiveret.")
    page.click("text=Send henvisningen")
    page.wait_for_selector("text=Borgeren er henvist")
    assert page.locator("table").inner_text().count("Ida Holm") == 1
    _shot(page, "03-caseworker-start-page")
    page.context.close()

    # 2. The team takes over.
    case = Case.objects.get()
    page = _login(browser, live_server, team_member)
    page.get_by_role("link", name="Forløb", exact=True).click()
    _shot(page, "04-case-list")
    page.get_by_role("link", name=case.case_number).click()
    assert page.inner_text("[data-testid=stage]") == "Henvendelse"
    assert _serious_axe_violations(page) == []
    page.get_by_role("button", name="Start telefonsamtale").click()
    page.get_by_role("link", name="Registrér telefonsamtale").click()
    for question in ("in_target_group", "realistic", "motivated"):
        page.check(f"input[name={question}][value=yes]")
    page.fill("#id_notes", "Forklarede rammerne. Klar idé, motiveret.")
    _shot(page, "05-phone-interview")
    page.get_by_role("button", name="Gem telefonsamtalen").click()
    page.get_by_role("button", name="Invitér til 1. personlige møde").click()
    assert page.inner_text("[data-testid=stage]") == "1. personlige møde"

    # The first meeting, held earlier today at a café with two staff.
    page.get_by_role("link", name="Planlæg et møde").click()
    starts = timezone.localtime() - datetime.timedelta(hours=2)
    page.select_option("#id_kind", "first")
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "Café Globus")
    page.get_by_label(team_member2.get_full_name()).check()
    _shot(page, "06-plan-first-meeting")
    page.get_by_role("button", name="Planlæg mødet").click()
    page.wait_for_selector("text=Mødet er planlagt")

    # Not yet recorded as held: the page names the missing condition.
    assert page.locator("text=mindst to medarbejdere").count() >= 1
    page.get_by_role("link", name="Registrér 1. personlige møde").click()
    page.check("input[name=attendance][value=attended]")
    page.fill("#id_next_steps", "Udfylder skemaet til foreløbig forretningsplan.")
    _shot(page, "07-record-meeting")
    page.get_by_role("button", name="Gem mødet").click()
    page.get_by_role("button", name="Gå videre til 2. personlige møde").click()
    page.get_by_role("button", name="Gå videre til 1. screening").click()
    assert page.inner_text("[data-testid=stage]") == "1. screening"
    _shot(page, "08-case-in-screening-1")
    page.context.close()

    case.refresh_from_db()
    assert case.stage == "screening_1"
    assert list(case.transitions.order_by("at", "id").values_list("to_stage", flat=True)) == [
        "inquiry",
        "phone_interview",
        "first_meeting",
        "second_meeting",
        "screening_1",
    ]
