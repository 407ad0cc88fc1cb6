"""Pages of the repayment: a loan's repayment (plan, payments, reversals,
arrears, plan history, rescheduling), the payments inbox (statement import
and matching queue), the loan book with its CSV, the settings. Thin: role,
form, service."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mikrolaan.exports import csv_response
from mikrolaan.roles import STAFF_ROLES, Role, has_role, role_required
from mikrolaan.tenancy import request_municipality

from . import book, plan_table, refunds, repayment
from .arrears import DEFINITIONS, bucket
from .models import (
    Instalment,
    LineStatus,
    Loan,
    LoanState,
    Payment,
    PaymentAllocation,
    Refund,
    RepaymentPlan,
    RepaymentSettings,
    StatementImport,
    StatementLine,
)
from .repayment_forms import (
    AssignForm,
    BookFilterForm,
    DismissForm,
    LoanSearchForm,
    PaymentForm,
    RefundForm,
    RefundReversalForm,
    RepaymentSettingsForm,
    RescheduleForm,
    ReversalForm,
    StatementUploadForm,
)
from .services import LoanRefused
from .statement_import import assign_line, dismiss_line, import_statement
from .statements import StatementError


def _loan(pk) -> Loan:
    try:
        return Loan.objects.select_related("citizen", "case", "municipality").get(pk=pk)
    except Loan.DoesNotExist:
        raise Http404 from None


def repayment_context(loan: Loan, today) -> dict:
    """What the repayment page shows, in a fixed number of queries."""
    plans = list(RepaymentPlan.objects.filter(loan=loan).select_related("created_by"))
    current = next((p for p in plans if p.is_current), None)
    instalments = []
    if current is not None:
        instalments = list(
            Instalment.objects.filter(plan=current)
            .annotate(paid=Sum("allocations__amount"))
            .order_by("seq")
        )
    for inst in instalments:
        inst.paid = inst.paid or 0
        inst.short = inst.amount - inst.paid
        if inst.short <= 0:
            inst.status, inst.status_label = "paid", _("Betalt")
        elif inst.due_date < today:
            inst.status, inst.status_label = "overdue", _("Forfalden")
        elif inst.paid > 0:
            inst.status, inst.status_label = "partial", _("Delvist betalt")
        else:
            inst.status, inst.status_label = "open", ""
    payments = list(
        Payment.objects.filter(loan=loan)
        .select_related("registered_by", "reversal__reversed_by")
        .order_by("-value_date", "-id")
    )
    # What each payment paid on the current plan: one query of values (the
    # allocations and their instalments as model instances cost more CPU
    # than the rest of the page's reads).
    seqs, over = {}, {}
    if payments and current is not None:
        for payment_id, seq, amount in PaymentAllocation.objects.filter(
            payment__loan=loan, plan=current
        ).values_list("payment_id", "instalment__seq", "amount"):
            if seq is None:
                over[payment_id] = over.get(payment_id, 0) + amount
            else:
                seqs.setdefault(payment_id, []).append(seq)
    # One reverse() for the page's reversal forms instead of one per payment.
    head, tail = reverse("loans:payment_reverse", args=[loan.pk, 0]).rsplit("/0/", 1)
    for payment in payments:
        payment.reverse_url = f"{head}/{payment.pk}/{tail}"
        payment.seqs = sorted(seqs.get(payment.pk, ()))
        payment.over = over.get(payment.pk, 0)
        payment.is_reversed = hasattr(payment, "reversal")
    refund_list = list(
        Refund.objects.filter(loan=loan)
        .select_related("registered_by", "reversal__reversed_by")
        .order_by("-paid_on", "-id")
    )
    head, tail = reverse("loans:refund_reverse", args=[loan.pk, 0]).rsplit("/0/", 1)
    for refund in refund_list:
        refund.reverse_url = f"{head}/{refund.pk}/{tail}"
        refund.is_reversed = hasattr(refund, "reversal")
    balance = getattr(loan, "balance", None)
    overdue = [i for i in instalments if i.status == "overdue"]
    days = (today - overdue[0].due_date).days if overdue else 0
    return {
        "loan": loan,
        "plans": plans,
        "current_plan": current,
        "instalments": instalments,
        "payments": payments,
        "refunds": refund_list,
        "balance": balance,
        "held_overpayment": balance.held_overpayment if balance else 0,
        # Refunded more than is now overpaid (a payment reversed after the
        # refund): the borrower owes this back.
        "owed_back": -balance.held_overpayment if balance and balance.held_overpayment < 0 else 0,
        "days_past_due": days,
        "bucket": bucket(days),
        "overdue_amount": sum((i.short for i in overdue), 0),
        "reminders": list(loan.reminders.select_related("instalment").order_by("-sent_on")[:50]),
        "reschedules": list(loan.reschedules.select_related("decided_by", "new_plan")),
        "definitions": DEFINITIONS,
    }


def _repayment_loan(pk) -> Loan:
    return get_object_or_404(
        Loan.objects.select_related("citizen", "case", "municipality", "balance"), pk=pk
    )


def _repayment_page(
    request, loan, *, refund_form=None, payment_form=None, reschedule_form=None, status=200
):
    today = timezone.localdate()
    context = repayment_context(loan, today)
    context.update(
        plan_rows=plan_table.repayment_page_rows(context["instalments"]),
        payment_rows=plan_table.repayment_payment_rows(context["payments"], get_token(request)),
        payment_form=payment_form or PaymentForm(initial={"value_date": today}),
        payment_form_day=today.isoformat(),
        reversal_form=ReversalForm(),
        reschedule_form=reschedule_form or RescheduleForm(),
        refund_form=refund_form
        or RefundForm(
            initial={
                "amount": context["held_overpayment"] if context["held_overpayment"] > 0 else None,
                "paid_on": today,
                "account": loan.bank_account,
            }
        ),
        can_register=loan.state in repayment.PAYABLE_STATES,
        # The form stays while it has errors to show, even if nothing is held.
        can_refund=loan.state in repayment.PAYABLE_STATES
        and (context["held_overpayment"] > 0 or refund_form is not None),
        is_lead=has_role(request.user, Role.TEAM_LEAD),
    )
    return render(request, "loans/repayment/loan_repayment.html", context, status=status)


@role_required(*STAFF_ROLES)
def loan_repayment(request, pk):
    return _repayment_page(request, _repayment_loan(pk))


def _refused(request, exc: LoanRefused):
    for reason in exc.reasons:
        messages.error(request, reason)


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
@role_required(*STAFF_ROLES)
def payment_register(request, pk):
    loan = _loan(pk)
    form = PaymentForm(request.POST)
    # Errors beside the fields and in the summary, with what was typed kept.
    if not form.is_valid():
        return _repayment_page(request, _repayment_loan(pk), payment_form=form, status=400)
    try:
        payment = repayment.register_payment(actor=request.user, loan=loan, **form.cleaned_data)
    except LoanRefused as exc:
        for reason in exc.reasons:
            form.add_error(None, reason)
        return _repayment_page(request, _repayment_loan(pk), payment_form=form, status=400)
    else:
        messages.success(
            request,
            _("Indbetalingen er registreret og fordelt.")
            + (
                " " + _("Den er registreret som inddrivelse efter afskrivning.")
                if payment.is_recovery
                else ""
            ),
        )
    return redirect("loans:repayment", pk=loan.pk)


@require_POST
@role_required(*STAFF_ROLES)
def payment_reverse(request, pk, payment_pk):
    loan = _loan(pk)
    payment = get_object_or_404(Payment, pk=payment_pk, loan=loan)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("loans:repayment", pk=loan.pk)
    try:
        repayment.reverse_payment(
            actor=request.user, payment=payment, reason=form.cleaned_data["reason"]
        )
    except LoanRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Indbetalingen er tilbageført, og de senere er fordelt igen."))
    return redirect("loans:repayment", pk=loan.pk)


@require_POST
@role_required(*STAFF_ROLES)
def refund_register(request, pk):
    """Held overpayment paid back: the same staff who register payments.
    Errors are shown beside the fields with the input kept (status 400)."""
    loan = _repayment_loan(pk)
    form = RefundForm(request.POST)
    if not form.is_valid():
        return _repayment_page(request, loan, refund_form=form, status=400)
    try:
        refunds.register_refund(actor=request.user, loan=loan, **form.cleaned_data)
    except refunds.RefundRefused as exc:
        for field, reasons in exc.by_field.items():
            for reason in reasons:
                form.add_error(field if field in form.fields else None, reason)
        return _repayment_page(request, loan, refund_form=form, status=400)
    done = _("Tilbagebetalingen er registreret.")
    if form.cleaned_data["send_letter"]:
        done += " " + _("Brevet til låntageren er bestilt.")
    messages.success(request, done)
    return redirect("loans:repayment", pk=loan.pk)


@require_POST
@role_required(*STAFF_ROLES)
def refund_reverse(request, pk, refund_pk):
    loan = _loan(pk)
    refund = get_object_or_404(Refund, pk=refund_pk, loan=loan)
    form = RefundReversalForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("loans:repayment", pk=loan.pk)
    try:
        refunds.reverse_refund(
            actor=request.user, refund=refund, reason=form.cleaned_data["reason"]
        )
    except LoanRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Tilbagebetalingen er tilbageført."))
    return redirect("loans:repayment", pk=loan.pk)


@require_POST
@role_required(Role.TEAM_LEAD)
def loan_reschedule(request, pk):
    loan = _loan(pk)
    form = RescheduleForm(request.POST)
    # Errors beside the fields and in the summary, with the reasons typed kept.
    if not form.is_valid():
        return _repayment_page(request, _repayment_loan(pk), reschedule_form=form, status=400)
    try:
        repayment.reschedule_loan(actor=request.user, loan=loan, **form.cleaned_data)
    except LoanRefused as exc:
        for reason in exc.reasons:
            form.add_error(None, reason)
        return _repayment_page(request, _repayment_loan(pk), reschedule_form=form, status=400)
    messages.success(request, _("Den nye afdragsplan gælder nu. Afgørelsesbrevet er bestilt."))
    return redirect("loans:repayment", pk=loan.pk)


# --- the payments inbox ---------------------------------------------------------------


@role_required(*STAFF_ROLES)
def payments_inbox(request):
    """The matching queue, newest import first, and the upload form."""
    queue = StatementLine.objects.filter(status=LineStatus.QUEUED).order_by("booking_date", "pk")
    page = Paginator(queue, 50).get_page(request.GET.get("side"))
    imports = StatementImport.objects.select_related("imported_by")[:10]
    return render(
        request,
        "loans/repayment/payments_inbox.html",
        {
            "page": page,
            "lines": page.object_list,
            "imports": imports,
            "upload_form": StatementUploadForm(),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def statement_upload(request):
    form = StatementUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("loans:payments_inbox")
    upload = form.cleaned_data["file"]
    try:
        record = import_statement(
            actor=request.user,
            municipality_id=request_municipality(request).pk,
            filename=upload.name,
            data=upload.read(),
        )
    except StatementError as exc:
        messages.error(request, _("Filen er ikke indlæst: %(problem)s") % {"problem": exc})
    else:
        messages.success(
            request,
            _("Kontoudtoget er indlæst: %(registered)s registreret, %(queued)s til matchning.")
            % {"registered": record.registered, "queued": record.queued}
            + (
                " "
                + ngettext(
                    "%(count)s linje var allerede indlæst fra denne eller en tidligere fil "
                    "(CSV eller camt.053) og er sprunget over.",
                    "%(count)s linjer var allerede indlæst fra denne eller en tidligere fil "
                    "(CSV eller camt.053) og er sprunget over.",
                    record.duplicates,
                )
                % {"count": record.duplicates}
                if record.duplicates
                else ""
            ),
        )
    return redirect("loans:payments_inbox")


def _search_loans(q: str):
    q = (q or "").strip()
    if not q:
        return Loan.objects.none()
    found = Loan.objects.filter(state__in=repayment.PAYABLE_STATES).select_related(
        "citizen", "case"
    )
    digits = "".join(ch for ch in q if ch.isdigit())
    condition = Q(case__case_number__icontains=q)
    if digits and len(digits) >= 4:
        condition |= Q(payment_id__contains=digits)
    for word in q.split()[:3]:
        condition |= Q(citizen__first_name__icontains=word) | Q(citizen__last_name__icontains=word)
    return found.filter(condition).order_by("-disbursed_on", "pk")[:20]


@role_required(*STAFF_ROLES)
def statement_line(request, pk):
    line = get_object_or_404(StatementLine.objects.select_related("statement"), pk=pk)
    form = LoanSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "loans/repayment/statement_line.html",
        {
            "line": line,
            "search_form": form,
            "results": list(_search_loans(q)) if q else [],
            "q": q,
            "dismiss_form": DismissForm(),
        },
    )


@require_POST
@role_required(*STAFF_ROLES)
def line_assign(request, pk):
    line = get_object_or_404(StatementLine, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vælg et lån."))
        return redirect("loans:statement_line", pk=line.pk)
    loan = get_object_or_404(Loan, pk=form.cleaned_data["loan"])
    try:
        assign_line(actor=request.user, line=line, loan=loan)
    except LoanRefused as exc:
        _refused(request, exc)
        return redirect("loans:statement_line", pk=line.pk)
    messages.success(request, _("Linjen er registreret som indbetaling på lånet."))
    return redirect("loans:payments_inbox")


@require_POST
@role_required(*STAFF_ROLES)
def line_dismiss(request, pk):
    line = get_object_or_404(StatementLine, pk=pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("loans:statement_line", pk=line.pk)
    try:
        dismiss_line(actor=request.user, line=line, reason=form.cleaned_data["reason"])
    except LoanRefused as exc:
        _refused(request, exc)
        return redirect("loans:statement_line", pk=line.pk)
    messages.success(request, _("Linjen er afvist."))
    return redirect("loans:payments_inbox")


# --- the loan book --------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def loan_book(request):
    today = timezone.localdate()
    form = BookFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    figures = book.loan_book(Loan.objects.all(), today, key=())
    rows = book.book_rows(
        Loan.objects.all(), today, bucket=filters.get("bucket", ""), state=filters.get("state", "")
    )
    page = Paginator(rows.values(*book.LIST_FIELDS), 50).get_page(request.GET.get("side"))
    loans = book.list_rows(page.object_list, today)
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "loans/repayment/loan_book.html",
        {
            "book": figures,
            "form": form,
            "page": page,
            "loans": loans,
            "loan_rows": book.list_rows_html(loans),
            "definitions": DEFINITIONS,
            "querystring": query.urlencode(),
        },
    )


@role_required(*STAFF_ROLES)
def loan_book_csv(request):
    today = timezone.localdate()
    form = BookFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = book.book_rows(
        Loan.objects.all(), today, bucket=filters.get("bucket", ""), state=filters.get("state", "")
    )
    states = dict(LoanState.choices)
    return csv_response(
        f"laaneportefoelje-{today.isoformat()}.csv",
        [
            _("Betalings-id"),
            _("Journalnummer"),
            _("Låntager"),
            _("Status"),
            _("Udbetalt"),
            _("Lånebeløb"),
            _("Restgæld"),
            _("Dage i restance"),
            _("Restance"),
            _("Overskydende til tilbagebetaling"),
        ],
        (
            [
                loan.payment_id,
                loan.case.case_number,
                loan.citizen.full_name,
                str(states.get(loan.state, loan.state)),
                loan.disbursed_on.isoformat() if loan.disbursed_on else "",
                loan.principal,
                loan.outstanding,
                book.days_past_due(loan.overdue_since, today),
                loan.bucket if loan.state == LoanState.DISBURSED else "",
                Decimal(loan.held_overpayment).quantize(Decimal("0.01")),
            ]
            for loan in rows.iterator(chunk_size=2000)
        ),
    )


@role_required(Role.TEAM_LEAD)
def repayment_settings(request):
    municipality = request_municipality(request)
    instance = RepaymentSettings.for_municipality(municipality.pk)
    form = RepaymentSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        repayment.save_settings(
            actor=request.user,
            municipality=municipality,
            settings=form.save(commit=False),
            csv_columns=form.csv_columns(),
        )
        messages.success(request, _("Indstillingerne er gemt."))
        return redirect("loans:repayment_settings")
    return render(request, "loans/repayment/settings.html", {"form": form})


# --- the borrower's statement of account ----------------------------------------------


@role_required(Role.CITIZEN)
def portal_statement(request, pk):
    """The borrower's statement of account (kontoudtog) as a PDF: what is
    paid, what is left, each payment and each instalment still short."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils import translation

    from mikrolaan.letters.rendering import html_to_pdf

    loan = get_object_or_404(
        Loan.objects.select_related("citizen", "municipality", "balance"),
        pk=pk,
        citizen__user=request.user,
        state__in=repayment.PAYABLE_STATES,
    )
    today = timezone.localdate()
    context = repayment_context(loan, today)
    context.update(municipality=loan.municipality, today=today)
    with translation.override("da"):
        html = render_to_string("loans/repayment/statement_pdf.html", context)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kontoudtog-{loan.payment_id}.pdf"'
    return response
