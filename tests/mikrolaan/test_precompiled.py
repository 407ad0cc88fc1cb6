"""The queries compiled once per process (mikrolaan.precompiled) return what
the ORM would: the signed-in user with municipality and roles, the session."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from mikrolaan.backends import MunicipalityModelBackend
from mikrolaan.precompiled import CompiledOnce
from mikrolaan.roles import Role, user_roles
from mikrolaan.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_user_is_loaded_with_municipality_and_roles_in_one_query(
    team_lead, django_assert_num_queries
):
    backend = MunicipalityModelBackend()
    backend.get_user(team_lead.pk)  # compiled on first use
    with django_assert_num_queries(1):
        user = backend.get_user(team_lead.pk)
        assert user.pk == team_lead.pk
        assert user.profile.municipality.pk == team_lead.profile.municipality.pk
        assert user_roles(user) == frozenset({str(Role.TEAM_LEAD)})
        assert user.last_login == team_lead.last_login
    assert backend.get_user(team_lead.pk + 10_000) is None
    assert backend.get_user("not a number") is None


def test_a_user_made_inactive_is_not_loaded(team_member):
    team_member.is_active = False
    team_member.save()
    assert MunicipalityModelBackend().get_user(team_member.pk) is None


def test_a_query_must_use_its_parameter_once():
    query = CompiledOnce(lambda pk: Session.objects.filter(session_key="fixed"))
    with pytest.raises(ValueError):
        query.first("x")


def test_sessions_load_and_expire():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key).load() == {"answer": 42}

    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("no-such-session-key").load() == {}


def test_a_municipality_owned_model_is_refused():
    """Its scope is a parameter of the request: compiled once, the first
    request's municipality would stay in the statement."""
    from applicants.models import Case

    query = CompiledOnce(lambda pk: Case.objects.filter(pk=pk))
    with pytest.raises(TypeError):
        query.first(1)
