"""The reports' figures against hand counts on a small fixture, the business
case's arithmetic, the exports and the pages' query counts."""

import csv
import datetime
import io
import math
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.models import (
    BusinessCaseAssumptions,
    Case,
    CaseTransition,
    SetupCheck,
    TeamMember,
)
from applicants.reports import selectors
from applicants.reports.registry import ReportFilters
from mikrolaan.access_log import insert_queries
from mikrolaan.models import AccessLogEntry, AuditEvent
from tests.factories import CaseFactory, MeetingFactory, ProgrammeFactory, UserFactory

START = datetime.date(2025, 1, 6)  # a Monday: week 1
TODAY = datetime.date(2026, 1, 6)


def at(y, m, d, hour=12):
    return timezone.make_aware(datetime.datetime(y, m, d, hour))


# Each case's steps: (to_stage, when). from_stage is the step before.
PATHS = {
    # A: the whole way to self-support.
    "A": [
        ("screening_1", at(2025, 3, 1)),
        ("business_development", at(2025, 3, 10)),
        ("screening_2", at(2025, 4, 1)),
        ("courses", at(2025, 4, 10)),
        ("screening_3", at(2025, 7, 1)),
        ("establishment", at(2025, 8, 6)),
        ("running", at(2025, 8, 20)),
        ("screening_4", at(2025, 11, 1)),
        ("self_supporting", at(2025, 11, 6)),
    ],
    # B: stopped at the 3rd screening.
    "B": [
        ("screening_1", at(2025, 3, 1)),
        ("business_development", at(2025, 3, 10)),
        ("screening_2", at(2025, 4, 1)),
        ("courses", at(2025, 4, 10)),
        ("screening_3", at(2025, 7, 1)),
        ("declined", at(2025, 7, 5)),
    ],
    # C: not referred at the 1st screening.
    "C": [("screening_1", at(2025, 3, 1)), ("declined", at(2025, 3, 5))],
    # D: withdrew at the 2nd screening.
    "D": [
        ("screening_1", at(2025, 3, 1)),
        ("business_development", at(2025, 3, 10)),
        ("screening_2", at(2025, 4, 1)),
        ("withdrawn", at(2025, 4, 3)),
    ],
    # E: the business stopped (4th screening).
    "E": [
        ("screening_1", at(2025, 3, 1)),
        ("business_development", at(2025, 3, 10)),
        ("screening_2", at(2025, 4, 1)),
        ("courses", at(2025, 4, 10)),
        ("screening_3", at(2025, 7, 1)),
        ("establishment", at(2025, 9, 1)),
        ("running", at(2025, 9, 2)),
        ("screening_4", at(2025, 9, 20)),
        ("declined", at(2025, 10, 1)),
    ],
}


def build_fixture():
    programme = ProgrammeFactory(name="Hold 2025", start_date=START)
    cases = {}
    for key, steps in PATHS.items():
        case = CaseFactory(programme=programme)
        # Created at week 1, midnight; 10.0 months (304.375 days) to A's self-support.
        created = at(2025, 1, 6, 0)
        if key == "A":
            created = at(2025, 11, 6) - datetime.timedelta(days=304, hours=9)
        previous = "inquiry"
        if key == "A":
            # Registered late: the history's creation step carries the inquiry's date.
            CaseTransition.objects.create(
                case=case, transition="create", from_stage="", to_stage="inquiry", at=created
            )
            created = timezone.now()
        for stage, when in steps:
            CaseTransition.objects.create(
                case=case, transition="t", from_stage=previous, to_stage=stage, at=when
            )
            previous = stage
        Case.objects.filter(pk=case.pk).update(stage=previous, created_at=created)
        cases[key] = case
    # F open in courses, G paused: no history needed for "now".
    cases["F"] = CaseFactory(programme=programme, stage="courses")
    cases["G"] = CaseFactory(programme=programme, stage="paused", stage_before_pause="courses")
    return programme, cases


@pytest.fixture
def fixture(db):
    return build_fixture()


def test_cases_per_stage_now_match_a_hand_count(fixture):
    counts = {s.stage: s.count for s in selectors.stage_counts(ReportFilters())}
    assert counts["courses"] == 1
    assert counts["paused"] == 1
    assert counts["self_supporting"] == 1
    assert counts["declined"] == 3  # B, C, E
    assert counts["withdrawn"] == 1
    assert sum(counts.values()) == 7
    assert [s.stage for s in selectors.stage_counts(ReportFilters())][:2] == [
        "inquiry",
        "phone_interview",
    ]


def test_conversion_per_screening_matches_a_hand_count(fixture):
    from tests.loans.helpers import make_loan

    _programme, cases = fixture
    # A got a loan at establishment (E did not): the loans app counts it.
    Case.objects.filter(pk=cases["A"].pk).update(stage="establishment")
    make_loan(case=Case.objects.get(pk=cases["A"].pk))
    Case.objects.filter(pk=cases["A"].pk).update(stage="self_supporting")
    funnel = selectors.funnel(ReportFilters())
    got = [(s.entered, s.passed, s.stopped, s.withdrawn) for s in funnel.screenings]
    assert got == [(5, 4, 1, 0), (4, 3, 0, 1), (3, 2, 1, 0), (2, 1, 1, 0)]
    assert funnel.screenings[0].rate == Decimal(80)
    # Beside the pilots: courses → loan (the loans app's count), admitted → self-support.
    courses, admitted = funnel.pilots
    assert (courses["ours_from"], courses["ours_to"], courses["ours_rate"]) == (3, 1, 33)
    assert (courses["pilot_from"], courses["pilot_to"], courses["pilot_rate"]) == (13, 7, 54)
    assert (admitted["ours_from"], admitted["ours_to"], admitted["ours_rate"]) == (4, 1, 25)
    assert (admitted["pilot_from"], admitted["pilot_to"], admitted["pilot_rate"]) == (12, 3, 25)


def test_the_period_counts_only_the_steps_taken_in_it(fixture):
    # In March only the 1st screening's steps were taken.
    funnel = selectors.funnel(
        ReportFilters(date_from=datetime.date(2025, 3, 1), date_to=datetime.date(2025, 3, 31))
    )
    got = [(s.entered, s.passed, s.stopped) for s in funnel.screenings]
    assert got == [(5, 4, 1), (0, 0, 0), (0, 0, 0), (0, 0, 0)]


def test_another_programme_is_left_out(fixture):
    other = ProgrammeFactory(name="Hold 2026", start_date=TODAY)
    assert sum(s.count for s in selectors.stage_counts(ReportFilters(programme=other))) == 0
    assert selectors.funnel(ReportFilters(programme=other)).screenings[0].entered == 0


def test_outcomes_match_a_hand_count(fixture):
    outcomes = selectors.outcomes(ReportFilters())
    assert outcomes.self_supporting == 1
    assert outcomes.business_stopped == 1
    assert outcomes.months_to_self_support == Decimal("10.0")
    exits = {label: (declined, withdrawn) for label, declined, withdrawn in outcomes.exits}
    assert exits["1. screening"] == (1, 0)
    assert exits["2. screening"] == (0, 1)
    assert exits["3. screening"] == (1, 0)
    assert exits["4. screening / selvevaluering"] == (1, 0)
    assert sum(d + w for d, w in exits.values()) == 4


def test_the_business_case_from_the_programmes_figures(fixture):
    from loans.models import SupportGrant, SupportState

    programme, cases = fixture
    # The support as the loans app holds it: A from establishment to
    # self-support, E until the business stopped.
    for key, starts_on, ended_on in (
        ("A", datetime.date(2025, 8, 6), datetime.date(2025, 11, 6)),
        ("E", datetime.date(2025, 9, 1), datetime.date(2025, 10, 1)),
    ):
        SupportGrant.objects.create(
            case=cases[key],
            state=SupportState.ENDED,
            starts_on=starts_on,
            months=6,
            ends_on=starts_on + datetime.timedelta(days=180),
            ended_on=ended_on,
        )
    assumptions = BusinessCaseAssumptions(
        benefit_saved_per_month=Decimal(10000),
        support_cost_per_month=Decimal(12000),
        team_cost_per_year=Decimal(600000),
        horizon_years=5,
    )
    case = selectors.business_case(
        ReportFilters(programme=programme), today=TODAY, assumptions=assumptions
    )
    assert case.admitted == 4
    assert case.self_supporting == 1
    # A: 6 Nov 2025 to 6 Jan 2030 (week 1 + 5 years) = 1522 days = 50.0 months.
    assert case.months_saved == Decimal("50.0")
    assert case.savings == Decimal(500000)
    # 6 Jan 2025 to 6 Jan 2026: 365 days = 1.00 year of the team.
    assert case.team_years == Decimal("1.00")
    assert case.team_cost == Decimal(600000)
    # Support: A 6 Aug → 6 Nov (93 days, both included), E 1 Sep → 1 Oct
    # (31 days): 4.1 months (124 / 30.4375 = 4.07), counted from the grants.
    assert case.support_months == Decimal("4.1")
    assert not case.support_months_estimated
    assert case.support_cost == Decimal(49200)
    assert case.costs == Decimal(649200)
    assert case.net == Decimal(-149200)
    assert not case.pays_for_itself
    # One citizen saving all 60 months = 600,000 kr: two pay for 649,200.
    assert case.break_even == 2


def test_business_case_arithmetic_with_the_loans_apps_figures():
    assumptions = BusinessCaseAssumptions(
        benefit_saved_per_month=Decimal(10000),
        support_cost_per_month=Decimal(10000),
        team_cost_per_year=Decimal(300000),
        horizon_years=5,
    )
    case = selectors.compute_business_case(
        assumptions=assumptions,
        start=datetime.date(2020, 1, 1),
        today=datetime.date(2022, 1, 1),
        admitted=20,
        self_supported_on=[datetime.date(2021, 1, 1)] * 2,
        support_months=Decimal(99),  # replaced by the loans app's figure
        inputs={"support_months": Decimal(12), "loans_written_off": Decimal(40000)},
    )
    # 2 × 48 months (1 Jan 2021 – 1 Jan 2025: 1461 days) × 10,000.
    assert case.months_saved == Decimal("96.0")
    assert case.savings == Decimal(960000)
    assert case.team_years == Decimal("2.00")  # 731 days
    assert case.team_cost == Decimal(600000)
    assert not case.support_months_estimated
    assert case.support_cost == Decimal(120000)
    assert case.costs == Decimal(760000)
    assert case.net == Decimal(200000)
    assert case.pays_for_itself
    assert case.break_even == math.ceil(760000 / 600000)


def test_self_support_after_the_horizon_saves_nothing():
    case = selectors.compute_business_case(
        assumptions=BusinessCaseAssumptions(horizon_years=1),
        start=datetime.date(2020, 1, 1),
        today=datetime.date(2023, 1, 1),
        admitted=1,
        self_supported_on=[datetime.date(2022, 1, 1)],
        support_months=Decimal(0),
    )
    assert case.months_saved == 0
    assert case.team_years == Decimal("1.00")  # capped at the horizon


def test_cohort_flags_cases_behind_the_week_plan(db):
    today = timezone.localdate()
    on_time = ProgrammeFactory(name="Til tiden", start_date=today - datetime.timedelta(weeks=10))
    late = ProgrammeFactory(name="Bagud", start_date=today - datetime.timedelta(weeks=30))
    CaseFactory(programme=on_time, stage="screening_1")
    CaseFactory(programme=late, stage="screening_1")
    CaseFactory(programme=late, stage="courses")  # courses run to week 32
    CaseFactory(programme=late, stage="declined")  # closed: not on the timeline
    data = selectors.cohort(on_time)
    assert data["week"] == 11
    assert [r.behind for r in data["rows"]] == [False]
    data = selectors.cohort(late)
    assert data["week"] == 31
    assert {r.case.stage: r.behind for r in data["rows"]} == {"screening_1": True, "courses": False}
    assert data["behind"] == 1


def test_competence_matrix_warns_of_too_few_people_and_missing_competences(db):
    one = TeamMember.objects.create(
        user=UserFactory(role="team_member"),
        fte=Decimal("0.5"),
        competences=["self_employment", "business_economics"],
    )
    matrix = selectors.competence_matrix()
    assert matrix.people == 1
    assert matrix.fte == Decimal("0.5")
    text = " ".join(matrix.warnings)
    assert "mindst to personer" in text
    assert "mindst ét samlet årsværk" in text
    assert "Socialfaglighed" in text
    assert "Erfaring som selvstændig" not in text
    TeamMember.objects.create(
        user=UserFactory(role="team_member"),
        fte=Decimal("0.5"),
        competences=[
            "marketing_sales",
            "social_work",
            "networking",
            "municipality",
            "case_handling",
        ],
    )
    assert selectors.competence_matrix().warnings == []
    assert one.pk


def test_ticking_a_setup_item_records_who_and_when(client, team_lead):
    programme = ProgrammeFactory()
    client.force_login(team_lead)
    url = reverse("reports:setup_checklist", args=[programme.pk])
    response = client.post(url, {"item": "legal_support", "done": "1", "note": "Jurist aftalt"})
    assert response.status_code == 302
    check = SetupCheck.objects.get(programme=programme, item="legal_support")
    assert check.done and check.ticked_by == team_lead and check.ticked_at is not None
    assert AuditEvent.objects.filter(action="programme.setup_ticked").exists()
    page = client.get(url).content.decode()
    assert "Jurist aftalt" in page
    assert "1 af 6 punkter er på plads" in page


def test_the_team_leads_assumptions_are_saved_and_printed(client, team_lead):
    client.force_login(team_lead)
    url = reverse("reports:business_case")
    data = {
        "benefit_saved_per_month": "12.500",
        "support_cost_per_month": "14.000,50",
        "team_cost_per_year": "700.000",
        "horizon_years": "7",
    }
    assert client.post(url, data).status_code == 302
    saved = BusinessCaseAssumptions.objects.get()
    assert saved.benefit_saved_per_month == Decimal("12500")
    assert saved.support_cost_per_month == Decimal("14000.50")
    assert saved.horizon_years == 7
    page = client.get(url).content.decode()
    assert "12.500" in page and "700.000" in page
    bad = client.post(url, {**data, "horizon_years": "0"})
    assert bad.status_code == 200
    assert "is-invalid" in bad.content.decode()


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_business_case_csv_has_semicolons_and_decimal_commas(client, team_lead, fixture):
    BusinessCaseAssumptions.objects.create(support_cost_per_month=Decimal("14000.50"))
    client.force_login(team_lead)
    response = client.get(reverse("reports:export", args=["business-case", "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = dict(_csv(response)[1:])
    assert rows["Forudsætning: tilskud til forsørgelse pr. måned (kr.)"] == "14000,50"
    assert rows["Selvforsørgende"] == "1"
    assert AuditEvent.objects.filter(action="report.exported", data__report="business-case")


def test_the_conversion_exports_to_xlsx(client, team_lead, fixture):
    from openpyxl import load_workbook

    client.force_login(team_lead)
    response = client.get(reverse("reports:export", args=["konvertering", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:5] == ["1. screening", 5, 4, 1, 0]


def test_the_timeline_export_logs_the_citizens_it_shows(client, team_lead, fixture):
    programme, cases = fixture
    client.force_login(team_lead)
    response = client.get(
        reverse("reports:export", args=["tidslinje", "csv"]) + f"?programme={programme.pk}"
    )
    rows = _csv(response)
    assert len(rows) == 1 + 2  # F and G are open
    assert AccessLogEntry.objects.filter(subject_id=str(cases["F"].citizen_id)).exists()


def test_an_unknown_report_or_format_is_not_found(client, team_lead):
    client.force_login(team_lead)
    assert client.get(reverse("reports:export", args=["nope", "csv"])).status_code == 404
    assert client.get(reverse("reports:export", args=["faser", "pdf"])).status_code == 404


def test_my_tasks_count_meetings_forms_screenings_and_hearings(client, team_member):
    now = timezone.localtime()
    today_late = now.replace(hour=23, minute=30)
    MeetingFactory(starts_at=today_late, attendance="unknown", staff=[team_member])
    MeetingFactory(starts_at=today_late, attendance="cancelled", staff=[team_member])
    MeetingFactory(starts_at=today_late, attendance="unknown")  # not mine
    CaseFactory(stage="screening_2")
    client.force_login(team_member)
    tasks = {t.key: t.count for t in client.get(reverse("home")).context["my_tasks"]}
    assert tasks["meetings_today"] == 1
    assert tasks["screenings_due"] == 1
    assert tasks["hearings_past_deadline"] == 0
    assert tasks["submitted_forms"] == 0
    team = {t.key: t for t in client.get(reverse("home") + "?vis=team").context["my_tasks"]}
    assert team["meetings_today"].count == 2
    assert team["meetings_today"].url.endswith("?vis=team#meetings-heading")


def test_my_tasks_count_beyond_the_lists_the_start_page_shows(client, team_member):
    from screening.selectors import SHOWN

    for _ in range(SHOWN + 3):
        CaseFactory(stage="screening_1")
    client.force_login(team_member)
    response = client.get(reverse("home"))
    tasks = {t.key: t.count for t in response.context["my_tasks"]}
    assert tasks["screenings_due"] == SHOWN + 3
    assert len(response.context["screenings_due"]) == SHOWN
    assert response.context["screenings_due_more"] == 3


@pytest.mark.parametrize("n", [1, 15])
def test_dashboard_query_count_does_not_grow_with_the_data(
    client, team_lead, django_assert_num_queries, n
):
    from tests.loans.helpers import make_loan

    for _ in range(n):
        build_fixture()
        make_loan(disbursed_on=datetime.date.today() - datetime.timedelta(days=70))
    client.force_login(team_lead)
    url = reverse("reports:dashboard")
    client.get(url)
    # 1 session, 2 user with municipality and roles, 3 programmes (the
    # filter form's, and the business case's first week 1), 4 cases per
    # stage, 5-6 the loans app's actual figures, read once for the pilots,
    # the business case and the loan book section (the book's figures with
    # the loans paid out, repaid, written off and cases with a loan in one
    # aggregate; the months of support from the grants), 7 the funnel and
    # the outcomes (one statement of counts), 8 the average time to
    # self-support, 9 one row per case that became self-supporting, 10 the
    # assumptions; the rest of the loan book section: 11 the repayment
    # rate, 12 the recoveries, 13 the book month by month.
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 15])
def test_business_case_query_count_does_not_grow_with_the_data(
    client, team_lead, django_assert_num_queries, n
):
    from loans.models import SupportGrant
    from tests.loans.helpers import make_loan

    for _ in range(n):
        _programme, cases = build_fixture()
        make_loan(disbursed_on=datetime.date.today() - datetime.timedelta(days=70))
        SupportGrant.objects.create(
            case=cases["E"],
            starts_on=datetime.date(2025, 9, 1),
            months=6,
            ends_on=datetime.date(2026, 2, 28),
        )
    client.force_login(team_lead)
    url = reverse("reports:business_case")
    client.get(url)
    # 1 session, 2 user with municipality and roles, 3 the assumptions, 4
    # programmes (the filter form's, and the first week 1), 5 the admitted
    # cases, 6-7 the loans app's actual figures (the loans in one aggregate;
    # the months of support from the grants), 8 one row per case that
    # became self-supporting.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 15])
def test_timeline_query_count_does_not_grow_with_the_cases(
    client, team_lead, django_assert_num_queries, n
):
    programme = ProgrammeFactory()
    for _ in range(n):
        CaseFactory(programme=programme, stage="courses")
    client.force_login(team_lead)
    url = reverse("reports:cohorts") + f"?programme={programme.pk}"
    client.get(url)
    # 1 session, 2 user with municipality and roles, 3 the programme,
    # 4 the programmes to choose from, 5 its open cases with citizens, 6 the
    # cohorts whose week 1 they count from; then the access-log insert for
    # the citizens shown.
    with django_assert_num_queries(6 + insert_queries()):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_waiting_forms_are_counted_and_listed_in_constant_queries(
    client, team_member, django_assert_num_queries, n
):
    from tests.applicants.portal_helpers import at_stage, submitted_business_plan

    for _ in range(n):
        case = at_stage(CaseFactory())
        submitted_business_plan(case, team_member)
    client.force_login(team_member)
    tasks = {t.key: t for t in client.get(reverse("home")).context["my_tasks"]}
    assert tasks["submitted_forms"].count == n
    assert tasks["submitted_forms"].url == reverse("reports:submissions")
    url = reverse("reports:submissions")
    client.get(url)
    # 1 session, 2 user with municipality and roles, 3 the waiting forms with
    # case, citizen and time of submission; then the access-log insert for
    # the citizens named.
    with django_assert_num_queries(3 + insert_queries()):
        response = client.get(url)
    assert response.content.decode().count("/skemaer/business-plan/") == n


@pytest.mark.django_db
def test_a_step_taken_twice_counts_the_case_once_in_and_out_of_the_period():
    """A case that reaches screening 1 twice (paused and resumed) and passes
    it once counts once; with a period holding only the second entry, it
    entered once and passed once; a case that passed the same step before
    and in the period counts once in the period, once all time."""
    programme = ProgrammeFactory(start_date=START)
    twice = CaseFactory(programme=programme)
    for from_stage, to_stage, when in [
        ("second_meeting", "screening_1", at(2025, 3, 1)),
        ("screening_1", "paused", at(2025, 3, 5)),
        ("paused", "screening_1", at(2025, 6, 1)),
        ("screening_1", "business_development", at(2025, 6, 10)),
    ]:
        CaseTransition.objects.create(
            case=twice, transition="t", from_stage=from_stage, to_stage=to_stage, at=when
        )
    again = CaseFactory(programme=programme)
    for when in (at(2025, 2, 1), at(2025, 7, 1)):  # admitted, then again after a correction
        CaseTransition.objects.create(
            case=again,
            transition="t",
            from_stage="screening_1",
            to_stage="business_development",
            at=when,
        )
    everything = selectors.pipeline_figures(ReportFilters(), inputs={})
    first = everything["funnel"].screenings[0]
    assert (first.entered, first.passed) == (1, 2)
    assert everything["admitted_all_time"] == 2
    summer = ReportFilters(date_from=datetime.date(2025, 5, 1), date_to=datetime.date(2025, 12, 31))
    figures = selectors.pipeline_figures(summer, inputs={})
    first = figures["funnel"].screenings[0]
    assert (first.entered, first.passed) == (1, 2)
    assert figures["funnel"].admitted == 2
    assert figures["admitted_all_time"] == 2
    spring = ReportFilters(date_to=datetime.date(2025, 4, 30))
    first = selectors.pipeline_figures(spring, inputs={})["funnel"].screenings[0]
    assert (first.entered, first.passed) == (1, 1)
