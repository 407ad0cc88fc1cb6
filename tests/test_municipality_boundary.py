"""The municipality boundary (SPEC §1, §13): nobody sees across the line.

- Every model that holds a citizen's data belongs to a municipality.
- Every URL pattern × every role, requested with the ids of another
  municipality's objects: 404 (never 403 for a role that may use the page,
  so ids cannot be probed) and nothing of the other municipality in the
  response.
- Forms refuse another municipality's staff, programmes and cases.
- Every page that shows a citizen's name or CPR leaves an access-log row
  naming that citizen (the access log by construction).
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from applicants.models import Case, Citizen, Meeting
from mikrolaan.access_log import RevealsCitizen
from mikrolaan.models import AccessLogEntry, AuditEvent, Municipality, MunicipalityOwned
from mikrolaan.roles import Role
from mikrolaan.tenancy import scoped_to, unscoped
from tests.conftest import OTHER_CITIZEN
from tests.factories import (
    OTHER_CODE,
    CaseFactory,
    CitizenFactory,
    ProgrammeFactory,
    UserFactory,
    building_in,
    municipality,
)
from tests.routes import World, all_routes

ROUTES = all_routes()
ROLES = [*Role.values, "no_role"]
OBJECT_ROUTES = [r for r in ROUTES if callable(r.kwargs) and not r.public]


def _paths_to_citizen(model, depth=0, seen=()):
    """True if a chain of foreign keys leads from ``model`` to Citizen."""
    if model is Citizen:
        return True
    if depth > 4 or model in seen:
        return False
    for field in model._meta.get_fields():
        is_key = isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete
        if is_key and _paths_to_citizen(field.related_model, depth + 1, (*seen, model)):
            return True
    return False


def test_every_model_holding_a_citizens_data_belongs_to_a_municipality():
    missing = [
        m._meta.label
        for m in apps.get_models()
        if _paths_to_citizen(m) and not issubclass(m, MunicipalityOwned)
    ]
    assert missing == [], f"inherit mikrolaan.models.MunicipalityOwned: {missing}"
    for model in (AuditEvent, AccessLogEntry):
        assert model._meta.get_field("municipality").related_model is Municipality
    for model in (m for m in apps.get_models() if issubclass(m, MunicipalityOwned)):
        field = model._meta.get_field("municipality")
        assert not field.null, f"{model._meta.label}.municipality may not be empty"


def test_models_that_show_a_citizen_are_access_logged():
    from mikrolaan.letters.models import Letter

    assert issubclass(Citizen, RevealsCitizen)
    assert issubclass(Letter, RevealsCitizen)


@pytest.fixture
def worlds(db):
    """The matrix's users in the home municipality, and a second set in the
    other municipality who own the objects that are requested."""
    home = {r: UserFactory(username=f"matrix_{r}", role=r) for r in Role.values}
    home["no_role"] = UserFactory(username="matrix_no_role")
    with building_in(OTHER_CODE), unscoped():
        other_users = {
            r: UserFactory(username=f"other_{r}", role=r, first_name="Fremmed") for r in Role.values
        }
    return World(home), World(other_users)


def _other_kwargs(route, other_world):
    with building_in(OTHER_CODE), unscoped():
        return route.kwargs(other_world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.id)
def test_another_municipalitys_objects_are_not_found(client, worlds, route, role):
    home, other = worlds
    kwargs = _other_kwargs(route, other)
    data = route.data(home) if callable(route.data) else route.data
    client.force_login(home.user(role))
    url = reverse(route.name, kwargs=kwargs)
    response = getattr(client, route.method)(url, data=data or {})
    # Pages addressed by an object id: not found. The portal's own pages take
    # no id and answer for the user's own case, which they lack here.
    expected = {403}
    if role in route.allowed:
        expected = {404} if kwargs else {200, 302, 404}
    assert response.status_code in expected, f"{role} on {url}: {response.status_code}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with unscoped():
        citizens = Citizen.objects.filter(municipality__code=OTHER_CODE)
        marks = [c.full_name for c in citizens] + [c.cpr for c in citizens]
        marks += list(
            Case.objects.filter(municipality__code=OTHER_CODE).values_list("case_number", flat=True)
        )
        # The factories' random names can repeat across the two worlds: a name
        # the home municipality also has (the signed-in citizen's own) proves
        # nothing about a leak.
        home_names = {
            c.full_name for c in Citizen.objects.exclude(municipality__code=OTHER_CODE)
        } | {
            u.get_full_name()
            for u in get_user_model()
            .objects.filter(profile__isnull=False)
            .exclude(profile__municipality__code=OTHER_CODE)
        }
    for mark in [*marks, OTHER_CITIZEN["last_name"]]:
        if mark in home_names:
            continue
        assert mark.encode() not in body, f"{mark} of the other municipality on {url}"


@pytest.mark.parametrize(
    "route_name",
    ["applicants:case_list", "applicants:case_export", "home", "applicants:programme_list"],
)
def test_lists_show_nothing_of_the_other_municipality(client, team_member, route_name):
    CaseFactory()
    client.force_login(team_member)
    response = client.get(reverse(route_name))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert OTHER_CITIZEN["last_name"].encode() not in body
    assert b"740-1999-00001" not in body


def test_the_whole_teams_week_shows_only_the_municipalitys_meetings(client, team_member):
    client.force_login(team_member)
    body = client.get(reverse("home"), {"vis": "team"}).content.decode()
    assert OTHER_CITIZEN["last_name"] not in body


def test_searching_for_another_municipalitys_cpr_finds_nothing(client, team_member):
    client.force_login(team_member)
    response = client.post(reverse("applicants:case_list"), {"q": OTHER_CITIZEN["cpr"]})
    body = client.get(response.url).content.decode()
    assert OTHER_CITIZEN["last_name"] not in body


# --- form tampering: posting another municipality's ids -------------------------


def _other_staff():
    with unscoped():
        return UserFactory(
            username="tamper_staff", role=Role.TEAM_MEMBER, municipality=municipality(OTHER_CODE)
        )


def test_a_meeting_cannot_be_planned_with_another_municipalitys_staff(client, team_member):
    case = CaseFactory()
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:meeting_create", args=[case.pk]),
        {
            "kind": "individual",
            "starts_at": "2031-05-01T10:00",
            "place": "Café",
            "staff": [_other_staff().pk],
        },
    )
    assert response.status_code == 200
    assert "Der er problemer" in response.content.decode()
    assert not Meeting.objects.filter(case=case).exists()


def test_a_case_cannot_be_given_another_municipalitys_contact_person(client, team_member):
    case = CaseFactory()
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:case_edit", args=[case.pk]),
        {"responsible": _other_staff().pk, "benefit_type": "other"},
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.responsible_id is None


def test_an_inquiry_cannot_join_another_municipalitys_programme(client, team_member):
    with unscoped():
        programme = ProgrammeFactory(municipality=municipality(OTHER_CODE), name="Fremmed hold")
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:inquiry_create"),
        {
            "first_name": "Ida",
            "last_name": "Holm",
            "cpr": "010185-1234",
            "benefit_type": "kontanthjaelp",
            "business_idea": "Keramik",
            "programme": programme.pk,
        },
    )
    assert response.status_code == 200
    assert not Case.objects.filter(citizen__cpr="0101851234").exists()


def test_services_refuse_rows_that_mix_municipalities(team_member):
    with unscoped():
        other_citizen = CitizenFactory(municipality=municipality(OTHER_CODE))
    home_programme = ProgrammeFactory()
    with pytest.raises(ValueError):
        CaseFactory(citizen=other_citizen, programme=home_programme)


def test_the_same_cpr_may_have_a_case_in_each_municipality(client, team_member):
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:inquiry_create"),
        {
            "first_name": "Bodil",
            "last_name": "Flyttet",
            "cpr": OTHER_CITIZEN["cpr"],
            "benefit_type": "kontanthjaelp",
            "business_idea": "Keramik",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(citizen__cpr=OTHER_CITIZEN["cpr"])
    assert case.municipality == municipality()
    assert case.case_number.startswith("751-")
    with unscoped():
        assert Case.objects.filter(citizen__cpr=OTHER_CITIZEN["cpr"]).count() == 2


# --- the superuser -----------------------------------------------------------------


def test_the_superuser_sees_across_in_the_admin_and_every_read_is_logged(client, db):
    with unscoped():
        root = UserFactory(username="root", is_superuser=True, is_staff=True, municipality=False)
    client.force_login(root)
    response = client.get(reverse("admin:applicants_citizen_changelist"))
    assert response.status_code == 200
    assert OTHER_CITIZEN["last_name"] in response.content.decode()
    with unscoped():
        other = Citizen.objects.get(cpr=OTHER_CITIZEN["cpr"])
        entry = AccessLogEntry.objects.get(subject_id=str(other.pk), actor=root)
    assert entry.municipality == other.municipality


def test_an_administrator_in_the_admin_sees_only_their_own_users(client, administrator):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    body = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert administrator.username in body
    assert "other_team_member" not in body


# --- the access log by construction -------------------------------------------------


@pytest.fixture
def world(db):
    users = {role: UserFactory(username=f"matrix_{role}", role=role) for role in Role.values}
    users["no_role"] = UserFactory(username="matrix_no_role")
    return World(users)


def _shown_citizens(body: str):
    from applicants.cpr import format_cpr

    with scoped_to(municipality().pk):
        citizens = list(Citizen.objects.all())
    # The factories' random last names can be a staff member's too (a mentor
    # on a cohort's form): such a citizen is shown only by full name or CPR.
    staff_last_names = set(
        get_user_model().objects.filter(profile__isnull=False).values_list("last_name", flat=True)
    )

    def named(c):
        name = c.full_name if c.last_name in staff_last_names else c.last_name
        return name in body

    return [c for c in citizens if named(c) or c.cpr in body or format_cpr(c.cpr) in body]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public], ids=lambda r: r.id)
def test_every_page_that_shows_a_citizen_logs_the_read(client, world, route, role):
    if role not in route.allowed:
        return
    kwargs = route.kwargs(world) if callable(route.kwargs) else route.kwargs
    data = route.data(world) if callable(route.data) else route.data
    client.force_login(world.user(role))
    before = AccessLogEntry.objects.count()
    response = getattr(client, route.method)(reverse(route.name, kwargs=kwargs), data=data or {})
    if response.status_code != 200:
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    shown = _shown_citizens(body.decode("utf-8", errors="replace"))
    logged = set(
        AccessLogEntry.objects.order_by("pk")[before:].values_list("subject_id", flat=True)
    )
    actor = world.user(role)
    missing = [c.full_name for c in shown if str(c.pk) not in logged and c.user_id != actor.pk]
    assert missing == [], f"{route.id} as {role} showed {missing} without an access-log row"
