"""Writes to schemes, support grants and loans."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import Case
from mikrolaan.audit import record_event
from mikrolaan.formatting import format_kr
from mikrolaan.models import Scheme

from . import letters, support
from .models import (
    OPEN_STATES,
    Instalment,
    Loan,
    LoanState,
    LoanTransition,
    RepaymentPlan,
    SupportDecision,
    SupportDecisionKind,
    SupportEndReason,
    SupportGrant,
    SupportState,
)
from .schedule import random_payment_id, repayment_schedule

SCHEME_FIELDS = [
    "name",
    "legal_basis_support",
    "legal_basis_loan",
    "legal_basis_text",
    "loan_maximum",
    "recommended_minimum",
    "recommended_maximum",
    "term_months",
    "support_months",
    "extension_cap_months",
    "extension_step_min_months",
    "extension_step_max_months",
    "complaints_text",
    "access_text",
]


@transaction.atomic
def update_scheme(
    *, scheme: Scheme, actor, data: dict, confirm_legal_texts: bool = False
) -> Scheme:
    """Change a scheme's legal references or limits. Validates the whole
    record, and writes one audit row listing each changed field with its old
    and new value; nothing is written when nothing changed.

    ``confirm_legal_texts``: the actor confirms that the legal references and
    texts are current law (recorded with who and when). A change of any legal
    text without that confirmation takes an earlier confirmation away."""
    obj = Scheme.objects.select_for_update().get(pk=scheme.pk)
    changes = {}
    for field in SCHEME_FIELDS:
        if field not in data:
            continue
        old, new = getattr(obj, field), data[field]
        if old != new:
            changes[field] = [str(old), str(new)]
            setattr(obj, field, new)
    extra = []
    if confirm_legal_texts:
        obj.legal_texts_confirmed_at = timezone.now()
        obj.legal_texts_confirmed_by = actor
        extra = ["legal_texts_confirmed_at", "legal_texts_confirmed_by"]
        changes["legal_texts_confirmed"] = ["", obj.legal_texts_confirmed_at.isoformat()]
    elif obj.legal_texts_confirmed_at and set(changes) & set(Scheme.LEGAL_TEXT_FIELDS):
        obj.legal_texts_confirmed_at = None
        obj.legal_texts_confirmed_by = None
        extra = ["legal_texts_confirmed_at", "legal_texts_confirmed_by"]
    if not changes:
        return obj
    obj.full_clean()
    obj.save(
        update_fields=[*(c for c in changes if c != "legal_texts_confirmed"), *extra, "updated_at"]
    )
    record_event(
        actor=actor,
        action="scheme.changed",
        obj=obj,
        data={"changed_fields": sorted(changes), "changes": changes},
    )
    return obj


# --- loans -----------------------------------------------------------------------------


class LoanRefused(Exception):
    """A loan action whose rules do not hold; ``reasons`` are Danish sentences."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = [str(r) for r in reasons]


def new_payment_id(*, taken: set[str] | None = None) -> str:
    """A +71 payment id not used by any loan in the installation (nor in
    ``taken``, ids handed out but not yet saved)."""
    from mikrolaan.tenancy import unscoped

    for _attempt in range(20):
        candidate = random_payment_id()
        if taken is not None and candidate in taken:
            continue
        with unscoped():
            if not Loan.objects.filter(payment_id=candidate).exists():
                return candidate
    raise RuntimeError("Could not find a free payment id")  # 10^14 ids: never in practice


def scheme_terms(scheme: Scheme) -> dict:
    """The scheme's terms as they stand: kept on the loan at approval."""
    return {
        "scheme": scheme.pk,
        "name": scheme.name,
        "legal_basis_loan": scheme.legal_basis_loan,
        "loan_maximum": str(scheme.loan_maximum),
        "recommended_minimum": str(scheme.recommended_minimum),
        "recommended_maximum": str(scheme.recommended_maximum),
        "term_months": scheme.term_months,
        "interest": "0",
        "fees": "0",
    }


def principal_problems(principal, scheme: Scheme) -> list[str]:
    problems = []
    if principal is None or principal < 1:
        problems.append(_("Skriv lånebeløbet."))
    elif principal != principal.to_integral_value():
        problems.append(_("Lånet er i hele kroner."))
    elif principal > scheme.loan_maximum:
        problems.append(
            _("Lånet må højst være %(max)s kr. efter ordningen.")
            % {"max": format_kr(scheme.loan_maximum, suffix=False)}
        )
    return problems


def range_warning(principal, scheme: Scheme) -> str:
    """A warning, not an error: outside the scheme's recommended range."""
    if principal is None:
        return ""
    if principal < scheme.recommended_minimum or principal > scheme.recommended_maximum:
        return _("Beløbet ligger uden for ordningens anbefalede interval (%(lo)s–%(hi)s kr.).") % {
            "lo": format_kr(scheme.recommended_minimum, suffix=False),
            "hi": format_kr(scheme.recommended_maximum, suffix=False),
        }
    return ""


def _history(loan: Loan, *, actor, transition: str, from_state: str, reason: str = "", data=None):
    LoanTransition.objects.create(
        loan=loan,
        actor=actor,
        transition=transition,
        from_state=from_state,
        to_state=loan.state,
        reason=reason,
    )
    record_event(
        actor=actor,
        action=f"loan.{transition}",
        obj=loan,
        from_state=from_state,
        to_state=loan.state,
        reason=reason,
        data=data or {},
    )


@transaction.atomic
def recommend_loan(*, actor, case: Case, principal: Decimal, screening=None) -> Loan:
    """The team's recommendation (indstilling) of a loan, made at screening 3:
    a loan in state *recommended*, within the scheme's maximum. The person
    recommending may not approve it later (four eyes)."""
    scheme = case.municipality.current_scheme()
    principal = Decimal(principal) if principal is not None else None
    problems = principal_problems(principal, scheme)
    if Loan.objects.filter(case=case, state__in=OPEN_STATES).exists():
        problems.append(_("Forløbet har allerede et lån, der ikke er afsluttet."))
    if problems:
        raise LoanRefused(problems)
    loan = Loan(
        case=case,
        citizen_id=case.citizen_id,
        screening=screening,
        principal=principal,
        term_months=scheme.term_months,
        payment_id=new_payment_id(),
        recommended_by=actor,
        recommended_at=timezone.now(),
    )
    loan.full_clean(exclude=["state", "letter"])
    loan.save()
    LoanTransition.objects.create(
        loan=loan,
        actor=actor,
        transition="recommend",
        from_state="",
        to_state=loan.state,
    )
    record_event(
        actor=actor,
        action="loan.recommended",
        obj=loan,
        to_state=loan.state,
        data={
            "case": case.pk,
            "principal": str(principal),
            "screening": getattr(screening, "pk", None),
        },
    )
    return loan


def build_plan(
    *, loan: Loan, actor, starts_after: datetime.date, reason: str = ""
) -> RepaymentPlan:
    """A new current plan for the loan (version 1 at payout; a rescheduling
    makes the next version and the old one stays as history). Inside the
    caller's transaction."""
    previous = RepaymentPlan.objects.select_for_update().filter(loan=loan, is_current=True).first()
    version = 1
    if previous is not None:
        version = previous.version + 1
        RepaymentPlan.objects.filter(pk=previous.pk).update(is_current=False)
    rows = repayment_schedule(loan.principal, loan.term_months, starts_after, loan.due_day)
    plan = RepaymentPlan.objects.create(
        loan=loan,
        version=version,
        is_current=True,
        principal=loan.principal,
        term_months=len(rows),
        starts_after=starts_after,
        due_day=loan.due_day,
        reason=reason,
        created_by=actor,
    )
    Instalment.objects.bulk_create(
        Instalment(
            municipality_id=loan.municipality_id,
            plan=plan,
            seq=row.seq,
            due_date=row.due_date,
            amount=row.amount,
        )
        for row in rows
    )
    return plan


def approval_problems(loan: Loan, actor) -> list[str]:
    """Why ``actor`` may not approve the loan: four eyes (a team lead, never
    the person who recommended it) and the scheme's maximum as it stands."""
    from mikrolaan.roles import Role, has_role

    problems = []
    if loan.state != LoanState.RECOMMENDED:
        problems.append(_("Lånet er ikke indstillet til godkendelse."))
    if not has_role(actor, Role.TEAM_LEAD):
        problems.append(_("Et lån godkendes af en teamleder."))
    if actor is not None and actor.pk == loan.recommended_by_id:
        problems.append(
            _("Du har selv indstillet lånet. En anden teamleder skal godkende det (fire øjne).")
        )
    problems += principal_problems(loan.principal, loan.municipality.current_scheme())
    return problems


def _lock(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().select_related("municipality").get(pk=loan.pk)


def _run(loan: Loan, transition: str, *, actor, reason: str = "", data=None) -> Loan:
    """Run one transition of the loan's machine and write its history; the
    caller has set the transition's own fields and holds the row lock."""
    from_state = loan.state
    getattr(loan, transition)()
    loan.full_clean(exclude=["state", "letter"])
    loan.save()
    _history(
        loan, actor=actor, transition=transition, from_state=from_state, reason=reason, data=data
    )
    return loan


@transaction.atomic
def approve_loan(*, actor, loan: Loan) -> Loan:
    """A team lead's approval (the second pair of eyes). The loan keeps a
    snapshot of the scheme's terms as they stand now."""
    loan = _lock(loan)
    problems = approval_problems(loan, actor)
    if problems:
        raise LoanRefused(problems)
    scheme = loan.municipality.current_scheme()
    loan.terms = scheme_terms(scheme)
    loan.term_months = scheme.term_months
    loan.approved_by = actor
    loan.approved_at = timezone.now()
    _run(loan, "approve", actor=actor, data={"terms": loan.terms})
    letter = letters.send_loan_approval(loan, author=actor)
    record_event(actor=actor, action="loan.approval_letter", obj=loan, data={"letter": letter.pk})
    return loan


def payout_problems(loan: Loan, disbursed_on: datetime.date | None) -> list[str]:
    problems = []
    if loan.state != LoanState.APPROVED:
        problems.append(_("Kun et godkendt lån kan udbetales."))
    if not loan.has_bank_account:
        problems.append(_("Registrér låntagerens konto i banken, før lånet udbetales."))
    if disbursed_on is None:
        problems.append(_("Skriv udbetalingsdatoen."))
    elif loan.approved_at and disbursed_on < timezone.localtime(loan.approved_at).date():
        problems.append(_("Lånet kan ikke være udbetalt, før det blev godkendt."))
    elif disbursed_on > timezone.localdate() + datetime.timedelta(days=31):
        problems.append(_("Udbetalingsdatoen ligger for langt ude i fremtiden."))
    return problems


@transaction.atomic
def record_payout(*, actor, loan: Loan, disbursed_on: datetime.date) -> Loan:
    """Record the payout (the date, and who confirmed it) and make the
    repayment plan: the first instalment falls due the month after."""
    loan = _lock(loan)
    problems = payout_problems(loan, disbursed_on)
    if problems:
        raise LoanRefused(problems)
    loan.disbursed_on = disbursed_on
    loan.disbursed_by = actor
    _run(loan, "disburse", actor=actor, data={"disbursed_on": disbursed_on.isoformat()})
    plan = build_plan(loan=loan, actor=actor, starts_after=disbursed_on)
    instalments = list(plan.instalments.order_by("seq"))
    loan.letter = letters.send_loan_agreement(loan, plan, instalments, author=actor)
    Loan.objects.filter(pk=loan.pk).update(letter=loan.letter)
    # The balance the loan book and the reminders read (nothing paid yet).
    from .repayment import reallocate

    reallocate([loan.pk], actor=actor)
    return loan


@transaction.atomic
def cancel_loan(*, actor, loan: Loan, reason: str) -> Loan:
    """Cancel a loan before payout, with the reason."""
    loan = _lock(loan)
    reason = (reason or "").strip()
    if loan.state not in (LoanState.RECOMMENDED, LoanState.APPROVED):
        raise LoanRefused([_("Et udbetalt lån kan ikke annulleres.")])
    if not reason:
        raise LoanRefused([_("Skriv en begrundelse.")])
    loan.closed_reason, loan.closed_by, loan.closed_at = reason, actor, timezone.now()
    return _run(loan, "cancel", actor=actor, reason=reason)


@transaction.atomic
def write_off_loan(*, actor, loan: Loan, reason: str) -> Loan:
    """A team lead writes off what is left of a paid-out loan, with reasons."""
    from mikrolaan.roles import Role, has_role

    loan = _lock(loan)
    reason = (reason or "").strip()
    problems = []
    if loan.state != LoanState.DISBURSED:
        problems.append(_("Kun et udbetalt lån kan afskrives."))
    if not has_role(actor, Role.TEAM_LEAD):
        problems.append(_("Et lån afskrives af en teamleder."))
    if not reason:
        problems.append(_("Skriv begrundelsen for afskrivningen."))
    if problems:
        raise LoanRefused(problems)
    loan.closed_reason, loan.closed_by, loan.closed_at = reason, actor, timezone.now()
    return _run(loan, "write_off", actor=actor, reason=reason)


@transaction.atomic
def mark_loan_repaid(*, actor, loan: Loan, repaid_on: datetime.date) -> Loan:
    """The loan is repaid in full (the repayment work calls this when the
    last krone is allocated)."""
    loan = _lock(loan)
    if loan.state != LoanState.DISBURSED:
        raise LoanRefused([_("Kun et udbetalt lån kan være tilbagebetalt.")])
    loan.repaid_on = repaid_on
    return _run(loan, "mark_repaid", actor=actor, data={"repaid_on": repaid_on.isoformat()})


@transaction.atomic
def set_bank_account(*, actor, loan: Loan, reg_no: str, account_no: str) -> Loan:
    """The borrower's account at the partner bank, for the payout."""
    loan = _lock(loan)
    if loan.state not in OPEN_STATES:
        raise LoanRefused([_("Lånet er afsluttet.")])
    if loan.state == LoanState.DISBURSED:
        raise LoanRefused([_("Lånet er udbetalt: kontoen kan ikke ændres her.")])
    old = loan.bank_account
    loan.bank_reg_no, loan.bank_account_no = (reg_no or "").strip(), (account_no or "").strip()
    loan.full_clean(exclude=["state", "letter"])
    loan.save(update_fields=["bank_reg_no", "bank_account_no"])
    # The audit row says that it changed, not the numbers.
    record_event(actor=actor, action="loan.bank_account", obj=loan, data={"had_account": bool(old)})
    return loan


@transaction.atomic
def record_read_access_consent(*, actor, loan: Loan, given_on: datetime.date) -> Loan:
    """The borrower's consent to the team's read access to the account
    ("kig-adgang", handbook p. 9): the date it was given, and who recorded it."""
    loan = _lock(loan)
    if given_on is None or given_on > timezone.localdate():
        raise LoanRefused([_("Skriv den dato, samtykket blev givet (ikke en fremtidig dato).")])
    loan.read_access_consent_on = given_on
    loan.read_access_consent_by = actor
    loan.read_access_consent_at = timezone.now()
    loan.save(
        update_fields=["read_access_consent_on", "read_access_consent_by", "read_access_consent_at"]
    )
    record_event(
        actor=actor, action="loan.read_access_consent", obj=loan, data={"given_on": str(given_on)}
    )
    return loan


# --- subsistence support ---------------------------------------------------------------


class SupportRefused(LoanRefused):
    """A support decision the rules do not allow."""


def running_grant(case: Case) -> SupportGrant | None:
    return SupportGrant.objects.filter(case=case, state=SupportState.GRANTED).first()


def has_running_loan(citizen_id: int) -> bool:
    """A paid-out loan still owed (it outlives any case)."""
    return Loan.objects.filter(citizen_id=citizen_id, state=LoanState.DISBURSED).exists()


def grant_problems(case: Case, starts_on) -> list[str]:
    problems = []
    if not support.is_eligible(case.benefit_type):
        problems.append(support.ineligibility_text(case.benefit_type))
    if running_grant(case) is not None:
        problems.append(_("Forløbet har allerede et løbende tilskud til forsørgelse."))
    if not case.is_open:
        problems.append(_("Forløbet er afsluttet."))
    if starts_on is None:
        problems.append(_("Skriv datoen for virksomhedens start."))
    return problems


@transaction.atomic
def grant_support(*, actor, case: Case, starts_on: datetime.date, facts: str, reasons: str):
    """Grant subsistence support from the business start for the scheme's
    months; the decision letter goes in the same transaction."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    problems = grant_problems(case, starts_on)
    if not (reasons or "").strip():
        problems.append(_("Skriv begrundelsen til borgeren."))
    if problems:
        raise SupportRefused(problems)
    scheme = case.municipality.current_scheme()
    grant = SupportGrant(
        case=case,
        starts_on=starts_on,
        months=scheme.support_months,
        ends_on=support.period_end(starts_on, scheme.support_months),
    )
    grant.full_clean()
    grant.save()
    letter = letters.send_support_grant(
        grant, author=actor, facts=facts.strip(), reasons=reasons.strip(), scheme=scheme
    )
    _support_decision(
        grant=grant,
        case=case,
        actor=actor,
        kind=SupportDecisionKind.GRANT,
        months=grant.months,
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
        facts=facts,
        reasons=reasons,
        letter=letter,
    )
    return grant


def _support_decision(*, grant, case, actor, kind, letter=None, screening=None, **fields):
    decision = SupportDecision.objects.create(
        grant=grant,
        case=case,
        kind=kind,
        decided_by=actor,
        letter=letter,
        screening=screening,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
    )
    record_event(
        actor=actor,
        action=f"support.{kind}",
        obj=case,
        data={
            "grant": getattr(grant, "pk", None),
            "decision": decision.pk,
            "letter": getattr(letter, "pk", None),
            "months": fields.get("months"),
        },
    )
    return decision


def extension_problems(grant: SupportGrant | None, months) -> list[str]:
    if grant is None:
        return [_("Der er intet løbende tilskud at forlænge.")]
    scheme = grant.case.municipality.current_scheme()
    problem = support.extension_problem(months=months, used=grant.extended_months, scheme=scheme)
    return [problem] if problem else []


@transaction.atomic
def extend_support(*, actor, case: Case, months: int, screening=None, letter=None, reasons=""):
    """Extend the running grant by ``months`` within the scheme's step and
    cap. Screening 4 decides extensions and sends their letter (passed in as
    ``letter``); this records the new period."""
    grant = SupportGrant.objects.select_for_update().filter(case=case, state="granted").first()
    problems = extension_problems(grant, months)
    if problems:
        raise SupportRefused(problems)
    start = grant.ends_on + datetime.timedelta(days=1)
    grant.ends_on = support.period_end(start, months)
    grant.extended_months += months
    grant.save(update_fields=["ends_on", "extended_months"])
    _support_decision(
        grant=grant,
        case=case,
        actor=actor,
        kind=SupportDecisionKind.EXTENSION,
        months=months,
        starts_on=start,
        ends_on=grant.ends_on,
        reasons=reasons,
        letter=letter,
        screening=screening,
    )
    return grant


@transaction.atomic
def refuse_support(*, actor, case: Case, months: int | None, facts: str, reasons: str):
    """Refuse a support grant or an extension the scheme does not allow:
    an adverse decision letter that names the rule, states the facts and
    the right to complain."""
    scheme = case.municipality.current_scheme()
    grant = running_grant(case)
    if not (facts or "").strip() or not (reasons or "").strip():
        raise SupportRefused([_("Skriv de oplysninger, vi har lagt vægt på, og begrundelsen.")])
    if grant is None:
        what = _("tilskud til forsørgelse")
        rule = (
            support.ineligibility_text(case.benefit_type)
            if not support.is_eligible(case.benefit_type)
            else ""
        )
    elif not months:
        raise SupportRefused([_("Vælg den forlængelse, borgeren har bedt om.")])
    else:
        what = _("forlængelse af dit tilskud til forsørgelse med %(n)s måneder") % {"n": months}
        rule = support.extension_problem(months=months, used=grant.extended_months, scheme=scheme)
    letter = letters.send_support_refusal(
        case,
        author=actor,
        what=what,
        rule=rule,
        facts=facts.strip(),
        reasons=reasons.strip(),
        scheme=scheme,
    )
    return _support_decision(
        grant=grant,
        case=case,
        actor=actor,
        kind=SupportDecisionKind.REFUSAL,
        months=months,
        facts=facts,
        reasons=reasons,
        letter=letter,
    )


@transaction.atomic
def end_support(
    *,
    actor,
    case: Case,
    ended_on: datetime.date,
    reason: str,
    facts: str = "",
    reasons: str = "",
    screening=None,
    letter=None,
    send_letter: bool = True,
):
    """End the running grant: self-supporting, business stopped, or moved
    away/withdrawn. Screening 4's outcomes pass their own letter; otherwise
    the end is an adverse decision letter that states the right to complain
    and what happens to a running loan. Nothing happens to the loan."""
    grant = SupportGrant.objects.select_for_update().filter(case=case, state="granted").first()
    if grant is None:
        return None
    if reason not in SupportEndReason.values:
        raise SupportRefused([_("Vælg årsagen til, at tilskuddet ophører.")])
    if letter is None and send_letter:
        if not (facts or "").strip():
            raise SupportRefused([_("Skriv de oplysninger, afgørelsen bygger på.")])
        letter = letters.send_support_end(
            grant,
            author=actor,
            ended_on=ended_on,
            reason=reason,
            facts=facts.strip(),
            reasons=reasons.strip(),
            has_loan=has_running_loan(case.citizen_id),
        )
    grant.state = SupportState.ENDED
    grant.ended_on = ended_on
    grant.end_reason = reason
    grant.save(update_fields=["state", "ended_on", "end_reason"])
    _support_decision(
        grant=grant,
        case=case,
        actor=actor,
        kind=SupportDecisionKind.END,
        ends_on=ended_on,
        end_reason=reason,
        facts=facts,
        reasons=reasons,
        letter=letter,
        screening=screening,
    )
    return grant
