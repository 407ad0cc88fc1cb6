"""Building cohorts, sessions and seats for the courses' tests."""

import datetime

from django.utils import timezone

from courses import services
from courses.models import Cohort, Enrolment, Module, Session
from tests.factories import CaseFactory, CitizenFactory, ProgrammeFactory


def module(key: str, municipality_id=None) -> Module:
    if municipality_id is None:
        from tests.factories import municipality

        municipality_id = municipality().pk
    services.modules_for(municipality_id)
    return Module.objects.get(municipality_id=municipality_id, key=key)


def cohort(name="Hold forår 2027", **kwargs) -> Cohort:
    programme = kwargs.pop("programme", None) or ProgrammeFactory()
    return Cohort.objects.create(
        programme=programme,
        name=name,
        start_date=kwargs.pop("start_date", timezone.localdate() - datetime.timedelta(weeks=3)),
        place="Jobcenter, lokale 2",
        **kwargs,
    )


def session(cohort_=None, key="accounting", *, days=-1, hours=3, **kwargs) -> Session:
    municipality_id = cohort_.municipality_id if cohort_ else kwargs.pop("municipality_id", None)
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return Session.objects.create(
        cohort=cohort_,
        module=module(key, municipality_id),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        place=kwargs.pop("place", "Jobcenter, lokale 2"),
        teacher=kwargs.pop("teacher", "Kirsten Revisor"),
        **kwargs,
    )


def seat(cohort_, case, key="accounting") -> Enrolment:
    return Enrolment.objects.create(
        cohort=cohort_, case=case, module=module(key, cohort_.municipality_id)
    )


def participants(cohort_, n, key="accounting", **case_kwargs) -> list:
    cases = []
    for _i in range(n):
        case = CaseFactory(
            citizen=CitizenFactory(), programme=cohort_.programme, stage="courses", **case_kwargs
        )
        seat(cohort_, case, key)
        cases.append(case)
    return cases
