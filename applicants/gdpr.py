"""The pipeline's personal data and its retention (see mikrolaan.privacy.registry).

A model of this app that leads to a citizen is registered here; a test fails
when one is missing. Screenings, forms, attachments, loans and payments
register theirs in their own app's ``gdpr.py``.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mikrolaan.privacy.registry import (
    Due,
    PersonalData,
    RetentionPolicy,
    register_personal_data,
    register_retention_policy,
    register_subject,
)
from mikrolaan.privacy.retention import (
    ANONYMISED_FIRST_NAME,
    ANONYMISED_LAST_NAME,
    CASE_ANONYMISED,
    is_anonymised,
    pseudonym_cpr,
    years_after,
    years_before,
)

from .models import (
    CLOSED_STAGES,
    Attachment,
    Case,
    CaseTransition,
    Citizen,
    FormVersion,
    Meeting,
    PhoneInterview,
    PortalForm,
    SectionComment,
)

CLOSED_CASE_RULE = "closed_case_retention"


# --- anonymising, source by source ---------------------------------------------------


def anonymise_citizens(rows, *, now) -> int:
    """Name, CPR (a marker that can never be a CPR number), address, phone, e-mail."""
    for pk in rows.values_list("pk", flat=True):
        rows.filter(pk=pk).update(
            first_name=ANONYMISED_FIRST_NAME,
            last_name=ANONYMISED_LAST_NAME,
            cpr=pseudonym_cpr(pk),
            street="",
            postcode="",
            city="",
            phone="",
            email="",
        )
    return rows.count()


def anonymise_logins(rows, *, now) -> int:
    """The citizen's login: deactivated, no name, no e-mail, no usable password."""
    for pk in rows.values_list("pk", flat=True):
        rows.filter(pk=pk).update(
            username=f"anonymiseret-{pk}",
            first_name="",
            last_name="",
            email="",
            is_active=False,
            password=make_password(None),
        )
    return rows.count()


def anonymise_cases(rows, *, now) -> int:
    # Stage, source, benefit type, programme and dates stay: the funnel and
    # the outcome figures are counted from them.
    return rows.update(business_idea="", industry="", referral_reason="")


def anonymise_transitions(rows, *, now) -> int:
    return rows.exclude(reason="").update(reason="")


def anonymise_phone_interviews(rows, *, now) -> int:
    return rows.update(notes="")


def anonymise_meetings(rows, *, now) -> int:
    # The place is free text too (it may be the citizen's home address).
    return rows.update(place="", notes="", next_steps="")


register_subject(Citizen, for_user=lambda user: Citizen.objects.filter(user=user).first())

register_personal_data(
    PersonalData(
        key="citizen",
        title=_("Borger"),
        model=Citizen,
        subject_path="pk",
        exclude=("user",),
        anonymise=anonymise_citizens,
        order=10,
    )
)
register_personal_data(
    PersonalData(
        key="login",
        title=_("Borgerens login"),
        model=get_user_model(),
        subject_path="citizen",
        fields=("username", "first_name", "last_name", "email", "is_active", "date_joined"),
        anonymise=anonymise_logins,
        order=11,
    )
)
register_personal_data(
    PersonalData(
        key="cases",
        title=_("Forløb"),
        model=Case,
        subject_path="citizen",
        case_path="pk",
        anonymise=anonymise_cases,
        order=20,
    )
)
register_personal_data(
    PersonalData(
        key="transitions",
        title=_("Forløbets historik (faseskift)"),
        model=CaseTransition,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_transitions,
        order=21,
    )
)
register_personal_data(
    PersonalData(
        key="phone_interviews",
        title=_("Telefonsamtaler"),
        model=PhoneInterview,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_phone_interviews,
        order=22,
    )
)
register_personal_data(
    PersonalData(
        key="meetings",
        title=_("Møder"),
        model=Meeting,
        subject_path="case__citizen",
        case_path="case",
        anonymise=anonymise_meetings,
        order=23,
    )
)


# --- retention: closed cases ----------------------------------------------------------


def _closed_cases():
    """Closed cases with ``closed_at``: the time of their latest transition
    (the time the stage last changed, for a case without history)."""
    return Case.objects.filter(stage__in=[str(s) for s in CLOSED_STAGES]).annotate(
        closed_at=Coalesce(Max("transitions__at"), "stage_changed_at")
    )


def due_cases(*, now) -> list[Due]:
    """Closed cases whose retention period ran out at ``now`` and that are
    not anonymised yet."""
    years = settings.RETENTION_CLOSED_CASE_YEARS
    rows = (
        _closed_cases()
        .filter(closed_at__lte=years_before(now, years))
        .exclude(is_anonymised(Case, CASE_ANONYMISED))
        .order_by("closed_at", "pk")
        .values_list("pk", "case_number", "citizen_id", "closed_at")
    )
    return [
        Due(
            case_id=pk,
            case_label=number,
            subject_id=citizen_id,
            closed_at=closed_at,
            due_at=years_after(closed_at, years),
        )
        for pk, number, citizen_id, closed_at in rows
    ]


def waiting_cases(*, now) -> int:
    """Closed cases still inside their retention period."""
    years = settings.RETENTION_CLOSED_CASE_YEARS
    return _closed_cases().filter(closed_at__gt=years_before(now, years)).count()


def citizens_complete(citizen_ids: set[int], case_ids: set[int]) -> set[int]:
    """The citizens whose every case is anonymised already or about to be."""
    other = (
        Case.objects.filter(citizen=OuterRef("pk"))
        .exclude(pk__in=case_ids)
        .exclude(is_anonymised(Case, CASE_ANONYMISED))
    )
    return set(
        Citizen.objects.filter(pk__in=citizen_ids)
        .exclude(Exists(other))
        .values_list("pk", flat=True)
    )


register_retention_policy(
    RetentionPolicy(
        name=CLOSED_CASE_RULE,
        description=_(
            "Et afsluttet forløb (selvforsørgende, afsluttet eller udtrådt) anonymiseres, "
            "når opbevaringsperioden er gået fra det seneste faseskift. Borgeren "
            "anonymiseres, når alle borgerens forløb er anonymiseret."
        ),
        case_model=Case,
        due=due_cases,
        subjects_complete=citizens_complete,
        waiting=waiting_cases,
    )
)


# --- the citizen's forms (the portal) --------------------------------------------------


def anonymise_portal_forms(rows, *, now) -> int:
    return rows.update(draft={})


def anonymise_form_versions(rows, *, now) -> int:
    # The number, status and dates stay (how far the citizen got); the answers go.
    return rows.update(answers={}, review_message="")


def anonymise_section_comments(rows, *, now) -> int:
    return rows.update(text="")


def anonymise_attachments(rows, *, now) -> int:
    for attachment in rows.exclude(file=""):
        attachment.file.delete(save=False)
    return rows.update(file="", original_name="")


register_personal_data(
    PersonalData(
        key="portal_forms",
        title=_("Skemaer (kladder)"),
        model=PortalForm,
        subject_path="citizen",
        case_path="case",
        anonymise=anonymise_portal_forms,
        order=24,
    )
)
register_personal_data(
    PersonalData(
        key="form_versions",
        title=_("Skemaer, borgeren har sendt"),
        model=FormVersion,
        subject_path="citizen",
        case_path="form__case",
        anonymise=anonymise_form_versions,
        order=25,
    )
)
register_personal_data(
    PersonalData(
        key="section_comments",
        title=_("Teamets kommentarer til skemaerne"),
        model=SectionComment,
        subject_path="version__citizen",
        case_path="version__form__case",
        anonymise=anonymise_section_comments,
        order=26,
    )
)
register_personal_data(
    PersonalData(
        key="form_attachments",
        title=_("Bilag til skemaerne"),
        model=Attachment,
        subject_path="citizen",
        case_path="form__case",
        exclude=("file",),
        files=lambda row: [(f"bilag-{row.pk}-{row.original_name}", row.file)] if row.file else [],
        anonymise=anonymise_attachments,
        order=27,
    )
)
