import datetime

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition

from applicants.models import CLOSED_STAGES, Citizen
from applicants.views import _get_case
from mikrolaan.exports import csv_response
from mikrolaan.roles import STAFF_ROLES, Role, has_role, role_required
from mikrolaan.tenancy import request_municipality

from . import plan_table, selectors, services
from . import support as support_rules
from .forms import (
    BankAccountForm,
    PayoutForm,
    ReasonForm,
    SchemeForm,
    SupportEndForm,
    SupportGrantForm,
    SupportRefusalForm,
)
from .models import Loan, LoanState, SupportState
from .services import update_scheme


@role_required(Role.TEAM_LEAD, Role.ADMINISTRATOR)
def scheme_edit(request):
    """The user's own municipality's scheme: legal references and limits."""
    scheme = request_municipality(request).current_scheme()
    if request.method == "POST":
        form = SchemeForm(request.POST, instance=scheme)
        if form.is_valid():
            update_scheme(
                scheme=scheme,
                actor=request.user,
                data=form.cleaned_data,
                confirm_legal_texts=form.cleaned_data.get("confirm_legal_texts", False),
            )
            messages.success(request, _("Ordningen er gemt."))
            return redirect("loans:scheme_edit")
        scheme.refresh_from_db()
    else:
        form = SchemeForm(instance=scheme)
    return render(request, "loans/scheme_form.html", {"form": form, "scheme": scheme})


# --- the loan --------------------------------------------------------------------------


def _get_loan(pk) -> Loan:
    try:
        return selectors.loan_for_page(pk)
    except Loan.DoesNotExist:
        raise Http404 from None


def _loan_actions(loan: Loan, user) -> dict:
    """Which buttons the page shows; the services enforce the same rules."""
    lead = has_role(user, Role.TEAM_LEAD)
    return {
        "can_approve": loan.state == LoanState.RECOMMENDED and lead,
        "approval_problems": (
            services.approval_problems(loan, user) if loan.state == LoanState.RECOMMENDED else []
        ),
        "can_pay_out": loan.state == LoanState.APPROVED,
        "can_cancel": loan.state in (LoanState.RECOMMENDED, LoanState.APPROVED),
        "can_write_off": loan.state == LoanState.DISBURSED and lead,
        "can_edit_account": loan.state in (LoanState.RECOMMENDED, LoanState.APPROVED),
    }


def _loan_page(request, loan, *, payout_form=None, reason_form=None, status=200):
    overview = selectors.loan_overview(loan)
    scheme = loan.municipality.current_scheme()
    context = {
        "loan": loan,
        "case": loan.case,
        "citizen": loan.citizen,
        "overview": overview,
        "plan_rows": plan_table.loan_page_rows(overview.instalments),
        "history": selectors.loan_history(loan),
        "plans": selectors.plan_history(loan) if overview.plan else [],
        "range_warning": services.range_warning(loan.principal, scheme),
        "payout_form": payout_form or PayoutForm(initial={"disbursed_on": timezone.localdate()}),
        "reason_form": reason_form or ReasonForm(),
        "fi_line": loan.fi_line() if loan.municipality.fi_creditor_number else "",
        **_loan_actions(loan, request.user),
    }
    return render(request, "loans/loan_detail.html", context, status=status)


@role_required(*STAFF_ROLES)
def loan_detail(request, pk):
    """The loan: state, terms, people, the plan (every instalment), the
    history and the actions the user may take."""
    return _loan_page(request, _get_loan(pk))


ACTIONS = ("approve", "disburse", "cancel", "write_off")


@require_POST
@role_required(*STAFF_ROLES)
def loan_action(request, pk, action):
    """One view for every step of the loan's machine; the service decides."""
    if action not in ACTIONS:
        raise Http404
    loan = _get_loan(pk)
    try:
        if action == "approve":
            services.approve_loan(actor=request.user, loan=loan)
            messages.success(request, _("Lånet er godkendt. Afgørelsen sendes til borgeren."))
        elif action == "disburse":
            form = PayoutForm(request.POST)
            if not form.is_valid():
                return _loan_page(request, loan, payout_form=form, status=400)
            services.record_payout(
                actor=request.user, loan=loan, disbursed_on=form.cleaned_data["disbursed_on"]
            )
            messages.success(
                request,
                _(
                    "Udbetalingen er registreret. Låneaftalen med afdragsplanen sendes til "
                    "borgeren."
                ),
            )
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _loan_page(request, loan, reason_form=form, status=400)
            service = services.cancel_loan if action == "cancel" else services.write_off_loan
            service(actor=request.user, loan=loan, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("Lånet er annulleret.") if action == "cancel" else _("Lånet er afskrevet."),
            )
    except services.LoanRefused as exc:
        messages.error(request, " ".join(exc.reasons))
    except ConcurrentTransition:
        messages.warning(
            request, _("Lånet er lige blevet ændret af en anden. Siden er opdateret – prøv igen.")
        )
    return redirect("loans:loan_detail", pk=loan.pk)


@role_required(*STAFF_ROLES)
def loan_bank(request, pk):
    """The borrower's account at the partner bank and the consent to the
    team's read access."""
    loan = _get_loan(pk)
    initial = {
        "reg_no": loan.bank_reg_no,
        "account_no": loan.bank_account_no,
        "consent_on": loan.read_access_consent_on,
    }
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if (data["reg_no"], data["account_no"]) != (loan.bank_reg_no, loan.bank_account_no):
                    services.set_bank_account(
                        actor=request.user,
                        loan=loan,
                        reg_no=data["reg_no"],
                        account_no=data["account_no"],
                    )
                if data["consent_on"] and data["consent_on"] != loan.read_access_consent_on:
                    services.record_read_access_consent(
                        actor=request.user, loan=loan, given_on=data["consent_on"]
                    )
        except services.LoanRefused as exc:
            messages.error(request, " ".join(exc.reasons))
        else:
            messages.success(request, _("Konto og samtykke er gemt."))
            return redirect("loans:loan_detail", pk=loan.pk)
    return render(
        request,
        "loans/loan_bank.html",
        {"loan": loan, "case": loan.case, "form": form},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- subsistence support ----------------------------------------------------------------

SUPPORT_FORMS = {"grant": SupportGrantForm, "refuse": SupportRefusalForm, "end": SupportEndForm}


@role_required(*STAFF_ROLES)
def support(request, pk):
    """The case's support: grant, refuse or end (extensions are decided at
    screening 4). Each is a decision letter."""
    case = _get_case(pk)
    grants, decisions = selectors.support_for_case(case)
    running = next((g for g in grants if g.state == SupportState.GRANTED), None)
    action = request.POST.get("action") if request.method == "POST" else None
    forms_ = {name: cls(prefix=name) for name, cls in SUPPORT_FORMS.items()}
    status = 200
    if action in SUPPORT_FORMS:
        if case.stage in CLOSED_STAGES and action != "end":
            messages.error(request, _("Forløbet er afsluttet."))
            return redirect("applicants:case_detail", pk=case.pk)
        form = SUPPORT_FORMS[action](request.POST, prefix=action)
        forms_[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "grant":
                    services.grant_support(actor=request.user, case=case, **data)
                    messages.success(request, _("Tilskuddet er bevilget. Afgørelsen sendes."))
                elif action == "refuse":
                    services.refuse_support(actor=request.user, case=case, **data)
                    messages.success(request, _("Afslaget er sendt."))
                else:
                    services.end_support(actor=request.user, case=case, **data)
                    messages.success(request, _("Tilskuddet er afsluttet. Afgørelsen sendes."))
            except services.LoanRefused as exc:
                messages.error(request, " ".join(exc.reasons))
            else:
                return redirect("applicants:case_detail", pk=case.pk)
        else:
            status = 400
    scheme = case.municipality.current_scheme()
    return render(
        request,
        "loans/support.html",
        {
            "case": case,
            "grants": grants,
            "running_grant": running,
            "decisions": decisions,
            "scheme": scheme,
            "eligible": support_rules.is_eligible(case.benefit_type),
            "ineligible_text": support_rules.ineligibility_text(case.benefit_type),
            "forms": forms_,
            "is_closed": case.stage in CLOSED_STAGES,
        },
        status=status,
    )


# --- payouts for the finance department --------------------------------------------------


@role_required(*STAFF_ROLES)
def payouts(request):
    """Payout days, each with its CSV for the finance department; and the
    approved loans waiting to be paid out."""
    waiting, waiting_more = selectors.loans_awaiting_payout()
    return render(
        request,
        "loans/payouts.html",
        {
            "days": selectors.payout_days(),
            "waiting": waiting,
            "waiting_more": waiting_more,
        },
    )


@role_required(*STAFF_ROLES)
def payouts_csv(request, day):
    """One payout day: name, account, amount and the loan's payment id."""
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    rows = (
        (
            loan.citizen.full_name,
            loan.bank_reg_no,
            loan.bank_account_no,
            loan.principal,
            loan.payment_id,
            loan.disbursed_on.isoformat(),
            (loan.disbursed_by.get_full_name() or loan.disbursed_by.get_username())
            if loan.disbursed_by
            else "",
        )
        for loan in selectors.payouts_on(date).iterator(chunk_size=500)
    )
    header = [
        _("Navn"),
        _("Reg.nr."),
        _("Kontonummer"),
        _("Beløb (kr.)"),
        _("Betalings-id"),
        _("Udbetalt den"),
        _("Bekræftet af"),
    ]
    return csv_response(f"udbetalinger-{date.isoformat()}.csv", header, rows)


# --- the borrower's portal ----------------------------------------------------------------


@role_required(Role.CITIZEN)
def portal_loan(request):
    """The borrower's own support period, loan and plan: what is paid and
    what is due next."""
    citizen = Citizen.objects.filter(user=request.user).first()
    if citizen is None:
        raise Http404
    loans = selectors.loans_for_citizen(citizen)
    return render(
        request,
        "loans/portal_loan.html",
        {
            "grants": selectors.support_for_citizen(citizen),
            "overviews": [selectors.loan_overview(loan) for loan in loans],
        },
    )
