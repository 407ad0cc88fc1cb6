"""Fixtures of the pipeline's tests."""

import pytest

from applicants import letters
from tests.factories import CaseFactory, CitizenFactory


class LetterRecorder:
    """Stands in for the letters engine: records each adapter call."""

    def __init__(self):
        self.calls: list[tuple[str, tuple, dict]] = []

    def kinds(self) -> list[str]:
        return [name for name, _a, _k in self.calls]

    def record(self, name):
        def fake(*args, **kwargs):
            self.calls.append((name, args, kwargs))

        return fake


@pytest.fixture(autouse=True)
def sent_letters(monkeypatch):
    """Pipeline tests record the letters they ask for instead of rendering
    them (fast); test_letters_integration.py runs the real engine."""
    recorder = LetterRecorder()
    for name in (
        "send_meeting_invitation",
        "send_withdrawal_confirmation",
        "send_decline_decision",
        "send_meeting_change",
    ):
        monkeypatch.setattr(letters, name, recorder.record(name))
    return recorder


@pytest.fixture
def case(db, citizen_user, caseworker):
    """A referred case in ``inquiry``, owned by the citizen fixture."""
    return CaseFactory(
        citizen=CitizenFactory(user=citizen_user),
        referring_caseworker=caseworker,
        source="referral",
    )
