from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from mikrolaan.demo import DEMO_PASSWORD, DEMO_USERS
from mikrolaan.models import Municipality, UserProfile
from mikrolaan.roles import user_roles


def _counts():
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"auth", "mikrolaan", "applicants", "screening", "courses", "loans", "letters"}
        and m._meta.model_name not in {"auditevent", "accesslogentry"}
    }


def test_seed_demo_creates_one_user_per_role_with_the_documented_password(db):
    call_command("seed_demo", stdout=StringIO())
    User = get_user_model()
    for username, _first, _last, role, _email, code in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert str(role) in user_roles(user)
        assert UserProfile.objects.get(user=user).municipality.code == code
    assert set(Municipality.objects.values_list("code", flat=True)) >= {"751", "740"}
    assert all(m.cvr and m.current_scheme() for m in Municipality.objects.all())


def test_seed_demo_twice_creates_no_duplicates(db):
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first


def test_if_empty_skips_a_database_that_has_users(db, team_member, capsys):
    call_command("seed_demo", "--if-empty")
    assert not get_user_model().objects.filter(username="medarbejder").exists()
