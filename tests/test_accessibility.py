"""Every page of the permission matrix in Chromium, checked by axe-core
(WCAG 2.1 A and AA): each GET row is opened by a role allowed to see it (or
anonymously for public pages). A new page is checked as soon as its row is
added to tests/<app>/routes.py."""

import pytest
from django.urls import reverse

from mikrolaan.roles import Role
from tests.browser import assert_accessible, login
from tests.factories import UserFactory
from tests.routes import World, all_routes

PAGES = [r for r in all_routes() if r.method == "get" and r.ok_status == 200]
# Downloads (PDF, CSV, ZIP) are not HTML pages.
NOT_HTML = {
    "letters:download",
    "letters:digital_post",
    "applicants:case_export",
    "privacy:access_log_export",
    "screening:assessment_pdf",
    # Downloads: an attachment, a submitted form as PDF.
    "portal:attachment_download",
    "portal:version_pdf",
    # The reports' downloads: a table as CSV or .xlsx, the business case as PDF.
    "reports:export",
    "reports:business_case_pdf",
    # The calendar feed (text/calendar) and a network day's run-sheet (PDF).
    "courses:calendar_feed",
    "courses:runsheet_pdf",
    # The payouts and the loan book as CSV, the borrower's statement of account as PDF.
    "loans:payouts_csv",
    "loans:loan_book_csv",
    "loans:portal_statement",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _viewer(route) -> str | None:
    if route.public:
        return None
    order = [*Role.values, "no_role"]
    return next(role for role in order if role in route.allowed)


@pytest.mark.parametrize(
    "route", [r for r in PAGES if r.name not in NOT_HTML], ids=lambda r: r.name
)
def test_page_passes_axe(live_server, browser_page, route):
    users = {role: UserFactory(username=f"axe_{role}", role=role) for role in Role.values}
    users["no_role"] = UserFactory(username="axe_no_role")
    world = World(users)
    kwargs = route.kwargs(world) if callable(route.kwargs) else route.kwargs
    role = _viewer(route)
    if role is not None:
        login(browser_page, live_server, world.user(role))
    response = browser_page.goto(live_server.url + reverse(route.name, kwargs=kwargs))
    assert response.status == 200
    assert browser_page.locator("h1").count() == 1
    assert_accessible(browser_page)
