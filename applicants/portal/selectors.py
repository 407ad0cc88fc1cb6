"""Reads of the portal: the citizen's forms with their next step, a form's
versions with what changed, and the budget summary the screenings read."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from ..models import CLOSED_STAGES, Case
from . import budget
from .definitions import DEFINITIONS, FormKind
from .models import Attachment, FormStatus, FormVersion, PortalForm, SectionComment
from .services import can_edit, is_open_for


@dataclass
class FormEntry:
    definition: object
    form: PortalForm | None
    is_open: bool

    @property
    def status(self) -> str:
        return self.form.status if self.form else ""

    @property
    def started(self) -> bool:
        return bool(self.form and (self.form.draft or self.form.status != FormStatus.DRAFT))

    @property
    def needs_action(self) -> bool:
        return self.is_open and (
            self.form is None
            or self.form.status
            in (
                FormStatus.DRAFT,
                FormStatus.SENT_BACK,
            )
        )


def forms_for_case(case: Case) -> list[FormEntry]:
    """Every form kind of a case, in the handbook's order, open or not."""
    forms = {
        f.kind: f
        for f in PortalForm.objects.filter(case=case).only(
            "id",
            "kind",
            "status",
            "draft",
            "draft_saved_at",
            "case_id",
            "citizen_id",
            "municipality_id",
        )
    }
    return [FormEntry(d, forms.get(d.kind), is_open_for(case, d)) for d in DEFINITIONS.values()]


def next_form(entries: list[FormEntry]) -> FormEntry | None:
    """The next thing to do: a form sent back first, then the first open one
    not yet sent."""
    sent_back = [e for e in entries if e.is_open and e.status == FormStatus.SENT_BACK]
    if sent_back:
        return sent_back[0]
    return next((e for e in entries if e.needs_action), None)


def versions_of(form: PortalForm) -> list[FormVersion]:
    return list(
        form.versions.select_related("submitted_by", "reviewed_by").prefetch_related(
            Prefetch("comments", queryset=SectionComment.objects.select_related("author")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
        )
    )


@dataclass
class SectionView:
    key: str
    title: str
    rows: list  # dicts: label, value, previous, changed
    comments: list


def sections(version: FormVersion, previous: FormVersion | None = None) -> list[SectionView]:
    """A version's answers per section, with the previous version's answer
    beside each and whether it changed."""
    comments = {}
    for c in version.comments.all():
        comments.setdefault(c.section, []).append(c)
    result = []
    prev_answers = previous.answers if previous else {}
    for step in version.questions:
        rows = []
        for q in step["questions"]:
            keys = (
                [f"{q['key']}__m{i}" for i in range(1, 13)]
                if q["kind"] == "monthly"
                else [q["key"]]
            )
            value = " · ".join(version.answers.get(k, "") or "" for k in keys).strip(" ·")
            old = " · ".join(prev_answers.get(k, "") or "" for k in keys).strip(" ·")
            rows.append(
                {
                    "key": q["key"],
                    "kind": q["kind"],
                    "label": q["label"],
                    "value": [version.answers.get(k, "") for k in keys]
                    if q["kind"] == "monthly"
                    else version.answers.get(q["key"], ""),
                    "previous": old,
                    "changed": previous is not None and value != old,
                }
            )
        result.append(SectionView(step["key"], step["title"], rows, comments.get(step["key"], [])))
    return result


# --- the screenings' view of the budgets (SPEC §4, screening 3) ---------------------


@dataclass
class BudgetSummary:
    """What the screening-3 form shows at a glance. Figures come from the
    latest submitted version of each budget (``*_version`` is its number, or
    None when nothing is submitted: then the figures are the draft's and
    ``from_draft`` says so)."""

    loan_need: Decimal
    establishment_need: Decimal
    own_funds: Decimal
    yearly_income: Decimal
    yearly_costs: Decimal
    yearly_result: Decimal
    vat_payable: Decimal
    loan_maximum: Decimal
    establishment_version: int | None
    operating_version: int | None
    from_draft: bool
    establishment: object
    operating: object

    @property
    def within_maximum(self) -> bool:
        return self.loan_need <= self.loan_maximum

    @property
    def covers_costs(self) -> bool:
        """A first rough realism check: the year's sales pay the year's costs."""
        return self.yearly_result >= 0


def _latest_answers(case: Case, kind) -> tuple[dict, int | None, bool]:
    form = PortalForm.objects.filter(case=case, kind=str(kind)).first()
    if form is None:
        return {}, None, True
    version = form.versions.order_by("-number").first()
    if version is None:
        return form.draft, None, True
    return version.answers, version.number, False


def budget_summary(case: Case) -> BudgetSummary:
    est_answers, est_version, est_draft = _latest_answers(case, FormKind.ESTABLISHMENT_BUDGET)
    op_answers, op_version, op_draft = _latest_answers(case, FormKind.OPERATING_BUDGET)
    est = budget.establishment(est_answers)
    op = budget.operating(op_answers)
    return BudgetSummary(
        loan_need=est.loan_need,
        establishment_need=est.need,
        own_funds=est.own_funds,
        yearly_income=op.income,
        yearly_costs=op.costs,
        yearly_result=op.result,
        vat_payable=op.vat_payable,
        loan_maximum=case.municipality.current_scheme().loan_maximum,
        establishment_version=est_version,
        operating_version=op_version,
        from_draft=est_draft or op_draft,
        establishment=est,
        operating=op,
    )


def citizen_case(user) -> Case | None:
    cases = Case.objects.filter(citizen__user=user).select_related("citizen", "municipality")
    return cases.exclude(stage__in=CLOSED_STAGES).first() or cases.first()


__all__ = ["budget_summary", "can_edit", "citizen_case", "forms_for_case", "next_form"]
