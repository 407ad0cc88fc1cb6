"""Demo data for the embedded default: one user per role and the
municipality's settings. Apps add their own demo data in ``<app>/demo.py``
with ``seed_demo(stdout)`` and, for bulk performance data, ``seed_scale(n, stdout)``;
the ``seed_demo`` command calls them in INSTALLED_APPS order."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import MunicipalitySettings
from .roles import Role

# Demo only: these passwords are printed and written in the README.
DEMO_PASSWORD = "mikrolaan-demo"  # noqa: S105 - documented demo password

DEMO_USERS = [
    # username, first name, last name, role, e-mail
    ("medarbejder", "Mette", "Madsen", Role.TEAM_MEMBER, "mette.madsen@example.dk"),
    ("medarbejder2", "Jonas", "Holm", Role.TEAM_MEMBER, "jonas.holm@example.dk"),
    ("teamleder", "Lise", "Thomsen", Role.TEAM_LEAD, "lise.thomsen@example.dk"),
    ("sagsbehandler", "Karim", "Nielsen", Role.CASEWORKER, "karim.nielsen@example.dk"),
    ("borger", "Sofie", "Jensen", Role.CITIZEN, "sofie.jensen@example.dk"),
    ("mentor", "Erik", "Larsen", Role.MENTOR, "erik.larsen@example.dk"),
    ("admin", "Anne", "Berg", Role.ADMINISTRATOR, "it@example.dk"),
]

DEMO_MUNICIPALITY = {
    "name": "Eksempel Kommune",
    "department": "Jobcenter Eksempel — Mikrolånsteamet",
    "street": "Rådhuspladsen 1",
    "postcode": "8000",
    "city": "Aarhus C",
    "cvr": "55133018",
    "phone": "89 40 20 00",
    "email": "mikrolaan@example.dk",
    "website": "https://www.example.dk",
    "accessibility_statement_url": "https://www.was.digst.dk/example-dk",
}


@transaction.atomic
def seed_users() -> list[tuple[str, str, str]]:
    """Create the demo users if missing; returns (username, role label, password)."""
    User = get_user_model()
    rows = []
    for username, first, last, role, email in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": email},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            # The administrator manages users in Django's admin site.
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
        user.groups.add(Group.objects.get(name=role))
        rows.append((username, str(role.label), DEMO_PASSWORD))
    return rows


@transaction.atomic
def seed_municipality() -> MunicipalitySettings:
    obj = MunicipalitySettings.load()
    if obj.cvr:  # already set up (by the demo or by the administrator)
        return obj
    for field, value in DEMO_MUNICIPALITY.items():
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    return obj
