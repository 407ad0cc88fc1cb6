from django.contrib import admin

from mikrolaan.admin import ReadOnlyAdmin
from mikrolaan.models import Scheme

from .models import (
    Instalment,
    Loan,
    LoanTransition,
    RepaymentPlan,
    SupportDecision,
    SupportGrant,
)


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    # Edited in the application (Ordning), where the change is audited.
    list_display = ["name", "loan_maximum", "term_months", "support_months", "active"]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["payment_id", "state", "principal", "disbursed_on", "municipality"]
    list_filter = ["state"]


@admin.register(LoanTransition)
class LoanTransitionAdmin(ReadOnlyAdmin):
    list_display = ["loan", "transition", "from_state", "to_state", "at"]


@admin.register(RepaymentPlan)
class RepaymentPlanAdmin(ReadOnlyAdmin):
    list_display = ["loan", "version", "is_current", "principal", "term_months", "starts_after"]


@admin.register(Instalment)
class InstalmentAdmin(ReadOnlyAdmin):
    list_display = ["plan", "seq", "due_date", "amount"]
    list_select_related = ["plan"]


@admin.register(SupportGrant)
class SupportGrantAdmin(ReadOnlyAdmin):
    list_display = ["case", "state", "starts_on", "ends_on", "extended_months"]


@admin.register(SupportDecision)
class SupportDecisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "months", "starts_on", "ends_on", "decided_at"]
