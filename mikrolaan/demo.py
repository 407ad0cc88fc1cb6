"""Demo data for the embedded default: two municipalities, each with its
letterhead, scheme and one user per role. Apps add their own demo data in
``<app>/demo.py`` with ``seed_demo(stdout)`` and, for bulk performance data,
``seed_scale(n, stdout)``; the ``seed_demo`` command calls them in
INSTALLED_APPS order."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Municipality, Scheme, UserProfile
from .roles import Role

# Demo only: these passwords are printed and written in the README.
DEMO_PASSWORD = "mikrolaan-demo"  # noqa: S105 - documented demo password

DEMO_MUNICIPALITIES = {
    "751": {
        "name": "Aarhus Kommune",
        "department": "Jobcenter Aarhus — Mikrolånsteamet",
        "street": "Rådhuspladsen 2",
        "postcode": "8000",
        "city": "Aarhus C",
        "cvr": "55133018",
        "phone": "89 40 20 00",
        "email": "mikrolaan@aarhus.example.dk",
        "website": "https://www.aarhus.example.dk",
        "accessibility_statement_url": "https://www.was.digst.dk/aarhus-example-dk",
        "fi_creditor_number": "85012345",
    },
    "740": {
        "name": "Silkeborg Kommune",
        "department": "Jobcenter Silkeborg — Mikrolån",
        "street": "Søvej 1",
        "postcode": "8600",
        "city": "Silkeborg",
        "cvr": "29189854",
        "phone": "89 70 10 00",
        "email": "mikrolaan@silkeborg.example.dk",
        "website": "https://www.silkeborg.example.dk",
        "accessibility_statement_url": "https://www.was.digst.dk/silkeborg-example-dk",
        "fi_creditor_number": "85067890",
    },
}
# The municipality whose users are the README's main demo logins.
DEMO_CODE = "751"
SECOND_CODE = "740"

DEMO_USERS = [
    # username, first name, last name, role, e-mail, municipality code
    ("medarbejder", "Mette", "Madsen", Role.TEAM_MEMBER, "mette.madsen@example.dk", DEMO_CODE),
    ("medarbejder2", "Jonas", "Holm", Role.TEAM_MEMBER, "jonas.holm@example.dk", DEMO_CODE),
    ("teamleder", "Lise", "Thomsen", Role.TEAM_LEAD, "lise.thomsen@example.dk", DEMO_CODE),
    ("sagsbehandler", "Karim", "Nielsen", Role.CASEWORKER, "karim.nielsen@example.dk", DEMO_CODE),
    ("borger", "Sofie", "Jensen", Role.CITIZEN, "sofie.jensen@example.dk", DEMO_CODE),
    ("mentor", "Erik", "Larsen", Role.MENTOR, "erik.larsen@example.dk", DEMO_CODE),
    ("admin", "Anne", "Berg", Role.ADMINISTRATOR, "it@example.dk", DEMO_CODE),
    ("silkeborg-medarbejder", "Rasmus", "Kjær", Role.TEAM_MEMBER,
     "rasmus.kjaer@example.dk", SECOND_CODE),
    ("silkeborg-medarbejder2", "Nadia", "Hussein", Role.TEAM_MEMBER,
     "nadia.hussein@example.dk", SECOND_CODE),
    ("silkeborg-teamleder", "Helle", "Vestergaard", Role.TEAM_LEAD,
     "helle.vestergaard@example.dk", SECOND_CODE),
    ("silkeborg-sagsbehandler", "Bo", "Lauridsen", Role.CASEWORKER,
     "bo.lauridsen@example.dk", SECOND_CODE),
    ("silkeborg-admin", "Tina", "Skov", Role.ADMINISTRATOR, "it-silkeborg@example.dk", SECOND_CODE),
]  # fmt: skip


@transaction.atomic
def seed_municipalities() -> dict[str, Municipality]:
    """The two demo municipalities with their letterheads and schemes. A
    municipality an administrator already set up (it has a CVR) is left as
    it is; the one the migrations made from the old settings is taken over."""
    result = {}
    for code, values in DEMO_MUNICIPALITIES.items():
        obj = Municipality.objects.filter(code=code).first()
        if obj is None and code == DEMO_CODE:
            # An installation migrated from a single municipality: its row
            # (code 000 until the administrator sets it) becomes Aarhus.
            obj = Municipality.objects.filter(code="000", cvr="").first()
            if obj is not None:
                obj.code = code
        obj = obj or Municipality(code=code)
        if not obj.cvr:
            for field, value in values.items():
                setattr(obj, field, value)
            obj.full_clean()
            obj.save()
        if not Scheme.objects.filter(municipality=obj).exists():
            Scheme.objects.create(municipality=obj)
        result[code] = obj
    return result


@transaction.atomic
def seed_users() -> list[tuple[str, str, str, str]]:
    """Create the demo users if missing; returns (username, role label,
    password, municipality name)."""
    municipalities = seed_municipalities()
    User = get_user_model()
    rows = []
    for username, first, last, role, email, code in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": email},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            # The administrator manages users in Django's admin site.
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        UserProfile.objects.get_or_create(
            user=user, defaults={"municipality": municipalities[code]}
        )
        rows.append((username, str(role.label), DEMO_PASSWORD, municipalities[code].name))
    return rows


def seed_municipality() -> Municipality:
    """The main demo municipality (Aarhus)."""
    return seed_municipalities()[DEMO_CODE]
