"""Two people acting on one case at the same time: exactly one wins, the other
is told so, and nothing of either is half-written."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django_fsm import ConcurrentTransition

from applicants import services
from applicants.models import Case, CaseTransition
from applicants.services import transition_case
from mikrolaan.models import AuditEvent
from tests.conftest import require
from tests.factories import CaseFactory, PhoneInterviewFactory
from tests.screening.helpers import decided_record

CONFLICT = "Forløbet er lige blevet ændret af en anden. Siden er opdateret – prøv igen."


def test_two_loaded_copies_of_a_case_cannot_both_move_it(team_member, team_lead, sent_letters):
    case = CaseFactory(stage="phone_interview")
    PhoneInterviewFactory(case=case, conducted_by=team_member)
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)

    transition_case(case=first, transition="invite_first_meeting", actor=team_member)
    with pytest.raises(ConcurrentTransition):
        transition_case(
            case=second,
            transition="decline",
            actor=team_lead,
            reason="Ikke motiveret",
            data={"facts": "Sagde det i telefonen."},
        )

    stored = Case.objects.get(pk=case.pk)
    assert stored.stage == "first_meeting"
    assert list(CaseTransition.objects.filter(case=case).values_list("to_stage", flat=True)) == [
        "first_meeting"
    ]
    assert not AuditEvent.objects.filter(action="case.decline").exists()
    # The loser's decision letter was never requested.
    assert sent_letters.kinds() == []


def test_the_page_the_user_saw_is_out_of_date_gives_the_conflict_message(client, team_member):
    case = CaseFactory(stage="inquiry")
    transition_case(case=case, transition="start_phone_interview", actor=team_member)
    client.force_login(team_member)
    # The button was pressed on a page that still showed 'inquiry'.
    response = client.post(
        reverse("applicants:case_transition", args=[case.pk, "start_phone_interview"]),
        {"stage_seen": "inquiry"},
        follow=True,
    )
    assert CONFLICT in response.content.decode()
    assert Case.objects.get(pk=case.pk).stage == "phone_interview"
    assert CaseTransition.objects.filter(case=case).count() == 1


def test_a_lost_race_keeps_the_reason_the_user_typed(client, team_member, monkeypatch):
    case = CaseFactory(stage="screening_1")

    def lose_the_race(**kwargs):
        raise ConcurrentTransition("someone else was faster")

    monkeypatch.setattr(services, "transition_case", lose_the_race)
    client.force_login(team_member)
    response = client.post(
        reverse("applicants:case_transition", args=[case.pk, "decline"]),
        {"stage_seen": "screening_1", "reason": "Min lange begrundelse", "facts": "Fakta"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in body
    assert "Min lange begrundelse" in body


def _postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_transitions_on_postgresql_exactly_one_wins(team_member, team_lead):
    require(_postgres(), "the threaded race needs PostgreSQL (DATABASE_URL)")
    case = CaseFactory(stage="screening_1")
    decided_record(case, 1, "referred")
    decided_record(case, 1, "not_referred")
    copies = [Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)]
    moves = [("admit", team_member, ""), ("decline", team_lead, "Stop efter 1. screening")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = [None, None]

    def run(i):
        name, actor, reason = moves[i]
        try:
            barrier.wait()
            transition_case(
                case=copies[i], transition=name, actor=actor, reason=reason, data={"facts": "x"}
            )
            outcomes[i] = "won"
        except ConcurrentTransition:
            outcomes[i] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(outcomes) == ["conflict", "won"]
    winner = outcomes.index("won")
    stored = Case.objects.get(pk=case.pk)
    assert stored.stage == ("business_development", "declined")[winner]
    assert CaseTransition.objects.filter(case=case).count() == 1
