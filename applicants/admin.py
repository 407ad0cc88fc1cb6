from django.contrib import admin

from mikrolaan.admin import ReadOnlyAdmin

from .models import (
    Case,
    CaseNumberSequence,
    CaseTransition,
    Citizen,
    Meeting,
    PhoneInterview,
    Programme,
)
from .reports.models import BusinessCaseAssumptions, SetupCheck, TeamMember


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    # Created and edited in the application, in the team's own municipality.
    list_display = ["name", "municipality", "start_date"]
    list_filter = ["municipality"]


@admin.register(Citizen)
class CitizenAdmin(ReadOnlyAdmin):
    # Personal data is read and changed in the application, where it is logged.
    list_display = ["last_name", "first_name", "masked_cpr"]
    search_fields = ["last_name", "first_name"]
    exclude = ["cpr"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "stage", "source", "programme", "created_at"]
    list_filter = ["municipality", "stage", "source"]
    search_fields = ["case_number"]
    list_select_related = ["programme"]


@admin.register(CaseTransition)
class CaseTransitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "from_stage", "to_stage", "actor", "at"]
    list_select_related = ["case", "case__citizen", "actor"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "starts_at", "attendance"]
    list_select_related = ["case", "case__citizen"]


@admin.register(PhoneInterview)
class PhoneInterviewAdmin(ReadOnlyAdmin):
    list_display = ["case", "held_at", "in_target_group", "realistic", "motivated"]
    list_select_related = ["case", "case__citizen"]


@admin.register(CaseNumberSequence)
class CaseNumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "year", "last"]


# The reports' settings are edited by the team lead in the application
# (audited), in the team's own municipality.


@admin.register(BusinessCaseAssumptions)
class BusinessCaseAssumptionsAdmin(ReadOnlyAdmin):
    list_display = [
        "municipality",
        "benefit_saved_per_month",
        "team_cost_per_year",
        "horizon_years",
    ]


@admin.register(SetupCheck)
class SetupCheckAdmin(ReadOnlyAdmin):
    list_display = ["programme", "item", "done", "ticked_at"]
    list_filter = ["municipality", "item", "done"]


@admin.register(TeamMember)
class TeamMemberAdmin(ReadOnlyAdmin):
    list_display = ["user", "municipality", "fte"]
    list_filter = ["municipality"]
