"""factory_boy factories shared by the suite."""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from applicants.models import (
    Attendance,
    BenefitType,
    Case,
    Citizen,
    Meeting,
    MeetingKind,
    PhoneInterview,
    Programme,
    Source,
)
from mikrolaan.models import Municipality, UserProfile

PASSWORD = "test-password-123"

# The suite's two municipalities: everything is made in the first unless a
# test says otherwise; the second holds data that must never show (see
# tests/conftest.py).
HOME_CODE = "751"
OTHER_CODE = "740"
MUNICIPALITY_DATA = {
    HOME_CODE: {
        "name": "Aarhus Kommune",
        "cvr": "55133018",
        "postcode": "8000",
        "city": "Aarhus C",
    },
    OTHER_CODE: {
        "name": "Silkeborg Kommune",
        "cvr": "29189854",
        "postcode": "8600",
        "city": "Silkeborg",
    },
}


_building_in = ContextVar("factories_municipality", default=HOME_CODE)


@contextmanager
def building_in(code: str):
    """Factories default to this municipality inside the block (the
    permission matrix builds its objects in the other municipality)."""
    token = _building_in.set(code)
    try:
        yield
    finally:
        _building_in.reset(token)


def municipality(code: str | None = None) -> Municipality:
    code = code or _building_in.get()
    data = MUNICIPALITY_DATA.get(code, {"name": f"Kommune {code}"})
    obj, _created = Municipality._base_manager.get_or_create(code=code, defaults=data)
    return obj


class BaseFactory(factory.django.DjangoModelFactory):
    """Factories build rows of any municipality, whatever the test's scope."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class._base_manager


class MunicipalityFactory(BaseFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.LazyFunction(lambda: _building_in.get())
    name = factory.LazyAttribute(lambda m: MUNICIPALITY_DATA.get(m.code, {}).get("name", m.code))


class UserFactory(BaseFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.dk")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional (browser) tests flush the migrated groups.
            self.groups.add(Group.objects.get_or_create(name=str(extracted))[0])
        if create:
            self.save()

    @factory.post_generation
    def municipality(self, create, extracted, **kwargs):
        """Every user belongs to the home municipality unless told otherwise
        (``municipality=False`` for a user with none, e.g. a superuser)."""
        if create and extracted is not False:
            target = extracted if extracted is not None else municipality()
            if target is not None:
                UserProfile.objects.update_or_create(user=self, defaults={"municipality": target})


class CitizenFactory(BaseFactory):
    class Meta:
        model = Citizen

    municipality = factory.LazyFunction(municipality)
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    # Valid dates, no modulus-11 requirement (SPEC §3).
    cpr = factory.Sequence(lambda n: f"{(n % 28) + 1:02d}0{(n // 28) % 9 + 1}85{n % 10000:04d}")
    street = "Søndergade 12, 2. tv."
    postcode = "8000"
    city = "Aarhus C"
    phone = "12345678"
    email = factory.LazyAttribute(lambda c: f"{c.first_name.lower()}@example.dk")


class ProgrammeFactory(BaseFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("municipality", "name")

    municipality = factory.LazyFunction(municipality)
    name = "Mikrolån test"
    # Week 1 began eight weeks ago: recruitment (weeks 8–20) is under way.
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(weeks=8))


class CaseFactory(BaseFactory):
    """A case; pass ``stage=`` to start it anywhere in the machine."""

    class Meta:
        model = Case

    case_number = factory.LazyAttributeSequence(
        lambda case, n: f"{case.citizen.municipality.code}-2026-{n + 1:05d}"
    )
    citizen = factory.SubFactory(CitizenFactory)
    programme = factory.SubFactory(
        ProgrammeFactory, municipality=factory.SelfAttribute("..citizen.municipality")
    )
    source = Source.DIRECT
    benefit_type = BenefitType.KONTANTHJAELP
    business_idea = "Cykelværksted med salg af brugte cykler"
    industry = "Detailhandel"


class PhoneInterviewFactory(BaseFactory):
    class Meta:
        model = PhoneInterview

    case = factory.SubFactory(CaseFactory)
    conducted_by = factory.SubFactory(UserFactory)
    held_at = factory.LazyFunction(timezone.now)
    in_target_group = True
    realistic = True
    motivated = True


class MeetingFactory(BaseFactory):
    """A meeting; ``staff=[u1, u2]`` sets who from the team was there."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    kind = MeetingKind.INDIVIDUAL
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    place = "Café Kaffekilden"
    attendance = Attendance.ATTENDED

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.set(extracted)
