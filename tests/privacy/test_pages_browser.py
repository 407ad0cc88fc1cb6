"""The data protection pages with rows in them, and the export's index,
checked by axe-core in Chromium (the matrix sweep sees them mostly empty)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mikrolaan.audit import log_access
from mikrolaan.privacy import export
from mikrolaan.roles import Role
from tests.browser import assert_accessible, login
from tests.factories import UserFactory
from tests.letters.helpers import make_case, make_letter
from tests.privacy.helpers import closed_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pages_with_rows_pass_axe(live_server, browser_page, settings):
    lead = UserFactory(username="axe_lead", first_name="Bo", role=Role.TEAM_LEAD)
    member = UserFactory(username="axe_member", first_name="Alma", role=Role.TEAM_MEMBER)
    citizen_user = UserFactory(username="axe_citizen", role=Role.CITIZEN)
    case = make_case(citizen_user=citizen_user, first_name="Ida", last_name="Holm")
    make_letter(case=case)
    log_access(actor=member, subject=case.citizen, what="Forløbssiden")
    closed_case(at=timezone.now() - datetime.timedelta(days=800))
    settings.RETENTION_CLOSED_CASE_YEARS = 1

    login(browser_page, live_server, lead)
    for url in (
        reverse("privacy:access_log"),
        f"{reverse('privacy:access_log')}?subject_text=010185",  # the error state
        reverse("privacy:retention_report"),
        reverse("applicants:case_detail", args=[case.pk]),  # the team lead's export button
    ):
        browser_page.goto(live_server.url + url)
        assert browser_page.locator("h1").count() == 1
        assert_accessible(browser_page)

    browser_page.context.clear_cookies()
    login(browser_page, live_server, citizen_user)
    browser_page.goto(live_server.url + reverse("privacy:my_access_log"))
    assert "Alma" in browser_page.content()
    assert_accessible(browser_page)

    # The index is a file in the ZIP, opened from disk: not under the site's CSP.
    browser_page.goto("about:blank")
    browser_page.set_content(export.collect(case.citizen, actor=lead).index_html().decode())
    assert_accessible(browser_page)
