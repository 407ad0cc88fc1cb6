"""The demo citizen's forms (seed_demo): a submitted person profile, a draft
business plan and draft budgets, as a baker with a cake business would
write them."""

from .definitions import MONTH_KEYS, FormKind, definition
from .models import FormStatus, FormVersion
from .services import form_for, save_draft, submit_form
from .texts import snapshot

PERSON_PROFILE = {
    "work_experience": "Ti år som bager og konditor i et supermarked. Har bagt bryllupskager "
    "for venner og familie i mange år.",
    "education": "Bagersvend. Kursus i kagedekoration.",
    "competences": "Jeg er god til at bage og pynte kager og til at tale med kunderne.",
    "languages": "Dansk og engelsk",
    "network": "Min søster har en café, og en tidligere kollega er revisor.",
    "motivation": "Jeg vil bestemme selv og lave kager, folk husker.",
    "support_wanted": "Regnskab og priser.",
}
BUSINESS_PLAN = {
    "product": "Bestillingskager: bryllupskager, fødselsdagskager og kager til firmaer.",
    "company_name": "Sofies Kager",
    "legal_form": "enkeltmand",
    "customers": "Brudepar og familier i Aarhus, og et par caféer.",
}
ESTABLISHMENT = {
    "machines": "28.000",
    "furniture": "6.500",
    "it": "4.000",
    "stock": "3.500",
    "launch_marketing": "5.000",
    "deposit": "9.000",
    "own_savings": "5.000",
    "own_equipment": "8.000",
}
OPERATING = {
    **{f"revenue__{m}": "18.000" for m in MONTH_KEYS},
    **{f"goods__{m}": "5.400" for m in MONTH_KEYS},
    "rent": "3.000",
    "utilities": "900",
    "insurance": "350",
    "phone_internet": "300",
    "marketing": "500",
    "loan_repayment": "384",
}


def seed_portal_forms(case, citizen_user) -> None:
    profile = form_for(case, FormKind.PERSON_PROFILE)
    if not profile.versions.exists():
        save_draft(actor=citizen_user, form=profile, values=PERSON_PROFILE)
        submit_form(actor=citizen_user, form=profile)
    for kind, values in (
        (FormKind.BUSINESS_PLAN, BUSINESS_PLAN),
        (FormKind.ESTABLISHMENT_BUDGET, ESTABLISHMENT),
        (FormKind.OPERATING_BUDGET, OPERATING),
    ):
        form = form_for(case, kind)
        if not form.draft:
            save_draft(actor=citizen_user, form=form, values=values)


def seed_person_profile(case, *, submitted_at, reviewed_by) -> None:
    """A person profile sent before the second meeting and accepted by the
    team, for a demo case past it (leaving the second meeting needs one).
    Written directly: the case may already be closed, where the portal
    refuses new answers."""
    form = form_for(case, FormKind.PERSON_PROFILE)
    if form.versions.exists():
        return
    idea = case.business_idea[:1].lower() + case.business_idea[1:]
    answers = {
        "work_experience": f"Flere år inden for {case.industry.lower()}. "
        f"Har prøvet idéen af i det små: {idea}.",
        "education": "Folkeskole og et AMU-kursus.",
        "competences": "Jeg er god til at tale med kunder og til at holde orden i tingene.",
        "languages": "Dansk og engelsk",
        "network": "Familie og en tidligere kollega, der selv har firma.",
        "motivation": "Jeg vil gerne forsørge mig selv med noget, jeg er god til.",
        "support_wanted": "Regnskab, moms og priser.",
    }
    FormVersion.objects.create(
        form=form,
        citizen_id=case.citizen_id,
        number=1,
        answers=answers,
        questions=snapshot(definition(FormKind.PERSON_PROFILE)),
        status=FormStatus.ACCEPTED,
        submitted_at=submitted_at,
        submitted_by=case.citizen.user,
        reviewed_at=submitted_at,
        reviewed_by=reviewed_by,
    )
    form.status = FormStatus.ACCEPTED
    form.draft = answers
    form.save(update_fields=["status", "draft"])
