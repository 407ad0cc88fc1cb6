"""factory_boy factories shared by the suite."""

import datetime

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

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
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


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    # Valid dates, no modulus-11 requirement (SPEC §3).
    cpr = factory.Sequence(lambda n: f"{(n % 28) + 1:02d}0{(n // 28) % 9 + 1}85{n % 10000:04d}")
    street = "Søndergade 12, 2. tv."
    postcode = "8000"
    city = "Aarhus C"
    phone = "12345678"
    email = factory.LazyAttribute(lambda c: f"{c.first_name.lower()}@example.dk")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("name",)

    name = "Mikrolån test"
    # Week 1 began eight weeks ago: recruitment (weeks 8–20) is under way.
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(weeks=8))


class CaseFactory(factory.django.DjangoModelFactory):
    """A case; pass ``stage=`` to start it anywhere in the machine."""

    class Meta:
        model = Case

    case_number = factory.Sequence(lambda n: f"ML-2026-{n + 1:05d}")
    citizen = factory.SubFactory(CitizenFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    source = Source.DIRECT
    benefit_type = BenefitType.KONTANTHJAELP
    business_idea = "Cykelværksted med salg af brugte cykler"
    industry = "Detailhandel"


class PhoneInterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneInterview

    case = factory.SubFactory(CaseFactory)
    conducted_by = factory.SubFactory(UserFactory)
    held_at = factory.LazyFunction(timezone.now)
    in_target_group = True
    realistic = True
    motivated = True


class MeetingFactory(factory.django.DjangoModelFactory):
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
