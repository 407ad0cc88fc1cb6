"""factory_boy factories shared by the suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from applicants.models import Case, Citizen

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


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    case_number = factory.Sequence(lambda n: f"ML-2026-{n + 1:05d}")
    citizen = factory.SubFactory(CitizenFactory)
