"""The pipeline's figures for the team's tasks and the team lead's reports.

Every figure is an aggregate in SQL over the request's municipality (the
default managers are scoped), a fixed number of queries whatever the data
holds. The funnel and the outcomes are counted from the case history
(``CaseTransition``): a step is counted in the period it was taken.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.precompiled import AggregatesOnce

from ..models import (
    CLOSED_STAGES,
    PHASES,
    PIPELINE,
    SCREENING_STAGES,
    Case,
    CaseTransition,
    Programme,
    Stage,
)
from ..portal.models import FormStatus, PortalForm
from .models import (
    BusinessCaseAssumptions,
    Competence,
    SetupCheck,
    SetupItem,
    TeamMember,
)
from .registry import ReportFilters, business_case_inputs

# The handbook's pilots (pp. 14–15), shown beside the programme's own figures.
PILOT_COURSES_TO_LOANS = (13, 7)  # 1st pilot: 13 offered the course, 7 got a loan
PILOT_ADMITTED_TO_SELF_SUPPORTING = (12, 3)  # Aarhus since 2010: 12 started, 3 self-supporting
# The handbook's business case (p. 2): 2 of 20 self-supporting pays for all 20 within 5 years.
HANDBOOK_CASE = (2, 20, 5)

DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12

# The aggregate statements, built by the ORM once per municipality and
# filter and afterwards only executed (``mikrolaan.precompiled``).
_STATEMENTS = AggregatesOnce()


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


# --- My tasks -----------------------------------------------------------------


def submitted_forms():
    """The citizens' forms submitted and waiting for the team's answer,
    the longest waiting first."""
    return PortalForm.objects.filter(status=FormStatus.SUBMITTED)


def submitted_forms_count() -> int:
    return submitted_forms().count()


def submitted_form_rows(limit: int = 200) -> tuple[list, int]:
    """The waiting forms with their case and citizen, and how many in all."""
    from ..portal.definitions import FormKind

    rows = list(
        submitted_forms()
        .select_related("case", "citizen")
        .annotate(submitted_at=Max("versions__submitted_at"))
        .only(
            "id",
            "kind",
            "case__id",
            "case__case_number",
            # The case's state machine reads its stage when the row is made.
            "case__stage",
            "citizen__id",
            "citizen__first_name",
            "citizen__last_name",
            "citizen__municipality_id",
        )
        .order_by("submitted_at", "id")[:limit]
    )
    total = len(rows) if len(rows) < limit else submitted_forms().count()
    kinds = {k: str(v) for k, v in FormKind.choices}
    for form in rows:
        form.kind_label = kinds.get(form.kind, form.kind)
        form.slug = form.kind.replace("_", "-")
    return rows, total


# --- The funnel -----------------------------------------------------------------


def _cases(filters: ReportFilters):
    qs = Case.objects.all()
    if filters.programme is not None:
        qs = qs.filter(programme=filters.programme)
    return qs


def _steps(filters: ReportFilters):
    """The history of the programme's cases (all of the municipality's
    without a programme); the period is applied per figure (:func:`_period`)
    so one query can count the period's steps and the all-time figures."""
    qs = CaseTransition.objects.all()
    if filters.programme is not None:
        qs = qs.filter(case__programme=filters.programme)
    return qs


def _period(filters: ReportFilters) -> Q:
    tz = timezone.get_current_timezone()
    q = Q()
    if filters.date_from:
        q &= Q(at__gte=datetime.datetime.combine(filters.date_from, datetime.time.min, tz))
    if filters.date_to:
        end = filters.date_to + datetime.timedelta(days=1)
        q &= Q(at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    return q


@dataclass
class StageCount:
    stage: str
    label: str
    count: int
    closed: bool = False


def stage_counts(filters: ReportFilters) -> list[StageCount]:
    """Cases per stage now, in the handbook's order, then the pause and the
    closed stages. One GROUP BY query."""
    found = dict(
        _STATEMENTS.rows(
            ("stages", filters.key),
            lambda: (
                _cases(filters)
                .order_by()
                .values_list("stage")
                .annotate(n=Count("id"))
                .values_list("stage", "n")
            ),
        )
    )
    labels = {k: str(v) for k, v in Stage.choices}
    order = [*PIPELINE, Stage.PAUSED, *CLOSED_STAGES]
    return [
        StageCount(str(s), labels[s], found.get(str(s), 0), closed=s in CLOSED_STAGES)
        for s in order
    ]


# Leaving screening N forward: the next stage (for the 4th, self-support;
# an extension goes back to running and is counted apart).
PASSED_TO = {
    Stage.SCREENING_1: Stage.BUSINESS_DEVELOPMENT,
    Stage.SCREENING_2: Stage.COURSES,
    Stage.SCREENING_3: Stage.ESTABLISHMENT,
    Stage.SCREENING_4: Stage.SELF_SUPPORTING,
}


@dataclass
class ScreeningConversion:
    number: int
    label: str
    entered: int
    passed: int
    stopped: int
    withdrawn: int
    extended: int = 0

    @property
    def rate(self) -> Decimal | None:
        return percent(self.passed, self.entered)


@dataclass
class Funnel:
    screenings: list[ScreeningConversion]
    reached_courses: int
    reached_establishment: int
    admitted: int
    self_supporting: int
    cases_with_loan: int | None = None
    pilots: list = field(default_factory=list)


# The stages a case may leave the pipeline from, in order, for "where they left".
EXIT_FROM = (*PIPELINE, Stage.PAUSED)


def _count_specs() -> list[tuple[str, str | None, str | None, bool]]:
    """Every count of :func:`pipeline_figures`: (name, from stage, to stage,
    in the period); each counts distinct cases."""
    specs = []
    for i, stage in enumerate(SCREENING_STAGES, start=1):
        specs += [
            (f"entered_{i}", None, stage, True),
            (f"passed_{i}", stage, PASSED_TO[stage], True),
            (f"stopped_{i}", stage, Stage.DECLINED, True),
            (f"withdrawn_{i}", stage, Stage.WITHDRAWN, True),
        ]
    specs.append(("extended_4", Stage.SCREENING_4, Stage.RUNNING, True))
    for key, stage in (
        ("reached_courses", Stage.COURSES),
        ("reached_establishment", Stage.ESTABLISHMENT),
        ("admitted", Stage.BUSINESS_DEVELOPMENT),
        ("self_supporting", Stage.SELF_SUPPORTING),
    ):
        specs.append((key, None, stage, True))
    specs.append(("admitted_all_time", None, Stage.BUSINESS_DEVELOPMENT, False))
    specs.append(("business_stopped", Stage.SCREENING_4, Stage.DECLINED, True))
    for i, stage in enumerate(EXIT_FROM):
        for end in (Stage.DECLINED, Stage.WITHDRAWN):
            specs.append((f"exit_{i}_{end}", stage, end, True))
    return specs


COUNT_SPECS = _count_specs()


def pipeline_figures(filters: ReportFilters, *, inputs: dict | None = None) -> dict:
    """The funnel and the outcomes of the period, and the all-time count of
    admitted cases (the business case's). Two queries: the counts, and the
    average time to self-support; and the apps' business case inputs (the
    loans per case for the pilots' comparison) unless given.

    Some fifty conditional counts built as ORM expressions cost more to
    compile than to run, so the counts are one SQL statement over the ORM's
    own (municipality-scoped) query of the history: only the outer
    ``COUNT(DISTINCT …) FILTER (WHERE …)`` is written here, with parameters
    for every value."""
    from django.db import connection

    sql, params = _STATEMENTS.sql(("pipeline", filters.key), lambda: _pipeline_sql(filters))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = dict(zip([n for n, *_rest in COUNT_SPECS], cursor.fetchone(), strict=True))
    row["time_to_self_support"] = _STATEMENTS.aggregate(
        ("time_to_self_support", filters.key),
        lambda: (
            _steps(filters).filter(_period(filters), to_stage=Stage.SELF_SUPPORTING),
            {"avg": Avg(ExpressionWrapper(F("at") - _inquiry_at(), output_field=DurationField()))},
        ),
    )["avg"]
    return {
        "funnel": _funnel(row, filters if inputs is None else inputs),
        "outcomes": _outcomes(row),
        "admitted_all_time": row["admitted_all_time"],
    }


# The stages the counts step into: the history is read only for these.
COUNTED_STAGES = sorted({str(to_stage) for _n, _f, to_stage, _p in COUNT_SPECS})


def _pipeline_sql(filters: ReportFilters) -> tuple[str, list]:
    """:func:`pipeline_figures`' statement of counts and its parameters
    (built once per filter and municipality).

    The steps into a counted stage are first made distinct per case, from
    and to stage (and whether they fall in the period): a count of one step
    (from and to given) is then a plain ``COUNT(*)`` of those rows; only a
    count of steps into a stage from anywhere counts distinct cases. Fifty
    distinct counts each sorted the whole history."""
    from django.db import connection

    qn = connection.ops.quote_name
    steps = (
        _steps(filters)
        .filter(to_stage__in=COUNTED_STAGES)
        .order_by()
        .values("case_id", "from_stage", "to_stage", "at")
    )
    inner, inner_params = steps.query.sql_with_params()
    period_sql, period_params = [], []
    tz = timezone.get_current_timezone()
    if filters.date_from:
        period_sql.append(f"{qn('at')} >= %s")
        period_params.append(datetime.datetime.combine(filters.date_from, datetime.time.min, tz))
    if filters.date_to:
        end = filters.date_to + datetime.timedelta(days=1)
        period_sql.append(f"{qn('at')} < %s")
        period_params.append(datetime.datetime.combine(end, datetime.time.min, tz))
    period_params = [connection.ops.adapt_datetimefield_value(v) for v in period_params]
    # With a period each distinct row says whether the step fell in it; a
    # case may then have a row in it and one outside for the same step.
    in_period_sql = f"({' AND '.join(period_sql)})" if period_sql else "1 = 1"
    columns, params = [], []
    for name, from_stage, to_stage, in_period in COUNT_SPECS:
        where, values = [f"{qn('to_stage')} = %s"], [str(to_stage)]
        if from_stage is not None:
            where.append(f"{qn('from_stage')} = %s")
            values.append(str(from_stage))
        if in_period and period_sql:
            where.append(qn("in_period"))
        one_row_a_case = from_stage is not None and (in_period or not period_sql)
        counted = "*" if one_row_a_case else f"DISTINCT {qn('case_id')}"
        columns.append(f"COUNT({counted}) FILTER (WHERE {' AND '.join(where)}) AS {qn(name)}")
        params += values
    step = ", ".join(qn(c) for c in ("case_id", "from_stage", "to_stage"))
    distinct = f"SELECT DISTINCT {step}, {in_period_sql} AS {qn('in_period')} FROM ({inner}) s"  # noqa: S608
    sql = f"SELECT {', '.join(columns)} FROM ({distinct}) steps"  # noqa: S608 - see pipeline_figures
    return sql, [*params, *period_params, *inner_params]


def funnel(filters: ReportFilters) -> Funnel:
    """Conversion per screening in the period: how many cases entered
    screening N, how many passed it, were stopped or withdrew — and the
    steps the handbook's pilots are measured by. One query."""
    return pipeline_figures(filters)["funnel"]


def _funnel(row: dict, inputs) -> Funnel:
    """``inputs``: the apps' business case inputs, or the filters to read them with."""
    labels = {k: str(v) for k, v in Stage.choices}
    screenings = [
        ScreeningConversion(
            number=i,
            label=labels[stage],
            entered=row[f"entered_{i}"],
            passed=row[f"passed_{i}"],
            stopped=row[f"stopped_{i}"],
            withdrawn=row[f"withdrawn_{i}"],
            extended=row["extended_4"] if i == 4 else 0,
        )
        for i, stage in enumerate(SCREENING_STAGES, start=1)
    ]
    result = Funnel(
        screenings=screenings,
        reached_courses=row["reached_courses"],
        reached_establishment=row["reached_establishment"],
        admitted=row["admitted"],
        self_supporting=row["self_supporting"],
    )
    if isinstance(inputs, ReportFilters):
        inputs = business_case_inputs(inputs)
    loans = inputs.get("cases_with_loan")
    result.cases_with_loan = int(loans) if loans is not None else None
    got_loan = result.cases_with_loan
    result.pilots = [
        {
            "label": _("Fra kompetenceforløb til lån"),
            "pilot_from": PILOT_COURSES_TO_LOANS[0],
            "pilot_to": PILOT_COURSES_TO_LOANS[1],
            "pilot_rate": percent(PILOT_COURSES_TO_LOANS[1], PILOT_COURSES_TO_LOANS[0]),
            "ours_from": result.reached_courses,
            "ours_to": got_loan if got_loan is not None else result.reached_establishment,
            "ours_rate": percent(
                got_loan if got_loan is not None else result.reached_establishment,
                result.reached_courses,
            ),
        },
        {
            "label": _("Fra visiteret til selvforsørgende"),
            "pilot_from": PILOT_ADMITTED_TO_SELF_SUPPORTING[0],
            "pilot_to": PILOT_ADMITTED_TO_SELF_SUPPORTING[1],
            "pilot_rate": percent(
                PILOT_ADMITTED_TO_SELF_SUPPORTING[1], PILOT_ADMITTED_TO_SELF_SUPPORTING[0]
            ),
            "ours_from": result.admitted,
            "ours_to": result.self_supporting,
            "ours_rate": percent(result.self_supporting, result.admitted),
        },
    ]
    return result


def _inquiry_at():
    """When the case's inquiry came: its first step in the history (the
    creation, which may be dated back when a case is registered late), else
    when the row was made."""
    # The base manager: the subquery follows the (scoped) outer step's case,
    # and the scope's own municipality condition made PostgreSQL read the
    # municipality's whole history once per step instead of the case's.
    first = (
        CaseTransition._base_manager.filter(case=OuterRef("case"))
        .order_by("at", "pk")
        .values("at")[:1]
    )
    return Coalesce(Subquery(first, output_field=DateTimeField()), F("case__created_at"))


# --- Outcomes ----------------------------------------------------------------------


@dataclass
class Outcomes:
    self_supporting: int
    business_stopped: int
    months_to_self_support: Decimal | None
    exits: list = field(default_factory=list)  # (stage label, declined, withdrawn)


def outcomes(filters: ReportFilters) -> Outcomes:
    """Self-supporting and business stopped (the 4th screening's outcomes),
    the average months from the inquiry to self-support, and the stage each
    citizen left the pipeline from. One query."""
    return pipeline_figures(filters)["outcomes"]


def _outcomes(row: dict) -> Outcomes:
    duration = row["time_to_self_support"]
    months = None
    if duration is not None:
        days = Decimal(duration.total_seconds()) / Decimal(86400)
        months = (days / DAYS_PER_MONTH).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    labels = {k: str(v) for k, v in Stage.choices}
    exits = [
        (
            labels[stage],
            row[f"exit_{i}_{Stage.DECLINED}"],
            row[f"exit_{i}_{Stage.WITHDRAWN}"],
        )
        for i, stage in enumerate(EXIT_FROM)
    ]
    return Outcomes(
        self_supporting=row["self_supporting"],
        business_stopped=row["business_stopped"],
        months_to_self_support=months,
        exits=exits,
    )


# --- Cohorts against the week plan ---------------------------------------------------------


@dataclass
class CohortRow:
    case: Case
    stage_label: str
    phase_label: str
    planned_first: int | None
    planned_last: int | None
    behind: bool
    weeks_in_stage: int
    since_week: int


def cohort(programme: Programme, today: datetime.date | None = None) -> dict:
    """The programme's open cases against its week plan: each case's stage,
    the planned weeks of its phase, and "behind plan" where the programme is
    past the phase's last planned week. One query for the cases."""
    from ..models import STAGE_PHASE
    from ..weeks import cohort_week_ones

    today = today or timezone.localdate()
    week = programme.week_of(today)
    labels = {k: str(v) for k, v in Stage.choices}
    phase_labels = {key: str(label) for key, (label, _s) in PHASES.items()}
    cases = list(
        Case.objects.filter(programme=programme)
        .exclude(stage__in=CLOSED_STAGES)
        .select_related("citizen")
        .only(
            "id",
            "case_number",
            "stage",
            "stage_before_pause",
            "stage_changed_at",
            "programme_id",
            "citizen__id",
            "citizen__first_name",
            "citizen__last_name",
            "citizen__municipality_id",
        )
        .order_by("case_number")
    )
    order = {str(s): i for i, s in enumerate(PIPELINE)}
    # A case on a cohort counts its planned weeks from the cohort's week 1
    # (SPEC §3): shifted here onto the programme's weeks, the axis of the page.
    week_ones = cohort_week_ones(c.pk for c in cases)
    rows = []
    for case in cases:
        stage = case.stage_before_pause if case.stage == Stage.PAUSED else case.stage
        phase = STAGE_PHASE.get(stage)
        first, last = programme.planned_weeks(stage) if phase else (None, None)
        if case.pk in week_ones and first is not None:
            shift = programme.week_of(week_ones[case.pk][0]) - 1
            first, last = first + shift, (last + shift if last is not None else None)
        since = timezone.localdate(case.stage_changed_at)
        rows.append(
            CohortRow(
                case=case,
                stage_label=labels.get(case.stage, case.stage),
                phase_label=phase_labels.get(phase, ""),
                planned_first=first,
                planned_last=last,
                behind=last is not None and week > last,
                weeks_in_stage=max((today - since).days // 7, 0),
                since_week=programme.week_of(since),
            )
        )
    rows.sort(key=lambda r: order.get(r.case.stage_before_pause or r.case.stage, 99))
    last_week = max([62, week] + [w[1] or w[0] for w in programme.week_plan.values()])
    plan = [(phase_labels[key], weeks[0], weeks[1]) for key, weeks in programme.week_plan.items()]
    return {
        "programme": programme,
        "week": week,
        "weeks": last_week + 2,
        "rows": rows,
        "behind": sum(1 for r in rows if r.behind),
        "plan": plan,
    }


# --- The business case -------------------------------------------------------------------


def assumptions_for_municipality() -> BusinessCaseAssumptions:
    """The municipality's assumptions, unsaved defaults when none are set."""
    return BusinessCaseAssumptions.objects.order_by("pk").first() or BusinessCaseAssumptions()


@dataclass
class BusinessCase:
    assumptions: BusinessCaseAssumptions
    admitted: int
    self_supporting: int
    months_saved: Decimal  # Σ months within the horizon after each self-support
    support_months: Decimal
    support_months_estimated: bool
    team_years: Decimal
    loans_written_off: Decimal | None
    loans_paid_out: Decimal | None
    loans_repaid: Decimal | None
    start: datetime.date | None
    savings: Decimal = Decimal(0)
    team_cost: Decimal = Decimal(0)
    support_cost: Decimal = Decimal(0)
    costs: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    saving_per_citizen: Decimal = Decimal(0)
    break_even: int | None = None

    @property
    def pays_for_itself(self) -> bool:
        return self.net >= 0


def _months(delta: datetime.timedelta) -> Decimal:
    return Decimal(delta.total_seconds()) / Decimal(86400) / DAYS_PER_MONTH


def compute_business_case(
    *,
    assumptions: BusinessCaseAssumptions,
    start: datetime.date | None,
    today: datetime.date,
    admitted: int,
    self_supported_on: list[datetime.date],
    support_months: Decimal,
    support_months_estimated: bool = True,
    inputs: dict | None = None,
) -> BusinessCase:
    """The arithmetic, apart from the reads so it can be checked by hand.

    - savings: each self-supporting citizen saves the benefit for every
      month from their self-support to the end of the horizon, counted from
      the programme's week 1;
    - costs: the team for the years it has worked on the programme (week 1
      to today, at most the horizon), the subsistence support (its months —
      the loans app's, from the grants, else estimated from the phases —
      × the assumed support per month: the job centre's payments are not
      recorded), and the loans written off;
    - break-even: how many self-supporting citizens, each saving the whole
      horizon, would pay for the costs."""
    inputs = inputs or {}
    horizon_months = Decimal(assumptions.horizon_years * 12)
    months_saved = Decimal(0)
    team_years = Decimal(0)
    if start is not None:
        horizon_end = datetime.date(
            start.year + assumptions.horizon_years, start.month, min(start.day, 28)
        )
        for day in self_supported_on:
            if day < horizon_end:
                months_saved += _months(horizon_end - max(day, start))
        team_years = min(
            _months(max(today, start) - start) / 12, Decimal(assumptions.horizon_years)
        )
    months_saved = months_saved.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    team_years = team_years.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    case = BusinessCase(
        assumptions=assumptions,
        admitted=admitted,
        self_supporting=len(self_supported_on),
        months_saved=months_saved,
        support_months=Decimal(inputs.get("support_months", support_months)),
        support_months_estimated="support_months" not in inputs and support_months_estimated,
        team_years=team_years,
        loans_written_off=inputs.get("loans_written_off"),
        loans_paid_out=inputs.get("loans_paid_out"),
        loans_repaid=inputs.get("loans_repaid"),
        start=start,
    )
    kr = Decimal("1")
    case.savings = (months_saved * assumptions.benefit_saved_per_month).quantize(kr)
    case.team_cost = (team_years * assumptions.team_cost_per_year).quantize(kr)
    case.support_cost = (case.support_months * assumptions.support_cost_per_month).quantize(kr)
    case.costs = case.team_cost + case.support_cost + Decimal(case.loans_written_off or 0)
    case.net = case.savings - case.costs
    case.saving_per_citizen = (horizon_months * assumptions.benefit_saved_per_month).quantize(kr)
    if case.saving_per_citizen:
        case.break_even = math.ceil(case.costs / case.saving_per_citizen)
    return case


def business_case(
    filters: ReportFilters,
    today: datetime.date | None = None,
    assumptions=None,
    *,
    admitted: int | None = None,
    municipality=None,
    inputs: dict | None = None,
    start: datetime.date | object | None = ...,
) -> BusinessCase:
    """The business case from the programme's actual figures (or all the
    municipality's programmes), whatever the period. Queries: the
    programmes' first week 1 (none for one programme, or when ``start`` is
    given: None when there are no programmes), the admitted cases (none
    when given), one row per case that became self-supporting, the
    assumptions (none when given), and the apps' inputs (none when given).
    Without the apps' months of support (the loans app's, from the grants)
    they are estimated from the phases: then the rows include the cases
    that reached establishment, and the scheme (the support cap) is read."""
    today = today or timezone.localdate()
    assumptions = assumptions or assumptions_for_municipality()
    if filters.programme is not None:
        start = filters.programme.start_date
    elif start is ...:
        start = _STATEMENTS.aggregate(
            "first_week_1", lambda: (Programme.objects.all(), {"start": Min("start_date")})
        )["start"]
    all_time = ReportFilters(programme=filters.programme)
    if admitted is None:  # pipeline_figures' admitted_all_time, on its own
        admitted = _STATEMENTS.aggregate(
            ("admitted", all_time.key),
            lambda: (
                _steps(all_time).filter(to_stage=Stage.BUSINESS_DEVELOPMENT),
                {"n": Count("case", distinct=True)},
            ),
        )["n"]
    if inputs is None:
        inputs = business_case_inputs(filters)
    estimate = "support_months" not in inputs
    steps = _steps(all_time).order_by()
    self_supported_on, spans = [], []
    if estimate:
        closed = [str(s) for s in CLOSED_STAGES]
        rows = (
            steps.filter(
                Q(to_stage__in=[Stage.SELF_SUPPORTING, Stage.ESTABLISHMENT])
                | Q(to_stage__in=closed, from_stage__in=_SUPPORTED)
            )
            .values("case")
            .annotate(
                self_supported=Min("at", filter=Q(to_stage=Stage.SELF_SUPPORTING)),
                began=Min("at", filter=Q(to_stage=Stage.ESTABLISHMENT)),
                ended=Max("at", filter=Q(to_stage__in=closed)),
            )
            .values_list("self_supported", "began", "ended")
        )
        for self_supported, began, ended in rows:
            if self_supported is not None:
                self_supported_on.append(timezone.localdate(self_supported))
            if began is not None:
                spans.append((began, ended))
    else:
        self_supported_on = [
            timezone.localdate(at)
            for (at,) in _STATEMENTS.rows(
                ("self_supported", all_time.key),
                lambda: (
                    steps.filter(to_stage=Stage.SELF_SUPPORTING)
                    .values("case")
                    .annotate(first=Min("at"))
                    .values_list("first")
                ),
            )
        ]
    return compute_business_case(
        assumptions=assumptions,
        start=start,
        today=today,
        admitted=admitted,
        self_supported_on=self_supported_on,
        support_months=(
            support_months_of(spans, _support_cap(municipality)) if estimate else Decimal(0)
        ),
        inputs=inputs,
    )


def _support_cap(municipality=None) -> Decimal:
    """The most months of support a case can have: the scheme's months and
    its extension cap."""
    if municipality is None:
        from mikrolaan.models import Municipality
        from mikrolaan.tenancy import current_municipality_id

        municipality_id = current_municipality_id()
        if municipality_id is not None:
            municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return Decimal(12)
    scheme = municipality.current_scheme()
    return Decimal(scheme.support_months + scheme.extension_cap_months)


def support_months_of(spans, cap: Decimal) -> Decimal:
    """Until the loans app supplies the support actually granted: the months
    from each case's establishment to the end of its support (self-support
    or leaving), or now, each capped."""
    now = timezone.now()
    total = Decimal(0)
    for began, ended in spans:
        total += min(_months((ended or now) - began), cap)
    return total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_SUPPORTED = [str(Stage.ESTABLISHMENT), str(Stage.RUNNING), str(Stage.SCREENING_4), "paused"]


# --- Programme set-up and the team ----------------------------------------------------------


def setup_checklist(programme: Programme) -> list[dict]:
    """The handbook's set-up items for the programme, with who ticked each
    and when. One query."""
    from .models import SETUP_GUIDANCE

    checks = {
        c.item: c
        for c in SetupCheck.objects.filter(programme=programme).select_related("ticked_by")
    }
    return [
        {
            "item": str(item),
            "label": str(item.label),
            "guidance": str(SETUP_GUIDANCE[item]),
            "check": checks.get(str(item)),
        }
        for item in SetupItem
    ]


@dataclass
class CompetenceMatrix:
    members: list
    competences: list  # (key, label, holders)
    people: int
    fte: Decimal
    warnings: list


MIN_PEOPLE = 2
MIN_FTE = Decimal(1)


def competence_matrix() -> CompetenceMatrix:
    """The staff function's people, their full-time share and competences,
    with the handbook's warnings: at least two people and one full-time
    equivalent, and every competence present somewhere in the team. One
    query."""
    members = list(
        TeamMember.objects.select_related("user").order_by(
            "user__first_name", "user__last_name", "user__username"
        )
    )
    active = [m for m in members if m.fte > 0]
    fte = sum((m.fte for m in active), Decimal(0))
    competences = []
    warnings = []
    if len(active) < MIN_PEOPLE:
        warnings.append(
            _("Stabsfunktionen bør have mindst to personer (nu %(n)s).") % {"n": len(active)}
        )
    if fte < MIN_FTE:
        warnings.append(
            _("Stabsfunktionen bør have mindst ét samlet årsværk (nu %(fte)s).")
            % {"fte": format(fte.normalize(), "f").replace(".", ",")}
        )
    for key, label in Competence.choices:
        holders = [m for m in active if key in (m.competences or [])]
        competences.append((key, str(label), holders))
        if not holders:
            warnings.append(_("Ingen i stabsfunktionen har kompetencen: %(c)s.") % {"c": label})
    for m in members:
        m.name = m.user.get_full_name() or m.user.get_username()
        m.has = [key in (m.competences or []) for key, _l in Competence.choices]
    return CompetenceMatrix(
        members=members, competences=competences, people=len(active), fte=fte, warnings=warnings
    )
