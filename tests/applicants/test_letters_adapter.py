"""The letters adapter: each function asks the letters engine for its kind
of letter with exactly the context keys of the engine's contract."""

import datetime

import pytest
from django.utils import timezone

from applicants import letters
from tests.factories import CaseFactory, MeetingFactory


@pytest.fixture
def sent_letters():
    """Override the package's fixture: here the real adapter functions run."""
    return None


@pytest.fixture
def requested(monkeypatch):
    calls = []
    monkeypatch.setattr(letters, "request_letter", lambda **kw: calls.append(kw))
    return calls


def test_meeting_invitation_context(requested, team_member, team_member2):
    starts = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0))
    meeting = MeetingFactory(
        kind="first",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place="Café Globus",
        notes="Tag skitser med",
        staff=[team_member, team_member2],
    )
    letters.send_meeting_invitation(meeting, team_member)
    (call,) = requested
    assert call["kind"] == "meeting_invitation"
    assert call["case"] == meeting.case and call["author"] == team_member
    context = dict(call["context"])
    assert sorted(context.pop("staff")) == sorted(
        [team_member.get_full_name(), team_member2.get_full_name()]
    )
    assert context == {
        "meeting_kind": "1. personlige møde",
        "starts_at": "2026-12-01T10:00:00+01:00",
        "ends_at": "2026-12-01T11:00:00+01:00",
        "place": "Café Globus",
        "notes": "Tag skitser med",
    }


def test_withdrawal_confirmation_context(requested, team_member):
    case = CaseFactory()
    letters.send_withdrawal_confirmation(
        case,
        author=team_member,
        initiated_by="staff",
        reason="Flytter",
        withdrawn_on=datetime.date(2026, 11, 26),
    )
    (call,) = requested
    assert call["kind"] == "withdrawal_confirmation"
    assert call["context"] == {
        "withdrawn_on": "2026-11-26",
        "initiated_by": "staff",
        "reason": "Flytter",
        "has_loan": False,
    }


def test_decline_decision_context(requested, team_member):
    case = CaseFactory()
    letters.send_decline_decision(
        case,
        author=team_member,
        from_stage="screening_1",
        reason="Motivationen er ikke til stede.",
        facts="Udeblev fra to møder.",
        decided_on=datetime.date(2026, 11, 26),
    )
    (call,) = requested
    context = call["context"]
    assert call["kind"] == "decision"
    assert set(context) == {
        "title",
        "decision",
        "decided_on",
        "period",
        "amount",
        "facts",
        "considerations",
        "legal_basis",
    }
    assert context["decided_on"] == "2026-11-26"
    assert context["considerations"] == "Motivationen er ikke til stede."
    assert context["facts"] == "Udeblev fra to møder."
    assert context["amount"] is None
    # What is refused, on the scheme's own references.
    assert "aktivloven § 65, stk. 3" in context["legal_basis"]
    assert "efter den 1. screening" in context["decision"]
    assert "lån efter aktivloven § 65" in context["decision"]
