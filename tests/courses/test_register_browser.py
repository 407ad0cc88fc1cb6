"""The attendance register in a real browser, on a tablet-sized screen and
by keyboard alone: Tab moves from a participant's marks to their note and
on to the next participant, the arrow keys choose a mark, Enter saves the
whole register in one POST. axe-core finds nothing before or after."""

import pytest
from django.urls import reverse

from courses.models import AttendanceRecord
from tests.browser import assert_accessible, login, screenshot
from tests.courses import helpers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_register_by_keyboard_on_a_tablet(browser_page, live_server, team_member):
    cohort = helpers.cohort()
    cases = helpers.participants(cohort, 3)
    session = helpers.session(cohort)
    by_name = sorted(cases, key=lambda c: (c.citizen.last_name, c.citizen.first_name, c.pk))
    first, second, third = by_name
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, live_server, team_member)
    page.goto(live_server.url + reverse("courses:session", args=[session.pk]))
    assert_accessible(page)

    # Into the first participant's marks ("Ikke registreret" is checked).
    page.locator(f"#id_mark-{first.pk}_0").focus()
    page.keyboard.press("ArrowRight")  # Mødt
    page.keyboard.press("Tab")  # the note
    page.keyboard.type("Kom til tiden")
    page.keyboard.press("Tab")  # the second participant's marks
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # Fravær
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the empty note to the third participant
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # Lovligt fravær
    page.keyboard.press("Tab")
    page.keyboard.type("Syg")
    screenshot(page, "courses-register-tablet")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Fremmødet er gemt.")

    marks = {r.case_id: (r.mark, r.note) for r in AttendanceRecord.objects.filter(session=session)}
    assert marks == {
        first.pk: ("present", "Kom til tiden"),
        second.pk: ("absent", ""),
        third.pk: ("excused", "Syg"),
    }
    assert page.locator(f"#id_mark-{second.pk}_2").is_checked()
    screenshot(page, "courses-register-saved")
    assert_accessible(page)
