"""Demo data for the pipeline: a case in every stage with a plausible history,
the demo citizen's own case, and bulk data for performance measurements.

``seed_demo`` is idempotent: a demo case is keyed on its citizen's CPR and
is created once. ``seed_scale(n)`` adds n cases every time it runs."""

from __future__ import annotations

import datetime
import itertools
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from mikrolaan.audit import record_event
from mikrolaan.demo import DEMO_CODE, SECOND_CODE, seed_municipalities
from mikrolaan.models import Municipality, Scheme, UserProfile

from .models import (
    PIPELINE,
    Attendance,
    BenefitType,
    Case,
    CaseNumberSequence,
    CaseTransition,
    Citizen,
    Meeting,
    MeetingKind,
    PhoneInterview,
    Programme,
    Source,
    Stage,
)
from .reports.demo import seed_reports

PATH = list(PIPELINE)
TRANSITION_INTO = {
    Stage.PHONE_INTERVIEW: "start_phone_interview",
    Stage.FIRST_MEETING: "invite_first_meeting",
    Stage.SECOND_MEETING: "to_second_meeting",
    Stage.SCREENING_1: "to_screening_1",
    Stage.BUSINESS_DEVELOPMENT: "admit",
    Stage.SCREENING_2: "to_screening_2",
    Stage.COURSES: "grant_courses",
    Stage.SCREENING_3: "to_screening_3",
    Stage.ESTABLISHMENT: "recommend_loan",
    Stage.RUNNING: "start_business",
    Stage.SCREENING_4: "to_screening_4",
    Stage.SELF_SUPPORTING: "end_support",
    Stage.DECLINED: "decline",
    Stage.WITHDRAWN: "withdraw",
    Stage.PAUSED: "pause",
}

# (first name, last name, CPR, final stage, via stage (for closed/paused),
#  referred by the demo caseworker, owned by the demo citizen, business idea, industry)
DEMO_CASES = [
    ("Ahmad", "Rahimi", "1203841010", Stage.INQUIRY, None, True, False,
     "Madvogn med afghansk street food", "Fødevarer"),
    ("Birgitte", "Lund", "0507791011", Stage.PHONE_INTERVIEW, None, True, False,
     "Syværksted med reparation og redesign af tøj", "Tekstil"),
    ("Carsten", "Mølgaard", "2111701012", Stage.FIRST_MEETING, None, False, False,
     "Havehjælp og beskæring for ældre", "Service"),
    ("Sofie", "Jensen", "1406921013", Stage.BUSINESS_DEVELOPMENT, None, False, True,
     "Kagebageri med bestillingskager og bryllupskager", "Fødevarer"),
    ("Dorthe", "Kristensen", "0302751014", Stage.SCREENING_1, None, True, False,
     "Hundepension og hundeluftning", "Service"),
    ("Emre", "Yilmaz", "3009881015", Stage.SECOND_MEETING, None, False, False,
     "Cykelværksted med salg af brugte cykler", "Detailhandel"),
    ("Frederik", "Dahl", "1712831016", Stage.SCREENING_2, None, True, False,
     "Møbelsnedker med genbrugstræ", "Håndværk"),
    ("Gitte", "Poulsen", "0808681017", Stage.COURSES, None, False, False,
     "Rengøring for små erhvervskunder", "Service"),
    ("Hassan", "Ali", "2504901018", Stage.SCREENING_3, None, False, False,
     "Flyttefirma med én varebil", "Transport"),
    ("Ida", "Bech", "1101861019", Stage.ESTABLISHMENT, None, False, False,
     "Keramikværksted med webshop", "Kunsthåndværk"),
    ("Jesper", "Vinther", "0906771020", Stage.RUNNING, None, True, False,
     "Vinduespudsning i Aarhus Vest", "Service"),
    ("Karen", "Holst", "2202721021", Stage.SCREENING_4, None, False, False,
     "Frisør i eget lokale", "Personlig pleje"),
    ("Lars", "Frandsen", "1310691022", Stage.SELF_SUPPORTING, Stage.SCREENING_4, False, False,
     "IT-support til foreninger", "IT"),
    ("Mona", "Saleh", "0104871023", Stage.DECLINED, Stage.SCREENING_1, True, False,
     "Import af tekstiler", "Handel"),
    ("Niels", "Overgaard", "2709801024", Stage.WITHDRAWN, Stage.COURSES, False, False,
     "Fotograf til bryllupper", "Kreative fag"),
    ("Olivia", "Nørgaard", "1502931025", Stage.PAUSED, Stage.BUSINESS_DEVELOPMENT, False, False,
     "Yogaundervisning i lejede lokaler", "Sundhed og motion"),
]  # fmt: skip

# A few cases in the second municipality: the boundary is visible in the demo.
SECOND_CASES = [
    ("Peter", "Skov", "0611821030", Stage.PHONE_INTERVIEW, None, True, False,
     "Cykelreparation ved søerne", "Service"),
    ("Rikke", "Damgaard", "1908791031", Stage.BUSINESS_DEVELOPMENT, None, False, False,
     "Kajakudlejning", "Turisme"),
    ("Samir", "Haddad", "2403881032", Stage.COURSES, None, True, False,
     "Libanesisk catering", "Fødevarer"),
    ("Tove", "Bisgaard", "0112701033", Stage.RUNNING, None, False, False,
     "Bogføring for foreninger", "Service"),
]  # fmt: skip
# The users each municipality's demo cases are handled by.
DEMO_STAFF = {
    DEMO_CODE: {
        "team": ["medarbejder", "medarbejder2", "teamleder"],
        "caseworker": "sagsbehandler",
        "citizen": "borger",
    },
    SECOND_CODE: {
        "team": ["silkeborg-medarbejder", "silkeborg-medarbejder2", "silkeborg-teamleder"],
        "caseworker": "silkeborg-sagsbehandler",
        "citizen": None,
    },
}

REASONS = {
    Stage.DECLINED: "Borgeren er ikke klar til at tage imod råd om forretningsplanen endnu.",
    Stage.WITHDRAWN: "Borgeren har fået fast arbejde.",
    Stage.PAUSED: "Borgeren holder pause i en periode efter aftale.",
    Stage.SELF_SUPPORTING: "Virksomheden giver overskud nok til at forsørge borgeren.",
}
CAFES = ["Café Englen", "Café Globus", "Kaffekilden", "Biblioteket, mødelokale 2", "Jobcentret"]


def _staff(code: str) -> tuple[list, object, object]:
    """The team, the caseworker and the demo citizen's user of a municipality."""
    names = DEMO_STAFF[code]
    wanted = [*names["team"], names["caseworker"], names["citizen"]]
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[n for n in wanted if n])
    }
    team = [users[n] for n in names["team"] if n in users]
    return team, users.get(names["caseworker"]), users.get(names["citizen"] or "")


def _programmes(municipality) -> tuple[Programme, Programme]:
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    older, _ = Programme.objects.get_or_create(
        municipality=municipality,
        name="Mikrolån – hold 1",
        defaults={"start_date": monday - datetime.timedelta(weeks=70)},
    )
    newer, _ = Programme.objects.get_or_create(
        municipality=municipality,
        name="Mikrolån – hold 2",
        defaults={"start_date": monday - datetime.timedelta(weeks=12)},
    )
    return older, newer


def _path_to(final: str, via: str | None) -> list[str]:
    last = via or final
    path = PATH[: PATH.index(last) + 1]
    if via:
        path.append(final)
    return path


def _reserve_case_numbers(municipality, n: int, year: int) -> list[str]:
    CaseNumberSequence.objects.get_or_create(municipality=municipality, year=year)
    counter = CaseNumberSequence.objects.select_for_update().get(
        municipality=municipality, year=year
    )
    first = counter.last + 1
    counter.last += n
    counter.save(update_fields=["last"])
    return [f"{municipality.code}-{year}-{i:05d}" for i in range(first, first + n)]


@transaction.atomic
def seed_demo(stdout) -> None:
    municipalities = seed_municipalities()
    for code, demo_cases in ((DEMO_CODE, DEMO_CASES), (SECOND_CODE, SECOND_CASES)):
        _seed_municipality_cases(municipalities[code], code, demo_cases, stdout)


def _seed_municipality_cases(municipality, code, demo_cases, stdout) -> None:
    team, caseworker, citizen_user = _staff(code)
    if len(team) < 2:
        stdout.write("Demobrugerne mangler; springer forløbsdemo over.")
        return
    users = {"sagsbehandler": caseworker, "borger": citizen_user}
    older, newer = _programmes(municipality)
    seed_reports(municipality, team, older, newer)
    now = timezone.now()
    created = 0
    for first, last, cpr, final, via, referred, owned, idea, industry in demo_cases:
        if Case.objects.filter(municipality=municipality, citizen__cpr=cpr).exists():
            continue
        path = _path_to(final, via)
        far = len(path) > 6
        programme = older if far else newer
        citizen, _ = Citizen.objects.get_or_create(
            municipality=municipality,
            cpr=cpr,
            defaults={
                "first_name": first,
                "last_name": last,
                "street": "Vestergade 12",
                "postcode": municipality.postcode,
                "city": municipality.city,
                "phone": f"20{cpr[-6:]}",
                "email": f"{first.lower()}@example.dk",
                "user": users.get("borger") if owned else None,
            },
        )
        start = now - datetime.timedelta(weeks=3 * len(path) + 1)
        case = Case.objects.create(
            case_number=_reserve_case_numbers(municipality, 1, start.year)[0],
            citizen=citizen,
            programme=programme,
            responsible=team[created % len(team)],
            referring_caseworker=users.get("sagsbehandler") if referred else None,
            source=Source.REFERRAL if referred else Source.DIRECT,
            benefit_type=BenefitType.FOERTIDSPENSION
            if far and created % 5 == 0
            else (BenefitType.SYGEDAGPENGE if created % 3 == 0 else BenefitType.KONTANTHJAELP),
            business_idea=idea,
            industry=industry,
            referral_reason="Har erfaring fra branchen og er meget motiveret." if referred else "",
            stage=final,
            stage_before_pause=via if final == Stage.PAUSED else "",
        )
        actor = users.get("sagsbehandler") if referred else team[0]
        history = [
            CaseTransition(case=case, actor=actor, transition="create", to_stage=Stage.INQUIRY,
                           from_stage="", at=start, reason=case.referral_reason)
        ]  # fmt: skip
        at = start
        for prev, nxt in itertools.pairwise(path):
            at += datetime.timedelta(weeks=3)
            history.append(
                CaseTransition(
                    case=case,
                    actor=users.get("borger") if owned and nxt == Stage.WITHDRAWN else team[0],
                    transition=TRANSITION_INTO[nxt],
                    from_stage=prev,
                    to_stage=nxt,
                    reason=REASONS.get(nxt, ""),
                    at=at,
                )
            )
        CaseTransition.objects.bulk_create(history)
        Case.objects.filter(pk=case.pk).update(stage_changed_at=history[-1].at)
        _demo_meetings(case, path, start, team)
        if Stage.SCREENING_1 in path and not owned:
            # Past the second meeting: the person profile was sent before it.
            _demo_person_profile(case, _in_stage(start, Stage.SECOND_MEETING, 3), team[0])
        if owned:
            # The demo citizen meets the business coach at a café, and has
            # forms in the portal: a submitted person profile, a draft
            # business plan and draft budgets.
            starts = _in_days(2, hour=10)
            meeting = Meeting.objects.create(
                case=case, kind=MeetingKind.INDIVIDUAL, place="Café Englen", created_by=team[0],
                starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45),
            )  # fmt: skip
            meeting.staff.set([team[0]])
            _demo_portal_forms(case, users["borger"])
        created += 1
    if created:
        record_event(actor=None, action="demo.seeded", obj=municipality, data={"cases": created})
    _meetings_this_week(municipality, team)
    stdout.write(
        f"Forløb i {municipality.name}: {created} demoforløb oprettet ({len(demo_cases)} i alt)."
    )


def _demo_portal_forms(case, citizen_user) -> None:
    from .portal.demo import seed_portal_forms

    seed_portal_forms(case, citizen_user)


def _demo_person_profile(case, submitted_at, reviewed_by) -> None:
    from .portal.demo import seed_person_profile

    seed_person_profile(case, submitted_at=submitted_at, reviewed_by=reviewed_by)


def _in_days(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _in_stage(start, stage, day: int, hour: int = 10) -> datetime.datetime:
    """A time ``day`` days after the demo case entered ``stage`` (3 weeks a stage)."""
    entered = start + datetime.timedelta(weeks=3 * PATH.index(stage), days=day)
    local = timezone.localtime(entered).date()
    return datetime.datetime.combine(
        local, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _demo_meetings(case, path, start, team) -> None:
    if Stage.FIRST_MEETING in path:
        PhoneInterview.objects.create(
            case=case, conducted_by=team[0], held_at=_in_stage(start, Stage.PHONE_INTERVIEW, 3),
            in_target_group=True, realistic=True, motivated=True,
            notes="Forklarede rammerne. Borgeren er motiveret og har en klar idé.",
        )  # fmt: skip
    plan = []
    if Stage.SECOND_MEETING in path:
        plan.append((MeetingKind.FIRST, Stage.FIRST_MEETING, 7, team[:2], Attendance.ATTENDED))
    if Stage.SCREENING_1 in path:
        plan.append((MeetingKind.SECOND, Stage.SECOND_MEETING, 7, team[:1], Attendance.ATTENDED))
    if Stage.SCREENING_2 in path:
        plan += [
            (MeetingKind.INDIVIDUAL, Stage.BUSINESS_DEVELOPMENT, d, team[1:2], attendance)
            for d, attendance in [
                (3, Attendance.ATTENDED),
                (8, Attendance.CANCELLED),
                (13, Attendance.ABSENT),
                (17, Attendance.ATTENDED),
            ]
        ]
    if Stage.SCREENING_4 in path and path[-1] != Stage.SCREENING_4:
        plan.append((MeetingKind.EVALUATION, Stage.SCREENING_4, 5, team[:2], Attendance.ATTENDED))
    for i, (kind, stage, day, staff, attendance) in enumerate(plan):
        starts = _in_stage(start, stage, day, hour=10 + i % 4)
        if starts > timezone.now():
            continue
        meeting = Meeting.objects.create(
            case=case, kind=kind, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
            place=CAFES[i % len(CAFES)], attendance=attendance, created_by=team[0],
            notes="Talte om idéen og de næste skridt." if attendance == "attended" else "",
            next_steps="Borgeren udfylder skemaet til foreløbig forretningsplan."
            if kind == MeetingKind.FIRST else "",
        )  # fmt: skip
        meeting.staff.set(staff)


def _meetings_this_week(municipality, team) -> None:
    """Keep the team's start page alive: a few meetings today and this week."""
    today = timezone.localdate()
    if Meeting.objects.filter(
        municipality=municipality, starts_at__date__gte=today, place__startswith="Demo:"
    ).exists():
        return
    cases = list(
        Case.objects.filter(
            municipality=municipality,
            stage__in=[
                Stage.FIRST_MEETING,
                Stage.BUSINESS_DEVELOPMENT,
                Stage.COURSES,
                Stage.RUNNING,
            ],
        ).order_by("id")[:4]
    )
    tz = timezone.get_current_timezone()
    for i, case in enumerate(cases):
        day = today + datetime.timedelta(days=i)
        starts = datetime.datetime.combine(day, datetime.time(9 + 2 * i, 0), tzinfo=tz)
        kind = MeetingKind.FIRST if case.stage == Stage.FIRST_MEETING else MeetingKind.INDIVIDUAL
        meeting = Meeting.objects.create(
            case=case, kind=kind, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
            place=f"Demo: {CAFES[i]}", created_by=team[0],
        )  # fmt: skip
        meeting.staff.set(team[:2] if kind == MeetingKind.FIRST else team[:1])


# --- bulk data for performance measurements ---------------------------------------

FIRST_NAMES = [
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Maria", "Camilla", "Louise", "Sara", "Fatima",
    "Peter", "Jens", "Michael", "Lars", "Thomas", "Henrik", "Søren", "Martin", "Ali", "Mohammad",
]  # fmt: skip
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Hassan",
]  # fmt: skip
IDEAS = [
    ("Café med hjemmebag", "Fødevarer"),
    ("Håndværksservice for boligforeninger", "Håndværk"),
    ("Webshop med brugt børnetøj", "Detailhandel"),
    ("Rengøring for private", "Service"),
    ("Grafisk design for små firmaer", "Kreative fag"),
]
# Roughly the funnel: many early cases, fewer further on.
STAGE_WEIGHTS = {
    Stage.INQUIRY: 10, Stage.PHONE_INTERVIEW: 8, Stage.FIRST_MEETING: 7,
    Stage.SECOND_MEETING: 6, Stage.SCREENING_1: 6, Stage.BUSINESS_DEVELOPMENT: 8,
    Stage.SCREENING_2: 4, Stage.COURSES: 8, Stage.SCREENING_3: 3, Stage.ESTABLISHMENT: 4,
    Stage.RUNNING: 10, Stage.SCREENING_4: 3, Stage.SELF_SUPPORTING: 6, Stage.DECLINED: 9,
    Stage.WITHDRAWN: 6, Stage.PAUSED: 2,
}  # fmt: skip
BATCH = 2000


def _scale_cpr(k: int) -> str:
    """A unique, valid CPR for bulk citizen number k (serials 3000–3999, 1960–1989)."""
    d = k % 10080
    day, month, year = d % 28 + 1, (d // 28) % 12 + 1, 60 + (d // 336) % 30
    return f"{day:02d}{month:02d}{year:02d}{3000 + (k // 10080) % 1000:04d}"


def _previous(stage: str) -> str:
    """The stage a bulk case is recorded as coming from."""
    leaving = {
        Stage.SELF_SUPPORTING: Stage.SCREENING_4,
        Stage.DECLINED: Stage.SCREENING_1,
        Stage.WITHDRAWN: Stage.COURSES,
        Stage.PAUSED: Stage.COURSES,
    }
    return leaving.get(stage) or PATH[PATH.index(stage) - 1]


def _history(stage: str) -> list[tuple[str, str]]:
    """Every step a bulk case took from the inquiry to ``stage``, as (from,
    to): the pipeline's order to the stage it came from, then the last step
    (a real case's history, which the reports count, not only its last
    step)."""
    if stage == Stage.INQUIRY:
        return []
    came_from = _previous(stage)
    way = PATH[: PATH.index(came_from) + 1]
    return [*itertools.pairwise(way), (came_from, stage)]


BULK_MUNICIPALITIES = 98


def _bulk_municipalities() -> list[tuple]:
    """(municipality, team, caseworker, programmes) for the two demo
    municipalities and 96 test municipalities (codes 900–995), each with a
    team of three and a caseworker: national scale is 98 municipalities."""
    from django.contrib.auth.models import Group

    from mikrolaan.roles import Role

    demo = seed_municipalities()
    for k in range(BULK_MUNICIPALITIES - len(demo)):
        code = f"{900 + k}"
        if not Municipality.objects.filter(code=code).exists():
            m = Municipality.objects.create(
                code=code, name=f"Testkommune {code}", department="Jobcenter — Mikrolån"
            )
            Scheme.objects.create(municipality=m)
    User = get_user_model()
    groups = {
        r: Group.objects.get_or_create(name=r)[0] for r in (Role.TEAM_MEMBER, Role.CASEWORKER)
    }
    result = []
    for m in Municipality.objects.order_by("pk")[:BULK_MUNICIPALITIES]:
        if m.code in DEMO_STAFF:
            team, caseworker, _citizen = _staff(m.code)
        else:
            names = [f"bulk-{m.code}-{i}" for i in (1, 2, 3)] + [f"bulk-{m.code}-sagsbehandler"]
            existing = {u.username: u for u in User.objects.filter(username__in=names)}
            for name in names:
                if name not in existing:
                    user = User(username=name, first_name="Medarbejder", last_name=name[-4:])
                    user.set_unusable_password()
                    user.save()
                    role = Role.CASEWORKER if name.endswith("sagsbehandler") else Role.TEAM_MEMBER
                    user.groups.add(groups[role])
                    UserProfile.objects.create(user=user, municipality=m)
                    existing[name] = user
            team = [existing[n] for n in names[:3]]
            caseworker = existing[names[3]]
        result.append((m, team, caseworker, list(_programmes(m))))
    return result


def seed_scale(n: int, stdout) -> None:
    """Add n cases with history and meetings by bulk inserts (batches of
    2,000), spread evenly over 98 municipalities."""
    rng = random.Random(n)
    places = _bulk_municipalities()
    if any(len(team) < 2 for _m, team, _c, _p in places):
        stdout.write("Demobrugerne mangler; springer bulkdata over.")
        return
    stages = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())
    now = timezone.now()
    offset = Citizen.objects.count()
    made = 0
    StaffLink = Meeting.staff.through
    while made < n:
        size = min(BATCH, n - made)
        with transaction.atomic():
            where = [places[(offset + made + i) % len(places)] for i in range(size)]
            wanted: dict = {}
            for place in where:
                wanted[place[0].pk] = wanted.get(place[0].pk, 0) + 1
            numbers = {
                m.pk: iter(_reserve_case_numbers(m, wanted[m.pk], now.year))
                for m, *_rest in places
                if m.pk in wanted
            }
            citizens = Citizen.objects.bulk_create(
                [
                    Citizen(
                        municipality=where[i][0],
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        cpr=_scale_cpr(offset + made + i),
                        street=f"Testvej {i % 200 + 1}",
                        postcode=where[i][0].postcode or "8000",
                        city=where[i][0].city or "Aarhus C",
                        phone=f"{30000000 + offset + made + i}",
                    )
                    for i in range(size)
                ],
                batch_size=BATCH,
            )
            cases = []
            for i, citizen in enumerate(citizens):
                municipality, team, caseworker, programmes = where[i]
                stage = rng.choices(stages, weights)[0]
                referred = caseworker is not None and rng.random() < 0.6
                idea, industry = rng.choice(IDEAS)
                created = now - datetime.timedelta(days=rng.randint(7, 700))
                cases.append(
                    Case(
                        municipality=municipality,
                        case_number=next(numbers[municipality.pk]),
                        citizen=citizen,
                        programme=rng.choice(programmes),
                        responsible=rng.choice(team),
                        referring_caseworker=caseworker if referred else None,
                        source=Source.REFERRAL if referred else Source.DIRECT,
                        benefit_type=rng.choice(BenefitType.values),
                        business_idea=idea,
                        industry=industry,
                        stage=stage,
                        stage_before_pause=Stage.COURSES if stage == Stage.PAUSED else "",
                        stage_changed_at=created + datetime.timedelta(days=3),
                    )
                )
            cases = Case.objects.bulk_create(cases, batch_size=BATCH)
            transitions, meetings, teams = [], [], {}
            for i, case in enumerate(cases):
                team = where[i][1]
                m_id = case.municipality_id
                start = case.stage_changed_at - datetime.timedelta(days=3)
                transitions.append(
                    CaseTransition(case=case, municipality_id=m_id, actor=team[0],
                                   transition="create", from_stage="",
                                   to_stage=Stage.INQUIRY, at=start)
                )  # fmt: skip
                steps = _history(case.stage)
                for k, (from_stage, to_stage) in enumerate(steps, start=1):
                    # Spread from the inquiry to the day it reached its stage.
                    when = start + (case.stage_changed_at - start) * k / len(steps)
                    transitions.append(
                        CaseTransition(case=case, municipality_id=m_id, actor=team[0],
                                       transition=TRANSITION_INTO[to_stage],
                                       from_stage=from_stage, to_stage=to_stage, at=when)
                    )  # fmt: skip
                teams[m_id] = team
                for m in range(rng.randint(0, 4)):
                    starts = start + datetime.timedelta(days=7 * (m + 1), hours=10)
                    past = starts < now
                    meetings.append(
                        Meeting(case=case, municipality_id=m_id,
                                kind=MeetingKind.FIRST if m == 0 else MeetingKind.INDIVIDUAL,
                                starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
                                place=rng.choice(CAFES), created_by=team[0],
                                attendance=rng.choice([Attendance.ATTENDED] * 4
                                                      + [Attendance.ABSENT, Attendance.CANCELLED])
                                if past else Attendance.UNKNOWN)
                    )  # fmt: skip
            CaseTransition.objects.bulk_create(transitions, batch_size=BATCH)
            meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
            links = []
            for meeting in meetings:
                team = teams[meeting.municipality_id]
                chosen = team[:2] if meeting.kind == MeetingKind.FIRST else [rng.choice(team)]
                links += [StaffLink(meeting_id=meeting.pk, user_id=u.pk) for u in chosen]
            StaffLink.objects.bulk_create(links, batch_size=BATCH)
        made += size
        stdout.write(f"Forløb: {made}/{n} bulkforløb oprettet.")
    record_event(actor=None, action="demo.scaled", data={"cases": n, "municipalities": len(places)})
    if connection.vendor == "postgresql":
        # After a bulk load: fresh planner statistics, and the name-search GIN
        # indexes' pending lists merged (VACUUM cannot run inside a transaction,
        # as in tests). Autovacuum would get there later.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Citizen, Case, CaseTransition, Meeting, Meeting.staff.through):
                cursor.execute(f'{command} "{model._meta.db_table}"')
