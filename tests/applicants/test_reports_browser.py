"""The reports with figures, charts and a case behind plan, checked by
axe-core in Chromium (the matrix sweep sees them empty)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import TeamMember
from mikrolaan.roles import Role
from tests.applicants.test_reports import build_fixture
from tests.browser import assert_accessible, login
from tests.factories import CaseFactory, ProgrammeFactory, UserFactory
from tests.loans.helpers import make_loan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_report_pages_with_figures_pass_axe(live_server, browser_page):
    lead = UserFactory(username="axe_lead", first_name="Bo", role=Role.TEAM_LEAD)
    member = UserFactory(username="axe_member", first_name="Alma", role=Role.TEAM_MEMBER)
    programme, _cases = build_fixture()
    late = ProgrammeFactory(
        name="Bagud", start_date=timezone.localdate() - datetime.timedelta(weeks=30)
    )
    CaseFactory(programme=late, stage="screening_1")
    # A loan in arrears, for the loan book section and its chart.
    make_loan(disbursed_on=timezone.localdate() - datetime.timedelta(days=120))
    TeamMember.objects.create(user=member, fte=Decimal("0.5"), competences=["social_work"])

    login(browser_page, live_server, lead)
    for url in (
        reverse("home"),
        reverse("reports:dashboard"),
        f"{reverse('reports:dashboard')}?programme={programme.pk}&date_from=2025-03-01",
        f"{reverse('reports:dashboard')}?date_from=2025-03-01&date_to=2025-01-01",  # an error
        f"{reverse('reports:cohorts')}?programme={late.pk}",
        reverse("reports:business_case"),
        reverse("reports:team"),
        reverse("reports:setup_checklist", args=[programme.pk]),
    ):
        browser_page.goto(live_server.url + url)
        assert browser_page.locator("h1").count() == 1
        assert_accessible(browser_page)
    browser_page.goto(f"{live_server.url}{reverse('reports:cohorts')}?programme={late.pk}")
    assert browser_page.locator("svg.chart").count() == 2
    assert browser_page.locator("tr.table-danger").count() == 1
