"""The loans app's letters: the support decisions (grant, refusal, end
outside screening 4), the loan's approval decision, the loan agreement with
its repayment plan and FI line, and the request for self-evaluation.

Each function builds the context the kind's contract names (see
``loans.letter_kinds`` and ``mikrolaan.letters.kinds``) and runs inside the
transaction of the decision it is about."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from mikrolaan.formatting import dansk_dato, format_kr
from mikrolaan.letters.services import request_letter

from .models import Loan, SupportEndReason, SupportGrant


def _period(start: datetime.date, end: datetime.date) -> str:
    return f"{dansk_dato(start)} – {dansk_dato(end)}"


def running_loan_text(has_loan: bool) -> str:
    """What happens to a running loan when support or the case ends."""
    if not has_loan:
        return ""
    return _(
        "Dit mikrolån skal stadig betales tilbage efter låneaftalen. Lånet er fortsat rente- "
        "og gebyrfrit, og afdragene fortsætter som aftalt. Kontakt os, hvis du har brug for at "
        "tale om afdragene."
    )


def send_support_grant(grant: SupportGrant, *, author, facts: str, reasons: str, scheme):
    decision = _(
        "Vi har besluttet at give dig tilskud til forsørgelse, mens du etablerer din "
        "virksomhed. Tilskuddet gives i %(months)s måneder fra virksomhedens start den "
        "%(start)s til og med den %(end)s."
    ) % {
        "months": grant.months,
        "start": dansk_dato(grant.starts_on),
        "end": dansk_dato(grant.ends_on),
    }
    decision += "\n\n" + _(
        "Tilskuddet kan forlænges med %(lo)s–%(hi)s måneder ad gangen, i alt højst %(cap)s "
        "måneder, efter en selvevaluering (4. screening)."
    ) % {
        "lo": scheme.extension_step_min_months,
        "hi": scheme.extension_step_max_months,
        "cap": scheme.extension_cap_months,
    }
    return request_letter(
        kind="support_decision",
        case=grant.case,
        author=author,
        context={
            "title": _("Afgørelse om tilskud til forsørgelse"),
            "decision": decision,
            "decided_on": timezone.localdate().isoformat(),
            "period": _period(grant.starts_on, grant.ends_on),
            "amount": None,
            "facts": facts,
            "considerations": reasons,
            "legal_basis": scheme.legal_basis_support,
        },
    )


def send_support_refusal(case, *, author, what: str, rule: str, facts: str, reasons: str, scheme):
    """An adverse decision: what was asked for, the scheme's rule that stops
    it (named), the facts and the considerations; the complaints section
    comes with every decision."""
    return request_letter(
        kind="decision",
        case=case,
        author=author,
        context={
            "title": _("Afgørelse: afslag på tilskud til forsørgelse"),
            "decision": _("Vi har besluttet at give dig afslag på %(what)s.") % {"what": what}
            + "\n\n"
            + rule,
            "decided_on": timezone.localdate().isoformat(),
            "period": "",
            "amount": None,
            "facts": facts,
            "considerations": reasons,
            "legal_basis": scheme.legal_basis_support,
        },
    )


END_REASON_TEXT = {
    SupportEndReason.SELF_SUPPORTING: _("fordi du nu kan forsørge dig selv ved din virksomhed"),
    SupportEndReason.BUSINESS_STOPPED: _("fordi din virksomhed er stoppet"),
    SupportEndReason.WITHDRAWN: _(
        "fordi du er fraflyttet kommunen eller er udtrådt af mikrolånsforløbet"
    ),
}


def send_support_end(
    grant: SupportGrant, *, author, ended_on, reason: str, facts: str, reasons: str, has_loan: bool
):
    """The end of support outside screening 4 (moved away, withdrawn): an
    adverse decision with the right to complain, and what happens to a
    running loan."""
    scheme = grant.case.municipality.current_scheme()
    decision = _(
        "Vi har besluttet, at dit tilskud til forsørgelse ophører den %(day)s, %(why)s."
    ) % {
        "day": dansk_dato(ended_on),
        "why": END_REASON_TEXT[reason],
    }
    loan_text = running_loan_text(has_loan)
    if loan_text:
        decision += "\n\n" + loan_text
    return request_letter(
        kind="decision",
        case=grant.case,
        author=author,
        context={
            "title": _("Afgørelse om ophør af tilskud til forsørgelse"),
            "decision": decision,
            "decided_on": timezone.localdate().isoformat(),
            "period": _period(grant.starts_on, ended_on),
            "amount": None,
            "facts": facts,
            "considerations": reasons,
            "legal_basis": scheme.legal_basis_support,
        },
    )


def send_loan_approval(loan: Loan, *, author):
    """The decision to grant the loan, on the terms kept at approval."""
    terms = loan.terms
    decision = _(
        "Vi har besluttet at give dig et rente- og gebyrfrit mikrolån på %(amount)s til "
        "etablering af din virksomhed. Lånet betales tilbage over %(term)s måneder. Den første "
        "rate forfalder i måneden efter udbetalingen."
    ) % {"amount": format_kr(loan.principal), "term": loan.term_months}
    decision += "\n\n" + _(
        "Du får låneaftalen med hele afdragsplanen og indbetalingsoplysningerne, når lånet "
        "bliver udbetalt til din konto."
    )
    return request_letter(
        kind="decision",
        case=loan.case,
        author=author,
        context={
            "title": _("Afgørelse om mikrolån"),
            "decision": decision,
            "decided_on": timezone.localtime(loan.approved_at).date().isoformat(),
            "period": _("%(n)s måneder") % {"n": loan.term_months},
            "amount": str(loan.principal),
            "facts": _(
                "Mikrolånsteamet har indstillet dig til et lån på %(amount)s efter den 3. "
                "screening, og lånet er godkendt af en teamleder."
            )
            % {"amount": format_kr(loan.principal)},
            "considerations": _(
                "Vi har lagt vægt på teamets vurdering af din forretningsplan, dine budgetter "
                "og dit forløb, som den står i indstillingen."
            ),
            "legal_basis": terms.get("legal_basis_loan", ""),
        },
    )


def agreement_context(loan: Loan, plan, instalments) -> dict:
    return {
        "principal": str(loan.principal),
        "term_months": plan.term_months,
        "disbursed_on": loan.disbursed_on.isoformat(),
        "due_day": plan.due_day,
        "payment_id": loan.payment_id,
        "creditor_number": loan.municipality.fi_creditor_number,
        "bank_account": loan.bank_account,
        "legal_basis": loan.terms.get("legal_basis_loan", ""),
        "scheme_name": loan.terms.get("name", ""),
        "instalments": [[i.seq, i.due_date.isoformat(), str(i.amount)] for i in instalments],
    }


def send_loan_agreement(loan: Loan, plan, instalments, *, author):
    return request_letter(
        kind="loan_agreement",
        case=loan.case,
        recipient=loan.citizen,
        author=author,
        context=agreement_context(loan, plan, instalments),
    )


def send_self_evaluation_request(grant: SupportGrant, *, deadline: datetime.date):
    return request_letter(
        kind="self_evaluation_request",
        case=grant.case,
        author=None,
        context={"ends_on": grant.ends_on.isoformat(), "deadline": deadline.isoformat()},
    )
