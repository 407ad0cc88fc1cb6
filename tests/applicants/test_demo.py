"""The demo data: every stage, the demo citizen's case, idempotent; bulk data."""

import io
import itertools

import pytest
from django.core.management import call_command

from applicants.models import Case, CaseTransition, Meeting, Stage
from mikrolaan.tenancy import unscoped


@pytest.fixture(autouse=True)
def _whole_installation():
    """The demo spans municipalities: these tests look at all of it."""
    with unscoped():
        yield


def test_seed_demo_covers_every_stage_and_runs_twice_without_duplicates(db):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Case.objects.count(), Meeting.objects.count(), CaseTransition.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Case.objects.count(), Meeting.objects.count(), CaseTransition.objects.count()) == counts
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    own = Case.objects.get(citizen__user__username="borger")
    assert own.stage == "business_development"
    assert own.meetings.filter(kind="first", attendance="attended").exists()
    # The portal's demo: a submitted person profile, drafts of the plan and budgets.
    forms = {f.kind: f for f in own.portal_forms.all()}
    assert forms["person_profile"].versions.count() == 1
    assert forms["business_plan"].draft and not forms["business_plan"].versions.exists()
    assert forms["establishment_budget"].draft and forms["operating_budget"].draft
    assert Case.objects.filter(referring_caseworker__username="sagsbehandler").count() >= 3
    # A plausible history: one row per step from the inquiry to the stage.
    running = Case.objects.get(stage="running", municipality__code="751")
    assert running.transitions.count() == 11
    # The second municipality has cases of its own, numbered with its code.
    second = Case.objects.filter(municipality__code="740")
    assert second.exists()
    assert all(c.case_number.startswith("740-") for c in second)
    assert all(c.citizen.municipality_id == c.municipality_id for c in Case.objects.all())


def test_seed_scale_adds_cases_with_history_and_meetings(db):
    call_command("seed_demo", stdout=io.StringIO())
    before = Case.objects.count()
    call_command("seed_demo", scale=50, stdout=io.StringIO())
    call_command("seed_demo", scale=50, stdout=io.StringIO())
    assert Case.objects.count() == before + 100
    bulk = Case.objects.filter(business_idea__in=["Café med hjemmebag", "Rengøring for private"])
    assert CaseTransition.objects.filter(case__in=bulk).exists()
    # Each case's whole way, step by step, as the reports count it.
    for case in Case.objects.order_by("-id")[:100]:
        steps = list(case.transitions.order_by("at", "pk").values_list("from_stage", "to_stage"))
        assert steps[0] == ("", "inquiry")
        assert all(a[1] == b[0] for a, b in itertools.pairwise(steps))
        assert steps[-1][1] == case.stage
    assert Meeting.objects.filter(case__in=Case.objects.order_by("-id")[:100]).exists()
    # Spread over 98 municipalities, each case numbered by its own.
    newest = Case.objects.filter(
        pk__in=list(Case.objects.order_by("-id").values_list("pk", flat=True)[:100])
    )
    assert newest.values("municipality").distinct().count() == 98
    for case in newest.select_related("municipality", "citizen", "programme"):
        assert case.case_number.startswith(f"{case.municipality.code}-")
        assert (
            case.citizen.municipality_id == case.programme.municipality_id == case.municipality_id
        )


def test_every_demo_case_past_the_second_meeting_has_a_sent_person_profile(db):
    from applicants.portal.conditions import person_profile_submitted

    call_command("seed_demo", stdout=io.StringIO())
    past = Case.objects.filter(transitions__from_stage="second_meeting").distinct()
    assert past.count() >= 10
    assert [c.case_number for c in past if not person_profile_submitted(c)] == []
    # The case waiting in the second meeting has none yet: the page says so.
    waiting = Case.objects.get(stage="second_meeting", municipality__code="751")
    assert not person_profile_submitted(waiting)
