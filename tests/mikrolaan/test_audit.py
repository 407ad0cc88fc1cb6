"""The audit trail and the access log are append-only: no code path in the
application updates or deletes a row."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from mikrolaan.audit import events_for, log_access, purge_access_log, record_event
from mikrolaan.models import AccessLogEntry, AppendOnlyError, AuditEvent
from tests.factories import CitizenFactory


@pytest.fixture
def event(team_member):
    citizen = CitizenFactory()
    return record_event(
        actor=team_member,
        action="case.transition",
        obj=citizen,
        from_state="inquiry",
        to_state="phone_interview",
        reason="Ringede tilbage",
        data={"x": 1},
    )


@pytest.fixture
def access(team_member):
    return log_access(actor=team_member, subject=CitizenFactory(), what="CPR-nummer vist")


def test_event_records_actor_object_states_reason_and_data(event, team_member):
    assert event.actor == team_member
    assert event.actor_label == team_member.get_full_name()
    assert event.object_repr
    assert (event.from_state, event.to_state, event.reason) == (
        "inquiry",
        "phone_interview",
        "Ringede tilbage",
    )
    assert timezone.is_aware(event.created_at)
    assert list(events_for(event.target)) == [event]


def test_system_events_have_no_actor(db):
    assert record_event(actor=None, action="job.ran").actor_label == "system"


@pytest.mark.parametrize("model_fixture", ["event", "access"])
def test_rows_cannot_be_changed_or_deleted(request, model_fixture):
    row = request.getfixturevalue(model_fixture)
    model = type(row)
    field = "reason" if model is AuditEvent else "what"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).update(**{field: "x"})
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        model.objects.bulk_update([row], [field])
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", [AuditEvent, AccessLogEntry])
def test_admin_is_read_only(model, administrator):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = administrator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_access_log_records_who_whose_what_and_page(team_member):
    citizen = CitizenFactory()
    request = RequestFactory().get("/forloeb/1/")
    entry = log_access(actor=team_member, subject=citizen, what="CPR-nummer vist", request=request)
    assert entry.actor == team_member
    assert entry.subject == citizen
    assert entry.what == "CPR-nummer vist"
    assert entry.path == "/forloeb/1/"


def test_purge_removes_only_rows_past_retention_and_leaves_an_audit_row(
    team_member, settings, access
):
    settings.ACCESS_LOG_RETENTION_DAYS = 183
    later = timezone.now() + timedelta(days=200)
    fresh = log_access(actor=team_member, subject=CitizenFactory(), what="vist")
    assert purge_access_log(now=later) == 2
    assert purge_access_log(now=timezone.now()) == 0
    assert not AccessLogEntry.objects.filter(pk__in=[access.pk, fresh.pk]).exists()
    purges = AuditEvent.objects.filter(action="access_log.purged")
    assert [e.data["rows"] for e in purges.order_by("id")] == [2, 0]


def test_the_audit_trail_names_a_case_and_a_citizen_without_the_name(team_member):
    from tests.factories import CaseFactory, CitizenFactory

    case = CaseFactory(citizen=CitizenFactory(first_name="Åse", last_name="Navnesen"))
    for obj in (case, case.citizen):
        event = record_event(actor=team_member, action="test.named", obj=obj)
        assert "Navnesen" not in event.object_repr
    assert record_event(actor=team_member, action="x", obj=case).object_repr == case.case_number
