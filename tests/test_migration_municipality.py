"""The municipality migrations move an existing single-municipality
database without loss: every row lands in the municipality that the old
settings row became, the scheme is copied to it, users belong to it, and
the case numbers and their counter carry on."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("mikrolaan", "0002_roles"),
    ("applicants", "0002_citizen_name_search_indexes"),
    ("letters", "0001_initial"),
    ("loans", "0003_money_fields"),
]


@pytest.mark.bare_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_rows_move_to_the_default_municipality():
    import datetime

    from django.utils import timezone

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Settings = old.get_model("mikrolaan", "MunicipalitySettings")
    User = old.get_model("auth", "User")
    Scheme = old.get_model("loans", "Scheme")
    Programme = old.get_model("applicants", "Programme")
    Citizen = old.get_model("applicants", "Citizen")
    Case = old.get_model("applicants", "Case")
    Meeting = old.get_model("applicants", "Meeting")
    Transition = old.get_model("applicants", "CaseTransition")
    Counter = old.get_model("applicants", "CaseNumberCounter")
    AuditEvent = old.get_model("mikrolaan", "AuditEvent")

    Settings.objects.create(pk=1, name="Gamle Kommune", cvr="55133018")
    staff = User.objects.create(username="gammel-medarbejder")
    Scheme.objects.all().delete()
    Scheme.objects.create(name="Vores ordning", loan_maximum=45000, recommended_maximum=45000)
    programme = Programme.objects.create(name="Hold 1", start_date=datetime.date(2025, 1, 6))
    citizen = Citizen.objects.create(first_name="Ole", last_name="Gammel", cpr="0101851234")
    case = Case.objects.create(
        case_number="ML-2025-00007",
        citizen=citizen,
        programme=programme,
        responsible=staff,
        source="direct",
        benefit_type="kontanthjaelp",
        stage="inquiry",
    )
    Transition.objects.create(case=case, transition="create", from_stage="", to_stage="inquiry")
    Meeting.objects.create(case=case, kind="first", starts_at=timezone.now(), place="Café")
    Counter.objects.create(year=2025, last=7)
    AuditEvent.objects.create(action="case.created", actor_label="x")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from applicants.models import Case as NewCase
    from applicants.models import CaseNumberSequence, CaseTransition
    from applicants.models import Meeting as NewMeeting
    from applicants.services import next_case_number
    from mikrolaan.models import AuditEvent as NewAuditEvent
    from mikrolaan.models import Municipality, UserProfile

    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.code) == ("Gamle Kommune", "000")
    moved = NewCase.objects.get()
    assert moved.case_number == "ML-2025-00007"  # stable
    assert moved.municipality == municipality
    assert moved.citizen.municipality == moved.programme.municipality == municipality
    assert CaseTransition.objects.get().municipality == municipality
    assert NewMeeting.objects.get().municipality == municipality
    assert NewAuditEvent.objects.get(action="case.created").municipality == municipality
    scheme = municipality.current_scheme()
    assert (scheme.name, scheme.loan_maximum) == ("Vores ordning", 45000)
    assert UserProfile.objects.get(user__username="gammel-medarbejder").municipality == municipality
    assert CaseNumberSequence.objects.get(year=2025).last == 7
    from django.db import transaction

    with transaction.atomic():
        assert next_case_number(municipality=municipality, year=2025) == "000-2025-00008"
