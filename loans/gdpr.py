"""The loans app's personal data and its keep rule (see mikrolaan.privacy.registry).

A loan is bookkeeping: its amounts, dates and plan stay as long as the loan is
open (SPEC §13: "never an open loan"); only the free texts and the bank
account go when a closed case is anonymised."""

from django.utils.translation import gettext_lazy as _

from mikrolaan.privacy.registry import (
    KeepRule,
    PersonalData,
    register_keep_rule,
    register_personal_data,
)

from .models import (
    OPEN_STATES,
    Instalment,
    Loan,
    LoanTransition,
    RepaymentPlan,
    StaffTask,
    SupportDecision,
    SupportGrant,
)


def anonymise_loans(rows, *, now) -> int:
    return rows.update(bank_reg_no="", bank_account_no="", closed_reason="")


def anonymise_texts(rows, *, now) -> int:
    return rows.update(reason="")


def anonymise_support_decisions(rows, *, now) -> int:
    return rows.update(facts="", reasons="")


def open_loans_keep(case_ids, *, now) -> dict[int, str]:
    rows = Loan.objects.filter(case_id__in=list(case_ids), state__in=OPEN_STATES).values_list(
        "case_id", "pk", "state"
    )
    return {case_id: f"lån {pk} er åbent ({state})" for case_id, pk, state in rows}


register_personal_data(
    PersonalData(
        key="loans",
        title=_("Lån"),
        model=Loan,
        subject_path="citizen",
        case_path="case",
        exclude=("terms",),
        anonymise=anonymise_loans,
        order=60,
    )
)
register_personal_data(
    PersonalData(
        key="loan_transitions",
        title=_("Lånets historik"),
        model=LoanTransition,
        subject_path="loan__citizen",
        case_path="loan__case",
        anonymise=anonymise_texts,
        order=61,
    )
)
register_personal_data(
    PersonalData(
        key="repayment_plans",
        title=_("Afdragsplaner"),
        model=RepaymentPlan,
        subject_path="loan__citizen",
        case_path="loan__case",
        anonymise=anonymise_texts,
        order=62,
    )
)
register_personal_data(
    PersonalData(
        key="instalments",
        title=_("Rater"),
        model=Instalment,
        subject_path="plan__loan__citizen",
        case_path="plan__loan__case",
        order=63,
    )
)
register_personal_data(
    PersonalData(
        key="support_grants",
        title=_("Tilskud til forsørgelse"),
        model=SupportGrant,
        subject_path="case__citizen",
        case_path="case",
        order=64,
    )
)
register_personal_data(
    PersonalData(
        key="support_decisions",
        title=_("Afgørelser om tilskud til forsørgelse"),
        model=SupportDecision,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_support_decisions,
        order=65,
    )
)
register_personal_data(
    PersonalData(
        key="staff_tasks",
        title=_("Opgaver om borgeren"),
        model=StaffTask,
        subject_path="case__citizen",
        case_path="case",
        anonymise=lambda rows, *, now: rows.update(title=""),
        order=66,
    )
)
register_keep_rule(
    KeepRule(
        name="open_loan",
        description=_(
            "Et lån, der ikke er tilbagebetalt, annulleret eller afskrevet, slettes aldrig."
        ),
        keeps=open_loans_keep,
    )
)
