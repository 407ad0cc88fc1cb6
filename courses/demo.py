"""Demo courses (Aarhus): a cohort with the citizens on courses, its
sessions in the past and the future with attendance for the past ones and
observations from the residential course, a network day behind us (with
attendance that counts for nothing) and one ahead with answers, and two
mentors with mentees and meetings. The demo writes records, not letters."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from applicants.models import Case, Stage
from mikrolaan.audit import record_event
from mikrolaan.demo import DEMO_CODE
from mikrolaan.models import Municipality

from .models import (
    Answer,
    AttendanceRecord,
    Cohort,
    Enrolment,
    Mark,
    Mentor,
    MentorMatch,
    MentorMeeting,
    Module,
    NetworkInvitation,
    Session,
)
from .services import modules_for

COHORT_NAME = "Hold efterår"
# The demo citizens on the cohort (by CPR), and the marks of each past session.
ON_COURSES = {"0808681017": "Gitte", "2504901018": "Hassan"}
BORROWERS = ["1101861019", "0906771020", "2202721021"]  # Ida, Jesper, Karen


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def seed_demo(stdout) -> None:
    municipality = Municipality.objects.filter(code=DEMO_CODE).first()
    if municipality is None or Cohort.objects.filter(municipality=municipality).exists():
        stdout.write("Kurser: demodata findes allerede (eller ingen demokommune).")
        return
    modules = {m.key: m for m in modules_for(municipality.pk)}
    cases = {
        c.citizen.cpr: c
        for c in Case.objects.filter(municipality=municipality).select_related(
            "citizen", "programme"
        )
    }
    course_cases = [cases[cpr] for cpr in ON_COURSES if cpr in cases]
    if not course_cases:
        stdout.write("Kurser: ingen demoborgere på kurser; intet oprettet.")
        return
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=6, days=today.weekday())  # a Monday
    cohort = Cohort.objects.create(
        programme=course_cases[0].programme,
        name=COHORT_NAME,
        start_date=start,
        place="Jobcenter Aarhus, Værkmestergade 15, lokale 3",
    )
    _seats(cohort, course_cases, modules)
    sessions = _sessions(cohort, modules, start)
    _attendance(sessions, course_cases)
    _observations(cohort, course_cases)
    borrowers = [cases[cpr] for cpr in BORROWERS if cpr in cases]
    _network_days(modules, borrowers + course_cases, today)
    _mentors(municipality, borrowers, today)
    record_event(actor=None, action="demo.courses_seeded", obj=cohort)
    stdout.write(
        f"Kurser: holdet »{COHORT_NAME}« med {len(sessions)} kursusgange, "
        "netværksdage og to mentorer oprettet."
    )


def _seats(cohort, cases, modules) -> None:
    from screening.models import CourseGrant

    for case in cases:
        grants = CourseGrant.objects.filter(
            screening__case=case, screening__status="decided", seat__isnull=True
        )
        for grant in grants:
            if grant.module in modules:
                Enrolment.objects.get_or_create(
                    cohort=cohort,
                    case=case,
                    module=modules[grant.module],
                    defaults={"grant": grant},
                )
        # Every citizen on the cohort takes the three handbook modules.
        for key in ("accounting", "vat_tax", "residential"):
            Enrolment.objects.get_or_create(cohort=cohort, case=case, module=modules[key])


def _sessions(cohort, modules, start) -> list[Session]:
    sessions = []
    for week in range(8):  # 8 weeks × 3 hours, Tuesday afternoons
        day = start + datetime.timedelta(weeks=week, days=1)
        sessions.append(
            Session.objects.create(
                cohort=cohort,
                module=modules["accounting"],
                title=f"Regnskab og markedsføring, gang {week + 1}",
                starts_at=_at(day, 13),
                ends_at=_at(day, 16),
                place=cohort.place,
                teacher="Kirsten Revisor (ekstern)",
            )
        )
    for n, offset in enumerate((2, 3)):  # two days of VAT and tax in week 3
        day = start + datetime.timedelta(weeks=2, days=offset)
        sessions.append(
            Session.objects.create(
                cohort=cohort,
                module=modules["vat_tax"],
                title=f"Moms og skat, dag {n + 1}",
                starts_at=_at(day, 9),
                ends_at=_at(day, 15),
                place=cohort.place,
                teacher="Medarbejder fra Skattestyrelsen",
            )
        )
    day = start + datetime.timedelta(weeks=4, days=0)  # the residential course, week 5
    sessions.append(
        Session.objects.create(
            cohort=cohort,
            module=modules["residential"],
            title="Kursusinternat på Sandbjerg",
            starts_at=_at(day, 8),
            ends_at=_at(day + datetime.timedelta(days=3), 16),
            place="Sandbjerg Gods, Sønderborg",
            teacher="Erhvervscoach Hanne Vang",
        )
    )
    return sessions


def _attendance(sessions, cases) -> None:
    now = timezone.now()
    for i, session in enumerate(s for s in sessions if s.starts_at < now):
        for j, case in enumerate(cases):
            mark = Mark.PRESENT
            note = ""
            if j == 1 and i == 2:
                mark, note = Mark.ABSENT, "Meldte ikke afbud."
            elif j == 0 and i == 4:
                mark, note = Mark.EXCUSED, "Sygt barn; meldte afbud om morgenen."
            AttendanceRecord.objects.create(session=session, case=case, mark=mark, note=note)


def _observations(cohort, cases) -> None:
    texts = [
        "Tog initiativ i teamøvelserne og bad selv om feedback på sin salgstale.",
        "Var stille de første dage, men fremlagde sit driftsbudget klart og sikkert.",
    ]
    for case, text in zip(cases, texts, strict=False):
        Enrolment.objects.filter(cohort=cohort, case=case, module__key="residential").update(
            observation=text, observation_at=timezone.now() - datetime.timedelta(days=10)
        )


def _network_days(modules, cases, today) -> None:
    module: Module = modules["network_day"]
    past_day = today - datetime.timedelta(days=20)
    past = Session.objects.create(
        module=module,
        title="Netværksdag: de første kunder",
        starts_at=_at(past_day, 13),
        ends_at=_at(past_day, 16),
        place="Iværksætterhuset, Aarhus",
        programme_text=(
            "13.00 Velkomst\n13.30 Oplæg\n14.30 Erfaringsudveksling\n15.45 Tak for i dag"
        ),
    )
    coming_day = today + datetime.timedelta(days=16)
    coming = Session.objects.create(
        module=module,
        title="Netværksdag: salg i praksis",
        starts_at=_at(coming_day, 13),
        ends_at=_at(coming_day, 16),
        place="Iværksætterhuset, Aarhus",
        programme_text=(
            "13.00 Velkomst og kaffe\n13.30 Oplæg: salg i praksis\n"
            "14.30 Erfaringsudveksling i små grupper\n15.30 Selvevaluering med sparring\n"
            "15.45 Tak for i dag"
        ),
    )
    answers = [Answer.YES, Answer.NO, Answer.YES, Answer.NONE, Answer.NONE]
    for i, case in enumerate(cases):
        if case.stage not in (
            Stage.COURSES,
            Stage.SCREENING_3,
            Stage.ESTABLISHMENT,
            Stage.RUNNING,
            Stage.SCREENING_4,
        ):
            continue
        NetworkInvitation.objects.create(
            session=coming,
            case=case,
            answer=answers[i % len(answers)],
            answered_at=timezone.now() if answers[i % len(answers)] else None,
        )
        NetworkInvitation.objects.create(session=past, case=case, answer=Answer.YES)
        AttendanceRecord.objects.create(
            session=past, case=case, mark=Mark.PRESENT if i % 2 == 0 else Mark.ABSENT
        )


def _mentors(municipality, borrowers, today) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="mentor").first()
    erik = Mentor.objects.create(
        municipality=municipality,
        name="Erik Larsen",
        trade="Service og håndværk",
        email="erik.larsen@example.dk",
        phone="20 30 40 50",
        availability="2 timer hver anden uge, helst formiddage",
        user=user,
    )
    marianne = Mentor.objects.create(
        municipality=municipality,
        name="Marianne Holm",
        trade="Personlig pleje og detailhandel",
        email="marianne.holm@example.dk",
        availability="1 time om måneden",
    )
    Mentor.objects.create(
        municipality=municipality,
        name="Søren Krogh",
        trade="IT og webshops",
        availability="Kan tage én iværksætter mere fra januar",
    )
    pairs = list(zip(borrowers, [erik, erik, marianne], strict=False))
    topics = ["Prissætning og tilbud", "De første kunder", "Regnskab og bilag"]
    for case, mentor in pairs:
        match = MentorMatch.objects.create(
            mentor=mentor, case=case, started_on=today - datetime.timedelta(days=45)
        )
        for k, topic in enumerate(topics):
            MentorMeeting.objects.create(
                match=match,
                starts_at=_at(today + datetime.timedelta(days=-30 + 14 * k), 10),
                topic=topic,
                note="Gennemgik tilbudsskabelonen sammen." if k == 0 else "",
            )
