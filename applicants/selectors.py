"""Reads of the pipeline that span relations: lists, the case page, the start
pages. Query counts here do not grow with the data."""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models as dj_models
from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from mikrolaan.access_log import current_collector
from mikrolaan.roles import STAFF_ROLES
from mikrolaan.tenancy import current_municipality_id, scope_users

from .cpr import mask_cpr
from .models import (
    CLOSED_STAGES,
    PHASES,
    STAGE_PHASE,
    Attendance,
    Case,
    CaseTransition,
    Citizen,
    Meeting,
    MeetingKind,
    Programme,
    Source,
    Stage,
)

_CPR_QUERY = re.compile(r"^\d{6}-?\d{0,4}$")
# Case numbers: 751-2026-00042 (and the older ML-2026-00042), or a part of one.
_CASE_NUMBER_QUERY = re.compile(r"^(ml-?|\d{3}-)?\d{4}-\d*$|^ml-|^\d{3}-\d{0,4}$", re.IGNORECASE)


def staff_users() -> QuerySet:
    """The team of the request's municipality: users with a team role, for
    'responsible' and 'staff present'."""
    return scope_users(
        get_user_model()
        .objects.filter(groups__name__in=[str(r) for r in STAFF_ROLES], is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# The case list's filter choices (the team's staff, the programmes) are the
# same for every user of a municipality and change seldom: they are cached
# per municipality for FILTER_CHOICES_SECONDS, and every save or delete of a
# programme, a user, a profile or a group membership starts a new generation
# (``forget_filter_choices``). With a shared cache (Redis) that reaches every
# worker at once; with the per-process default cache another worker may show
# the old choices for up to FILTER_CHOICES_SECONDS. No citizen's data is
# cached: staff names and programme names only, and only for users of the
# same municipality.
FILTER_CHOICES_SECONDS = 60
_CHOICES_GENERATION_KEY = "applicants:filter-choices:generation"


def forget_filter_choices(update_fields=None, **_kwargs) -> None:
    """Start a new generation of cached filter choices (a signal receiver).
    A sign-in (only ``last_login`` saved) changes no name or role."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    cache.set(_CHOICES_GENERATION_KEY, secrets.token_hex(8), None)


def _load_filter_choices() -> dict:
    staff = [(u.pk, u.get_full_name() or u.get_username()) for u in staff_users()]
    programmes = list(Programme.objects.values_list("pk", "name"))
    return {"staff": staff, "programmes": programmes}


def case_filter_choices() -> dict:
    """``{"staff": [(pk, label)], "programmes": [(pk, name)]}`` of the
    request's municipality; outside a request, read fresh."""
    municipality_id = current_municipality_id()
    if municipality_id is None:
        return _load_filter_choices()
    generation = cache.get(_CHOICES_GENERATION_KEY)
    if generation is None:
        generation = secrets.token_hex(8)
        cache.add(_CHOICES_GENERATION_KEY, generation, None)
        generation = cache.get(_CHOICES_GENERATION_KEY, generation)
    key = f"applicants:filter-choices:{generation}:{municipality_id}"
    choices = cache.get(key)
    if choices is None:
        choices = _load_filter_choices()
        cache.set(key, choices, FILTER_CHOICES_SECONDS)
    return choices


# Names have a few words; a pasted paragraph would otherwise become hundreds
# of joined conditions (SQLite refuses a query that deep).
MAX_SEARCH_WORDS = 8


def search_cases(qs: QuerySet, q: str) -> QuerySet:
    """Search by CPR (with or without the dash, or its first six digits), by
    case number (751-2026-00042, 2026-00042) or by name (every word, up to the
    first MAX_SEARCH_WORDS, must match the first or last name). One kind per
    query, so each can use its own plan."""
    q = (q or "").strip()
    if not q:
        return qs
    if _CPR_QUERY.match(q):
        return qs.filter(citizen__cpr__startswith=q.replace("-", ""))
    if _CASE_NUMBER_QUERY.match(q):
        return qs.filter(case_number__icontains=q)
    name = Q()
    for word in q.split()[:MAX_SEARCH_WORDS]:
        name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return qs.filter(citizen__in=Citizen.objects.filter(name).values("pk"))


CASE_ROW_FIELDS = (
    "pk",
    "case_number",
    "stage",
    "source",
    "citizen_id",
    "citizen__first_name",
    "citizen__last_name",
    "citizen__cpr",
    "responsible__first_name",
    "responsible__last_name",
    "responsible__username",
    "programme__name",
    "meetings_held",
    "meetings_attended",
)


def case_rows(ids: list[int]) -> list[dict]:
    """The rows of one page of the case list, in the order of ``ids``: the
    page is chosen on the case table alone, then its 50 rows are joined.

    Read as plain values, not model instances (building four objects per row
    cost more than the query), so the citizens shown are told to the access
    log here: the row's name and the masked CPR are personal data. Each row
    is a dict (the template looks a dict's keys up first, an object's
    attributes only after a failed key lookup): pk, url, case_number, name,
    masked_cpr, stage_label, responsible_name, source_label, programme and
    stability (attended ÷ held in whole per cent, None before the first
    meeting held)."""
    values = with_meeting_stability(Case.objects.filter(pk__in=ids)).values(*CASE_ROW_FIELDS)
    found = {row["pk"]: row for row in values}
    stages = {k: str(v) for k, v in Stage.choices}
    sources = {k: str(v) for k, v in Source.choices}
    # One reverse() for the page instead of one per row.
    url = reverse("applicants:case_detail", args=[0]).removesuffix("0/")
    municipality_id = current_municipality_id()
    collector = current_collector()
    rows = []
    for pk in ids:
        row = found.get(pk)
        if row is None:
            continue
        name = f"{row['citizen__first_name']} {row['citizen__last_name']}".strip()
        if collector is not None:
            collector.note(Citizen, row["citizen_id"], municipality_id=municipality_id, label=name)
        responsible = (
            f"{row['responsible__first_name'] or ''} {row['responsible__last_name'] or ''}"
        )
        held = row["meetings_held"]
        rows.append(
            {
                "pk": pk,
                "url": f"{url}{pk}/",
                "case_number": row["case_number"],
                "name": name,
                "masked_cpr": mask_cpr(row["citizen__cpr"]),
                "stage_label": stages.get(row["stage"], row["stage"]),
                "responsible_name": responsible.strip() or (row["responsible__username"] or ""),
                "source_label": sources.get(row["source"], row["source"]),
                "programme": row["programme__name"],
                "stability": str(round(row["meetings_attended"] / held * 100)) if held else None,
            }
        )
    return rows


def case_list(
    *,
    stage: str = "",
    responsible_id: int | None = None,
    source: str = "",
    programme_id: int | None = None,
    q: str = "",
) -> QuerySet:
    """The team's case list, filtered; one query for the rows of a page."""
    qs = Case.objects.select_related("citizen", "responsible", "programme")
    if stage:
        qs = qs.filter(stage=stage)
    if responsible_id is not None:
        qs = qs.filter(responsible_id=responsible_id)
    if source:
        qs = qs.filter(source=source)
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    return search_cases(qs, q).order_by("-created_at", "-id")


def held_meetings_filter(prefix: str = "", now=None) -> Q:
    """Held = in the past and not cancelled in advance."""
    now = now or timezone.now()
    return Q(**{f"{prefix}starts_at__lte": now}) & ~Q(
        **{f"{prefix}attendance": Attendance.CANCELLED}
    )


def with_meeting_stability(qs: QuerySet, now=None) -> QuerySet:
    """Annotate cases with meetings_held, meetings_attended and meeting_stability
    (attended ÷ held, None when nothing is held yet) in the same query."""
    held = held_meetings_filter("meetings__", now)
    qs = qs.annotate(
        meetings_held=Count("meetings", filter=held, distinct=True),
        meetings_attended=Count(
            "meetings",
            filter=held & Q(meetings__attendance=Attendance.ATTENDED),
            distinct=True,
        ),
    )
    return qs.annotate(
        meeting_stability=dj_models.Case(
            dj_models.When(meetings_held=0, then=None),
            default=Cast(F("meetings_attended"), FloatField())
            / Cast(F("meetings_held"), FloatField()),
            output_field=FloatField(),
        )
    )


def stability_of(meetings: list[Meeting], now=None) -> dict:
    """Meeting stability of meetings already loaded (the case page has them
    all): held = begun and not cancelled in advance; the same rule as
    :func:`held_meetings_filter`."""
    now = now or timezone.now()
    held = [m for m in meetings if m.starts_at <= now and m.attendance != Attendance.CANCELLED]
    attended = sum(1 for m in held if m.attendance == Attendance.ATTENDED)
    return {
        "held": len(held),
        "attended": attended,
        "ratio": attended / len(held) if held else None,
    }


def meeting_stability(case: Case, now=None) -> dict:
    """Meeting stability (mødestabilitet) of one case: one aggregate query."""
    held = held_meetings_filter("", now)
    counts = Meeting.objects.filter(case=case).aggregate(
        held=Count("id", filter=held),
        attended=Count("id", filter=held & Q(attendance=Attendance.ATTENDED)),
    )
    ratio = counts["attended"] / counts["held"] if counts["held"] else None
    return {**counts, "ratio": ratio}


def case_for_page(pk: int) -> Case:
    return Case.objects.select_related(
        "citizen", "citizen__user", "programme", "responsible", "referring_caseworker"
    ).get(pk=pk)


# What the case page shows of a user (a meeting's staff, its author): the
# name; not the password hash, e-mail or permission flags, 20 times over.
_USER_NAME_FIELDS = ("id", "first_name", "last_name", "username")


def meetings_for_case(case: Case) -> list[Meeting]:
    return list(
        Meeting.objects.filter(case=case)
        .select_related("created_by")
        .defer(*(f"created_by__{f.name}" for f in _user_fields_not_shown()))
        .prefetch_related(
            Prefetch("staff", queryset=get_user_model().objects.only(*_USER_NAME_FIELDS))
        )
        .order_by("-starts_at", "-id")
    )


def _user_fields_not_shown() -> list:
    return [
        f
        for f in get_user_model()._meta.concrete_fields
        if f.name not in _USER_NAME_FIELDS and not f.primary_key
    ]


@dataclass
class WeekPosition:
    programme_week: int  # the case's week: of its cohort if it has one
    planned_first: int | None
    planned_last: int | None
    phase_label: str
    behind: bool
    cohort_name: str = ""  # the weeks are counted from this cohort's week 1


def week_position(case: Case, today: datetime.date | None = None) -> WeekPosition | None:
    """Where the case stands against its programme's week plan, counted from
    its cohort's week 1 where it has a cohort (SPEC §3), else from the
    programme's start. Behind when that week is past the last planned week
    of the case's phase. One query (the cohort)."""
    from .weeks import cohort_week_ones, week_of

    today = today or timezone.localdate()
    stage = case.stage_before_pause if case.stage == Stage.PAUSED else case.stage
    phase = STAGE_PHASE.get(stage)
    if phase is None:
        return None
    first, last = case.programme.planned_weeks(stage)
    start, cohort_name = cohort_week_ones([case.pk]).get(case.pk, (case.programme.start_date, ""))
    week = week_of(start, today)
    return WeekPosition(
        programme_week=week,
        planned_first=first,
        planned_last=last,
        phase_label=str(PHASES[phase][0]),
        behind=case.stage not in CLOSED_STAGES and last is not None and week > last,
        cohort_name=cohort_name,
    )


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # transition | meeting | phone_interview | letter
    title: str
    detail: str
    actor: str


def _name(user) -> str:
    if user is None:
        return _("systemet")
    return user.get_full_name() or user.get_username()


def phone_interviews_for_case(case: Case) -> list:
    """The case's phone interviews, newest first, with who held them."""
    return list(case.phone_interviews.select_related("conducted_by"))


def case_timeline(
    case: Case, meetings: list[Meeting], letters=(), phone_interviews=None
) -> list[TimelineEntry]:
    """Transitions, phone interviews, meetings and letters, newest first."""
    stages = dict(Stage.choices)
    entries = []
    for t in CaseTransition.objects.filter(case=case).select_related("actor"):
        if t.from_stage:
            title = _("Fase: %(from)s → %(to)s") % {
                "from": stages.get(t.from_stage, t.from_stage),
                "to": stages.get(t.to_stage, t.to_stage),
            }
        else:
            title = _("Forløbet blev oprettet")
        entries.append(TimelineEntry(t.at, "transition", title, t.reason, _name(t.actor)))
    if phone_interviews is None:
        phone_interviews = phone_interviews_for_case(case)
    for p in phone_interviews:
        yes_no = {True: _("ja"), False: _("nej")}
        detail = _("I målgruppen: %(t)s. Realistisk: %(r)s. Motiveret: %(m)s.") % {
            "t": yes_no[p.in_target_group],
            "r": yes_no[p.realistic],
            "m": yes_no[p.motivated],
        }
        entries.append(
            TimelineEntry(
                p.held_at, "phone_interview", _("Telefonsamtale"), detail, _name(p.conducted_by)
            )
        )
    for m in meetings:
        title = f"{m.get_kind_display()} – {m.get_attendance_display().lower()}"
        entries.append(TimelineEntry(m.starts_at, "meeting", title, m.place, _name(m.created_by)))
    for letter in letters:
        title = letter.subject or str(_("Brev"))
        entries.append(TimelineEntry(letter.created_at, "letter", title, "", _name(letter.author)))
    return sorted(entries, key=lambda e: e.at, reverse=True)


def short_datetime_formatter():
    """A function formatting an aware datetime as the template filter
    ``date:"D j. b H:i"`` does (``tor 26. nov 14:00`` in the request's
    language and time zone), with the day and month names translated once
    for a whole list instead of twice per row."""
    weekdays = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
    months = {i: str(MONTHS_3[i]) for i in range(1, 13)}
    tz = timezone.get_current_timezone()

    def format_(value: datetime.datetime) -> str:
        local = value.astimezone(tz)
        return f"{weekdays[local.weekday()]} {local.day}. {months[local.month]} {local:%H:%M}"

    return format_


# A start page lists at most this many meetings per section and says how
# many more there are: it costs the same in a busy week.
SHOWN_MEETINGS = 25


def team_meetings(
    *, user=None, today: datetime.date | None = None, limit: int = SHOWN_MEETINGS
) -> dict:
    """Meetings today and for the rest of this week (Monday–Sunday): the
    first ``limit`` of each with their staff, and how many more there are.
    With ``user``: that person's meetings — those they take part in, and
    those on cases they are contact person for. Queries: the rows of both
    sections, their staff; in a busy week a count of a section that has
    more than it shows, and the week's rows apart when today fills the
    first 2 × ``limit``."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    tomorrow = start + datetime.timedelta(days=1)
    week_end = start + datetime.timedelta(days=7 - today.weekday())
    qs = Meeting.objects.exclude(attendance=Attendance.CANCELLED)
    if user is not None:
        takes_part = Meeting.staff.through.objects.filter(meeting=OuterRef("pk"), user=user)
        qs = qs.filter(Q(Exists(takes_part)) | Q(case__responsible=user))
    rows = (
        qs.select_related("case", "case__citizen")
        # Only what a row shows (the citizen's name and municipality for the
        # access log): no notes, CPR numbers or addresses to fetch.
        .only(
            "id",
            "kind",
            "starts_at",
            "place",
            "case",
            "case__stage",  # read by the state machine whenever a case is built
            "case__citizen",
            "case__citizen__first_name",
            "case__citizen__last_name",
            "case__citizen__municipality_id",
        )
        .order_by("starts_at", "id")
    )

    def between(lo, hi):
        return {"starts_at__gte": lo, "starts_at__lt": hi}

    # One query for both sections in a normal week: the first 2 × limit
    # meetings from today to Sunday, in time order, hold all of today's and
    # the first of the rest of the week unless today alone fills them.
    window = 2 * limit
    fetched = list(rows.filter(**between(start, week_end))[:window])
    complete = len(fetched) < window  # every meeting of the week is here
    today_rows = [m for m in fetched if m.starts_at < tomorrow]
    week_rows = fetched[len(today_rows) :]
    sections = {}
    if complete or week_rows:  # then all of today's meetings are here
        sections["today"] = (today_rows[:limit], max(0, len(today_rows) - limit))
    else:
        more = qs.filter(**between(start, tomorrow)).count() - limit
        sections["today"] = (today_rows[:limit], more)
    if complete:
        sections["week"] = (week_rows[:limit], max(0, len(week_rows) - limit))
    elif len(week_rows) > limit:
        more = qs.filter(**between(tomorrow, week_end)).count() - limit
        sections["week"] = (week_rows[:limit], more)
    else:  # today took (nearly) the whole window: the week on its own
        shown = list(rows.filter(**between(tomorrow, week_end))[:limit])
        more = 0
        if len(shown) == limit:
            more = qs.filter(**between(tomorrow, week_end)).count() - limit
        sections["week"] = (shown, more)
    shown_all = sections["today"][0] + sections["week"][0]
    # The staff's names as plain values (no user objects with password
    # hashes and permissions fields to build for every meeting).
    names: dict[int, list[str]] = {m.pk: [] for m in shown_all}
    if names:
        staff = (
            Meeting.staff.through.objects.filter(meeting_id__in=list(names))
            .order_by("meeting_id", "id")  # in the order they were added
            .values_list("meeting_id", "user__first_name", "user__last_name", "user__username")
        )
        for meeting_id, first, last, username in staff:
            names[meeting_id].append(f"{first} {last}".strip() or username)
    kinds = {k: str(v) for k, v in MeetingKind.choices}
    when = short_datetime_formatter()
    for m in shown_all:
        m.kind_label = kinds.get(m.kind, m.kind)
        m.when = when(m.starts_at)
        m.staff_names = ", ".join(names[m.pk])
    return {
        "meetings_today": sections["today"][0],
        "meetings_today_more": sections["today"][1],
        "meetings_week": sections["week"][0],
        "meetings_week_more": sections["week"][1],
    }


def _next_meeting_subquery():
    return (
        Meeting.objects.filter(case=OuterRef("pk"), starts_at__gte=timezone.now())
        .exclude(attendance=Attendance.CANCELLED)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def referrals_for_caseworker(user) -> QuerySet:
    """What a caseworker may see of the citizens they referred: name, stage and
    next meeting — nothing else is selected."""
    return (
        Case.objects.filter(referring_caseworker=user)
        .annotate(next_meeting_at=Subquery(_next_meeting_subquery()))
        .select_related("citizen")
        .only("id", "stage", "created_at", "citizen__first_name", "citizen__last_name")
        .order_by("-created_at", "-id")
    )


def with_stage_labels(cases: list[Case]) -> list[Case]:
    """Set ``stage_label`` from labels translated once for the list:
    get_stage_display() per row translates every choice again."""
    stages = {k: str(v) for k, v in Stage.choices}
    for case in cases:
        case.stage_label = stages.get(case.stage, case.stage)
    return cases


def citizen_portal(user) -> dict:
    """The citizen's own case (the open one, else the latest), its coming
    meetings and the citizen's letters."""
    from mikrolaan.letters.selectors import letters_for_citizen

    # The newest open case, else the newest: one query.
    case = (
        Case.objects.filter(citizen__user=user)
        .select_related("citizen", "responsible")
        .order_by(
            DbCase(When(stage__in=CLOSED_STAGES, then=Value(1)), default=Value(0)),
            "-created_at",
            "-id",
        )
        .first()
    )
    if case is None:
        return {"portal_case": None, "portal_meetings": [], "portal_letters": []}
    upcoming = (
        Meeting.objects.filter(case=case, starts_at__gte=timezone.now())
        .exclude(attendance=Attendance.CANCELLED)
        .prefetch_related(
            Prefetch(
                "staff",
                queryset=get_user_model().objects.only(*_USER_NAME_FIELDS).order_by("first_name"),
            )
        )
        .order_by("starts_at")
    )
    return {
        "portal_case": case,
        "portal_meetings": list(upcoming),
        # The list shows each letter's subject and date only.
        "portal_letters": list(
            letters_for_citizen(case.citizen)
            .select_related(None)
            .only("pk", "subject", "created_at")
        ),
    }


def programmes_overview(today: datetime.date | None = None) -> list:
    """Programmes with their open and total case counts and current week, one query."""
    today = today or timezone.localdate()
    rows = list(
        Programme.objects.annotate(
            n_cases=Count("cases"),
            n_open=Count("cases", filter=~Q(cases__stage__in=CLOSED_STAGES)),
        ).order_by("-start_date", "name")
    )
    phase_labels = {key: str(label) for key, (label, _s) in PHASES.items()}
    for p in rows:
        p.current_week = p.week_of(today)
        p.plan_rows = [
            (phase_labels[key], weeks[0], weeks[1]) for key, weeks in p.week_plan.items()
        ]
    return rows


def budget_summary(case: Case):
    """The loan need and the budgets' totals for the screening-3 form: see
    ``applicants.portal.selectors.budget_summary`` and docs/portal.md."""
    from .portal.selectors import budget_summary as summary

    return summary(case)
